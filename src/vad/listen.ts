import type { CaptureSource } from "../audio/source.js";
import { Endpointer, type EndpointerEvent, type EndpointerOptions } from "./endpointer.js";
import { SILERO_FRAME } from "./silero.js";

/** Anything that scores 512-sample frames in order (SileroVad, or a fake in tests). */
export interface FrameScorer {
  score(frame: Float32Array): Promise<number>;
  reset(): void;
}

/**
 * Capture → VAD → endpointer: re-chunks the source's chunks into 512-sample frames, scores each
 * and yields the endpointer's events (`level` for every frame, `speech-start`, `speech-end`).
 * When the source ends, a final partial frame is scored zero-padded and an utterance in progress
 * is flushed. Aborting `signal` ends the iterable quietly. A source failure (CaptureError) is
 * thrown after the utterance in progress has been flushed.
 */
export async function* listen(
  source: CaptureSource,
  vad: FrameScorer,
  endpointerOpts: Partial<EndpointerOptions>,
  signal: AbortSignal,
): AsyncGenerator<EndpointerEvent> {
  const endpointer = new Endpointer(endpointerOpts);
  vad.reset();
  const frame = new Float32Array(SILERO_FRAME);
  let filled = 0;
  let failure: unknown;
  try {
    for await (const chunk of source.stream(signal)) {
      let at = 0;
      while (at < chunk.length) {
        const n = Math.min(SILERO_FRAME - filled, chunk.length - at);
        frame.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === SILERO_FRAME) {
          filled = 0;
          const prob = await vad.score(frame);
          if (signal.aborted) return;
          yield* endpointer.push(frame, prob);
        }
      }
      if (signal.aborted) return;
    }
  } catch (err) {
    failure = err;
  }
  if (signal.aborted) return;
  if (filled > 0 && failure === undefined) {
    const padded = new Float32Array(SILERO_FRAME);
    padded.set(frame.subarray(0, filled));
    const prob = await vad.score(padded);
    yield* endpointer.push(frame.subarray(0, filled), prob);
  }
  yield* endpointer.flush();
  if (failure !== undefined) throw failure;
}
