import { basename } from "node:path";
import type { ResolvedConfig } from "../config/schema.js";
import { UsageError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { ChatEngine, ChatMessage } from "../llm/engine.js";
import { checkGgufFile } from "../llm/check.js";
import { LlamaChat, openLlama } from "../llm/llama.js";
import { VoiceSession, type SpeechOptions, type VoiceSessionOptions } from "../pipeline/session.js";
import { characterTurnContext } from "./turn-context.js";
import { resolvePersona, type Persona } from "./persona.js";
import { assertLlmFits, noModelHint, resolveModelFile } from "./resolve-models.js";
import { usableCores } from "../llm/threads.js";

const log = getLogger("runtime");

export interface Runtime {
  config: ResolvedConfig;
  engine: ChatEngine;
  session: VoiceSession;
  persona: Persona;
  modelPath: string;
  contextSize: number | undefined;
  threads: number | undefined;
  /** Things the user should know, for the front end to show once it is up. */
  notices: string[];
  dispose(): Promise<void>;
}

/** The model file the config names, or a clear error saying how to give one. */
export function requireModelPath(config: ResolvedConfig): string {
  if (!config.model) {
    throw new UsageError("NO_MODEL", "no LLM model configured", { hint: noModelHint(config.models.dir) });
  }
  return config.model;
}

/**
 * Check and load the LLM, resolve the character, and build the one VoiceSession of the run.
 * Everything loaded here is released by `dispose()`.
 */
export async function createRuntime(
  config: ResolvedConfig,
  options: {
    signal?: AbortSignal;
    speech?: SpeechOptions;
    gpu?: "auto" | false;
    /** A stored conversation to continue: it goes back into the LLM session (the model sees it). */
    history?: ChatMessage[];
    /** Where each config value came from: a value the user set (file, env, flag) beats the character's own. */
    sources?: ReadonlyMap<string, { kind: string }>;
    /** Called with every completed message (persistence). */
    onMessage?: VoiceSessionOptions["onMessage"];
    /** The persona, when already resolved (e.g. the character of a resumed session). */
    persona?: Persona;
  } = {},
): Promise<Runtime> {
  const modelPath = await resolveModelFile(requireModelPath(config), "llm", config.models.dir);
  const contextSize = typeof config.llm.contextSize === "number" ? config.llm.contextSize : 4096;
  // The file check first, then one memory estimate (node-llama-cpp's) with a smaller-quantisation hint.
  const checked = await checkGgufFile(modelPath, { contextSize, checkMemory: false });
  const persona = options.persona ?? (await resolvePersona(config));
  // One llama.cpp instance for the estimate and the chat (the chat owns it from here on).
  const llama = await openLlama({
    threads: config.llm.threads,
    ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
  });
  try {
    await assertLlmFits(modelPath, { contextSize, fallbackNeed: checked.memory.totalBytes, llama });
  } catch (err) {
    await llama.dispose().catch(() => undefined);
    throw err;
  }
  // The character's sampling applies unless the user chose a value (file, env or flag).
  const pick = <T>(key: string, fromCharacter: T | undefined, fromConfig: T): T =>
    (options.sources?.get(key)?.kind ?? "default") !== "default" ? fromConfig : (fromCharacter ?? fromConfig);
  const chat = await LlamaChat.load({
    llama,
    modelPath,
    contextSize: config.llm.contextSize,
    threads: config.llm.threads,
    gpuLayers: config.llm.gpuLayers,
    ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
    systemPrompt: persona.systemPrompt,
    temperature: pick("llm.temperature", persona.sampling.temperature, config.llm.temperature),
    topP: pick("llm.topP", persona.sampling.topP, config.llm.topP),
    maxTokens: pick("llm.maxTokens", persona.sampling.maxTokens, config.llm.maxTokens),
    ...(config.llm.seed !== undefined ? { seed: config.llm.seed } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (options.history && options.history.length > 0) await chat.reset({ history: options.history });
  else if (persona.greeting) await chat.reset({ history: [{ role: "assistant", text: persona.greeting }] });
  const turnContext = characterTurnContext(persona.character, config.userName);
  const session = new VoiceSession({
    engine: chat,
    characterName: persona.name,
    ...(turnContext ? { turnContext } : {}),
    ...(options.speech ? { speech: options.speech } : {}),
    ...(options.onMessage ? { onMessage: options.onMessage } : {}),
  });
  const notices: string[] = [];
  const cores = usableCores();
  if (typeof config.llm.threads === "number" && config.llm.threads > cores) {
    notices.push(
      `llm.threads is ${config.llm.threads} but only ${cores} cores are usable: llama.cpp's threads wait on each other and replies get much slower; use auto`,
    );
  }
  if (chat.systemPromptTrimmed) {
    notices.push(
      `${persona.name}'s persona is longer than half the ${chat.contextSize}-token context and was cut; use a larger llm.contextSize or a model with a longer context`,
    );
  }
  log.info("runtime ready", { model: basename(modelPath), character: persona.name });
  return {
    config,
    engine: chat,
    session,
    persona,
    modelPath,
    contextSize: chat.contextSize,
    threads: chat.threads,
    notices,
    async dispose() {
      await session.dispose();
      await chat.dispose();
    },
  };
}
