/**
 * Before loading an LLM: does it fit in memory? node-llama-cpp estimates the RAM of the weights
 * and of a context (GgufInsights, from the GGUF header only, no backend); when it does not fit we
 * suggest a smaller quantisation, a smaller model from the registry, or a smaller context.
 */
import { freemem } from "node:os";
import { basename } from "node:path";
import { ModelFileError, errorMessage } from "../core/errors.js";
import { formatBytes } from "./progress.js";
import { registryEntries } from "./registry.js";
import type { Llama } from "node-llama-cpp";

export interface LlmFit {
  fits: boolean;
  /** Estimated bytes: weights plus a context of `contextSize` tokens. */
  needBytes: number;
  modelBytes: number;
  contextBytes: number;
  availableBytes: number;
  /** What to do when it does not fit (one line). */
  suggestion: string | undefined;
}

/** Quantisations from large to small; a suggestion steps down from the file's own. */
const LADDER = ["F32", "BF16", "F16", "Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q4_K_M", "Q4_K_S", "IQ4_XS", "Q3_K_M", "IQ3_M", "Q3_K_S", "Q2_K"];

export function quantOfFileName(name: string): string | undefined {
  const upper = basename(name).toUpperCase();
  return [...LADDER].sort((a, b) => b.length - a.length).find((q) => new RegExp(`[-_.]${q}(?=[-_.]|$)`).test(upper));
}

/** The usual next step down: anything above 4 bits to Q4_K_M, 4 bits to Q3_K_M, 3 bits to Q2_K. */
export function smallerQuant(q: string): string | undefined {
  const bits = /^(?:I?Q)(\d)/.exec(q)?.[1] ?? (/^B?F(\d+)/.exec(q)?.[1] ?? "");
  const b = Number(bits);
  if (b > 4) return "Q4_K_M";
  if (b === 4) return "Q3_K_M";
  if (b === 3) return "Q2_K";
  return undefined;
}

export function suggestSmaller(fileName: string, need: number, available: number): string {
  const parts: string[] = [];
  const q = quantOfFileName(fileName);
  const target = q ? smallerQuant(q) : undefined;
  if (q && target) parts.push(`a smaller quantisation of the same model (${target} instead of ${q}: hf:<user>/<repo>:${target})`);
  const smaller = registryEntries("llm")
    .filter((e) => e.memoryBytes < available)
    .sort((a, b) => b.memoryBytes - a.memoryBytes)[0];
  if (smaller) parts.push(`a smaller model (\`roleplay models pull ${smaller.ref}\`)`);
  parts.push("a smaller llm.contextSize");
  return `It needs about ${formatBytes(need)} and ${formatBytes(available)} is free: close other programs, or use ${parts.join(", or ")}`;
}

/** Estimate whether the GGUF at `path` fits in the free memory with a context of `contextSize`. */
export async function checkLlmFits(
  path: string,
  options: { contextSize?: number; freeMemory?: number; llama?: Llama } = {},
): Promise<LlmFit> {
  const contextSize = options.contextSize ?? 4096;
  const available = options.freeMemory ?? freemem();
  let modelBytes: number;
  let contextBytes: number;
  try {
    const { readGgufFileInfo, GgufInsights } = await import("node-llama-cpp");
    const info = await readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false });
    const insights = await GgufInsights.from(info, options.llama);
    modelBytes = (await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 })).cpuRam;
    contextBytes = (await insights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: 0 })).cpuRam;
  } catch (err) {
    throw new ModelFileError("GGUF_UNREADABLE", `Cannot estimate the memory of ${path}: ${errorMessage(err)}`, {
      hint: "The file may be damaged: check it with `roleplay models info`",
    });
  }
  const need = modelBytes + contextBytes;
  const fits = need <= available;
  return {
    fits,
    needBytes: need,
    modelBytes,
    contextBytes,
    availableBytes: available,
    suggestion: fits ? undefined : suggestSmaller(path, need, available),
  };
}

/** The error to throw when `checkLlmFits` says no. */
export function tooLargeError(path: string, fit: LlmFit): ModelFileError {
  return new ModelFileError("MODEL_TOO_LARGE", `${basename(path)} does not fit in memory.`, { hint: fit.suggestion ?? "" });
}
