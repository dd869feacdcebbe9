/** The models folder: ls / rm / info on files placed by hand, and name resolution. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelFileError, UsageError } from "../../src/core/errors.js";
import { checkModelFile } from "../../src/models/magic.js";
import {
  defaultModelsDir,
  findConfiguredModel,
  inUsePaths,
  listModels,
  modelInfo,
  removeModel,
  resolveModelPath,
} from "../../src/models/store.js";
import { TIER2_SKIP_REASON, tempDir, testModel } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { fakeOnnx, fakeWhisper, piperJson } from "./fixtures.js";

let t: { dir: string; cleanup: () => void };
beforeEach(() => {
  t = tempDir("roleplay-store-");
});
afterEach(() => t.cleanup());

function placeByHand(dir: string): void {
  writeTinyGguf(join(dir, "my-chat.gguf"));
  writeFileSync(join(dir, "ggml-base.en.bin"), fakeWhisper(4096));
  mkdirSync(join(dir, "voices"));
  writeFileSync(join(dir, "voices", "en_GB-alba-medium.onnx"), fakeOnnx(4096));
  writeFileSync(join(dir, "voices", "en_GB-alba-medium.onnx.json"), piperJson({ code: "en_GB", speakers: 2 }));
  writeFileSync(join(dir, "broken.gguf"), Buffer.from("this is not a model"));
  writeFileSync(join(dir, "ggml-small.bin.part"), fakeWhisper(100));
  writeFileSync(join(dir, "README.md"), "# models\n");
  mkdirSync(join(dir, ".partial"));
  writeFileSync(join(dir, ".partial", "x.gguf.ipull"), "GGUF");
}

describe("listModels", () => {
  it("finds files placed by hand, by their contents, and skips partial downloads", async () => {
    placeByHand(t.dir);
    const list = await listModels(t.dir, { inUse: [join(t.dir, "my-chat.gguf"), "whisper:base.en"] });
    expect(list.map((e) => [e.kind, e.name, e.ref, e.inUse])).toEqual([
      ["llm", "my-chat", undefined, true],
      ["whisper", "base.en", "whisper:base.en", true],
      ["piper", "en_GB-alba-medium", "piper:en_GB-alba-medium", false],
      ["unknown", "broken", undefined, false],
    ]);
    const voice = list.find((e) => e.kind === "piper");
    expect(voice?.files).toHaveLength(2);
    expect(voice?.size).toBeGreaterThan(4096);
  });

  it("is empty for a missing folder", async () => {
    expect(await listModels(join(t.dir, "nope"))).toEqual([]);
  });

  it("defaults to the XDG data folder", () => {
    expect(defaultModelsDir({ HOME: "/home/u" })).toBe("/home/u/.local/share/roleplay/models");
    expect(defaultModelsDir({ HOME: "/home/u", XDG_DATA_HOME: "/data" })).toBe("/data/roleplay/models");
  });
});

describe("resolveModelPath", () => {
  it("maps names, refs, file names and paths to files", async () => {
    placeByHand(t.dir);
    expect(await resolveModelPath("whisper:base.en", t.dir)).toBe(join(t.dir, "ggml-base.en.bin"));
    expect(await resolveModelPath("base.en", t.dir)).toBe(join(t.dir, "ggml-base.en.bin"));
    expect(await resolveModelPath("piper:en_GB-alba-medium", t.dir)).toBe(join(t.dir, "voices", "en_GB-alba-medium.onnx"));
    expect(await resolveModelPath("my-chat", t.dir)).toBe(join(t.dir, "my-chat.gguf"));
    expect(await resolveModelPath("my-chat.gguf", t.dir)).toBe(join(t.dir, "my-chat.gguf"));
    expect(await resolveModelPath(join(t.dir, "my-chat.gguf"), "/nowhere")).toBe(join(t.dir, "my-chat.gguf"));
    expect(await resolveModelPath("whisper:small.en", t.dir)).toBeUndefined();
    expect(await resolveModelPath("hf:a/b/c.gguf", t.dir)).toBeUndefined();
  });
});

describe("findConfiguredModel", () => {
  it("falls back to the models folder for a config-relative path that does not exist, as the app does", async () => {
    placeByHand(t.dir);
    const fromConfig = join(t.dir, "config", "my-chat.gguf");
    const seen: string[] = [];
    expect(await findConfiguredModel(fromConfig, t.dir, (p) => seen.push(p))).toBe(join(t.dir, "my-chat.gguf"));
    expect(seen).toEqual([join(t.dir, "my-chat.gguf")]);
    expect(await findConfiguredModel("whisper:base.en", t.dir)).toBe(join(t.dir, "ggml-base.en.bin"));
    expect(await findConfiguredModel(join(t.dir, "config", "other.gguf"), t.dir)).toBeUndefined();
    // A file in use that way is protected from `models rm` too.
    expect(await inUsePaths([fromConfig, undefined], t.dir)).toEqual([join(t.dir, "my-chat.gguf")]);
  });
});

describe("removeModel", () => {
  it("removes a hand-placed model with all its files", async () => {
    placeByHand(t.dir);
    const removed = await removeModel("en_GB-alba-medium", { dir: t.dir });
    expect(removed).toHaveLength(2);
    expect(existsSync(join(t.dir, "voices", "en_GB-alba-medium.onnx.json"))).toBe(false);
    expect((await listModels(t.dir)).map((e) => e.name)).toEqual(["my-chat", "base.en", "broken"]);
  });

  it("keeps a model in use unless forced, and refuses unknown names", async () => {
    placeByHand(t.dir);
    const inUse = [join(t.dir, "my-chat.gguf")];
    await expect(removeModel("my-chat", { dir: t.dir, inUse })).rejects.toBeInstanceOf(UsageError);
    await removeModel("my-chat", { dir: t.dir, inUse, force: true });
    expect(existsSync(join(t.dir, "my-chat.gguf"))).toBe(false);
    await expect(removeModel("nothing-here", { dir: t.dir })).rejects.toBeInstanceOf(ModelFileError);
  });

  it("never removes files outside the models folder", async () => {
    const other = tempDir("roleplay-outside-");
    try {
      writeTinyGguf(join(other.dir, "keep.gguf"));
      await expect(removeModel(join(other.dir, "keep.gguf"), { dir: t.dir })).rejects.toThrow(/not in the models folder/);
      expect(existsSync(join(other.dir, "keep.gguf"))).toBe(true);
    } finally {
      other.cleanup();
    }
  });
});

describe("modelInfo", () => {
  it("reads a GGUF's metadata", async () => {
    writeTinyGguf(join(t.dir, "tiny.gguf"), { contextLength: 1024 });
    const info = await modelInfo("tiny", { dir: t.dir });
    expect(info.kind).toBe("llm");
    if (info.kind !== "llm") return;
    expect(info.architecture).toBe("llama");
    expect(info.contextLength).toBe(1024);
    expect(info.hasChatTemplate).toBe(true);
    expect(info.quantization).toBe("ALL_F32");
    expect(info.parameters).toBeGreaterThan(10_000);
    writeTinyGguf(join(t.dir, "plain.gguf"), { chatTemplate: null });
    const plain = await modelInfo(join(t.dir, "plain.gguf"), { dir: t.dir });
    expect(plain.kind === "llm" && plain.hasChatTemplate).toBe(false);
  });

  it("reads a whisper model's size and languages from its header", async () => {
    writeFileSync(join(t.dir, "ggml-tiny.en.bin"), fakeWhisper(1000));
    writeFileSync(join(t.dir, "ggml-small.bin"), fakeWhisper(1000, { nVocab: 51865, layers: 12, ftype: 9 }));
    const en = await modelInfo("whisper:tiny.en", { dir: t.dir });
    expect(en).toMatchObject({ kind: "whisper", type: "tiny", multilingual: false, languages: "English only", weights: "f16" });
    const multi = await modelInfo("small", { dir: t.dir });
    expect(multi).toMatchObject({ kind: "whisper", type: "small", multilingual: true, weights: "q5_1" });
  });

  it("reads a Piper voice's language, speakers and sample rate", async () => {
    writeFileSync(join(t.dir, "de_DE-thorsten-medium.onnx"), fakeOnnx(1000));
    writeFileSync(join(t.dir, "de_DE-thorsten-medium.onnx.json"), piperJson({ code: "de_DE", speakers: 3, sampleRate: 16000 }));
    const info = await modelInfo("piper:de_DE-thorsten-medium", { dir: t.dir });
    expect(info).toMatchObject({ kind: "piper", language: "de_DE", speakers: 3, sampleRate: 16000 });
  });

  it("says clearly when there is no such model or the file is damaged", async () => {
    await expect(modelInfo("nope", { dir: t.dir })).rejects.toThrow(/No model "nope"/);
    writeFileSync(join(t.dir, "cut.gguf"), Buffer.from("GGUF\x03\x00\x00\x00"));
    await expect(modelInfo(join(t.dir, "cut.gguf"), { dir: t.dir })).rejects.toBeInstanceOf(ModelFileError);
    await expect(checkModelFile(join(t.dir, "cut.gguf"), "llm")).rejects.toThrow(/only 8 bytes/);
  });

  const real = testModel("stories260K.gguf");
  it.skipIf(!real)(`tier 2: real GGUF, whisper and Piper files (${TIER2_SKIP_REASON})`, async () => {
    const gguf = await modelInfo(real ?? "", { dir: t.dir });
    expect(gguf).toMatchObject({ kind: "llm", architecture: "llama", hasChatTemplate: false });
    const stub = testModel("for-tests-ggml-tiny.en.bin");
    if (stub) {
      expect(await modelInfo(stub, { dir: t.dir })).toMatchObject({ kind: "whisper", type: "tiny", multilingual: false });
    }
    const voice = testModel("piper-stub/test_voice.onnx");
    if (voice) {
      expect(await modelInfo(voice, { dir: t.dir })).toMatchObject({ kind: "piper", language: "en_US", speakers: 1, sampleRate: 22050 });
    }
    // The shared folder, seen as a models folder: everything is recognised, Silero VAD as plain ONNX.
    const kinds = (await listModels(join(real ?? "", ".."))).map((e) => `${e.kind}:${e.name}`);
    expect(kinds).toEqual(expect.arrayContaining(["llm:stories260K", "whisper:for-tests-ggml-tiny.en", "piper:test_voice", "onnx:silero_vad"]));
  });
});
