import { readFile, stat } from "node:fs/promises";
import { ModelFileError } from "../core/errors.js";

export interface OnnxCheckOptions {
  /** What the file is, for messages ("VAD model"). */
  what?: string;
  minBytes?: number;
  maxBytes?: number;
  /** The hint of the error (default: check the file). */
  hint?: string;
}

/**
 * Check an ONNX file before onnxruntime sees it (it aborts the process on some bad files):
 * it exists, its size is plausible, and its top level parses as an ONNX ModelProto (protobuf
 * fields with valid wire types whose lengths fit the file, an ir_version and a graph).
 * Returns the file's bytes. Throws ModelFileError.
 */
export async function checkOnnxFile(path: string, options: OnnxCheckOptions = {}): Promise<Buffer> {
  const what = options.what ?? "ONNX model";
  const hint = options.hint ?? `Check the ${what} file, or remove the setting to use the default.`;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a file");
    size = info.size;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new ModelFileError("MODEL_NOT_FOUND", `${what} ${missing ? "not found" : "unreadable"}: ${path}`, {
      hint,
      cause: err,
    });
  }
  const min = options.minBytes ?? 1024;
  const max = options.maxBytes ?? 2 * 1024 ** 3;
  if (size < min || size > max) {
    throw new ModelFileError("MODEL_INVALID", `${what} has an implausible size (${size} bytes): ${path}`, { hint });
  }
  const buf = await readFile(path);
  const problem = onnxStructureProblem(buf);
  if (problem)
    throw new ModelFileError("MODEL_INVALID", `${what} is not a valid ONNX file (${problem}): ${path}`, { hint });
  return buf;
}

/** Why `buf` is not an ONNX ModelProto at its top level, or undefined when it looks right. */
export function onnxStructureProblem(buf: Uint8Array): string | undefined {
  let pos = 0;
  const seen = new Set<number>();
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0, i = 0; i < 10; i++, shift += 7) {
      const b = buf[pos++];
      if (b === undefined) return undefined;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    return undefined;
  };
  while (pos < buf.length) {
    const key = varint();
    if (key === undefined) return "truncated field key";
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0 || field > 1000) return `bad field number ${field} at byte ${pos}`;
    if (wire === 0) {
      if (varint() === undefined) return "truncated varint";
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint();
      if (len === undefined) return "truncated length";
      pos += len;
    } else return `bad wire type ${wire} at byte ${pos}`;
    if (pos > buf.length) return "truncated (a field runs past the end of the file)";
    seen.add(field);
  }
  if (!seen.has(1)) return "no ir_version";
  if (!seen.has(7)) return "no graph";
  return undefined;
}
