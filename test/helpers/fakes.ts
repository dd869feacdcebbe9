import type { ChatEngine, ChatMessage, ReplyOptions, ReplyResult } from "../../src/llm/engine.js";
import type { AudioSink, SpeechEngine } from "../../src/pipeline/speech-out.js";

/**
 * A scripted chat engine: streams the given words one per `stepMs` (real timers, small), honours the
 * abort signal like node-llama-cpp with stopOnAbortSignal (resolves with the partial text).
 */
export class FakeEngine implements ChatEngine {
  readonly modelName = "fake.gguf";
  private messages: ChatMessage[] = [];
  calls: string[] = [];
  /** Deltas emitted after an abort (simulates a late chunk racing the interrupt). */
  lateDeltas = 0;

  constructor(
    private readonly script: (prompt: string) => string[],
    private readonly stepMs = 2,
  ) {}

  async reply(text: string, options: ReplyOptions = {}): Promise<ReplyResult> {
    this.calls.push(text);
    this.messages.push({ role: "user", text });
    let out = "";
    const start = performance.now();
    let first: number | undefined;
    for (const piece of this.script(text)) {
      if (options.signal?.aborted) {
        for (let i = 0; i < this.lateDeltas; i++) options.onTextChunk?.(" late");
        break;
      }
      await new Promise((r) => setTimeout(r, this.stepMs));
      if (options.signal?.aborted) {
        for (let i = 0; i < this.lateDeltas; i++) options.onTextChunk?.(" late");
        break;
      }
      first ??= performance.now();
      out += piece;
      options.onTextChunk?.(piece);
    }
    this.messages.push({ role: "assistant", text: out });
    const interrupted = options.signal?.aborted ?? false;
    return {
      text: out,
      interrupted,
      stopReason: interrupted ? "abort" : "eogToken",
      timings: {
        firstTokenMs: first === undefined ? undefined : first - start,
        totalMs: performance.now() - start,
        tokens: out.length,
        tokensPerSecond: 100,
      },
    };
  }

  rewriteLastReply(text: string): void {
    const last = this.messages.at(-1);
    if (last?.role === "assistant") last.text = text;
  }

  async reset(options: { systemPrompt?: string; history?: ChatMessage[] } = {}): Promise<void> {
    this.messages = [...(options.history ?? [])];
  }

  history(): ChatMessage[] {
    return [...this.messages];
  }

  async dispose(): Promise<void> {}
}

/** A TTS engine that returns 100 ms of a tone per word, at 16 kHz. */
export class FakeTts implements SpeechEngine {
  readonly sampleRate = 16000;
  spoken: string[] = [];
  async synthesize(text: string, options: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    if (options.signal?.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
    this.spoken.push(text);
    const words = text.split(/\s+/).filter(Boolean).length;
    const out = new Float32Array(words * 1600);
    for (let i = 0; i < out.length; i++) out[i] = 0.3 * Math.sin(i / 5);
    return out;
  }
}

/** A sink on a manual clock: audio "plays" as `advance(ms)` is called. */
export class ManualSink implements AudioSink {
  queuedMs = 0;
  playedMs = 0;
  cleared = 0;
  private idleWaiters: Array<() => void> = [];

  write(samples: Float32Array, sampleRate: number): void {
    this.queuedMs += (samples.length / sampleRate) * 1000;
  }

  clear(): void {
    this.cleared++;
    this.queuedMs = 0;
    this.flushIdle();
  }

  get pendingMs(): number {
    return this.queuedMs;
  }

  advance(ms: number): void {
    const step = Math.min(ms, this.queuedMs);
    this.queuedMs -= step;
    this.playedMs += step;
    if (this.queuedMs <= 0) this.flushIdle();
  }

  whenIdle(signal?: AbortSignal): Promise<void> {
    if (this.queuedMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      signal?.addEventListener("abort", () => resolve(), { once: true });
    });
  }

  private flushIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }
}

/** Wait until `cond` holds (polling), failing after `timeoutMs`. Never asserts on durations. */
export async function until(cond: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
