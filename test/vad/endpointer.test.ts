import { describe, expect, it } from "vitest";
import { Endpointer, type EndpointerEvent, type EndpointerOptions } from "../../src/vad/endpointer.js";

const FRAME = 512; // 32 ms at 16 kHz

/** Drive the endpointer with a probability per frame; each frame's samples hold its index. */
function drive(probs: number[], opts: Partial<EndpointerOptions> = {}): EndpointerEvent[] {
  const ep = new Endpointer(opts);
  const events: EndpointerEvent[] = [];
  probs.forEach((p, i) => events.push(...ep.push(new Float32Array(FRAME).fill(i / 1000), p)));
  events.push(...ep.flush());
  return events.filter((e) => e.type !== "level");
}

const frames = (n: number, p: number): number[] => Array<number>(n).fill(p);
const ms = (f: number): number => f * 32;

describe("Endpointer", () => {
  it("starts after minSpeechMs with pre-roll, ends after the silence hangover", () => {
    const events = drive([...frames(20, 0.05), ...frames(30, 0.9), ...frames(40, 0.05)]);
    expect(events.map((e) => e.type)).toEqual(["speech-start", "speech-end"]);
    const [start, end] = events;
    if (start?.type !== "speech-start" || end?.type !== "speech-end") throw new Error("unexpected events");
    expect(start.speechStartMs).toBe(ms(20));
    expect(start.startMs).toBe(ms(20) - 300);
    expect(start.detectedMs).toBe(ms(20 + 8)); // 8 frames = 256 ms >= 250 ms
    expect(end.reason).toBe("silence");
    expect(end.endMs).toBe(ms(50));
    expect(end.audio.length).toBe(((end.endMs - end.startMs) * 16000) / 1000);
    // The audio is the input: its first pre-roll sample comes from frame 10 (640 ms - 300 ms = 340 ms).
    expect(end.audio[0]).toBeCloseTo(10 / 1000);
    expect(end.audio.at(-1)).toBeCloseTo(49 / 1000);
  });

  it("keeps one utterance across a pause shorter than the hangover", () => {
    const events = drive([
      ...frames(5, 0),
      ...frames(20, 0.9),
      ...frames(12, 0.1),
      ...frames(20, 0.9),
      ...frames(30, 0),
    ]);
    expect(events.map((e) => e.type)).toEqual(["speech-start", "speech-end"]);
  });

  it("splits at a pause longer than the hangover", () => {
    const events = drive([
      ...frames(5, 0),
      ...frames(20, 0.9),
      ...frames(20, 0.1),
      ...frames(20, 0.9),
      ...frames(30, 0),
    ]);
    expect(events.map((e) => e.type)).toEqual(["speech-start", "speech-end", "speech-start", "speech-end"]);
  });

  it("ignores blips shorter than minSpeechMs", () => {
    const probs = [...frames(10, 0), ...frames(3, 0.9), ...frames(30, 0), ...frames(2, 0.95), ...frames(30, 0)];
    expect(drive(probs)).toEqual([]);
  });

  it("frames between the thresholds neither start nor end speech", () => {
    expect(drive(frames(100, 0.45))).toEqual([]);
    const events = drive([...frames(10, 0.9), ...frames(60, 0.45), ...frames(20, 0)]);
    expect(events.map((e) => e.type)).toEqual(["speech-start", "speech-end"]);
    const end = events[1];
    if (end?.type !== "speech-end") throw new Error("no end");
    expect(end.endMs).toBe(ms(70));
  });

  it("cuts at maxUtteranceMs and continues when speech goes on", () => {
    const events = drive([...frames(200, 0.9), ...frames(30, 0)], { maxUtteranceMs: 3000, preRollMs: 0 });
    const ends = events.filter((e) => e.type === "speech-end");
    expect(ends.map((e) => e.reason)).toEqual(["max-length", "max-length", "silence"]);
    for (const e of ends) expect(e.endMs - e.startMs).toBeLessThanOrEqual(3000 + 32);
    expect(ends[1]!.startMs).toBe(ends[0]!.endMs);
    expect(ends[2]!.endMs).toBe(ms(200));
  });

  it("flush ends an utterance in progress and drops unconfirmed speech", () => {
    const events = drive([...frames(5, 0), ...frames(20, 0.9)]);
    expect(events.map((e) => (e.type === "speech-end" ? e.reason : e.type))).toEqual(["speech-start", "flush"]);
    expect(drive([...frames(5, 0), ...frames(3, 0.9)])).toEqual([]);
  });

  it("pre-roll never reaches back into the previous utterance", () => {
    const events = drive([...frames(20, 0.9), ...frames(16, 0), ...frames(20, 0.9), ...frames(30, 0)], {
      preRollMs: 1000,
      silenceMs: 500,
    });
    const ends = events.filter((e) => e.type === "speech-end");
    expect(ends).toHaveLength(2);
    expect(ends[1]!.startMs).toBe(ends[0]!.endMs);
  });

  it("reports the level of every frame", () => {
    const ep = new Endpointer({});
    const loud = ep.push(new Float32Array(FRAME).fill(0.5), 0)[0];
    const silent = ep.push(new Float32Array(FRAME), 0)[0];
    expect(loud).toMatchObject({ type: "level", atMs: 32 });
    if (loud?.type !== "level" || silent?.type !== "level") throw new Error("no level");
    expect(loud.rms).toBeCloseTo(0.5);
    expect(loud.dbfs).toBeCloseTo(-6.02, 1);
    expect(silent.dbfs).toBe(-100);
  });

  it("accepts frames of any length, counting time in samples", () => {
    const ep = new Endpointer({ minSpeechMs: 100, preRollMs: 0 });
    const events: EndpointerEvent[] = [];
    for (let i = 0; i < 50; i++) events.push(...ep.push(new Float32Array(160), i >= 10 && i < 30 ? 0.9 : 0));
    events.push(...ep.flush());
    const end = events.find((e) => e.type === "speech-end");
    expect(end).toMatchObject({ speechStartMs: 100, endMs: 300, reason: "flush" });
  });

  it("reset starts a new timeline", () => {
    const ep = new Endpointer({});
    for (let i = 0; i < 20; i++) ep.push(new Float32Array(FRAME), 0.9);
    ep.reset();
    const events: EndpointerEvent[] = [];
    for (let i = 0; i < 10; i++) events.push(...ep.push(new Float32Array(FRAME), 0.9));
    expect(events.find((e) => e.type === "speech-start")).toMatchObject({ speechStartMs: 0, startMs: 0 });
  });

  it("rejects inconsistent options", () => {
    expect(() => new Endpointer({ threshold: 0.3, negThreshold: 0.5 })).toThrow(RangeError);
    expect(() => new Endpointer({ maxUtteranceMs: 100, preRollMs: 300 })).toThrow(RangeError);
    expect(() => new Endpointer({ silenceMs: Number.NaN })).toThrow(RangeError);
    expect(new Endpointer({ silenceMs: undefined }).options.silenceMs).toBe(500); // unset config keys keep defaults
  });
});
