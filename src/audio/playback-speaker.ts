import type { Writable } from "node:stream";
import { errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { float32ToInt16 } from "./wav.js";
import { type Clock, PlaybackError, TimelineSink } from "./playback-timeline.js";
import { probeOutputDevice } from "./probe.js";

const log = getLogger("playback.speaker");

export interface SpeakerSinkOptions {
  /** ALSA device (default: the system default). */
  device?: string;
  /** Device rate (default 22050); writes at other rates are resampled. */
  sampleRate?: number;
  /** Audio handed to the device ahead of the clock, in ms: what still plays after clear() (default 60). */
  leadMs?: number;
  /** Size of each write to the device, in ms (default 20). */
  sliceMs?: number;
  /** Probe the device in a child process first (default true). Only skip it if a probe already passed. */
  probe?: boolean;
  /** One-line notices for the user, e.g. when the device fails mid-run and the sink falls back to silence. */
  onNotice?: (message: string) => void;
  clock?: Clock;
}

/** The part of speaker's Writable the sink uses. */
export type SpeakerStream = Writable & { close(flush: boolean): unknown };
type SpeakerCtor = new (opts: Record<string, unknown>) => SpeakerStream;

/**
 * Plays through `speaker`, fed in small slices from our own queue: only `leadMs` of audio is ever
 * ahead of the clock, so clear() stops the sound within about one slice plus the lead. When the
 * device fails, the sink falls back to silence (kind "null") and says so once through onNotice.
 */
export class SpeakerSink extends TimelineSink {
  private sent = 0; // timeline samples already handed to the device
  private pump: NodeJS.Timeout | undefined;
  private readonly lead: number;
  private readonly slice: number;

  constructor(
    private speaker: SpeakerStream | undefined,
    private readonly opts: SpeakerSinkOptions,
  ) {
    super("speaker", opts.sampleRate ?? 22050, opts.clock);
    this.lead = Math.round(((opts.leadMs ?? 60) * this.sampleRate) / 1000);
    this.slice = Math.max(1, Math.round(((opts.sliceMs ?? 20) * this.sampleRate) / 1000));
    speaker?.on("error", (err: unknown) => this.fail(err));
    this.pump = setInterval(() => this.feed(), Math.max(5, Math.floor((opts.sliceMs ?? 20) / 2)));
    this.pump.unref();
    this.feed();
  }

  protected override committed(): number {
    return Math.max(this.nowSample(), this.sent);
  }

  private feed(): void {
    const sp = this.speaker;
    if (!sp || this.closed) return;
    // Never send audio for time that has passed; never keep more than the lead in the stream's own buffer.
    if (sp.writableLength > this.lead * 2) return;
    let from = Math.max(this.sent, this.nowSample());
    const target = this.nowSample() + this.lead;
    try {
      while (from < target) {
        const n = Math.min(this.slice, target - from);
        sp.write(float32ToInt16(this.render(from, n)));
        from += n;
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    this.sent = from;
    this.update();
  }

  private fail(err: unknown): void {
    if (!this.speaker) return;
    log.warn("audio output failed; continuing without sound", err);
    this.stopDevice();
    this.setKind("null");
    this.opts.onNotice?.(`Audio output failed (${errorMessage(err)}); continuing without sound.`);
  }

  private stopDevice(): Writable | undefined {
    if (this.pump) clearInterval(this.pump);
    this.pump = undefined;
    const sp = this.speaker;
    this.speaker = undefined;
    return sp;
  }

  override async close(): Promise<void> {
    const sp = this.stopDevice();
    await super.close();
    if (!sp) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      sp.once("close", () => {
        clearTimeout(t);
        resolve();
      });
      sp.once("error", () => undefined);
      try {
        sp.end();
      } catch {
        clearTimeout(t);
        resolve();
      }
    });
  }
}

/**
 * The speaker sink. `speaker` is imported only after a probe (in a child process) shows that an
 * output device works: loading it without one aborts the whole process. Throws PlaybackError.
 */
export async function createSpeakerSink(opts: SpeakerSinkOptions = {}): Promise<TimelineSink> {
  if (opts.probe !== false) {
    const probe = await probeOutputDevice({ device: opts.device });
    if (!probe.ok) {
      throw new PlaybackError("NO_OUTPUT_DEVICE", probe.reason, {
        hint: "Check the sound card (`aplay -l`), pick one with audio.outputDevice, or use --audio-out file.wav or none.",
      });
    }
  }
  let Speaker: SpeakerCtor;
  try {
    const mod = (await import("speaker")) as unknown as { default?: SpeakerCtor };
    Speaker = (mod.default ?? mod) as SpeakerCtor;
  } catch (err) {
    throw new PlaybackError("SPEAKER_MISSING", `the speaker module could not be loaded: ${errorMessage(err)}`, {
      hint: "Reinstall roleplay with its optional dependencies (npm install speaker), or use --audio-out file.wav.",
      cause: err,
    });
  }
  const rate = opts.sampleRate ?? 22050;
  const sliceSamples = Math.max(64, Math.round(((opts.sliceMs ?? 20) * rate) / 1000));
  let speaker: SpeakerStream;
  try {
    speaker = new Speaker({
      channels: 1,
      bitDepth: 16,
      sampleRate: rate,
      signed: true,
      samplesPerFrame: sliceSamples,
      ...(opts.device ? { device: opts.device } : {}),
    });
  } catch (err) {
    throw new PlaybackError("SPEAKER_OPEN", `the audio output could not be opened: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  return new SpeakerSink(speaker, opts);
}
