/**
 * Recognise what a file that should be a GGUF model actually is, from its first bytes, so the
 * error can say "this is a safetensors checkpoint" rather than "bad magic".
 */

export interface SniffResult {
  /** Short name of the format, e.g. "safetensors", "html", "whisper-ggml". */
  kind: string;
  /** Completes "<file> is …", e.g. "a safetensors checkpoint, not a GGUF file". */
  what: string;
  hint: string;
}

const CONVERT = "Convert it with llama.cpp's convert_hf_to_gguf.py, or download a .gguf build of the model.";
const REDOWNLOAD =
  "The download saved something else: download the .gguf file again (check the URL and any access token).";

function textKind(text: string): SniffResult {
  const t = text.replace(/^\uFEFF/, "").trimStart();
  const lower = t.slice(0, 200).toLowerCase();
  if (lower.startsWith("version https://git-lfs")) {
    return {
      kind: "lfs-pointer",
      what: "a Git LFS pointer (a small text stub), not the model itself",
      hint: "Fetch the real file with `git lfs pull`, or download the .gguf file directly.",
    };
  }
  if (
    lower.startsWith("<!doctype html") ||
    lower.startsWith("<html") ||
    lower.startsWith("<head") ||
    lower.includes("<body")
  ) {
    return { kind: "html", what: "an HTML web page (probably an error or login page), not a model", hint: REDOWNLOAD };
  }
  if (t.startsWith("{") || t.startsWith("[")) {
    return {
      kind: "json",
      what: "a JSON file, not a model",
      hint: `${REDOWNLOAD} A model's config.json is not the model.`,
    };
  }
  return { kind: "text", what: "a text file, not a model", hint: "Pass the path of a .gguf model file." };
}

function isMostlyText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let bad = 0;
  for (const byte of head) if (byte === 0 || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d)) bad++;
  return bad === 0;
}

/** Describe a non-GGUF file from its first bytes (up to 512) and its size. */
export function sniffModelFile(head: Buffer, fileSize: number): SniffResult {
  const magic = head.subarray(0, 4).toString("latin1");
  if (magic === "lmgg") {
    const audioCtx = head.length >= 12 ? head.readInt32LE(8) : 0;
    if (audioCtx === 1500) {
      return {
        kind: "whisper-ggml",
        what: "a whisper speech-recognition model (ggml), not a language model",
        hint: "Use it as the speech model (whisper) and pass a .gguf language model here.",
      };
    }
    return { kind: "ggml", what: "a model in the old GGML format, which llama.cpp no longer reads", hint: CONVERT };
  }
  if (magic === "tjgg" || magic === "fmgg" || magic === "algg") {
    return {
      kind: "ggml",
      what: "a model in an old pre-GGUF llama.cpp format (GGJT/GGMF), which llama.cpp no longer reads",
      hint: CONVERT,
    };
  }
  if (head.length >= 10 && head[8] === 0x7b) {
    const headerLen = head.readBigUInt64LE(0);
    if (headerLen > 1n && headerLen < BigInt(fileSize)) {
      return { kind: "safetensors", what: "a safetensors checkpoint, not a GGUF file", hint: CONVERT };
    }
  }
  if (magic === "PK\x03\x04")
    return {
      kind: "zip",
      what: "a zip archive (or a PyTorch checkpoint), not a GGUF file",
      hint: `Unpack it if it holds a .gguf file; otherwise: ${CONVERT}`,
    };
  if (head[0] === 0x80 && head[1] !== undefined && head[1] >= 2 && head[1] <= 5) {
    return { kind: "pickle", what: "a PyTorch checkpoint (pickle), not a GGUF file", hint: CONVERT };
  }
  if (head[0] === 0x1f && head[1] === 0x8b)
    return {
      kind: "gzip",
      what: "a gzip-compressed file",
      hint: "Decompress it first (gunzip), then pass the .gguf file inside.",
    };
  if (magic === "\xfd7zX" || magic.startsWith("BZh") || magic === "(\xb5/\xfd" || magic === "7z\xbc\xaf") {
    return {
      kind: "archive",
      what: "a compressed archive",
      hint: "Decompress it first, then pass the .gguf file inside.",
    };
  }
  if (magic === "RIFF" || magic === "OggS" || magic === "fLaC" || magic.startsWith("ID3")) {
    return { kind: "audio", what: "an audio file, not a model", hint: "Pass a .gguf language model here." };
  }
  if (head[0] === 0x08 && head[2] === 0x12) {
    return {
      kind: "onnx",
      what: "an ONNX model (e.g. a Piper voice or a VAD model), not a language model",
      hint: "Pass a .gguf language model here.",
    };
  }
  if (isMostlyText(head)) return textKind(head.toString("utf8"));
  return {
    kind: "unknown",
    what: "not a GGUF file (it does not start with the GGUF signature)",
    hint: "Pass a .gguf model file, e.g. one from Hugging Face built for llama.cpp.",
  };
}
