import { describe, expect, it } from "vitest";
import type { CaptureSource } from "../../src/audio/source.js";
import { cleanTranscript } from "../../src/asr/filter.js";
import { VoiceSession } from "../../src/pipeline/session.js";
import { VoiceInput, type HeardUtterance } from "../../src/pipeline/voice-in.js";
import type { FrameScorer } from "../../src/vad/listen.js";
import { FakeEngine } from "../helpers/fakes.js";

/**
 * Silence, then a loud tone for `speechMs`, then silence: 16 kHz mono, in 100 ms chunks.
 * `before(ms)` runs before the chunk starting at `ms` is given (events of earlier ones are handled).
 */
function toneSource(speechMs: number, before?: (ms: number) => void, totalMs = 500 + speechMs + 1200): CaptureSource {
  const samples = (ms: number): number => Math.round(ms * 16);
  const audio = new Float32Array(samples(totalMs));
  for (let i = samples(500); i < samples(500 + speechMs); i++) audio[i] = 0.5 * Math.sin(i / 5);
  return {
    description: "test tone",
    async *stream(signal: AbortSignal) {
      for (let at = 0; at < audio.length && !signal.aborted; at += 1600) {
        before?.(at / 16);
        yield audio.slice(at, at + 1600);
      }
    },
    dispose: async () => undefined,
  };
}

/** Speech wherever the frame is loud. */
const loudness: FrameScorer = {
  score: async (frame) => (Math.sqrt(frame.reduce((a, x) => a + x * x, 0) / frame.length) > 0.1 ? 0.95 : 0),
  reset: () => undefined,
};

async function hear(
  speechMs: number,
  said: string,
  pushToTalk?: { fromMs: number; toMs: number; totalMs?: number },
): Promise<{ heard: string[]; infos: { speechMs: number }[] }> {
  const ref: { voice?: VoiceInput } = {};
  const toggleAt = (ms: number): void => {
    if (pushToTalk && (ms === pushToTalk.fromMs || ms === pushToTalk.toMs)) ref.voice?.toggleRecording();
  };
  const session = new VoiceSession({ engine: new FakeEngine(() => ["ok."]), characterName: "T" });
  const heard: HeardUtterance[] = [];
  const infos: { speechMs: number }[] = [];
  const voice = new VoiceInput({
    session,
    mode: pushToTalk ? "push-to-talk" : "hands-free",
    source: toneSource(speechMs, toggleAt, pushToTalk?.totalMs),
    vad: loudness,
    transcriber: { transcribe: async () => ({ text: said }) },
    clean: (text, info) => {
      infos.push(info);
      return cleanTranscript(text, info);
    },
    bargeIn: { enabled: false, minSpeechMs: 300, headphones: true },
    isPlaying: () => false,
    onUtterance: (u) => heard.push(u),
  });
  ref.voice = voice;
  voice.start();
  await voice.drain();
  await voice.stop();
  return { heard: heard.map((u) => u.text), infos };
}

describe("VoiceInput and the phantom filter", () => {
  it("gives the filter the utterance's speech duration", async () => {
    const { infos } = await hear(900, "Hello there.");
    expect(infos).toHaveLength(1);
    expect(infos[0]!.speechMs).toBeGreaterThan(800);
    expect(infos[0]!.speechMs).toBeLessThan(1000);
  });

  it("keeps a real short answer, drops the same words on a short sound", async () => {
    expect((await hear(700, "Thank you.")).heard).toEqual(["Thank you."]);
    expect((await hear(280, "Thank you.")).heard).toEqual([]);
    expect((await hear(700, "Thanks for watching!")).heard).toEqual([]);
  });

  it("push-to-talk: counts the speech the VAD heard while recording, not the whole recording", async () => {
    const done = await hear(700, "Thank you.", { fromMs: 200, toMs: 2000, totalMs: 2500 });
    expect(done.infos).toHaveLength(1);
    expect(done.infos[0]!.speechMs).toBeGreaterThan(600);
    expect(done.infos[0]!.speechMs).toBeLessThan(800);
    expect(done.heard).toEqual(["Thank you."]);
    // Stopped while still speaking: the speech so far counts.
    const mid = await hear(1500, "Hello.", { fromMs: 200, toMs: 1200, totalMs: 2500 });
    expect(mid.infos[0]!.speechMs).toBeGreaterThan(600);
    expect(mid.infos[0]!.speechMs).toBeLessThan(800);
    // Nothing said: a phantom on a silent recording is dropped.
    const silent = await hear(0, "Thank you.", { fromMs: 200, toMs: 1500, totalMs: 2000 });
    expect(silent.infos[0]!.speechMs).toBe(0);
    expect(silent.heard).toEqual([]);
  });
});
