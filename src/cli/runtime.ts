import { basename } from "node:path";
import type { ResolvedConfig } from "../config/schema.js";
import { UsageError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { ChatEngine } from "../llm/engine.js";
import { checkGgufFile } from "../llm/check.js";
import { LlamaChat } from "../llm/llama.js";
import { VoiceSession, type SpeechOptions } from "../pipeline/session.js";
import { resolvePersona, type Persona } from "./persona.js";

const log = getLogger("runtime");

export interface Runtime {
  config: ResolvedConfig;
  engine: ChatEngine;
  session: VoiceSession;
  persona: Persona;
  modelPath: string;
  contextSize: number | undefined;
  threads: number | undefined;
  dispose(): Promise<void>;
}

/** The model file the config names, or a clear error saying how to give one. */
export function requireModelPath(config: ResolvedConfig): string {
  if (!config.model) {
    throw new UsageError("NO_MODEL", "no LLM model configured", {
      hint: "Pass --model path/to/model.gguf, set ROLEPLAY_MODEL, or run `roleplay models pull` (see `roleplay --help`).",
    });
  }
  return config.model;
}

/**
 * Check and load the LLM, resolve the character, and build the one VoiceSession of the run.
 * Everything loaded here is released by `dispose()`.
 */
export async function createRuntime(
  config: ResolvedConfig,
  options: { signal?: AbortSignal; speech?: SpeechOptions; gpu?: "auto" | false } = {},
): Promise<Runtime> {
  const modelPath = requireModelPath(config);
  await checkGgufFile(modelPath, {
    contextSize: typeof config.llm.contextSize === "number" ? config.llm.contextSize : 4096,
  });
  const persona = await resolvePersona(config);
  const chat = await LlamaChat.load({
    modelPath,
    contextSize: config.llm.contextSize,
    threads: config.llm.threads,
    gpuLayers: config.llm.gpuLayers,
    ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
    systemPrompt: persona.systemPrompt,
    temperature: persona.sampling.temperature ?? config.llm.temperature,
    topP: persona.sampling.topP ?? config.llm.topP,
    maxTokens: persona.sampling.maxTokens ?? config.llm.maxTokens,
    ...(config.llm.seed !== undefined ? { seed: config.llm.seed } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (persona.greeting) await chat.reset({ history: [{ role: "assistant", text: persona.greeting }] });
  const session = new VoiceSession({
    engine: chat,
    characterName: persona.name,
    ...(options.speech ? { speech: options.speech } : {}),
  });
  log.info("runtime ready", { model: basename(modelPath), character: persona.name });
  return {
    config,
    engine: chat,
    session,
    persona,
    modelPath,
    contextSize: chat.contextSize,
    threads: chat.threads,
    async dispose() {
      await session.dispose();
      await chat.dispose();
    },
  };
}
