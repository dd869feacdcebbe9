/**
 * `roleplay models pull <ref>`: fetch a model into the models folder with progress, resume,
 * verification and an atomic landing. LLM GGUFs go through node-llama-cpp's resolver and
 * downloader (llm-download.ts); whisper and Piper files through our own (download.ts), because
 * they are not GGUF and node-llama-cpp's downloader is about models it can load.
 */
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { downloadToPart, partPathOf, type FileProgress } from "./download.js";
import { downloadLlm } from "./llm-download.js";
import type { PullProgress } from "./progress.js";
import { parseModelRef, resolveHubEndpoint, type ModelRef } from "./refs.js";
import { findRegistryEntry } from "./registry.js";
import { resolveModelPath } from "./store.js";

export type { PullProgress } from "./progress.js";
export { createProgressRenderer, formatProgressLine, formatBytes } from "./progress.js";

export interface PullOptions {
  /** The models folder (created when missing). */
  modelsDir: string;
  /**
   * Hub base URL (resolveHubEndpoint of the loaded config). Default: ROLEPLAY_MODELS_HF_ENDPOINT,
   * else ROLEPLAY_HF_ENDPOINT, else https://huggingface.co.
   */
  endpoint?: string;
  signal?: AbortSignal;
  onProgress?: (p: PullProgress) => void;
  /** Download again even when the file is already there. */
  force?: boolean;
  /** Retries of our own downloader after a dropped connection (default 5). */
  retries?: number;
  retryDelayMs?: number;
}

export interface PullResult {
  ref: ModelRef;
  /** The landed files (a Piper voice: the .onnx then the .onnx.json). */
  paths: string[];
  /** The file to configure (the .gguf, the .bin, the .onnx). */
  path: string;
  /** True when everything was already there and nothing was downloaded. */
  skipped: boolean;
  /** True when every file's sha256 was checked against a published value. */
  verified: boolean;
}

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Pull one model. Throws UsageError (bad ref), DownloadError (network, 404, checksum) or AbortError. */
export async function pullModel(refOrText: string | ModelRef, options: PullOptions): Promise<PullResult> {
  const endpoint = options.endpoint ?? resolveHubEndpoint();
  const ref = typeof refOrText === "string" ? parseModelRef(refOrText, { endpoint }) : refOrText;
  await mkdir(options.modelsDir, { recursive: true });
  const emit = (file: string, index: number, count: number, p: FileProgress): void =>
    options.onProgress?.({ ref: ref.ref, file, fileIndex: index, fileCount: count, ...p });

  if (ref.kind === "llm" && ref.llmUri) {
    const present = options.force ? undefined : await resolveModelPath(ref.ref, options.modelsDir);
    if (present) return { ref, paths: [present], path: present, skipped: true, verified: false };
    let file = ref.name;
    const r = await downloadLlm(ref, {
      modelsDir: options.modelsDir,
      endpoint,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.force ? { force: true } : {}),
      onFile: (name) => (file = name),
      onProgress: (p) => emit(file, 1, 1, p),
    });
    return { ref, paths: [r.path], path: r.path, skipped: r.skipped, verified: r.verified };
  }

  const dests = ref.files.map((f) => join(options.modelsDir, f.fileName));
  if (!options.force && (await Promise.all(dests.map(exists))).every(Boolean)) {
    return { ref, paths: dests, path: dests[0] ?? "", skipped: true, verified: false };
  }
  // Every file goes to its .part first; they land together at the end (the .onnx.json before the
  // .onnx, so a voice is never seen without its config).
  const parts: string[] = [];
  let verified = true;
  for (const [i, f] of ref.files.entries()) {
    const dest = dests[i] ?? join(options.modelsDir, f.fileName);
    const sha256 = ref.files.length === 1 ? findRegistryEntry(ref.ref)?.sha256 : undefined;
    const r = await downloadToPart({
      url: f.url,
      dest,
      ...(sha256 ? { expectedSha256: sha256 } : {}),
      sidecar: f.hub === undefined,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      onProgress: (p) => emit(f.fileName, i + 1, ref.files.length, p),
    });
    parts.push(r.path);
    verified &&= r.verified;
  }
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i];
    const dest = dests[i];
    if (part && dest) await rename(part, dest);
  }
  for (const [i, f] of ref.files.entries()) {
    const size = (await stat(dests[i] ?? "")).size;
    emit(f.fileName, i + 1, ref.files.length, {
      downloadedBytes: size,
      totalBytes: size,
      bytesPerSecond: 0,
      etaSeconds: undefined,
      phase: "done",
    });
  }
  return { ref, paths: dests, path: dests[0] ?? "", skipped: false, verified };
}

/** Remove leftovers of interrupted pulls of this ref (its `.part` files). */
export async function discardPartial(ref: ModelRef, modelsDir: string): Promise<void> {
  for (const f of ref.files) await unlink(partPathOf(join(modelsDir, f.fileName))).catch(() => undefined);
}
