import { prepare, type GlobalFlags } from "./context.js";
import { readStdin, runHeadlessPrompts } from "./headless.js";
import { runHeadlessVoice } from "./headless-voice.js";
import { closeVoiceIn, openVoiceIn, type VoiceInParts } from "./listen.js";
import { metricsWriter } from "./metrics.js";
import { conversationForRun, type Conversation } from "./conversation.js";
import { createRuntime, type Runtime } from "./runtime.js";
import { onTerminate } from "./signals.js";
import { noSpeech, openSpeechOut, voiceSpec, type SpeechOut } from "./speech.js";
import { AbortError, UsageError } from "../core/errors.js";
import { reportError } from "./errors.js";
import { preferInteractiveUi } from "./interactive.js";
import { adoptFoundModels } from "./first-run.js";

export interface RootFlags extends GlobalFlags {
  prompt?: string;
  resume?: boolean;
  session?: string;
  yes?: boolean;
}

/** A WAV file as audio input means a scripted, headless run. */
function audioInIsFile(input: string | undefined): boolean {
  return input !== undefined && !["mic", "none", "off"].includes(input);
}

/** `roleplay` itself: the TUI, or headless with -p or a WAV file as input. Returns the exit code. */
export async function runRoot(flags: RootFlags): Promise<number> {
  if (flags.text && audioInIsFile(flags.audioIn)) {
    throw new UsageError("CONFLICTING_FLAGS", "--text turns audio off, but --audio-in names a file", {
      hint: "Drop --text to run the WAV file, or drop --audio-in for a text chat.",
    });
  }
  const headless = flags.prompt !== undefined || audioInIsFile(flags.audioIn);
  if (!headless) {
    preferInteractiveUi();
    const { runTui } = await import("./tui.js");
    return runTui(flags);
  }
  return runHeadless(flags);
}

async function runHeadless(flags: RootFlags): Promise<number> {
  const loaded = await prepare(flags);
  const config = loaded.config;
  await adoptFoundModels(loaded); // models placed in the models folder; headless never downloads
  const text = flags.prompt !== undefined;
  let runtime: Runtime | undefined;
  let speech: SpeechOut | undefined;
  let parts: VoiceInParts | undefined;
  let conversation: Conversation | undefined;
  const abort = new AbortController();
  let cleaned: () => void = () => undefined;
  const cleanedUp = new Promise<void>((resolve) => (cleaned = resolve));
  // On SIGINT/SIGTERM: stop generation, let the run flush its output (and the WAV file), then exit.
  const release = onTerminate(async () => {
    abort.abort();
    await runtime?.session.interrupt("signal");
    await cleanedUp;
  });
  const notice = (message: string): void => {
    if (flags.json) process.stdout.write(JSON.stringify({ type: "notice", level: "warn", message }) + "\n");
    else process.stderr.write(`roleplay: ${message}\n`);
  };
  try {
    // Ctrl+C while waiting on stdin must not wait for stdin to end.
    const stopped = new Promise<never>((_, reject) =>
      abort.signal.addEventListener("abort", () => reject(new AbortError("cancelled")), { once: true }),
    );
    stopped.catch(() => undefined);
    const prompt = flags.prompt === "-" ? await Promise.race([readStdin(), stopped]) : flags.prompt;
    if (text && !prompt?.trim()) {
      throw new UsageError("EMPTY_PROMPT", "the prompt is empty", {
        hint: 'Give text: roleplay -p "Hello", or pipe it: echo Hello | roleplay -p -',
      });
    }
    // A text prompt is answered in text unless an audio output was asked for.
    const wantsSpeech = !text || flags.audioOut !== undefined;
    if (!text) parts = await openVoiceIn(config, notice);
    conversation = await conversationForRun(config, flags, notice);
    if (conversation.notice) notice(conversation.notice);
    const persona = conversation.persona;
    if (wantsSpeech) speech = await openSpeechOut(config, voiceSpec(config, persona, loaded.sources), notice);
    runtime = await createRuntime(config, {
      signal: abort.signal,
      sources: loaded.sources,
      ...conversation.runtimeOptions(),
      ...(speech?.speech ? { speech: speech.speech } : {}),
    });
    for (const m of runtime.notices) notice(m);
    runtime.session.on(
      metricsWriter(config.log.metricsFile, { model: runtime.engine.modelName, character: runtime.persona.name }),
    );
    if (text) return await runHeadlessPrompts(runtime, [prompt ?? ""], { json: Boolean(flags.json) });
    if (!parts) return 2;
    return await runHeadlessVoice(runtime, parts, speech ?? noSpeech(), {
      json: Boolean(flags.json),
      signal: abort.signal,
    });
  } catch (err) {
    // Cancelled by SIGINT/SIGTERM: the signal handler exits with 130/143 once this cleans up.
    if (abort.signal.aborted) return 130;
    if (flags.json) {
      const e = err as { message?: string; hint?: string; code?: string };
      process.stdout.write(
        JSON.stringify({
          type: "error",
          message: e.message ?? String(err),
          ...(e.hint ? { hint: e.hint } : {}),
          ...(e.code ? { code: e.code } : {}),
        }) + "\n",
      );
    }
    return reportError(err, { verbose: Boolean(flags.verbose) });
  } finally {
    await closeVoiceIn(parts, undefined);
    await runtime?.dispose();
    conversation?.close();
    await speech?.dispose();
    cleaned();
    release();
  }
}
