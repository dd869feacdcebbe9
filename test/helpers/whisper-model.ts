import { TINY_EN_HPARAMS, writeWhisperGgml } from "../../src/asr/ggml-writer.js";

export interface RandomWhisperOptions {
  /** Same seed, same file. Default 1. */
  seed?: number;
  /** Only "tiny" (real tiny dimensions: 4+4 layers, width 384, 6 heads, 80 mels). */
  dims?: "tiny";
  /** Weight type: "f16" (default, ~78 MB) or "f32" (~150 MB). */
  ftype?: "f16" | "f32";
  /** English-only vocabulary (51864, default) or multilingual (51865). */
  multilingual?: boolean;
  /** Bias towards end-of-text so transcripts stay a token or two long (default true: fast tests). */
  endEarly?: boolean;
}

/**
 * Write a whisper.cpp ggml model with whisper tiny's real dimensions, real-shape mel filters, a
 * synthetic vocabulary and seeded random weights, in whisper.cpp's on-disk order and format.
 * It loads and runs through smart-whisper and transcribes gibberish: it proves the plumbing.
 */
export async function writeRandomWhisperModel(
  path: string,
  options: RandomWhisperOptions = {},
): Promise<{ path: string; size: number }> {
  const hparams = {
    ...TINY_EN_HPARAMS,
    ftype: options.ftype === "f32" ? 0 : 1,
    n_vocab: options.multilingual ? 51865 : 51864,
  };
  const { size } = await writeWhisperGgml(path, {
    hparams,
    seed: options.seed ?? 1,
    eotBias: options.endEarly === false ? 0 : 10,
  });
  return { path, size };
}
