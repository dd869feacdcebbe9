import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from "../../src/sessions/migrations.js";
import { openSessionStore } from "../../src/sessions/store.js";
import { tempDir } from "../helpers/env.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** A database exactly as a version-1 roleplay left it, with a conversation in it. */
function makeV1Database(path: string): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE sessions (id TEXT PRIMARY KEY, character TEXT NOT NULL, model TEXT NOT NULL, created INTEGER NOT NULL);
    CREATE TABLE messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
      text TEXT NOT NULL,
      interrupted INTEGER NOT NULL DEFAULT 0,
      timings TEXT,
      created INTEGER NOT NULL,
      UNIQUE (session_id, seq)
    );
    CREATE INDEX sessions_by_character ON sessions(character, created);
    PRAGMA user_version = 1;
    INSERT INTO sessions VALUES ('oldsess1', 'wren', 'tiny.gguf', 1000), ('oldsess2', 'wren', 'tiny.gguf', 2000);
    INSERT INTO messages (session_id, seq, role, text, interrupted, timings, created) VALUES
      ('oldsess1', 0, 'assistant', 'Welcome, traveller.', 0, NULL, 1001),
      ('oldsess1', 1, 'user', 'Show me the zeppelin hangar', 0, NULL, 5000),
      ('oldsess1', 2, 'assistant', 'The hangar doors groan open', 1, '{"totalMs":800}', 5001),
      ('oldsess2', 0, 'user', 'Another day', 0, NULL, 3000);
  `);
  db.close();
}

describe("migrations", () => {
  it("are numbered 1..N in order", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2);
  });

  it("the v1 schema of the test matches migration 1", () => {
    const a = new Database(":memory:");
    migrate(a, 1);
    makeV1Database(join(tmp.dir, "made.db"));
    const c = new Database(join(tmp.dir, "made.db"));
    const schema = (db: Database.Database): string[] =>
      (db.prepare("SELECT sql FROM sqlite_master WHERE sql NOT NULL ORDER BY name").all() as { sql: string }[]).map(
        (r) => r.sql.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")"),
      );
    expect(schema(c)).toEqual(schema(a));
    a.close();
    c.close();
  });

  it("bring a version-1 database with a conversation up to date, keeping everything", async () => {
    const path = join(tmp.dir, "old.db");
    makeV1Database(path);
    const store = await openSessionStore(path);
    try {
      expect(store.persistent).toBe(true);
      expect(store.notice).toBeUndefined();
      const s = store.getSession("oldsess1")!;
      expect(s).toMatchObject({
        character: "wren",
        created: 1000,
        updated: 5001,
        title: "Show me the zeppelin hangar",
        messageCount: 3,
      });
      expect(store.lastSession("wren")?.id).toBe("oldsess1"); // by last message, not by creation
      expect(store.messages("oldsess1")[2]).toMatchObject({ interrupted: true, timings: { totalMs: 800 } });
      // the FTS index was built over the old messages, and follows new ones
      expect(store.search("zeppelin").map((h) => h.sessionId)).toEqual(["oldsess1"]);
      store.appendMessage("oldsess2", { role: "assistant", text: "A fine zeppelin day." });
      expect(store.search("zeppelin")).toHaveLength(2);
    } finally {
      store.close();
    }
    const db = new Database(path, { readonly: true });
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it("run from each intermediate version", () => {
    for (let from = 1; from < LATEST_VERSION; from++) {
      const db = new Database(":memory:");
      migrate(db, from);
      expect(schemaVersion(db)).toBe(from);
      expect(migrate(db)).toBe(LATEST_VERSION);
      db.close();
    }
  });

  it("refuse a database from a newer roleplay, leaving it untouched", async () => {
    const path = join(tmp.dir, "future.db");
    const db = new Database(path);
    db.exec("CREATE TABLE future (x); PRAGMA user_version = 99;");
    db.close();
    const before = readFileSync(path);
    const store = await openSessionStore(path);
    expect(store.persistent).toBe(false);
    expect(store.notice).toMatch(/newer roleplay/);
    const s = store.createSession({ character: "wren", model: "m" });
    store.appendMessage(s.id, { role: "user", text: "still talking" });
    store.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuse another program's SQLite database", async () => {
    const path = join(tmp.dir, "other.db");
    const db = new Database(path);
    db.exec("CREATE TABLE photos (x); INSERT INTO photos VALUES (1);");
    db.close();
    const before = readFileSync(path);
    const store = await openSessionStore(path);
    expect(store.notice).toMatch(/another program/);
    store.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
