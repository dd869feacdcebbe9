import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../src/core/events.js";
import { VoiceSession } from "../../src/pipeline/session.js";
import { FakeEngine, FakeTts, ManualSink, until } from "../helpers/fakes.js";

/** A chunker that emits a chunk at each sentence end, enough for these tests. */
function sentenceChunker() {
  let buf = "";
  return {
    push(delta: string) {
      buf += delta;
      const out: string[] = [];
      let m: RegExpExecArray | null;
      while ((m = /^(.*?[.!?])\s+/s.exec(buf))) {
        out.push(m[1]!.trim());
        buf = buf.slice(m[0].length);
      }
      return out;
    },
    flush() {
      const rest = buf.trim();
      buf = "";
      return rest ? [rest] : [];
    },
  };
}

function record(session: VoiceSession): SessionEvent[] {
  const events: SessionEvent[] = [];
  session.on((e) => events.push(e));
  return events;
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `);

describe("VoiceSession", () => {
  it("streams a reply as deltas and ends with reply and turn events", async () => {
    const engine = new FakeEngine(() => ["Hello", " there", "."]);
    const session = new VoiceSession({ engine, characterName: "Test" });
    const events = record(session);
    await session.send("hi");
    const types = events.map((e) => e.type);
    expect(types).toContain("user");
    expect(
      events
        .filter((e) => e.type === "delta")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("Hello there.");
    const reply = events.find((e) => e.type === "reply");
    expect(reply).toMatchObject({ text: "Hello there.", interrupted: false });
    const turn = events.find((e) => e.type === "turn");
    expect(turn && turn.type === "turn" && turn.timings.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(session.state).toBe("idle");
  });

  it("interrupt keeps the partial reply, marked interrupted", async () => {
    const engine = new FakeEngine(() => words(200), 3);
    const session = new VoiceSession({ engine, characterName: "Test" });
    const events = record(session);
    const done = session.send("tell me a long story");
    await until(() => events.filter((e) => e.type === "delta").length >= 3, 10_000, "deltas");
    await session.interrupt("escape");
    await done;
    const reply = events.find((e) => e.type === "reply");
    expect(reply).toMatchObject({ interrupted: true });
    expect(reply && reply.type === "reply" && reply.text.startsWith("w0 w1 w2")).toBe(true);
    expect(engine.history().at(-1)?.text).toBe(reply && reply.type === "reply" ? reply.text : "");
  });

  it("drops events of a cancelled turn (race: interrupt then a new turn at once)", async () => {
    const engine = new FakeEngine((p) => (p === "first" ? words(500) : ["second ", "reply."]), 1);
    engine.lateDeltas = 3;
    const session = new VoiceSession({ engine, characterName: "Test" });
    const events = record(session);
    const first = session.send("first");
    await until(() => events.some((e) => e.type === "delta"), 10_000, "first delta");
    const second = session.send("second"); // interrupts the first
    await Promise.all([first, second]);
    const deltas = events.filter((e): e is Extract<SessionEvent, { type: "delta" }> => e.type === "delta");
    expect(deltas.some((d) => d.text === " late")).toBe(false);
    // Once the first turn's reply was emitted, no event of turn 1 follows.
    const firstReplyAt = events.findIndex((e) => e.type === "reply" && e.turnId === 1);
    expect(firstReplyAt).toBeGreaterThan(-1);
    expect(events.slice(firstReplyAt + 1).some((e) => "turnId" in e && e.turnId === 1 && e.type !== "turn")).toBe(
      false,
    );
    const replies = events.filter((e) => e.type === "reply");
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatchObject({ turnId: 1, interrupted: true });
    expect(replies[1]).toMatchObject({ turnId: 2, text: "second reply.", interrupted: false });
  });

  it("two sends during a reply: only the newest is answered, generations never overlap", async () => {
    let running = 0;
    let overlap = false;
    const engine = new FakeEngine((p) => (p === "one" ? words(300) : ["reply ", "to ", p]), 1);
    const reply = engine.reply.bind(engine);
    engine.reply = async (text, options) => {
      if (++running > 1) overlap = true;
      try {
        return await reply(text, options);
      } finally {
        running--;
      }
    };
    const session = new VoiceSession({ engine, characterName: "Test" });
    const events = record(session);
    const one = session.send("one");
    await until(() => events.some((e) => e.type === "delta"), 10_000, "first delta");
    const two = session.send("two");
    const three = session.send("three");
    expect(session.currentTurn?.text).toBe("three");
    await Promise.all([one, two, three]);
    expect(overlap).toBe(false);
    const replies = events.filter((e): e is Extract<SessionEvent, { type: "reply" }> => e.type === "reply");
    expect(replies.map((r) => [r.turnId, r.interrupted])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(replies[2]!.text).toBe("reply to three");
    expect(session.busy).toBe(false);
  });

  it("speaks clause by clause and waits for playback to finish", async () => {
    const engine = new FakeEngine(() => ["One two three. ", "Four five six. ", "Seven."]);
    const tts = new FakeTts();
    const sink = new ManualSink();
    const session = new VoiceSession({
      engine,
      characterName: "T",
      speech: { engine: tts, sink, chunker: sentenceChunker },
    });
    const events = record(session);
    const done = session.send("go");
    await until(() => tts.spoken.length === 3, 10_000, "three chunks");
    expect(session.state).toBe("speaking");
    sink.advance(10_000);
    await done;
    expect(tts.spoken).toEqual(["One two three.", "Four five six.", "Seven."]);
    const turn = events.find((e) => e.type === "turn");
    expect(turn && turn.type === "turn" && turn.timings.firstAudioMs).toBeGreaterThanOrEqual(0);
    expect(turn && turn.type === "turn" && turn.timings.firstChunkMs).toBeGreaterThanOrEqual(0);
  });

  it("barge-in on a voice turn clears playback and keeps only what was heard", async () => {
    const engine = new FakeEngine(() => ["One two three four. ", "Five six seven eight. ", "Nine ten."]);
    const tts = new FakeTts();
    const sink = new ManualSink();
    const session = new VoiceSession({
      engine,
      characterName: "T",
      speech: { engine: tts, sink, chunker: sentenceChunker },
    });
    const events = record(session);
    const done = session.send("go", { source: "voice" });
    await until(() => tts.spoken.length === 3, 10_000, "chunks");
    sink.advance(400 + 200); // the first chunk (4 words = 400 ms) and half of the second
    await session.interrupt("barge-in");
    await done;
    expect(sink.cleared).toBeGreaterThan(0);
    expect(sink.pendingMs).toBe(0);
    const reply = events.find((e) => e.type === "reply");
    expect(reply).toMatchObject({ interrupted: true, text: "One two three four. Five six" });
    expect(engine.history().at(-1)).toEqual({ role: "assistant", text: "One two three four. Five six" });
  });

  it("new chat resets the history with the greeting and emits cleared", async () => {
    const engine = new FakeEngine(() => ["ok"]);
    const session = new VoiceSession({ engine, characterName: "T" });
    const events = record(session);
    await session.send("hello");
    await session.newChat({ greeting: "Welcome back." });
    expect(engine.history()).toEqual([{ role: "assistant", text: "Welcome back." }]);
    expect(events.at(-1)).toEqual({ type: "cleared", greeting: "Welcome back." });
  });

  it("reports an engine failure as an error event and stays usable", async () => {
    let fail = true;
    const engine = new FakeEngine(() => {
      if (fail) {
        fail = false;
        throw new Error("context exploded");
      }
      return ["fine"];
    });
    const session = new VoiceSession({ engine, characterName: "T" });
    const events = record(session);
    await session.send("one");
    await session.send("two");
    expect(events.some((e) => e.type === "error" && e.message.includes("context exploded"))).toBe(true);
    expect(events.filter((e) => e.type === "reply").at(-1)).toMatchObject({ text: "fine", interrupted: false });
  });
});
