/**
 * Guess what a file that is not a whisper.cpp ggml model is, from its first bytes, and say what
 * to do about it (one line).
 */
export function notGgmlHint(head: Buffer): string {
  const ascii = head.toString("latin1");
  const text = ascii.trimStart().toLowerCase();
  const want = "Use a whisper.cpp ggml model (e.g. ggml-base.en.bin) for asr.model / --asr-model.";
  if (head.length === 0) return `The file is empty. ${want}`;
  if (ascii.startsWith("GGUF")) {
    return `This is a GGUF file (a llama.cpp language model?), not a whisper model: it belongs in llm.model. ${want}`;
  }
  if (ascii.startsWith("ggjt") || ascii.startsWith("ggmf") || ascii.startsWith("tjgg") || ascii.startsWith("fmgg")) {
    return `This is an old llama.cpp model, not a whisper model. ${want}`;
  }
  if (
    text.startsWith("<!doctype html") ||
    text.startsWith("<html") ||
    text.startsWith("<head") ||
    text.startsWith("<?xml")
  ) {
    return "This is a web page, not a model: the download saved an error or login page. Download it again (on Hugging Face use a /resolve/ link, not /blob/).";
  }
  if (text.startsWith("version https://git-lfs")) {
    return "This is a Git LFS pointer, not the model: run `git lfs pull` or download the file directly.";
  }
  if (ascii.startsWith("PK\x03\x04")) {
    return `This looks like a PyTorch checkpoint (zip); convert it with whisper.cpp's models/convert-pt-to-ggml.py. ${want}`;
  }
  if (head.length >= 9 && head.readBigUInt64LE(0) < 100_000_000n && ascii[8] === "{") {
    return `This looks like a safetensors file; convert it with whisper.cpp's models/convert-h5-to-ggml.py. ${want}`;
  }
  if (ascii.startsWith("\x08") && ascii.includes("onnx"))
    return `This is an ONNX model (Silero VAD or a Piper voice?). ${want}`;
  if (isMostlyText(head)) return `This is a text file, not a model. ${want}`;
  return `The file does not start with the ggml magic bytes. ${want}`;
}

function isMostlyText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let printable = 0;
  for (const b of head) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc0) printable++;
  return printable / head.length > 0.95;
}
