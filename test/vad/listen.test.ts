import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CaptureError } from "../../src/audio/errors.js";
import type { CaptureSource } from "../../src/audio/source.js";
import { encodeWav } from "../../src/audio/wav.js";
import { createWavSource } from "../../src/audio/wav-source.js";
import type { EndpointerEvent } from "../../src/vad/endpointer.js";
import { listen, type FrameScorer } from "../../src/vad/listen.js";
import { SileroVad } from "../../src/vad/silero.js";
import { tempDir, testModel, TIER2_SKIP_REASON } from "../helpers/env.js";
import { ESPEAK_SKIP_REASON, espeakAvailable, layout } from "../helpers/speech.js";

/** Scores by loudness; records every frame length it is given. */
function loudnessScorer(): FrameScorer & { lengths: number[]; resets: number } {
  return {
    lengths: [],
    resets: 0,
    score(frame) {
      this.lengths.push(frame.length);
      let peak = 0;
      for (const v of frame) peak = Math.max(peak, Math.abs(v));
      return Promise.resolve(peak > 0.1 ? 0.9 : 0.01);
    },
    reset() {
      this.resets++;
    },
  };
}

/** A source that yields `samples` in chunks of `chunk` samples, then optionally fails. */
function arraySource(samples: Float32Array, chunk: number, fail?: Error): CaptureSource {
  return {
    description: "array",
    async *stream(signal) {
      for (let at = 0; at < samples.length && !signal.aborted; at += chunk) yield samples.slice(at, at + chunk);
      if (fail) throw fail;
    },
    dispose: async () => {},
  };
}

/** 16 kHz: loud from 1.0 s to 2.0 s in 4 s, ending on a partial frame. */
function tone(): Float32Array {
  const s = new Float32Array(16000 * 4 + 100);
  for (let i = 16000; i < 32000; i++) s[i] = 0.5 * Math.sin(i / 3);
  return s;
}

async function collect(it: AsyncIterable<EndpointerEvent>): Promise<EndpointerEvent[]> {
  const out: EndpointerEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe("listen", () => {
  it("re-chunks any chunk size into 512-sample frames and keeps the input timeline", async () => {
    for (const chunk of [1, 333, 512, 4000]) {
      const vad = loudnessScorer();
      const events = await collect(listen(arraySource(tone(), chunk), vad, {}, new AbortController().signal));
      expect(vad.resets).toBe(1);
      expect(vad.lengths.every((n) => n === 512)).toBe(true);
      expect(vad.lengths).toHaveLength(Math.ceil((16000 * 4 + 100) / 512));
      const ends = events.filter((e) => e.type === "speech-end");
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ speechStartMs: 992, endMs: 2016, reason: "silence" });
      const levels = events.filter((e) => e.type === "level");
      expect(levels.at(-1)).toMatchObject({ atMs: 4000 + 100 / 16 });
    }
  });

  it("flushes the utterance in progress when the source ends", async () => {
    const s = tone().subarray(0, 16000 * 1.6);
    const events = await collect(listen(arraySource(s, 700), loudnessScorer(), {}, new AbortController().signal));
    expect(events.filter((e) => e.type === "speech-end").map((e) => e.reason)).toEqual(["flush"]);
  });

  it("on a capture failure, yields the flushed utterance and then throws the error", async () => {
    const s = tone().subarray(0, 16000 * 1.6);
    const failure = new CaptureError("microphone stopped: unplugged");
    const events: EndpointerEvent[] = [];
    const err = await (async () => {
      for await (const e of listen(arraySource(s, 512, failure), loudnessScorer(), {}, new AbortController().signal))
        events.push(e);
    })().catch((e: unknown) => e);
    expect(err).toBe(failure);
    expect(events.some((e) => e.type === "speech-end" && e.reason === "flush")).toBe(true);
  });

  it("ends quietly when aborted", async () => {
    const ac = new AbortController();
    let frames = 0;
    for await (const e of listen(arraySource(tone(), 512), loudnessScorer(), {}, ac.signal)) {
      if (e.type === "level" && ++frames === 10) ac.abort();
    }
    expect(frames).toBe(10);
  });
});

describe("listen with Silero on a WAV file", () => {
  const tmp = tempDir("roleplay-listen-");
  afterAll(() => tmp.cleanup());

  it.skipIf(!espeakAvailable())(
    `finds the utterances of a 44.1 kHz WAV file${espeakAvailable() ? "" : ` (skipped: ${ESPEAK_SKIP_REASON})`}`,
    async () => {
      const lay = await layout(
        [
          { text: "Good morning.", atMs: 700 },
          { text: "What is the time?", atMs: 3000 },
        ],
        5500,
      );
      const file = join(tmp.dir, "two.wav");
      writeFileSync(file, encodeWav(resampleTo(lay.samples, 44100), 44100));
      const source = await createWavSource(file, { realtime: false, chunkMs: 100 });
      const vad = await SileroVad.load();
      try {
        const events = await collect(listen(source, vad, {}, new AbortController().signal));
        const ends = events.filter((e) => e.type === "speech-end");
        expect(ends).toHaveLength(2);
        ends.forEach((u, i) => {
          expect(Math.abs(u.speechStartMs - lay.segments[i]!.startMs)).toBeLessThanOrEqual(150);
          expect(Math.abs(u.endMs - lay.segments[i]!.endMs)).toBeLessThanOrEqual(150);
        });
      } finally {
        await vad.dispose();
      }
    },
  );

  const jfk = testModel("jfk.wav");
  it.skipIf(!jfk)(`jfk.wav yields speech (tier 2)${jfk ? "" : ` (skipped: ${TIER2_SKIP_REASON})`}`, async () => {
    const source = await createWavSource(jfk!, { realtime: false });
    for (const modelPath of [undefined, testModel("silero_vad.onnx")]) {
      const vad = await SileroVad.load({ modelPath });
      try {
        const events = await collect(listen(source, vad, {}, new AbortController().signal));
        const ends = events.filter((e) => e.type === "speech-end");
        expect(ends.length).toBeGreaterThanOrEqual(1);
        const spoken = ends.reduce((ms, u) => ms + (u.endMs - u.speechStartMs), 0);
        expect(spoken).toBeGreaterThan(6000); // about 8 s of the 11 s are speech
        expect(ends[0]!.speechStartMs).toBeLessThan(1000);
      } finally {
        await vad.dispose();
      }
    }
  });
});

/** Plain linear-interpolation upsampling for writing test files at other rates. */
function resampleTo(samples: Float32Array, rate: number): Float32Array {
  const out = new Float32Array(Math.floor((samples.length * rate) / 16000));
  for (let i = 0; i < out.length; i++) {
    const pos = (i * 16000) / rate;
    const i0 = Math.floor(pos);
    const a = samples[i0] ?? 0;
    out[i] = a + ((samples[i0 + 1] ?? a) - a) * (pos - i0);
  }
  return out;
}
