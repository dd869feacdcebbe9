import { spawnSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/core/errors.js";
import { checkPiperVoiceFile } from "../../src/tts/check-onnx.js";
import { createTtsEngine } from "../../src/tts/engine.js";
import { PiperEngine, normalizePeak } from "../../src/tts/piper.js";
import { TIER2_SKIP_REASON, tempDir, testModel } from "../helpers/env.js";
import { minimalConfig } from "./fixtures.js";
import { ipaIdMap, piperLikeModel } from "./onnx-fixture.js";

const hasEspeak = spawnSync("espeak-ng", ["--version"]).status === 0;

/** Protobuf varint. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Something shaped like an ONNX ModelProto header: ir_version, then a graph field of `graphLen` bytes. */
function fakeModel(graphLen: number, actualGraphBytes: number): Buffer {
  return Buffer.from([0x08, 0x08, 0x3a, ...varint(graphLen), ...new Array<number>(actualGraphBytes).fill(0x0a)]);
}

describe("Piper voice files are checked before onnxruntime sees them", () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const voice = (name: string, onnx: Buffer): string => {
    const p = join(dir, `${name}.onnx`);
    writeFileSync(p, onnx);
    writeFileSync(`${p}.json`, JSON.stringify(minimalConfig));
    return p;
  };

  it.each([
    ["random bytes", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251))],
    ["a truncated model", fakeModel(100_000, 2000)],
    ["a JSON file", Buffer.from(JSON.stringify({ hello: "world", pad: "x".repeat(2000) }))],
    ["a tiny file", Buffer.from([0x08, 0x07])],
    ["an HTML error page", Buffer.from("<!DOCTYPE html><html><body>404 Not Found</body></html>".padEnd(2000, " "))],
  ])("%s gives a clear ModelFileError, not a crash", async (name, bytes) => {
    const path = voice(name.replace(/\W/g, "-"), bytes);
    const err = await createTtsEngine({ engine: "piper", voice: path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    expect((err as ModelFileError).message).toMatch(/voice/i);
    expect((err as ModelFileError).hint).toBeTruthy();
  });

  it("accepts a well-formed model header", async () => {
    const p = join(dir, "header-only.onnx");
    writeFileSync(p, fakeModel(2000, 2000));
    await expect(checkPiperVoiceFile(p)).resolves.toBeUndefined();
  });

  it("reports a missing voice and a missing config", async () => {
    await expect(createTtsEngine({ engine: "piper", voice: join(dir, "nope.onnx") })).rejects.toBeInstanceOf(
      ModelFileError,
    );
    const p = join(dir, "no-config.onnx");
    writeFileSync(p, fakeModel(2000, 2000));
    await expect(createTtsEngine({ engine: "piper", voice: p })).rejects.toThrow(/config not found/);
  });
});

const stub = testModel("piper-stub/test_voice.onnx");

describe.skipIf(!stub)(`Piper engine on the stub voice (${stub ? "tier 2" : TIER2_SKIP_REASON})`, () => {
  let engine: PiperEngine;
  beforeAll(async () => {
    engine = await PiperEngine.load(stub!);
  });
  afterAll(async () => engine?.dispose());

  it("speaks at the voice's sample rate", async () => {
    expect(engine.sampleRate).toBe(22050);
    const audio = await engine.synthesize("Hello there.");
    expect(audio).toBeInstanceOf(Float32Array);
    expect(audio.length).toBeGreaterThan(0);
  });

  it("gives longer audio for longer input", async () => {
    const one = await engine.synthesize("Hello.");
    const three = await engine.synthesize("Hello. How are you today? I am fine, thank you.");
    expect(three.length).toBeGreaterThan(one.length * 2);
  });

  it("makes Piper's phoneme ids", async () => {
    const [sentence] = await engine.phonemize("Hi.");
    const ids = engine.ids(sentence!);
    const map = engine.config.phonemeIdMap;
    expect(ids[0]).toBe(map.get("^")![0]);
    expect(ids[1]).toBe(map.get("_")![0]);
    expect(ids.at(-1)).toBe(map.get("$")![0]);
    expect(ids.at(-3)).toBe(map.get(".")![0]);
  });

  it("returns nothing for text with nothing to say, and aborts", async () => {
    expect((await engine.synthesize("  ...  ")).length).toBe(0);
    const ac = new AbortController();
    ac.abort();
    await expect(engine.synthesize("Hello.", { signal: ac.signal })).rejects.toThrow(/abort/i);
  });

  it("loads through createTtsEngine with a speed", async () => {
    const dir = tempDir();
    try {
      // A copy under another name, to check the .onnx.json lookup next to it.
      const p = join(dir.dir, "voice.onnx");
      copyFileSync(stub!, p);
      copyFileSync(`${stub!}.json`, `${p}.json`);
      const e = await createTtsEngine({ engine: "piper", voice: p, speed: 1.5 }, { warmup: false });
      expect(e.name).toContain("piper");
      expect((await e.synthesize("Hello.")).length).toBe(22050);
      await e.dispose();
    } finally {
      dir.cleanup();
    }
  });
});

describe("normalizePeak (Piper's per-sentence level)", () => {
  it("scales the peak to full scale", () => {
    expect(Array.from(normalizePeak(Float32Array.from([0.5, -0.25, 0])))).toEqual([1, -0.5, 0]);
  });

  it("never scales by more than 100x, so near-silence stays quiet", () => {
    const quiet = normalizePeak(Float32Array.from([0.001, -0.002, 0.0005]));
    expect(quiet[0]).toBeCloseTo(0.1, 6);
    expect(quiet[1]).toBeCloseTo(-0.2, 6);
    expect(Array.from(normalizePeak(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });
});

describe("Piper engine on a generated Piper-shaped model (tier 1)", () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  const voice = (name: string, config: object, sid = false): string => {
    const p = join(dir, `${name}.onnx`);
    writeFileSync(p, piperLikeModel({ sid }));
    writeFileSync(
      `${p}.json`,
      JSON.stringify({ ...minimalConfig, phoneme_id_map: ipaIdMap(), espeak: { voice: "en-us" }, ...config }),
    );
    return p;
  };

  it.skipIf(!hasEspeak)("loads, speaks at the voice's rate, and the length follows the phoneme ids", async () => {
    const engine = await PiperEngine.load(voice("single", {}));
    expect(engine.sampleRate).toBe(16000);
    for (const text of ["Hi.", "Hello there, my good friend.", "Hello there. How are you today? I am fine."]) {
      const sentences = await engine.phonemize(text);
      const ids = sentences.reduce((n, s) => n + engine.ids(s).length, 0);
      const gaps = Math.round(0.2 * 16000) * (sentences.length - 1);
      const audio = await engine.synthesize(text);
      expect(audio.length, text).toBe(ids * 256 + gaps);
      expect(Math.max(...audio.subarray(0, 1000))).toBeCloseTo(1, 5); // peak-normalised like Piper
    }
    await engine.dispose();
    await expect(engine.synthesize("Hello.")).rejects.toThrow();
  });

  it("text voices take the folded code points through the voice's phoneme_map", async () => {
    const engine = await PiperEngine.load(voice("text", { phoneme_type: "text", phoneme_map: { a: ["ɑ", "ː"] } }));
    expect(await engine.phonemize("ÇA va")).toEqual([["c", "\u0327", "ɑ", "ː", " ", "v", "ɑ", "ː"]]);
    expect((await engine.synthesize("Hello.")).length).toBeGreaterThan(0);
    await engine.dispose();
  });

  it.skipIf(!hasEspeak)("feeds a speaker id to multi-speaker voices", async () => {
    const p = voice("multi", { num_speakers: 2, speaker_id_map: { amy: 0, bob: 1 } }, true);
    const engine = await createTtsEngine({ engine: "piper", voice: p, speaker: "bob" });
    expect((await engine.synthesize("Hello.")).length).toBeGreaterThan(0);
    await engine.dispose();
    await expect(createTtsEngine({ engine: "piper", voice: p, speaker: "carol" })).rejects.toThrow(/carol/);
  });
});
