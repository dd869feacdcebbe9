import type { TurnTimings } from "../core/events.js";

export type TurnSource = "text" | "voice";

/**
 * One user turn and the reply to it. `interrupt()` is the single barge-in path: keys, voice and
 * commands all call it. It aborts the LLM and TTS stages through the turn's signal; the playback
 * buffer is cleared by the speech stage listening on the same signal.
 */
export class Turn {
  private readonly controller = new AbortController();
  private readonly startedAt: number;
  readonly marks: Partial<Omit<TurnTimings, "totalMs" | "tokens">> = {};
  interruptReason: string | undefined;
  /** Resolves when the turn has fully settled (reply emitted, audio finished or cleared). */
  done: Promise<void> = Promise.resolve();

  constructor(
    readonly id: number,
    readonly text: string,
    readonly source: TurnSource,
    /** performance.now() at which the turn began (speech end for voice turns, Enter for text). */
    startedAt: number = performance.now(),
  ) {
    this.startedAt = startedAt;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  interrupt(reason = "user"): void {
    if (this.controller.signal.aborted) return;
    this.interruptReason = reason;
    this.controller.abort();
  }

  /** Record a latency mark (first write wins), relative to the turn start. */
  mark(name: keyof Turn["marks"], at: number = performance.now()): void {
    if (this.marks[name] === undefined) this.marks[name] = Math.max(0, at - this.startedAt);
  }

  elapsed(at: number = performance.now()): number {
    return at - this.startedAt;
  }
}
