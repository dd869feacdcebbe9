import { StorageError, errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { exportFrom } from "./export.js";
import { MemorySessionStore } from "./memory-store.js";
import type { SqliteSessionStore, WriteBackItem } from "./sqlite-store.js";
import { isDatabaseTrouble, midRunNotice, recoveredNotice } from "./trouble.js";
import type { ExportFormat, Hit, NewMessage, Session, SessionStore, StoredMessage } from "./types.js";
import { clampLimit } from "./util.js";

const log = getLogger("sessions");

/** While the database is failing, a retry waits at most this long for another process's lock. */
const RETRY_LOCK_WAIT_MS = 200;

/**
 * The store the app uses: SQLite while it works; when a write fails (locked, disk full, damaged),
 * the conversation goes on in memory and the user is told once. Each later write tries the
 * database again: once it works, what was kept in memory is written back (one transaction) and
 * the user is told saving resumed. Reads merge what is on disk with what is only in memory.
 */
export class FallbackSessionStore implements SessionStore {
  private disk: SqliteSessionStore | undefined;
  private readonly memory: MemorySessionStore;
  private failed = false;
  /** The lock wait of normal writes, restored when the database works again. */
  private normalLockWaitMs: number | undefined;
  private readonly known = new Map<string, Session>();
  /** Sessions adopted into memory from disk → how many of their messages are on disk. */
  private readonly savedCount = new Map<string, number>();
  /** Sessions renamed while in memory. */
  private readonly renamed = new Set<string>();
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

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    log.error("session database failed; continuing in memory", err);
    this.report(midRunNotice(err, this.disk?.path ?? "?"));
    // Retries should not hold the conversation up for the full lock wait each time.
    this.setLockWait(() => {
      this.normalLockWaitMs = this.disk?.busyTimeout();
      return Math.min(this.normalLockWaitMs ?? RETRY_LOCK_WAIT_MS, RETRY_LOCK_WAIT_MS);
    });
  }

  private setLockWait(ms: () => number | undefined): void {
    try {
      const value = ms();
      if (value !== undefined) this.disk?.busyTimeout(value);
    } catch (err) {
      log.debug("cannot change the session database's lock wait", err);
    }
  }

  /**
   * While the database is failing, try it again: write back what only memory holds. When that
   * works, memory is emptied, writes go to disk again and the user is told once.
   */
  private retry(): void {
    const disk = this.disk;
    if (!this.failed || !disk) return;
    const items: WriteBackItem[] = this.memory.listSessions().map((session) => ({
      session,
      messages: this.memory.messages(session.id),
      savedCount: this.savedCount.get(session.id),
      renamed: this.renamed.has(session.id),
    }));
    try {
      disk.writeBack(items);
    } catch (err) {
      // Still failing: stay in memory; the next write tries again.
      if (isDatabaseTrouble(err)) log.debug("session database still cannot be written", err);
      else log.warn("writing back the sessions kept in memory failed", err);
      return;
    }
    for (const { session } of items) this.memory.deleteSession(session.id);
    this.savedCount.clear();
    this.renamed.clear();
    this.failed = false;
    this.setLockWait(() => this.normalLockWaitMs);
    const pending = items.reduce((n, i) => n + i.messages.length - Math.min(i.savedCount ?? 0, i.messages.length), 0);
    log.info(`session database works again; wrote back ${pending} message(s) kept in memory`);
    this.onNotice?.(recoveredNotice(disk.path, pending));
    this.currentNotice = undefined;
  }

  /** Run a write on the database (after `retry()`); on database trouble switch to memory and return undefined. */
  private tryDisk<T>(op: (disk: SqliteSessionStore) => T): T | undefined {
    const disk = this.failed ? undefined : this.disk;
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
    const messages = this.readDisk((d) => d.messages(id)) ?? [];
    this.memory.adopt(session, messages);
    this.savedCount.set(id, messages.length);
  }

  private remember<T extends Session>(session: T): T {
    this.known.set(session.id, session);
    return session;
  }

  createSession(options: { character: string; model: string; title?: string }): Session {
    this.retry();
    return this.remember(this.tryDisk((d) => d.createSession(options)) ?? this.memory.createSession(options));
  }

  appendMessage(sessionId: string, message: NewMessage): StoredMessage {
    this.retry();
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
    this.retry();
    if (!this.memory.has(id)) {
      const renamed = this.tryDisk((d) => d.renameSession(id, title));
      if (renamed) return renamed;
      this.adopt(id);
    }
    const renamed = this.memory.renameSession(id, title);
    this.renamed.add(id);
    return renamed;
  }

  deleteSession(id: string): boolean {
    const inMemory = this.memory.deleteSession(id);
    this.savedCount.delete(id);
    this.renamed.delete(id);
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
    // A last chance for the turns kept in memory.
    this.retry();
    try {
      this.disk?.close();
    } catch (err) {
      log.warn("closing the session database failed", err);
    }
    this.disk = undefined;
  }
}
