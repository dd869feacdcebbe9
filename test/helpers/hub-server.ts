/**
 * A local stand-in for the Hugging Face hub, for download tests. It listens on 127.0.0.1 only
 * (random port) and serves fixture files in the hub's URL layout:
 *
 *   GET|HEAD /<user>/<repo>/resolve/<branch>/<path...>   the file (Range supported)
 *   GET      /v2/<user>/<repo>/manifests/<tag>            {"ggufFile":{"rfilename":...}} (for hf:user/repo:quant)
 *
 * Like the hub, a file answer carries X-Linked-Size and X-Linked-Etag (the sha256) and an ETag.
 * Faults can be injected per file: drop the connection once after N bytes, advertise a wrong
 * checksum, or send slowly. Every request is recorded in `requests`. Call `close()` in afterAll.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface HubFile {
  /** "user/repo" */
  repo: string;
  /** Path inside the repo, e.g. "ggml-base.en.bin" or "en/en_US/lessac/medium/en_US-lessac-medium.onnx". */
  path: string;
  data: Buffer;
}

export interface HubFaults {
  /** Drop the connection once, after this many bytes of the body (first GET of the file only). */
  dropOnceAfter?: number;
  /** Only a GET that carries a Range header may be dropped (for downloaders that probe with a plain GET first). */
  dropOnlyRanged?: boolean;
  /** Advertise this sha256 instead of the real one. */
  wrongSha256?: boolean;
  /** Do not advertise a checksum or linked size at all (like a non-LFS file with a git ETag). */
  noChecksum?: boolean;
  /** Send the body in chunks of this size with this delay between them. */
  slow?: { chunkBytes: number; delayMs: number };
}

export interface HubRequest {
  method: string;
  path: string;
  range: string | undefined;
}

export interface HubServer {
  /** Base URL, e.g. "http://127.0.0.1:43121" (no trailing slash). */
  url: string;
  requests: HubRequest[];
  /** Add or replace a file (and its faults). */
  addFile(file: HubFile, faults?: HubFaults): void;
  setFaults(repo: string, path: string, faults: HubFaults | undefined): void;
  /** Requests for one file path (any method). */
  requestsFor(path: string): HubRequest[];
  close(): Promise<void>;
}

interface Entry {
  file: HubFile;
  sha256: string;
  faults: HubFaults;
  dropped: boolean;
}

export async function startHubServer(files: HubFile[] = []): Promise<HubServer> {
  const entries = new Map<string, Entry>();
  const requests: HubRequest[] = [];
  const sockets = new Set<Socket>();

  const addFile = (file: HubFile, faults: HubFaults = {}): void => {
    const sha256 = createHash("sha256").update(file.data).digest("hex");
    entries.set(`${file.repo}/${file.path}`, { file, sha256, faults, dropped: false });
  };
  for (const f of files) addFile(f);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method ?? "GET", path, range: req.headers.range });
    const manifest = /^\/v2\/([^/]+)\/([^/]+)\/manifests\/([^/]+)$/.exec(path);
    if (manifest) return serveManifest(res, entries, `${manifest[1]}/${manifest[2]}`, manifest[3] ?? "latest");
    const resolve = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(path);
    const entry = resolve ? entries.get(`${resolve[1]}/${resolve[2]}/${resolve[3]}`) : undefined;
    if (!entry) {
      res.writeHead(404, { "Content-Type": "text/plain", "X-Error-Code": "EntryNotFound" });
      res.end("Entry not found");
      return;
    }
    serveFile(req, res, entry);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addFile,
    setFaults(repo, path, faults) {
      const e = entries.get(`${repo}/${path}`);
      if (e) {
        e.faults = faults ?? {};
        e.dropped = false;
      }
    },
    requestsFor: (p) => requests.filter((r) => r.path.endsWith(`/${p}`)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveManifest(res: ServerResponse, entries: Map<string, Entry>, repo: string, tag: string): void {
  const ggufs = [...entries.values()].filter((e) => e.file.repo === repo && e.file.path.endsWith(".gguf"));
  const want = tag.toLowerCase() === "latest" ? "q4_k_m" : tag.toLowerCase();
  const hit = ggufs.find((e) => e.file.path.toLowerCase().includes(want)) ?? (tag === "latest" ? ggufs[0] : undefined);
  if (!hit) {
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: "not found" }));
    return;
  }
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ ggufFile: { rfilename: hit.file.path, size: hit.file.data.length } }));
}

function serveFile(req: IncomingMessage, res: ServerResponse, entry: Entry): void {
  const { data } = entry.file;
  const size = data.length;
  const sha = entry.faults.wrongSha256 ? createHash("sha256").update("wrong").digest("hex") : entry.sha256;
  const headers: Record<string, string | number> = {
    "Content-Type": "application/octet-stream",
    "Accept-Ranges": "bytes",
  };
  if (entry.faults.noChecksum) headers.ETag = `"${createHash("sha1").update(data).digest("hex")}"`;
  else {
    headers.ETag = `"${sha}"`;
    headers["X-Linked-Etag"] = `"${sha}"`;
    headers["X-Linked-Size"] = size;
  }
  let start = 0;
  let end = size - 1;
  let status = 200;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
  if (req.headers.range && range) {
    if (range[1] === "") {
      start = Math.max(0, size - Number(range[2]));
    } else {
      start = Number(range[1]);
      if (range[2] !== "") end = Math.min(Number(range[2]), size - 1);
    }
    if (start >= size || start > end) {
      res.writeHead(416, { "Content-Range": `bytes */${size}` });
      res.end();
      return;
    }
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  }
  headers["Content-Length"] = end - start + 1;
  res.writeHead(status, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  let body = data.subarray(start, end + 1);
  const drop = entry.faults.dropOnceAfter;
  const droppable = !entry.faults.dropOnlyRanged || req.headers.range !== undefined;
  if (drop !== undefined && droppable && !entry.dropped && drop - start > 0 && drop - start < body.length) {
    entry.dropped = true;
    body = body.subarray(0, drop - start);
    res.write(body, () => setTimeout(() => res.destroy(), 20));
    return;
  }
  const slow = entry.faults.slow;
  if (!slow) {
    res.end(body);
    return;
  }
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    const chunk = body.subarray(offset, offset + slow.chunkBytes);
    offset += chunk.length;
    if (offset >= body.length) {
      clearInterval(timer);
      res.end(chunk);
    } else res.write(chunk);
  }, slow.delayMs);
  res.on("close", () => clearInterval(timer));
}
