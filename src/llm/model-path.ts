/** Resolve, stat and open a model path, turning each file-system failure into a ModelFileError. */
import { existsSync, readdirSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ModelFileError } from "../core/errors.js";
import { fail } from "./model-errors.js";

function ggufFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith(".gguf"))
      .slice(0, 3);
  } catch {
    return [];
  }
}

/** The ModelFileError for a failed stat/open of `shown` (exported for tests). */
export function describeOpenError(shown: string, abs: string, err: unknown): ModelFileError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    const found = existsSync(dirname(abs)) ? ggufFilesIn(dirname(abs)) : [];
    const hint = found.length
      ? `That folder has: ${found.join(", ")}.`
      : "Check the path; a model is a .gguf file (see models/README.md).";
    return new ModelFileError("MODEL_NOT_FOUND", `Model file not found: ${shown}`, { hint, cause: err });
  }
  if (code === "EACCES" || code === "EPERM") {
    return new ModelFileError("MODEL_UNREADABLE", `Model file is not readable: ${shown} (permission denied)`, {
      hint: `Make it readable for this user, e.g. chmod a+r ${shown}`,
      cause: err,
    });
  }
  return new ModelFileError("MODEL_UNREADABLE", `Model file cannot be read: ${shown} (${code ?? String(err)})`, {
    hint: "Check that the file is on a mounted, readable disk.",
    cause: err,
  });
}

export function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? join(homedir(), p.slice(1)) : p;
}

/** Open a model file for reading; `shown` is the path as the user wrote it. */
export async function openModel(shown: string, abs: string): Promise<{ handle: FileHandle; size: number }> {
  const st = await stat(abs).catch((err: unknown) => {
    throw describeOpenError(shown, abs, err);
  });
  if (st.isDirectory()) {
    const found = ggufFilesIn(abs);
    const hint = found.length
      ? `Pass a file inside it, e.g. ${join(shown, found[0] ?? "")}`
      : "Pass the path of a .gguf file, not a folder.";
    fail("MODEL_NOT_FOUND", `Model path is a folder, not a file: ${shown}`, hint);
  }
  if (!st.isFile())
    fail("MODEL_UNREADABLE", `Model path is not a regular file: ${shown}`, "Pass the path of a .gguf file.");
  const handle = await open(abs, "r").catch((err: unknown) => {
    throw describeOpenError(shown, abs, err);
  });
  return { handle, size: st.size };
}
