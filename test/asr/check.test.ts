import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWhisperModel } from "../../src/asr/check.js";
import type { WhisperModelInfo } from "../../src/asr/check.js";
import { tensorRecordBytes, whisperTensorSpecs } from "../../src/asr/ggml-format.js";
import { TINY_EN_HPARAMS, writeWhisperGgml } from "../../src/asr/ggml-writer.js";
import { WhisperTranscriber } from "../../src/asr/whisper.js";
import { ModelFileError } from "../../src/core/errors.js";
import { TIER2_SKIP_REASON, tempDir, testModel } from "../helpers/env.js";
import { writeRandomWhisperModel } from "../helpers/whisper-model.js";

const tmp = tempDir("roleplay-asr-check-");
const good = join(tmp.dir, "good.bin");
let goodInfo: WhisperModelInfo;
let goodBytes: Buffer;

const file = (name: string, content: Buffer | string): string => {
  const path = join(tmp.dir, name);
  writeFileSync(path, content);
  return path;
};

/** The check refuses the file with `code`, and so does the transcriber's load, which never reaches whisper.cpp. */
async function refused(path: string, code: string, hint?: RegExp): Promise<void> {
  const err = await checkWhisperModel(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelFileError);
  expect(err).toMatchObject({ code });
  if (hint) expect((err as ModelFileError).hint).toMatch(hint);
  await expect(WhisperTranscriber.load(path)).rejects.toMatchObject({ code });
}

beforeAll(async () => {
  process.env.XDG_CACHE_HOME = join(tmp.dir, "cache");
  await writeRandomWhisperModel(good, { seed: 3 });
  goodBytes = readFileSync(good);
  goodInfo = await checkWhisperModel(good);
});
afterAll(() => tmp.cleanup());

describe("checkWhisperModel", () => {
  it("accepts the random tiny model and reports its dimensions", () => {
    expect(goodInfo).toMatchObject({
      type: "tiny",
      multilingual: false,
      ftype: 1,
      ftypeName: "f16",
      tensors: whisperTensorSpecs(TINY_EN_HPARAMS).length,
      size: goodBytes.length,
      expectedSize: goodBytes.length,
    });
    expect(goodInfo.hparams).toEqual(TINY_EN_HPARAMS);
  });

  it("accepts f32 and multilingual files", async () => {
    const small = {
      ...TINY_EN_HPARAMS,
      n_audio_state: 64,
      n_text_state: 64,
      n_audio_head: 2,
      n_text_head: 2,
      n_audio_layer: 1,
      n_text_layer: 1,
    };
    const f32 = join(tmp.dir, "f32.bin");
    await writeWhisperGgml(f32, { hparams: { ...small, ftype: 0, n_vocab: 51865 } });
    await expect(checkWhisperModel(f32)).resolves.toMatchObject({ ftypeName: "f32", multilingual: true, tensors: 50 });
  });

  it("refuses a missing file or a folder", async () => {
    await refused(join(tmp.dir, "nope.bin"), "WHISPER_NOT_FOUND", /asr-model/);
    mkdirSync(join(tmp.dir, "folder.bin"));
    await refused(join(tmp.dir, "folder.bin"), "WHISPER_NOT_FOUND");
  });

  it("refuses files that are not ggml, saying what they look like", async () => {
    await refused(file("empty.bin", ""), "WHISPER_NOT_GGML", /empty/);
    await refused(file("text.bin", "hello, this is not a model\n".repeat(20)), "WHISPER_NOT_GGML", /text file/);
    const gguf = Buffer.alloc(4096);
    gguf.write("GGUF", 0, "latin1");
    gguf.writeUInt32LE(3, 4);
    await refused(file("llm.gguf", gguf), "WHISPER_NOT_GGML", /GGUF/);
    await refused(
      file("page.bin", "<!DOCTYPE html><html><body>Not found</body></html>"),
      "WHISPER_NOT_GGML",
      /web page/,
    );
    await refused(
      file("lfs.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 77691713\n"),
      "WHISPER_NOT_GGML",
      /LFS/,
    );
  });

  it("refuses a truncated download, wherever it was cut", async () => {
    await refused(file("half.bin", goodBytes.subarray(0, goodBytes.length >> 1)), "WHISPER_TRUNCATED", /again/);
    await refused(file("minus1.bin", goodBytes.subarray(0, goodBytes.length - 1)), "WHISPER_TRUNCATED");
    await refused(file("in-header.bin", goodBytes.subarray(0, 30)), "WHISPER_TRUNCATED");
    await refused(file("in-vocab.bin", goodBytes.subarray(0, goodInfo.tensorOffset - 100)), "WHISPER_TRUNCATED");
    // Header only: magic, hparams, mel filters and vocabulary, no tensors (whisper.cpp would "load" it empty).
    await refused(
      file("header-only.bin", goodBytes.subarray(0, goodInfo.tensorOffset)),
      "WHISPER_TRUNCATED",
      /header-only/,
    );
    // Cut exactly between two tensors: whisper.cpp stops reading at end of file with tensors missing.
    const first = tensorRecordBytes(whisperTensorSpecs(TINY_EN_HPARAMS)[0]!, 1)!;
    await refused(file("one-tensor.bin", goodBytes.subarray(0, goodInfo.tensorOffset + first)), "WHISPER_TRUNCATED");
  });

  it("refuses corrupt headers and tensors", async () => {
    const badVocab = Buffer.from(goodBytes.subarray(0, 4096));
    badVocab.writeInt32LE(1000, 4);
    await refused(file("vocab.bin", badVocab), "WHISPER_CORRUPT");
    const badWidth = Buffer.from(goodBytes.subarray(0, 4096));
    badWidth.writeInt32LE(512, 4 + 4 * 6); // n_text_state ≠ n_audio_state
    await refused(file("width.bin", badWidth), "WHISPER_CORRUPT");
    const badFtype = Buffer.from(goodBytes.subarray(0, 4096));
    badFtype.writeInt32LE(99, 4 + 4 * 10);
    await refused(file("ftype.bin", badFtype), "WHISPER_UNSUPPORTED");

    const renamed = Buffer.from(goodBytes);
    const nameAt = goodInfo.tensorOffset + 12 + 4 * 2; // first tensor is 2-D
    renamed.write("X", nameAt, "latin1");
    await refused(file("renamed.bin", renamed), "WHISPER_CORRUPT", /again/);

    const retyped = Buffer.from(goodBytes);
    const first = tensorRecordBytes(whisperTensorSpecs(TINY_EN_HPARAMS)[0]!, 1)!;
    retyped.writeInt32LE(0, goodInfo.tensorOffset + first + 8); // conv1.weight stored as f32 in an f16 file
    await refused(file("retyped.bin", retyped), "WHISPER_CORRUPT");

    await refused(file("trailing.bin", Buffer.concat([goodBytes, Buffer.alloc(64, 7)])), "WHISPER_CORRUPT");
  });

  it("ignores fewer than 12 trailing bytes, as whisper.cpp does", async () => {
    const path = join(tmp.dir, "pad.bin");
    copyFileSync(good, path);
    writeFileSync(path, Buffer.alloc(5), { flag: "a" });
    await expect(checkWhisperModel(path)).resolves.toMatchObject({ type: "tiny" });
  });

  it("the process is alive after every refusal: the good model still loads and runs", async () => {
    const whisper = await WhisperTranscriber.load(good, { threads: 1 });
    try {
      const result = await whisper.transcribe(new Float32Array(16000));
      expect(typeof result.text).toBe("string");
    } finally {
      await whisper.dispose();
    }
  });
});

describe("tier 2: real files", () => {
  const headerOnly = testModel("for-tests-ggml-tiny.en.bin");
  it.skipIf(!headerOnly)(
    `refuses whisper.cpp's header-only test model without a crash (${TIER2_SKIP_REASON})`,
    async () => {
      await refused(headerOnly!, "WHISPER_TRUNCATED", /header-only/);
      const err = await checkWhisperModel(headerOnly!).catch((e: unknown) => e as ModelFileError);
      expect(String((err as ModelFileError).message)).toMatch(/no weights/);
    },
  );

  const gguf = testModel("stories260K.gguf");
  it.skipIf(!gguf)(`refuses a GGUF language model as a whisper model (${TIER2_SKIP_REASON})`, async () => {
    await refused(gguf!, "WHISPER_NOT_GGML", /GGUF/);
  });
});
