import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, ModelFileError } from "../../src/core/errors.js";
import { loadPiperConfig, parsePiperConfig, resolveSpeaker } from "../../src/tts/piper-config.js";
import { tempDir } from "../helpers/env.js";
import { minimalConfig } from "./fixtures.js";

describe("Piper voice config", () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it("reads the fields synthesis needs", () => {
    const c = parsePiperConfig(minimalConfig);
    expect(c.sampleRate).toBe(16000);
    expect(c.espeakVoice).toBe("en-gb");
    expect([c.noiseScale, c.lengthScale, c.noiseW]).toEqual([0.5, 1.2, 0.7]);
    expect(c.phonemeIdMap.get("a")).toEqual([14]);
    expect(c.numSpeakers).toBe(1);
  });

  it.each([
    ["no sample rate", { ...minimalConfig, audio: {} }, /audio.sample_rate/],
    ["no phoneme_id_map", { ...minimalConfig, phoneme_id_map: undefined }, /phoneme_id_map/],
    ["no pad symbol", { ...minimalConfig, phoneme_id_map: { "^": [1], $: [2] } }, /"_"/],
    ["bad ids", { ...minimalConfig, phoneme_id_map: { _: ["x"], "^": [1], $: [2] } }, /entry/],
    ["unsupported phoneme type", { ...minimalConfig, phoneme_type: "pinyin" }, /pinyin/],
  ])("rejects a config with %s", (_name, raw, message) => {
    expect(() => parsePiperConfig(raw)).toThrow(message);
  });

  it("reports a missing or broken file as ModelFileError", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    await expect(loadPiperConfig(join(t.dir, "none.onnx.json"))).rejects.toBeInstanceOf(ModelFileError);
    const broken = join(t.dir, "broken.onnx.json");
    writeFileSync(broken, "{ not json");
    await expect(loadPiperConfig(broken)).rejects.toThrow(/not valid JSON/);
  });

  it("resolves speakers by id or name on multi-speaker voices", () => {
    const c = parsePiperConfig({ ...minimalConfig, num_speakers: 3, speaker_id_map: { alice: 0, bob: 2 } });
    expect(resolveSpeaker(c, undefined)).toBe(0);
    expect(resolveSpeaker(c, 1)).toBe(1);
    expect(resolveSpeaker(c, "2")).toBe(2);
    expect(resolveSpeaker(c, "bob")).toBe(2);
    expect(() => resolveSpeaker(c, 5)).toThrow(ConfigError);
    let err: unknown;
    try {
      resolveSpeaker(c, "carol");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).hint).toContain("alice, bob");
    expect(resolveSpeaker(parsePiperConfig(minimalConfig), 3)).toBeUndefined();
  });
});
