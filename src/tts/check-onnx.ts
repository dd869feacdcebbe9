import { checkOnnxFile } from "../core/onnx-file.js";

/**
 * Check a Piper voice `.onnx` before onnxruntime sees it (see checkOnnxFile: reads only the field
 * headers, so a large voice is not read twice). Throws ModelFileError.
 */
export function checkPiperVoiceFile(path: string, what = "Piper voice"): Promise<void> {
  return checkOnnxFile(path, {
    what,
    minBytes: 512,
    maxBytes: 4 * 1024 ** 3,
    hint: "The voice file is damaged or not an ONNX model: download the .onnx voice again.",
    missingHint: "Check the path of the voice (tts.voice or --voice).",
  });
}
