import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { configTree, type ConfigTree } from "./fixture.js";

let t: ConfigTree;
beforeEach(() => {
  t = configTree();
});
afterEach(() => t.cleanup());

describe("loadConfig: layers", () => {
  it("uses the defaults when there is nothing else, with XDG paths filled in", async () => {
    const loaded = await loadConfig({ cwd: t.proj, env: t.env });
    expect(loaded.files).toEqual([]);
    expect(loaded.config.llm.temperature).toBe(0.8);
    expect(loaded.sources.get("llm.temperature")).toEqual({ kind: "default" });
    expect(loaded.config.sessions.database).toBe(join(t.home, ".local/share/roleplay/sessions.db"));
    expect(loaded.config.models.dir).toBe(join(t.home, ".local/share/roleplay/models"));
    expect(loaded.config.log.file).toBe(join(t.home, ".local/state/roleplay/roleplay.log"));
    expect(loaded.sources.get("log.file")).toEqual({ kind: "default" });
  });

  it("honours XDG_* folders from the given environment", async () => {
    const env = { HOME: t.home, XDG_DATA_HOME: join(t.root, "data"), XDG_CONFIG_HOME: join(t.root, "cfg") };
    t.write("cfg/roleplay/config.yaml", "userName: Ada\n");
    const loaded = await loadConfig({ cwd: t.proj, env });
    expect(loaded.config.models.dir).toBe(join(t.root, "data/roleplay/models"));
    expect(loaded.config.userName).toBe("Ada");
    expect(loaded.userFile).toBe(join(t.root, "cfg/roleplay/config.yaml"));
  });

  it("ranks defaults < project file < user file < env < flags", async () => {
    const projectFile = t.write(
      "home/proj/.roleplayrc.yaml",
      "userName: FromProject\nllm:\n  temperature: 0.1\n  topP: 0.2\n  maxTokens: 10\n  seed: 1\n",
    );
    const userFile = t.write("home/.config/roleplay/config.yaml", "llm:\n  topP: 0.3\n  maxTokens: 20\n  seed: 2\n");
    const env = { ...t.env, ROLEPLAY_LLM_MAX_TOKENS: "30", ROLEPLAY_LLM_SEED: "3" };
    const loaded = await loadConfig({ cwd: t.proj, env, flags: { llm: { seed: 4 } } });

    expect(loaded.files).toEqual([projectFile, userFile]);
    expect(loaded.config.llm).toMatchObject({ temperature: 0.1, topP: 0.3, maxTokens: 30, seed: 4, contextSize: 4096 });
    expect(loaded.config.userName).toBe("FromProject");
    expect(loaded.sources.get("llm.contextSize")).toEqual({ kind: "default" });
    expect(loaded.sources.get("llm.temperature")).toEqual({ kind: "file", file: projectFile });
    expect(loaded.sources.get("llm.topP")).toEqual({ kind: "user", file: userFile });
    expect(loaded.sources.get("llm.maxTokens")).toEqual({ kind: "env", name: "ROLEPLAY_LLM_MAX_TOKENS" });
    expect(loaded.sources.get("llm.seed")).toEqual({ kind: "flag", name: "--seed" });
  });

  it("names flags by flagNames when given, and coerces flag strings", async () => {
    const loaded = await loadConfig({
      cwd: t.proj,
      env: t.env,
      flags: {
        llm: { temperature: "0.3" as unknown as number, contextSize: "auto" },
        audio: { headphones: undefined },
      },
      flagNames: { "llm.temperature": "--temp" },
    });
    expect(loaded.config.llm.temperature).toBe(0.3);
    expect(loaded.sources.get("llm.temperature")).toEqual({ kind: "flag", name: "--temp" });
    expect(loaded.sources.get("llm.contextSize")).toEqual({ kind: "flag", name: "--context-size" });
    expect(loaded.sources.get("audio.headphones")).toEqual({ kind: "default" });
  });

  it("merges sections key by key and replaces lists", async () => {
    t.write("home/proj/.roleplayrc.yaml", "commands:\n  phrases:\n    send: [send, go]\n    stop: [halt]\n");
    t.write("home/.config/roleplay/config.yaml", "commands:\n  phrases:\n    send: [envoyer]\n");
    const loaded = await loadConfig({ cwd: t.proj, env: t.env });
    expect(loaded.config.commands.phrases).toEqual({ send: ["envoyer"], stop: ["halt"] });
    expect(loaded.config.commands.enabled).toBe(true);
  });

  it("accepts a section left empty (every line below it commented out)", async () => {
    t.write("home/proj/.roleplayrc.yaml", "models:\n  # dir: x\nllm:\n  topP: 0.5\n");
    const loaded = await loadConfig({ cwd: t.proj, env: t.env });
    expect(loaded.config.llm.topP).toBe(0.5);
  });

  it("ignores a $schema key in a file (for editors)", async () => {
    t.write("home/proj/.roleplayrc.json", '{ "$schema": "./schema.json", "userName": "S" }');
    expect((await loadConfig({ cwd: t.proj, env: t.env })).config.userName).toBe("S");
  });

  it("reads an explicit config file and user file, and skips the user file on request", async () => {
    const explicit = t.write("elsewhere/my.yaml", "userName: Explicit\n");
    t.write("home/proj/.roleplayrc.yaml", "userName: Searched\n");
    t.write("home/.config/roleplay/config.json", '{ "llm": { "topP": 0.4 } }');
    const a = await loadConfig({ cwd: t.proj, env: t.env, configPath: explicit });
    expect(a.config.userName).toBe("Explicit");
    expect(a.config.llm.topP).toBe(0.4);
    const b = await loadConfig({ cwd: t.proj, env: t.env, userConfigPath: false });
    expect(b.config.llm.topP).toBe(0.95);
    expect(b.files).toHaveLength(1);
  });
});

describe("loadConfig: project file places", () => {
  const places: [string, string][] = [
    ["package.json", JSON.stringify({ name: "x", roleplay: { userName: "P" } })],
    [".roleplayrc", "userName: P\n"],
    [".roleplayrc.json", '{ "userName": "P" }'],
    [".roleplayrc.yaml", "userName: P\n"],
    [".roleplayrc.yml", "userName: P\n"],
    ["roleplay.config.js", "module.exports = { userName: 'P' };\n"],
    ["roleplay.config.mjs", "export default { userName: 'P' };\n"],
    ["roleplay.config.json", '{ "userName": "P" }'],
    ["roleplay.config.yaml", "userName: P\n"],
  ];
  for (const [name, content] of places) {
    it(`finds ${name}`, async () => {
      const file = t.write(`home/proj/${name}`, content);
      const loaded = await loadConfig({ cwd: t.proj, env: t.env });
      expect(loaded.config.userName).toBe("P");
      expect(loaded.files).toEqual([file]);
      expect(loaded.sources.get("userName")).toEqual({ kind: "file", file });
    });
  }

  it("skips a package.json without a roleplay key and keeps searching upward", async () => {
    t.write("home/proj/sub/deeper/package.json", JSON.stringify({ name: "inner" }));
    const file = t.write("home/proj/.roleplayrc.yaml", "userName: Up\n");
    const loaded = await loadConfig({ cwd: join(t.proj, "sub/deeper"), env: t.env });
    expect(loaded.config.userName).toBe("Up");
    expect(loaded.files).toEqual([file]);
  });

  it("takes the nearest file when several folders have one", async () => {
    t.write("home/proj/.roleplayrc.yaml", "userName: Outer\n");
    t.write("home/proj/sub/.roleplayrc.yaml", "userName: Inner\n");
    const loaded = await loadConfig({ cwd: join(t.proj, "sub"), env: t.env });
    expect(loaded.config.userName).toBe("Inner");
  });

  it("searches up to and including the home folder, never above it", async () => {
    t.write(".roleplayrc.yaml", "userName: AboveHome\n");
    const none = await loadConfig({ cwd: t.proj, env: t.env });
    expect(none.config.userName).toBe("User");
    t.write("home/.roleplayrc.yaml", "userName: AtHome\n");
    const atHome = await loadConfig({ cwd: t.proj, env: t.env });
    expect(atHome.config.userName).toBe("AtHome");
  });

  it("outside the home folder, searches up to stopDir", async () => {
    t.write("work/.roleplayrc.yaml", "userName: Work\n");
    const loaded = await loadConfig({ cwd: join(t.root, "work/a/b"), env: t.env, stopDir: t.root });
    expect(loaded.config.userName).toBe("Work");
  });
});
