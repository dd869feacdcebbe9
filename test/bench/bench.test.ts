import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadApp, loadBare } from "../../bench/llm-engines.js";
import { MODULES, machineRows, selectModules } from "../../bench/run.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

const tmp = tempDir("roleplay-bench-");
afterAll(() => tmp.cleanup());

describe("bench runner", () => {
  it("runs every module by default and picks with --only", () => {
    expect(selectModules([]).modules).toEqual([...MODULES]);
    expect(selectModules(["--only", "llm,vad"])).toEqual({ modules: ["llm", "vad"], unknown: [] });
    expect(selectModules(["--only=tts", "--only", "nope"])).toEqual({ modules: ["tts"], unknown: ["nope"] });
  });

  it("describes the machine", () => {
    const names = machineRows().map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["cpu", "cores", "memory", "node"]));
  });

  it("bench/llm.ts exports run()", async () => {
    const mod = (await import("../../bench/llm.js")) as { run?: unknown };
    expect(typeof mod.run).toBe("function");
  });
});

describe("bench LLM engines on a tiny random GGUF", () => {
  it("the app (through the VoiceSession) and bare node-llama-cpp give the same reply with the same settings", async () => {
    const modelPath = join(tmp.dir, "tiny.gguf");
    writeTinyGguf(modelPath, { contextLength: 256 });
    const settings = { modelPath, threads: 1, contextSize: 256, maxTokens: 8, seed: 1, systemPrompt: "Test." };
    const app = await loadApp(settings);
    const bare = await loadBare(settings);
    try {
      const a = await app.send("hello");
      const b = await bare.send("hello");
      expect(a.tokens).toBe(8);
      expect(b.tokens).toBe(8);
      expect(a.text).toBe(b.text);
      expect(a.firstTokenMs).toBeGreaterThanOrEqual(0);
      expect(b.inputTokens).toBeGreaterThan(0);
      const second = await bare.send("again");
      const cold = await bare.resendCold?.();
      // Clearing the KV cache makes the whole history be evaluated again.
      expect(cold?.inputTokens).toBeGreaterThan(second.inputTokens ?? Infinity);
      expect(cold?.text).toBe(second.text);
    } finally {
      await app.dispose();
      await bare.dispose();
    }
  });
});
