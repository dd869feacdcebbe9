import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { errorMessage, isAbortError } from "../core/errors.js";
import { AudioFileError } from "./errors.js";
import { CAPTURE_SAMPLE_RATE, systemClock, type CaptureSource, type Clock } from "./source.js";
import { decodeWav, toMono16k, WavFormatError } from "./wav.js";

export interface WavSourceOptions {
  /** Feed chunks at the pace of a microphone (default true); false yields as fast as consumed. */
  realtime?: boolean;
  /** Chunk length in milliseconds (default 32: 512 samples at 16 kHz). */
  chunkMs?: number;
  /** Clock for real-time pacing (tests inject a fake one). */
  clock?: Clock;
}

export interface WavSource extends CaptureSource {
  /** The whole file as 16 kHz mono float32. */
  readonly samples: Float32Array;
  readonly durationMs: number;
}

/** Refuse to load absurdly large files into memory (about 3 hours of 48 kHz stereo 16-bit). */
const MAX_FILE_BYTES = 2 * 1024 ** 3;

/**
 * A WAV file as a capture source: any rate and channel count, 8/16/24/32-bit PCM or 32/64-bit
 * float, converted to 16 kHz mono. In real time, chunk i is released when its last sample would
 * have been captured (start + (i+1)·chunk), scheduled against the start time so it never drifts.
 */
export async function createWavSource(path: string, options: WavSourceOptions = {}): Promise<WavSource> {
  const samples = await loadWav16k(path);
  const realtime = options.realtime ?? true;
  const chunkMs = options.chunkMs ?? 32;
  if (!(chunkMs > 0)) throw new RangeError(`chunkMs must be positive, got ${chunkMs}`);
  const clock = options.clock ?? systemClock;
  const chunkSamples = Math.max(1, Math.round((chunkMs * CAPTURE_SAMPLE_RATE) / 1000));
  const durationMs = (samples.length / CAPTURE_SAMPLE_RATE) * 1000;

  async function* stream(signal: AbortSignal): AsyncGenerator<Float32Array> {
    const start = clock.now();
    for (let at = 0; at < samples.length; at += chunkSamples) {
      if (signal.aborted) return;
      const chunk = samples.slice(at, Math.min(at + chunkSamples, samples.length));
      if (realtime) {
        const due = start + ((at + chunk.length) / CAPTURE_SAMPLE_RATE) * 1000;
        const wait = due - clock.now();
        if (wait > 0) {
          try {
            await clock.sleep(wait, signal);
          } catch (err) {
            if (isAbortError(err)) return;
            throw err;
          }
        }
        if (signal.aborted) return;
      }
      yield chunk;
    }
  }

  return {
    description: `file ${basename(path)}${realtime ? "" : " (fast)"}`,
    samples,
    durationMs,
    stream,
    dispose: async () => {},
  };
}

/** Read and decode a WAV file to 16 kHz mono float32, with clear errors. */
export async function loadWav16k(path: string): Promise<Float32Array> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new AudioFileError(`${path} is not a file`);
    size = info.size;
  } catch (err) {
    if (err instanceof AudioFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AudioFileError(
      code === "ENOENT" ? `audio file not found: ${path}` : `cannot read ${path}: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  if (size > MAX_FILE_BYTES)
    throw new AudioFileError(`${path} is too large (${size} bytes)`, { hint: "Split the file." });
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new AudioFileError(`cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    return toMono16k(decodeWav(buf));
  } catch (err) {
    if (err instanceof WavFormatError) throw new WavFormatError(`${basename(path)}: ${err.message}`, err.hint);
    throw err;
  }
}
