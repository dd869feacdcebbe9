import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSessionStore } from "../../src/sessions/store.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { tempDir } from "../helpers/env.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  try {
    chmodSync(tmp.dir, 0o755);
  } catch {
    // already gone
  }
  tmp.cleanup();
});

const isRoot = process.getuid?.() === 0;

/** The conversation goes on: a session can be made, written and read back. */
function talk(store: SessionStore): void {
  const s = store.createSession({ character: "wren", model: "m" });
  store.appendMessage(s.id, { role: "user", text: "are you still there" });
  store.appendMessage(s.id, { role: "assistant", text: "always" });
  expect(store.messages(s.id).map((m) => m.text)).toEqual(["are you still there", "always"]);
  expect(store.lastSession("wren")?.id).toBe(s.id);
  expect(store.search("still").map((h) => h.sessionId)).toEqual([s.id]);
}

/** A database with one finished conversation in it. */
async function seeded(path: string): Promise<string> {
  const store = await openSessionStore(path);
  const s = store.createSession({ character: "wren", model: "m" });
  store.appendMessage(s.id, { role: "user", text: "first turn" });
  store.appendMessage(s.id, { role: "assistant", text: "first reply" });
  store.close();
  return s.id;
}

describe("database trouble at open: the conversation goes on in memory", () => {
  it("a damaged file is reported and never touched", async () => {
    const path = join(tmp.dir, "sessions.db");
    const garbage = Buffer.from("this is not an SQLite database. ".repeat(200));
    writeFileSync(path, garbage);
    const notices: string[] = [];
    const store = await openSessionStore(path, { onNotice: (n) => notices.push(n) });
    expect(store.persistent).toBe(false);
    expect(store.notice).toMatch(/damaged/);
    expect(store.notice).toContain(path);
    expect(notices).toEqual([store.notice]);
    talk(store);
    store.close();
    expect(readFileSync(path).equals(garbage)).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(["sessions.db"]);
  });

  it("a folder that cannot be created", async () => {
    writeFileSync(join(tmp.dir, "file"), "x");
    const store = await openSessionStore(join(tmp.dir, "file", "sessions.db"));
    expect(store.persistent).toBe(false);
    expect(store.notice).toMatch(/cannot be written/);
    talk(store);
    store.close();
  });

  it.skipIf(isRoot)("a read-only folder (an existing database in it is kept)", async () => {
    const dir = join(tmp.dir, "ro");
    mkdirSync(dir);
    const id = await seeded(join(dir, "sessions.db"));
    const before = readFileSync(join(dir, "sessions.db"));
    chmodSync(dir, 0o555);
    const store = await openSessionStore(join(dir, "sessions.db"));
    expect(store.persistent).toBe(false);
    expect(store.notice).toMatch(/cannot be written|locked/);
    talk(store);
    store.close();
    chmodSync(dir, 0o755);
    expect(readFileSync(join(dir, "sessions.db")).equals(before)).toBe(true);
    const again = await openSessionStore(join(dir, "sessions.db"));
    expect(again.messages(id)).toHaveLength(2);
    again.close();
  });

  it("a database locked by another program", async () => {
    const path = join(tmp.dir, "sessions.db");
    const other = new Database(path);
    other.pragma("journal_mode = DELETE");
    other.exec("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);");
    try {
      const store = await openSessionStore(path, { timeoutMs: 50 });
      expect(store.persistent).toBe(false);
      expect(store.notice).toMatch(/locked/);
      talk(store);
      store.close();
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });
});

describe("database trouble during a run: earlier turns stay saved, later ones go on in memory", () => {
  it("the disk fills up", async () => {
    const path = join(tmp.dir, "sessions.db");
    const notices: string[] = [];
    const store = await openSessionStore(path, { maxPageCount: 40, onNotice: (n) => notices.push(n) });
    expect(store.persistent).toBe(true);
    const s = store.createSession({ character: "wren", model: "m" });
    const big = (i: number): string => `turn ${i} ` + "lorem ipsum dolor sit amet ".repeat(400);
    let savedTurns = 0;
    for (let i = 0; i < 60; i++) {
      store.appendMessage(s.id, { role: "user", text: `question ${i}` });
      store.appendMessage(s.id, { role: "assistant", text: big(i) });
      if (store.persistent) savedTurns = i + 1;
    }
    expect(store.persistent).toBe(false);
    expect(savedTurns).toBeGreaterThan(0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/disk is full/);
    expect(store.notice).toBe(notices[0]);
    // Every turn is there for the rest of the run, in order.
    const all = store.messages(s.id);
    expect(all).toHaveLength(120);
    expect(all.map((m) => m.seq)).toEqual([...Array(120).keys()]);
    expect(store.getSession(s.id)?.messageCount).toBe(120);
    expect(store.listSessions().map((x) => x.id)).toEqual([s.id]);
    expect(store.search("question").length).toBeGreaterThan(0);
    store.close();
    // What was saved before the disk filled up is intact.
    const reopened = await openSessionStore(path);
    const kept = reopened.messages(s.id);
    expect(kept.length).toBeGreaterThanOrEqual(savedTurns * 2);
    expect(kept.map((m) => m.text)).toEqual(all.slice(0, kept.length).map((m) => m.text));
    reopened.close();
  });

  it("another writer holds the lock", async () => {
    const path = join(tmp.dir, "sessions.db");
    const id = await seeded(path);
    const notices: string[] = [];
    const store = await openSessionStore(path, { timeoutMs: 50, onNotice: (n) => notices.push(n) });
    expect(store.persistent).toBe(true);
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      store.appendMessage(id, { role: "user", text: "second turn" });
      store.appendMessage(id, { role: "assistant", text: "second reply" });
      expect(store.persistent).toBe(false);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/locked/);
      expect(store.messages(id).map((m) => m.text)).toEqual([
        "first turn",
        "first reply",
        "second turn",
        "second reply",
      ]);
      const fresh = store.createSession({ character: "meridian", model: "m" });
      expect(store.getSession(fresh.id)).toBeDefined();
      expect(store.listSessions()).toHaveLength(2);
    } finally {
      other.exec("ROLLBACK");
      other.close();
      store.close();
    }
    // The lock was released before the store closed: closing wrote the memory-only turns back.
    expect(notices).toHaveLength(2);
    expect(notices[1]).toMatch(/Saving resumed/);
    const reopened = await openSessionStore(path);
    expect(reopened.messages(id).map((m) => m.text)).toEqual([
      "first turn",
      "first reply",
      "second turn",
      "second reply",
    ]);
    expect(reopened.listSessions().map((x) => x.character)).toEqual(["meridian", "wren"]);
    reopened.close();
  });

  it("writes go back to disk once the lock is released, memory-only turns first, in order", async () => {
    const path = join(tmp.dir, "sessions.db");
    const id = await seeded(path);
    const notices: string[] = [];
    const store = await openSessionStore(path, { timeoutMs: 50, onNotice: (n) => notices.push(n) });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    let fresh: string;
    try {
      store.appendMessage(id, { role: "user", text: "second turn" });
      fresh = store.createSession({ character: "meridian", model: "m" }).id;
      store.appendMessage(fresh, { role: "user", text: "hello meridian" });
      store.renameSession(id, "Renamed while locked");
      store.appendMessage(id, { role: "assistant", text: "second reply" }); // still locked: memory
      expect(store.persistent).toBe(false);
      expect(notices).toHaveLength(1);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    // The next write finds the database free again.
    store.appendMessage(id, { role: "user", text: "third turn" });
    expect(store.persistent).toBe(true);
    expect(store.notice).toBeUndefined();
    expect(notices).toHaveLength(2);
    expect(notices[1]).toMatch(/Saving resumed: the 3 messages kept in memory were written/);
    store.appendMessage(fresh, { role: "assistant", text: "hello back" });
    expect(store.messages(id).map((m) => [m.seq, m.text])).toEqual([
      [0, "first turn"],
      [1, "first reply"],
      [2, "second turn"],
      [3, "second reply"],
      [4, "third turn"],
    ]);
    store.close();
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare("SELECT session_id, seq, text FROM messages ORDER BY id").all() as {
        session_id: string;
        seq: number;
        text: string;
      }[];
      expect(rows.map((r) => r.text)).toEqual([
        "first turn",
        "first reply",
        "second turn",
        "hello meridian",
        "second reply",
        "third turn",
        "hello back",
      ]);
      expect(rows.filter((r) => r.session_id === fresh).map((r) => r.seq)).toEqual([0, 1]);
      const titles = db.prepare("SELECT id, title, character FROM sessions").all() as { id: string; title: string }[];
      expect(titles.find((t) => t.id === id)?.title).toBe("Renamed while locked");
      expect(titles.find((t) => t.id === fresh)?.title).toBe("hello meridian");
      // The memory-only messages are searchable on disk too.
      expect(db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'meridian'").get()).toEqual({
        n: 1,
      });
    } finally {
      db.close();
    }
  });

  it("the file is damaged under a running session", async () => {
    const path = join(tmp.dir, "sessions.db");
    const id = await seeded(path);
    const store = await openSessionStore(path);
    expect(store.persistent).toBe(true);
    expect(store.lastSession("wren")?.id).toBe(id); // as `--resume` does
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    const damaged = Buffer.concat([bytes.subarray(0, pageSize), Buffer.alloc(bytes.length - pageSize, 0xa5)]);
    writeFileSync(path, damaged);
    store.appendMessage(id, { role: "user", text: "after the damage" });
    store.appendMessage(id, { role: "assistant", text: "still here" });
    expect(store.persistent).toBe(false);
    expect(store.notice).toMatch(/damaged/);
    expect(
      store
        .messages(id)
        .map((m) => m.text)
        .slice(-2),
    ).toEqual(["after the damage", "still here"]);
    expect(store.getSession(id)?.character).toBe("wren");
    store.close();
    expect(readFileSync(path).equals(damaged)).toBe(true);
  });
});
