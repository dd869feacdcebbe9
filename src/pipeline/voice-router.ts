import {
  activeCommands,
  DictationDraft,
  isCommandName,
  matchCommand,
  resolvePhrases,
  type CommandName,
} from "../commands/index.js";
import { assertNever } from "../core/events.js";
import type { VoiceSession } from "./session.js";
import type { HeardUtterance } from "./voice-in.js";

/** A wrapped child program that dictation and child-directed commands go to. */
export interface ChildTarget {
  type(text: string): void;
  pressEnter(): void;
  sendKey(key: "enter" | "escape" | "up" | "down" | "tab" | "ctrl-c" | "y" | "n"): void;
  restart(): void;
  /** Delete the last `chars` characters typed on the current line ("clear", "scratch that"). */
  erase?(chars: number): void;
  /** Called when Enter is pressed on the child (so its new output can be spoken). */
  onSend?: () => void;
}

/** What the front end offers to voice commands. Headless runs give a subset. */
export interface CommandHost {
  scrollBy?(lines: number): void;
  newChat?(): Promise<void> | void;
  quit?(): void;
  setMuted?(muted: boolean): void;
  /** The draft changed (dictation): the TUI mirrors it in the input line. */
  onDraft?(text: string): void;
  onModeChange?(mode: "conversation" | "dictation"): void;
}

export interface VoiceRouterOptions {
  session: VoiceSession;
  host: CommandHost;
  enabled: boolean;
  wakePhrase: string | null;
  phrases?: Partial<Record<string, string[]>>;
  child?: ChildTarget;
}

/**
 * Routes each transcript: a voice command is executed (and shown as one), never sent; in dictation
 * mode text gathers in the draft; in conversation mode it is sent as a turn (or typed into the
 * wrapped child).
 */
export class VoiceRouter {
  readonly draft = new DictationDraft();
  /** Exactly what was typed into the wrapped program since the last send, piece by piece. */
  private typedPieces: string[] = [];
  mode: "conversation" | "dictation" = "conversation";
  private readonly phrases;
  private readonly active: Set<CommandName>;

  constructor(private readonly o: VoiceRouterOptions) {
    const custom: Partial<Record<CommandName, string[]>> = {};
    for (const [name, list] of Object.entries(o.phrases ?? {})) if (isCommandName(name) && list) custom[name] = list;
    this.phrases = resolvePhrases(custom);
    this.active = activeCommands({ child: Boolean(o.child) });
  }

  setMode(mode: "conversation" | "dictation"): void {
    this.mode = mode;
    this.o.host.onModeChange?.(mode);
  }

  /** Keyboard edits of the input line replace the draft's text. */
  setDraftText(text: string): void {
    this.draft.setText(text);
  }

  handle(u: HeardUtterance): void {
    const match = this.o.enabled
      ? matchCommand(u.text, { phrases: this.phrases, active: this.active, wakePhrase: this.o.wakePhrase })
      : { command: null, wake: "none" as const, text: u.text, count: 0 };
    if (match.wake === "missing") return;
    if (u.muted) {
      if (match.command === "unmute") this.execute("unmute", u.text, 1);
      return;
    }
    if (match.command) return this.execute(match.command, u.text, match.count);
    const text = match.text.trim();
    if (!text) return;
    if (this.mode === "dictation" || this.o.child) {
      if (this.o.child) {
        const piece = (this.typedPieces.length === 0 ? "" : " ") + text;
        this.o.child.type(piece);
        this.typedPieces.push(piece);
        this.draft.append(text);
        this.o.host.onDraft?.(this.draft.text);
        return;
      }
      this.draft.append(text);
      this.o.host.onDraft?.(this.draft.text);
      return;
    }
    void this.o.session.send(text, { source: "voice", startedAt: u.marks.speechEndMs, marks: u.marks });
  }

  /** Send the dictated draft (voice "send" or Enter). */
  sendDraft(): void {
    if (this.o.child) {
      this.o.child.pressEnter();
      this.o.child.onSend?.();
      this.typedPieces = [];
      this.draft.clear();
      this.o.host.onDraft?.("");
      return;
    }
    const text = this.draft.take();
    this.o.host.onDraft?.("");
    if (text.trim()) void this.o.session.send(text, { source: "voice" });
  }

  execute(command: CommandName, said: string, count = 1): void {
    const s = this.o.session;
    s.emit({ type: "command", command, text: said });
    const child = this.o.child;
    switch (command) {
      case "send":
        return this.sendDraft();
      case "clear":
        // What was typed into a wrapped program is taken back with backspaces.
        child?.erase?.(this.typedPieces.reduce((n, p) => n + p.length, 0));
        this.typedPieces = [];
        this.draft.clear();
        return this.o.host.onDraft?.("");
      case "scratch-that": {
        const last = this.typedPieces.pop();
        if (last) child?.erase?.(last.length);
        this.draft.scratchLast();
        return this.o.host.onDraft?.(this.draft.text);
      }
      case "stop":
        void s.interrupt("voice");
        return;
      case "repeat":
        void s.repeat();
        return;
      case "scroll-up":
        return this.o.host.scrollBy?.(10 * count);
      case "scroll-down":
        return this.o.host.scrollBy?.(-10 * count);
      case "new-chat":
        void this.o.host.newChat?.();
        return;
      case "mute":
        return this.o.host.setMuted?.(true);
      case "unmute":
        return this.o.host.setMuted?.(false);
      case "dictation-mode":
        return this.setMode("dictation");
      case "conversation-mode":
        return this.setMode("conversation");
      case "exit":
        return this.o.host.quit?.();
      case "restart":
        return child?.restart();
      case "yes":
      case "no":
      case "escape":
      case "up":
      case "down":
      case "tab":
      case "interrupt": {
        const key = command === "yes" ? "y" : command === "no" ? "n" : command === "interrupt" ? "ctrl-c" : command;
        for (let i = 0; i < Math.max(1, count); i++) child?.sendKey(key);
        return;
      }
      default:
        return assertNever(command);
    }
  }
}
