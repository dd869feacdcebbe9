import { StorageError, errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { exportFrom } from "./export.js";
import { MemorySessionStore } from "./memory-store.js";
import type { SqliteSessionStore } from "./sqlite-store.js";
import { isDatabaseTrouble, midRunNotice } from "./trouble.js";
import type { ExportFormat, Hit, NewMessage, Session, SessionStore, StoredMessage } from "./types.js";
import { clampLimit } from "./util.js";

const log = getLogger("sessions");

/**
 * The store the app uses: SQLite while it works; when a write fails (locked, disk full, damaged),
 * the rest of the run goes on in memory, the user is told once, and what is on disk stays as it is.
 * Reads merge what is on disk with what is only in memory.
 */
export class FallbackSessionStore implements SessionStore {
  private disk: SqliteSessionStore | undefined;
  private readonly memory: MemorySessionStore;
  private failed = false;
  private readonly known = new Map<string, Session>();
  private readonly onNotice: ((notice: string) => void) | undefined;
  private currentNotice: string | undefined;

  constructor(
    disk: SqliteSessionStore | undefined,
    options: { notice?: string; onNotice?: (notice: string) => void } = {},
  ) {
    this.disk = disk;
    this.memory = new MemorySessionStore();
    this.onNotice = options.onNotice;
    if (options.notice) this.report(options.notice);
  }

  get persistent(): boolean {
    return this.disk !== undefined && !this.failed;
  }

  get notice(): string | undefined {
    return this.currentNotice;
  }

  private report(notice: string): void {
    this.currentNotice = notice;
    this.onNotice?.(notice);
  }

  private get liveDisk(): SqliteSessionStore | undefined {
    return this.failed ? undefined : this.disk;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    log.error("session database failed; continuing in memory", err);
    this.report(midRunNotice(err, this.disk?.path ?? "?"));
  }

  /** Run a write on the database; on database trouble switch to memory (once) and return undefined. */
  private tryDisk<T>(op: (disk: SqliteSessionStore) => T): T | undefined {
    const disk = this.liveDisk;
    if (!disk) return undefined;
    try {
      return op(disk);
    } catch (err) {
      if (!isDatabaseTrouble(err)) throw err;
      this.fail(err);
      return undefined;
    }
  }

  /** A read from the database, or undefined when it cannot be read. */
  private readDisk<T>(op: (disk: SqliteSessionStore) => T): T | undefined {
    if (!this.disk) return undefined;
    try {
      return op(this.disk);
    } catch (err) {
      if (!isDatabaseTrouble(err)) throw err;
      log.warn("session database read failed", err);
      return undefined;
    }
  }

  /** Make sure the memory store holds a session that so far lived on disk. */
  private adopt(id: string): void {
    if (this.memory.has(id)) return;
    // The session as on disk; else as last seen in this run; else (disk unreadable) a stand-in, so no turn is lost.
    const now = Date.now();
    const session = this.readDisk((d) => d.getSession(id)) ??
      this.known.get(id) ?? {
        id,
        character: "unknown",
        model: "unknown",
        title: null,
        created: now,
        updated: now,
        messageCount: 0,
      };
    this.memory.adopt(session, this.readDisk((d) => d.messages(id)) ?? []);
  }

  private remember<T extends Session>(session: T): T {
    this.known.set(session.id, session);
    return session;
  }

  createSession(options: { character: string; model: string; title?: string }): Session {
    return this.remember(this.tryDisk((d) => d.createSession(options)) ?? this.memory.createSession(options));
  }

  appendMessage(sessionId: string, message: NewMessage): StoredMessage {
    if (!this.memory.has(sessionId)) {
      const stored = this.tryDisk((d) => d.appendMessage(sessionId, message));
      if (stored) return stored;
      this.adopt(sessionId);
    }
    return this.memory.appendMessage(sessionId, message);
  }

  listSessions(options: { character?: string; limit?: number } = {}): Session[] {
    const fromMemory = this.memory.listSessions(options);
    const inMemory = new Set(fromMemory.map((s) => s.id));
    const fromDisk = (this.readDisk((d) => d.listSessions(options)) ?? []).filter((s) => !inMemory.has(s.id));
    return [...fromMemory, ...fromDisk]
      .sort((a, b) => b.updated - a.updated)
      .slice(0, clampLimit(options.limit, Number.MAX_SAFE_INTEGER));
  }

  getSession(id: string): Session | undefined {
    const session = this.memory.getSession(id) ?? this.readDisk((d) => d.getSession(id));
    return session ? this.remember(session) : undefined;
  }

  messages(sessionId: string): StoredMessage[] {
    if (this.memory.has(sessionId)) return this.memory.messages(sessionId);
    return this.readDisk((d) => d.messages(sessionId)) ?? [];
  }

  lastSession(character: string): Session | undefined {
    const session = this.listSessions({ character, limit: 1 })[0];
    return session ? this.remember(session) : undefined;
  }

  renameSession(id: string, title: string): Session {
    if (!this.memory.has(id)) {
      const renamed = this.tryDisk((d) => d.renameSession(id, title));
      if (renamed) return renamed;
      this.adopt(id);
    }
    return this.memory.renameSession(id, title);
  }

  deleteSession(id: string): boolean {
    const inMemory = this.memory.deleteSession(id);
    if (!this.disk) return inMemory;
    try {
      return this.disk.deleteSession(id) || inMemory;
    } catch (err) {
      throw new StorageError("DB_WRITE", `Cannot delete session ${id} from the database: ${errorMessage(err)}`, {
        hint: "Try again when no other roleplay is running and the disk has room.",
        cause: err,
      });
    }
  }

  search(words: string, options: { limit?: number } = {}): Hit[] {
    const limit = clampLimit(options.limit, 20);
    const fromMemory = this.memory.search(words, { limit });
    const seen = new Set(fromMemory.map((h) => `${h.sessionId}:${h.seq}`));
    const fromDisk = (this.readDisk((d) => d.search(words, { limit })) ?? []).filter(
      (h) => !seen.has(`${h.sessionId}:${h.seq}`),
    );
    return [...fromMemory, ...fromDisk].sort((a, b) => b.time - a.time).slice(0, limit);
  }

  exportSession(id: string, format: ExportFormat): string {
    return exportFrom(this, id, format);
  }

  close(): void {
    try {
      this.disk?.close();
    } catch (err) {
      log.warn("closing the session database failed", err);
    }
    this.disk = undefined;
  }
}
