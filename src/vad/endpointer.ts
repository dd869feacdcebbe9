/**
 * The endpointer: turns per-frame speech probabilities into utterances. Pure and synchronous;
 * times are on the input timeline (samples counted), never the wall clock.
 *
 * - Speech starts once `minSpeechMs` of frames scored >= `threshold` (gaps shorter than the
 *   hangover allowed); the utterance then includes `preRollMs` before its first speech frame.
 * - It ends after `silenceMs` of frames below `negThreshold` (the hangover: a comma pause does
 *   not end a turn); frames between the two thresholds neither start nor stop the silence.
 * - An utterance is cut at `maxUtteranceMs` (audio included); if speech goes on, a new one starts.
 */
export interface EndpointerOptions {
  threshold: number;
  negThreshold: number;
  minSpeechMs: number;
  preRollMs: number;
  silenceMs: number;
  maxUtteranceMs: number;
  sampleRate: number;
}

export const DEFAULT_ENDPOINTER_OPTIONS: EndpointerOptions = {
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechMs: 250,
  preRollMs: 300,
  silenceMs: 500,
  maxUtteranceMs: 30_000,
  sampleRate: 16000,
};

export type EndReason = "silence" | "max-length" | "flush";

export type EndpointerEvent =
  | {
      type: "speech-start";
      /** Start of the utterance's audio (pre-roll included), ms. */
      startMs: number;
      /** First speech frame (no pre-roll), ms. */
      speechStartMs: number;
      /** When speech was confirmed (end of the frame that reached minSpeechMs), ms. */
      detectedMs: number;
    }
  | {
      type: "speech-end";
      startMs: number;
      speechStartMs: number;
      /** End of the last speech frame (the hangover is not included), ms. */
      endMs: number;
      /** Samples from startMs to endMs (pre-roll included). */
      audio: Float32Array;
      reason: EndReason;
    }
  | { type: "level"; rms: number; dbfs: number; atMs: number };

interface Frame {
  start: number;
  data: Float32Array;
}

export class Endpointer {
  readonly options: EndpointerOptions;
  private history: Frame[] = [];
  private now = 0; // samples pushed so far
  private phase: "idle" | "pending" | "speaking" = "idle";
  private speechStart = 0; // first speech frame, samples
  private audioStart = 0; // speechStart minus pre-roll, samples
  private speechSamples = 0; // pending: samples scored >= threshold
  private silenceStart: number | undefined; // start of the current run below negThreshold
  private floor = 0; // end of the previous utterance: pre-roll never reaches back past it
  private readonly ms: (samples: number) => number;
  private readonly samples: (ms: number) => number;

  constructor(opts: Partial<EndpointerOptions> = {}) {
    const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
    this.options = { ...DEFAULT_ENDPOINTER_OPTIONS, ...defined };
    const o = this.options;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a number >= 0`);
    }
    if (!(o.sampleRate > 0)) throw new RangeError("sampleRate must be positive");
    if (o.negThreshold > o.threshold) throw new RangeError("negThreshold must not exceed threshold");
    if (o.maxUtteranceMs <= o.preRollMs) throw new RangeError("maxUtteranceMs must exceed preRollMs");
    this.ms = (n) => (n * 1000) / o.sampleRate;
    this.samples = (ms) => Math.round((ms * o.sampleRate) / 1000);
  }

  /** Feed one frame and its speech probability; returns the events it causes (a `level` first). */
  push(frame: Float32Array, prob: number): EndpointerEvent[] {
    const o = this.options;
    const start = this.now;
    const end = start + frame.length;
    this.history.push({ start, data: frame.slice() });
    this.now = end;
    const events: EndpointerEvent[] = [level(frame, this.ms(end))];
    const speech = prob >= o.threshold;
    const quiet = prob < o.negThreshold;

    if (this.phase === "idle") {
      if (speech) {
        this.phase = "pending";
        this.speechStart = start;
        this.audioStart = Math.max(this.floor, start - this.samples(o.preRollMs));
        this.speechSamples = 0;
        this.silenceStart = undefined;
      } else this.trim(end - this.samples(o.preRollMs));
    }
    if (this.phase === "pending") {
      if (speech) this.speechSamples += frame.length;
      this.track(speech, quiet, start);
      const blip = this.silenceStart !== undefined && end - this.silenceStart >= this.samples(o.silenceMs);
      if (blip || end - this.audioStart >= this.samples(o.maxUtteranceMs)) {
        this.phase = "idle"; // too little speech to be an utterance
        this.trim(end - this.samples(o.preRollMs));
      } else if (this.speechSamples >= this.samples(o.minSpeechMs)) {
        this.phase = "speaking";
        events.push({ type: "speech-start", ...this.starts(), detectedMs: this.ms(end) });
      }
    } else if (this.phase === "speaking") {
      this.track(speech, quiet, start);
      if (this.silenceStart !== undefined && end - this.silenceStart >= this.samples(o.silenceMs)) {
        events.push(this.finish(this.silenceStart, "silence"));
      }
    }
    if (this.phase === "speaking" && end - this.audioStart >= this.samples(o.maxUtteranceMs)) {
      const continues = this.silenceStart === undefined;
      events.push(this.finish(this.silenceStart ?? end, "max-length"));
      if (continues) {
        this.phase = "speaking";
        this.speechStart = this.audioStart = end;
        events.push({ type: "speech-start", ...this.starts(), detectedMs: this.ms(end) });
      }
    }
    return events;
  }

  /** End of input: an utterance in progress ends with reason "flush"; unconfirmed speech is dropped. */
  flush(): EndpointerEvent[] {
    const events: EndpointerEvent[] = [];
    if (this.phase === "speaking") events.push(this.finish(this.silenceStart ?? this.now, "flush"));
    this.phase = "idle";
    this.trim(this.now - this.samples(this.options.preRollMs));
    return events;
  }

  /** Forget everything, including the timeline (a new stream starts at 0 ms). */
  reset(): void {
    this.history = [];
    this.now = 0;
    this.floor = 0;
    this.phase = "idle";
    this.silenceStart = undefined;
    this.speechSamples = 0;
  }

  private track(speech: boolean, quiet: boolean, frameStart: number): void {
    if (speech) this.silenceStart = undefined;
    else if (quiet && this.silenceStart === undefined) this.silenceStart = frameStart;
  }

  private starts(): { startMs: number; speechStartMs: number } {
    return { startMs: this.ms(this.audioStart), speechStartMs: this.ms(this.speechStart) };
  }

  private finish(endSample: number, reason: EndReason): EndpointerEvent {
    const audio = this.slice(this.audioStart, endSample);
    const event: EndpointerEvent = { type: "speech-end", ...this.starts(), endMs: this.ms(endSample), audio, reason };
    this.phase = "idle";
    this.silenceStart = undefined;
    this.floor = endSample;
    this.trim(this.now - this.samples(this.options.preRollMs));
    return event;
  }

  /** Drop history that ends at or before `sample`. */
  private trim(sample: number): void {
    let drop = 0;
    while (drop < this.history.length && this.history[drop]!.start + this.history[drop]!.data.length <= sample) drop++;
    if (drop > 0) this.history.splice(0, drop);
  }

  private slice(from: number, to: number): Float32Array {
    const out = new Float32Array(Math.max(0, to - from));
    for (const f of this.history) {
      const a = Math.max(from, f.start);
      const b = Math.min(to, f.start + f.data.length);
      if (b > a) out.set(f.data.subarray(a - f.start, b - f.start), a - from);
    }
    return out;
  }
}

function level(frame: Float32Array, atMs: number): EndpointerEvent {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i]! * frame[i]!;
  const rms = frame.length > 0 ? Math.sqrt(sum / frame.length) : 0;
  return { type: "level", rms, dbfs: rms > 1e-5 ? Math.max(-100, 20 * Math.log10(rms)) : -100, atMs };
}
