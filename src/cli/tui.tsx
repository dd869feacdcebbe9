import { render } from "ink";
import { App } from "../ui/App.js";
import { prepare, type GlobalFlags } from "./context.js";
import { reportError } from "./errors.js";
import { runFirstRun } from "./first-run.js";
import { closeVoiceIn, openVoiceIn, type VoiceInParts } from "./listen.js";
import { runFrontEnd } from "./front-end.js";
import { conversationForRun, type Conversation } from "./conversation.js";
import { presentConversation } from "./conversation-slash.js";
import { commandsSlash } from "./commands/commands.js";
import { createRuntime, type Runtime } from "./runtime.js";
import { onTerminate } from "./signals.js";
import { openSpeechOut, voiceSpec, type SpeechOut } from "./speech.js";
import { NoticeRelay } from "./notices.js";
import { attachVoice, type TuiVoice } from "./tui-voice.js";
import { requireTerminal } from "./interactive.js";

/** Mount the Ink TUI over one runtime. Resolves with the exit code when the user quits. */
export async function runTui(
  flags: GlobalFlags & { resume?: boolean; session?: string; yes?: boolean },
): Promise<number> {
  const loaded = await prepare(flags, { echoLogs: false });
  const config = loaded.config;
  // No model yet: offer the recommended set and download it (before Ink mounts).
  const setup = await runFirstRun(loaded, flags);
  if (setup.exitCode !== undefined) return setup.exitCode;
  requireTerminal("the chat");
  const notices = new NoticeRelay();
  for (const m of [...loaded.warnings, ...setup.notices]) notices.add(m);
  const notice = notices.add;
  let runtime: Runtime | undefined;
  let speech: SpeechOut | undefined;
  let parts: VoiceInParts | undefined;
  let voice: TuiVoice | undefined;
  let conversation: Conversation | undefined;
  const abort = new AbortController();
  const cleanup = async (): Promise<void> => {
    // Stopping the listener releases the capture, VAD and whisper; without one, release them here.
    if (voice) await voice.stop();
    else await closeVoiceIn(parts, undefined);
    await runtime?.dispose();
    conversation?.close();
    await speech?.dispose();
  };
  const release = onTerminate(async () => {
    abort.abort();
    await cleanup();
  });
  try {
    process.stderr.write(`Loading ${config.model ?? "model"}…\n`);
    conversation = await conversationForRun(config, flags, (message) =>
      runtime?.session.emit({ type: "notice", level: "warn", message }),
    );
    if (conversation.notice) notice(conversation.notice);
    const persona = conversation.persona;
    parts = await openVoiceIn(config, notice);
    speech = await openSpeechOut(config, voiceSpec(config, persona, loaded.sources), notice);
    runtime = await createRuntime(config, {
      signal: abort.signal,
      sources: loaded.sources,
      ...conversation.runtimeOptions(),
      ...(speech.speech ? { speech: speech.speech } : {}),
    });
  } catch (err) {
    release();
    await cleanup();
    return reportError(err, { verbose: Boolean(flags.verbose) });
  }
  const rt = runtime;
  const out = speech;
  const conv = conversation;
  return runFrontEnd({
    config,
    session: rt.session,
    runtime: rt,
    hooks: {
      onNewChat: async () => {
        await conv.startNew();
        await rt.session.newChat({ ...(rt.persona.greeting ? { greeting: rt.persona.greeting } : {}) });
      },
      slash: { ...conv.slash, ...commandsSlash(config) },
      onDraftEdited: (text) => voice?.router.setDraftText(text),
      onSubmitted: () => voice?.router.draft.clear(),
      onTalkKey: () => voice?.voice?.toggleRecording() ?? false,
    },
    start: (app) => {
      voice = attachVoice(app, config, parts, out);
      const instance = render(<App app={app} user={config.userName} />, {
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: config.ui.fps,
      });
      if (!presentConversation(app, conv) && rt.persona.greeting) {
        rt.session.emit({ type: "cleared", greeting: rt.persona.greeting });
        if (out.speech) void rt.session.say(rt.persona.greeting);
      }
      for (const m of rt.notices) notices.add(m);
      notices.attach((message) => rt.session.emit({ type: "notice", level: "warn", message }));
      out.onLost(() => (rt.session.speech = undefined));
      return instance;
    },
    cleanup: async () => {
      await cleanup();
      release();
    },
  });
}
