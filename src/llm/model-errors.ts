import { ModelFileError } from "../core/errors.js";

/** The `code` of each ModelFileError that checkGgufFile throws. */
export type ModelFileErrorCode =
  | "MODEL_NOT_FOUND"
  | "MODEL_UNREADABLE"
  | "MODEL_NOT_GGUF"
  | "MODEL_TRUNCATED"
  | "MODEL_CORRUPT"
  | "MODEL_UNSUPPORTED_VERSION"
  | "MODEL_UNSUPPORTED_ARCH"
  | "MODEL_SPLIT_PART"
  | "MODEL_TOO_LARGE";

/** Throw a ModelFileError with its code, one-line message and hint. */
export function fail(code: ModelFileErrorCode, message: string, hint: string, cause?: unknown): never {
  throw new ModelFileError(code, message, { hint, cause });
}
