import { VoiceRouter } from "../pipeline/voice-router.js";
import type { VoiceInput } from "../pipeline/voice-in.js";
import type { SessionEvent } from "../core/events.js";
import { jsonEventWriter, textEventWriter } from "./headless.js";
import { closeVoiceIn, startListening, type VoiceInParts } from "./listen.js";
import type { Runtime } from "./runtime.js";
import type { SpeechOut } from "./speech.js";

/**
 * Headless voice: a WAV file (or the microphone) in, replies out (speaker, a WAV file, or nowhere).
 * With a file, the run ends when the file has been heard and the last reply has played, so a run
 * with --audio-in and --audio-out is a recording of the whole conversation.
 */
export async function runHeadlessVoice(
  runtime: Runtime,
  parts: VoiceInParts,
  speech: SpeechOut,
  options: { json: boolean; signal: AbortSignal },
): Promise<number> {
  const out = { write: (s: string) => process.stdout.write(s) };
  const err = { write: (s: string) => process.stderr.write(s) };
  const writer = options.json ? jsonEventWriter(out) : textEventWriter(out, err);
  let failed = false;
  const session = runtime.session;
  const off = session.on((e: SessionEvent) => {
    if (e.type === "error") failed = true;
    writer(e);
  });
  let quit: () => void = () => undefined;
  const quitRequested = new Promise<void>((resolve) => (quit = resolve));
  const router = new VoiceRouter({
    session,
    enabled: runtime.config.commands.enabled,
    wakePhrase: runtime.config.commands.wakePhrase,
    phrases: runtime.config.commands.phrases,
    host: { quit, newChat: () => session.newChat({ greeting: runtime.persona.greeting }) },
  });
  let inputEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (inputEnded = resolve));
  let voice: VoiceInput | undefined;
  try {
    if (options.json) writer({ type: "ready", model: runtime.engine.modelName, character: runtime.persona.name });
    voice = startListening(parts, session, runtime.config, {
      route: (u) => router.handle(u),
      isPlaying: () => (speech.sink?.pendingMs ?? 0) > 0,
      onEnd: (error) => {
        if (error)
          session.emit({ type: "notice", level: "warn", message: `audio input stopped: ${(error as Error).message}` });
        inputEnded();
      },
      // The output timeline starts with the input's: both count from this moment.
      origin: performance.now(),
    });
    const aborted = new Promise<void>((resolve) =>
      options.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    const why = await Promise.race([
      ended.then(() => "ended"),
      quitRequested.then(() => "quit"),
      aborted.then(() => "aborted"),
    ]);
    // At the end of the input, let the last utterance be transcribed and answered, then played
    // out; on "exit" or a signal, stop listening at once.
    if (why === "ended") await voice.drain();
    else await voice.stop();
    while (session.busy && !options.signal.aborted) await session.currentTurn?.done;
    if (!options.signal.aborted) await speech.sink?.whenIdle(options.signal).catch(() => undefined);
  } finally {
    await closeVoiceIn(parts, voice);
    off();
  }
  return failed ? 1 : 0;
}
