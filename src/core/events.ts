/**
 * Typed events of a session, a discriminated union on `type`. Every turn event carries its turn id;
 * the session drops events of a cancelled turn. The headless `--json` mode prints these as NDJSON.
 */

export type SessionState =
  "loading" | "idle" | "listening" | "hearing" | "transcribing" | "thinking" | "speaking" | "muted";

/** Per-turn latency marks, in ms relative to the start of the turn (the user's speech end or Enter). */
export interface TurnTimings {
  /** When the user stopped speaking, on the input timeline (voice turns only). */
  speechEndMs?: number;
  /** When the end of the turn was decided (after the silence hangover). */
  endOfTurnMs?: number;
  transcriptMs?: number;
  firstTokenMs?: number;
  firstChunkMs?: number;
  firstAudioMs?: number;
  totalMs: number;
  tokens: number;
  tokensPerSecond?: number;
}

export type SessionEvent =
  | { type: "ready"; model: string; character: string; contextSize?: number; threads?: number }
  | { type: "state"; state: SessionState }
  | { type: "user"; turnId: number; text: string; source: "text" | "voice" }
  | { type: "delta"; turnId: number; text: string }
  | { type: "reply"; turnId: number; text: string; interrupted: boolean }
  | { type: "turn"; turnId: number; timings: TurnTimings }
  | { type: "speech"; turnId: number; text: string }
  | { type: "utterance"; startMs: number; endMs: number }
  | { type: "transcript"; text: string; startMs?: number; endMs?: number }
  | { type: "level"; dbfs: number }
  | { type: "barge-in"; turnId: number; atMs: number }
  | { type: "command"; command: string; text: string }
  | { type: "cleared"; greeting?: string }
  | { type: "notice"; level: "info" | "warn"; message: string }
  | { type: "error"; message: string; hint?: string; code?: string; turnId?: number };

export type SessionEventType = SessionEvent["type"];

/** Exhaustiveness check for switches over a union. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

export type Listener<E> = (event: E) => void;

/** A minimal typed emitter: listeners are called synchronously; a throwing listener is isolated. */
export class Emitter<E> {
  private readonly listeners = new Set<Listener<E>>();

  on(listener: Listener<E>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: E): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken subscriber must not break the pipeline.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
