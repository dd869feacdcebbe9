import { AbortError, AudioDeviceError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { resample } from "./wav.js";

const log = getLogger("playback");

/** Milliseconds, monotonic. Tests inject a fake one; headless runs may drive it from the input file. */
export interface Clock {
  now(): number;
}

export function realClock(): Clock {
  return { now: () => performance.now() };
}

/** Progress of one write(): it began playing, played to its end, or clear() cut it after `playedMs`. */
export type PlaybackEvent =
  | { type: "start"; seq: number; at: number }
  | { type: "end"; seq: number; at: number }
  | { type: "cut"; seq: number; at: number; playedMs: number; totalMs: number };

/** Where replies are played: a speaker, a WAV file on a true timeline, or nowhere (at real-time pace). */
export interface PlaybackSink {
  /** "null" also after a speaker failed mid-run and the sink fell back to silence. */
  readonly kind: "speaker" | "wav" | "null";
  /** The sink's own rate; writes at other rates are resampled. */
  readonly sampleRate: number;
  /** Queue mono samples after what is queued (or now, if nothing is); returns the write's sequence number. */
  write(samples: Float32Array, sampleRate: number): number;
  /** Drop everything queued that has not played yet (the speaker stops within one small buffer). */
  clear(): void;
  /** Queued audio not yet played, in milliseconds. */
  readonly pendingMs: number;
  /** Resolves when all queued audio has played (at once when nothing is queued). */
  whenIdle(signal?: AbortSignal): Promise<void>;
  /** Playback progress of each write, with its time on the sink's clock. */
  onPlayed?: (ev: PlaybackEvent) => void;
  close(): Promise<void>;
}

/** Audio output could not be opened or failed. */
export class PlaybackError extends AudioDeviceError {}

export interface Segment {
  seq: number;
  /** First sample on the timeline (sink rate, sample 0 = sink creation). */
  start: number;
  data: Float32Array;
  /** Samples that play (less than data.length once clear() cut it). */
  length: number;
  started: boolean;
  cut: boolean;
}

/**
 * Audio "plays" at real-time pace against a clock: a write starts where the queue ends or now,
 * whichever is later; clear() cuts what lies after now (or after what a device already has).
 * The base of all sinks; subclasses get segments back through retire() once they are final.
 */
export class TimelineSink implements PlaybackSink {
  onPlayed?: (ev: PlaybackEvent) => void;
  protected segments: Segment[] = [];
  protected closed = false;
  private end = 0;
  private seq = 0;
  private readonly t0: number;
  private readonly waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private sinkKind: PlaybackSink["kind"],
    readonly sampleRate: number,
    protected readonly clock: Clock = realClock(),
  ) {
    this.t0 = clock.now();
  }

  get kind(): PlaybackSink["kind"] {
    return this.sinkKind;
  }

  protected setKind(kind: PlaybackSink["kind"]): void {
    this.sinkKind = kind;
  }

  /** The timeline position now, in samples. */
  protected nowSample(): number {
    return Math.max(0, Math.floor(((this.clock.now() - this.t0) * this.sampleRate) / 1000));
  }

  /** Samples before this index can no longer be cut (a device already has them). */
  protected committed(): number {
    return this.nowSample();
  }

  /** A segment leaves the queue; `kept` samples of it were (or will be) heard. */
  protected retire(_seg: Segment, _kept: number): void {}

  protected timeOf(sample: number): number {
    return this.t0 + (sample / this.sampleRate) * 1000;
  }

  write(samples: Float32Array, sampleRate: number): number {
    const seq = this.seq++;
    if (this.closed) return seq;
    this.update();
    const data = sampleRate === this.sampleRate ? samples.slice() : resample(samples, sampleRate, this.sampleRate);
    const start = Math.max(this.end, this.committed());
    this.segments.push({ seq, start, data, length: data.length, started: false, cut: false });
    this.end = start + data.length;
    this.update();
    this.schedule();
    return seq;
  }

  clear(): void {
    this.update();
    const cut = this.committed();
    const kept: Segment[] = [];
    for (const seg of this.segments) {
      const segEnd = seg.start + seg.length;
      if (segEnd <= cut) kept.push(seg);
      else {
        const played = Math.max(0, cut - seg.start);
        this.emit({
          type: "cut",
          seq: seg.seq,
          at: this.timeOf(cut),
          playedMs: this.ms(played),
          totalMs: this.ms(seg.length),
        });
        seg.cut = true;
        if (played > 0) {
          seg.length = played;
          kept.push(seg);
        } else this.retire(seg, 0);
      }
    }
    this.segments = kept;
    this.end = Math.min(
      this.end,
      Math.max(
        cut,
        kept.reduce((e, s) => Math.max(e, s.start + s.length), 0),
      ),
    );
    this.update();
    this.schedule();
  }

  get pendingMs(): number {
    this.update();
    return this.ms(Math.max(0, this.end - this.nowSample()));
  }

  whenIdle(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    this.update();
    if (this.closed || this.end <= this.nowSample()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.waiters.delete(done);
        reject(new AbortError());
      };
      this.waiters.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.schedule();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.update();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeWaiters();
  }

  /** Emit start/end events and retire segments up to now. */
  protected update(): void {
    const now = this.nowSample();
    while (this.segments.length) {
      const seg = this.segments[0]!;
      if (!seg.started && now >= seg.start) {
        seg.started = true;
        this.emit({ type: "start", seq: seg.seq, at: this.timeOf(seg.start) });
      }
      if (now < seg.start + seg.length) break;
      this.segments.shift();
      if (!seg.cut) this.emit({ type: "end", seq: seg.seq, at: this.timeOf(seg.start + seg.length) });
      this.retire(seg, seg.length);
    }
    if (this.end <= now) this.wakeWaiters();
  }

  /** Samples [from, from + n) of the timeline: queued audio, silence elsewhere. */
  protected render(from: number, n: number): Float32Array {
    const out = new Float32Array(n);
    for (const seg of this.segments) {
      const a = Math.max(from, seg.start);
      const b = Math.min(from + n, seg.start + seg.length);
      if (b > a) out.set(seg.data.subarray(a - seg.start, b - seg.start), a - from);
    }
    return out;
  }

  private ms(samples: number): number {
    return (samples / this.sampleRate) * 1000;
  }

  private emit(ev: PlaybackEvent): void {
    try {
      this.onPlayed?.(ev);
    } catch (err) {
      log.warn("onPlayed handler failed", err);
    }
  }

  private wakeWaiters(): void {
    for (const w of [...this.waiters]) w();
    this.waiters.clear();
  }

  /** While audio is queued, wake up at the next start/end (at least every 50 ms, for clocks that are not real time). */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const now = this.nowSample();
    if (this.end <= now && this.waiters.size === 0) return;
    const seg = this.segments[0];
    const next = seg ? (seg.started ? seg.start + seg.length : seg.start) : this.end;
    const delay = Math.min(50, Math.max(1, this.ms(next - now)));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
      this.schedule();
    }, delay);
  }
}
