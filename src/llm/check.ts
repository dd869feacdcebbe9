/**
 * checkGgufFile: everything that can be learned about a model file without llama.cpp, run before
 * node-llama-cpp sees it (llama.cpp can crash or hang on a bad file). Every problem becomes a
 * ModelFileError with a one-line message, a hint and its own code.
 */
import { freemem } from "node:os";
import { basename, resolve } from "node:path";
import { getLogger } from "../core/log.js";
import { NON_CHAT_ARCHITECTURES, SUPPORTED_ARCHITECTURES } from "./architectures.js";
import { fileTypeName, ggmlTypeName, tensorBytes } from "./ggml-types.js";
import { GgufFormatError, readGgufHeader } from "./gguf-reader.js";
import type { GgufHeader } from "./gguf-reader.js";
import { assertFitsInMemory, estimateMemory, formatBytes } from "./memory.js";
import type { MemoryEstimate } from "./memory.js";
import { fail } from "./model-errors.js";
import { expandHome, openModel } from "./model-path.js";
import { sniffModelFile } from "./sniff.js";
import { checkSplitParts, splitInfo } from "./split.js";

const log = getLogger("llm.check");

export type { ModelFileErrorCode } from "./model-errors.js";
export { describeOpenError } from "./model-path.js";

export interface CheckGgufOptions {
  /** Context size the session will use; default the model's trained context, at most 4096. */
  contextSize?: number;
  /** Free memory to compare the estimate with; default process.availableMemory() (or os.freemem()). */
  freeMemoryBytes?: number;
  /** Set false to skip the memory check (e.g. when offloading to a GPU). Default true. */
  checkMemory?: boolean;
  signal?: AbortSignal;
}

export interface GgufFileInfo {
  /** Absolute path. */
  path: string;
  fileSize: number;
  /** Bytes of all parts of a split model (= fileSize for a single file). */
  totalSize: number;
  splitCount: number;
  version: number;
  architecture: string;
  name: string | undefined;
  /** Context length the model was trained with. */
  contextLength: number | undefined;
  embeddingLength: number | undefined;
  blockCount: number | undefined;
  headCount: number | undefined;
  vocabSize: number | undefined;
  /** Weights in this file (sum of tensor elements). */
  parameterCount: number;
  fileType: number | undefined;
  /** e.g. "Q4_K_M", "F32"; from general.file_type, else the commonest tensor type. */
  quantization: string;
  hasChatTemplate: boolean;
  tensorCount: number;
  memory: MemoryEstimate;
}

export const MAX_DEFAULT_CONTEXT = 4096;

function num(header: GgufHeader, key: string): number | undefined {
  const v = header.metadata.get(key);
  return typeof v === "number" ? v : undefined;
}

function numOrArray(header: GgufHeader, key: string): number | number[] | undefined {
  return num(header, key) ?? header.arrays.get(key)?.values;
}

/** End of the last tensor's data; throws MODEL_TRUNCATED when past the end of the file. */
function checkComplete(shown: string, header: GgufHeader, size: number): void {
  let end = header.dataOffset;
  for (const t of header.tensors) {
    const bytes = tensorBytes(t.type, t.elements, t.dims[0] ?? 1);
    if (bytes === undefined) log.warn(`tensor ${t.name} has ${ggmlTypeName(t.type)}, of unknown size`);
    end = Math.max(end, header.dataOffset + t.offset + (bytes ?? 1));
  }
  if (end > size) {
    fail(
      "MODEL_TRUNCATED",
      `Model file is truncated: ${shown} has ${formatBytes(size)} of ${formatBytes(end)} (${size} of ${end} bytes)`,
      "The download did not finish: download the file again.",
    );
  }
}

function checkArchitecture(shown: string, arch: string): void {
  const notChat = NON_CHAT_ARCHITECTURES.get(arch);
  if (notChat)
    fail(
      "MODEL_UNSUPPORTED_ARCH",
      `${shown} is ${notChat} (architecture "${arch}")`,
      "Pass a chat or text-generation GGUF model.",
    );
  if (!SUPPORTED_ARCHITECTURES.has(arch)) {
    fail(
      "MODEL_UNSUPPORTED_ARCH",
      `${shown} uses architecture "${arch}", which the bundled llama.cpp does not support`,
      "Use a model of a supported architecture (llama, mistral3, qwen3, gemma3, phi3, …), or update node-llama-cpp.",
    );
  }
}

function quantization(header: GgufHeader, fileType: number | undefined): string {
  const named = fileType === undefined ? undefined : fileTypeName(fileType);
  if (named) return named;
  const elementsByType = new Map<number, number>();
  for (const t of header.tensors) elementsByType.set(t.type, (elementsByType.get(t.type) ?? 0) + t.elements);
  const top = [...elementsByType.entries()].sort((a, b) => b[1] - a[1])[0];
  return top ? ggmlTypeName(top[0]) : "unknown";
}

/** Check a GGUF model file before llama.cpp loads it; throws ModelFileError when it cannot work. */
export async function checkGgufFile(path: string, options: CheckGgufOptions = {}): Promise<GgufFileInfo> {
  const shown = path;
  const abs = resolve(expandHome(path));
  options.signal?.throwIfAborted();
  const { handle, size } = await openModel(shown, abs);
  let header: GgufHeader;
  try {
    const head = Buffer.alloc(Math.min(512, size));
    await handle.read(head, 0, head.length, 0);
    if (size === 0)
      fail("MODEL_TRUNCATED", `Model file is empty: ${shown}`, "The download did not finish: download the file again.");
    if (head.subarray(0, 4).toString("latin1") !== "GGUF") {
      if (size < 4)
        fail(
          "MODEL_TRUNCATED",
          `Model file is only ${size} bytes: ${shown}`,
          "The download did not finish: download the file again.",
        );
      const what = sniffModelFile(head, size);
      fail("MODEL_NOT_GGUF", `${shown} is ${what.what}`, what.hint);
    }
    header = await readGgufHeader(handle, size, options.signal).catch((err: unknown) => {
      if (!(err instanceof GgufFormatError)) throw err;
      if (err.kind === "truncated")
        fail(
          "MODEL_TRUNCATED",
          `Model file is truncated: ${shown} (${err.message})`,
          "The download did not finish: download the file again.",
          err,
        );
      if (err.kind === "version")
        fail(
          "MODEL_UNSUPPORTED_VERSION",
          `${shown} ${err.message}`,
          "Download a current GGUF build of the model.",
          err,
        );
      return fail("MODEL_CORRUPT", `Model file is corrupt: ${shown} (${err.message})`, "Download the file again.", err);
    });
  } finally {
    await handle.close();
  }

  checkComplete(shown, header, size);
  const arch = header.metadata.get("general.architecture");
  if (typeof arch !== "string" || !arch)
    fail(
      "MODEL_CORRUPT",
      `Model file has no architecture: ${shown}`,
      "Download the file again, or a different build of the model.",
    );
  checkArchitecture(shown, arch);
  const split = splitInfo(header);
  if (split.index > 0)
    fail(
      "MODEL_SPLIT_PART",
      `${shown} is part ${split.index + 1} of ${split.count} of a split model`,
      "Pass the first part (…-00001-of-…gguf); the other parts are found beside it.",
    );
  const totalSize = split.count > 1 ? checkSplitParts(shown, abs, split.count, size) : size;

  const p = (key: string): string => `${arch}.${key}`;
  const headCount = numOrArray(header, p("attention.head_count"));
  const contextLength = num(header, p("context_length"));
  const shape = {
    blockCount: num(header, p("block_count")),
    embeddingLength: num(header, p("embedding_length")),
    headCount,
    headCountKv: numOrArray(header, p("attention.head_count_kv")),
    keyLength: num(header, p("attention.key_length")),
    valueLength: num(header, p("attention.value_length")),
  };
  const contextSize = options.contextSize ?? Math.min(contextLength ?? MAX_DEFAULT_CONTEXT, MAX_DEFAULT_CONTEXT);
  const memory = estimateMemory(totalSize, shape, contextSize);
  const fileType = num(header, "general.file_type");
  const quant = quantization(header, fileType);
  const parameterCount = header.tensors.reduce((sum, t) => sum + t.elements, 0);
  const name = header.metadata.get("general.name");
  const info: GgufFileInfo = {
    path: abs,
    fileSize: size,
    totalSize,
    splitCount: split.count,
    version: header.version,
    architecture: arch,
    name: typeof name === "string" ? name : undefined,
    contextLength,
    embeddingLength: shape.embeddingLength,
    blockCount: shape.blockCount,
    headCount: typeof headCount === "number" ? headCount : headCount?.[0],
    vocabSize: header.arrays.get("tokenizer.ggml.tokens")?.length ?? num(header, p("vocab_size")),
    parameterCount,
    fileType,
    quantization: quant,
    hasChatTemplate:
      !!header.metadata.get("tokenizer.chat_template") || header.longStrings.has("tokenizer.chat_template"),
    tensorCount: header.tensors.length,
    memory,
  };
  if (options.checkMemory !== false) {
    const free = options.freeMemoryBytes ?? process.availableMemory?.() ?? freemem();
    assertFitsInMemory(shown, memory, free, parameterCount, quant);
  }
  log.debug(`checked ${basename(abs)}`, { ...info, memory: undefined });
  return info;
}
