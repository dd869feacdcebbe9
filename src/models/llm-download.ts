/**
 * LLM downloads through node-llama-cpp's own resolver and downloader (`createModelDownloader`,
 * pointed at the configured hub with its `endpoints.huggingFace` option), so `hf:user/repo:quant`
 * resolves exactly as node-llama-cpp resolves it and files get node-llama-cpp's names (its own
 * `resolveModelFile(uri, dir)` finds them).
 *
 * That downloader (ipull) resumes by itself (5 MB chunks, a `.ipull` progress file) and renames
 * its temporary file when the transfer ends, but it does not check a sha256. So it downloads
 * into a staging folder `<models>/.partial/`; we then check the size and the sha256 the hub
 * publishes (X-Linked-Etag) and rename the file into the models folder. A file under its final
 * name is therefore always complete and verified; an interrupted or rejected download only ever
 * leaves something in `.partial/` (which `ls` ignores and the next pull resumes).
 */
import { mkdir, rename, rmdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, DownloadError, NativeModuleError, errorMessage, isAbortError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { sha256File } from "./download.js";
import { fetchSha256Sidecar, httpError, networkError, probeRemote } from "./http.js";
import { findRegistryEntry } from "./registry.js";
import type { FileProgress } from "./download.js";
import type * as NodeLlamaCppModule from "node-llama-cpp";
import type { ModelRef } from "./refs.js";

const log = getLogger("models.llm");

export const STAGING_DIR = ".partial";

export interface LlmDownloadOptions {
  modelsDir: string;
  endpoint: string;
  signal?: AbortSignal;
  onFile?: (fileName: string) => void;
  onProgress?: (p: FileProgress) => void;
  /** Replace an existing file of the same name. */
  force?: boolean;
}

export interface LlmDownloadResult {
  path: string;
  size: number;
  verified: boolean;
  skipped: boolean;
}

type NodeLlamaCpp = typeof NodeLlamaCppModule;

async function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  try {
    return await import("node-llama-cpp");
  } catch (err) {
    throw new NativeModuleError("NODE_LLAMA_CPP_MISSING", `node-llama-cpp could not be loaded: ${errorMessage(err)}`, {
      hint: "Reinstall the package (npm install) on this machine",
      cause: err,
    });
  }
}

/** Map an error of node-llama-cpp / ipull to a DownloadError with a hint. */
function mapError(err: unknown, uri: string): Error {
  if (isAbortError(err)) return new AbortError();
  if (err instanceof DownloadError) return err;
  const status = (err as { statusCode?: unknown }).statusCode;
  const msg = errorMessage(err);
  if (typeof status === "number") return httpError(uri, status);
  if (/Cannot get quantization/.test(msg)) {
    return new DownloadError("MODEL_NOT_ON_SERVER", `The hub has no such quantisation: ${uri}`, {
      hint: "Pick another quantisation (e.g. :Q4_K_M), or name the file: hf:user/repo/file.gguf",
    });
  }
  if (/does not exist|404/.test(msg)) return httpError(uri, 404);
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|network/i.test(msg)) return networkError(uri.startsWith("http") ? uri : "https://huggingface.co", err);
  return new DownloadError("DOWNLOAD_FAILED", `Could not download ${uri}: ${msg}`, { hint: "Run the pull again", cause: err });
}

/** The URL the downloader resolved; it keeps it in an internal field, read with a guard. */
function resolvedUrl(downloader: object): string | undefined {
  const url = (downloader as { _modelUrl?: unknown })._modelUrl;
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : undefined;
}

export async function downloadLlm(ref: ModelRef, opts: LlmDownloadOptions): Promise<LlmDownloadResult> {
  try {
    return await downloadLlmStaged(ref, opts);
  } finally {
    // Tidy: the staging folder goes when nothing resumable is left in it.
    await rmdir(join(opts.modelsDir, STAGING_DIR)).catch(() => undefined);
  }
}

async function downloadLlmStaged(ref: ModelRef, opts: LlmDownloadOptions): Promise<LlmDownloadResult> {
  const uri = ref.llmUri ?? ref.ref;
  const { createModelDownloader } = await loadNodeLlamaCpp();
  // Probe a known URL first: node-llama-cpp's downloader retries an unreachable host for many
  // minutes, while an offline user should hear at once. The answer also gives size and sha256.
  const known = ref.files[0];
  let meta = known ? await probeRemote(known.url, opts.signal) : undefined;
  // A plain URL (not the hub) may publish its checksum as a `<url>.sha256` sidecar.
  if (known && meta && !meta.sha256 && !known.hub) {
    const sidecar = await fetchSha256Sidecar(known.url, opts.signal);
    if (sidecar) meta = { ...meta, sha256: sidecar };
  }
  const registrySha = findRegistryEntry(ref.ref)?.sha256;
  if (registrySha && meta) meta = { ...meta, sha256: registrySha };
  const staging = join(opts.modelsDir, STAGING_DIR);
  await mkdir(staging, { recursive: true });
  if (opts.signal?.aborted) throw new AbortError();

  let downloader: Awaited<ReturnType<NodeLlamaCpp["createModelDownloader"]>>;
  try {
    downloader = await createModelDownloader({
      modelUri: uri,
      dirPath: staging,
      endpoints: { huggingFace: `${opts.endpoint}/` },
      showCliProgress: false,
      skipExisting: true,
      // Keep the `.ipull` file on Ctrl+C so the next pull resumes where this one stopped.
      deleteTempFileOnCancel: false,
      onProgress: (s) =>
        opts.onProgress?.({
          downloadedBytes: s.downloadedSize,
          totalBytes: s.totalSize || undefined,
          bytesPerSecond: s.averageSpeed,
          etaSeconds: Number.isFinite(s.estimatedTimeLeft) ? s.estimatedTimeLeft / 1000 : undefined,
          phase: "download",
        }),
    });
  } catch (err) {
    throw mapError(err, uri);
  }
  const fileName = downloader.entrypointFilename;
  const dest = join(opts.modelsDir, fileName);
  opts.onFile?.(fileName);
  if (downloader.totalFiles !== 1) {
    await downloader.cancel({ deleteTempFile: false });
    throw new DownloadError("SPLIT_MODEL", `${uri} is split into ${downloader.totalFiles} files, which roleplay does not pull.`, {
      hint: "Pick a single-file quantisation (e.g. Q4_K_M of a 1-3B model)",
    });
  }
  const existing = await stat(dest).catch(() => undefined);
  if (existing && !opts.force) {
    await downloader.cancel({ deleteTempFile: false });
    return { path: dest, size: existing.size, verified: false, skipped: true };
  }

  // For hf:user/repo:quant, what the hub publishes about the resolved file, read before the transfer.
  if (!meta) {
    const url = resolvedUrl(downloader);
    meta = url ? await probeRemote(url, opts.signal).catch(() => undefined) : undefined;
  }

  let staged: string;
  try {
    staged = await downloader.download(opts.signal ? { signal: opts.signal } : {});
  } catch (err) {
    throw mapError(err, uri);
  }
  // On abort the downloader cancels itself and may return without an error: check.
  if (opts.signal?.aborted) throw new AbortError();
  const size = (await stat(staged).catch(() => undefined))?.size;
  if (size === undefined) {
    throw new DownloadError("DOWNLOAD_INCOMPLETE", `The download of ${uri} did not complete.`, { hint: "Run the pull again: it resumes" });
  }
  const expectedSize = meta?.size ?? (downloader.totalSize || undefined);
  if (expectedSize !== undefined && size !== expectedSize) {
    await unlink(staged).catch(() => undefined);
    throw new DownloadError("DOWNLOAD_SIZE_MISMATCH", `The download of ${uri} has ${size} bytes, expected ${expectedSize}.`, {
      hint: "Run the pull again",
    });
  }
  if (meta?.sha256) {
    opts.onProgress?.({ downloadedBytes: size, totalBytes: size, bytesPerSecond: 0, etaSeconds: undefined, phase: "verify" });
    const actual = await sha256File(staged, opts.signal).catch((err: unknown) => {
      throw isAbortError(err) ? new AbortError() : err;
    });
    if (actual !== meta.sha256) {
      await unlink(staged).catch(() => undefined);
      throw new DownloadError("CHECKSUM_MISMATCH", `Checksum mismatch for ${uri}: the download was removed.`, {
        hint: "Run the pull again; if it fails again the server (or mirror) is serving a damaged file",
      });
    }
  } else log.info(`no published checksum for ${uri}; size checked only`);
  await rename(staged, dest);
  opts.onProgress?.({ downloadedBytes: size, totalBytes: size, bytesPerSecond: 0, etaSeconds: undefined, phase: "done" });
  return { path: dest, size, verified: meta?.sha256 !== undefined, skipped: false };
}
