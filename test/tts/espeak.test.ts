import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { createTtsEngine, parseVoiceFlag } from "../../src/tts/engine.js";
import { TtsError } from "../../src/tts/errors.js";

const hasEspeak = spawnSync("espeak-ng", ["--version"]).status === 0;

function rms(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s / Math.max(1, a.length));
}

describe.skipIf(!hasEspeak)("espeak-ng engine", () => {
  it("speaks non-silent PCM at its rate", async () => {
    const e = await createTtsEngine({ engine: "espeak" });
    expect(e.sampleRate).toBe(22050);
    const audio = await e.synthesize("Hello there, how are you?");
    expect(audio.length / e.sampleRate).toBeGreaterThan(0.5);
    expect(rms(audio)).toBeGreaterThan(0.01);
    await e.dispose();
  });

  it("speaks faster with a higher speed", async () => {
    const slow = await createTtsEngine({ engine: "espeak", voice: "en-us", speed: 0.7 });
    const fast = await createTtsEngine({ engine: "espeak", voice: "en-us", speed: 1.8 });
    const text = "The quick brown fox jumps over the lazy dog.";
    expect((await fast.synthesize(text)).length).toBeLessThan((await slow.synthesize(text)).length);
  });

  it("treats text that starts with a dash as text", async () => {
    const e = await createTtsEngine({ engine: "espeak" });
    expect((await e.synthesize("-v is not an option here")).length).toBeGreaterThan(0);
  });

  it("rejects an unknown voice with a hint", async () => {
    const err = await createTtsEngine({ engine: "espeak", voice: "nosuchvoice" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtsError);
    expect((err as TtsError).hint).toMatch(/--voices/);
  });

  it("aborts a running synthesis", async () => {
    const e = await createTtsEngine({ engine: "espeak" });
    const ac = new AbortController();
    const p = e.synthesize("This is a long text. ".repeat(200), { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toThrow(/abort/i);
  });
});

describe("espeak-ng missing", () => {
  const saved = process.env.ROLEPLAY_ESPEAK;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROLEPLAY_ESPEAK;
    else process.env.ROLEPLAY_ESPEAK = saved;
  });

  it("gives a clear error with an install hint", async () => {
    process.env.ROLEPLAY_ESPEAK = "/nonexistent/espeak-ng";
    const err = await createTtsEngine({ engine: "espeak" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtsError);
    expect((err as TtsError).message).toMatch(/not installed/);
    expect((err as TtsError).hint).toMatch(/apt install espeak-ng/);
    expect((err as TtsError).hint).toMatch(/brew install espeak-ng/);
  });
});

describe("parseVoiceFlag", () => {
  it.each([
    ["espeak", { engine: "espeak" }],
    ["espeak:en-gb", { engine: "espeak", voice: "en-gb" }],
    ["espeak-ng:fr", { engine: "espeak", voice: "fr" }],
    ["none", { engine: "none" }],
    ["off", { engine: "none" }],
    ["voices/en_US-amy-medium.onnx", { engine: "piper", voice: "voices/en_US-amy-medium.onnx" }],
    ["voices/en_US-amy-medium.onnx.json", { engine: "piper", voice: "voices/en_US-amy-medium.onnx" }],
    ["piper:amy", { engine: "piper", voice: "amy" }],
  ])("%s", (flag, spec) => {
    expect(parseVoiceFlag(flag)).toEqual(spec);
  });

  it("rejects anything else with a hint", () => {
    expect(() => parseVoiceFlag("festival")).toThrow(UsageError);
  });

  it("the none engine says nothing", async () => {
    const e = await createTtsEngine({ engine: "none" });
    expect((await e.synthesize("Hello.")).length).toBe(0);
  });
});
