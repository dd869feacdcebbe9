import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { describeExpected, dropNullSections, schemaAt, settingPaths } from "../../src/config/introspect.js";
import { envVarName, envVarTable } from "../../src/config/env.js";
import { configSchema, defaultConfig } from "../../src/config/schema.js";

const defaultYaml = new URL("../../config/default.yaml", import.meta.url);

describe("config schema", () => {
  it("has a default for every required setting", () => {
    const config = defaultConfig();
    expect(config.llm).toMatchObject({
      contextSize: 4096,
      threads: "auto",
      gpuLayers: "auto",
      temperature: 0.8,
      topP: 0.95,
      maxTokens: 512,
    });
    expect(config.audio.bargeIn).toEqual({ enabled: true, minSpeechMs: 300 });
    expect(config.commands.wakePhrase).toBeNull();
    expect(config.userName).toBe("User");
    expect(typeof config.character).toBe("string");
    expect(config.model).toBeUndefined();
  });

  it("config/default.yaml parses and equals the schema defaults", () => {
    const parsed = YAML.parse(readFileSync(defaultYaml, "utf8")) as Record<string, unknown>;
    const values = dropNullSections(parsed);
    expect(configSchema.parse(values)).toEqual(defaultConfig());
    // The file states every default (optional settings are commented out): nothing left to fill in,
    // except sections whose every line is commented out.
    const stated = Object.fromEntries(
      Object.entries(defaultConfig()).filter(([key]) => !(key in parsed && parsed[key] === null)),
    );
    expect(values).toEqual(stated);
  });

  it("config/default.yaml mentions every setting", () => {
    const text = readFileSync(defaultYaml, "utf8");
    for (const path of settingPaths()) {
      const key = path.split(".").pop()!;
      expect(text, path).toMatch(new RegExp(`\\b${key}:`));
    }
  });

  it("maps each setting to its own ROLEPLAY_* variable", () => {
    expect(envVarName("model")).toBe("ROLEPLAY_MODEL");
    expect(envVarName("llm.contextSize")).toBe("ROLEPLAY_LLM_CONTEXT_SIZE");
    expect(envVarName("audio.bargeIn.enabled")).toBe("ROLEPLAY_AUDIO_BARGE_IN_ENABLED");
    expect(envVarName("llm.topP")).toBe("ROLEPLAY_LLM_TOP_P");
    expect(envVarTable().size).toBe(settingPaths().length);
  });

  it("describes what a setting expects in plain words", () => {
    const expected = (path: string) => describeExpected(schemaAt(path.split("."))!);
    expect(expected("llm.temperature")).toBe("a number from 0 to 2");
    expect(expected("llm.maxTokens")).toBe("a whole number of at least 1");
    expect(expected("llm.contextSize")).toBe('a whole number of at least 1 or "auto"');
    expect(expected("llm.gpuLayers")).toBe('a whole number of at least 0, "auto" or "max"');
    expect(expected("tts.engine")).toBe('one of "espeak", "piper", "none"');
    expect(expected("audio.headphones")).toBe("true or false");
    expect(expected("asr.language")).toContain('"auto" or a language code');
    expect(expected("llm")).toBe("a mapping of settings");
  });
});
