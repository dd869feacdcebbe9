/** Does an LLM fit in memory (node-llama-cpp's estimate), and what to suggest when not. */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkLlmFits, quantOfFileName, smallerQuant, tooLargeError } from "../../src/models/fit.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir("roleplay-fit-");
});
afterEach(() => t.cleanup());

describe("checkLlmFits", () => {
  it("estimates weights and context from the GGUF header", async () => {
    const path = join(t.dir, "tiny-Q8_0.gguf");
    writeTinyGguf(path);
    const fit = await checkLlmFits(path, { contextSize: 512, freeMemory: 8e9 });
    expect(fit.fits).toBe(true);
    expect(fit.modelBytes).toBeGreaterThan(0);
    expect(fit.contextBytes).toBeGreaterThan(0);
    expect(fit.suggestion).toBeUndefined();
  });

  it("says what to do when it does not fit", async () => {
    const path = join(t.dir, "tiny-Q8_0.gguf");
    writeTinyGguf(path);
    const fit = await checkLlmFits(path, { contextSize: 512, freeMemory: 1000 });
    expect(fit.fits).toBe(false);
    expect(fit.suggestion).toMatch(/Q4_K_M instead of Q8_0/);
    expect(fit.suggestion).toMatch(/llm.contextSize/);
    expect(tooLargeError(path, fit)).toMatchObject({ code: "MODEL_TOO_LARGE" });
  });

  it("reads and steps down quantisations", () => {
    expect(quantOfFileName("Llama-3.2-3B-Instruct-Q5_K_M.gguf")).toBe("Q5_K_M");
    expect(quantOfFileName("hf_Qwen_Qwen2.5.Q4_K_M.gguf")).toBe("Q4_K_M");
    expect(quantOfFileName("model-f16.gguf")).toBe("F16");
    expect(quantOfFileName("model.gguf")).toBeUndefined();
    expect(smallerQuant("F16")).toBe("Q4_K_M");
    expect(smallerQuant("Q4_K_M")).toBe("Q3_K_M");
    expect(smallerQuant("Q2_K")).toBeUndefined();
  });
});
