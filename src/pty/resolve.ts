import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { PtySpawnError } from "./errors.js";

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Find the program the way execvp will (through the child's PATH), so a missing or
 * non-executable command is a clear error instead of a child that prints "execvp failed".
 */
export function resolveCommand(command: string, pathVar: string, cwd: string): string {
  if (command.trim().length === 0) {
    throw new PtySpawnError("PTY_COMMAND_MISSING", "no command to wrap", {
      hint: "Usage: roleplay wrap -- <command> [args]",
    });
  }
  if (command.includes("/")) {
    const full = isAbsolute(command) ? command : resolve(cwd, command);
    if (isExecutableFile(full)) return full;
    let exists = false;
    try {
      exists = statSync(full).isFile();
    } catch {
      exists = false;
    }
    throw new PtySpawnError(
      exists ? "PTY_COMMAND_NOT_EXECUTABLE" : "PTY_COMMAND_NOT_FOUND",
      exists ? `${command} is not executable` : `${command} does not exist`,
      { hint: exists ? `Make it executable: chmod +x ${command}` : "Check the path of the program to wrap" },
    );
  }
  for (const dir of pathVar.split(delimiter)) {
    const candidate = join(dir === "" ? cwd : dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new PtySpawnError("PTY_COMMAND_NOT_FOUND", `command not found: ${command}`, {
    hint: "Install it or give its full path: roleplay wrap -- /path/to/program",
  });
}

/** The working directory must exist; node-pty would otherwise fail inside the forked child. */
export function checkCwd(cwd: string): void {
  let ok = false;
  try {
    ok = statSync(cwd).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok)
    throw new PtySpawnError("PTY_BAD_CWD", `working directory does not exist: ${cwd}`, {
      hint: "Run roleplay from an existing directory",
    });
}
