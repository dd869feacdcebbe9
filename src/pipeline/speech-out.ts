import { errorMessage, isAbortError } from "../core/errors.js";
import { getLogger } from "../core/log.js";

const log = getLogger("speech-out");

/** The parts of a TTS engine the pipeline uses. */
export interface SpeechEngine {
  readonly sampleRate: number;
  synthesize(text: string, options?: { signal?: AbortSignal }): Promise<Float32Array>;
}

/** The parts of a playback sink the pipeline uses. */
export interface AudioSink {
  write(samples: Float32Array, sampleRate: number): void;
  clear(): void;
  readonly pendingMs: number;
  whenIdle(signal?: AbortSignal): Promise<void>;
}

export interface TextChunker {
  push(delta: string): string[];
  flush(): string[];
}

interface SpokenChunk {
  text: string;
  startMs: number;
  durationMs: number;
}

export interface SpeechOutHooks {
  onChunk?: (text: string) => void;
  onFirstAudio?: () => void;
  onError?: (message: string) => void;
}

/**
 * The TTS stage of one turn: text deltas in, audio to the sink. Chunk n+1 is synthesised while chunk
 * n plays. On abort the sink is cleared at once. It remembers what was written so the reply can be
 * cut to what the user actually heard.
 */
export class SpeechOut {
  private readonly queue: string[] = [];
  private readonly written: SpokenChunk[] = [];
  private writtenMs = 0;
  private finished = false;
  private wake: (() => void) | undefined;
  private heardMsAtAbort: number | undefined;
  private failed = false;
  readonly done: Promise<void>;

  constructor(
    private readonly engine: SpeechEngine,
    private readonly sink: AudioSink,
    private readonly chunker: TextChunker,
    private readonly signal: AbortSignal,
    private readonly hooks: SpeechOutHooks = {},
  ) {
    signal.addEventListener("abort", () => this.onAbort(), { once: true });
    this.done = this.run();
  }

  push(delta: string): void {
    if (this.signal.aborted || this.failed) return;
    for (const c of this.chunker.push(delta)) this.enqueue(c);
  }

  finish(): void {
    if (!this.signal.aborted && !this.failed) for (const c of this.chunker.flush()) this.enqueue(c);
    this.finished = true;
    this.wake?.();
  }

  /** The text the user has heard so far (whole chunks played, plus the played share of the current one). */
  heardText(): string {
    const heardMs = this.heardMsAtAbort ?? Math.max(0, this.writtenMs - this.sink.pendingMs);
    const parts: string[] = [];
    for (const c of this.written) {
      if (heardMs >= c.startMs + c.durationMs - 1) parts.push(c.text);
      else if (heardMs > c.startMs && c.durationMs > 0) {
        // The heard share of the chunk, cut back to a word boundary when there is one.
        const share = (heardMs - c.startMs) / c.durationMs;
        let cut = c.text.slice(0, Math.floor(c.text.length * share));
        const space = cut.lastIndexOf(" ");
        if (space > 0 && cut.length < c.text.length && c.text[cut.length] !== " ") cut = cut.slice(0, space);
        if (cut.trim()) parts.push(cut.trim());
        break;
      } else break;
    }
    return parts.join(" ");
  }

  private enqueue(text: string): void {
    if (!text.trim()) return;
    this.queue.push(text);
    this.hooks.onChunk?.(text);
    this.wake?.();
  }

  private onAbort(): void {
    this.heardMsAtAbort = Math.max(0, this.writtenMs - this.sink.pendingMs);
    this.sink.clear();
    this.wake?.();
  }

  private async next(): Promise<string | undefined> {
    while (this.queue.length === 0 && !this.finished && !this.signal.aborted) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    return this.signal.aborted ? undefined : this.queue.shift();
  }

  private async run(): Promise<void> {
    for (;;) {
      const text = await this.next();
      if (text === undefined) break;
      let audio: Float32Array;
      try {
        audio = await this.engine.synthesize(text, { signal: this.signal });
      } catch (err) {
        if (this.signal.aborted || isAbortError(err)) break;
        this.failed = true;
        log.warn("synthesis failed", err);
        this.hooks.onError?.(`speech synthesis failed: ${errorMessage(err)}`);
        break;
      }
      if (this.signal.aborted) break;
      if (this.written.length === 0) this.hooks.onFirstAudio?.();
      const durationMs = (audio.length / this.engine.sampleRate) * 1000;
      this.written.push({ text, startMs: this.writtenMs, durationMs });
      this.writtenMs += durationMs;
      this.sink.write(audio, this.engine.sampleRate);
    }
    if (!this.signal.aborted && !this.failed) {
      try {
        await this.sink.whenIdle(this.signal);
      } catch (err) {
        if (!isAbortError(err)) log.warn("playback wait failed", err);
      }
    }
  }
}
