import { readFileSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { Llama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUPPORTED_ARCHITECTURES } from "../../src/llm/architectures.js";
import { checkGgufFile } from "../../src/llm/check.js";
import { GGML_TYPES } from "../../src/llm/ggml-types.js";
import { readGgufHeader } from "../../src/llm/gguf-reader.js";
import { TIER2_SKIP_REASON, tempDir, testModel } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

let dir: string;
let cleanup: () => void;
let llama: Llama;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir("roleplay-tiny-gguf-"));
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
});
afterAll(async () => {
  await llama.dispose();
  cleanup();
});

/** Load `path`, chat once, and return the chunks and the wrapper's name. */
async function chat(path: string, prompt: string): Promise<{ chunks: string[]; reply: string; wrapper: string }> {
  const { LlamaChatSession } = await import("node-llama-cpp");
  const model = await llama.loadModel({ modelPath: path });
  try {
    const context = await model.createContext({ contextSize: 512, threads: 1 });
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    const chunks: string[] = [];
    const reply = await session.prompt(prompt, { maxTokens: 16, onTextChunk: (c) => chunks.push(c) });
    return { chunks, reply, wrapper: session.chatWrapper.wrapperName };
  } finally {
    await model.dispose();
  }
}

/** Compare our bounded parser with node-llama-cpp's own GGUF reader. */
async function compareWithNodeLlamaCpp(path: string): Promise<void> {
  const { readGgufFileInfo } = await import("node-llama-cpp");
  const theirs = await readGgufFileInfo(path, { logWarnings: false });
  const handle = await open(path, "r");
  const ours = await readGgufHeader(handle, statSync(path).size).finally(() => handle.close());
  expect(ours.version).toBe(theirs.version);
  expect(ours.tensors.length).toBe(Number(theirs.tensorCount));
  expect(ours.metadata.get("general.architecture")).toBe(theirs.metadata.general.architecture);
  expect(ours.arrays.get("tokenizer.ggml.tokens")?.length).toBe(theirs.metadata.tokenizer.ggml.tokens.length);
  const last = theirs.tensorInfo?.at(-1);
  expect(last).toBeDefined();
  expect(ours.dataOffset + (ours.tensors.at(-1)?.offset ?? -1)).toBe(Number(last?.fileOffset));
}

describe("writeTinyGguf", () => {
  it("is small and deterministic for a seed", () => {
    const [a, b, c] = ["a.gguf", "b.gguf", "c.gguf"].map((f) => join(dir, f));
    writeTinyGguf(a as string, { seed: 7 });
    writeTinyGguf(b as string, { seed: 7 });
    writeTinyGguf(c as string, { seed: 8 });
    expect(statSync(a as string).size).toBeLessThan(1_000_000);
    expect(readFileSync(a as string).equals(readFileSync(b as string))).toBe(true);
    expect(readFileSync(a as string).equals(readFileSync(c as string))).toBe(false);
  });

  it("parses the same with our reader and node-llama-cpp's", async () => {
    const p = join(dir, "parse.gguf");
    writeTinyGguf(p, { nEmbd: 32, nLayer: 1 });
    await compareWithNodeLlamaCpp(p);
  });

  it("loads in the real node-llama-cpp and streams printable text through a ChatML session", async () => {
    const p = join(dir, "chat.gguf");
    writeTinyGguf(p);
    await checkGgufFile(p);
    const { chunks, reply, wrapper } = await chat(p, "hi");
    expect(wrapper).toBe("ChatML");
    expect(chunks.filter((c) => c.length > 0).length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe(reply);
    expect(reply).toMatch(/^[\x20-\x7e]+$/);
  });

  it("loads without a chat template too", async () => {
    const p = join(dir, "plain.gguf");
    writeTinyGguf(p, { chatTemplate: null, seed: 3 });
    expect((await checkGgufFile(p)).hasChatTemplate).toBe(false);
    const { reply } = await chat(p, "Once upon a time");
    expect(reply.length).toBeGreaterThan(0);
  });
});

describe("tables match the installed node-llama-cpp", () => {
  it("architectures", async () => {
    // GgufArchitectureType is a `const enum` in the typings but a real object at run time.
    const mod = (await import("node-llama-cpp")) as unknown as { GgufArchitectureType: Record<string, string> };
    const theirs = Object.values(mod.GgufArchitectureType).filter((a) => a !== "(unknown)");
    expect([...SUPPORTED_ARCHITECTURES].sort()).toEqual(theirs.sort());
  });

  it("ggml tensor type sizes", () => {
    // Internal but stable bindings: the ggml type traits compiled into the addon.
    const bindings = (
      llama as unknown as {
        _bindings: { getTypeSizeForGgmlType(t: number): number; getBlockSizeForGgmlType(t: number): number };
      }
    )._bindings;
    for (const [id, t] of GGML_TYPES) {
      expect([id, bindings.getTypeSizeForGgmlType(id), bindings.getBlockSizeForGgmlType(id)]).toEqual([
        id,
        t.typeSize,
        t.blockSize,
      ]);
    }
  });
});

describe("tier 2: real model files pass the checks", () => {
  for (const name of ["stories260K.gguf", "llama-2-tiny-random.gguf"]) {
    const path = testModel(name);
    it.skipIf(!path)(`${name} (${path ? "found" : TIER2_SKIP_REASON})`, async () => {
      const info = await checkGgufFile(path as string);
      expect(info.architecture).toBe("llama");
      expect(info.hasChatTemplate).toBe(false);
      expect(info.fileSize).toBe(statSync(path as string).size);
      await compareWithNodeLlamaCpp(path as string);
    });
  }

  const whisper = testModel("for-tests-ggml-tiny.en.bin");
  it.skipIf(!whisper)(
    `a whisper ggml file is refused as a language model (${whisper ? "found" : TIER2_SKIP_REASON})`,
    async () => {
      await expect(checkGgufFile(whisper as string)).rejects.toMatchObject({
        code: "MODEL_NOT_GGUF",
        message: expect.stringContaining("whisper") as unknown,
      });
    },
  );
});
