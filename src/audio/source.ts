/**
 * Capture sources: the microphone and WAV files behind one interface. Every source yields
 * 16 kHz mono float32 chunks (values in [-1, 1]) of any length.
 */
export const CAPTURE_SAMPLE_RATE = 16000;

export interface CaptureSource {
  /** One line for the UI and logs, e.g. `mic (sox, default device)` or `file talk.wav`. */
  readonly description: string;
  /**
   * The audio, chunk by chunk. Aborting `signal` ends the iterable without an error. A failure
   * after start (device unplugged, recorder exits) ends it with a CaptureError (an
   * AudioDeviceError), thrown from the iteration: never an unhandled 'error' event.
   */
  stream(signal: AbortSignal): AsyncIterable<Float32Array>;
  /** Stop any recorder process and release the source. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Time for pacing; injectable so tests can run a real-time source on a fake clock. */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Wait `ms`; resolves early (or rejects with an AbortError) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted || ms <= 0) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    }),
};
