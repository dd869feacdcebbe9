import { closeSync, openSync, writeSync } from "node:fs";
import { errorMessage } from "../core/errors.js";
import { float32ToInt16, wavHeader } from "./wav.js";
import { type Clock, PlaybackError, type Segment, TimelineSink } from "./playback-timeline.js";

export interface WavTimelineOptions {
  /** Drives the timeline (default: real time from creation). */
  clock?: Clock;
  /** Rate of the file (default 22050); writes at other rates are resampled. */
  sampleRate?: number;
}

const SILENCE = Buffer.alloc(64 * 1024);

/**
 * `--audio-out reply.wav`: what would have been played, on a true timeline from the sink's creation
 * to close(): silence where nothing plays, replies where they would be heard, cut where clear()
 * cut them. Audio is written to the file as it "plays" (16-bit mono); close() writes the rest and
 * the header sizes.
 */
class WavTimelineSink extends TimelineSink {
  private written = 0; // samples in the data chunk so far
  private fd: number | undefined;

  constructor(fd: number, opts: WavTimelineOptions) {
    super("wav", opts.sampleRate ?? 22050, opts.clock);
    this.fd = fd;
  }

  protected override retire(seg: Segment, kept: number): void {
    if (kept <= 0 || this.fd === undefined) return;
    this.silenceTo(seg.start);
    this.append(float32ToInt16(seg.data.subarray(0, kept)));
    this.written = seg.start + kept;
  }

  private silenceTo(sample: number): void {
    let left = (sample - this.written) * 2;
    while (left > 0) {
      const n = Math.min(left, SILENCE.length);
      this.append(SILENCE.subarray(0, n));
      left -= n;
    }
    this.written = Math.max(this.written, sample);
  }

  private append(buf: Buffer): void {
    if (this.fd === undefined) return;
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }

  override async close(): Promise<void> {
    if (this.fd === undefined) return;
    const endOfTimeline = Math.max(this.nowSample(), ...this.segments.map((s) => s.start + s.length));
    await super.close();
    // Audio still queued is written as if it played; then silence up to the end of the timeline.
    for (const seg of this.segments) this.retire(seg, seg.length);
    this.segments = [];
    this.silenceTo(endOfTimeline);
    const fd = this.fd;
    this.fd = undefined;
    try {
      writeSync(fd, wavHeader(this.written * 2, this.sampleRate), 0, 44, 0);
    } finally {
      closeSync(fd);
    }
  }
}

/** Open `path` for writing now (so a bad path fails at start) and return the timeline sink. */
export function createWavTimelineSink(path: string, opts: WavTimelineOptions = {}): TimelineSink {
  let fd: number;
  try {
    fd = openSync(path, "w");
    writeSync(fd, wavHeader(0, opts.sampleRate ?? 22050));
  } catch (err) {
    throw new PlaybackError("AUDIO_OUT_FILE", `cannot write the audio output file ${path}: ${errorMessage(err)}`, {
      hint: "Check that the folder exists and is writable, or use --audio-out none.",
      cause: err,
    });
  }
  return new WavTimelineSink(fd, opts);
}
