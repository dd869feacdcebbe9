import { RoleplayError, errorMessage } from "../core/errors.js";
import { getLogger, logFilePath } from "../core/log.js";

const log = getLogger("cli");

/**
 * Print an error the way a user should see it: one line, a hint, no stack trace (the stack goes to
 * the log file; --verbose prints it too). Returns the exit code.
 */
export function reportError(err: unknown, options: { verbose?: boolean; write?: (s: string) => void } = {}): number {
  const write = options.write ?? ((s: string) => process.stderr.write(s));
  log.error("fatal", err);
  if (err instanceof RoleplayError) {
    write(`roleplay: ${err.message}\n`);
    if (err.hint) write(`  hint: ${err.hint}\n`);
  } else {
    write(`roleplay: unexpected error: ${errorMessage(err)}\n`);
    const file = logFilePath();
    if (file && !options.verbose) write(`  details: ${file}\n`);
  }
  if (options.verbose && err instanceof Error && err.stack) write(`${err.stack}\n`);
  return err instanceof RoleplayError ? err.exitCode : 1;
}
