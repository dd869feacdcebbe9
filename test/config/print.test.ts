import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { configAsJson, formatEffectiveConfig } from "../../src/config/print.js";
import { settingPaths } from "../../src/config/introspect.js";
import { configTree, type ConfigTree } from "./fixture.js";

let t: ConfigTree;
beforeEach(() => {
  t = configTree();
});
afterEach(() => t.cleanup());

async function loadAll() {
  t.write("home/proj/.roleplayrc.yaml", "llm:\n  temperature: 0.7\ncommands:\n  phrases:\n    send: [go]\n");
  t.write("home/.config/roleplay/config.yaml", "userName: Ada\n");
  return loadConfig({
    cwd: t.proj,
    env: { ...t.env, ROLEPLAY_LLM_TOP_P: "0.5" },
    flags: { llm: { maxTokens: 64 } },
  });
}

const lineOf = (text: string, key: string) => text.split("\n").find((l) => l.startsWith(key + " "));

describe("roleplay config output", () => {
  it("shows every effective value with its source", async () => {
    const text = formatEffectiveConfig(await loadAll());
    expect(lineOf(text, "llm.temperature")).toMatch(/^llm\.temperature\s+= 0\.7\s+\(\.roleplayrc\.yaml\)$/);
    expect(lineOf(text, "userName")).toMatch(/= "Ada"\s+\(~\/\.config\/roleplay\/config\.yaml\)$/);
    expect(lineOf(text, "llm.topP")).toMatch(/= 0\.5\s+\(env ROLEPLAY_LLM_TOP_P\)$/);
    expect(lineOf(text, "llm.maxTokens")).toMatch(/= 64\s+\(flag --max-tokens\)$/);
    expect(lineOf(text, "llm.contextSize")).toMatch(/= 4096\s+\(default\)$/);
    expect(lineOf(text, "commands.phrases.send")).toMatch(/= \["go"\]\s+\(\.roleplayrc\.yaml\)$/);
    expect(lineOf(text, "model")).toMatch(/= \(not set\)$/);
    expect(lineOf(text, "log.file")).toMatch(/roleplay\.log"\s+\(default\)$/);
    expect(text).toContain("# project config: ~/proj/.roleplayrc.yaml");
    expect(text).toContain("# user config: ~/.config/roleplay/config.yaml");
    for (const key of settingPaths().filter((k) => k !== "commands.phrases")) {
      expect(lineOf(text, key), key).toBeDefined();
    }
  });

  it("says when no config file was found", async () => {
    const text = formatEffectiveConfig(await loadConfig({ cwd: t.proj, env: t.env }));
    expect(text.split("\n")[0]).toMatch(/no config files found/);
    expect(lineOf(text, "commands.phrases")).toMatch(/= \{\}\s+\(default\)$/);
  });

  it("has a JSON form with the config, the sources and the files", async () => {
    const loaded = await loadAll();
    const json = JSON.parse(configAsJson(loaded)) as {
      config: { llm: { temperature: number } };
      sources: Record<string, { kind: string; name?: string; file?: string }>;
      files: string[];
    };
    expect(json.config.llm.temperature).toBe(0.7);
    expect(json.sources["llm.topP"]).toEqual({ kind: "env", name: "ROLEPLAY_LLM_TOP_P" });
    expect(json.sources["llm.maxTokens"]).toEqual({ kind: "flag", name: "--max-tokens" });
    expect(json.sources["llm.temperature"]?.kind).toBe("file");
    expect(json.files).toHaveLength(2);
  });
});
