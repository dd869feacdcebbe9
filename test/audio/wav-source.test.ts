import { mkdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AudioFileError } from "../../src/audio/errors.js";
import type { Clock } from "../../src/audio/source.js";
import { WavFormatError, decodeWav, toMono16k } from "../../src/audio/wav.js";
import { createWavSource, loadWav16k } from "../../src/audio/wav-source.js";
import { tempDir } from "../helpers/env.js";

const tmp = tempDir("roleplay-wavsrc-");
afterAll(() => tmp.cleanup());

type Encoding = { bits: 8 | 16 | 24 | 32; float?: false } | { bits: 32 | 64; float: true };

/** Write a WAV file in any encoding; `channels[c][i]` in [-1, 1]. */
function writeWav(name: string, channels: Float32Array[], rate: number, enc: Encoding, extensible = false): string {
  const bytes = enc.bits / 8;
  const frames = channels[0]!.length;
  const data = Buffer.alloc(frames * channels.length * bytes);
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const v = Math.max(-1, Math.min(1, ch[i]!));
      if (enc.float) {
        if (enc.bits === 32) data.writeFloatLE(v, at);
        else data.writeDoubleLE(v, at);
      } else if (enc.bits === 8) data.writeUInt8(Math.round(v * 127 + 128), at);
      else if (enc.bits === 16) data.writeInt16LE(Math.round(v * 32767), at);
      else if (enc.bits === 24) data.writeIntLE(Math.round(v * 8388607), at, 3);
      else data.writeInt32LE(Math.round(v * 2147483647), at);
      at += bytes;
    }
  }
  const tag = enc.float ? 3 : 1;
  const fmt = Buffer.alloc(extensible ? 40 : 16);
  fmt.writeUInt16LE(extensible ? 0xfffe : tag, 0);
  fmt.writeUInt16LE(channels.length, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * channels.length * bytes, 8);
  fmt.writeUInt16LE(channels.length * bytes, 12);
  fmt.writeUInt16LE(enc.bits, 14);
  if (extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(enc.bits, 18);
    fmt.writeUInt16LE(tag, 24);
  }
  const chunk = (id: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.write(id, 0, "ascii");
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
  };
  const body = Buffer.concat([
    Buffer.from("WAVE"),
    chunk("fmt ", fmt),
    chunk("LIST", Buffer.from("INFOjunk")),
    chunk("data", data),
  ]);
  const file = join(tmp.dir, name);
  writeFileSync(file, Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4, 0), body]));
  return file;
}

const sine = (rate: number, seconds: number, hz = 440, amp = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** Frequency (from zero crossings) and peak of 16 kHz samples, ignoring the edges. */
function analyse(s: Float32Array): { hz: number; peak: number } {
  const mid = s.subarray(800, s.length - 800);
  let crossings = 0;
  let peak = 0;
  for (let i = 1; i < mid.length; i++) {
    if (mid[i - 1]! < 0 && mid[i]! >= 0) crossings++;
    peak = Math.max(peak, Math.abs(mid[i]!));
  }
  return { hz: (crossings * 16000) / mid.length, peak };
}

async function readAll(src: { stream(signal: AbortSignal): AsyncIterable<Float32Array> }): Promise<Float32Array[]> {
  const chunks: Float32Array[] = [];
  for await (const c of src.stream(new AbortController().signal)) chunks.push(c);
  return chunks;
}

describe("createWavSource decoding", () => {
  const cases: [string, number, number, Encoding, boolean?][] = [
    ["8-bit PCM 16 kHz", 16000, 1, { bits: 8 }],
    ["16-bit PCM 44.1 kHz", 44100, 1, { bits: 16 }],
    ["24-bit PCM 48 kHz stereo", 48000, 2, { bits: 24 }],
    ["32-bit PCM 22.05 kHz", 22050, 1, { bits: 32 }],
    ["32-bit float 48 kHz stereo", 48000, 2, { bits: 32, float: true }],
    ["64-bit float 8 kHz", 8000, 1, { bits: 64, float: true }],
    ["24-bit PCM extensible 96 kHz", 96000, 2, { bits: 24 }, true],
  ];
  it.each(cases)("%s becomes 16 kHz mono float32", async (name, rate, nch, enc, extensible) => {
    const channels = Array.from({ length: nch }, () => sine(rate, 1.5));
    const file = writeWav(`${name.replace(/\W+/g, "-")}.wav`, channels, rate, enc, extensible);
    const src = await createWavSource(file, { realtime: false });
    expect(src.samples.length).toBeGreaterThanOrEqual(23990);
    expect(src.samples.length).toBeLessThanOrEqual(24000);
    expect(src.durationMs).toBeCloseTo(1500, -1);
    const { hz, peak } = analyse(src.samples);
    expect(hz).toBeGreaterThan(430);
    expect(hz).toBeLessThan(450);
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.55);
    const chunks = await readAll(src);
    expect(chunks.slice(0, -1).every((c) => c.length === 512)).toBe(true);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(src.samples.length);
  });

  it("averages stereo channels", async () => {
    const left = sine(16000, 1);
    const file = writeWav("half.wav", [left, new Float32Array(left.length)], 16000, { bits: 16 });
    const src = await createWavSource(file, { realtime: false });
    expect(analyse(src.samples).peak).toBeCloseTo(0.25, 2);
  });

  it("gives clear errors for a missing, invalid or unsupported file", async () => {
    await expect(createWavSource(join(tmp.dir, "nope.wav"))).rejects.toThrow(AudioFileError);
    await expect(createWavSource(join(tmp.dir, "nope.wav"))).rejects.toThrow(/audio file not found/);
    mkdirSync(join(tmp.dir, "dir.wav"));
    await expect(createWavSource(join(tmp.dir, "dir.wav"))).rejects.toThrow(AudioFileError);
    writeFileSync(join(tmp.dir, "text.wav"), "hello");
    const err = await createWavSource(join(tmp.dir, "text.wav")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WavFormatError);
    expect((err as Error).message).toMatch(/^text\.wav: not a WAV file/);
    const odd = writeWav("odd.wav", [sine(16000, 0.1)], 16000, { bits: 16 });
    const buf = readFileSync(odd);
    buf.writeUInt16LE(2, 20); // ADPCM
    writeFileSync(odd, buf);
    await expect(createWavSource(odd)).rejects.toThrow(/unsupported WAV encoding/);
  });
});

describe("loadWav16k reads the file in blocks", () => {
  /** Two different channels with content up to the Nyquist frequency. */
  const signal = (rate: number, seconds: number, seed: number): Float32Array => {
    let s = seed;
    return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return 0.4 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.2 * (s / 2 ** 32 - 0.5);
    });
  };

  it.each([
    ["24-bit stereo 44.1 kHz", 44100, 2, { bits: 24 } as Encoding],
    ["16-bit mono 22.05 kHz", 22050, 1, { bits: 16 } as Encoding],
    ["float stereo 16 kHz", 16000, 2, { bits: 32, float: true } as Encoding],
    ["8-bit mono 8 kHz", 8000, 1, { bits: 8 } as Encoding],
  ])("%s: the same samples as decoding the whole file", async (name, rate, nch, enc) => {
    const channels = Array.from({ length: nch }, (_, c) => signal(rate, 0.7, c + 1));
    const file = writeWav(`blocks-${name.replace(/\W+/g, "-")}.wav`, channels, rate, enc);
    const whole = toMono16k(decodeWav(readFileSync(file)));
    for (const blockBytes of [1, 1001, 4096, 1 << 20]) {
      expect(await loadWav16k(file, { blockBytes }), `block ${blockBytes}`).toEqual(whole);
    }
  });

  it("refuses a file longer than 3 hours before decoding it", async () => {
    const file = writeWav("long.wav", [new Float32Array(10)], 1000, { bits: 8 });
    truncateSync(file, 3 * 3600 * 1000 + 1100); // data runs to the end of the file (sparse)
    const buf = readFileSync(file).subarray(0, 64);
    buf.writeUInt32LE(0xffffffff, buf.indexOf("data") + 4); // a streamed WAV's placeholder size
    writeFileSync(file, buf, { flag: "r+" });
    await expect(loadWav16k(file)).rejects.toThrow(AudioFileError);
    await expect(loadWav16k(file)).rejects.toThrow(/too long \(3\.0 hours/);
  });
});

/** A fake clock: sleeps advance virtual time, overshooting by `overshoot` ms like a busy machine. */
function fakeClock(overshoot = 0): Clock & { t: number; sleeps: number[] } {
  return {
    t: 1000,
    sleeps: [],
    now() {
      return this.t;
    },
    sleep(ms, signal) {
      this.sleeps.push(ms);
      this.t += ms + overshoot;
      return signal.aborted
        ? Promise.reject(Object.assign(new Error("aborted"), { name: "AbortError" }))
        : Promise.resolve();
    },
  };
}

describe("createWavSource real-time pacing", () => {
  const file = writeWav("pace.wav", [sine(16000, 1)], 16000, { bits: 16 }); // 1000 ms = 31.25 chunks

  it("releases chunk i when its last sample would have been captured, without drift", async () => {
    const clock = fakeClock(3);
    const src = await createWavSource(file, { clock });
    const times: number[] = [];
    for await (const _ of src.stream(new AbortController().signal)) times.push(clock.now() - 1000);
    expect(times).toHaveLength(32);
    times.forEach((t, i) => {
      const due = Math.min((i + 1) * 32, 1000);
      expect(t).toBeGreaterThanOrEqual(due);
      expect(t).toBeLessThanOrEqual(due + 3); // one overshoot, never accumulated
    });
    expect(clock.sleeps[0]).toBe(32);
    expect(clock.sleeps.slice(1, -1).every((ms) => ms === 29)).toBe(true); // each sleep makes up the last overshoot
  });

  it("catches up after a slow consumer instead of shifting the schedule", async () => {
    const clock = fakeClock();
    const src = await createWavSource(file, { clock });
    const times: number[] = [];
    for await (const _ of src.stream(new AbortController().signal)) {
      times.push(clock.now() - 1000);
      if (times.length === 5) clock.t += 200; // the consumer stalls for 200 ms
    }
    expect(times.slice(5, 12)).toEqual([360, 360, 360, 360, 360, 360, 384]);
    expect(times.at(-1)).toBe(1000);
  });

  it("yields as fast as consumed when realtime is false, and honours chunkMs", async () => {
    const clock = fakeClock();
    const src = await createWavSource(file, { clock, realtime: false, chunkMs: 100 });
    const chunks = await readAll(src);
    expect(clock.sleeps).toEqual([]);
    expect(chunks.map((c) => c.length)).toEqual(Array(10).fill(1600));
  });

  it("ends quietly when aborted, even mid-sleep", async () => {
    const ac = new AbortController();
    const clock = fakeClock();
    const src = await createWavSource(file, { clock });
    let n = 0;
    for await (const _ of src.stream(ac.signal)) if (++n === 3) ac.abort();
    expect(n).toBe(3);
  });
});
