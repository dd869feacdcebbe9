import { open, stat } from "node:fs/promises";
import { ModelFileError } from "../core/errors.js";

const HINT = "The voice file is damaged or not an ONNX model: download the .onnx voice again.";
const MIN_BYTES = 512;
const MAX_BYTES = 4 * 1024 ** 3;

/**
 * Check a `.onnx` file before onnxruntime sees it (a corrupt model aborts the whole process): it
 * exists, has a plausible size, and its top level is an ONNX ModelProto: protobuf fields with valid
 * wire types whose lengths add up to exactly the file size, including an ir_version and a graph.
 * Reads only the field headers, so a large voice is not read twice. Throws ModelFileError.
 */
export async function checkOnnxFile(path: string, what = "Piper voice"): Promise<void> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a file");
    size = info.size;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new ModelFileError("MODEL_NOT_FOUND", `${what} ${missing ? "not found" : "unreadable"}: ${path}`, {
      hint: "Check the path of the voice (tts.voice or --voice).",
      cause: err,
    });
  }
  if (size < MIN_BYTES || size > MAX_BYTES) {
    throw new ModelFileError("MODEL_INVALID", `${what} has an implausible size (${size} bytes): ${path}`, {
      hint: HINT,
    });
  }
  const fh = await open(path, "r");
  try {
    const problem = await topLevelProblem(async (pos, len) => {
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, pos);
      return buf.subarray(0, bytesRead);
    }, size);
    if (problem)
      throw new ModelFileError("MODEL_INVALID", `${what} is not a valid ONNX file (${problem}): ${path}`, {
        hint: HINT,
      });
  } finally {
    await fh.close();
  }
}

/** Why the bytes are not an ONNX ModelProto at the top level, or undefined when they look right. */
export async function topLevelProblem(
  read: (pos: number, len: number) => Promise<Uint8Array>,
  size: number,
): Promise<string | undefined> {
  let pos = 0;
  const seen = new Set<number>();
  let fields = 0;
  while (pos < size) {
    if (++fields > 100_000) return "too many top-level fields";
    const head = await read(pos, 20);
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
