import { closeSync, openSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { GGML_MAGIC, HPARAM_ORDER, tensorType, whisperTensorSpecs } from "./ggml-format.js";
import type { TensorSpec, WhisperHparams } from "./ggml-format.js";
import { seededRandom } from "../core/random.js";

/**
 * Writes a whisper.cpp ggml model with random weights: the real file layout (header, mel
 * filters, vocabulary, every tensor by name, shape and type), random numbers inside. It loads
 * and runs through whisper.cpp and prints gibberish: it proves plumbing, not accuracy. Used by
 * the tests (real tiny dimensions) and by the fast-build probe (a micro model).
 */

/** whisper tiny.en's real dimensions. */
export const TINY_EN_HPARAMS: WhisperHparams = {
  n_vocab: 51864,
  n_audio_ctx: 1500,
  n_audio_state: 384,
  n_audio_head: 6,
  n_audio_layer: 4,
  n_text_ctx: 448,
  n_text_state: 384,
  n_text_head: 6,
  n_text_layer: 4,
  n_mels: 80,
  ftype: 1,
};

/** Tokens stored in the file (GPT-2 byte-level BPE + <|endoftext|>); whisper.cpp adds the specials. */
const FILE_TOKENS = 50257;
const CHUNK = 1 << 22;

export interface WriteWhisperOptions {
  hparams: WhisperHparams;
  seed?: number;
  /**
   * Make end-of-text the decoder's favourite token, so a transcript stops after a token or two
   * (whisper suppresses end-of-text as the first token). A random decoder otherwise babbles up
   * to its 224-token limit on every pass, which makes tests slow. 0 turns it off. Default 10.
   */
  eotBias?: number;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float → IEEE half bits (round to nearest; enough for random weights). */
function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  // Rounding may carry into the exponent, which is what IEEE rounding does too.
  return (sign | (exp << 10) | ((x >>> 13) & 0x3ff)) + ((x >>> 12) & 1);
}

/** Slaney-style mel filterbank (librosa's default, which whisper uses): n_mels × 201 bins for n_fft 400 at 16 kHz. */
export function melFilters(nMels: number, nFft = 400, sampleRate = 16000): Float32Array {
  const bins = nFft / 2 + 1;
  const hzToMel = (f: number): number => (f < 1000 ? (3 * f) / 200 : 15 + (27 * Math.log(f / 1000)) / Math.log(6.4));
  const melToHz = (m: number): number => (m < 15 ? (200 * m) / 3 : 1000 * Math.exp(((m - 15) * Math.log(6.4)) / 27));
  const top = hzToMel(sampleRate / 2);
  const hz = Array.from({ length: nMels + 2 }, (_, i) => melToHz((top * i) / (nMels + 1)));
  const out = new Float32Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const [lo, mid, hi] = [hz[m]!, hz[m + 1]!, hz[m + 2]!];
    const norm = 2 / (hi - lo);
    for (let k = 0; k < bins; k++) {
      const f = (k * sampleRate) / nFft;
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      out[m * bins + k] = w * norm;
    }
  }
  return out;
}

/** GPT-2's byte order for its first 256 tokens: printable bytes first, then the rest (so " " is 220). */
const BYTE_ORDER: number[] = (() => {
  const first = [...range(33, 126), ...range(161, 172), ...range(174, 255)];
  return [...first, ...range(0, 255).filter((b) => !first.includes(b))];
})();

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/**
 * A deterministic, readable synthetic vocabulary: the 256 byte tokens where GPT-2 has them
 * (whisper.cpp looks up " " by text), non-ASCII bytes shown as letters, then syllable "words".
 */
function tokenText(i: number): string {
  if (i === FILE_TOKENS - 1) return "<|endoftext|>";
  if (i < 256) {
    const b = BYTE_ORDER[i]!;
    return b >= 32 && b <= 126 ? String.fromCharCode(b) : String.fromCharCode(97 + (b % 26));
  }
  const cons = "bdfgklmnprstvz";
  const vow = "aeiou";
  let n = i - 256;
  let word = n % 2 === 0 ? " " : "";
  n = Math.floor(n / 2);
  do {
    word += cons[n % cons.length]! + vow[Math.floor(n / cons.length) % vow.length]!;
    n = Math.floor(n / (cons.length * vow.length));
  } while (n > 0);
  return word;
}

/** How a tensor is filled: uniform noise around a centre value, scaled to its fan-in. */
function fill(spec: TensorSpec): { centre: number; spread: number } {
  const n = spec.name;
  if (/ln(_post)?\.weight$/.test(n)) return { centre: 1, spread: 0.05 };
  if (n.endsWith(".bias")) return { centre: 0, spread: 0.02 };
  if (n === "decoder.positional_embedding") return { centre: 0, spread: 0.02 };
  if (n === "decoder.token_embedding.weight") return { centre: 0, spread: 0.05 };
  const fanIn = spec.ne.length === 3 ? spec.ne[0]! * spec.ne[1]! : spec.ne[0]!;
  return { centre: 0, spread: Math.sqrt(3 / fanIn) };
}

function unitVector(n: number, rand: () => number): Float64Array {
  const v = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/**
 * The value of element `index` of a tensor. With an end-of-text bias, the decoder's final layer
 * norm gets a bias along one direction and the end-of-text embedding row points the same way.
 */
function filler(
  spec: TensorSpec,
  h: WhisperHparams,
  rand: () => number,
  dir: Float64Array,
  bias: number,
): (index: number) => number {
  const { centre, spread } = fill(spec);
  const noise = (): number => centre + (rand() * 2 - 1) * spread;
  const width = h.n_text_state;
  if (spec.name === "encoder.positional_embedding") return (i) => sinusoidAt(i, spec.ne[0]!);
  if (bias > 0 && spec.name === "decoder.ln.bias") return (i) => bias * dir[i]!;
  if (bias > 0 && spec.name === "decoder.token_embedding.weight") {
    const eot = h.n_vocab >= 51865 ? 50257 : 50256;
    return (i) => (Math.floor(i / width) === eot ? 0.2 * bias * dir[i % width]! : noise());
  }
  return noise;
}

/** The file's bytes, in order, in chunks of at most a few MB. */
export function* whisperGgmlChunks(options: WriteWhisperOptions): Generator<Buffer> {
  const h = options.hparams;
  const rand = seededRandom(options.seed ?? 1);
  const eotDir = unitVector(h.n_text_state, seededRandom((options.seed ?? 1) ^ 0x5eed));
  const head = Buffer.alloc(4 + 4 * HPARAM_ORDER.length + 8);
  head.writeUInt32LE(GGML_MAGIC, 0);
  HPARAM_ORDER.forEach((k, i) => head.writeInt32LE(h[k], 4 + 4 * i));
  head.writeInt32LE(h.n_mels, 4 + 4 * HPARAM_ORDER.length);
  head.writeInt32LE(201, 8 + 4 * HPARAM_ORDER.length);
  yield head;
  yield Buffer.from(melFilters(h.n_mels).buffer);

  const parts: Buffer[] = [Buffer.alloc(4)];
  parts[0]!.writeInt32LE(FILE_TOKENS);
  for (let i = 0; i < FILE_TOKENS; i++) {
    const text = Buffer.from(tokenText(i), "utf8");
    const len = Buffer.alloc(4);
    len.writeUInt32LE(text.length);
    parts.push(len, text);
  }
  yield Buffer.concat(parts);

  for (const spec of whisperTensorSpecs(h)) {
    const type = tensorType(spec.kind, h.ftype);
    if (type !== 0 && type !== 1) throw new Error(`the whisper model writer writes f32 or f16 only (ftype ${h.ftype})`);
    const name = Buffer.from(spec.name, "utf8");
    const rec = Buffer.alloc(12 + 4 * spec.ne.length);
    rec.writeInt32LE(spec.ne.length, 0);
    rec.writeInt32LE(name.length, 4);
    rec.writeInt32LE(type, 8);
    spec.ne.forEach((v, i) => rec.writeInt32LE(v, 12 + 4 * i));
    yield Buffer.concat([rec, name]);
    const total = spec.ne.reduce((x, y) => x * y, 1);
    const valueAt = filler(spec, h, rand, eotDir, options.eotBias ?? 10);
    for (let done = 0; done < total;) {
      const n = Math.min(CHUNK, total - done);
      const out = type === 0 ? new Float32Array(n) : new Uint16Array(n);
      for (let j = 0; j < n; j++) {
        const v = valueAt(done + j);
        out[j] = type === 0 ? v : toHalf(v);
      }
      yield Buffer.from(out.buffer, out.byteOffset, out.byteLength);
      done += n;
    }
  }
}

/** Write a random-weight whisper model; returns its size in bytes. */
export async function writeWhisperGgml(path: string, options: WriteWhisperOptions): Promise<{ size: number }> {
  const fh = await open(path, "w");
  let size = 0;
  try {
    for (const chunk of whisperGgmlChunks(options)) {
      await fh.write(chunk);
      size += chunk.length;
    }
  } finally {
    await fh.close();
  }
  return { size };
}

/** The same, synchronously (the fast-build probe runs before anything else). */
export function writeWhisperGgmlSync(path: string, options: WriteWhisperOptions): { size: number } {
  const fd = openSync(path, "w");
  let size = 0;
  try {
    for (const chunk of whisperGgmlChunks(options)) {
      for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off);
      size += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return { size };
}

/** Whisper's encoder positional embedding: sin for the first half of the channels, cos for the rest. */
function sinusoidAt(index: number, channels: number): number {
  const t = Math.floor(index / channels);
  const c = index % channels;
  const half = channels / 2;
  const k = c % half;
  const rate = Math.exp((-Math.log(10000) / (half - 1)) * k);
  return c < half ? Math.sin(t * rate) : Math.cos(t * rate);
}
