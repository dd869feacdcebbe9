import { basename } from "node:path";
import { UsageError } from "../core/errors.js";
import type { ChatEngine, ReplyResult } from "../llm/engine.js";
import type { AppController } from "../pipeline/app.js";
import { ChildPane } from "../pipeline/child-pane.js";
import { PtyChildTarget } from "../pipeline/child-target.js";
import { VoiceSession } from "../pipeline/session.js";
import { killAllChildrenSync } from "../pty/index.js";
import { mountWrapApp, paneLayout } from "../ui/WrapApp.js";
import { commandsSlash } from "./commands/commands.js";
import { prepare, type GlobalFlags } from "./context.js";
import { conversationForRun, type Conversation } from "./conversation.js";
import { presentConversation } from "./conversation-slash.js";
import { reportError } from "./errors.js";
import { runFrontEnd, uiFlushMs } from "./front-end.js";
import { closeVoiceIn, openVoiceIn, type VoiceInParts } from "./listen.js";
import { createRuntime, type Runtime } from "./runtime.js";
import { onTerminate } from "./signals.js";
import { openSpeechOut, voiceSpec, type SpeechOut } from "./speech.js";
import { attachVoice, type TuiVoice } from "./tui-voice.js";
import { hiddenCiEnv } from "./interactive.js";
import { NoticeRelay } from "./notices.js";

export interface WrapFlags extends GlobalFlags {
  resume?: boolean;
  session?: string;
}

/** The session's engine when no LLM is configured: wrap works without one (typed lines go to the child). */
class NoModelEngine implements ChatEngine {
  readonly modelName = "no model";
  reply(): Promise<ReplyResult> {
    return Promise.reject(
      new UsageError("NO_MODEL", "no LLM model configured", {
        hint: "Pass --model path/to/model.gguf to talk to a character beside the program.",
      }),
    );
  }
  rewriteLastReply(): void {}
  async reset(): Promise<void> {}
  history() {
    return [];
  }
  async dispose(): Promise<void> {}
}

/**
 * `roleplay wrap -- <command> [args]`: the program runs once in a pseudo-terminal for the whole
 * run, drawn in a pane of the TUI; voice dictates into it, "send" presses Enter, and the LLM
 * chat (when a model is configured) stays below it. Resolves with the exit code when the user quits.
 */
export async function runWrap(command: string, args: readonly string[], flags: WrapFlags): Promise<number> {
  const verbose = Boolean(flags.verbose);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    return reportError(
      new UsageError("NOT_A_TERMINAL", "roleplay wrap needs an interactive terminal", {
        hint: "Run it in a terminal, without redirecting its input or output.",
      }),
      { verbose },
    );
  }
  const loaded = await prepare(flags, { echoLogs: false });
  const config = loaded.config;
  const notices = new NoticeRelay();
  for (const m of loaded.warnings) notices.add(m);
  const notice = notices.add;
  let pane: ChildPane | undefined;
  let target: PtyChildTarget | undefined = undefined; // set once the session exists
  let runtime: Runtime | undefined;
  let ownSession: VoiceSession | undefined;
  let speech: SpeechOut | undefined;
  let parts: VoiceInParts | undefined;
  let voice: TuiVoice | undefined;
  let conversation: Conversation | undefined;
  let app: AppController | undefined;
  const say = (message: string, level: "info" | "warn" = "info"): void =>
    app?.session.emit({ type: "notice", level, message });
  const abort = new AbortController();
  const cleanup = async (): Promise<void> => {
    target?.dispose();
    await pane?.dispose(); // the child first: SIGTERM (and SIGHUP), SIGKILL after pty.killGraceMs
    // Stopping the listener releases the capture, VAD and whisper; without one, release them here.
    if (voice) await voice.stop();
    else await closeVoiceIn(parts, undefined);
    await runtime?.dispose();
    await ownSession?.dispose();
    conversation?.close();
    await speech?.dispose();
  };
  const release = onTerminate(async () => {
    killAllChildrenSync();
    abort.abort();
    await cleanup();
  });
  // A closed terminal: nobody is left to talk to; the child goes with us.
  const onHangup = (): void => {
    killAllChildrenSync();
    process.exit(129);
  };
  process.on("SIGHUP", onHangup);
  const unhook = (): void => {
    release();
    process.off("SIGHUP", onHangup);
  };
  const name = basename(command);
  try {
    pane = new ChildPane({
      command,
      args,
      env: hiddenCiEnv(),
      cols: process.stdout.columns || 80,
      rows: paneLayout(process.stdout.rows || 24).paneRows,
      killGraceMs: config.pty.killGraceMs,
      flushMs: uiFlushMs(config),
      onExit: (exit) => {
        const how = exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.code}`;
        say(
          `${name} ${how} — press Ctrl+R or say “restart” to start it again`,
          exit.code === 0 && !exit.signal ? "info" : "warn",
        );
      },
      onEnter: () => {
        target?.onSend();
        voice?.router.draft.clear();
        app?.patch({ draft: "" });
      },
      onIdleCtrlC: () => app?.ctrlC(),
      onError: (message) => say(message, "warn"),
    });
    await pane.start(); // a wrong command fails here, before any model is loaded
    if (config.model) {
      process.stderr.write(`Loading ${config.model}…\n`);
      conversation = await conversationForRun(config, flags, (message) => say(message, "warn"));
      if (conversation.notice) notice(conversation.notice);
    }
    parts = await openVoiceIn(config, notice);
    speech = await openSpeechOut(config, voiceSpec(config, conversation?.persona, loaded.sources), notice);
    const speechOptions = speech.speech ? { speech: speech.speech } : {};
    if (conversation) {
      runtime = await createRuntime(config, {
        signal: abort.signal,
        sources: loaded.sources,
        ...conversation.runtimeOptions(),
        ...speechOptions,
      });
    } else {
      ownSession = new VoiceSession({ engine: new NoModelEngine(), characterName: name, ...speechOptions });
    }
  } catch (err) {
    killAllChildrenSync();
    unhook();
    await cleanup();
    return reportError(err, { verbose });
  }
  const session = runtime?.session ?? (ownSession as VoiceSession);
  const livePane = pane;
  const conv = conversation;
  const child = new PtyChildTarget({
    child: livePane.child,
    speak: config.pty.speak,
    session,
    onRestart: () => {
      if (livePane.child.running) say(`${name} is running; “restart” starts it again after it exits`);
      else void livePane.restart();
    },
  });
  target = child;
  livePane.onResize((cols, rows) => child.resize(cols, rows));
  const rt = runtime;
  // Dictation is typed into the program as it is heard (it is not mirrored in the input line), so
  // a line typed in roleplay's input is sent to the program as it is.
  const typeLine = (line: string): boolean => {
    child.sendLine(line);
    return true;
  };
  return runFrontEnd({
    config,
    session,
    runtime: rt,
    hooks: {
      ...(rt && conv
        ? {
            onNewChat: async () => {
              await conv.startNew();
              await rt.session.newChat({ ...(rt.persona.greeting ? { greeting: rt.persona.greeting } : {}) });
            },
          }
        : {}),
      slash: { ...(conv?.slash ?? {}), ...commandsSlash(config, { child: true }) },
      onDraftEdited: (text) => voice?.router.setDraftText(text),
      onSubmitted: () => voice?.router.draft.clear(),
      onTalkKey: () => voice?.voice?.toggleRecording() ?? false,
      // Keys go to the input line only while the program's pane does not have focus.
      keyboardElsewhere: () => livePane.view.focus === "child",
      // "scroll up" scrolls whatever has focus: the program's screen, or the conversation.
      onScroll: (lines) => {
        if (livePane.view.focus !== "child") return false;
        livePane.scroll(lines);
        return true;
      },
      // Without an LLM, a line typed in roleplay's input goes to the program.
      ...(rt ? {} : { onLine: typeLine }),
    },
    start: (controller) => {
      app = controller;
      voice = attachVoice(
        controller,
        config,
        parts,
        speech ?? { speech: undefined, sink: undefined, engine: undefined, dispose: async () => {} },
        { child },
      );
      const instance = mountWrapApp({ app: controller, pane: livePane, user: config.userName }, { fps: config.ui.fps });
      if (conv && !presentConversation(controller, conv) && rt?.persona.greeting) {
        session.emit({ type: "cleared", greeting: rt.persona.greeting });
      }
      if (!rt) say(`no LLM model configured: what you type below and what you say go to ${name}`);
      for (const m of rt?.notices ?? []) notices.add(m);
      notices.attach((message) => session.emit({ type: "notice", level: "warn", message }));
      speech?.onLost(() => (session.speech = undefined));
      return instance;
    },
    cleanup: async () => {
      await cleanup();
      unhook();
    },
  });
}
