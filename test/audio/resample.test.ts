import { describe, expect, it } from "vitest";
import { Resampler, resample } from "../../src/audio/wav.js";

const tone = (rate: number, hz: number, seconds = 1): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));

/** Level of `x` in dB relative to a full-scale sine. */
function levelDb(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return 20 * Math.log10(Math.sqrt(sum / x.length) / Math.SQRT1_2);
}

/** A deterministic test signal with content at all frequencies. */
function noise(n: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

describe("resample", () => {
  it.each([
    [48000, 10000],
    [44100, 10000],
    [22050, 9000], // would alias to 7.05 kHz
    [96000, 12000],
  ])("filters a tone above the new Nyquist frequency when downsampling %i Hz to 16 kHz", (rate, hz) => {
    expect(levelDb(resample(tone(rate, hz), rate, 16000))).toBeLessThan(-30);
  });

  it.each([48000, 44100, 22050, 96000])("passes speech frequencies from %i Hz to 16 kHz", (rate) => {
    for (const hz of [300, 1000, 3000])
      expect(Math.abs(levelDb(resample(tone(rate, hz), rate, 16000)))).toBeLessThan(0.2);
  });

  it("gives floor(n * to / from) samples, and the input itself at the same rate", () => {
    expect(resample(new Float32Array(44100), 44100, 16000)).toHaveLength(16000);
    expect(resample(new Float32Array(1001), 48000, 16000)).toHaveLength(333);
    expect(resample(new Float32Array(16000), 16000, 22050)).toHaveLength(22050);
    const x = new Float32Array(10);
    expect(resample(x, 16000, 16000)).toBe(x);
    expect(resample(new Float32Array(0), 48000, 16000)).toHaveLength(0);
  });

  it("keeps a constant signal constant, edges included", () => {
    for (const [from, to] of [
      [48000, 16000],
      [22050, 16000],
      [16000, 22050],
    ] as const) {
      const out = resample(new Float32Array(5000).fill(0.5), from, to);
      for (const v of out) expect(v).toBeCloseTo(0.5, 5);
    }
  });

  it("interpolates linearly when upsampling", () => {
    expect(Array.from(resample(Float32Array.from([0, 1, 0, -1]), 1000, 2000))).toEqual([
      0, 0.5, 1, 0.5, 0, -0.5, -1, -1,
    ]);
  });
});

describe("Resampler", () => {
  it.each([
    [48000, 16000],
    [44100, 16000],
    [22050, 16000],
    [16000, 22050],
    [22050, 48000],
    [8000, 16000],
  ])("%i -> %i gives the same samples in blocks as at once", (from, to) => {
    const x = noise(30011);
    const whole = resample(x, from, to);
    for (const maxBlock of [1, 7, 500, 40000]) {
      const r = new Resampler(from, to);
      const parts: number[] = [];
      let seed = maxBlock;
      for (let at = 0; at < x.length;) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const n = 1 + (seed % maxBlock);
        parts.push(...r.push(x.subarray(at, at + n)));
        at += n;
      }
      parts.push(...r.flush());
      expect(Float32Array.from(parts)).toEqual(whole);
    }
  });
});
