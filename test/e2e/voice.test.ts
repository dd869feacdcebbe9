import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeWav, encodeWav } from "../../src/audio/wav.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { espeakAvailable, layout, type LaidOutSegment } from "../helpers/speech.js";
import { writeRandomWhisperModel } from "../helpers/whisper-model.js";

/**
 * WAV in, WAV out, through the built CLI with real engines: Silero VAD, whisper (random tiny
 * weights: it transcribes gibberish, which is still a user turn), the tiny GGUF, espeak-ng.
 */
const tmp = tempDir("roleplay-voice-");
const llm = join(tmp.dir, "tiny.gguf");
const whisper = join(tmp.dir, "whisper.bin");
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  writeTinyGguf(llm);
  await writeRandomWhisperModel(whisper);
  env = cliEnv(join(tmp.dir, "home"), { ROLEPLAY_AUDIO_INPUT: "mic", ROLEPLAY_AUDIO_OUTPUT: "speaker" });
}, 120_000);
afterAll(() => tmp.cleanup());

interface Event {
  type: string;
  [k: string]: unknown;
}

// Barge-in is tested end to end in barge-in.test.ts with a live source that waits for the reply
// to play, so the test does not depend on how fast this machine transcribes.

/** Speech regions (ms) of a WAV: 20 ms windows above -45 dBFS, merged across gaps < 400 ms. */
function speechRegions(file: string): Array<{ startMs: number; endMs: number }> {
  const wav = decodeWav(readFileSync(file));
  const x = wav.channels[0]!;
  const win = Math.round(wav.sampleRate * 0.02);
  const regions: Array<{ startMs: number; endMs: number }> = [];
  for (let i = 0; i + win <= x.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += x[j]! * x[j]!;
    if (10 * Math.log10(sum / win + 1e-20) < -45) continue;
    const t = (i / wav.sampleRate) * 1000;
    const last = regions.at(-1);
    if (last && t - last.endMs < 400) last.endMs = t + 20;
    else regions.push({ startMs: t, endMs: t + 20 });
  }
  return regions;
}

async function makeInput(
  name: string,
  segments: { text: string; atMs: number }[],
  totalMs: number,
): Promise<{ file: string; truth: LaidOutSegment[] }> {
  const l = await layout(segments, totalMs);
  const file = join(tmp.dir, name);
  writeFileSync(file, encodeWav(l.samples, 16000));
  return { file, truth: l.segments };
}

function parse(stdout: string): Event[] {
  return stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Event);
}

describe.skipIf(!espeakAvailable())("voice end to end (WAV in, WAV out)", () => {
  it("speech appears in the output after each input utterance", async () => {
    const { file, truth } = await makeInput(
      "two.wav",
      [
        { text: "Hello there, how are you today?", atMs: 500 },
        { text: "Tell me about the weather please.", atMs: 14_000 },
      ],
      20_000,
    );
    const out = join(tmp.dir, "two-out.wav");
    const r = await runCli(
      ["-m", llm, "--asr-model", whisper, "--audio-in", file, "--audio-out", out, "--json", "--max-tokens", "12"],
      { env: { ...env, ROLEPLAY_AUDIO_BARGE_IN_ENABLED: "false" } },
    );
    expect(r.code, r.stderr).toBe(0);
    const events = parse(r.stdout);
    const utterances = events.filter((e) => e.type === "utterance");
    expect(utterances).toHaveLength(2);
    for (const [i, u] of utterances.entries()) {
      expect(Math.abs((u.startMs as number) - truth[i]!.startMs)).toBeLessThan(150);
      expect(Math.abs((u.endMs as number) - truth[i]!.endMs)).toBeLessThan(250);
    }
    expect(events.filter((e) => e.type === "transcript")).toHaveLength(2);
    expect(events.filter((e) => e.type === "reply" && e.interrupted === false)).toHaveLength(2);
    const turns = events.filter((e) => e.type === "turn").map((e) => e.timings as Record<string, number>);
    for (const t of turns) {
      for (const mark of [
        "speechEndMs",
        "endOfTurnMs",
        "transcriptMs",
        "firstTokenMs",
        "firstChunkMs",
        "firstAudioMs",
      ]) {
        expect(t[mark], mark).toBeGreaterThanOrEqual(0);
      }
    }
    // The output holds no echo of the input: only the agent's speech, after each utterance.
    const regions = speechRegions(out);
    for (const u of truth) expect(regions.some((g) => g.startMs > u.endMs)).toBe(true);
    expect(regions[0]!.startMs).toBeGreaterThan(truth[0]!.endMs);
    expect(regions.some((g) => g.startMs > truth[1]!.endMs)).toBe(true);
  });
});
