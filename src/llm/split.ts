/** Split GGUF models (name-00001-of-00003.gguf): which part a file is, and whether the rest exist. */
import { statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ModelFileError } from "../core/errors.js";
import type { GgufHeader } from "./gguf-reader.js";

export function splitInfo(header: GgufHeader): { count: number; index: number } {
  const count = header.metadata.get("split.count");
  const index = header.metadata.get("split.no");
  return { count: typeof count === "number" && count > 1 ? count : 1, index: typeof index === "number" ? index : 0 };
}

const PART = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

/** Total bytes of all parts; throws MODEL_NOT_FOUND naming the first missing part. */
export function checkSplitParts(shown: string, firstPart: string, count: number, firstSize: number): number {
  const m = PART.exec(basename(firstPart));
  if (!m) return firstSize; // not named like llama.cpp's split files: leave it to llama.cpp
  let total = firstSize;
  for (let i = 2; i <= count; i++) {
    const name = `${m[1] ?? ""}-${String(i).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.gguf`;
    try {
      total += statSync(join(dirname(firstPart), name)).size;
    } catch (err) {
      throw new ModelFileError(
        "MODEL_NOT_FOUND",
        `Part ${i} of ${count} of the split model ${shown} is missing: ${name}`,
        {
          hint: "Download every part of the model into the same folder.",
          cause: err,
        },
      );
    }
  }
  return total;
}
