import { describe, expect, it } from "vitest";
import { initialView, median, reduceView } from "../../src/core/conversation.js";
import type { SessionEvent } from "../../src/core/events.js";

describe("conversation view reducer", () => {
  it("builds messages from a stream of events", () => {
    const events: SessionEvent[] = [
      { type: "user", turnId: 1, text: "hi", source: "text" },
      { type: "delta", turnId: 1, text: "Hel" },
      { type: "delta", turnId: 1, text: "lo" },
    ];
    let v = events.reduce(reduceView, initialView());
    expect(v.streaming).toEqual({ turnId: 1, text: "Hello" });
    v = reduceView(v, { type: "reply", turnId: 1, text: "Hello", interrupted: true });
    v = reduceView(v, { type: "turn", turnId: 1, timings: { totalMs: 10, tokens: 2, firstTokenMs: 5 } });
    expect(v.streaming).toBeUndefined();
    expect(v.messages.map((m) => [m.role, m.text, m.interrupted])).toEqual([
      ["user", "hi", undefined],
      ["assistant", "Hello", true],
    ]);
    expect(v.recentFirstToken).toEqual([5]);
    v = reduceView(v, { type: "cleared", greeting: "Hey" });
    expect(v.messages).toHaveLength(1);
    expect(v.epoch).toBe(1);
  });

  it("median", () => {
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe("a reply that fails midway", () => {
  it("keeps what was said, marked interrupted, and clears the live line", () => {
    let v = initialView();
    v = reduceView(v, { type: "user", turnId: 3, text: "go", source: "text" });
    v = reduceView(v, { type: "delta", turnId: 3, text: "Half a" });
    v = reduceView(v, { type: "error", turnId: 3, message: "the reply failed: boom" });
    expect(v.streaming).toBeUndefined();
    expect(v.messages.map((m) => [m.role, m.text, m.interrupted])).toEqual([
      ["user", "go", undefined],
      ["assistant", "Half a", true],
      ["error", "the reply failed: boom", undefined],
    ]);
  });
});
