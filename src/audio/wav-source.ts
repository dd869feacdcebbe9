import { readSync } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { errorMessage, isAbortError } from "../core/errors.js";
import { AudioFileError } from "./errors.js";
import { CAPTURE_SAMPLE_RATE, systemClock, type CaptureSource, type Clock } from "./source.js";
import { Resampler, WavFormatError, checkWavFormat, decodeWavMono, findWavData } from "./wav.js";

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

/** The longest file loaded: 3 hours, about 700 MB as 16 kHz float32. */
const MAX_SECONDS = 3 * 3600;

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

export interface LoadWavOptions {
  /** Bytes read and decoded at a time (default 1 MiB). */
  blockBytes?: number;
}

/**
 * Read and decode a WAV file to 16 kHz mono float32, with clear errors. The file is read in blocks,
 * each decoded, downmixed and resampled as it comes, so memory holds only the result and one block;
 * the samples are the same as decoding the whole file at once.
 */
export async function loadWav16k(path: string, opts: LoadWavOptions = {}): Promise<Float32Array> {
  let file: FileHandle;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new AudioFileError(`${path} is not a file`);
    size = info.size;
    file = await open(path, "r");
  } catch (err) {
    if (err instanceof AudioFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AudioFileError(
      code === "ENOENT" ? `audio file not found: ${path}` : `cannot read ${path}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
  try {
    return await decodeFile(file, size, path, opts.blockBytes ?? 1 << 20);
  } catch (err) {
    if (err instanceof WavFormatError) throw new WavFormatError(`${basename(path)}: ${err.message}`, err.hint);
    if (err instanceof AudioFileError) throw err;
    throw new AudioFileError(`cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  } finally {
    await file.close().catch(() => undefined);
  }
}

async function decodeFile(file: FileHandle, size: number, path: string, blockBytes: number): Promise<Float32Array> {
  const layout = findWavData((offset, length) => {
    const b = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
    return b.subarray(0, readSync(file.fd, b, 0, b.length, offset));
  }, size);
  const f = layout.format;
  const { frameBytes } = checkWavFormat(f);
  const frames = Math.floor((layout.dataEnd - layout.dataStart) / frameBytes);
  if (frames / f.sampleRate > MAX_SECONDS) {
    const hours = (frames / f.sampleRate / 3600).toFixed(1);
    throw new AudioFileError(`${path} is too long (${hours} hours; the limit is ${MAX_SECONDS / 3600} hours)`, {
      hint: "Split the file into shorter parts.",
    });
  }
  const out = new Float32Array(Math.floor((frames * CAPTURE_SAMPLE_RATE) / f.sampleRate));
  const resampler = f.sampleRate === CAPTURE_SAMPLE_RATE ? undefined : new Resampler(f.sampleRate, CAPTURE_SAMPLE_RATE);
  const block = Buffer.alloc(Math.max(1, Math.floor(blockBytes / frameBytes)) * frameBytes);
  let written = 0;
  const put = (samples: Float32Array): void => {
    const n = Math.min(samples.length, out.length - written);
    out.set(samples.subarray(0, n), written);
    written += n;
  };
  for (let pos = layout.dataStart; pos + frameBytes <= layout.dataEnd;) {
    const want = Math.min(block.length, Math.floor((layout.dataEnd - pos) / frameBytes) * frameBytes);
    const { bytesRead } = await file.read(block, 0, want, pos);
    if (bytesRead <= 0) break; // the file shrank while being read
    const mono = decodeWavMono(block.subarray(0, bytesRead), f);
    put(resampler ? resampler.push(mono) : mono);
    pos += bytesRead - (bytesRead % frameBytes);
    if (bytesRead < frameBytes) break;
  }
  if (resampler) put(resampler.flush());
  return written === out.length ? out : out.slice(0, written);
}
