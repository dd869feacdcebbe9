/** The `roleplay models …` command functions: what they print. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { modelsInfo, modelsLs, modelsPull, modelsRm, type ModelsContext } from "../../src/models/commands.js";
import { createProgressRenderer } from "../../src/models/progress.js";
import { startHubServer, type HubServer } from "../helpers/hub-server.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { fakeWhisper } from "./fixtures.js";

let t: { dir: string; cleanup: () => void };
let hub: HubServer;
let ctx: ModelsContext;

beforeAll(async () => {
  hub = await startHubServer([{ repo: "ggerganov/whisper.cpp", path: "ggml-tiny.bin", data: fakeWhisper(20_000, { nVocab: 51865 }) }]);
});
afterAll(() => hub.close());
beforeEach(() => {
  t = tempDir("roleplay-models-cmd-");
  mkdirSync(join(t.dir, "models"));
  ctx = { modelsDir: join(t.dir, "models"), endpoint: hub.url, configured: [join(t.dir, "models", "chat.gguf"), undefined] };
});
afterEach(() => t.cleanup());

describe("models commands", () => {
  it("ls lists hand-placed models with kind, size, in use and path; --available lists the registry", async () => {
    writeTinyGguf(join(ctx.modelsDir, "chat.gguf"));
    writeFileSync(join(ctx.modelsDir, "ggml-base.en.bin"), fakeWhisper(1000));
    const text = await modelsLs(ctx);
    const lines = text.trim().split("\n");
    expect(lines[0]).toMatch(/^KIND\s+NAME\s+SIZE\s+IN USE\s+PATH$/);
    expect(lines[1]).toMatch(/^llm\s+chat\s+\d.*\syes\s+.*chat\.gguf$/);
    expect(lines[2]).toMatch(/^whisper\s+whisper:base\.en\s/);
    expect(JSON.parse(await modelsLs(ctx, { json: true }))).toHaveLength(2);
    expect(await modelsLs(ctx, { available: true })).toMatch(/whisper:base\.en.*recommended/);
  });

  it("ls on an empty folder says what to do", async () => {
    expect(await modelsLs(ctx)).toMatch(/No models in .*\n.*models pull/);
  });

  it("pull prints progress to its renderer and a summary with the config line", async () => {
    const out: string[] = [];
    const progress = createProgressRenderer({ isTTY: false, write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WritableStream);
    const { text, results } = await modelsPull(["whisper:tiny"], ctx, { progress });
    expect(results[0]?.verified).toBe(true);
    expect(text).toMatch(/whisper:tiny: downloaded, checksum verified/);
    expect(text).toMatch(/use it: asr\.model: .*ggml-tiny\.bin/);
    expect(out.join("")).toMatch(/ggml-tiny\.bin .*100%/);
    expect((await modelsPull(["whisper:tiny"], ctx, { progress })).text).toMatch(/already present/);
    await expect(modelsPull([], ctx, { progress })).rejects.toBeInstanceOf(UsageError);
  });

  it("info and rm", async () => {
    writeFileSync(join(ctx.modelsDir, "ggml-small.en.bin"), fakeWhisper(1000, { layers: 12 }));
    expect(await modelsInfo("whisper:small.en", ctx)).toMatch(/model\s+small\nlanguages\s+English only/);
    writeTinyGguf(join(ctx.modelsDir, "chat.gguf"));
    expect(await modelsInfo("chat", ctx)).toMatch(/architecture\s+llama[\s\S]*chat template\s+yes/);
    expect(await modelsRm("small.en", ctx)).toMatch(/removed .*ggml-small\.en\.bin/);
    await expect(modelsRm("chat", ctx)).rejects.toThrow(/configured model/);
  });
});
