import { RoleplayError } from "../core/errors.js";

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

/**
 * Decode a RIFF/WAVE buffer: 8/16/24/32-bit PCM and 32/64-bit float, any rate and channel count.
 * Chunk sizes that are placeholders (streamed WAVs, e.g. espeak-ng's stdout, write 0 or 0xFFFFFFFF)
 * are not trusted: the data chunk runs to the end of the buffer.
 */
export function decodeWav(buf: Buffer): DecodedWav {
  if (buf.length < 12 || buf.toString("ascii", 0, 4) !== "RIFF" || buf.toString("ascii", 8, 12) !== "WAVE") {
    throw new WavFormatError("not a WAV file (no RIFF/WAVE header)");
  }
  let offset = 12;
  let format: { tag: number; channels: number; sampleRate: number; bits: number } | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString("ascii", offset, offset + 4);
    const declared = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      if (body + 16 > buf.length) throw new WavFormatError("truncated WAV fmt chunk");
      let tag = buf.readUInt16LE(body);
      const channels = buf.readUInt16LE(body + 2);
      const sampleRate = buf.readUInt32LE(body + 4);
      const bits = buf.readUInt16LE(body + 14);
      if (tag === WAVE_FORMAT_EXTENSIBLE && declared >= 40 && body + 26 <= buf.length)
        tag = buf.readUInt16LE(body + 24);
      format = { tag, channels, sampleRate, bits };
    } else if (id === "data") {
      if (!format) throw new WavFormatError("WAV data chunk before fmt chunk");
      const trustworthy = declared > 0 && declared !== 0xffffffff && body + declared <= buf.length;
      const end = trustworthy ? body + declared : buf.length;
      return decodeSamples(buf.subarray(body, end), format);
    }
    const size = declared === 0xffffffff ? buf.length - body : declared;
    offset = body + size + (size % 2);
  }
  throw new WavFormatError("WAV file has no data chunk");
}

function decodeSamples(
  data: Buffer,
  f: { tag: number; channels: number; sampleRate: number; bits: number },
): DecodedWav {
  if (f.channels < 1 || f.channels > 64) throw new WavFormatError(`unsupported channel count ${f.channels}`);
  if (f.sampleRate < 1000 || f.sampleRate > 768_000)
    throw new WavFormatError(`unsupported sample rate ${f.sampleRate}`);
  const bytes = f.bits / 8;
  const isFloat = f.tag === WAVE_FORMAT_FLOAT;
  if (f.tag !== WAVE_FORMAT_PCM && !isFloat) throw new WavFormatError(`unsupported WAV encoding (format tag ${f.tag})`);
  if (isFloat ? bytes !== 4 && bytes !== 8 : ![1, 2, 3, 4].includes(bytes)) {
    throw new WavFormatError(`unsupported ${isFloat ? "float" : "PCM"} sample size: ${f.bits} bits`);
  }
  const frameBytes = bytes * f.channels;
  const frames = Math.floor(data.length / frameBytes);
  const channels = Array.from({ length: f.channels }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < f.channels; c++) {
      const at = i * frameBytes + c * bytes;
      let v: number;
      if (isFloat) v = bytes === 4 ? data.readFloatLE(at) : data.readDoubleLE(at);
      else if (bytes === 1) v = (data[at]! - 128) / 128;
      else if (bytes === 2) v = data.readInt16LE(at) / 32768;
      else if (bytes === 3) v = data.readIntLE(at, 3) / 8388608;
      else v = data.readInt32LE(at) / 2147483648;
      channels[c]![i] = v;
    }
  }
  return { sampleRate: f.sampleRate, channels };
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

/**
 * Resample with linear interpolation after a simple low-pass (moving average) when downsampling.
 * Good enough for speech into VAD and whisper; not meant for music.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate || input.length === 0) return input;
  let src = input;
  const ratio = fromRate / toRate;
  if (ratio > 1.5) {
    const width = Math.max(1, Math.round(ratio));
    src = new Float32Array(input.length);
    let acc = 0;
    for (let i = 0; i < input.length; i++) {
      acc += input[i]!;
      if (i >= width) acc -= input[i - width]!;
      src[i] = acc / Math.min(i + 1, width);
    }
  }
  const outLength = Math.floor(input.length / ratio);
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const pos = i * ratio;
    const i0 = Math.floor(pos);
    const frac = pos - i0;
    const a = src[i0] ?? 0;
    const b = src[i0 + 1] ?? a;
    out[i] = a + (b - a) * frac;
  }
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
