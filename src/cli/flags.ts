import type { ConfigInput } from "../config/schema.js";

/** Options of the root command that map onto config settings (commander's camelCase names). */
export interface RootFlags {
  model?: string;
  contextSize?: string;
  threads?: string;
  gpuLayers?: string;
  temperature?: string;
  topP?: string;
  maxTokens?: string;
  seed?: string;
  systemPrompt?: string;
  character?: string;
  characterName?: string;
  user?: string;
  logLevel?: string;
  audioIn?: string;
  audioOut?: string;
  asrModel?: string;
  language?: string;
  voice?: string;
  pushToTalk?: boolean;
  headphones?: boolean;
  modelsDir?: string;
  text?: boolean;
}

function num(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return value.trim() !== "" && Number.isFinite(n) ? n : value;
}

function numOrKeyword(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^(auto|max)$/i.test(value) ? value.toLowerCase() : num(value);
}

/**
 * Turn CLI flags into a partial config (the highest layer) plus, for `roleplay config`, the flag
 * each key came from. Values stay as typed strings where not numeric, so validation can say what it
 * found ("--temperature: expected a number from 0 to 2, found "hot"").
 */
export function flagsToConfig(flags: RootFlags): { input: ConfigInput; names: Record<string, string> } {
  const input: Record<string, Record<string, unknown> | unknown> = {};
  const names: Record<string, string> = {};
  const set = (path: string, flag: string, value: unknown): void => {
    if (value === undefined) return;
    const parts = path.split(".");
    let node = input as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
    names[path] = flag;
  };
  set("model", "--model", flags.model);
  set("llm.contextSize", "--context-size", numOrKeyword(flags.contextSize));
  set("llm.threads", "--threads", numOrKeyword(flags.threads));
  set("llm.gpuLayers", "--gpu-layers", numOrKeyword(flags.gpuLayers));
  set("llm.temperature", "--temperature", num(flags.temperature));
  set("llm.topP", "--top-p", num(flags.topP));
  set("llm.maxTokens", "--max-tokens", num(flags.maxTokens));
  set("llm.seed", "--seed", num(flags.seed));
  set("systemPrompt", "--system-prompt", flags.systemPrompt);
  set("character", "--character", flags.character);
  set("characterName", "--character-name", flags.characterName);
  set("userName", "--user", flags.user);
  set("log.level", "--log-level", flags.logLevel);
  set("audio.input", "--audio-in", flags.audioIn);
  set("audio.output", "--audio-out", flags.audioOut);
  set("asr.model", "--asr-model", flags.asrModel);
  set("asr.language", "--language", flags.language);
  if (flags.pushToTalk) set("audio.mode", "--push-to-talk", "push-to-talk");
  if (flags.headphones) set("audio.headphones", "--headphones", true);
  if (flags.text) {
    set("audio.input", "--text", "none");
    set("audio.output", "--text", "none");
  }
  set("models.dir", "--models-dir", flags.modelsDir);
  if (flags.voice !== undefined) {
    const v = flags.voice;
    if (v === "none" || v === "off") set("tts.engine", "--voice", "none");
    else if (v === "espeak" || v.startsWith("espeak:")) {
      set("tts.engine", "--voice", "espeak");
      if (v.includes(":")) set("tts.voice", "--voice", v.slice(v.indexOf(":") + 1));
    } else {
      set("tts.engine", "--voice", "piper");
      set("tts.voice", "--voice", v.startsWith("piper:") ? v.slice(6) : v);
    }
  }
  return { input: input as ConfigInput, names };
}
