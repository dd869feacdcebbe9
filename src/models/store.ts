/**
 * The models folder: list what is there (files placed by hand included, recognised by their
 * magic bytes), map names and references to files, remove, describe.
 */
import { readdir, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ModelFileError, UsageError } from "../core/errors.js";
import { xdgDirs } from "../core/paths.js";
import { detectKind, type DetectedKind } from "./magic.js";
import { modelInfoOfFile, type ModelInfo } from "./info.js";
import { isModelRef, parseModelRef } from "./refs.js";

export type { ModelInfo, LlmInfo, WhisperInfo, PiperInfo } from "./info.js";

export interface ModelEntry {
  kind: DetectedKind;
  /** Short name: "base.en", "en_US-lessac-medium", the GGUF file name without .gguf. */
  name: string;
  /** The reference it can be pulled/named by, when there is one ("whisper:base.en"). */
  ref: string | undefined;
  /** The main file (the .gguf, .bin or .onnx). */
  path: string;
  /** Every file of the model (a Piper voice: the .onnx and the .onnx.json). */
  files: string[];
  /** Bytes of all its files. */
  size: number;
  inUse: boolean;
}

/** `<XDG data>/roleplay/models`. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDirs(env).data, "models");
}

const SKIP = /(\.part|\.ipull|\.json|\.md|\.txt|\.sha256)$/i;
const MODEL_EXT = /\.(gguf|bin|onnx)$/i;

function nameOf(kind: DetectedKind, file: string): { name: string; ref: string | undefined } {
  if (kind === "whisper") {
    const m = /^ggml-(.+)\.bin$/.exec(file);
    return m?.[1] ? { name: m[1], ref: `whisper:${m[1]}` } : { name: file.replace(/\.bin$/, ""), ref: undefined };
  }
  if (kind === "piper") {
    const name = file.replace(/\.onnx$/, "");
    return { name, ref: /^[a-z]{2,3}_[A-Z]{2}-[A-Za-z0-9_]+-(x_low|low|medium|high)$/.test(name) ? `piper:${name}` : undefined };
  }
  return { name: file.replace(/\.(gguf|onnx|bin)$/, ""), ref: undefined };
}

async function walk(dir: string, depth: number, out: string[]): Promise<void> {
  const items = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const it of items) {
    if (it.name.startsWith(".")) continue;
    const p = join(dir, it.name);
    if (it.isDirectory() && depth < 3) await walk(p, depth + 1, out);
    else if ((it.isFile() || it.isSymbolicLink()) && !SKIP.test(it.name)) out.push(p);
  }
}

function matchesInUse(entry: Omit<ModelEntry, "inUse">, inUse: readonly string[]): boolean {
  return inUse.some((u) => {
    const key = u.trim();
    return resolve(key) === entry.path || [entry.name, entry.ref, basename(entry.path)].includes(key);
  });
}

/**
 * Every model in `dir` (and up to three levels of subfolders), sorted by kind then name.
 * Files of an unknown kind are listed only when they carry a model extension (.gguf/.bin/.onnx),
 * so a damaged download shows up as "unknown".
 */
export async function listModels(dir: string, options: { inUse?: readonly string[] } = {}): Promise<ModelEntry[]> {
  const files: string[] = [];
  await walk(resolve(dir), 0, files);
  const out: ModelEntry[] = [];
  for (const path of files) {
    const s = await stat(path).catch(() => undefined);
    if (!s?.isFile()) continue;
    const kind = await detectKind(path).catch((): DetectedKind => "unknown");
    if (kind === "unknown" && !MODEL_EXT.test(path)) continue;
    const all = kind === "piper" ? [path, `${path}.json`] : [path];
    let size = s.size;
    if (kind === "piper") size += (await stat(`${path}.json`)).size;
    const entry = { kind, ...nameOf(kind, basename(path)), path, files: all, size };
    out.push({ ...entry, inUse: matchesInUse(entry, options.inUse ?? []) });
  }
  const order: Record<DetectedKind, number> = { llm: 0, whisper: 1, piper: 2, onnx: 3, unknown: 4 };
  return out.sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
}

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? join(homedir(), p.slice(1)) : p;
}

const isFile = (p: string): Promise<boolean> =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * The local file for a path, a reference (hf:…, whisper:…, piper:…, https://…) or a name shown
 * by `ls`, or undefined when it is not there. Never touches the network.
 */
export async function resolveModelPath(nameOrRef: string, dir: string): Promise<string | undefined> {
  const text = nameOrRef.trim();
  if (!text) return undefined;
  if (isModelRef(text)) {
    let ref;
    try {
      ref = parseModelRef(text);
    } catch {
      return undefined;
    }
    if (ref.kind === "llm") {
      try {
        const { resolveModelFile } = await import("node-llama-cpp");
        return await resolveModelFile(ref.llmUri ?? text, { directory: resolve(dir), download: false, cli: false });
      } catch {
        // not there under node-llama-cpp's name: try the repo's file name below
      }
    }
    for (const f of ref.files.slice(0, 1)) {
      const p = join(resolve(dir), f.fileName);
      if (await isFile(p)) return p;
    }
    const hit = (await listModels(dir)).find((e) => e.ref === ref.ref || basename(e.path) === ref.files[0]?.fileName);
    return hit?.path;
  }
  const asPath = expandHome(text);
  if (await isFile(resolve(asPath))) return resolve(asPath);
  if (await isFile(join(resolve(dir), asPath))) return join(resolve(dir), asPath);
  const lower = text.toLowerCase();
  const hit = (await listModels(dir)).find((e) =>
    [e.name, e.ref, basename(e.path)].some((k) => k !== undefined && k.toLowerCase() === lower),
  );
  return hit?.path;
}

/** Describe a model given a path, a reference or a name (see resolveModelPath). */
export async function modelInfo(refOrPath: string, options: { dir: string }): Promise<ModelInfo> {
  const path = await resolveModelPath(refOrPath, options.dir);
  if (!path) {
    throw new ModelFileError("MODEL_NOT_FOUND", `No model "${refOrPath}" in ${options.dir}.`, {
      hint: "`roleplay models ls` lists the models found; `roleplay models pull <ref>` fetches one",
    });
  }
  return modelInfoOfFile(path);
}

/**
 * Remove a model (all its files, and leftovers of an interrupted pull) from the models folder.
 * Only files inside `dir` are ever removed. A model in use is kept unless `force`.
 */
export async function removeModel(
  refOrName: string,
  options: { dir: string; inUse?: readonly string[]; force?: boolean },
): Promise<string[]> {
  const dir = resolve(options.dir);
  const path = await resolveModelPath(refOrName, dir);
  const entry = path ? (await listModels(dir, options.inUse ? { inUse: options.inUse } : {})).find((e) => e.path === path) : undefined;
  if (!path || !entry) {
    const outside = path && relative(dir, path).startsWith("..");
    throw new ModelFileError("MODEL_NOT_FOUND", outside ? `${path} is not in the models folder ${dir}.` : `No model "${refOrName}" in ${dir}.`, {
      hint: outside ? "Only models inside the models folder are removed; delete other files yourself" : "`roleplay models ls` lists the models found",
    });
  }
  if (entry.inUse && !options.force) {
    throw new UsageError("MODEL_IN_USE", `${entry.name} is the configured model.`, {
      hint: "Change the config first, or pass --force to remove it anyway",
    });
  }
  const removed: string[] = [];
  for (const f of entry.files) {
    if (!f.startsWith(dir + sep)) continue;
    await unlink(f);
    removed.push(f);
    await unlink(`${f}.part`).catch(() => undefined);
  }
  return removed;
}

/** A path as opposed to a name: it has a folder part (config paths are made absolute on load). */
export function looksLikeModelPath(value: string): boolean {
  return !isModelRef(value) && (isAbsolute(value) || /[\\/]/.test(value) || value.startsWith("~"));
}

/**
 * The file a configured model value (`model`, `asr.model`, `tts.voice`) stands for, as the app
 * and `doctor` both find it: resolveModelPath, then, for a path that does not exist, a file of
 * the same name in the models folder (`model: X.gguf` in a config file is made absolute against
 * the config's folder, though the file is in the models folder). Undefined when neither exists.
 */
export async function findConfiguredModel(
  value: string,
  dir: string,
  onFallback?: (path: string) => void,
): Promise<string | undefined> {
  const found = await resolveModelPath(value, dir);
  if (found || !looksLikeModelPath(value)) return found;
  const inFolder = await resolveModelPath(basename(value), dir);
  if (inFolder) onFallback?.(inFolder);
  return inFolder;
}

/** The files that configured values (paths, refs or names; undefined skipped) resolve to, for `inUse`. */
export async function inUsePaths(values: readonly (string | undefined)[], dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const v of values) {
    const p = v ? await findConfiguredModel(v, dir) : undefined;
    if (p) out.push(p);
  }
  return out;
}
