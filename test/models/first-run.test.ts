/** The guided first run: what is missing, offline instructions, pulling the recommended set. */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DownloadError } from "../../src/core/errors.js";
import { offlineInstructions, planFirstRun, pullRecommended } from "../../src/models/first-run.js";
import { recommendedSet } from "../../src/models/registry.js";
import { startHubServer, type HubServer } from "../helpers/hub-server.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { fakeGgufBytes, fakeOnnx, fakeWhisper, piperJson } from "./fixtures.js";

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir("roleplay-first-run-");
});
afterEach(() => t.cleanup());

describe("planFirstRun", () => {
  it("with nothing configured and an empty folder, everything is missing; the voice is optional", async () => {
    const plan = await planFirstRun({}, t.dir);
    expect(plan.ready).toBe(false);
    expect(plan.missing.map((m) => [m.kind, m.configKey, m.reason, m.required])).toEqual([
      ["llm", "model", "not-configured", true],
      ["whisper", "asr.model", "not-configured", true],
      ["piper", "tts.voice", "not-configured", false],
    ]);
    expect(plan.missing[0]?.pull.ref).toBe(recommendedSet().llm.ref);
  });

  it("picks up models placed by hand instead of downloading them", async () => {
    writeTinyGguf(join(t.dir, "mine.gguf"));
    writeFileSync(join(t.dir, "ggml-base.en.bin"), fakeWhisper(1000));
    const plan = await planFirstRun({}, t.dir);
    expect(plan.ready).toBe(true);
    expect(plan.found.map((f) => [f.configKey, f.path])).toEqual([
      ["model", join(t.dir, "mine.gguf")],
      ["asr.model", join(t.dir, "ggml-base.en.bin")],
    ]);
  });

  it("a configured ref that is not there is what gets pulled; the voice is required with tts.engine piper", async () => {
    const plan = await planFirstRun({ asr: { model: "whisper:small.en" }, tts: { engine: "piper" } }, t.dir);
    const whisper = plan.missing.find((m) => m.kind === "whisper");
    expect(whisper).toMatchObject({ reason: "not-found", configured: "whisper:small.en", pull: { ref: "whisper:small.en" } });
    expect(plan.missing.find((m) => m.kind === "piper")?.required).toBe(true);
  });
});

describe("offlineInstructions", () => {
  it("says exactly which files to place where, and where they come from", async () => {
    const plan = await planFirstRun({}, t.dir);
    const text = offlineInstructions(plan.missing, t.dir);
    expect(text).toContain(join(t.dir, "ggml-base.en.bin"));
    expect(text).toContain("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en.bin");
    expect(text).toContain(join(t.dir, "en_US-lessac-medium.onnx.json"));
    expect(text).toContain(join(t.dir, "Llama-3.2-1B-Instruct-Q4_K_M.gguf"));
    expect(text).toMatch(/optional/);
  });
});

describe("pullRecommended", () => {
  let hub: HubServer;
  beforeAll(async () => {
    const set = recommendedSet();
    const llmPath = set.llm.ref.split("/").slice(2).join("/");
    hub = await startHubServer([
      { repo: set.llm.ref.slice(3).split("/").slice(0, 2).join("/"), path: llmPath, data: fakeGgufBytes(64 * 1024) },
      { repo: "ggerganov/whisper.cpp", path: "ggml-base.en.bin", data: fakeWhisper(64 * 1024) },
      { repo: "rhasspy/piper-voices", path: "en/en_US/lessac/medium/en_US-lessac-medium.onnx", data: fakeOnnx(1024) },
      { repo: "rhasspy/piper-voices", path: "en/en_US/lessac/medium/en_US-lessac-medium.onnx.json", data: piperJson() },
    ]);
  });
  afterAll(() => hub.close());

  it("with --yes pulls the whole set and returns the config to write", async () => {
    const plan = await planFirstRun({}, t.dir);
    const files = new Set<string>();
    const r = await pullRecommended({ plan, yes: true, endpoint: hub.url, onProgress: (p) => files.add(p.file) });
    expect(r.accepted).toBe(true);
    expect(r.pulled).toHaveLength(3);
    expect(Object.keys(r.configUpdates).sort()).toEqual(["asr.model", "model", "tts.engine", "tts.voice"]);
    expect(r.configUpdates["tts.engine"]).toBe("piper");
    expect(r.configUpdates["asr.model"]).toBe(join(t.dir, "ggml-base.en.bin"));
    expect(files.size).toBe(4);
    const after = await planFirstRun({ model: r.configUpdates.model, asr: { model: r.configUpdates["asr.model"] }, tts: { engine: "piper", voice: r.configUpdates["tts.voice"] } }, t.dir);
    expect(after.missing).toEqual([]);
  });

  it("asks first without --yes, and pulls nothing when declined", async () => {
    const plan = await planFirstRun({}, t.dir);
    const r = await pullRecommended({ plan, endpoint: hub.url, confirm: () => false });
    expect(r.accepted).toBe(false);
    expect(readdirSync(t.dir)).toEqual([]);
    expect((await pullRecommended({ plan, endpoint: hub.url })).accepted).toBe(false);
  });

  it("offline, fails with a hint pointing at placing the files by hand", async () => {
    const gone = await startHubServer();
    const url = gone.url;
    await gone.close();
    const plan = await planFirstRun({}, t.dir);
    const err = await pullRecommended({ plan, yes: true, endpoint: url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).hint).toContain(t.dir);
  });
});
