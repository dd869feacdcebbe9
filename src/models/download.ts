/**
 * A resumable, verifying, atomic file download over the global fetch (whisper and Piper files;
 * LLMs go through node-llama-cpp's downloader, see llm-download.ts).
 *
 * The bytes go to `<dest>.part`. A dropped connection resumes with a Range request from the
 * part's size; so does a later run after an interruption. At the end the size and the sha256
 * are checked against what the server publishes (a wrong checksum deletes the part), and the
 * part is renamed onto `<dest>`: a file under the final name is always complete.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, stat, truncate, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AbortError, DownloadError, isAbortError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { fetchSha256Sidecar, httpError, networkError, probeRemote } from "./http.js";
import { createRateMeter, etaSeconds } from "./progress.js";

const log = getLogger("models.download");

export interface FileProgress {
  downloadedBytes: number;
  totalBytes: number | undefined;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
  phase: "download" | "verify" | "done";
}

export interface DownloadOptions {
  url: string;
  /** Final path. The bytes go to `<dest>.part` first. */
  dest: string;
  /** Known size/checksum (e.g. from the registry); otherwise what the server publishes is used. */
  expectedSize?: number;
  expectedSha256?: string;
  /** Look for a `<url>.sha256` sidecar when the server publishes no checksum. Default false. */
  sidecar?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: FileProgress) => void;
  /** Consecutive failed attempts (without progress) before giving up. Default 5. */
  retries?: number;
  /** First retry delay; doubles each time. Default 500 ms. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

export interface DownloadResult {
  path: string;
  size: number;
  sha256: string;
  /** True when the sha256 was checked against a published value. */
  verified: boolean;
}

class RetryableError extends Error {}

export const partPathOf = (dest: string): string => `${dest}.part`;

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, signal ? { signal } : {})) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Download into `<dest>.part` and verify it; the caller lands it with `rename`. */
export async function downloadToPart(opts: DownloadOptions): Promise<DownloadResult> {
  const { url, signal } = opts;
  const fetchImpl = opts.fetch ?? fetch;
  const part = partPathOf(opts.dest);
  await mkdir(dirname(part), { recursive: true });
  const meta = await probeRemote(url, signal, fetchImpl);
  let total = opts.expectedSize ?? meta.size;
  let sha = opts.expectedSha256?.toLowerCase() ?? meta.sha256;
  if (!sha && opts.sidecar) sha = await fetchSha256Sidecar(url, signal, fetchImpl);
  let have = await sizeOf(part);
  if (total !== undefined && have > total) {
    await truncate(part, 0);
    have = 0;
  }
  if (have > 0) log.info(`resuming ${url} at ${have} bytes`);

  const meter = createRateMeter();
  let lastReport = 0;
  const report = (downloaded: number, force = false): void => {
    const speed = meter.sample(downloaded);
    const t = Date.now();
    if (!force && t - lastReport < 100) return;
    lastReport = t;
    opts.onProgress?.({
      downloadedBytes: downloaded,
      totalBytes: total,
      bytesPerSecond: speed,
      etaSeconds: etaSeconds(downloaded, total, speed),
      phase: "download",
    });
  };
  report(have, true);

  let failures = 0;
  let complete = total !== undefined && have === total;
  while (!complete) {
    if (signal?.aborted) throw new AbortError();
    const before = have;
    try {
      const r = await fetchSegment(url, part, have, total, fetchImpl, signal, (n) => report(n));
      have = r.size;
      total ??= r.total;
      complete = r.complete || (total !== undefined && have >= total);
    } catch (err) {
      if (signal?.aborted || isAbortError(err)) throw new AbortError();
      if (err instanceof DownloadError) throw err;
      have = await sizeOf(part);
      failures = have > before ? 1 : failures + 1;
      if (failures > (opts.retries ?? 5)) throw networkError(url, err);
      log.warn(`download interrupted at ${have} bytes, retrying`, err);
      await sleep((opts.retryDelayMs ?? 500) * 2 ** (failures - 1), undefined, signal ? { signal } : {}).catch(() => {
        throw new AbortError();
      });
    }
  }
  report(have, true);
  return verifyPart(part, url, have, total, sha, opts);
}

async function verifyPart(
  part: string,
  url: string,
  have: number,
  total: number | undefined,
  sha: string | undefined,
  opts: DownloadOptions,
): Promise<DownloadResult> {
  if (total !== undefined && have !== total) {
    await unlink(part).catch(() => undefined);
    throw new DownloadError("DOWNLOAD_SIZE_MISMATCH", `The download of ${url} has ${have} bytes, expected ${total}.`, {
      hint: "Run the pull again",
    });
  }
  opts.onProgress?.({ downloadedBytes: have, totalBytes: total, bytesPerSecond: 0, etaSeconds: undefined, phase: "verify" });
  const actual = await sha256File(part, opts.signal);
  if (sha && actual !== sha) {
    await unlink(part).catch(() => undefined);
    throw new DownloadError("CHECKSUM_MISMATCH", `Checksum mismatch for ${url}: the download was removed.`, {
      hint: "Run the pull again; if it fails again the server (or mirror) is serving a damaged file",
    });
  }
  const fh = await open(part, "r+");
  await fh.datasync().finally(() => fh.close());
  return { path: part, size: have, sha256: actual, verified: sha !== undefined };
}

/** One GET from `offset` appended to the part. Throws RetryableError / network errors to retry. */
async function fetchSegment(
  url: string,
  part: string,
  offset: number,
  total: number | undefined,
  fetchImpl: typeof fetch,
  signal: AbortSignal | undefined,
  onBytes: (size: number) => void,
): Promise<{ size: number; total: number | undefined; complete: boolean }> {
  const headers: Record<string, string> = { "Accept-Encoding": "identity" };
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  const res = await fetchImpl(url, { headers, ...(signal ? { signal } : {}) });
  if (res.status === 416) {
    await res.body?.cancel();
    if (total !== undefined && offset === total) return { size: offset, total, complete: true };
    await truncate(part, 0);
    throw new RetryableError("range not satisfiable");
  }
  if (res.status >= 500 || res.status === 429) {
    await res.body?.cancel();
    throw new RetryableError(`HTTP ${res.status}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw httpError(url, res.status, res.statusText);
  }
  let start = offset;
  if (res.status === 200) start = 0; // the server ignored the Range: start again
  else {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)/.exec(res.headers.get("content-range") ?? "");
    if (!m || Number(m[1]) !== offset) {
      await res.body?.cancel();
      await truncate(part, 0);
      throw new RetryableError("unexpected Content-Range");
    }
  }
  const length = Number(res.headers.get("content-length") ?? NaN);
  const segTotal = total ?? (Number.isFinite(length) ? start + length : undefined);
  const fh = await open(part, start === 0 ? "w" : "a");
  let size = start;
  try {
    if (res.body) {
      for await (const chunk of res.body) {
        await fh.write(chunk);
        size += chunk.byteLength;
        onBytes(size);
      }
    }
  } finally {
    await fh.close();
  }
  return { size, total: segTotal, complete: segTotal === undefined || size >= segTotal };
}

/** Download, verify and land `dest` atomically (see downloadToPart). */
export async function downloadFile(opts: DownloadOptions): Promise<DownloadResult> {
  const r = await downloadToPart(opts);
  await rename(r.path, opts.dest);
  opts.onProgress?.({ downloadedBytes: r.size, totalBytes: r.size, bytesPerSecond: 0, etaSeconds: undefined, phase: "done" });
  return { ...r, path: opts.dest };
}
