import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.js";
import { coerceForSchema, readEnv } from "../../src/config/env.js";
import { schemaAt } from "../../src/config/introspect.js";
import { interpolateString } from "../../src/config/interpolate.js";
import { loadConfig } from "../../src/config/load.js";
import { configTree, rejection, type ConfigTree } from "./fixture.js";

let t: ConfigTree;
beforeEach(() => {
  t = configTree();
});
afterEach(() => t.cleanup());

describe("${VAR} substitution", () => {
  it("replaces variables, with defaults, in every string of a file", async () => {
    t.write(
      "home/proj/.roleplayrc.yaml",
      [
        "userName: ${WHO}",
        "systemPrompt: 'You talk to ${WHO} about ${TOPIC:-cats}, cost $$${PRICE:-5}'",
        "commands:",
        "  phrases:",
        "    send: ['${VERB}', 'go']",
        "",
      ].join("\n"),
    );
    const env = { ...t.env, WHO: "Ada", VERB: "envoyer" };
    const loaded = await loadConfig({ cwd: t.proj, env });
    expect(loaded.config.userName).toBe("Ada");
    expect(loaded.config.systemPrompt).toBe("You talk to Ada about cats, cost $5");
    expect(loaded.config.commands.phrases).toEqual({ send: ["envoyer", "go"] });
  });

  it("follows the shell: :- also replaces an empty value, - only an unset one", () => {
    expect(interpolateString("${A:-x}", { A: "" })).toEqual({ value: "x" });
    expect(interpolateString("${A-x}", { A: "" })).toEqual({ value: "" });
    expect(interpolateString("${A-x}", {})).toEqual({ value: "x" });
    expect(interpolateString("$${A}", { A: "no" })).toEqual({ value: "${A}" });
    expect(interpolateString("${A}", {})).toEqual({ missing: "A" });
  });

  it("an unset variable without a default names the file and the key", async () => {
    t.write("home/proj/.roleplayrc.yaml", "llm:\n  temperature: 0.5\nmodels:\n  hfEndpoint: ${MIRROR}\n");
    const err = await rejection(loadConfig({ cwd: t.proj, env: t.env }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe("~/proj/.roleplayrc.yaml: models.hfEndpoint: environment variable MIRROR is not set");
    expect(err.hint).toContain("${MIRROR:-");
  });

  it("does not substitute in env vars or flags", async () => {
    const loaded = await loadConfig({ cwd: t.proj, env: { ...t.env, ROLEPLAY_USER_NAME: "${X}" } });
    expect(loaded.config.userName).toBe("${X}");
  });
});

describe("ROLEPLAY_* environment variables", () => {
  it("coerce by the type of the setting", async () => {
    const env = {
      ...t.env,
      ROLEPLAY_LLM_CONTEXT_SIZE: "8192",
      ROLEPLAY_LLM_THREADS: "auto",
      ROLEPLAY_LLM_GPU_LAYERS: "max",
      ROLEPLAY_LLM_TEMPERATURE: "0.25",
      ROLEPLAY_AUDIO_BARGE_IN_ENABLED: "no",
      ROLEPLAY_AUDIO_HEADPHONES: "1",
      ROLEPLAY_ASR_SIZE_AUDIO_CONTEXT: "FALSE",
      ROLEPLAY_USER_NAME: "007",
      ROLEPLAY_TTS_SPEAKER: "3",
      ROLEPLAY_COMMANDS_WAKE_PHRASE: "hey there",
      ROLEPLAY_COMMANDS_PHRASES: '{"send": ["go"]}',
      ROLEPLAY_MODEL: "hf:user/repo/file.gguf",
    };
    const { config, sources } = await loadConfig({ cwd: t.proj, env });
    expect(config.llm).toMatchObject({ contextSize: 8192, threads: "auto", gpuLayers: "max", temperature: 0.25 });
    expect(config.audio.bargeIn.enabled).toBe(false);
    expect(config.audio.headphones).toBe(true);
    expect(config.asr.sizeAudioContext).toBe(false);
    expect(config.userName).toBe("007");
    expect(config.tts.speaker).toBe(3);
    expect(config.commands.wakePhrase).toBe("hey there");
    expect(config.commands.phrases).toEqual({ send: ["go"] });
    expect(config.model).toBe("hf:user/repo/file.gguf");
    expect(sources.get("audio.bargeIn.enabled")).toEqual({ kind: "env", name: "ROLEPLAY_AUDIO_BARGE_IN_ENABLED" });
  });

  it("coerceForSchema keeps strings a setting accepts as strings", () => {
    expect(coerceForSchema("null", schemaAt(["commands", "wakePhrase"]))).toBeNull();
    expect(coerceForSchema("yes", schemaAt(["userName"]))).toBe("yes");
    expect(coerceForSchema("12", schemaAt(["llm", "seed"]))).toBe(12);
    expect(coerceForSchema("nope", schemaAt(["llm", "seed"]))).toBe("nope");
  });

  it("maps ROLEPLAY_HF_ENDPOINT to models.hfEndpoint; the canonical name wins", async () => {
    const alias = await loadConfig({ cwd: t.proj, env: { ...t.env, ROLEPLAY_HF_ENDPOINT: "http://127.0.0.1:9/" } });
    expect(alias.config.models.hfEndpoint).toBe("http://127.0.0.1:9/");
    expect(alias.sources.get("models.hfEndpoint")).toEqual({ kind: "env", name: "ROLEPLAY_HF_ENDPOINT" });
    const both = await loadConfig({
      cwd: t.proj,
      env: { ...t.env, ROLEPLAY_MODELS_HF_ENDPOINT: "https://a.example/", ROLEPLAY_HF_ENDPOINT: "https://b.example/" },
    });
    expect(both.config.models.hfEndpoint).toBe("https://a.example/");
  });

  it("ignores unknown and empty variables, warns about likely typos", () => {
    const { entries, warnings } = readEnv({
      ROLEPLAY_TEST_MODELS: "/x",
      ROLEPLAY_SOMETHING_ELSE_ENTIRELY: "1",
      ROLEPLAY_LLM_TEMPRATURE: "1",
      ROLEPLAY_MODEL: "",
      PATH: "/bin",
    });
    expect(entries).toEqual([]);
    expect(warnings).toEqual([
      "ROLEPLAY_LLM_TEMPRATURE is not a roleplay setting (did you mean ROLEPLAY_LLM_TEMPERATURE?); it is ignored",
    ]);
  });

  it("surfaces typo warnings in the loaded config", async () => {
    const loaded = await loadConfig({ cwd: t.proj, env: { ...t.env, ROLEPLAY_AUDIO_HEADPHONE: "true" } });
    expect(loaded.warnings[0]).toContain("ROLEPLAY_AUDIO_HEADPHONES");
    expect(loaded.config.audio.headphones).toBe(false);
  });
});

describe("relative paths", () => {
  it("resolves path-like settings against the folder of the file that set them", async () => {
    t.write(
      "home/proj/conf/.roleplayrc.yaml",
      [
        "model: ../models/llm.gguf",
        "character: chars/bob.yaml",
        "asr:",
        "  model: ggml-tiny.bin",
        "vad:",
        "  model: ./silero.onnx",
        "tts:",
        "  voice: voices/en.onnx",
        "audio:",
        "  input: in.wav",
        "  output: none",
        "sessions:",
        "  database: db/s.db",
        "models:",
        "  dir: ~/models",
        "log:",
        "  file: logs/r.log",
        "",
      ].join("\n"),
    );
    const conf = join(t.proj, "conf");
    const { config } = await loadConfig({ cwd: conf, env: t.env });
    expect(config.model).toBe(join(t.proj, "models/llm.gguf"));
    expect(config.character).toBe(join(conf, "chars/bob.yaml"));
    expect(config.asr.model).toBe(join(conf, "ggml-tiny.bin"));
    expect(config.vad.model).toBe(join(conf, "silero.onnx"));
    expect(config.tts.voice).toBe(join(conf, "voices/en.onnx"));
    expect(config.audio.input).toBe(join(conf, "in.wav"));
    expect(config.audio.output).toBe("none");
    expect(config.sessions.database).toBe(join(conf, "db/s.db"));
    expect(config.models.dir).toBe(join(t.home, "models"));
    expect(config.log.file).toBe(join(conf, "logs/r.log"));
  });

  it("leaves references, keywords and plain names alone", async () => {
    t.write(
      "home/.config/roleplay/config.yaml",
      "model: hf:user/repo/file.gguf\ncharacter: wren\nasr:\n  model: whisper:base.en\ntts:\n  voice: en-us\naudio:\n  input: mic\n  output: speaker\n",
    );
    const { config } = await loadConfig({ cwd: t.proj, env: t.env });
    expect(config.model).toBe("hf:user/repo/file.gguf");
    expect(config.character).toBe("wren");
    expect(config.asr.model).toBe("whisper:base.en");
    expect(config.tts.voice).toBe("en-us");
    expect(config.audio.input).toBe("mic");
    expect(config.audio.output).toBe("speaker");
  });

  it("resolves paths from the user file, env vars and flags too", async () => {
    t.write("home/.config/roleplay/config.yaml", "log:\n  file: mine.log\n");
    const { config } = await loadConfig({
      cwd: t.proj,
      env: { ...t.env, ROLEPLAY_MODEL: "./m.gguf" },
      flags: { audio: { output: "out/reply.wav" } },
    });
    expect(config.log.file).toBe(join(t.home, ".config/roleplay/mine.log"));
    expect(config.model).toBe(join(t.proj, "m.gguf"));
    expect(config.audio.output).toBe(join(t.proj, "out/reply.wav"));
  });
});
