import type { CaptureSource } from "../audio/source.js";
import type { ResolvedConfig } from "../config/schema.js";
import { errorMessage, UsageError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { VoiceSession } from "../pipeline/session.js";
import { VoiceInput, type HeardUtterance, type Transcriber } from "../pipeline/voice-in.js";
import type { FrameScorer } from "../vad/listen.js";

const log = getLogger("listen");

export interface VoiceInParts {
  source: CaptureSource;
  vad: FrameScorer & { dispose(): Promise<void> };
  transcriber: Transcriber & { dispose(): Promise<void> };
  clean: (text: string, info: { speechMs: number }) => string | null;
  /** The input is a file (real-time fed): the run ends when it ends. */
  fromFile: boolean;
}

/**
 * Open the microphone (or the WAV file of `audio.input`), the VAD and whisper. Returns undefined
 * with a notice when voice input is off or cannot work (no recorder, no device, no whisper model):
 * the app goes on in text mode. Bad model files are refused before native code sees them.
 */
async function openVoiceInParts(
  config: ResolvedConfig,
  notice: (m: string) => void,
): Promise<VoiceInParts | undefined> {
  const input = config.audio.input;
  if (input === "none" || input === "off") return undefined;
  const fromFile = input !== "mic";
  if (!config.asr.model) {
    notice(
      fromFile
        ? "no whisper model configured: cannot transcribe the audio input (set asr.model or --asr-model)"
        : "voice input is off: no whisper model configured (set asr.model, --asr-model, or `roleplay models pull whisper:base.en`)",
    );
    if (fromFile) {
      throw new UsageError("NO_ASR_MODEL", "--audio-in needs a whisper model", {
        hint: "Pass --asr-model path/to/ggml-model.bin (see `roleplay models pull whisper:base.en`).",
      });
    }
    return undefined;
  }
  const [{ checkWhisperModel }, { resolveModelFile }] = await Promise.all([
    import("../asr/check.js"),
    import("./resolve-models.js"),
  ]);
  const asrModel = await resolveModelFile(config.asr.model, "whisper", config.models.dir);
  await checkWhisperModel(asrModel);
  let source: CaptureSource;
  try {
    if (fromFile) {
      const { createWavSource } = await import("../audio/wav-source.js");
      source = await createWavSource(input, { realtime: true });
    } else {
      const { createMicSource } = await import("../audio/mic-source.js");
      source = await createMicSource({
        program: config.audio.recorder,
        ...(config.audio.inputDevice ? { device: config.audio.inputDevice } : {}),
      });
    }
  } catch (err) {
    if (fromFile) throw err;
    log.warn("no microphone", err);
    notice(`no microphone (${errorMessage(err)}); text mode`);
    return undefined;
  }
  const [{ SileroVad }, { WhisperTranscriber }, { cleanTranscript }] = await Promise.all([
    import("../vad/silero.js"),
    import("../asr/whisper.js"),
    import("../asr/filter.js"),
  ]);
  let vad: VoiceInParts["vad"] | undefined;
  try {
    vad = await SileroVad.load(config.vad.model ? { modelPath: config.vad.model } : {});
    const transcriber = await WhisperTranscriber.load(asrModel, {
      language: config.asr.language,
      ...(config.asr.initialPrompt ? { initialPrompt: config.asr.initialPrompt } : {}),
      ...(config.asr.threads !== "auto" ? { threads: config.asr.threads } : {}),
      sizeAudioContext: config.asr.sizeAudioContext,
    });
    return { source, vad, transcriber, clean: cleanTranscript, fromFile };
  } catch (err) {
    await vad?.dispose().catch(() => undefined);
    await source.dispose().catch(() => undefined);
    throw err;
  }
}

/**
 * Open voice input. With a microphone, anything that stops voice from working (a missing or
 * corrupt whisper or VAD model, an engine that will not load) is one notice and the app goes on
 * as a text chat; with `--audio-in file.wav` it is an error, since voice is the whole point.
 */
export async function openVoiceIn(
  config: ResolvedConfig,
  notice: (m: string) => void,
): Promise<VoiceInParts | undefined> {
  try {
    return await openVoiceInParts(config, notice);
  } catch (err) {
    const input = config.audio.input;
    if (input !== "mic") throw err;
    log.warn("voice input unavailable", err);
    const hint = (err as { hint?: string }).hint;
    notice(`voice input is off: ${errorMessage(err)}${hint ? ` (${hint})` : ""}; text mode`);
    return undefined;
  }
}

/** Start listening: utterances go to `route`; the end of the input is reported once. */
export function startListening(
  parts: VoiceInParts,
  session: VoiceSession,
  config: ResolvedConfig,
  options: {
    route: (u: HeardUtterance) => void;
    isPlaying: () => boolean;
    onEnd: (error?: unknown) => void;
    origin?: number;
    onRecordingChange?: (recording: boolean) => void;
  },
): VoiceInput {
  const voice = new VoiceInput({
    session,
    source: parts.source,
    vad: parts.vad,
    transcriber: parts.transcriber,
    clean: parts.clean,
    endpointer: {
      threshold: config.vad.threshold,
      minSpeechMs: config.vad.minSpeechMs,
      preRollMs: config.vad.preRollMs,
      silenceMs: config.vad.silenceMs,
      maxUtteranceMs: config.vad.maxUtteranceMs,
    },
    bargeIn: {
      enabled: config.audio.bargeIn.enabled,
      minSpeechMs: config.audio.bargeIn.minSpeechMs,
      // A file cannot hear the agent: no echo to guard against.
      headphones: config.audio.headphones || parts.fromFile,
    },
    mode: config.audio.mode,
    isPlaying: options.isPlaying,
    onUtterance: options.route,
    onEnd: ({ error }) => options.onEnd(error),
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
    ...(options.onRecordingChange ? { onRecordingChange: options.onRecordingChange } : {}),
  });
  voice.start();
  return voice;
}

export async function closeVoiceIn(parts: VoiceInParts | undefined, voice: VoiceInput | undefined): Promise<void> {
  await voice?.stop();
  if (!parts) return;
  await parts.source.dispose().catch(() => undefined);
  await parts.vad.dispose().catch(() => undefined);
  await parts.transcriber.dispose().catch(() => undefined);
}
