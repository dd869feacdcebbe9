/**
 * Config values for models (`model`, `asr.model`, `tts.voice`, a character's voice) may be a path,
 * a file name in the models folder, a name shown by `roleplay models ls`, or a reference
 * (`hf:…`, `whisper:base.en`, `piper:en_US-lessac-medium`). Each use site resolves its value to a
 * local file here, before the file checks and the native loaders. Never touches the network.
 */
import { freemem } from "node:os";
import type { ResolvedConfig } from "../config/schema.js";
import { ModelFileError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { checkLlmFits, suggestSmaller, tooLargeError, type LlmFit } from "../models/fit.js";
import { isModelRef, resolveHubEndpoint, type ModelKind } from "../models/refs.js";
import { recommendedSet } from "../models/registry.js";
import { findConfiguredModel, looksLikeModelPath } from "../models/store.js";
import type { ModelsContext } from "../models/commands.js";
import type { Llama } from "node-llama-cpp";

const log = getLogger("models");

const KEY: Record<ModelKind, string> = { llm: "model", whisper: "asr.model", piper: "tts.voice" };
const WHISPER_NAME = /^(tiny|base|small|medium|large(-v[1-9])?(-turbo)?)(\.en)?(-q[0-9]_[0-9k])?$/;
const PIPER_VOICE = /^[a-z]{2,3}_[A-Z]{2}-[A-Za-z0-9_]+-(x_low|low|medium|high)$/;

/** The reference a bare name most likely stands for ("base.en" → "whisper:base.en"), if any. */
export function refForName(value: string, kind: ModelKind): string | undefined {
  if (isModelRef(value)) return value;
  if (kind === "whisper" && WHISPER_NAME.test(value)) return `whisper:${value}`;
  if (kind === "piper" && PIPER_VOICE.test(value)) return `piper:${value}`;
  return undefined;
}

/**
 * The local file for a configured model value. A reference or a name that is not in the models
 * folder is a ModelFileError whose hint is the pull command. A path that does not exist is
 * returned as it is (after looking for a file of that name in the models folder), so the file
 * checks report it in their own words.
 */
export async function resolveModelFile(value: string, kind: ModelKind, modelsDir: string): Promise<string> {
  const found = await findConfiguredModel(value, modelsDir, (inFolder) =>
    log.info(`${value} not found; using ${inFolder} from the models folder`),
  );
  if (found) return found;
  if (looksLikeModelPath(value)) return value;
  const ref = refForName(value, kind);
  if (isModelRef(value)) {
    throw new ModelFileError("MODEL_NOT_DOWNLOADED", `${value} (${KEY[kind]}) is not downloaded yet.`, {
      hint: `Download it: \`roleplay models pull ${value}\` (offline: place the file in ${modelsDir})`,
    });
  }
  throw new ModelFileError("MODEL_NOT_FOUND", `No model "${value}" (${KEY[kind]}) in ${modelsDir}.`, {
    hint: ref
      ? `Download it: \`roleplay models pull ${ref}\`, or set ${KEY[kind]} to a file path`
      : `\`roleplay models ls\` lists the models there; set ${KEY[kind]} to a file path or a reference such as ${recommendedSet()[kind].ref}`,
  });
}

/** The hint of the "no LLM configured" error: the guided setup, a pull, or where to put a file. */
export function noModelHint(modelsDir: string): string {
  return (
    `Run \`roleplay\` (or \`roleplay --yes\`) for the guided download, or \`roleplay models pull ${recommendedSet().llm.ref}\`, ` +
    `or pass --model path/to/model.gguf; offline, place a .gguf file in ${modelsDir}`
  );
}

/**
 * Before loading an LLM: does it fit in memory? node-llama-cpp's estimate (weights and a context
 * of `contextSize`) against the free memory, with the same 10% slack as the GGUF check (weights
 * are memory-mapped). `fallbackNeed` (the GGUF check's own estimate) is used when node-llama-cpp
 * cannot read the file. Throws one ModelFileError (MODEL_TOO_LARGE) that suggests a smaller
 * quantisation, a smaller model or a smaller context.
 */
export async function assertLlmFits(
  path: string,
  options: { contextSize: number; fallbackNeed?: number; freeMemory?: number; llama?: Llama },
): Promise<LlmFit | undefined> {
  const available = options.freeMemory ?? process.availableMemory?.() ?? freemem();
  let fit: LlmFit;
  try {
    fit = await checkLlmFits(path, {
      contextSize: options.contextSize,
      freeMemory: available,
      ...(options.llama ? { llama: options.llama } : {}),
    });
  } catch (err) {
    log.warn("node-llama-cpp could not estimate the memory; using the GGUF check's estimate", err);
    if (options.fallbackNeed === undefined) return undefined;
    const need = options.fallbackNeed;
    fit = {
      fits: need <= available,
      needBytes: need,
      modelBytes: need,
      contextBytes: 0,
      availableBytes: available,
      suggestion: need <= available ? undefined : suggestSmaller(path, need, available),
    };
  }
  if (fit.needBytes > available * 1.1) {
    throw tooLargeError(path, { ...fit, suggestion: fit.suggestion ?? suggestSmaller(path, fit.needBytes, available) });
  }
  log.debug("llm fits", { need: fit.needBytes, available });
  return fit;
}

/** What the `roleplay models …` commands need, from the loaded config. */
export function modelsContext(config: ResolvedConfig): ModelsContext {
  return {
    modelsDir: config.models.dir,
    // From the merged config only: it already holds ROLEPLAY_HF_ENDPOINT and its canonical name.
    endpoint: resolveHubEndpoint({ config: config.models.hfEndpoint }),
    configured: [config.model, config.asr.model, config.tts.engine === "piper" ? config.tts.voice : undefined],
  };
}
