import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { loadConfig } from "../../src/config/load.js";
import { ConfigValidationError } from "../../src/config/validate.js";
import { configTree, rejection, type ConfigTree } from "./fixture.js";

let t: ConfigTree;
beforeEach(() => {
  t = configTree();
});
afterEach(() => t.cleanup());

const load = (extra: Parameters<typeof loadConfig>[0] = {}) => loadConfig({ cwd: t.proj, env: t.env, ...extra });

describe("config errors", () => {
  it("names file, key, expected and found for a wrong type, with a hint and exit code 2", async () => {
    t.write("home/proj/.roleplayrc.yaml", "llm:\n  temperature: hot\n");
    const err = await rejection(load());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('~/proj/.roleplayrc.yaml: llm.temperature: expected a number from 0 to 2, found "hot"');
    expect(err.hint).toContain("~/proj/.roleplayrc.yaml");
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toContain("\n");
  });

  it("reports out-of-range numbers and bad enum values", async () => {
    t.write("home/proj/.roleplayrc.json", '{ "llm": { "topP": 3 } }');
    expect((await rejection(load())).message).toBe(
      "~/proj/.roleplayrc.json: llm.topP: expected a number from 0 to 1, found 3",
    );
    t.write("home/proj/.roleplayrc.json", '{ "tts": { "engine": "festival" } }');
    expect((await rejection(load())).message).toBe(
      '~/proj/.roleplayrc.json: tts.engine: expected one of "espeak", "piper", "none", found "festival"',
    );
    t.write("home/proj/.roleplayrc.json", '{ "llm": 5 }');
    expect((await rejection(load())).message).toBe(
      "~/proj/.roleplayrc.json: llm: expected a mapping of settings, found 5",
    );
  });

  it("names the user file when the bad value comes from it", async () => {
    t.write("home/.config/roleplay/config.yaml", "audio:\n  headphones: maybe\n");
    const err = await rejection(load());
    expect(err.message).toBe('~/.config/roleplay/config.yaml: audio.headphones: expected true or false, found "maybe"');
  });

  it("names the env var or flag when the bad value comes from it", async () => {
    const fromEnv = await rejection(load({ env: { ...t.env, ROLEPLAY_LLM_TEMPERATURE: "hot" } }));
    expect(fromEnv.message).toBe(
      'ROLEPLAY_LLM_TEMPERATURE: llm.temperature: expected a number from 0 to 2, found "hot"',
    );
    expect(fromEnv.hint).toContain("ROLEPLAY_LLM_TEMPERATURE");
    const fromFlag = await rejection(load({ flags: { llm: { temperature: 9 } } }));
    expect(fromFlag.message).toBe("--temperature: llm.temperature: expected a number from 0 to 2, found 9");
  });

  it("an unknown key is an error with a did-you-mean", async () => {
    t.write("home/proj/.roleplayrc.yaml", "llm:\n  temprature: 0.5\n");
    const err = await rejection(load());
    expect(err.message).toBe(
      "~/proj/.roleplayrc.yaml: llm.temprature: unknown setting (did you mean llm.temperature?)",
    );
    expect(err.hint).toContain("llm.temperature");
  });

  it("suggests the section of a setting written at the wrong level, and a misspelt section", async () => {
    t.write("home/proj/.roleplayrc.yaml", "temperature: 0.5\n");
    expect((await rejection(load())).message).toContain("temperature: unknown setting (did you mean llm.temperature?)");
    t.write("home/proj/.roleplayrc.yaml", "audo:\n  headphones: true\n");
    expect((await rejection(load())).message).toContain("audo: unknown setting (did you mean audio?)");
    t.write("home/proj/.roleplayrc.yaml", "llm:\n  model: x.gguf\n");
    expect((await rejection(load())).message).toContain("llm.model: unknown setting (did you mean model?)");
    t.write("home/proj/.roleplayrc.yaml", "bargeIn:\n  enabled: false\n");
    expect((await rejection(load())).message).toContain("bargeIn: unknown setting (did you mean audio.bargeIn?)");
  });

  it("an unknown key far from any setting gets no suggestion", async () => {
    t.write("home/proj/.roleplayrc.yaml", "zzzqqq: 1\n");
    const err = await rejection(load());
    expect(err.message).toBe("~/proj/.roleplayrc.yaml: zzzqqq: unknown setting");
  });

  it("lists every problem and says how many more there are", async () => {
    t.write("home/proj/.roleplayrc.yaml", "llm:\n  temperature: hot\n  topP: 7\n");
    const err = await rejection(load());
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect(err.message).toMatch(/\(and 1 more\)$/);
    expect((err as ConfigValidationError).problems).toHaveLength(2);
  });

  it("bad YAML gives the file and the line", async () => {
    t.write("home/proj/.roleplayrc.yaml", "llm:\n  temperature: 0.5\n topP: 0.2\n");
    const err = await rejection(load());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^~\/proj\/\.roleplayrc\.yaml: line 3: not valid YAML \(/);
    expect(err.hint).toContain("line 3");
  });

  it("bad JSON gives the file and the line", async () => {
    t.write("home/proj/.roleplayrc.json", '{\n  "llm": {\n    "topP": 0.5,\n  }\n}\n');
    const err = await rejection(load());
    expect(err.message).toMatch(/^~\/proj\/\.roleplayrc\.json: line 4: not valid JSON/);
    t.write("home/proj/.roleplayrc.json", "");
    t.write("home/.config/roleplay/config.json", '{ "a": 1 "b": 2 }');
    expect((await rejection(load())).message).toMatch(/^~\/\.config\/roleplay\/config\.json: line 1: not valid JSON/);
  });

  it("a file whose top level is not a mapping is refused", async () => {
    t.write("home/proj/.roleplayrc.yaml", "- a\n- b\n");
    expect((await rejection(load())).message).toBe(
      "~/proj/.roleplayrc.yaml: expected a mapping of settings, found a list",
    );
  });

  it("a JavaScript config that throws names the file", async () => {
    t.write("home/proj/roleplay.config.mjs", "throw new Error('boom');\n");
    const err = await rejection(load());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("~/proj/roleplay.config.mjs");
    expect(err.message).toContain("boom");
  });

  it("a missing explicit config file is a ConfigError", async () => {
    const err = await rejection(load({ configPath: "nope.yaml" }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("does not exist");
  });
});
