/**
 * whisper real-time factor (transcription time / audio length) on 3 s and 11 s of speech, with
 * the random-weight tiny model, for the portable and the fast (-march=native) build, with and
 * without a sized audio context; plus our wrapper against the raw binding call.
 * The random model stops after a token or two, so these figures are mostly encoder cost: a real
 * model also decodes ~10-40 tokens per utterance.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadWhisperBinding, whisperBuildInfo } from "../src/asr/native.js";
import type { WhisperBuildInfo, WhisperBuildKind } from "../src/asr/native.js";
import { WhisperTranscriber, defaultThreads } from "../src/asr/whisper.js";
import { audioContextFor, padForWhisper } from "../src/asr/window.js";
import { TINY_EN_HPARAMS, writeWhisperGgml } from "../src/asr/ggml-writer.js";
import { decodeWav, toMono16k } from "../src/audio/wav.js";
import { fmt, printTable, stats } from "./report.js";
import type { Row } from "./report.js";

const REPEATS = Number(process.env.ROLEPLAY_BENCH_REPEATS ?? 3);
const TEXT =
  "And so, my fellow travellers, ask not what the ship can do for you; ask what you can do for the ship. " +
  "We sailed at dawn, the wind was fair, and the harbour lights faded slowly behind us as the gulls turned home.";

function speech(seconds: number): Float32Array | undefined {
  const res = spawnSync("espeak-ng", ["--stdout", TEXT], { maxBuffer: 64 << 20 });
  if (res.error || res.status !== 0) return undefined;
  const pcm = toMono16k(decodeWav(res.stdout));
  const n = seconds * 16000;
  if (pcm.length >= n) return pcm.slice(0, n);
  const out = new Float32Array(n);
  out.set(pcm);
  return out;
}

function clips(): { name: string; pcm: Float32Array }[] {
  const out: { name: string; pcm: Float32Array }[] = [];
  for (const s of [3, 11]) {
    const pcm = speech(s);
    if (pcm) out.push({ name: `espeak ${s} s`, pcm });
  }
  const dir = process.env.ROLEPLAY_TEST_MODELS;
  const jfk = dir ? join(resolve(dir), "jfk.wav") : undefined;
  if (jfk && existsSync(jfk)) out.push({ name: "jfk.wav 11 s", pcm: toMono16k(decodeWav(readFileSync(jfk))) });
  return out;
}

async function timeRuns(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up: first call pays page faults and allocations
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

export async function run(): Promise<void> {
  try {
    whisperBuildInfo({ prefer: "portable" });
  } catch (err) {
    process.stdout.write(`\n## whisper\n  skipped: ${(err as Error).message}\n`);
    return;
  }
  const audio = clips();
  if (audio.length === 0) {
    process.stdout.write(
      "\n## whisper\n  skipped: espeak-ng is not installed and ROLEPLAY_TEST_MODELS has no jfk.wav\n",
    );
    return;
  }
  const builds: WhisperBuildKind[] = ["portable"];
  let nativeNote = "";
  try {
    whisperBuildInfo({ prefer: "native" });
    builds.push("native");
  } catch {
    nativeNote = "fast build not installed: run node scripts/install-whisper.mjs";
  }
  const auto = whisperBuildInfo();
  const dir = mkdtempSync(join(tmpdir(), "roleplay-bench-asr-"));
  const model = join(dir, "ggml-random-tiny.en.bin");
  try {
    await writeWhisperGgml(model, { hparams: TINY_EN_HPARAMS, seed: 5 });
    const threads = Number(process.env.ROLEPLAY_BENCH_THREADS ?? defaultThreads());
    const rows: Row[] = [];
    const medians = new Map<string, number>();
    for (const build of builds) {
      for (const sized of [true, false]) {
        const whisper = await WhisperTranscriber.load(model, { build, sizeAudioContext: sized, threads });
        try {
          for (const clip of audio) {
            const t = stats(await timeRuns(() => whisper.transcribe(clip.pcm)));
            const seconds = clip.pcm.length / 16000;
            const ctx = sized ? audioContextFor(padForWhisper(clip.pcm).length) || 1500 : 1500;
            medians.set(`${build}|${sized}|${clip.name}`, t.median);
            rows.push({
              name: `${build.padEnd(8)} ${sized ? "sized " : "30 s  "} ${clip.name}`,
              value: `RTF ${fmt(t.median / 1000 / seconds, 3)}  median ${fmt(t.median, 0)} ms  p95 ${fmt(t.p95, 0)} ms`,
              note: `audio_ctx ${ctx}`,
            });
          }
        } finally {
          await whisper.dispose();
        }
      }
    }
    rows.push(
      ...ratios(
        medians,
        audio.map((c) => c.name),
        builds,
      ),
    );
    rows.push(await rawRow(model, auto, audio[0]!, threads, medians.get(`${auto.kind}|true|${audio[0]!.name}`)));
    printTable(
      `whisper (random tiny.en f16, ${threads} threads, ${REPEATS} runs; auto picks ${auto.kind})${nativeNote ? ` - ${nativeNote}` : ""}`,
      rows,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ratios(medians: Map<string, number>, names: string[], builds: WhisperBuildKind[]): Row[] {
  const rows: Row[] = [];
  for (const name of names) {
    const p = medians.get(`portable|true|${name}`);
    const n = medians.get(`native|true|${name}`);
    if (builds.includes("native") && p && n)
      rows.push({ name: `fast vs portable, sized, ${name}`, value: `${fmt(p / n, 1)}× faster` });
    for (const b of builds) {
      const full = medians.get(`${b}|false|${name}`);
      const sized = medians.get(`${b}|true|${name}`);
      if (full && sized) rows.push({ name: `sized vs 30 s, ${b}, ${name}`, value: `${fmt(full / sized, 1)}× faster` });
    }
  }
  return rows;
}

/** The same call straight through the binding, to show what the wrapper costs. */
async function rawRow(
  model: string,
  build: WhisperBuildInfo,
  clip: { name: string; pcm: Float32Array },
  threads: number,
  ours: number | undefined,
): Promise<Row> {
  const binding = loadWhisperBinding(build);
  const native = await binding.WhisperModel.load(model, false);
  try {
    const pcm = padForWhisper(clip.pcm);
    const params = {
      strategy: 0,
      n_threads: threads,
      language: "en",
      no_timestamps: true,
      suppress_non_speech_tokens: true,
      audio_ctx: audioContextFor(pcm.length),
    };
    const t = stats(
      await timeRuns(() => new Promise((res) => binding.transcribe(native.handle, pcm, params, res, () => undefined))),
    );
    return {
      name: `raw binding, ${build.kind}, sized, ${clip.name}`,
      value: `median ${fmt(t.median, 0)} ms`,
      note: ours ? `WhisperTranscriber / raw = ${fmt(ours / t.median, 2)}` : "",
    };
  } finally {
    await native.free();
  }
}
