import { open, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { ModelFileError } from "../core/errors.js";
import {
  FTYPE_NAMES,
  GGML_MAGIC,
  GGML_QNT_VERSION_FACTOR,
  HPARAM_ORDER,
  isMultilingual,
  modelTypeName,
  tensorBytes,
  tensorRecordBytes,
  tensorType,
  typeTraits,
  weightTypeForFtype,
  whisperTensorSpecs,
} from "./ggml-format.js";
import type { TensorSpec, WhisperHparams } from "./ggml-format.js";
import { notGgmlHint } from "./sniff.js";

export interface WhisperModelInfo {
  path: string;
  /** File size in bytes. */
  size: number;
  hparams: WhisperHparams;
  /** "tiny" | "base" | "small" | "medium" | "large" | "unknown". */
  type: string;
  multilingual: boolean;
  /** Weight type: 0 f32, 1 f16, others quantized. */
  ftype: number;
  ftypeName: string;
  /** Tensor records found and verified. */
  tensors: number;
  /** Size a complete file with these hyperparameters has. */
  expectedSize: number;
  /** Where the tensor records start (header, mel filters and vocabulary come before). */
  tensorOffset: number;
}

const MB = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
const REDOWNLOAD = "Download the model again (whisper.cpp ggml models, e.g. ggml-base.en.bin).";

/** Reads the file front to back, growing an in-memory window only as far as parsing needs. */
class Cursor {
  buf = Buffer.alloc(0);
  pos = 0;
  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}
  async need(n: number): Promise<boolean> {
    if (this.pos + n <= this.buf.length) return true;
    if (this.pos + n > this.size) return false;
    const want = Math.min(this.size, Math.max(this.pos + n, this.buf.length * 2, 1 << 20));
    const next = Buffer.alloc(want);
    this.buf.copy(next);
    await this.fh.read(next, this.buf.length, want - this.buf.length, this.buf.length);
    this.buf = next;
    return true;
  }
  i32(): number {
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
}

/**
 * Check a whisper.cpp model file before the native loader sees it: whisper.cpp crashes the
 * process on a file it cannot load. Verifies the magic, the hyperparameters, the mel filters,
 * the vocabulary and every tensor record (name, shape, type, data present) exactly as
 * whisper_model_load() reads them. Throws ModelFileError (WHISPER_NOT_FOUND, WHISPER_NOT_GGML,
 * WHISPER_TRUNCATED, WHISPER_CORRUPT, WHISPER_UNSUPPORTED).
 */
export async function checkWhisperModel(path: string): Promise<WhisperModelInfo> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
    size = st.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === "EISDIR" ? "is not a file" : code === "EACCES" ? "cannot be read" : "was not found";
    throw new ModelFileError("WHISPER_NOT_FOUND", `Whisper model ${what}: ${path}`, {
      hint: "Set asr.model in the config or pass --asr-model PATH to a whisper.cpp ggml model (e.g. ggml-base.en.bin).",
      cause: err,
    });
  }
  const fh = await open(path, "r");
  try {
    return await inspect(new Cursor(fh, size), path, fh);
  } finally {
    await fh.close();
  }
}

async function inspect(c: Cursor, path: string, fh: FileHandle): Promise<WhisperModelInfo> {
  const size = c.size;
  const truncated = (what: string, expected?: number): ModelFileError =>
    new ModelFileError(
      "WHISPER_TRUNCATED",
      `Whisper model is incomplete: ${path} ${what}` +
        (expected ? ` (file ${MB(size)}, a complete model with these dimensions is ${MB(expected)})` : ""),
      { hint: `The download was cut short or this is a header-only test file. ${REDOWNLOAD}` },
    );
  const corrupt = (what: string): ModelFileError =>
    new ModelFileError("WHISPER_CORRUPT", `Whisper model is corrupt: ${path}: ${what}`, { hint: REDOWNLOAD });

  if (!(await c.need(4)) || c.buf.readUInt32LE(0) !== GGML_MAGIC) {
    await c.need(Math.min(size, 512));
    const head = c.buf.subarray(0, Math.min(c.buf.length, 512));
    throw new ModelFileError("WHISPER_NOT_GGML", `Not a whisper.cpp ggml model: ${path}`, { hint: notGgmlHint(head) });
  }
  c.pos = 4;
  if (!(await c.need(4 * HPARAM_ORDER.length))) throw truncated("ends inside its header");
  const raw: Record<string, number> = {};
  for (const key of HPARAM_ORDER) raw[key] = c.i32();
  const h = raw as unknown as WhisperHparams;
  h.ftype = h.ftype % GGML_QNT_VERSION_FACTOR;
  const bad = implausible(h);
  if (bad) throw corrupt(bad);
  if (weightTypeForFtype(h.ftype) === undefined) {
    throw new ModelFileError(
      "WHISPER_UNSUPPORTED",
      `Whisper model ${path} has an unsupported weight type (ftype ${h.ftype})`,
      {
        hint: "Use an f16, f32 or q4/q5/q8 whisper.cpp ggml model.",
      },
    );
  }
  const specs = whisperTensorSpecs(h);
  // ggml aborts the process when a quantized row does not fill whole blocks.
  for (const s of specs) {
    const blck = typeTraits(tensorType(s.kind, h.ftype) ?? 0)?.blck ?? 1;
    if ((s.ne[0] ?? 0) % blck !== 0) {
      throw new ModelFileError(
        "WHISPER_UNSUPPORTED",
        `Whisper model ${path}: weight type ${h.ftype} does not fit '${s.name}'`,
        {
          hint: "Use an f16, f32 or q4/q5/q8 whisper.cpp ggml model.",
        },
      );
    }
  }
  const tensorTotal = specs.reduce((sum, s) => sum + (tensorRecordBytes(s, h.ftype) ?? 0), 0);

  // Mel filters.
  if (!(await c.need(8))) throw truncated("ends before its mel filters");
  const nMel = c.i32();
  const nFft = c.i32();
  if (nMel < 1 || nMel > 512 || nFft < 1 || nFft > 8192) throw corrupt(`implausible mel filter size ${nMel}×${nFft}`);
  if (!(await c.need(nMel * nFft * 4))) throw truncated("ends inside its mel filters");
  c.pos += nMel * nFft * 4;

  // Vocabulary.
  if (!(await c.need(4))) throw truncated("ends before its vocabulary");
  const nTokens = c.i32();
  if (nTokens < 1 || nTokens > 1_000_000) throw corrupt(`implausible vocabulary size ${nTokens}`);
  for (let i = 0; i < nTokens; i++) {
    if (!(await c.need(4))) throw truncated("ends inside its vocabulary");
    const len = c.buf.readUInt32LE(c.pos);
    c.pos += 4;
    if (len > 4096) throw corrupt(`vocabulary entry ${i} is ${len} bytes long`);
    if (!(await c.need(len))) throw truncated("ends inside its vocabulary");
    c.pos += len;
  }
  const tensorOffset = c.pos;
  const expectedSize = tensorOffset + tensorTotal;
  if (c.pos === size) throw truncated("has no weights, only a header", expectedSize);
  const found = await walkTensors(fh, c.pos, size, specs, h.ftype, {
    truncated: (what) => truncated(what, expectedSize),
    corrupt,
  });
  return {
    path,
    size,
    hparams: h,
    type: modelTypeName(h),
    multilingual: isMultilingual(h.n_vocab),
    ftype: h.ftype,
    ftypeName: FTYPE_NAMES[h.ftype] ?? `ftype ${h.ftype}`,
    tensors: found,
    expectedSize,
    tensorOffset,
  };
}

/** Hyperparameters whisper.cpp would crash or misbehave on; undefined when plausible. */
function implausible(h: WhisperHparams): string | undefined {
  const inRange = (v: number, lo: number, hi: number): boolean => Number.isInteger(v) && v >= lo && v <= hi;
  if (!inRange(h.n_vocab, 51864, 52000)) return `vocabulary of ${h.n_vocab} tokens (whisper has 51864-51866)`;
  for (const k of ["n_audio_ctx", "n_text_ctx"] as const) if (!inRange(h[k], 1, 65536)) return `${k} = ${h[k]}`;
  for (const k of ["n_audio_state", "n_text_state"] as const) if (!inRange(h[k], 8, 16384)) return `${k} = ${h[k]}`;
  for (const k of ["n_audio_layer", "n_text_layer", "n_audio_head", "n_text_head"] as const) {
    if (!inRange(h[k], 1, 256)) return `${k} = ${h[k]}`;
  }
  if (h.n_audio_state !== h.n_text_state)
    return `encoder width ${h.n_audio_state} differs from decoder width ${h.n_text_state}`;
  if (h.n_audio_state % h.n_audio_head !== 0 || h.n_text_state % h.n_text_head !== 0)
    return "width not divisible by heads";
  if (!inRange(h.n_mels, 1, 512)) return `n_mels = ${h.n_mels}`;
  return undefined;
}

/** Walk the tensor records as whisper_model_load() does; returns how many were verified. */
async function walkTensors(
  fh: FileHandle,
  start: number,
  size: number,
  specs: TensorSpec[],
  ftype: number,
  fail: { truncated: (what: string) => Error; corrupt: (what: string) => Error },
): Promise<number> {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const seen = new Set<string>();
  const head = Buffer.alloc(12 + 16 + 512);
  let pos = start;
  // The loader reads 12 bytes and stops at end of file; fewer than 12 left means the end.
  while (size - pos >= 12) {
    const { bytesRead } = await fh.read(head, 0, head.length, pos);
    const nDims = head.readInt32LE(0);
    const nameLen = head.readInt32LE(4);
    const ttype = head.readInt32LE(8);
    if (nDims < 1 || nDims > 4 || nameLen < 1 || nameLen > 512) throw fail.corrupt(`bad tensor record at byte ${pos}`);
    const headerLen = 12 + 4 * nDims + nameLen;
    if (bytesRead < headerLen) throw fail.truncated(`ends inside a tensor header`);
    const ne = Array.from({ length: nDims }, (_, i) => head.readInt32LE(12 + 4 * i));
    const name = head.toString("utf8", 12 + 4 * nDims, headerLen);
    const spec = byName.get(name);
    if (!spec) throw fail.corrupt(`unknown tensor '${name}'`);
    if (seen.has(name)) throw fail.corrupt(`tensor '${name}' appears twice`);
    seen.add(name);
    const want = [...spec.ne, 1, 1, 1].slice(0, 3);
    const got = [...ne, 1, 1, 1].slice(0, 3);
    const n = ne.reduce((x, y) => x * y, 1);
    const specN = spec.ne.reduce((x, y) => x * y, 1);
    if (n !== specN || want.some((v, i) => v !== got[i])) {
      throw fail.corrupt(`tensor '${name}' has shape [${ne.join(", ")}], expected [${spec.ne.join(", ")}]`);
    }
    const type = tensorType(spec.kind, ftype) ?? -1;
    const nbytes = tensorBytes(type, n);
    // whisper.cpp: (nelements * type_size(ttype)) / blck_size(expected type) must equal nbytes.
    const fileSize = typeTraits(ttype)?.size;
    const blck = typeTraits(type)?.blck ?? 1;
    if (nbytes === undefined || fileSize === undefined || Math.floor((n * fileSize) / blck) !== nbytes) {
      throw fail.corrupt(`tensor '${name}' has type ${ttype}, expected ${type}`);
    }
    pos += headerLen + nbytes;
    if (pos > size) throw fail.truncated(`ends inside tensor '${name}'`);
  }
  if (seen.size === 0) throw fail.truncated("has no weights, only a header");
  if (seen.size !== specs.length) throw fail.truncated(`has ${seen.size} of ${specs.length} tensors`);
  return seen.size;
}
