import { extname, isAbsolute, join, resolve } from "node:path";
import { clonePlain } from "./merge.js";

/**
 * Path-like settings and how a value is recognised as a path. A relative path is resolved against
 * the folder of the file that set it (or the working folder for env vars and flags), and `~` is the
 * home folder. Model references (`hf:...`, `whisper:...`, `https://...`) and names without a path
 * separator or a file extension are left as they are (they are resolved by name elsewhere).
 */
type Rule = { always: true } | { keywords: readonly string[] } | { extensions: readonly string[] };

export const PATH_SETTINGS: Readonly<Record<string, Rule>> = {
  model: { extensions: [".gguf", ".bin"] },
  character: { extensions: [".yaml", ".yml", ".json", ".png"] },
  "asr.model": { extensions: [".bin", ".gguf"] },
  "vad.model": { extensions: [".onnx"] },
  "tts.voice": { extensions: [".onnx"] },
  "audio.input": { keywords: ["mic", "none"] },
  "audio.output": { keywords: ["speaker", "none"] },
  "sessions.database": { always: true },
  "models.dir": { always: true },
  "log.file": { always: true },
  "log.metricsFile": { always: true },
};

const reference = /^[a-z][a-z0-9+.-]+:/i;

function isPathLike(value: string, rule: Rule): boolean {
  if ("always" in rule) return value !== ":memory:";
  if ("keywords" in rule) return !rule.keywords.includes(value);
  if (reference.test(value)) return false;
  if (isAbsolute(value) || value === "~" || value.startsWith("~/") || value.startsWith(".")) return true;
  if (value.includes("/") || value.includes("\\")) return true;
  return rule.extensions.includes(extname(value).toLowerCase());
}

/** Expand `~` and make a relative path absolute against `base`. */
export function resolvePath(value: string, base: string, home: string): string {
  if (value === "~") return home;
  if (value.startsWith("~/")) return join(home, value.slice(2));
  return resolve(base, value);
}

/** Resolve the path-like settings of one layer (a partial config object), returning a copy. */
export function resolveLayerPaths<T extends Record<string, unknown>>(values: T, base: string, home: string): T {
  const out = clonePlain(values) as Record<string, unknown>;
  for (const [key, rule] of Object.entries(PATH_SETTINGS)) {
    const parts = key.split(".");
    let parent: Record<string, unknown> | undefined = out;
    for (const part of parts.slice(0, -1)) {
      const next: unknown = parent?.[part];
      parent =
        next !== null && typeof next === "object" && !Array.isArray(next)
          ? (next as Record<string, unknown>)
          : undefined;
    }
    const last = parts[parts.length - 1]!;
    const value = parent?.[last];
    if (parent && typeof value === "string" && value !== "" && isPathLike(value, rule)) {
      parent[last] = resolvePath(value, base, home);
    }
  }
  return out as T;
}
