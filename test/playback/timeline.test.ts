import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type PlaybackEvent, createNullSink, createWavTimelineSink } from "../../src/audio/playback.js";
import { decodeWav } from "../../src/audio/wav.js";
import { tempDir } from "../helpers/env.js";

/** A clock the test moves by hand (ms). */
function fakeClock(): { t: number; now(): number } {
  const c = { t: 0, now: () => c.t };
  return c;
}

const tone = (seconds: number, rate: number, value: number): Float32Array =>
  new Float32Array(Math.round(seconds * rate)).fill(value);

/** Mean of samples in [fromMs, toMs) of a decoded file. */
function mean(samples: Float32Array, rate: number, fromMs: number, toMs: number): number {
  const a = Math.round((fromMs * rate) / 1000);
  const b = Math.round((toMs * rate) / 1000);
  let s = 0;
  for (let i = a; i < b; i++) s += samples[i]!;
  return s / (b - a);
}

describe("WAV timeline sink", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it("writes replies where they play, silence in the gaps, and cuts at clear()", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, "reply.wav");
    const clock = fakeClock();
    const rate = 8000;
    const sink = createWavTimelineSink(path, { clock, sampleRate: rate });
    expect(sink.kind).toBe("wav");

    clock.t = 100;
    sink.write(tone(0.5, rate, 0.25), rate); // plays 100..600
    clock.t = 300;
    sink.write(tone(0.2, rate, 0.5), rate); // queued after it: 600..800
    expect(sink.pendingMs).toBeCloseTo(500, 0);
    clock.t = 700;
    sink.clear(); // the second reply is cut at 700
    expect(sink.pendingMs).toBe(0);
    clock.t = 1000;
    sink.write(tone(0.1, 16000, -0.5), 16000); // another rate, resampled: 1000..1100
    clock.t = 1500;
    await sink.close();

    const wav = decodeWav(readFileSync(path));
    expect(wav.sampleRate).toBe(rate);
    expect(wav.channels).toHaveLength(1);
    const s = wav.channels[0]!;
    expect(s.length).toBe(1.5 * rate); // the whole timeline, creation to close
    expect(mean(s, rate, 0, 100)).toBe(0);
    expect(mean(s, rate, 100, 600)).toBeCloseTo(0.25, 3);
    expect(mean(s, rate, 600, 700)).toBeCloseTo(0.5, 3);
    expect(mean(s, rate, 700, 1000)).toBe(0);
    expect(mean(s, rate, 1000, 1100)).toBeCloseTo(-0.5, 3);
    expect(mean(s, rate, 1100, 1500)).toBe(0);
  });

  it("keeps audio still queued at close, as if it played", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, "queued.wav");
    const clock = fakeClock();
    const sink = createWavTimelineSink(path, { clock, sampleRate: 8000 });
    clock.t = 50;
    sink.write(tone(1, 8000, 0.1), 8000);
    clock.t = 200;
    await sink.close();
    const s = decodeWav(readFileSync(path)).channels[0]!;
    expect(s.length).toBe(Math.round(1.05 * 8000));
    expect(mean(s, 8000, 50, 1050)).toBeCloseTo(0.1, 3);
  });

  it("fails early on a path it cannot write", () => {
    expect(() => createWavTimelineSink("/nonexistent-dir/x/reply.wav")).toThrow(/cannot write/);
  });
});

describe("null sink", () => {
  it("reports pending audio and becomes idle as the clock passes it", async () => {
    const clock = fakeClock();
    const sink = createNullSink({ clock });
    expect(sink.kind).toBe("null");
    expect(sink.pendingMs).toBe(0);
    await sink.whenIdle(); // nothing queued: at once

    const events: PlaybackEvent[] = [];
    sink.onPlayed = (e) => events.push(e);
    const a = sink.write(tone(0.2, 22050, 0.1), 22050);
    const b = sink.write(tone(0.3, 22050, 0.1), 22050);
    expect(sink.pendingMs).toBeCloseTo(500, 0);
    let idle = false;
    const p = sink.whenIdle().then(() => (idle = true));
    clock.t = 100;
    expect(sink.pendingMs).toBeCloseTo(400, 0);
    clock.t = 300;
    expect(sink.pendingMs).toBeCloseTo(200, 0);
    expect(idle).toBe(false);
    clock.t = 600;
    await p;
    expect(idle).toBe(true);
    expect(events.map((e) => `${e.type}${e.seq}@${Math.round(e.at)}`)).toEqual([
      `start${a}@0`,
      `end${a}@200`,
      `start${b}@200`,
      `end${b}@500`,
    ]);

    // A write after a gap starts now, not after the old audio.
    clock.t = 1000;
    sink.write(tone(0.1, 22050, 0.1), 22050);
    expect(sink.pendingMs).toBeCloseTo(100, 0);
    await sink.close();
  });

  it("clear() drops what has not played and reports how much of each write was heard", async () => {
    const clock = fakeClock();
    const sink = createNullSink({ clock, sampleRate: 16000 });
    const events: PlaybackEvent[] = [];
    sink.onPlayed = (e) => events.push(e);
    sink.write(tone(0.4, 16000, 0.1), 16000);
    sink.write(tone(0.4, 16000, 0.1), 16000);
    clock.t = 150;
    sink.clear();
    expect(sink.pendingMs).toBe(0);
    await sink.whenIdle();
    const cuts = events.filter((e) => e.type === "cut");
    expect(cuts).toEqual([
      { type: "cut", seq: 0, at: 150, playedMs: 150, totalMs: 400 },
      { type: "cut", seq: 1, at: 150, playedMs: 0, totalMs: 400 },
    ]);
    await sink.close();
  });

  it("whenIdle rejects when its signal aborts, and resolves on close", async () => {
    const clock = fakeClock();
    const sink = createNullSink({ clock });
    sink.write(tone(1, 22050, 0.1), 22050);
    const ac = new AbortController();
    const aborted = sink.whenIdle(ac.signal);
    ac.abort();
    await expect(aborted).rejects.toThrow(/abort/i);
    const closing = sink.whenIdle();
    await sink.close();
    await expect(closing).resolves.toBeUndefined();
  });

  it("plays at real-time pace with the real clock", async () => {
    const sink = createNullSink();
    sink.write(tone(0.05, 22050, 0.1), 22050);
    expect(sink.pendingMs).toBeGreaterThan(0);
    await sink.whenIdle();
    expect(sink.pendingMs).toBe(0);
    await sink.close();
  });
});
