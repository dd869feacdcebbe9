/**
 * Write a few settings into the user's config file (the XDG one: `~/.config/roleplay/config.yaml`),
 * keeping what is already there: YAML through the `yaml` document API (comments survive), JSON
 * rewritten. The file is replaced atomically.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { xdgDirs } from "../core/paths.js";

/** The user config file that exists, else the one to create (`config.yaml`). */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = xdgDirs(env).config;
  for (const name of ["config.yaml", "config.yml", "config.json"]) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return join(dir, "config.yaml");
}

function setNested(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1) ?? ""] = value;
}

/** Set dotted keys (e.g. "asr.model") in `file`, creating it when needed. */
export async function saveUserSettings(file: string, settings: Readonly<Record<string, string>>): Promise<void> {
  const text = existsSync(file) ? await readFile(file, "utf8") : "";
  let output: string;
  if (file.endsWith(".json")) {
    const values = (text.trim() ? JSON.parse(text) : {}) as unknown;
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
      throw new ConfigError("CONFIG_NOT_SAVED", `${file} does not hold a mapping of settings; not changed.`, {
        hint: "Fix the file, or set the model paths in it yourself",
      });
    }
    for (const [key, value] of Object.entries(settings))
      setNested(values as Record<string, unknown>, key.split("."), value);
    output = JSON.stringify(values, null, 2) + "\n";
  } else {
    const YAML = await import("yaml");
    const parsed = YAML.parseDocument(text);
    if (parsed.errors.length > 0 || (parsed.contents !== null && !YAML.isMap(parsed.contents))) {
      throw new ConfigError("CONFIG_NOT_SAVED", `${file} could not be read as a YAML mapping; not changed.`, {
        hint: "Fix the file, or set the model paths in it yourself",
      });
    }
    // An empty file (or only comments) has no contents: start a mapping, keeping the comments.
    const doc = parsed.contents === null ? new YAML.Document({}) : parsed;
    if (parsed.contents === null && parsed.commentBefore) doc.commentBefore = parsed.commentBefore;
    for (const [key, value] of Object.entries(settings)) doc.setIn(key.split("."), value);
    output = doc.toString();
  }
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, output);
  await rename(tmp, file);
}
