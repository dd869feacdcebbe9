/**
 * LLM pulls through node-llama-cpp's resolver and downloader, pointed at a local stand-in for the
 * hub: `hf:user/repo/file.gguf`, `hf:user/repo:quant`, resume, 404, wrong checksum.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DownloadError } from "../../src/core/errors.js";
import { pullModel, type PullProgress } from "../../src/models/pull.js";
import { listModels, resolveModelPath } from "../../src/models/store.js";
import { startHubServer, type HubServer } from "../helpers/hub-server.js";
import { tempDir } from "../helpers/env.js";
import { fakeGgufBytes } from "./fixtures.js";

const REPO = "tester/Tiny-Chat-GGUF";
const FILE = "tiny-chat-Q4_K_M.gguf";
const small = fakeGgufBytes(256 * 1024);
// node-llama-cpp's downloader (ipull) fetches in 5 MB chunks and resumes at a chunk boundary.
const big = fakeGgufBytes(6 * 1024 * 1024, 11);

let hub: HubServer;
let models: { dir: string; cleanup: () => void };

beforeAll(async () => {
  hub = await startHubServer([
    { repo: REPO, path: FILE, data: small },
    { repo: "tester/Big-GGUF", path: "big-Q8_0.gguf", data: big },
  ]);
});
afterAll(() => hub.close());
beforeEach(() => {
  models = tempDir("roleplay-pull-llm-");
  hub.requests.length = 0;
  hub.setFaults(REPO, FILE, undefined);
  hub.setFaults("tester/Big-GGUF", "big-Q8_0.gguf", undefined);
});
afterEach(() => models.cleanup());

/** Files in the models folder, ignoring the (possibly empty) staging folder. */
const visible = (dir: string): string[] => readdirSync(dir).filter((f) => f !== ".partial");

describe("pullModel (LLM through node-llama-cpp)", () => {
  it("lands hf:user/repo/file.gguf, verified against the hub's sha256", async () => {
    const events: PullProgress[] = [];
    const ref = `hf:${REPO}/${FILE}`;
    const r = await pullModel(ref, { modelsDir: models.dir, endpoint: hub.url, onProgress: (p) => events.push(p) });
    expect(r.verified).toBe(true);
    expect(readFileSync(r.path).equals(small)).toBe(true);
    expect(visible(models.dir)).toEqual([r.path.slice(models.dir.length + 1)]);
    expect(existsSync(join(models.dir, ".partial"))).toBe(false);
    expect(events.at(-1)?.phase).toBe("done");
    // The resolver finds it again offline, and `ls` sees it.
    expect(await resolveModelPath(ref, models.dir)).toBe(r.path);
    expect((await listModels(models.dir)).map((e) => e.kind)).toEqual(["llm"]);
  });

  it("resolves hf:user/repo:quant through the hub's manifest", async () => {
    const r = await pullModel(`hf:${REPO}:Q4_K_M`, { modelsDir: models.dir, endpoint: hub.url });
    expect(readFileSync(r.path).equals(small)).toBe(true);
    expect(hub.requests.some((q) => q.path === `/v2/${REPO}/manifests/Q4_K_M`)).toBe(true);
    expect(r.verified).toBe(true);
  });

  it("resumes after the connection drops mid-file (the retry carries a Range past the start)", async () => {
    const dropAt = 5_500_000;
    hub.setFaults("tester/Big-GGUF", "big-Q8_0.gguf", { dropOnceAfter: dropAt, dropOnlyRanged: true });
    const r = await pullModel("hf:tester/Big-GGUF/big-Q8_0.gguf", { modelsDir: models.dir, endpoint: hub.url });
    expect(readFileSync(r.path).equals(big)).toBe(true);
    const ranged = hub.requestsFor("big-Q8_0.gguf").filter((q) => q.method === "GET" && q.range);
    expect(ranged.length).toBeGreaterThanOrEqual(2);
    const starts = ranged.map((q) => Number(/bytes=(\d+)-/.exec(q.range ?? "")?.[1]));
    expect(Math.max(...starts)).toBeGreaterThan(0);
    expect(Math.max(...starts)).toBeLessThanOrEqual(dropAt);
  });

  it("gives a clear error for a file the hub does not have", async () => {
    const err = await pullModel(`hf:${REPO}/missing-Q4_K_M.gguf`, { modelsDir: models.dir, endpoint: hub.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).message).toMatch(/404/);
    expect(visible(models.dir)).toEqual([]);
  });

  it("gives a clear error for a quantisation the hub does not have", async () => {
    const err = await pullModel(`hf:${REPO}:Q2_K`, { modelsDir: models.dir, endpoint: hub.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).message).toMatch(/no such quantisation.*Q2_K/);
  });

  it("removes everything when the checksum is wrong", async () => {
    hub.setFaults(REPO, FILE, { wrongSha256: true });
    const err = await pullModel(`hf:${REPO}/${FILE}`, { modelsDir: models.dir, endpoint: hub.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).code).toBe("CHECKSUM_MISMATCH");
    expect(visible(models.dir)).toEqual([]);
    expect(existsSync(join(models.dir, ".partial"))).toBe(false);
  });
});
