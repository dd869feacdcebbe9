/**
 * Whisper's input window. It encodes a 30-second window (1500 encoder positions, one per
 * 320 samples at 16 kHz) whatever the utterance length, and refuses input under one second.
 */

export const WHISPER_SAMPLE_RATE = 16000;
/** One encoder position per 320 samples (10 ms mel hop, then a stride-2 convolution). */
const SAMPLES_PER_POSITION = 320;
/** whisper.cpp skips anything under 100 mel frames (1 s); pad a little past that. */
const MIN_PADDED_SAMPLES = 17_600;
/**
 * Smallest audio context used: whisper was trained on full windows and gets less reliable on
 * very short contexts, so a short utterance still gets ~7.7 s (about a quarter of the window).
 */
export const AUDIO_CTX_FLOOR = 384;
/** Positions of trailing context kept after the speech (1 s). */
const AUDIO_CTX_MARGIN = 50;
const AUDIO_CTX_STEP = 64;

/** The utterance, padded with silence to whisper's one-second minimum when shorter. */
export function padForWhisper(pcm16k: Float32Array): Float32Array {
  if (pcm16k.length >= MIN_PADDED_SAMPLES) return pcm16k;
  const out = new Float32Array(MIN_PADDED_SAMPLES);
  out.set(pcm16k);
  return out;
}

/**
 * The encoder context (whisper's audio_ctx) for an utterance of `samples`: enough positions for
 * the audio plus a margin, at least AUDIO_CTX_FLOOR, rounded up to a multiple of 64; 0 (the full
 * window) when that would not be smaller than the model's context.
 */
export function audioContextFor(samples: number, modelAudioCtx = 1500): number {
  const needed = Math.ceil(samples / SAMPLES_PER_POSITION) + AUDIO_CTX_MARGIN;
  const ctx = Math.ceil(Math.max(AUDIO_CTX_FLOOR, needed) / AUDIO_CTX_STEP) * AUDIO_CTX_STEP;
  return ctx >= modelAudioCtx ? 0 : ctx;
}
