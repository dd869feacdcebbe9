/**
 * Named errors with a user-facing message and a hint. The CLI prints `message` and `hint`
 * (no stack trace) and exits with `exitCode`; the stack goes to the log file.
 */
export class RoleplayError extends Error {
  /** Stable machine-readable code, e.g. "MODEL_NOT_FOUND". */
  readonly code: string;
  /** One line telling the user what to do about it. */
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** A model file is missing, unreadable, corrupt, of the wrong kind or too large. */
export class ModelFileError extends RoleplayError {}

/** The configuration could not be read or did not validate. */
export class ConfigError extends RoleplayError {}

/** An audio device or program (recorder, sound card) is not usable. */
export class AudioDeviceError extends RoleplayError {}

/** A native module (node-pty, speaker, smart-whisper, onnxruntime) could not be loaded. */
export class NativeModuleError extends RoleplayError {}

/** A character file or card is invalid. */
export class CharacterError extends RoleplayError {}

/** The session database could not be used. */
export class StorageError extends RoleplayError {}

/** A model download failed. */
export class DownloadError extends RoleplayError {}

/** A usage error on the command line. */
export class UsageError extends RoleplayError {}

/** An operation was cancelled through its AbortSignal. */
export class AbortError extends Error {
  constructor(message = "aborted") {
    super(message);
    this.name = "AbortError";
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || (err as { code?: string }).code === "ABORT_ERR");
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

/** Describe any thrown value in one line. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
