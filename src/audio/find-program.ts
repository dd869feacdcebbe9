import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * The absolute path of an executable program on PATH, or null. Checked before spawning so a
 * missing program becomes a clear message instead of a spawn ENOENT.
 */
export async function findOnPath(name: string, envPath = process.env.PATH ?? ""): Promise<string | null> {
  const candidates = isAbsolute(name)
    ? [name]
    : envPath
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      if ((await stat(file)).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}
