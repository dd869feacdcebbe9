import { initialView, reduceView, type ConversationView } from "../core/conversation.js";
import type { SessionEvent } from "../core/events.js";
import { Store } from "../core/store.js";
import type { VoiceSession } from "./session.js";
import { runSlashCommand, type SlashContext } from "./slash.js";

export interface AppView extends ConversationView {
  /** The input line (also where dictation gathers). */
  draft: string;
  /** Lines scrolled up from the bottom of the conversation; 0 = following the end. */
  scroll: number;
  /** A panel of text shown above the input (help, search results), dismissed with Esc. */
  panel: { title: string; body: string } | undefined;
  /** Shown after a first Ctrl+C when nothing is running: a second one quits. */
  quitArmed: boolean;
  mode: "conversation" | "dictation";
  mic: "off" | "on" | "muted" | "unavailable";
  inputMode: "hands-free" | "push-to-talk";
  recording: boolean;
  quitting: boolean;
  model: string;
  character: string;
}

export interface AppHooks {
  /** Extra slash commands (sessions, characters) registered by the front end. */
  slash?: SlashContext["extra"];
  /** Called when the user asks to quit. */
  onQuit?: () => void;
  /** Called for /clear and "new chat". */
  onNewChat?: () => Promise<void>;
  /** The user edited the input line (dictation keeps its pieces in step). */
  onDraftEdited?: (text: string) => void;
  /** A line was submitted from the input (the dictation draft is spent). */
  onSubmitted?: () => void;
  /**
   * True while another part of the screen owns the keyboard (a wrapped program's pane). Checked
   * at each key press: a key that arrives right after a focus switch, before React has re-rendered,
   * must not reach both.
   */
  keyboardElsewhere?: () => boolean;
  /** The push-to-talk key; returns whether recording is now on. */
  onTalkKey?: () => boolean;
  /**
   * A typed line that is not a slash command; return true when the front end took it
   * (`roleplay wrap` without an LLM types it into the wrapped program).
   */
  onLine?: (line: string) => boolean;
  /** Scrolling ("scroll up", PgUp); return true when the front end took it (the child's pane has focus). */
  onScroll?: (lines: number) => boolean;
}

/**
 * The front-end controller: turns key presses and typed lines into session calls and keeps the
 * view store. React-free: the TUI renders `store` and calls these methods.
 */
export class AppController {
  readonly store: Store<AppView>;
  private quitTimer: NodeJS.Timeout | undefined;
  private readonly off: () => void;

  constructor(
    readonly session: VoiceSession,
    private readonly hooks: AppHooks = {},
    flushMs = 33,
  ) {
    this.store = new Store<AppView>(
      {
        ...initialView(session.state),
        draft: "",
        scroll: 0,
        panel: undefined,
        quitArmed: false,
        mode: "conversation",
        mic: "off",
        inputMode: "hands-free",
        recording: false,
        quitting: false,
        model: session.modelName,
        character: session.characterName,
      },
      flushMs,
    );
    this.off = session.on((e) => this.onEvent(e));
  }

  private onEvent(event: SessionEvent): void {
    this.store.update((v) => ({ ...v, ...reduceView(v, event) }));
  }

  patch(p: Partial<AppView>): void {
    this.store.update((v) => ({ ...v, ...p }));
  }

  /** Does the input line own the keyboard right now? */
  get inputOwnsKeyboard(): boolean {
    return !(this.hooks.keyboardElsewhere?.() ?? false);
  }

  /** A keyboard edit of the input line. */
  setDraft(draft: string): void {
    this.patch({ draft });
    this.hooks.onDraftEdited?.(draft);
  }

  /** Push-to-talk key (Ctrl+T): toggles recording when the microphone is in push-to-talk mode. */
  talkKey(): void {
    const v = this.store.getState();
    const why =
      v.mic === "unavailable" || v.mic === "off" || !this.hooks.onTalkKey
        ? "there is no working microphone (see `roleplay devices` and `roleplay doctor`)"
        : v.inputMode !== "push-to-talk"
          ? "the microphone is hands-free: start with --push-to-talk (or set audio.mode: push-to-talk)"
          : undefined;
    if (why || !this.hooks.onTalkKey) {
      this.session.emit({ type: "notice", level: "info", message: `push-to-talk: ${why}` });
      return;
    }
    this.patch({ recording: this.hooks.onTalkKey() });
  }

  /** Enter: a slash command, or a message to the character. */
  submit(text: string = this.store.getState().draft): void {
    const line = text.trim();
    this.patch({ draft: "", scroll: 0, quitArmed: false });
    this.hooks.onSubmitted?.();
    if (!line) return;
    if (line.startsWith("/")) {
      void runSlashCommand(line, {
        app: this,
        ...(this.hooks.slash ? { extra: this.hooks.slash } : {}),
      });
      return;
    }
    if (this.hooks.onLine?.(line)) return;
    void this.session.send(line, { source: "text" });
  }

  /** Esc: close a panel, else interrupt the reply. */
  escape(): void {
    if (this.store.getState().panel) return this.patch({ panel: undefined });
    void this.session.interrupt("escape");
  }

  /** Ctrl+C: interrupt a reply; when nothing runs, arm quitting; a second press quits. */
  ctrlC(): void {
    const v = this.store.getState();
    if (this.session.busy) {
      void this.session.interrupt("ctrl-c");
      this.armQuit();
      return;
    }
    if (v.quitArmed) return this.quit();
    this.armQuit();
  }

  private armQuit(): void {
    this.patch({ quitArmed: true });
    if (this.quitTimer) clearTimeout(this.quitTimer);
    this.quitTimer = setTimeout(() => this.patch({ quitArmed: false }), 3000);
    this.quitTimer.unref();
  }

  quit(): void {
    this.patch({ quitting: true });
    this.hooks.onQuit?.();
  }

  scrollBy(lines: number): void {
    if (this.hooks.onScroll?.(lines)) return;
    this.patch({ scroll: Math.max(0, this.store.getState().scroll + lines) });
  }

  showPanel(title: string, body: string): void {
    this.patch({ panel: { title, body } });
  }

  async newChat(): Promise<void> {
    this.patch({ scroll: 0, panel: undefined });
    if (this.hooks.onNewChat) await this.hooks.onNewChat();
    else await this.session.newChat();
  }

  dispose(): void {
    if (this.quitTimer) clearTimeout(this.quitTimer);
    this.off();
    this.store.dispose();
  }
}
