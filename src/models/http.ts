/**
 * HTTP helpers for downloads: a metadata probe that reads what the hub publishes about a file
 * (size and sha256), and error mapping from HTTP statuses to DownloadError.
 */
import { DownloadError, isAbortError } from "../core/errors.js";

export interface RemoteMeta {
  /** Size in bytes, when the server says (X-Linked-Size, else Content-Length). */
  size: number | undefined;
  /** Lower-case hex sha256, when published (X-Linked-Etag / ETag of an LFS file). */
  sha256: string | undefined;
  acceptRanges: boolean;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A sha256 from an ETag-like header value (`"abc…"`, `W/"abc…"`), or undefined if it is not one. */
export function sha256FromEtag(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const v = value
    .trim()
    .replace(/^W\//, "")
    .replace(/^"|"$/g, "")
    .toLowerCase();
  return SHA256.test(v) ? v : undefined;
}

/** The user-facing error for an HTTP status. */
export function httpError(url: string, status: number, statusText = ""): DownloadError {
  if (status === 404) {
    return new DownloadError("MODEL_NOT_ON_SERVER", `Not found on the server (404): ${url}`, {
      hint: "Check the model name, and that the hub (or mirror) has that file",
    });
  }
  if (status === 401 || status === 403) {
    return new DownloadError("DOWNLOAD_FORBIDDEN", `The server refused the download (${status}): ${url}`, {
      hint: "The model may be gated: accept its licence on the hub, or download it by hand into the models folder",
    });
  }
  return new DownloadError("DOWNLOAD_HTTP", `The server answered ${status} ${statusText}`.trim() + `: ${url}`, {
    hint: "Try again later, or set ROLEPLAY_HF_ENDPOINT to a mirror",
  });
}

/** A network failure (no route, DNS, reset) as a DownloadError with an offline hint. */
export function networkError(url: string, cause: unknown): DownloadError {
  const detail = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
  return new DownloadError("DOWNLOAD_NETWORK", `Could not reach ${new URL(url).host}: ${detail}`, {
    hint: "Check the network (or set ROLEPLAY_HF_ENDPOINT to a mirror); offline, place the files in the models folder by hand",
    cause,
  });
}

/**
 * HEAD the URL, following redirects by hand so that the hub's X-Linked-Size / X-Linked-Etag
 * (which sit on the redirect, not on the CDN answer) are seen.
 */
export async function probeRemote(url: string, signal?: AbortSignal, fetchImpl: typeof fetch = fetch): Promise<RemoteMeta> {
  let current = url;
  let size: number | undefined;
  let sha256: string | undefined;
  for (let hop = 0; hop < 8; hop++) {
    let res: Response;
    try {
      res = await fetchImpl(current, {
        method: "HEAD",
        redirect: "manual",
        headers: { "Accept-Encoding": "identity" },
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (isAbortError(err) || signal?.aborted) throw err;
      throw networkError(current, err);
    }
    const linkedSize = Number(res.headers.get("x-linked-size") ?? NaN);
    if (size === undefined && Number.isFinite(linkedSize) && linkedSize >= 0) size = linkedSize;
    sha256 ??= sha256FromEtag(res.headers.get("x-linked-etag"));
    // A plain ETag is a sha256 only on the hub's answer for an LFS file (the one with X-Linked-Size);
    // elsewhere (git blobs, S3, CDNs) it is some other hash.
    if (res.headers.has("x-linked-size")) sha256 ??= sha256FromEtag(res.headers.get("etag"));
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      current = new URL(location, current).href;
      continue;
    }
    if (res.status === 405 || res.status === 501) return { size, sha256, acceptRanges: false };
    if (!res.ok) throw httpError(url, res.status, res.statusText);
    const length = Number(res.headers.get("content-length") ?? NaN);
    if (size === undefined && Number.isFinite(length) && length >= 0 && !res.headers.get("content-encoding")) size = length;
    return { size, sha256, acceptRanges: res.headers.get("accept-ranges") === "bytes" };
  }
  throw new DownloadError("DOWNLOAD_REDIRECTS", `Too many redirects: ${url}`, { hint: "Check the URL or the mirror" });
}

/** A `<url>.sha256` sidecar (first 64-hex word), or undefined when there is none. */
export async function fetchSha256Sidecar(url: string, signal?: AbortSignal, fetchImpl: typeof fetch = fetch): Promise<string | undefined> {
  try {
    const res = await fetchImpl(`${url}.sha256`, signal ? { signal } : {});
    if (!res.ok) {
      await res.body?.cancel();
      return undefined;
    }
    const text = (await res.text()).slice(0, 4096);
    const word = /\b([0-9a-fA-F]{64})\b/.exec(text)?.[1];
    return word?.toLowerCase();
  } catch (err) {
    if (signal?.aborted) throw err;
    return undefined;
  }
}
