import type BetterSqlite3 from "better-sqlite3";
import { SessionNotFoundError } from "./errors.js";
import { exportFrom } from "./export.js";
import { ftsQuery } from "./fts.js";
import type { ExportFormat, Hit, NewMessage, Role, Session, SessionStore, StoredMessage, Timings } from "./types.js";
import { autoTitle, clampLimit, monotonicNow, newSessionId } from "./util.js";

type Db = BetterSqlite3.Database;

interface SessionRow {
  id: string;
  character: string;
  model: string;
  title: string | null;
  created: number;
  updated: number;
  message_count: number;
}

interface MessageRow {
  id: number;
  session_id: string;
  seq: number;
  role: Role;
  text: string;
  interrupted: number;
  timings: string | null;
  created: number;
}

const SESSION_COLUMNS = `s.id, s.character, s.model, s.title, s.created, s.updated,
  (SELECT count(*) FROM messages m WHERE m.session_id = s.id) AS message_count`;

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    character: row.character,
    model: row.model,
    title: row.title,
    created: row.created,
    updated: row.updated,
    messageCount: row.message_count,
  };
}

function parseTimings(text: string | null): Timings | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Timings) : undefined;
  } catch {
    return undefined;
  }
}

function toMessage(row: MessageRow): StoredMessage {
  const timings = parseTimings(row.timings);
  return {
    id: row.id,
    sessionId: row.session_id,
    seq: row.seq,
    role: row.role,
    text: row.text,
    interrupted: row.interrupted !== 0,
    created: row.created,
    ...(timings ? { timings } : {}),
  };
}

/** Sessions in SQLite (schema from migrations.ts). Methods throw on database trouble; the caller decides. */
export class SqliteSessionStore implements SessionStore {
  readonly persistent = true;
  readonly notice: string | undefined = undefined;
  readonly path: string;
  private readonly db: Db;

  constructor(db: Db, path: string) {
    this.db = db;
    this.path = path;
  }

  createSession(options: { character: string; model: string; title?: string }): Session {
    const now = monotonicNow();
    const insert = this.db.prepare(
      "INSERT INTO sessions (id, character, model, title, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
    );
    for (let attempt = 0; ; attempt++) {
      const id = newSessionId();
      try {
        insert.run(id, options.character, options.model, options.title ?? null, now, now);
        return {
          id,
          character: options.character,
          model: options.model,
          title: options.title ?? null,
          created: now,
          updated: now,
          messageCount: 0,
        };
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== "SQLITE_CONSTRAINT_PRIMARYKEY" || attempt > 5) throw err;
      }
    }
  }

  appendMessage(sessionId: string, message: NewMessage): StoredMessage {
    const append = this.db.transaction((): StoredMessage => {
      const session = this.db.prepare("SELECT title FROM sessions WHERE id = ?").get(sessionId) as
        { title: string | null } | undefined;
      if (!session) throw new SessionNotFoundError(sessionId);
      const { next } = this.db
        .prepare("SELECT coalesce(max(seq), -1) + 1 AS next FROM messages WHERE session_id = ?")
        .get(sessionId) as { next: number };
      const now = monotonicNow();
      const timings = message.timings ? JSON.stringify(message.timings) : null;
      const interrupted = message.interrupted ?? false;
      const info = this.db
        .prepare(
          "INSERT INTO messages (session_id, seq, role, text, interrupted, timings, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .run(sessionId, next, message.role, message.text, interrupted ? 1 : 0, timings, now);
      const title = session.title === null && message.role === "user" ? autoTitle(message.text) : session.title;
      this.db.prepare("UPDATE sessions SET updated = ?, title = ? WHERE id = ?").run(now, title, sessionId);
      return {
        id: Number(info.lastInsertRowid),
        sessionId,
        seq: next,
        role: message.role,
        text: message.text,
        interrupted,
        created: now,
        ...(message.timings ? { timings: { ...message.timings } } : {}),
      };
    });
    // IMMEDIATE takes the write lock up front, so a concurrent writer waits instead of failing mid-way.
    return append.immediate();
  }

  listSessions(options: { character?: string; limit?: number } = {}): Session[] {
    const limit = clampLimit(options.limit, -1);
    const where = options.character === undefined ? "" : "WHERE s.character = @character";
    const rows = this.db
      .prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s ${where} ORDER BY s.updated DESC, s.rowid DESC LIMIT @limit`)
      .all({ limit, ...(options.character === undefined ? {} : { character: options.character }) }) as SessionRow[];
    return rows.map(toSession);
  }

  getSession(id: string): Session | undefined {
    const row = this.db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = ?`).get(id) as
      SessionRow | undefined;
    return row ? toSession(row) : undefined;
  }

  messages(sessionId: string): StoredMessage[] {
    const rows = this.db
      .prepare("SELECT * FROM messages WHERE session_id = ? ORDER BY seq")
      .all(sessionId) as MessageRow[];
    return rows.map(toMessage);
  }

  lastSession(character: string): Session | undefined {
    return this.listSessions({ character, limit: 1 })[0];
  }

  renameSession(id: string, title: string): Session {
    const info = this.db.prepare("UPDATE sessions SET title = ? WHERE id = ?").run(title.trim() || null, id);
    const session = info.changes > 0 ? this.getSession(id) : undefined;
    if (!session) throw new SessionNotFoundError(id);
    return session;
  }

  deleteSession(id: string): boolean {
    return this.db.prepare("DELETE FROM sessions WHERE id = ?").run(id).changes > 0;
  }

  search(words: string, options: { limit?: number } = {}): Hit[] {
    const query = ftsQuery(words);
    if (!query) return [];
    const rows = this.db
      .prepare(
        `SELECT m.id, m.session_id, m.seq, m.role, m.created, s.character, s.title,
           snippet(messages_fts, 0, '[', ']', '…', 12) AS snippet
         FROM messages_fts
         JOIN messages m ON m.id = messages_fts.rowid
         JOIN sessions s ON s.id = m.session_id
         WHERE messages_fts MATCH ?
         ORDER BY m.created DESC, m.id DESC
         LIMIT ?`,
      )
      .all(query, clampLimit(options.limit, 20)) as {
      id: number;
      session_id: string;
      seq: number;
      role: Role;
      created: number;
      character: string;
      title: string | null;
      snippet: string;
    }[];
    return rows.map((r) => ({
      sessionId: r.session_id,
      character: r.character,
      title: r.title,
      messageId: r.id,
      seq: r.seq,
      role: r.role,
      time: r.created,
      snippet: r.snippet.replace(/\s+/g, " "),
    }));
  }

  exportSession(id: string, format: ExportFormat): string {
    return exportFrom(this, id, format);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
