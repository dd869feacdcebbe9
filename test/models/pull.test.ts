/**
 * Pulls of whisper and Piper models (our own downloader) against a local stand-in for the hub:
 * landing, resume after a dropped connection, 404, wrong checksum, abort.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AbortError, DownloadError } from "../../src/core/errors.js";
import { pullModel, type PullProgress } from "../../src/models/pull.js";
import { startHubServer, type HubServer } from "../helpers/hub-server.js";
import { tempDir } from "../helpers/env.js";
import { fakeOnnx, fakeWhisper, piperJson } from "./fixtures.js";

const WHISPER = "ggerganov/whisper.cpp";
const PIPER = "rhasspy/piper-voices";
const VOICE_DIR = "en/en_US/lessac/medium";
const whisperBytes = fakeWhisper(300 * 1024);
const onnx = fakeOnnx(200 * 1024);
const json = piperJson();

let hub: HubServer;
let models: { dir: string; cleanup: () => void };

beforeAll(async () => {
  hub = await startHubServer([
    { repo: WHISPER, path: "ggml-tiny.en.bin", data: whisperBytes },
    { repo: PIPER, path: `${VOICE_DIR}/en_US-lessac-medium.onnx`, data: onnx },
    { repo: PIPER, path: `${VOICE_DIR}/en_US-lessac-medium.onnx.json`, data: json },
  ]);
});
afterAll(() => hub.close());
beforeEach(() => {
  models = tempDir("roleplay-pull-");
  hub.requests.length = 0;
  hub.setFaults(WHISPER, "ggml-tiny.en.bin", undefined);
});
afterEach(() => models.cleanup());

describe("pullModel (whisper, piper)", () => {
  it("lands a whisper model under its final name, verified, with progress", async () => {
    const events: PullProgress[] = [];
    const r = await pullModel("whisper:tiny.en", { modelsDir: models.dir, endpoint: hub.url, onProgress: (p) => events.push(p) });
    expect(r.path).toBe(join(models.dir, "ggml-tiny.en.bin"));
    expect(r.verified).toBe(true);
    expect(readFileSync(r.path).equals(whisperBytes)).toBe(true);
    expect(readdirSync(models.dir)).toEqual(["ggml-tiny.en.bin"]);
    expect(events.at(-1)?.phase).toBe("done");
    expect(events.some((e) => e.phase === "verify")).toBe(true);
    expect(events.every((e) => e.ref === "whisper:tiny.en" && e.totalBytes === whisperBytes.length)).toBe(true);
  });

  it("fetches both files of a Piper voice", async () => {
    const r = await pullModel("piper:en_US-lessac-medium", { modelsDir: models.dir, endpoint: hub.url });
    expect(r.paths.map((p) => p.slice(models.dir.length + 1))).toEqual(["en_US-lessac-medium.onnx", "en_US-lessac-medium.onnx.json"]);
    expect(readFileSync(join(models.dir, "en_US-lessac-medium.onnx.json")).equals(json)).toBe(true);
    expect(readFileSync(join(models.dir, "en_US-lessac-medium.onnx")).equals(onnx)).toBe(true);
    expect(readdirSync(models.dir).sort()).toEqual(["en_US-lessac-medium.onnx", "en_US-lessac-medium.onnx.json"]);
  });

  it("resumes with a Range request after the connection drops mid-file", async () => {
    const dropAt = 100 * 1024;
    hub.setFaults(WHISPER, "ggml-tiny.en.bin", { dropOnceAfter: dropAt });
    const r = await pullModel("whisper:tiny.en", { modelsDir: models.dir, endpoint: hub.url, retryDelayMs: 10 });
    expect(readFileSync(r.path).equals(whisperBytes)).toBe(true);
    const gets = hub.requestsFor("ggml-tiny.en.bin").filter((q) => q.method === "GET");
    expect(gets.length).toBe(2);
    expect(gets[0]?.range).toBeUndefined();
    expect(gets[1]?.range).toBe(`bytes=${dropAt}-`);
  });

  it("resumes from a .part left by an earlier, interrupted run", async () => {
    writeFileSync(join(models.dir, "ggml-tiny.en.bin.part"), whisperBytes.subarray(0, 5000));
    const r = await pullModel("whisper:tiny.en", { modelsDir: models.dir, endpoint: hub.url });
    expect(readFileSync(r.path).equals(whisperBytes)).toBe(true);
    expect(hub.requestsFor("ggml-tiny.en.bin").find((q) => q.method === "GET")?.range).toBe("bytes=5000-");
  });

  it("gives a clear error for a model the server does not have", async () => {
    const err = await pullModel("whisper:small.en", { modelsDir: models.dir, endpoint: hub.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).message).toMatch(/Not found on the server \(404\).*ggml-small\.en\.bin/);
    expect((err as DownloadError).hint).toBeTruthy();
    expect(readdirSync(models.dir)).toEqual([]);
  });

  it("fails at once, with an offline hint, when the hub cannot be reached", async () => {
    const gone = await startHubServer();
    const url = gone.url;
    await gone.close();
    for (const ref of ["whisper:tiny.en", "hf:tester/Any-GGUF/any-Q4_K_M.gguf"]) {
      const err = await pullModel(ref, { modelsDir: models.dir, endpoint: url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DownloadError);
      expect((err as DownloadError).code).toBe("DOWNLOAD_NETWORK");
      expect((err as DownloadError).hint).toMatch(/models folder by hand/);
    }
  });

  it("removes everything when the checksum is wrong", async () => {
    hub.setFaults(WHISPER, "ggml-tiny.en.bin", { wrongSha256: true });
    const err = await pullModel("whisper:tiny.en", { modelsDir: models.dir, endpoint: hub.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).code).toBe("CHECKSUM_MISMATCH");
    expect(readdirSync(models.dir)).toEqual([]);
  });

  it("an abort keeps the .part (to resume) and never the final name", async () => {
    hub.setFaults(WHISPER, "ggml-tiny.en.bin", { slow: { chunkBytes: 4096, delayMs: 20 } });
    const ac = new AbortController();
    const p = pullModel("whisper:tiny.en", {
      modelsDir: models.dir,
      endpoint: hub.url,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.downloadedBytes > 16 * 1024) ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(existsSync(join(models.dir, "ggml-tiny.en.bin"))).toBe(false);
    expect(readdirSync(models.dir)).toEqual(["ggml-tiny.en.bin.part"]);
  });

  it("checks a plain URL against its .sha256 sidecar", async () => {
    const sha = createHash("sha256").update(whisperBytes).digest("hex");
    hub.addFile({ repo: "tester/plain", path: "ggml-x.bin", data: whisperBytes }, { noChecksum: true });
    hub.addFile({ repo: "tester/plain", path: "ggml-x.bin.sha256", data: Buffer.from(`${sha}  ggml-x.bin\n`) });
    const url = `${hub.url}/tester/plain/resolve/main/ggml-x.bin`;
    const r = await pullModel(url, { modelsDir: models.dir });
    expect(r.verified).toBe(true);
    expect(readFileSync(r.path).equals(whisperBytes)).toBe(true);

    hub.addFile({ repo: "tester/plain", path: "ggml-x.bin.sha256", data: Buffer.from("0".repeat(64)) });
    const err = await pullModel(url, { modelsDir: models.dir, force: true }).catch((e: unknown) => e);
    expect((err as DownloadError).code).toBe("CHECKSUM_MISMATCH");
    expect(readdirSync(models.dir)).toEqual(["ggml-x.bin"]); // the earlier good copy stays; no .part left
  });

  it("skips a model that is already there, unless forced", async () => {
    writeFileSync(join(models.dir, "ggml-tiny.en.bin"), whisperBytes);
    const r = await pullModel("whisper:tiny.en", { modelsDir: models.dir, endpoint: hub.url });
    expect(r.skipped).toBe(true);
    expect(hub.requests).toEqual([]);
    const forced = await pullModel("whisper:tiny.en", { modelsDir: models.dir, endpoint: hub.url, force: true });
    expect(forced.skipped).toBe(false);
  });
});
