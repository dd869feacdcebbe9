import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWavTimelineSink } from "../../src/audio/playback.js";
import type { CaptureSource } from "../../src/audio/source.js";
import { decodeWav } from "../../src/audio/wav.js";
import { WhisperTranscriber } from "../../src/asr/whisper.js";
import { cleanTranscript } from "../../src/asr/filter.js";
import type { SessionEvent } from "../../src/core/events.js";
import { LlamaChat } from "../../src/llm/llama.js";
import { VoiceSession } from "../../src/pipeline/session.js";
import { VoiceInput } from "../../src/pipeline/voice-in.js";
import { VoiceRouter } from "../../src/pipeline/voice-router.js";
import { ClauseChunker } from "../../src/tts/chunker.js";
import { EspeakEngine } from "../../src/tts/espeak.js";
import { SileroVad } from "../../src/vad/silero.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { espeakAvailable, speak } from "../helpers/speech.js";
import { writeRandomWhisperModel } from "../helpers/whisper-model.js";

/**
 * Barge-in end to end, in process with the real engines (Silero, whisper with random tiny weights,
 * the tiny GGUF, espeak-ng, the WAV timeline sink). The "user" is a live source: it says one thing,
 * waits until the reply is really playing (however slow the machine), then talks over it.
 */
const tmp = tempDir("roleplay-barge-");
let llmPath: string;
let whisperPath: string;

beforeAll(async () => {
  llmPath = join(tmp.dir, "tiny.gguf");
  whisperPath = join(tmp.dir, "whisper.bin");
  writeTinyGguf(llmPath);
  await writeRandomWhisperModel(whisperPath);
}, 120_000);
afterAll(() => tmp.cleanup());

const FRAME = 512;

/** A real-time source that speaks `first`, waits for `ready()` to hold for `holdMs`, then speaks `second`. */
function liveUser(first: Float32Array, second: Float32Array, ready: () => boolean, holdMs: number) {
  const marks = { secondStartMs: -1 };
  const source: CaptureSource = {
    description: "live test user",
    dispose: async () => {},
    async *stream(signal) {
      const start = performance.now();
      let sent = 0;
      const frame = async (data: Float32Array): Promise<boolean> => {
        sent += data.length;
        const due = start + (sent / 16000) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return !signal.aborted;
      };
      const silence = new Float32Array(FRAME);
      const play = async function* (clip: Float32Array) {
        for (let i = 0; i < clip.length; i += FRAME) {
          const chunk = new Float32Array(FRAME);
          chunk.set(clip.subarray(i, i + FRAME));
          if (!(await frame(chunk))) return;
          yield chunk;
        }
      };
      for (let i = 0; i < 10; i++) if (await frame(silence)) yield silence;
      yield* play(first);
      let heldSince: number | undefined;
      const deadline = performance.now() + 120_000;
      while (performance.now() < deadline) {
        if (!(await frame(silence))) return;
        yield silence;
        if (ready()) {
          heldSince ??= performance.now();
          if (performance.now() - heldSince >= holdMs) break;
        } else heldSince = undefined;
      }
      marks.secondStartMs = (sent / 16000) * 1000;
      yield* play(second);
      for (let i = 0; i < 60; i++) if (await frame(silence)) yield silence;
    },
  };
  return { source, marks };
}

function regions(file: string): Array<{ startMs: number; endMs: number }> {
  const wav = decodeWav(readFileSync(file));
  const x = wav.channels[0]!;
  const win = Math.round(wav.sampleRate * 0.01);
  const out: Array<{ startMs: number; endMs: number }> = [];
  for (let i = 0; i + win <= x.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += x[j]! * x[j]!;
    if (10 * Math.log10(sum / win + 1e-20) < -50) continue;
    const t = (i / wav.sampleRate) * 1000;
    const last = out.at(-1);
    if (last && t - last.endMs < 400) last.endMs = t + 10;
    else out.push({ startMs: t, endMs: t + 10 });
  }
  return out;
}

describe.skipIf(!espeakAvailable())("barge-in end to end", () => {
  it("output goes silent within 100 ms of the detected speech; the history keeps the heard part, marked interrupted", async () => {
    const [first, second] = await Promise.all([
      speak("Please tell me a very long story."),
      speak("Stop, wait, I want to ask something else."),
    ]);
    const chat = await LlamaChat.load({ modelPath: llmPath, gpu: false, threads: 1, contextSize: 512, maxTokens: 300 });
    const tts = await EspeakEngine.create({});
    const vad = await SileroVad.load();
    const whisper = await WhisperTranscriber.load(whisperPath, { threads: 1 });
    const out = join(tmp.dir, "out.wav");
    const sink = createWavTimelineSink(out, { sampleRate: tts.sampleRate });
    const session = new VoiceSession({
      engine: chat,
      characterName: "T",
      speech: { engine: tts, sink, chunker: () => new ClauseChunker() },
    });
    const events: SessionEvent[] = [];
    session.on((e) => events.push(e));
    const user = liveUser(first.samples, second.samples, () => sink.pendingMs > 0 && session.state === "speaking", 800);
    const router = new VoiceRouter({ session, host: {}, enabled: false, wakePhrase: null });
    const voice = new VoiceInput({
      session,
      source: user.source,
      vad,
      transcriber: whisper,
      clean: (t, info) => cleanTranscript(t, info) ?? "(unclear)",
      bargeIn: { enabled: true, minSpeechMs: 300, headphones: true },
      isPlaying: () => sink.pendingMs > 0,
      onUtterance: (u) => router.handle(u),
      origin: performance.now(),
    });
    try {
      voice.start();
      await voice.drain();
      while (session.busy) await session.currentTurn?.done;
      await sink.close();
    } finally {
      await voice.stop();
      await whisper.dispose();
      await vad.dispose();
      await tts.dispose();
      await chat.dispose();
    }
    expect(user.marks.secondStartMs).toBeGreaterThan(0);
    const barge = events.find((e): e is Extract<SessionEvent, { type: "barge-in" }> => e.type === "barge-in");
    expect(barge).toBeDefined();
    const atMs = barge!.atMs;
    expect(atMs).toBeGreaterThan(user.marks.secondStartMs);
    expect(atMs - user.marks.secondStartMs).toBeLessThan(300 + 250);
    const found = regions(out);
    const playing = found.find((g) => g.startMs < atMs - 200 && g.endMs >= atMs - 150);
    expect(playing, JSON.stringify({ atMs, found })).toBeDefined();
    expect(playing!.endMs).toBeLessThanOrEqual(atMs + 100);
    const reply = events.find((e) => e.type === "reply" && e.turnId === barge!.turnId);
    expect(reply).toMatchObject({ interrupted: true });
    const history = chat.history();
    const kept = history.findLast((m) => m.role === "assistant" && m.text === (reply as { text: string }).text);
    expect(kept).toBeDefined();
    // The reply was cut to what was heard: shorter than what was generated would have been.
    expect((reply as { text: string }).text.length).toBeLessThan(2000);
  });
});
