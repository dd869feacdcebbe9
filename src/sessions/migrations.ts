import type BetterSqlite3 from "better-sqlite3";
import { StorageError } from "../core/errors.js";

type Db = BetterSqlite3.Database;

export interface Migration {
  version: number;
  description: string;
  up: string;
}

/** Ordered schema changes; `PRAGMA user_version` records the last one applied. Never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "sessions and messages",
    up: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        character TEXT NOT NULL,
        model TEXT NOT NULL,
        created INTEGER NOT NULL
      );
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
    `,
  },
  {
    version: 2,
    description: "session title and last-update time",
    up: `
      ALTER TABLE sessions ADD COLUMN title TEXT;
      ALTER TABLE sessions ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
      UPDATE sessions SET updated = coalesce((SELECT max(m.created) FROM messages m WHERE m.session_id = sessions.id), created);
      UPDATE sessions SET title = (
        SELECT substr(m.text, 1, 60) FROM messages m WHERE m.session_id = sessions.id AND m.role = 'user' ORDER BY m.seq LIMIT 1
      );
      CREATE INDEX sessions_by_update ON sessions(character, updated);
    `,
  },
  {
    version: 3,
    description: "full-text search over messages (FTS5)",
    up: `
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
      END;
      INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: Db): number {
  return Number(db.pragma("user_version", { simple: true }));
}

function tooNew(current: number): StorageError {
  return new StorageError(
    "DB_TOO_NEW",
    `the session database was written by a newer roleplay (schema ${current}, this one knows ${LATEST_VERSION})`,
    { hint: "Upgrade roleplay, or point it at another database." },
  );
}

/**
 * Checks that only read: the file is an SQLite database (a damaged one throws SQLITE_NOTADB or
 * SQLITE_CORRUPT), not from a newer roleplay, and not some other program's database.
 */
export function checkBeforeWriting(db: Db): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) throw tooNew(current);
  if (current === 0) {
    const { n } = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
    if (n > 0) {
      throw new StorageError("DB_FOREIGN", "the file is an SQLite database of another program, not a roleplay one", {
        hint: "Point roleplay at a new file for its sessions.",
      });
    }
  }
}

/**
 * Apply every migration above the database's version, up to `target` (default: the latest), each
 * in its own transaction together with its version number. A database newer than this program
 * is refused and left untouched.
 */
export function migrate(db: Db, target = LATEST_VERSION): number {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) throw tooNew(current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
