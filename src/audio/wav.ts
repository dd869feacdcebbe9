import { RoleplayError } from "../core/errors.js";
import { resample } from "./resample.js";

export { Resampler, resample } from "./resample.js";

/** Decoded WAV audio: one Float32Array per channel, values in [-1, 1]. */
export interface DecodedWav {
  sampleRate: number;
  channels: Float32Array[];
}

export class WavFormatError extends RoleplayError {
  constructor(message: string, hint = "Use a PCM (16/24/32-bit) or 32/64-bit float WAV file.") {
    super("WAV_FORMAT", message, { hint });
  }
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** The fmt chunk's fields that decoding needs. */
export interface WavFormat {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
}

/** Where a WAV's samples are: its format and the byte range of the data chunk. */
export interface WavLayout {
  format: WavFormat;
  dataStart: number;
  dataEnd: number;
}

/**
 * Walk the RIFF chunks of a WAV of `size` bytes, reading through `read(offset, length)` (which
 * returns fewer bytes at the end). Chunk sizes that are placeholders (streamed WAVs, e.g.
 * espeak-ng's stdout, write 0 or 0xFFFFFFFF) are not trusted: the data chunk runs to the end.
 */
export function findWavData(read: (offset: number, length: number) => Buffer, size: number): WavLayout {
  const head = read(0, 12);
  if (head.length < 12 || head.toString("ascii", 0, 4) !== "RIFF" || head.toString("ascii", 8, 12) !== "WAVE") {
    throw new WavFormatError("not a WAV file (no RIFF/WAVE header)");
  }
  let offset = 12;
  let format: WavFormat | undefined;
  while (offset + 8 <= size) {
    const h = read(offset, 8);
    if (h.length < 8) break;
    const id = h.toString("ascii", 0, 4);
    const declared = h.readUInt32LE(4);
    const body = offset + 8;
    if (id === "fmt ") {
      const f = read(body, 26);
      if (f.length < 16) throw new WavFormatError("truncated WAV fmt chunk");
      let tag = f.readUInt16LE(0);
      if (tag === WAVE_FORMAT_EXTENSIBLE && declared >= 40 && f.length >= 26) tag = f.readUInt16LE(24);
      format = { tag, channels: f.readUInt16LE(2), sampleRate: f.readUInt32LE(4), bits: f.readUInt16LE(14) };
    } else if (id === "data") {
      if (!format) throw new WavFormatError("WAV data chunk before fmt chunk");
      const trustworthy = declared > 0 && declared !== 0xffffffff && body + declared <= size;
      return { format, dataStart: body, dataEnd: trustworthy ? body + declared : size };
    }
    const chunk = declared === 0xffffffff ? size - body : declared;
    offset = body + chunk + (chunk % 2);
  }
  throw new WavFormatError("WAV file has no data chunk");
}

/** Check a format roleplay can decode; returns the bytes of one sample and of one frame. */
export function checkWavFormat(f: WavFormat): { bytes: number; frameBytes: number } {
  if (f.channels < 1 || f.channels > 64) throw new WavFormatError(`unsupported channel count ${f.channels}`);
  if (f.sampleRate < 1000 || f.sampleRate > 768_000)
    throw new WavFormatError(`unsupported sample rate ${f.sampleRate}`);
  const bytes = f.bits / 8;
  const isFloat = f.tag === WAVE_FORMAT_FLOAT;
  if (f.tag !== WAVE_FORMAT_PCM && !isFloat) throw new WavFormatError(`unsupported WAV encoding (format tag ${f.tag})`);
  if (isFloat ? bytes !== 4 && bytes !== 8 : ![1, 2, 3, 4].includes(bytes)) {
    throw new WavFormatError(`unsupported ${isFloat ? "float" : "PCM"} sample size: ${f.bits} bits`);
  }
  return { bytes, frameBytes: bytes * f.channels };
}

/** A reader of one sample at a byte offset, as a float in [-1, 1]. */
function sampleReader(f: WavFormat): (data: Buffer, at: number) => number {
  const bytes = f.bits / 8;
  if (f.tag === WAVE_FORMAT_FLOAT) return bytes === 4 ? (d, at) => d.readFloatLE(at) : (d, at) => d.readDoubleLE(at);
  if (bytes === 1) return (d, at) => (d[at]! - 128) / 128;
  if (bytes === 2) return (d, at) => d.readInt16LE(at) / 32768;
  if (bytes === 3) return (d, at) => d.readIntLE(at, 3) / 8388608;
  return (d, at) => d.readInt32LE(at) / 2147483648;
}

/** Decode a RIFF/WAVE buffer: 8/16/24/32-bit PCM and 32/64-bit float, any rate and channel count. */
export function decodeWav(buf: Buffer): DecodedWav {
  const { format: f, dataStart, dataEnd } = findWavData((o, n) => buf.subarray(o, o + n), buf.length);
  const { bytes, frameBytes } = checkWavFormat(f);
  const data = buf.subarray(dataStart, dataEnd);
  const read = sampleReader(f);
  const frames = Math.floor(data.length / frameBytes);
  const channels = Array.from({ length: f.channels }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < f.channels; c++) channels[c]![i] = read(data, i * frameBytes + c * bytes);
  }
  return { sampleRate: f.sampleRate, channels };
}

/**
 * The whole frames of interleaved sample bytes, channels averaged: the same values as decodeWav
 * then downmix, without a copy per channel.
 */
export function decodeWavMono(data: Buffer, f: WavFormat): Float32Array {
  const { bytes, frameBytes } = checkWavFormat(f);
  const read = sampleReader(f);
  const n = f.channels;
  const out = new Float32Array(Math.floor(data.length / frameBytes));
  for (let i = 0; i < out.length; i++) {
    if (n === 1) {
      out[i] = read(data, i * frameBytes);
      continue;
    }
    let acc = 0; // rounded as downmix's Float32Array sum is
    for (let c = 0; c < n; c++) acc = Math.fround(acc + Math.fround(read(data, i * frameBytes + c * bytes)) / n);
    out[i] = acc;
  }
  return out;
}

/** Average channels into one. */
export function downmix(channels: Float32Array[]): Float32Array {
  const first = channels[0];
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return first;
  const out = new Float32Array(first.length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i]! += ch[i]! / channels.length;
  return out;
}

/** Any decoded WAV to 16 kHz mono float32. */
export function toMono16k(wav: DecodedWav): Float32Array {
  return resample(downmix(wav.channels), wav.sampleRate, 16000);
}

/** Encode mono float32 samples as a 16-bit PCM WAV. */
export function encodeWav(samples: Float32Array, sampleRate: number): Buffer {
  const data = float32ToInt16(samples);
  return Buffer.concat([wavHeader(data.length, sampleRate), data]);
}

/**
 * The 44-byte header of a PCM WAV whose data chunk holds `dataBytes` bytes (sizes past 4 GiB are
 * clamped, as a file written while it grows may be).
 */
export function wavHeader(dataBytes: number, sampleRate: number, channels = 1, bits = 16): Buffer {
  const blockAlign = channels * (bits / 8);
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "ascii");
  h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  h.write("WAVE", 8, "ascii");
  h.write("fmt ", 12, "ascii");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bits, 34);
  h.write("data", 36, "ascii");
  h.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40);
  return h;
}

/** The parts one after another in one array. */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Convert 16-bit little-endian PCM bytes to float32. */
export function int16ToFloat32(buf: Buffer): Float32Array {
  const n = Math.floor(buf.length / 2);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readInt16LE(i * 2) / 32768;
  return out;
}

/** Convert float32 samples to 16-bit little-endian PCM bytes. */
export function float32ToInt16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), i * 2);
  }
  return out;
}
