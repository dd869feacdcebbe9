/**
 * Model files by their first bytes: GGUF ("GGUF"), whisper.cpp ggml (0x67676d6c little-endian,
 * "lmgg" on disk) and ONNX (a protobuf ModelProto: field 1 ir_version, tag 0x08). The check runs
 * before any native loader sees a file (they crash on bad ones).
 */
import { open, readFile, stat } from "node:fs/promises";
import { ModelFileError } from "../core/errors.js";
import type { ModelKind } from "./refs.js";

export type DetectedKind = ModelKind | "onnx" | "unknown";

export async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function kindFromMagic(head: Buffer): "llm" | "whisper" | "onnx" | "unknown" {
  if (head.length >= 4 && head.toString("latin1", 0, 4) === "GGUF") return "llm";
  if (head.length >= 4 && head.readUInt32LE(0) === 0x67676d6c) return "whisper";
  if (head.length >= 2 && head[0] === 0x08 && (head[1] ?? 0x80) < 0x80) return "onnx";
  return "unknown";
}

/** The kind of a model file: Piper is an ONNX file with a `.onnx.json` beside it. */
export async function detectKind(path: string): Promise<DetectedKind> {
  const kind = kindFromMagic(await readHead(path, 8));
  if (kind !== "onnx") return kind;
  const hasJson = await stat(`${path}.json`).then(
    (s) => s.isFile(),
    () => false,
  );
  return hasJson ? "piper" : "onnx";
}

const MIN_SIZE: Record<ModelKind, number> = { llm: 64, whisper: 48, piper: 16 };
const KIND_NAME: Record<ModelKind, string> = { llm: "GGUF model", whisper: "whisper ggml model", piper: "Piper voice" };

/**
 * A quick integrity check: the file exists, is big enough, and starts with the magic bytes of
 * its kind (for Piper, the .onnx.json parses and has audio.sample_rate). Throws ModelFileError.
 */
export async function checkModelFile(path: string, kind: ModelKind): Promise<{ size: number }> {
  const s = await stat(path).catch(() => undefined);
  if (!s || !s.isFile()) {
    throw new ModelFileError("MODEL_MISSING", `The ${KIND_NAME[kind]} ${path} does not exist.`, {
      hint: "Pull it with `roleplay models pull <ref>` or fix the path in the config",
    });
  }
  const redownload = `It looks damaged: delete it and pull it again (\`roleplay models rm\`, then \`roleplay models pull\`)`;
  if (s.size < MIN_SIZE[kind]) {
    throw new ModelFileError("MODEL_TRUNCATED", `The ${KIND_NAME[kind]} ${path} is only ${s.size} bytes.`, { hint: redownload });
  }
  const found = kindFromMagic(await readHead(path, 8));
  const want = kind === "piper" ? "onnx" : kind;
  if (found !== want) {
    throw new ModelFileError("MODEL_BAD_MAGIC", `${path} is not a ${KIND_NAME[kind]} (its first bytes are wrong).`, {
      hint: found === "unknown" ? redownload : `It looks like a ${found === "onnx" ? "ONNX" : found} file: check the config key`,
    });
  }
  if (kind === "piper") await readPiperConfig(path);
  return { size: s.size };
}

export interface PiperConfigJson {
  audio?: { sample_rate?: number; quality?: string };
  language?: { code?: string; family?: string; region?: string; name_english?: string };
  espeak?: { voice?: string };
  num_speakers?: number;
  speaker_id_map?: Record<string, number>;
  dataset?: string;
}

/** The `.onnx.json` of a Piper voice (path of the .onnx or of the .json). */
export async function readPiperConfig(path: string): Promise<PiperConfigJson> {
  const jsonPath = path.endsWith(".json") ? path : `${path}.json`;
  let text: string;
  try {
    text = await readFile(jsonPath, "utf8");
  } catch {
    throw new ModelFileError("PIPER_CONFIG_MISSING", `The Piper voice config ${jsonPath} is missing.`, {
      hint: "A Piper voice is two files, <voice>.onnx and <voice>.onnx.json: pull it with `roleplay models pull piper:<voice>`",
    });
  }
  try {
    const json = JSON.parse(text) as PiperConfigJson;
    if (typeof json.audio?.sample_rate !== "number") throw new Error("no audio.sample_rate");
    return json;
  } catch (err) {
    throw new ModelFileError("PIPER_CONFIG_BAD", `The Piper voice config ${jsonPath} is not valid: ${(err as Error).message}.`, {
      hint: "Pull the voice again with `roleplay models pull piper:<voice>`",
    });
  }
}
