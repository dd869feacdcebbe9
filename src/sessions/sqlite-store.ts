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

/** A session the run kept in memory while the database failed, to write back. */
export interface WriteBackItem {
  session: Session;
  /** Every message of the session, in order, as memory holds it. */
  messages: readonly StoredMessage[];
  /** How many of `messages` were already on disk; undefined when the session itself was made in memory. */
  savedCount: number | undefined;
  /** The title was changed in memory (a rename), so it replaces the one on disk. */
  renamed: boolean;
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

  /** How long a write waits for another process's lock, in ms; sets it when `ms` is given. */
  busyTimeout(ms?: number): number {
    if (ms !== undefined) this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
    return Number(this.db.pragma("busy_timeout", { simple: true }));
  }

  /**
   * Write back what was kept in memory, in one transaction: sessions made in memory, the messages
   * not yet on disk (after the ones there, in the order they were said) and titles.
   */
  writeBack(items: readonly WriteBackItem[]): void {
    const insertSession = this.db.prepare(
      "INSERT OR IGNORE INTO sessions (id, character, model, title, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const updateSession = this.db.prepare(
      `UPDATE sessions SET title = CASE WHEN @renamed THEN @title ELSE coalesce(title, @title) END,
         updated = max(updated, @updated) WHERE id = @id`,
    );
    const nextSeq = this.db.prepare("SELECT coalesce(max(seq), -1) + 1 AS next FROM messages WHERE session_id = ?");
    const insertMessage = this.db.prepare(
      "INSERT INTO messages (session_id, seq, role, text, interrupted, timings, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const write = this.db.transaction(() => {
      const pending: StoredMessage[] = [];
      for (const { session: s, messages, savedCount, renamed } of items) {
        const params = { id: s.id, title: s.title, updated: s.updated, renamed: renamed ? 1 : 0 };
        const onDisk = savedCount !== undefined && updateSession.run(params).changes > 0;
        if (!onDisk) insertSession.run(s.id, s.character, s.model, s.title, s.created, s.updated);
        pending.push(...messages.slice(onDisk ? savedCount : 0));
      }
      pending.sort((a, b) => a.created - b.created || a.id - b.id);
      for (const m of pending) {
        const { next } = nextSeq.get(m.sessionId) as { next: number };
        const timings = m.timings ? JSON.stringify(m.timings) : null;
        insertMessage.run(m.sessionId, next, m.role, m.text, m.interrupted ? 1 : 0, timings, m.created);
      }
    });
    write.immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
