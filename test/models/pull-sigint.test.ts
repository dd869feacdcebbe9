/**
 * Ctrl+C during a pull: a child process pulls from a slow local hub; SIGINT arrives mid-file.
 * Whatever happens, no partial model may sit under a final name in the models folder.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listModels } from "../../src/models/store.js";
import { startHubServer, type HubServer } from "../helpers/hub-server.js";
import { tempDir } from "../helpers/env.js";
import { fakeGgufBytes, fakeWhisper } from "./fixtures.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const child = fileURLToPath(new URL("./fixtures/pull-child.ts", import.meta.url));
const slow = { chunkBytes: 8 * 1024, delayMs: 40 };

let hub: HubServer;
let models: { dir: string; cleanup: () => void };

beforeAll(async () => {
  hub = await startHubServer();
  hub.addFile({ repo: "ggerganov/whisper.cpp", path: "ggml-tiny.en.bin", data: fakeWhisper(400 * 1024) }, { slow });
  hub.addFile({ repo: "tester/Slow-GGUF", path: "slow-Q4_K_M.gguf", data: fakeGgufBytes(400 * 1024) }, { slow });
});
afterAll(() => hub.close());
beforeEach(() => {
  models = tempDir("roleplay-sigint-");
});
afterEach(() => models.cleanup());

/** Run the child, send SIGINT once it has downloaded some bytes, and return how it ended. */
function pullAndInterrupt(ref: string, mode: "handler" | "default"): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, hub.url, models.dir, ref, mode], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let sent = false;
    p.on("error", reject);
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /progress download (\d+)/.exec(out.split("\n").slice(-3).join("\n"));
      if (!sent && m && Number(m[1]) > 0) {
        sent = true;
        p.kill("SIGINT");
      }
    });
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    p.on("exit", (code, signal) => resolve({ code, signal, out }));
  });
}

async function expectNoPartialModel(finalName: string): Promise<void> {
  expect(existsSync(join(models.dir, finalName))).toBe(false);
  expect(await listModels(models.dir)).toEqual([]);
  // Whatever is left is a resumable temporary file, never a model-looking name.
  for (const f of readdirSync(models.dir, { recursive: true }) as string[]) {
    expect(f === ".partial" || /\.(part|ipull)$/.test(f)).toBe(true);
  }
}

describe("Ctrl+C during a pull", () => {
  it("whisper, with the CLI's abort handler", async () => {
    const r = await pullAndInterrupt("whisper:tiny.en", "handler");
    expect(r.out).toMatch(/error AbortError/);
    expect(r.code).toBe(130);
    await expectNoPartialModel("ggml-tiny.en.bin");
    expect(existsSync(join(models.dir, "ggml-tiny.en.bin.part"))).toBe(true);
  });

  it("whisper, killed by the default SIGINT behaviour", async () => {
    const r = await pullAndInterrupt("whisper:tiny.en", "default");
    expect(r.signal ?? r.code).toBeTruthy();
    await expectNoPartialModel("ggml-tiny.en.bin");
  });

  it("LLM through node-llama-cpp, with the CLI's abort handler", async () => {
    const r = await pullAndInterrupt("hf:tester/Slow-GGUF/slow-Q4_K_M.gguf", "handler");
    expect(r.out).toMatch(/error AbortError/);
    await expectNoPartialModel("hf_tester_slow-Q4_K_M.gguf");
  });

  it("LLM through node-llama-cpp, killed by the default SIGINT behaviour", async () => {
    await pullAndInterrupt("hf:tester/Slow-GGUF/slow-Q4_K_M.gguf", "default");
    await expectNoPartialModel("hf_tester_slow-Q4_K_M.gguf");
  });
});
