import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { NativeModuleError, errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { xdgDirs } from "../core/paths.js";
import { FallbackSessionStore } from "./fallback-store.js";
import { MemorySessionStore } from "./memory-store.js";
import { checkBeforeWriting, migrate } from "./migrations.js";
import { SqliteSessionStore } from "./sqlite-store.js";
import { openNotice } from "./trouble.js";
import type { SessionStore } from "./types.js";

export type { SessionStore } from "./types.js";

const log = getLogger("sessions");

export interface OpenSessionStoreOptions {
  /** How long to wait for a lock held by another process, in ms (default 3000). */
  timeoutMs?: number;
  /** Called with each notice: at open when the database cannot be used, and once if it fails later. */
  onNotice?: (notice: string) => void;
  /** Cap the database at this many pages; writes beyond it fail as on a full disk (quotas, tests). */
  maxPageCount?: number;
}

/** Where sessions live by default: `$XDG_DATA_HOME/roleplay/sessions.db`. */
export function defaultSessionDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDirs(env).data, "sessions.db");
}

type DatabaseConstructor = typeof BetterSqlite3;

async function loadSqlite(): Promise<DatabaseConstructor> {
  try {
    const mod = (await import("better-sqlite3")) as { default: DatabaseConstructor };
    return mod.default;
  } catch (err) {
    throw new NativeModuleError(
      "NATIVE_SQLITE",
      `the SQLite module (better-sqlite3) could not be loaded: ${errorMessage(err)}`,
      {
        hint: "Reinstall roleplay (npm rebuild better-sqlite3) to save sessions.",
        cause: err,
      },
    );
  }
}

/** Open (creating or migrating) the database and configure it; throws on any trouble. */
export async function openSqliteStore(
  path: string,
  options: OpenSessionStoreOptions = {},
): Promise<SqliteSessionStore> {
  const Database = await loadSqlite();
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.timeoutMs ?? 3000 });
  try {
    // Read-only checks first: a damaged, foreign or newer file fails here, before anything is written.
    checkBeforeWriting(db);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    // In WAL mode NORMAL still makes every commit survive a crash of the process (not of the OS).
    db.pragma("synchronous = NORMAL");
    migrate(db);
    if (options.maxPageCount !== undefined)
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxPageCount))}`);
    return new SqliteSessionStore(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The session store for a run. Never throws for database trouble: when the database is locked,
 * damaged, read-only or the disk is full, the store keeps the conversation in memory and `notice`
 * says why (`persistent` is false). A damaged file is never deleted or overwritten.
 */
export async function openSessionStore(
  path: string = defaultSessionDbPath(),
  options: OpenSessionStoreOptions = {},
): Promise<SessionStore> {
  try {
    const disk = await openSqliteStore(path, options);
    return new FallbackSessionStore(disk, options.onNotice ? { onNotice: options.onNotice } : {});
  } catch (err) {
    log.error(`cannot open the session database ${path}`, err);
    return new FallbackSessionStore(undefined, {
      notice: openNotice(err, path),
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    });
  }
}

/** A store that keeps everything in memory (e.g. `--no-save`); `notice` is undefined. */
export function createMemoryStore(): SessionStore {
  return new MemorySessionStore();
}
