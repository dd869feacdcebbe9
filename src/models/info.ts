/**
 * `roleplay models info <ref or path>`: what a model file is. GGUF metadata through
 * node-llama-cpp's readGgufFileInfo; whisper from the ggml header (hparams, parsed here);
 * Piper from its .onnx.json.
 */
import { stat } from "node:fs/promises";
import { ModelFileError, NativeModuleError, errorMessage } from "../core/errors.js";
import { checkModelFile, detectKind, readHead, readPiperConfig } from "./magic.js";
import type * as NodeLlamaCpp from "node-llama-cpp";
import type { ModelKind } from "./refs.js";

export interface LlmInfo {
  kind: "llm";
  path: string;
  size: number;
  name: string | undefined;
  architecture: string;
  /** Parameter count (sum of the tensor element counts). */
  parameters: number | undefined;
  contextLength: number | undefined;
  /** e.g. "MOSTLY_Q4_K_M", from general.file_type. */
  quantization: string | undefined;
  hasChatTemplate: boolean;
}

export interface WhisperHeader {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
  ftype: number;
}

export interface WhisperInfo {
  kind: "whisper";
  path: string;
  size: number;
  /** tiny, base, small, medium, large (from the encoder depth). */
  type: string;
  multilingual: boolean;
  languages: string;
  /** f32, f16, q5_1, ... */
  weights: string;
  header: WhisperHeader;
}

export interface PiperInfo {
  kind: "piper";
  path: string;
  size: number;
  language: string | undefined;
  languageName: string | undefined;
  speakers: number;
  speakerNames: string[];
  sampleRate: number;
  quality: string | undefined;
}

export type ModelInfo = (LlmInfo | WhisperInfo | PiperInfo) & {
  /** Why the file cannot be used as it is (truncated, header only, …), when the full check fails. */
  problem?: string;
};

/** Run the same full check the app runs before loading; its message when the file is not usable. */
async function integrityProblem(path: string, kind: "llm" | "whisper"): Promise<string | undefined> {
  try {
    if (kind === "llm") await (await import("../llm/check.js")).checkGgufFile(path, { checkMemory: false });
    else await (await import("../asr/check.js")).checkWhisperModel(path);
    return undefined;
  } catch (err) {
    const hint = (err as { hint?: string }).hint;
    return `${errorMessage(err)}${hint ? ` (${hint})` : ""}`;
  }
}

const FIELDS = ["nVocab", "nAudioCtx", "nAudioState", "nAudioHead", "nAudioLayer", "nTextCtx", "nTextState", "nTextHead", "nTextLayer", "nMels", "ftype"] as const;

export function parseWhisperHeader(head: Buffer): WhisperHeader {
  if (head.length < 48 || head.readUInt32LE(0) !== 0x67676d6c) {
    throw new ModelFileError("WHISPER_BAD_HEADER", "Not a whisper.cpp ggml file (bad magic or too short).", {
      hint: "Pull a whisper model with `roleplay models pull whisper:base.en`",
    });
  }
  const h = {} as WhisperHeader;
  FIELDS.forEach((f, i) => (h[f] = head.readInt32LE(4 + i * 4)));
  return h;
}

const WEIGHTS: Record<number, string> = { 0: "f32", 1: "f16", 2: "q4_0", 3: "q4_1", 7: "q8_0", 8: "q5_0", 9: "q5_1" };
const TYPES: Record<number, string> = { 4: "tiny", 6: "base", 12: "small", 24: "medium", 32: "large" };

export function describeWhisper(h: WhisperHeader): { type: string; multilingual: boolean; weights: string } {
  let type = TYPES[h.nAudioLayer] ?? `${h.nAudioLayer}-layer`;
  if (type === "large" && h.nTextLayer === 4) type = "large-v3-turbo";
  else if (type === "large" && h.nMels === 128) type = "large-v3";
  return {
    type,
    // English-only vocabularies have 51864 tokens; multilingual ones 51865 (51866 for v3).
    multilingual: h.nVocab >= 51865,
    weights: WEIGHTS[h.ftype % 1000] ?? `ftype ${h.ftype}`,
  };
}

async function llmInfo(path: string, size: number): Promise<LlmInfo> {
  let mod: typeof NodeLlamaCpp;
  try {
    mod = await import("node-llama-cpp");
  } catch (err) {
    throw new NativeModuleError("NODE_LLAMA_CPP_MISSING", `node-llama-cpp could not be loaded: ${errorMessage(err)}`, {
      hint: "Reinstall the package (npm install)",
    });
  }
  let info: Awaited<ReturnType<typeof mod.readGgufFileInfo>>;
  try {
    info = await mod.readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: "filesystem" });
  } catch (err) {
    throw new ModelFileError("GGUF_UNREADABLE", `Cannot read the GGUF metadata of ${path}: ${errorMessage(err)}`, {
      hint: "The file may be truncated: delete it and pull it again",
    });
  }
  const md = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = md.general ?? {};
  if (typeof general.architecture !== "string") {
    throw new ModelFileError("GGUF_UNREADABLE", `${path} has no GGUF metadata (general.architecture is missing).`, {
      hint: "The file may be truncated: delete it and pull it again",
    });
  }
  const arch = String(general.architecture ?? "unknown");
  const ctx = md[arch]?.context_length;
  const fileType = general.file_type;
  let parameters: number | undefined;
  let mainType: string | undefined;
  if (info.fullTensorInfo) {
    parameters = 0;
    const byType = new Map<number, number>();
    for (const t of info.fullTensorInfo) {
      const n = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
      parameters += n;
      byType.set(t.ggmlType, (byType.get(t.ggmlType) ?? 0) + n);
    }
    const top = [...byType.entries()].sort((a, b) => b[1] - a[1])[0];
    if (top) mainType = mod.GgmlType[top[0]];
  }
  return {
    kind: "llm",
    path,
    size,
    name: typeof general.name === "string" ? general.name : undefined,
    architecture: arch,
    parameters,
    contextLength: typeof ctx === "number" ? ctx : undefined,
    // general.file_type when the file says; else the type of most of the weights.
    quantization:
      typeof fileType === "number" ? (mod.GgufFileType[fileType] ?? `type ${fileType}`) : mainType ? `${mainType} (most weights)` : undefined,
    hasChatTemplate: typeof md.tokenizer?.chat_template === "string" && md.tokenizer.chat_template !== "",
  };
}

/** Describe a local model file. Throws ModelFileError for a missing or unrecognised file. */
export async function modelInfoOfFile(path: string, kindHint?: ModelKind): Promise<ModelInfo> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile()) {
    throw new ModelFileError("MODEL_MISSING", `No model file at ${path}.`, { hint: "`roleplay models ls` lists the models found" });
  }
  const kind = kindHint ?? (await detectKind(path));
  if (kind === "llm" || kind === "whisper" || kind === "piper") await checkModelFile(path, kind);
  if (kind === "llm") {
    const problem = await integrityProblem(path, "llm");
    return { ...(await llmInfo(path, s.size)), ...(problem ? { problem } : {}) };
  }
  if (kind === "whisper") {
    const h = parseWhisperHeader(await readHead(path, 48));
    const d = describeWhisper(h);
    const languages = d.multilingual ? "multilingual (99 languages)" : "English only";
    const problem = await integrityProblem(path, "whisper");
    return { kind: "whisper", path, size: s.size, ...d, languages, header: h, ...(problem ? { problem } : {}) };
  }
  if (kind === "piper") {
    const cfg = await readPiperConfig(path);
    const jsonSize = (await stat(`${path}.json`)).size;
    return {
      kind: "piper",
      path,
      size: s.size + jsonSize,
      language: cfg.language?.code ?? cfg.espeak?.voice,
      languageName: cfg.language?.name_english,
      speakers: cfg.num_speakers ?? 1,
      speakerNames: Object.keys(cfg.speaker_id_map ?? {}),
      sampleRate: cfg.audio?.sample_rate ?? 22050,
      quality: cfg.audio?.quality,
    };
  }
  throw new ModelFileError("MODEL_UNKNOWN_KIND", `${path} is not a model roleplay knows (GGUF, whisper ggml, Piper .onnx + .onnx.json).`, {
    hint: kind === "onnx" ? "A Piper voice needs its <voice>.onnx.json beside the .onnx" : "Check the file",
  });
}
