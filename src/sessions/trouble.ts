import { StorageError, errorMessage } from "../core/errors.js";

/** SQLite and file-system error codes that mean "the database cannot be used now" (not a bug). */
const TROUBLE =
  /^(SQLITE_(BUSY|LOCKED|FULL|IOERR|CORRUPT|NOTADB|READONLY|CANTOPEN|PERM|NOMEM|PROTOCOL|AUTH)|E(ACCES|ROFS|NOSPC|NOTDIR|PERM|IO|DQUOT|ISDIR|NOENT|EXIST))/;

function codeOf(err: unknown): string {
  if (err instanceof StorageError) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/** Whether an error thrown by the database means trouble with the database or the disk. */
export function isDatabaseTrouble(err: unknown): boolean {
  if (err instanceof StorageError) return err.code !== "SESSION_NOT_FOUND";
  if (TROUBLE.test(codeOf(err))) return true;
  return err instanceof TypeError && /database connection is not open/i.test(err.message);
}

/** What went wrong, in words a user understands. */
export function describeTrouble(err: unknown): string {
  const code = codeOf(err);
  if (err instanceof StorageError) return err.message;
  if (/^SQLITE_(BUSY|LOCKED)/.test(code))
    return "the database is locked by another program (another roleplay running?)";
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return "the database file is damaged (not a valid SQLite database)";
  if (/^(SQLITE_FULL|ENOSPC|EDQUOT)/.test(code)) return "the disk is full";
  if (/^(SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_PERM|EACCES|EROFS|EPERM|ENOTDIR|EISDIR|ENOENT|EEXIST)/.test(code)) {
    return "the database cannot be written (read-only folder or file?)";
  }
  if (/^(SQLITE_IOERR|EIO)/.test(code)) return "a disk error occurred";
  return errorMessage(err);
}

export function openNotice(err: unknown, path: string): string {
  return (
    `Sessions are not being saved: ${describeTrouble(err)} (${path}). ` +
    "This conversation goes on in memory; nothing already saved was changed."
  );
}

export function midRunNotice(err: unknown, path: string): string {
  return (
    `Saving stopped: ${describeTrouble(err)} (${path}). ` +
    "The conversation goes on in memory from here; everything saved so far is kept."
  );
}

export function recoveredNotice(path: string, written: number): string {
  const kept = written === 1 ? "the message kept in memory was" : `the ${written} messages kept in memory were`;
  return written > 0 ? `Saving resumed: ${kept} written to ${path}.` : `Saving resumed (${path}).`;
}
