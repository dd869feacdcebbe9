import type { PlaybackSink } from "../audio/playback.js";
import type { ResolvedConfig } from "../config/schema.js";
import { errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { SpeechOptions } from "../pipeline/session.js";
import { ClauseChunker } from "../tts/chunker.js";
import type { TtsEngine, VoiceSpec } from "../tts/engine.js";
import type { Persona } from "./persona.js";

const log = getLogger("speech");

export interface SpeechOut {
  speech: SpeechOptions | undefined;
  sink: PlaybackSink | undefined;
  engine: TtsEngine | undefined;
  /** Called once if the output device fails mid-run (the sink then plays nothing): stop speaking. */
  onLost(handler: () => void): void;
  dispose(): Promise<void>;
}

/** Text-only replies. */
export function noSpeech(): SpeechOut {
  return { speech: undefined, sink: undefined, engine: undefined, onLost: () => undefined, dispose: async () => {} };
}

/** The voice to use: config (flags included) over the character's own voice. */
export function voiceSpec(
  config: ResolvedConfig,
  persona: Pick<Persona, "voice"> | undefined,
  sources?: Map<string, { kind: string }>,
): VoiceSpec {
  const v = persona?.voice ?? {};
  // A character's voice applies unless the user set tts.* explicitly (file, env or flag).
  const userSet = (key: string): boolean => (sources?.get(key)?.kind ?? "default") !== "default";
  const engine = userSet("tts.engine") ? config.tts.engine : (v.engine ?? config.tts.engine);
  const voice = userSet("tts.voice") ? config.tts.voice : (v.voice ?? config.tts.voice);
  const speaker = userSet("tts.speaker") ? config.tts.speaker : (v.speaker ?? config.tts.speaker);
  const speed = userSet("tts.speed") ? config.tts.speed : (v.speed ?? config.tts.speed);
  return {
    engine,
    ...(voice !== undefined ? { voice } : {}),
    ...(speaker !== undefined ? { speaker } : {}),
    ...(speed !== undefined ? { speed } : {}),
  };
}

/**
 * Open the TTS engine and the playback sink for `audio.output`. Nothing here is fatal: a missing
 * espeak-ng, a broken voice or no sound card become one notice and text-only replies.
 */
export async function openSpeechOut(
  config: ResolvedConfig,
  spec: VoiceSpec,
  notice: (message: string) => void,
): Promise<SpeechOut> {
  const none = noSpeech();
  if (config.audio.output === "none" || spec.engine === "none") return none;
  const [{ createTtsEngine }, { openPlaybackSink }] = await Promise.all([
    import("../tts/engine.js"),
    import("../audio/playback.js"),
  ]);
  let engine: TtsEngine;
  try {
    const { resolveModelFile } = await import("./resolve-models.js");
    const voice =
      spec.engine === "piper" && spec.voice
        ? await resolveModelFile(spec.voice, "piper", config.models.dir)
        : spec.voice;
    engine = await createTtsEngine(voice === spec.voice ? spec : { ...spec, voice });
  } catch (err) {
    log.warn("TTS unavailable", err);
    const hint = (err as { hint?: string }).hint;
    notice(`speech is off: ${errorMessage(err)}${hint ? ` (${hint})` : ""}`);
    return none;
  }
  let sink: PlaybackSink;
  let sinkRef: PlaybackSink | undefined;
  let lost: (() => void) | undefined;
  try {
    sink = await openPlaybackSink({
      output: config.audio.output,
      ...(config.audio.outputDevice ? { device: config.audio.outputDevice } : {}),
      sampleRate: engine.sampleRate,
      onNotice: (message) => {
        notice(message);
        // The speaker failed mid-run and the sink fell back to silence: replies become text only.
        queueMicrotask(() => {
          if (sinkRef?.kind === "null" && lost) {
            const handler = lost;
            lost = undefined;
            handler();
          }
        });
      },
    });
    sinkRef = sink;
  } catch (err) {
    await engine.dispose();
    notice(`audio output unavailable: ${errorMessage(err)}`);
    return none;
  }
  if (sink.kind === "null") {
    // No device works (the notice was given): speaking into nothing would only delay the replies.
    await sink.close().catch(() => undefined);
    await engine.dispose();
    return none;
  }
  const actions = config.tts.actions;
  return {
    engine,
    sink,
    speech: { engine, sink, chunker: () => new ClauseChunker({ actions }) },
    onLost: (handler) => {
      lost = handler;
    },
    async dispose() {
      await sink.close().catch((err: unknown) => log.warn("closing the sink failed", err));
      await engine.dispose().catch(() => undefined);
    },
  };
}
