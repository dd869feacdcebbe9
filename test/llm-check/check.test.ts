import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelFileError, isAbortError } from "../../src/core/errors.js";
import { checkGgufFile, describeOpenError } from "../../src/llm/check.js";
import type { CheckGgufOptions } from "../../src/llm/check.js";
import { writeGguf, writeTinyGguf } from "../helpers/gguf.js";

import { tempDir } from "../helpers/env.js";

let dir: string;
let cleanup: () => void;
let good: string;

beforeAll(() => {
  ({ dir, cleanup } = tempDir("roleplay-llm-check-"));
  good = join(dir, "tiny.gguf");
  writeTinyGguf(good);
});
afterAll(() => cleanup());

async function failure(path: string, options: CheckGgufOptions = {}): Promise<ModelFileError> {
  try {
    await checkGgufFile(path, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelFileError);
    const e = err as ModelFileError;
    expect(e.message).not.toContain("\n");
    expect(e.hint).toBeTruthy();
    expect(e.hint).not.toContain("\n");
    expect(e.exitCode).toBe(2);
    return e;
  }
  throw new Error(`checkGgufFile(${path}) did not throw`);
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe("checkGgufFile on a good file", () => {
  it("returns what the header says", async () => {
    const info = await checkGgufFile(good);
    expect(info).toMatchObject({
      path: good,
      version: 3,
      architecture: "llama",
      name: "tiny-random",
      contextLength: 4096,
      embeddingLength: 64,
      blockCount: 2,
      headCount: 4,
      vocabSize: 262,
      fileType: 0,
      quantization: "F32",
      hasChatTemplate: true,
      tensorCount: 21,
      splitCount: 1,
    });
    expect(info.fileSize).toBe(info.totalSize);
    expect(info.parameterCount).toBeGreaterThan(100_000);
    // KV cache: 2 layers × (64 + 64) values × 2 bytes per token, for the default context (the trained 4096).
    expect(info.memory).toMatchObject({ contextSize: 4096, kvBytesPerToken: 512, kvCacheBytes: 4096 * 512 });
  });

  it("reports a missing chat template and honours the context size", async () => {
    const p = join(dir, "no-template.gguf");
    writeTinyGguf(p, { chatTemplate: null, contextLength: 8192 });
    const info = await checkGgufFile(p, { contextSize: 1024 });
    expect(info.hasChatTemplate).toBe(false);
    expect(info.contextLength).toBe(8192);
    expect(info.memory.contextSize).toBe(1024);
    expect((await checkGgufFile(p)).memory.contextSize).toBe(4096);
  });

  it("reads past a large vocabulary and skips (but notices) an over-long chat template", async () => {
    const p = join(dir, "big-vocab.gguf");
    const tokens = Array.from({ length: 50_000 }, (_, i) => `t${i}`);
    writeGguf(p, {
      metadata: {
        "general.architecture": "qwen2",
        "tokenizer.ggml.tokens": { type: "array", itemType: "string", items: tokens },
        "tokenizer.ggml.token_type": { type: "array", itemType: "i32", items: tokens.map(() => 1) },
        "tokenizer.chat_template": "x".repeat(1_100_000),
      },
      tensors: [],
    });
    const info = await checkGgufFile(p);
    expect(info).toMatchObject({ architecture: "qwen2", vocabSize: 50_000, hasChatTemplate: true, tensorCount: 0 });
  });

  it("stops when aborted", async () => {
    const err = await checkGgufFile(good, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
  });
});

describe("checkGgufFile on bad paths", () => {
  it("MODEL_NOT_FOUND for a missing file, naming .gguf files beside it", async () => {
    const e = await failure(join(dir, "nope.gguf"));
    expect(e.code).toBe("MODEL_NOT_FOUND");
    expect(e.message).toContain("nope.gguf");
    expect(e.hint).toContain("tiny.gguf");
    expect((await failure(join(dir, "missing-dir", "x.gguf"))).code).toBe("MODEL_NOT_FOUND");
  });

  it("MODEL_NOT_FOUND for a folder, suggesting a file inside", async () => {
    const e = await failure(dir);
    expect(e.code).toBe("MODEL_NOT_FOUND");
    expect(e.message).toContain("folder");
    expect(e.hint).toContain(".gguf");
  });

  it("MODEL_UNREADABLE for permission errors", async () => {
    const e = describeOpenError("m.gguf", "/x/m.gguf", Object.assign(new Error("denied"), { code: "EACCES" }));
    expect(e.code).toBe("MODEL_UNREADABLE");
    expect(e.hint).toContain("chmod");
  });

  it.skipIf(process.getuid?.() === 0)("MODEL_UNREADABLE for a file without read permission (not as root)", async () => {
    const p = file("locked.gguf", "x");
    chmodSync(p, 0o000);
    expect((await failure(p)).code).toBe("MODEL_UNREADABLE");
  });
});

describe("checkGgufFile on files that are not GGUF", () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ["notes.gguf", "just some notes\nabout a model\n", /text file/],
    ["page.gguf", "<!DOCTYPE html>\n<html><body>401 Unauthorized</body></html>", /HTML/],
    ["pointer.gguf", "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n", /Git LFS/],
    ["error.gguf", '{"error":"Repository not found"}', /JSON/],
    [
      "model.safetensors",
      Buffer.concat([Buffer.from([20, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"__metadata__":{}}\n'), Buffer.alloc(64)]),
      /safetensors/,
    ],
    [
      "ggml-tiny.en.bin",
      Buffer.concat([
        Buffer.from("lmgg", "latin1"),
        Buffer.from(new Int32Array([51864, 1500, 384, 6, 4]).buffer),
        Buffer.alloc(64),
      ]),
      /whisper/,
    ],
    ["old.bin", Buffer.concat([Buffer.from("tjgg", "latin1"), Buffer.alloc(64)]), /old/],
    ["ckpt.pt", Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(64)]), /PyTorch/],
    ["random.bin", Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]), /not a GGUF/],
  ];
  for (const [name, content, what] of cases) {
    it(`MODEL_NOT_GGUF for ${name}`, async () => {
      const e = await failure(file(name, content));
      expect(e.code).toBe("MODEL_NOT_GGUF");
      expect(e.message).toMatch(what);
    });
  }
});

describe("checkGgufFile on broken GGUF files", () => {
  it("MODEL_TRUNCATED when tensor data is missing", async () => {
    const p = join(dir, "cut.gguf");
    writeTinyGguf(p, { truncateTo: 300_000 });
    const e = await failure(p);
    expect(e.code).toBe("MODEL_TRUNCATED");
    expect(e.message).toContain("300000 of");
    expect(e.hint).toMatch(/download/i);
  });

  it("MODEL_TRUNCATED when the header itself is cut, or the file is empty", async () => {
    const p = join(dir, "cut-header.gguf");
    writeTinyGguf(p, { truncateTo: 200 });
    expect((await failure(p)).code).toBe("MODEL_TRUNCATED");
    expect((await failure(file("empty.gguf", ""))).code).toBe("MODEL_TRUNCATED");
    expect((await failure(file("short.gguf", "GG"))).code).toBe("MODEL_TRUNCATED");
  });

  it("MODEL_TRUNCATED, fast and without a huge allocation, for impossible counts and lengths", async () => {
    const header = Buffer.alloc(24);
    header.write("GGUF", 0, "latin1");
    header.writeUInt32LE(3, 4);
    header.writeBigUInt64LE(1n, 8);
    header.writeBigUInt64LE(1n << 40n, 16);
    expect((await failure(file("many-keys.gguf", header))).code).toBe("MODEL_TRUNCATED");
    const longKey = Buffer.concat([
      header.subarray(0, 16),
      Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0x10]),
      Buffer.alloc(32),
    ]);
    expect(["MODEL_TRUNCATED", "MODEL_CORRUPT"]).toContain((await failure(file("long-key.gguf", longKey))).code);
  });

  it("MODEL_CORRUPT for an unknown value type or a missing architecture", async () => {
    const p = join(dir, "no-arch.gguf");
    writeGguf(p, { metadata: { "general.name": "x" }, tensors: [] });
    expect((await failure(p)).code).toBe("MODEL_CORRUPT");
    const buf = Buffer.alloc(64);
    buf.write("GGUF", 0, "latin1");
    buf.writeUInt32LE(3, 4);
    buf.writeBigUInt64LE(0n, 8);
    buf.writeBigUInt64LE(1n, 16);
    buf.writeBigUInt64LE(1n, 24);
    buf.write("k", 32);
    buf.writeUInt32LE(99, 33);
    expect((await failure(file("bad-type.gguf", buf))).code).toBe("MODEL_CORRUPT");
  });

  it("MODEL_UNSUPPORTED_VERSION for GGUF v1 and big-endian files", async () => {
    const v1 = Buffer.alloc(64);
    v1.write("GGUF", 0, "latin1");
    v1.writeUInt32LE(1, 4);
    const e = await failure(file("v1.gguf", v1));
    expect(e.code).toBe("MODEL_UNSUPPORTED_VERSION");
    expect(e.message).toContain("version 1");
    const be = Buffer.from(v1);
    be.writeUInt32BE(3, 4);
    expect((await failure(file("be.gguf", be))).message).toContain("big-endian");
  });

  it("MODEL_UNSUPPORTED_ARCH for an unknown architecture, and for models that cannot chat", async () => {
    const p = join(dir, "foo.gguf");
    writeTinyGguf(p, { architecture: "foo" });
    const e = await failure(p);
    expect(e.code).toBe("MODEL_UNSUPPORTED_ARCH");
    expect(e.message).toContain('"foo"');
    const clip = join(dir, "mmproj.gguf");
    writeGguf(clip, { metadata: { "general.architecture": "clip" }, tensors: [] });
    const c = await failure(clip);
    expect(c.code).toBe("MODEL_UNSUPPORTED_ARCH");
    expect(c.message).toContain("vision projector");
    const bert = join(dir, "embed.gguf");
    writeGguf(bert, { metadata: { "general.architecture": "nomic-bert" }, tensors: [] });
    expect((await failure(bert)).message).toContain("embedding");
  });

  it("MODEL_SPLIT_PART for a later part, MODEL_NOT_FOUND for a missing part", async () => {
    const split = (name: string, no: number): string => {
      const p = join(dir, name);
      writeGguf(p, {
        metadata: {
          "general.architecture": "llama",
          "split.no": { type: "u16", value: no },
          "split.count": { type: "u16", value: 2 },
        },
        tensors: [],
      });
      return p;
    };
    expect((await failure(split("m-00002-of-00002.gguf", 1))).code).toBe("MODEL_SPLIT_PART");
    const sub = join(dir, "split");
    mkdirSync(sub);
    const first = split("split/m-00001-of-00002.gguf", 0);
    const e = await failure(first, { checkMemory: false });
    expect(e.code).toBe("MODEL_NOT_FOUND");
    expect(e.message).toContain("m-00002-of-00002.gguf");
    split("split/m-00002-of-00002.gguf", 1);
    const info = await checkGgufFile(first, { checkMemory: false });
    expect(info.splitCount).toBe(2);
    expect(info.totalSize).toBeGreaterThan(info.fileSize);
  });
});

describe("checkGgufFile memory check", () => {
  it("MODEL_TOO_LARGE when the model does not fit in free memory", async () => {
    const e = await failure(good, { freeMemoryBytes: 1_000_000 });
    expect(e.code).toBe("MODEL_TOO_LARGE");
    expect(e.message).toMatch(/needs about .* only 1 MB is free/);
    expect(e.hint).toMatch(/smaller quantisation/);
  });

  it("suggests a smaller context when only the context is too large", async () => {
    const e = await failure(good, { freeMemoryBytes: 200e6, contextSize: 2_000_000 });
    expect(e.code).toBe("MODEL_TOO_LARGE");
    expect(e.hint).toMatch(/Lower the context size to \d+ tokens/);
  });

  it("passes with enough memory, or with the check off", async () => {
    await expect(checkGgufFile(good, { freeMemoryBytes: 200e6 })).resolves.toBeTruthy();
    await expect(checkGgufFile(good, { freeMemoryBytes: 1, checkMemory: false })).resolves.toBeTruthy();
  });
});
