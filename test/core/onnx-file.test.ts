import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/core/errors.js";
import { checkOnnxFile, onnxStructureProblem, readOnnxFile } from "../../src/core/onnx-file.js";
import { tempDir } from "../helpers/env.js";

/** ir_version, then a graph field of `graphLen` bytes of which `actual` are present. */
function model(graphLen: number, actual = graphLen): Buffer {
  const len: number[] = [];
  for (let n = graphLen; ;) {
    const b = n & 0x7f;
    n = Math.floor(n / 128);
    len.push(n > 0 ? b | 0x80 : b);
    if (n === 0) break;
  }
  return Buffer.concat([Buffer.from([0x08, 0x08, 0x3a, ...len]), Buffer.alloc(actual, 0x0a)]);
}

describe("ONNX file checks: the streaming walk and the in-memory walk agree", () => {
  const tmp = tempDir("roleplay-onnx-");
  afterAll(() => tmp.cleanup());

  const cases: [string, Buffer, string | undefined][] = [
    ["a well-formed header", model(2000), undefined],
    ["a truncated graph", model(100_000, 2000), "truncated"],
    ["no graph", Buffer.concat([Buffer.from([0x08, 0x08, 0x12, 0x80, 0x10]), Buffer.alloc(2048)]), "no graph"],
    ["a bad wire type", Buffer.concat([Buffer.from([0x0f]), Buffer.alloc(1024)]), "wire type"],
    ["text", Buffer.from("<html>404 not found</html>\n".repeat(100)), "wire type"],
    ["an unknown field", Buffer.concat([Buffer.from([0xa8, 0x08, 0x01]), Buffer.alloc(1024)]), "unexpected field 133"],
  ];

  it.each(cases)("%s", async (name, bytes, problem) => {
    const file = join(tmp.dir, `${name.replace(/\W+/g, "-")}.onnx`);
    writeFileSync(file, bytes);
    const inMemory = onnxStructureProblem(bytes);
    if (problem === undefined) {
      expect(inMemory).toBeUndefined();
      await expect(checkOnnxFile(file)).resolves.toBeUndefined();
      expect((await readOnnxFile(file)).equals(bytes)).toBe(true);
      return;
    }
    expect(inMemory).toContain(problem);
    for (const check of [checkOnnxFile, readOnnxFile]) {
      const err = await check(file, { what: "Test model", hint: "bad" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelFileError);
      expect((err as ModelFileError).code).toBe("MODEL_INVALID");
      expect((err as ModelFileError).message).toBe(`Test model is not a valid ONNX file (${inMemory}): ${file}`);
      expect((err as ModelFileError).hint).toBe("bad");
    }
  });

  it("a missing file and an implausible size have their own hints", async () => {
    const missing = join(tmp.dir, "nope.onnx");
    const opts = { what: "Test model", hint: "bad", missingHint: "path" };
    for (const check of [checkOnnxFile, readOnnxFile]) {
      const err = (await check(missing, opts).catch((e: unknown) => e)) as ModelFileError;
      expect([err.code, err.message, err.hint]).toEqual([
        "MODEL_NOT_FOUND",
        `Test model not found: ${missing}`,
        "path",
      ]);
    }
    const small = join(tmp.dir, "small.onnx");
    writeFileSync(small, model(100));
    const err = (await checkOnnxFile(small, { ...opts, minBytes: 1024 }).catch((e: unknown) => e)) as ModelFileError;
    expect([err.code, err.hint]).toEqual(["MODEL_INVALID", "bad"]);
    expect(err.message).toMatch(/implausible size \(10\d bytes\)/);
  });
});
