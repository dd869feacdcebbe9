import { describe, expect, it } from "vitest";
import { AUDIO_CTX_FLOOR, audioContextFor, padForWhisper } from "../../src/asr/window.js";

describe("whisper input window", () => {
  it("pads an utterance under one second with trailing silence", () => {
    const short = new Float32Array(8000).fill(0.5);
    const padded = padForWhisper(short);
    expect(padded.length).toBeGreaterThan(16000);
    expect(padded[0]).toBe(0.5);
    expect(padded[7999]).toBe(0.5);
    expect(padded[8000]).toBe(0);
    expect(padded.at(-1)).toBe(0);
  });

  it("leaves longer utterances alone", () => {
    const long = new Float32Array(48000);
    expect(padForWhisper(long)).toBe(long);
  });

  it("sizes the audio context to the utterance, with a floor and a margin", () => {
    expect(audioContextFor(16000)).toBe(AUDIO_CTX_FLOOR);
    const ctx10 = audioContextFor(160000); // 10 s = 500 positions + margin
    expect(ctx10).toBeGreaterThanOrEqual(550);
    expect(ctx10 % 64).toBe(0);
    expect(audioContextFor(160000 * 2.5)).toBe(1344); // 25 s: 1250 positions + margin, below the full window
    expect(audioContextFor(16000 * 29)).toBe(0); // nearly the full window: use it
    expect(audioContextFor(16000 * 60)).toBe(0);
    expect(audioContextFor(16000, 256)).toBe(0); // a model with a smaller context: never larger
  });
});
