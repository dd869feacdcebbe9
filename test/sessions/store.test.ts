import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemorySessionStore } from "../../src/sessions/memory-store.js";
import { chatHistory, findSession, resumeSession } from "../../src/sessions/resume.js";
import { createMemoryStore, openSessionStore } from "../../src/sessions/store.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { tempDir } from "../helpers/env.js";

let tmp: ReturnType<typeof tempDir>;
const open: SessionStore[] = [];
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  tmp.cleanup();
});

async function openDb(name = "sessions.db"): Promise<SessionStore> {
  const store = await openSessionStore(join(tmp.dir, "nested", name));
  open.push(store);
  return store;
}

// The same behaviour from the SQLite store and the in-memory one.
const kinds: [string, () => Promise<SessionStore>][] = [
  ["sqlite", () => openDb()],
  ["memory", async () => createMemoryStore()],
];

for (const [kind, make] of kinds) {
  describe(`${kind} store`, () => {
    it("stores sessions and messages in order, with flags and timings", async () => {
      const store = await make();
      expect(store.persistent).toBe(kind === "sqlite");
      expect(store.notice).toBeUndefined();
      const s = store.createSession({ character: "wren", model: "tiny.gguf" });
      expect(s).toMatchObject({ character: "wren", model: "tiny.gguf", title: null, messageCount: 0 });
      expect(s.id).toMatch(/^[2-9a-z]{8}$/);
      store.appendMessage(s.id, { role: "assistant", text: "Hello there." });
      const u = store.appendMessage(s.id, { role: "user", text: "Tell me   a story\nabout dragons" });
      store.appendMessage(s.id, {
        role: "assistant",
        text: "Once upon",
        interrupted: true,
        timings: { firstTokenMs: 120, totalMs: 900 },
      });
      expect(u.seq).toBe(1);
      const msgs = store.messages(s.id);
      expect(msgs.map((m) => [m.seq, m.role, m.text, m.interrupted])).toEqual([
        [0, "assistant", "Hello there.", false],
        [1, "user", "Tell me   a story\nabout dragons", false],
        [2, "assistant", "Once upon", true],
      ]);
      expect(msgs[2]!.timings).toEqual({ firstTokenMs: 120, totalMs: 900 });
      expect(msgs[0]!.timings).toBeUndefined();
      const got = store.getSession(s.id)!;
      expect(got.title).toBe("Tell me a story about dragons");
      expect(got.messageCount).toBe(3);
      expect(got.updated).toBeGreaterThanOrEqual(got.created);
    });

    it("lists, finds the last session of a character, renames and deletes", async () => {
      const store = await make();
      const a = store.createSession({ character: "wren", model: "m" });
      const b = store.createSession({ character: "meridian", model: "m" });
      const c = store.createSession({ character: "wren", model: "m", title: "Given title" });
      store.appendMessage(a.id, { role: "user", text: "latest words" });
      expect(store.lastSession("wren")?.id).toBe(a.id);
      expect(store.lastSession("nobody")).toBeUndefined();
      expect(
        store
          .listSessions({ character: "wren" })
          .map((s) => s.id)
          .sort(),
      ).toEqual([a.id, c.id].sort());
      expect(store.listSessions({ limit: 1 })[0]!.id).toBe(a.id);
      expect(store.listSessions()).toHaveLength(3);
      expect(store.getSession(c.id)?.title).toBe("Given title");
      expect(store.renameSession(b.id, "Night watch").title).toBe("Night watch");
      expect(() => store.renameSession("nope", "x")).toThrow(/No session/);
      expect(store.deleteSession(a.id)).toBe(true);
      expect(store.deleteSession(a.id)).toBe(false);
      expect(store.getSession(a.id)).toBeUndefined();
      expect(store.messages(a.id)).toEqual([]);
      expect(store.search("latest")).toEqual([]);
      expect(() => store.appendMessage(a.id, { role: "user", text: "x" })).toThrow(/No session/);
    });

    it("exports Markdown and JSON", async () => {
      const store = await make();
      const s = store.createSession({ character: "wren", model: "m" });
      store.appendMessage(s.id, { role: "user", text: "Hi" });
      store.appendMessage(s.id, { role: "assistant", text: "Hello", interrupted: true });
      const md = store.exportSession(s.id, "md");
      expect(md).toContain("# Hi");
      expect(md).toContain("**User:** Hi");
      expect(md).toContain("**wren:** Hello *(interrupted)*");
      const json = JSON.parse(store.exportSession(s.id, "json")) as {
        format: string;
        session: { id: string };
        messages: { role: string; text: string; interrupted: boolean; time: string }[];
      };
      expect(json.format).toBe("roleplay-session");
      expect(json.session.id).toBe(s.id);
      expect(json.messages.map((m) => m.text)).toEqual(["Hi", "Hello"]);
      expect(json.messages[1]!.interrupted).toBe(true);
      expect(() => store.exportSession("nope", "md")).toThrow(/No session/);
    });

    it("resumes: the last session of the character or a given id, with its history in order", async () => {
      const store = await make();
      const old = store.createSession({ character: "wren", model: "m" });
      store.appendMessage(old.id, { role: "user", text: "old" });
      const s = store.createSession({ character: "wren", model: "m" });
      store.appendMessage(s.id, { role: "assistant", text: "Greetings." });
      store.appendMessage(s.id, { role: "user", text: "Hi" });
      store.appendMessage(s.id, { role: "assistant", text: "" });
      store.appendMessage(s.id, { role: "assistant", text: "Half a sen", interrupted: true });
      const resumed = resumeSession(store, { character: "wren", resume: true });
      expect(resumed?.session.id).toBe(s.id);
      expect(resumed?.history).toEqual([
        { role: "assistant", text: "Greetings.", interrupted: false },
        { role: "user", text: "Hi", interrupted: false },
        { role: "assistant", text: "Half a sen", interrupted: true },
      ]);
      expect(resumeSession(store, { character: "meridian", sessionId: old.id })?.history).toHaveLength(1);
      expect(resumeSession(store, { character: "meridian", resume: true })).toBeUndefined();
      expect(resumeSession(store, { character: "wren" })).toBeUndefined();
      expect(() => resumeSession(store, { character: "wren", sessionId: "zzzzzzzz" })).toThrow(/No session/);
      expect(findSession(store, s.id.slice(0, 5).toUpperCase()).id).toBe(s.id);
    });
  });
}

describe("persistence", () => {
  it("keeps every message across a reopen", async () => {
    const path = join(tmp.dir, "s.db");
    const first = await openSessionStore(path);
    const s = first.createSession({ character: "wren", model: "m" });
    for (let i = 0; i < 5; i++) {
      first.appendMessage(s.id, { role: "user", text: `question ${i}` });
      first.appendMessage(s.id, { role: "assistant", text: `answer ${i}` });
    }
    first.close();
    const second = await openSessionStore(path);
    open.push(second);
    expect(second.persistent).toBe(true);
    expect(second.lastSession("wren")?.id).toBe(s.id);
    const history = chatHistory(second.messages(s.id));
    expect(history).toHaveLength(10);
    expect(history[9]).toEqual({ role: "assistant", text: "answer 4", interrupted: false });
    second.appendMessage(s.id, { role: "user", text: "after reopen" });
    expect(second.messages(s.id)[10]!.seq).toBe(10);
  });

  it("the memory store adopts a session with its messages", () => {
    const mem = new MemorySessionStore();
    mem.adopt({ id: "abc", character: "x", model: "m", title: null, created: 1, updated: 2, messageCount: 1 }, [
      { id: 7, sessionId: "abc", seq: 0, role: "user", text: "hi", interrupted: false, created: 2 },
    ]);
    expect(mem.appendMessage("abc", { role: "assistant", text: "yo" })).toMatchObject({ id: 8, seq: 1 });
  });
});
