/**
 * Voice in, end of speech to transcript ready: espeak-ng utterances fed in real time through the
 * Silero endpointer and whisper (a random-weight tiny model, or ROLEPLAY_BENCH_WHISPER), split into
 * the end-of-turn decision (the silence hangover) and the transcription. Figures only.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WhisperTranscriber } from "../src/asr/whisper.js";
import { createWavSource } from "../src/audio/wav-source.js";
import { encodeWav } from "../src/audio/wav.js";
import type { ChatEngine } from "../src/llm/engine.js";
import { VoiceSession } from "../src/pipeline/session.js";
import { VoiceInput, type HeardUtterance } from "../src/pipeline/voice-in.js";
import { SileroVad } from "../src/vad/silero.js";
import { espeakAvailable, layout } from "../test/helpers/speech.js";
import { writeRandomWhisperModel } from "../test/helpers/whisper-model.js";
import { fmt, printTable, stats } from "./report.js";

/** No LLM here: utterances are only heard. */
const silentEngine: ChatEngine = {
  modelName: "none",
  reply: async () => ({
    text: "",
    interrupted: false,
    stopReason: "eogToken",
    timings: { firstTokenMs: undefined, totalMs: 0, tokens: 0, tokensPerSecond: undefined },
  }),
  rewriteLastReply: () => undefined,
  reset: async () => undefined,
  history: () => [],
  dispose: async () => undefined,
};

export async function run(): Promise<void> {
  if (!espeakAvailable()) {
    printTable("voice in", [{ name: "skipped", value: "espeak-ng is not installed" }]);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "roleplay-bench-voice-"));
  try {
    const whisperPath = process.env.ROLEPLAY_BENCH_WHISPER ?? join(dir, "whisper.bin");
    if (!process.env.ROLEPLAY_BENCH_WHISPER) await writeRandomWhisperModel(whisperPath);
    const texts = [
      "Hello there.",
      "What is the weather like today?",
      "Tell me a story about a dragon.",
      "Thanks, that was lovely.",
      "Good night.",
    ];
    const l = await layout(
      texts.map((text, i) => ({ text, atMs: 300 + i * 2600 })),
      300 + texts.length * 2600 + 800,
    );
    const wav = join(dir, "in.wav");
    writeFileSync(wav, encodeWav(l.samples, 16000));
    const [vad, whisper, source] = await Promise.all([
      SileroVad.load(),
      WhisperTranscriber.load(whisperPath),
      createWavSource(wav),
    ]);
    const session = new VoiceSession({ engine: silentEngine, characterName: "bench" });
    const heard: HeardUtterance[] = [];
    const voice = new VoiceInput({
      session,
      source,
      vad,
      transcriber: whisper,
      clean: (t) => t.trim() || "(empty)",
      bargeIn: { enabled: false, minSpeechMs: 300, headphones: true },
      isPlaying: () => false,
      onUtterance: (u) => heard.push(u),
      origin: performance.now(),
    });
    voice.start();
    await voice.drain();
    await voice.stop();
    await Promise.all([vad.dispose(), whisper.dispose(), source.dispose()]);
    const decide = stats(heard.map((u) => u.marks.endOfTurnMs - u.marks.speechEndMs));
    const transcribe = stats(heard.map((u) => u.marks.transcriptMs - u.marks.endOfTurnMs));
    const total = stats(heard.map((u) => u.marks.transcriptMs - u.marks.speechEndMs));
    printTable(
      `voice in: end of speech to transcript ready (${heard.length} utterances, whisper ${whisper.build.kind} build, ${whisper.model.type})`,
      [
        {
          name: "end of turn decided",
          value: `median ${fmt(decide.median)} ms, p95 ${fmt(decide.p95)} ms`,
          note: "the silence hangover, vad.silenceMs",
        },
        { name: "transcription", value: `median ${fmt(transcribe.median)} ms, p95 ${fmt(transcribe.p95)} ms` },
        { name: "speech end → transcript", value: `median ${fmt(total.median)} ms, p95 ${fmt(total.p95)} ms` },
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
