/**
 * A rough estimate of the memory a model needs on the CPU: its weights (the file), an F16 KV
 * cache for the requested context, and a compute overhead.
 */
import { fail } from "./model-errors.js";

export interface MemoryEstimate {
  /** Context size (tokens) the estimate is for. */
  contextSize: number;
  weightsBytes: number;
  kvCacheBytes: number;
  /** KV cache bytes per token of context. */
  kvBytesPerToken: number;
  overheadBytes: number;
  totalBytes: number;
}

export interface AttentionShape {
  blockCount: number | undefined;
  embeddingLength: number | undefined;
  /** attention.head_count: one value, or one per layer. */
  headCount: number | readonly number[] | undefined;
  /** attention.head_count_kv: one value, or one per layer (0 for a recurrent layer). */
  headCountKv: number | readonly number[] | undefined;
  keyLength: number | undefined;
  valueLength: number | undefined;
}

const MIB = 1024 * 1024;
const F16 = 2;

function perLayer(value: number | readonly number[] | undefined, layer: number): number | undefined {
  return typeof value === "number" ? value : value?.[layer];
}

/** KV cache bytes per token; 0 when the shape is unknown (e.g. recurrent models). */
export function kvBytesPerToken(shape: AttentionShape): number {
  const layers = shape.blockCount ?? 0;
  let bytes = 0;
  for (let l = 0; l < layers; l++) {
    const heads = perLayer(shape.headCount, l);
    const kvHeads = perLayer(shape.headCountKv, l) ?? heads;
    if (!heads || !kvHeads || !shape.embeddingLength) continue;
    const headDim = shape.embeddingLength / heads;
    bytes += kvHeads * ((shape.keyLength ?? headDim) + (shape.valueLength ?? headDim)) * F16;
  }
  return Math.round(bytes);
}

export function estimateMemory(weightsBytes: number, shape: AttentionShape, contextSize: number): MemoryEstimate {
  const perToken = kvBytesPerToken(shape);
  const kvCacheBytes = perToken * contextSize;
  const overheadBytes = Math.round(64 * MIB + 0.02 * weightsBytes + 0.1 * kvCacheBytes);
  return {
    contextSize,
    weightsBytes,
    kvCacheBytes,
    kvBytesPerToken: perToken,
    overheadBytes,
    totalBytes: weightsBytes + kvCacheBytes + overheadBytes,
  };
}

/** The largest context (a multiple of 256) that fits in `freeBytes`, or 0 if none does. */
export function largestContextThatFits(estimate: MemoryEstimate, freeBytes: number): number {
  if (estimate.kvBytesPerToken === 0) return 0;
  const room = freeBytes - estimate.weightsBytes - 64 * MIB - 0.02 * estimate.weightsBytes;
  const tokens = Math.floor(room / (estimate.kvBytesPerToken * 1.1) / 256) * 256;
  return Math.max(0, tokens);
}

/** "1.2 GB", "340 MB", "12 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

/** Throw MODEL_TOO_LARGE when `estimate` does not fit in `free` bytes (with 10% slack). */
export function assertFitsInMemory(
  shown: string,
  estimate: MemoryEstimate,
  free: number,
  params: number,
  quant: string,
): void {
  if (estimate.totalBytes <= free * 1.1) return; // 10% slack: the estimate is rough and weights are memory-mapped
  const needs = `${shown} needs about ${formatBytes(estimate.totalBytes)} of memory (${formatBytes(estimate.weightsBytes)} weights + ${formatBytes(estimate.kvCacheBytes)} for a ${estimate.contextSize}-token context), but only ${formatBytes(free)} is free`;
  const ctx = largestContextThatFits(estimate, free * 1.1);
  if (ctx >= 512)
    fail("MODEL_TOO_LARGE", needs, `Lower the context size to ${ctx} tokens or less, or free some memory.`);
  const q4 = (params * 4.85) / 8; // Q4_K_M averages about 4.85 bits per weight
  const smaller =
    /^(F32|F16|BF16|Q8_0|Q6_K)$/.test(quant) && q4 < free
      ? ` A Q4_K_M build of this model is about ${formatBytes(q4)}.`
      : "";
  fail(
    "MODEL_TOO_LARGE",
    needs,
    `Use a smaller quantisation or a smaller model, and a smaller context size.${smaller}`,
  );
}
