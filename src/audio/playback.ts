import { getLogger } from "../core/log.js";
import { type Clock, type PlaybackSink, PlaybackError, TimelineSink } from "./playback-timeline.js";
import { createSpeakerSink } from "./playback-speaker.js";
import { createWavTimelineSink } from "./playback-wav.js";

export { type Clock, type PlaybackEvent, type PlaybackSink, PlaybackError, realClock } from "./playback-timeline.js";
export { createSpeakerSink, type SpeakerSinkOptions } from "./playback-speaker.js";
export { createWavTimelineSink, type WavTimelineOptions } from "./playback-wav.js";
export { probeOutputDevice, type ProbeResult } from "./probe.js";

const log = getLogger("playback");

/** Plays nowhere, at real-time pace: pendingMs, whenIdle and onPlayed behave as if a speaker played it. */
export function createNullSink(opts: { clock?: Clock; sampleRate?: number } = {}): PlaybackSink {
  return new TimelineSink("null", opts.sampleRate ?? 22050, opts.clock);
}

export interface OpenPlaybackOptions {
  /** Config `audio.output`: "speaker", "none", or the path of a WAV file to write (default "speaker"). */
  output?: string;
  /** Config `audio.outputDevice`. */
  device?: string;
  /** For the WAV and null sinks: the timeline's clock (default real time). */
  clock?: Clock;
  sampleRate?: number;
  /** One-line notices for the user (no output device: text only; device failed mid-run). */
  onNotice?: (message: string) => void;
}

/**
 * The sink for `audio.output`: a WAV timeline for a path, nothing for "none", the speaker otherwise:
 * when no output device works, replies are text only (a null sink) and onNotice says so once.
 */
export async function openPlaybackSink(opts: OpenPlaybackOptions = {}): Promise<PlaybackSink> {
  const output = opts.output ?? "speaker";
  if (output === "none" || output === "off") return createNullSink(opts);
  if (output !== "speaker") return createWavTimelineSink(output, { clock: opts.clock, sampleRate: opts.sampleRate });
  try {
    return await createSpeakerSink({ device: opts.device, sampleRate: opts.sampleRate, onNotice: opts.onNotice });
  } catch (err) {
    if (!(err instanceof PlaybackError)) throw err;
    log.warn("no audio output; text only", err);
    opts.onNotice?.(`No audio output (${err.message}); replies are text only.`);
    return createNullSink(opts);
  }
}
