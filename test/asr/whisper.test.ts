import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanTranscript } from "../../src/asr/filter.js";
import { loadWhisperBinding, probeWhisperBinary, whisperBuildInfo } from "../../src/asr/native.js";
import { WhisperTranscriber, defaultThreads } from "../../src/asr/whisper.js";
import { NativeModuleError, isAbortError } from "../../src/core/errors.js";
import { tempDir } from "../helpers/env.js";
import { writeRandomWhisperModel } from "../helpers/whisper-model.js";
import { ESPEAK_SKIP, espeakPcm16k } from "./speech.js";

const tmp = tempDir("roleplay-asr-whisper-");
const modelPath = join(tmp.dir, "ggml-random-tiny.en.bin");
let whisper: WhisperTranscriber;
const speech = espeakPcm16k("Hello there. Please open the file and read it to me.");

beforeAll(async () => {
  process.env.XDG_CACHE_HOME = join(tmp.dir, "cache");
  await writeRandomWhisperModel(modelPath, { seed: 11 });
  whisper = await WhisperTranscriber.load(modelPath, { language: "auto", initialPrompt: "Roleplay, PTY." });
});
afterAll(async () => {
  await whisper?.dispose();
  tmp.cleanup();
});

describe("WhisperTranscriber on a random-weight tiny model", () => {
  it("loads, on the build whisperBuildInfo reports", () => {
    expect(whisper.model.type).toBe("tiny");
    expect(whisper.build).toEqual(whisperBuildInfo());
    expect(existsSync(whisper.build.path)).toBe(true);
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(!speech)(
    `transcribes ~3 s of espeak-ng speech into a string${speech ? "" : ` (${ESPEAK_SKIP})`}`,
    async () => {
      const pcm = speech!;
      expect(pcm.length / 16000).toBeGreaterThan(2);
      const result = await whisper.transcribe(pcm);
      expect(typeof result.text).toBe("string");
      expect(result.durationMs).toBe(Math.round(pcm.length / 16));
      expect(result.audioContext).toBeGreaterThan(0);
      for (const s of result.segments) {
        expect(s.startMs).toBeGreaterThanOrEqual(0);
        expect(s.endMs).toBeLessThanOrEqual(result.durationMs);
        expect(s.text.length).toBeGreaterThan(0);
      }
      // The filter accepts whatever whisper returns without throwing.
      expect(["string", "object"]).toContain(typeof cleanTranscript(result.text));
    },
  );

  it("pads a sub-second utterance instead of losing it", async () => {
    const short = speech ? speech.subarray(0, 8000) : new Float32Array(8000).fill(0.01);
    const result = await whisper.transcribe(short);
    expect(result.durationMs).toBe(500);
    // A random model emits a token before end-of-text: something came back from whisper.cpp.
    expect(result.text.length).toBeGreaterThan(0);
  });

  it("encodes the full 30 s window when asked not to size the audio context", async () => {
    const full = await WhisperTranscriber.load(modelPath, { sizeAudioContext: false, threads: 1 });
    try {
      const result = await full.transcribe(new Float32Array(16000));
      expect(result.audioContext).toBe(0);
    } finally {
      await full.dispose();
    }
  });

  it("runs calls one at a time and rejects an aborted call", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(whisper.transcribe(new Float32Array(16000), { signal: controller.signal })).rejects.toSatisfy(
      isAbortError,
    );
    const late = new AbortController();
    const [a, b] = await Promise.allSettled([
      whisper.transcribe(new Float32Array(16000)),
      whisper.transcribe(new Float32Array(16000), { signal: late.signal }).finally(() => undefined),
      Promise.resolve().then(() => late.abort()),
    ]);
    expect(a.status).toBe("fulfilled");
    expect(b.status).toBe("rejected");
    // Still usable afterwards.
    await expect(whisper.transcribe(new Float32Array(16000))).resolves.toHaveProperty("text");
  });

  it("refuses an unknown language code", async () => {
    const multi = join(tmp.dir, "multi.bin");
    await writeRandomWhisperModel(multi, { multilingual: true });
    await expect(WhisperTranscriber.load(multi, { language: "xx" })).rejects.toMatchObject({
      code: "WHISPER_LANGUAGE",
    });
  });

  it("rejects work after dispose", async () => {
    const other = await WhisperTranscriber.load(modelPath, { threads: 1 });
    await other.dispose();
    await other.dispose();
    await expect(other.transcribe(new Float32Array(16000))).rejects.toMatchObject({ code: "WHISPER_DISPOSED" });
  });
});

describe("whisper builds", () => {
  it("the portable build passes the child-process probe", () => {
    expect(probeWhisperBinary(whisperBuildInfo({ prefer: "portable" }).path)).toEqual({ ok: true });
  });

  it("a file that is not a whisper binary fails the probe without harming this process", () => {
    const verdict = probeWhisperBinary(join(tmp.dir, "missing.node"));
    expect(verdict.ok).toBe(false);
  });

  it("a binary that cannot be loaded becomes a NativeModuleError with a hint", () => {
    let err: unknown;
    try {
      loadWhisperBinding({ kind: "native", path: join(tmp.dir, "missing.node") });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NativeModuleError);
    expect(err).toMatchObject({ code: "WHISPER_LOAD_FAILED" });
    expect((err as NativeModuleError).hint).toMatch(/ROLEPLAY_WHISPER_BUILD=portable/);
  });

  it("reports the fast build when it is installed and works, else the portable one", () => {
    const info = whisperBuildInfo();
    expect(["native", "portable"]).toContain(info.kind);
    if (info.kind === "portable") expect(info.note).toBeTruthy();
    expect(info.path).toMatch(info.kind === "native" ? /build-native/ : /build[\\/]Release/);
  });
});
