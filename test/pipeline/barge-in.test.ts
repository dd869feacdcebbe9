import { describe, expect, it } from "vitest";
import { BargeInDetector } from "../../src/pipeline/barge-in.js";

function run(d: BargeInDetector, frames: Array<{ db: number; speaking: boolean }>, startAt = 0): number | undefined {
  let at = startAt;
  for (const f of frames) {
    if (d.level(f.db, at, true, f.speaking)) return at;
    at += 32;
  }
  return undefined;
}

const repeat = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

describe("BargeInDetector", () => {
  it("with headphones, fires after the minimum speech time", () => {
    const d = new BargeInDetector({ enabled: true, minSpeechMs: 300, headphones: true });
    d.speechStart(0, true);
    expect(run(d, repeat(20, { db: -30, speaking: true }))).toBe(320);
  });

  it("with loudspeakers, ignores speech no louder than the learnt echo", () => {
    const d = new BargeInDetector({ enabled: true, minSpeechMs: 300, headphones: false });
    run(d, repeat(100, { db: -30, speaking: true })); // playback echo at about -30 dBFS
    d.speechStart(3200, true);
    expect(run(d, repeat(30, { db: -29, speaking: true }), 3200)).toBeUndefined();
    d.speechEnd();
    expect(d.acceptUtterance()).toBe(false);
  });

  it("with loudspeakers, fires when the user is clearly louder than the echo", () => {
    const d = new BargeInDetector({ enabled: true, minSpeechMs: 300, headphones: false });
    run(d, repeat(100, { db: -40, speaking: true }));
    d.speechStart(3200, true);
    expect(run(d, repeat(30, { db: -15, speaking: true }), 3200)).toBeGreaterThanOrEqual(3200 + 300);
    expect(d.acceptUtterance()).toBe(true);
  });

  it("while the agent only thinks, the VAD alone decides", () => {
    const d = new BargeInDetector({ enabled: true, minSpeechMs: 200, headphones: false });
    d.speechStart(0, false);
    expect(run(d, repeat(20, { db: -50, speaking: false }))).toBe(224);
  });

  it("never fires when disabled, and accepts speech that outlasts playback", () => {
    const d = new BargeInDetector({ enabled: false, minSpeechMs: 200, headphones: false });
    d.speechStart(0, true);
    expect(
      run(d, [...repeat(5, { db: -20, speaking: true }), ...repeat(20, { db: -20, speaking: false })]),
    ).toBeUndefined();
    expect(d.acceptUtterance()).toBe(true);
  });
});
