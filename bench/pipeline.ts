/**
 * The voice pipeline's stage timeline on scripted turns (real engines: the LLM, espeak-ng, a sink
 * playing at real-time pace), its own overhead on the critical path to first audio, and barge-in
 * stop time. Figures only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNullSink } from "../src/audio/playback.js";
import type { TurnTimings } from "../src/core/events.js";
import type { ChatEngine, ReplyOptions, ReplyResult } from "../src/llm/engine.js";
import { LlamaChat } from "../src/llm/llama.js";
import { VoiceSession } from "../src/pipeline/session.js";
import type { SpeechEngine } from "../src/pipeline/speech-out.js";
import { ClauseChunker } from "../src/tts/chunker.js";
import { EspeakEngine } from "../src/tts/espeak.js";
import { writeTinyGguf } from "../test/helpers/gguf.js";
import { fmt, printTable, stats } from "./report.js";

/** Records when each text chunk arrives from the real engine. */
class TimedEngine implements ChatEngine {
  chunkTimes: Array<{ at: number; text: string }> = [];
  constructor(private readonly inner: ChatEngine) {}
  get modelName(): string {
    return this.inner.modelName;
  }
  reply(text: string, options: ReplyOptions = {}): Promise<ReplyResult> {
    this.chunkTimes = [];
    return this.inner.reply(text, {
      ...options,
      onTextChunk: (c) => {
        this.chunkTimes.push({ at: performance.now(), text: c });
        options.onTextChunk?.(c);
      },
    });
  }
  rewriteLastReply(text: string): void {
    this.inner.rewriteLastReply(text);
  }
  reset(o?: Parameters<ChatEngine["reset"]>[0]): Promise<void> {
    return this.inner.reset(o);
  }
  history() {
    return this.inner.history();
  }
  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** Records each synthesis call's start and end. */
class TimedTts implements SpeechEngine {
  calls: Array<{ start: number; end: number; text: string }> = [];
  constructor(private readonly inner: SpeechEngine) {}
  get sampleRate(): number {
    return this.inner.sampleRate;
  }
  async synthesize(text: string, options?: { signal?: AbortSignal }): Promise<Float32Array> {
    const start = performance.now();
    const out = await this.inner.synthesize(text, options);
    this.calls.push({ start, end: performance.now(), text });
    return out;
  }
}

function modelPath(dir: string): { path: string; label: string } {
  if (process.env.ROLEPLAY_BENCH_MODEL)
    return { path: process.env.ROLEPLAY_BENCH_MODEL, label: "ROLEPLAY_BENCH_MODEL" };
  const path = join(dir, "tiny.gguf");
  writeTinyGguf(path, { contextLength: 4096 });
  return { path, label: "tiny random GGUF" };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "roleplay-bench-pipeline-"));
  const { path, label } = modelPath(dir);
  let tts: EspeakEngine;
  try {
    tts = await EspeakEngine.create({});
  } catch (err) {
    printTable("pipeline", [{ name: "skipped", value: `espeak-ng unavailable: ${(err as Error).message}` }]);
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const chat = await LlamaChat.load({
    modelPath: path,
    gpu: false,
    threads: "auto",
    contextSize: 2048,
    maxTokens: 60,
    seed: 1,
    temperature: 0,
  });
  const engine = new TimedEngine(chat);
  const timedTts = new TimedTts(tts);
  const sink = createNullSink({ sampleRate: tts.sampleRate });
  const session = new VoiceSession({
    engine,
    characterName: "Bench",
    speech: { engine: timedTts, sink, chunker: () => new ClauseChunker() },
  });
  const timings: TurnTimings[] = [];
  const overheads: number[] = [];
  session.on((e) => {
    if (e.type === "turn") timings.push(e.timings);
  });
  try {
    const turns = 8;
    for (let i = 0; i < turns; i++) {
      timedTts.calls = [];
      const startedAt = performance.now();
      const done = session.send(`Tell me something about the number ${i}.`, { startedAt });
      // Let one chunk play, then stop the turn (the audio is long); the marks are taken by then.
      while (timings.length <= i && !(timedTts.calls.length > 0 && sink.pendingMs > 0))
        await new Promise((r) => setTimeout(r, 5));
      await session.interrupt("bench");
      await done;
      const t = timings[i];
      const firstSynth = timedTts.calls[0];
      if (!t || !firstSynth || t.firstAudioMs === undefined) continue;
      // The delta that completed the first chunk arrived before synthesis began: engine time up to there.
      const before = engine.chunkTimes.filter((c) => c.at <= firstSynth.start);
      const llmDone = (before.at(-1)?.at ?? startedAt) - startedAt;
      const synthMs = firstSynth.end - firstSynth.start;
      overheads.push(t.firstAudioMs - llmDone - synthMs);
    }
    const col = (name: keyof TurnTimings) =>
      stats(timings.map((t) => t[name] as number).filter((v) => Number.isFinite(v)));
    const row = (name: string, key: keyof TurnTimings) => {
      const s = col(key);
      return { name, value: `median ${fmt(s.median)} ms, p95 ${fmt(s.p95)} ms (n=${s.n})` };
    };
    printTable(`pipeline: stage timeline of a scripted text turn (${label}, espeak-ng, real-time sink)`, [
      row("first token", "firstTokenMs"),
      row("first chunk ready", "firstChunkMs"),
      row("first audio out", "firstAudioMs"),
    ]);
    const o = stats(overheads);
    printTable("pipeline: own overhead on the critical path to first audio", [
      {
        name: "overhead",
        value: `median ${fmt(o.median, 2)} ms, p95 ${fmt(o.p95, 2)} ms`,
        note: "first audio minus LLM time to the first chunk minus its synthesis; goal < 10 ms",
      },
    ]);
    // Barge-in stop time: from interrupt() to the playback buffer being empty, and to the turn settled.
    const clearMs: number[] = [];
    const settleMs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const done = session.send("Please tell me a long story about the sea.");
      while (!(sink.pendingMs > 0)) await new Promise((r) => setTimeout(r, 5));
      const t0 = performance.now();
      const interrupted = session.interrupt("barge-in");
      clearMs.push(sink.pendingMs === 0 ? performance.now() - t0 : NaN);
      await interrupted;
      settleMs.push(performance.now() - t0);
      await done;
    }
    const c = stats(clearMs);
    const s = stats(settleMs);
    printTable("pipeline: barge-in stop time", [
      {
        name: "playback cleared",
        value: `median ${fmt(c.median, 3)} ms, p95 ${fmt(c.p95, 3)} ms`,
        note: "synchronous with interrupt()",
      },
      {
        name: "turn settled",
        value: `median ${fmt(s.median, 1)} ms, p95 ${fmt(s.p95, 1)} ms`,
        note: "LLM stopped, reply recorded",
      },
    ]);
  } finally {
    await session.dispose();
    await sink.close();
    await chat.dispose();
    await tts.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
