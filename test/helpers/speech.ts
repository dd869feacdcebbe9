import { execFile, execFileSync } from "node:child_process";
import { decodeWav, toMono16k } from "../../src/audio/wav.js";
import { seededRandom } from "../../src/core/random.js";

/** Speech made with espeak-ng at known times, for VAD and ASR tests. 16 kHz mono float32. */
export const SPEECH_RATE = 16000;

let available: boolean | undefined;
/** Whether espeak-ng can be run (tests that need speech skip with a message otherwise). */
export function espeakAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync("espeak-ng", ["--version"], { stdio: "ignore", timeout: 10_000 });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}
export const ESPEAK_SKIP_REASON = "espeak-ng is not installed (apt install espeak-ng)";

export interface Clip {
  /** The speech with its leading and trailing silence trimmed. */
  samples: Float32Array;
  durationMs: number;
}

const cache = new Map<string, Promise<Clip>>();

/** Synthesize `text` with espeak-ng (cached within the run), resampled to 16 kHz and trimmed. */
export function speak(text: string, options: { voice?: string; wpm?: number } = {}): Promise<Clip> {
  const voice = options.voice ?? "en-us";
  const wpm = options.wpm ?? 160;
  const key = `${voice}|${wpm}|${text}`;
  let clip = cache.get(key);
  if (!clip) {
    clip = synthesize(text, voice, wpm);
    cache.set(key, clip);
    clip.catch(() => cache.delete(key));
  }
  return clip;
}

function synthesize(text: string, voice: string, wpm: number): Promise<Clip> {
  return new Promise((resolve, reject) => {
    const args = ["--stdout", "-v", voice, "-s", String(wpm), "--", text];
    const child = execFile(
      "espeak-ng",
      args,
      { encoding: "buffer", maxBuffer: 64 * 1024 ** 2, timeout: 60_000 },
      (err, stdout) => {
        if (err) return reject(new Error(`espeak-ng failed: ${err.message}`));
        try {
          const samples = trimSilence(toMono16k(decodeWav(stdout)));
          resolve({ samples, durationMs: (samples.length / SPEECH_RATE) * 1000 });
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    );
    child.on("error", () => {}); // reported through the callback
  });
}

/**
 * Cut leading and trailing silence: keep from the first to the last 5 ms window whose peak
 * exceeds `thresholdDbfs`. The result starts and ends on speech, so a clip placed at `atMs`
 * really starts there.
 */
export function trimSilence(samples: Float32Array, thresholdDbfs = -40): Float32Array {
  const threshold = 10 ** (thresholdDbfs / 20);
  const win = Math.round(SPEECH_RATE * 0.005);
  let first = -1;
  let last = -1;
  for (let at = 0; at < samples.length; at += win) {
    let peak = 0;
    for (let i = at; i < Math.min(at + win, samples.length); i++) peak = Math.max(peak, Math.abs(samples[i]!));
    if (peak >= threshold) {
      if (first < 0) first = at;
      last = Math.min(at + win, samples.length);
    }
  }
  return first < 0 ? new Float32Array(0) : samples.slice(first, last);
}

export interface LaidOutSegment {
  text: string;
  /** True start and end of the speech in the laid-out audio, in ms. */
  startMs: number;
  endMs: number;
}

export interface Layout {
  samples: Float32Array;
  segments: LaidOutSegment[];
  totalMs: number;
}

/**
 * Place spoken `segments` at `atMs` offsets in `totalMs` of silence (or white noise at
 * `noiseDbfs` RMS, deterministic), returning the audio and each segment's true extent.
 */
export async function layout(
  segments: { text: string; atMs: number }[],
  totalMs: number,
  options: { noiseDbfs?: number; seed?: number } = {},
): Promise<Layout> {
  const samples = new Float32Array(Math.round((totalMs * SPEECH_RATE) / 1000));
  if (options.noiseDbfs !== undefined) addWhiteNoise(samples, options.noiseDbfs, options.seed ?? 1);
  const placed: LaidOutSegment[] = [];
  for (const seg of segments) {
    const clip = await speak(seg.text);
    const at = Math.round((seg.atMs * SPEECH_RATE) / 1000);
    if (at + clip.samples.length > samples.length)
      throw new Error(`"${seg.text}" at ${seg.atMs} ms runs past ${totalMs} ms`);
    for (let i = 0; i < clip.samples.length; i++) samples[at + i]! += clip.samples[i]!;
    placed.push({ text: seg.text, startMs: seg.atMs, endMs: seg.atMs + clip.durationMs });
  }
  return { samples, segments: placed, totalMs };
}

/** Add deterministic white noise whose RMS is `dbfs` (uniform distribution, seeded). */
export function addWhiteNoise(samples: Float32Array, dbfs: number, seed = 1): void {
  const amplitude = 10 ** (dbfs / 20) * Math.sqrt(3); // RMS of uniform[-a, a] is a/sqrt(3)
  const random = seededRandom(seed);
  for (let i = 0; i < samples.length; i++) samples[i]! += (random() * 2 - 1) * amplitude;
}

/** RMS of samples in dBFS. */
export function rmsDbfs(samples: Float32Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return 10 * Math.log10(sum / Math.max(1, samples.length) || 1e-20);
}
