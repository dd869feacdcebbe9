import { type FileHandle, open, readFile, stat } from "node:fs/promises";
import { ModelFileError } from "./errors.js";

export interface OnnxCheckOptions {
  /** What the file is, for messages ("VAD model", "Piper voice"). */
  what?: string;
  /** Plausible size range (default 512 bytes to 4 GiB). */
  minBytes?: number;
  maxBytes?: number;
  /** The hint of the error (default: check the file). */
  hint?: string;
  /** The hint when the file is missing or unreadable (default: `hint`). */
  missingHint?: string;
}

/**
 * Check an ONNX file before onnxruntime sees it (a corrupt model aborts the whole process): it
 * exists, has a plausible size, and its top level is an ONNX ModelProto: protobuf fields with valid
 * wire types whose lengths add up to exactly the file size, including an ir_version and a graph.
 * Reads only the field headers, so a large model (a 60 MB voice) is not read twice. Throws
 * ModelFileError.
 */
export async function checkOnnxFile(path: string, options: OnnxCheckOptions = {}): Promise<void> {
  const size = await checkSize(path, options);
  const fh = await open(path, "r");
  try {
    throwIfProblem(path, options, await fileStructureProblem(fh, size));
  } finally {
    await fh.close();
  }
}

/**
 * The same checks as checkOnnxFile on the whole file read into memory; returns its bytes, for a
 * caller that hands the bytes (not the path) to onnxruntime.
 */
export async function readOnnxFile(path: string, options: OnnxCheckOptions = {}): Promise<Buffer> {
  await checkSize(path, options);
  const buf = await readFile(path);
  throwIfProblem(path, options, onnxStructureProblem(buf));
  return buf;
}

/** Why `buf` is not an ONNX ModelProto at its top level, or undefined when it looks right. */
export function onnxStructureProblem(buf: Uint8Array): string | undefined {
  const walk = topLevelWalk(buf.length);
  let step = walk.next();
  while (!step.done) step = walk.next(buf.subarray(step.value, step.value + HEAD_BYTES));
  return step.value;
}

const what = (o: OnnxCheckOptions): string => o.what ?? "ONNX model";
const hint = (o: OnnxCheckOptions): string =>
  o.hint ?? `Check the ${what(o)} file, or remove the setting to use the default.`;

/** The file's size, after checking that it exists and the size is plausible. */
async function checkSize(path: string, o: OnnxCheckOptions): Promise<number> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a file");
    size = info.size;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new ModelFileError("MODEL_NOT_FOUND", `${what(o)} ${missing ? "not found" : "unreadable"}: ${path}`, {
      hint: o.missingHint ?? hint(o),
      cause: err,
    });
  }
  if (size < (o.minBytes ?? 512) || size > (o.maxBytes ?? 4 * 1024 ** 3)) {
    throw new ModelFileError("MODEL_INVALID", `${what(o)} has an implausible size (${size} bytes): ${path}`, {
      hint: hint(o),
    });
  }
  return size;
}

function throwIfProblem(path: string, o: OnnxCheckOptions, problem: string | undefined): void {
  if (problem)
    throw new ModelFileError("MODEL_INVALID", `${what(o)} is not a valid ONNX file (${problem}): ${path}`, {
      hint: hint(o),
    });
}

async function fileStructureProblem(fh: FileHandle, size: number): Promise<string | undefined> {
  const head = Buffer.alloc(HEAD_BYTES);
  const walk = topLevelWalk(size);
  let step = walk.next();
  while (!step.done) {
    const { bytesRead } = await fh.read(head, 0, HEAD_BYTES, step.value);
    step = walk.next(head.subarray(0, bytesRead));
  }
  return step.value;
}

/** A field key and a length (two varints of at most 10 bytes) fit in this many bytes. */
const HEAD_BYTES = 20;

/**
 * The top-level walk over a ModelProto of `size` bytes: yields the offset of each field and is given
 * up to HEAD_BYTES bytes from there; returns what is wrong, or undefined when it looks right.
 */
function* topLevelWalk(size: number): Generator<number, string | undefined, Uint8Array> {
  let pos = 0;
  const seen = new Set<number>();
  let fields = 0;
  while (pos < size) {
    if (++fields > 100_000) return "too many top-level fields";
    const head = yield pos;
    let at = 0;
    const varint = (): number | undefined => {
      let value = 0;
      for (let shift = 0; shift < 64; shift += 7) {
        const b = head[at++];
        if (b === undefined) return undefined;
        value += (b & 0x7f) * 2 ** shift;
        if ((b & 0x80) === 0) return value;
      }
      return undefined;
    };
    const key = varint();
    if (key === undefined) return "truncated field key";
    const field = Math.floor(key / 8);
    const wire = key % 8;
    // ModelProto fields are numbered 1..25; anything else means this is not a model.
    if (field < 1 || field > 64) return `unexpected field ${field} at byte ${pos}`;
    if (wire === 0) {
      if (varint() === undefined) return "truncated number";
      pos += at;
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined) return "truncated length";
      pos += at + len;
    } else if (wire === 1) pos += at + 8;
    else if (wire === 5) pos += at + 4;
    else return `bad wire type ${wire} at byte ${pos}`;
    if (pos > size) return "truncated: a field runs past the end of the file";
    seen.add(field);
  }
  if (!seen.has(1)) return "no ir_version";
  if (!seen.has(7)) return "no graph";
  return undefined;
}
