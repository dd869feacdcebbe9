import { errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { Store } from "../core/store.js";
import { PtyChild, PtyScreen, type PtyChildOptions, type PtyExit } from "../pty/index.js";

const log = getLogger("child-pane");

/** Ctrl+G moves the keyboard between the wrapped program and roleplay's input line. */
export const FOCUS_KEY = "\x07";
/** Ctrl+R restarts the program once it has exited (while it runs, Ctrl+R is the program's). */
export const RESTART_KEY = "\x12";
const CTRL_C = "\x03";

export interface ChildPaneView {
  /** Where keystrokes go: the program (its pane) or roleplay's input line. */
  focus: "child" | "app";
  running: boolean;
  pid: number | undefined;
  /** How the program last ended; undefined while it runs (or before it ever ran). */
  exit: PtyExit | undefined;
  /** A (re)start that failed. */
  error: string | undefined;
  /** Bumped when the screen changed (at most once per UI frame reaches subscribers). */
  frame: number;
  command: string;
}

export interface ChildPaneOptions extends PtyChildOptions {
  /** How often, at most, the UI hears of screen changes (ms); 1000 / ui.fps. */
  flushMs?: number;
  scrollback?: number;
  /** The program exited on its own (not by roleplay). */
  onExit?: (exit: PtyExit) => void;
  /** Enter was pressed in the program from the keyboard. */
  onEnter?: () => void;
  /** Ctrl+C while the program is not running (roleplay's Ctrl+C: stop, quit). */
  onIdleCtrlC?: () => void;
  /** A restart (key or voice) failed. */
  onError?: (message: string) => void;
}

/** Cursor keys as the outer terminal sends them, turned to what the program asked for (DECCKM). */
export function cursorKeys(data: string, application: boolean): string {
  // eslint-disable-next-line no-control-regex -- terminal key sequences
  return application ? data.replace(/\x1b\[([ABCDHF])/g, "\x1bO$1") : data.replace(/\x1bO([ABCDHF])/g, "\x1b[$1");
}

/**
 * The wrapped program and its screen, for the TUI: one PtyChild kept alive for the run, its
 * output emulated by a PtyScreen, keyboard focus, restart after an exit. React-free: the pane
 * component renders `screen.snapshot()` when `store` says the screen changed.
 */
export class ChildPane {
  readonly child: PtyChild;
  readonly screen: PtyScreen;
  readonly store: Store<ChildPaneView>;
  readonly #o: ChildPaneOptions;
  readonly #resizeListeners = new Set<(cols: number, rows: number) => void>();

  constructor(options: ChildPaneOptions) {
    this.#o = options;
    this.child = new PtyChild(options);
    const { cols, rows } = this.child.size;
    this.screen = new PtyScreen({
      cols,
      rows,
      ...(options.scrollback !== undefined ? { scrollback: options.scrollback } : {}),
    });
    this.store = new Store<ChildPaneView>(
      {
        focus: "child",
        running: false,
        pid: undefined,
        exit: undefined,
        error: undefined,
        frame: 0,
        command: this.child.commandLine,
      },
      options.flushMs ?? 33,
    );
    this.screen.onReply((data) => this.child.write(data));
    this.child.onData((data) => this.screen.write(data));
    this.screen.onUpdate(() => this.store.update((v) => ({ ...v, frame: v.frame + 1 })));
    this.child.onExit((_code, _signal, exit) => {
      this.store.update((v) => ({ ...v, running: false, pid: undefined, exit }));
      if (!exit.requested) this.#o.onExit?.(exit);
    });
  }

  get view(): ChildPaneView {
    return this.store.getState();
  }

  /** Start the program; throws PtySpawnError / NativeModuleError (the CLI reports them). */
  async start(): Promise<void> {
    await this.child.start();
    this.store.update((v) => ({ ...v, running: true, pid: this.child.pid, exit: undefined, error: undefined }));
  }

  /** Start the program again after it exited (Ctrl+R, "restart"). Does nothing while it runs. */
  async restart(): Promise<void> {
    if (this.child.running) return;
    try {
      this.screen.scrollToBottom();
      await this.start();
    } catch (err) {
      const message = `could not restart ${this.child.commandLine}: ${errorMessage(err)}`;
      log.warn(message);
      this.store.update((v) => ({ ...v, error: message }));
      this.#o.onError?.(message);
    }
  }

  setFocus(focus: ChildPaneView["focus"]): void {
    this.store.update((v) => (v.focus === focus ? v : { ...v, focus }));
  }

  toggleFocus(): void {
    this.setFocus(this.view.focus === "child" ? "app" : "child");
  }

  /**
   * A chunk of keyboard input as the terminal sent it. Ctrl+G switches focus (always); with the
   * program stopped, Ctrl+R restarts it and Ctrl+C goes to roleplay; everything else goes to the
   * program while its pane has focus, Enter, arrows and Ctrl+C included.
   */
  key(data: string): void {
    const parts = data.split(FOCUS_KEY);
    parts.forEach((part, i) => {
      if (i > 0) this.toggleFocus();
      if (part) this.#keys(part);
    });
  }

  #keys(data: string): void {
    if (!this.child.running) {
      if (data.includes(RESTART_KEY)) void this.restart();
      else if (data.includes(CTRL_C) && this.view.focus === "child") this.#o.onIdleCtrlC?.();
      return;
    }
    if (this.view.focus !== "child") return;
    if (this.screen.scrollOffset > 0) this.screen.scrollToBottom();
    this.child.write(cursorKeys(data, this.child.modes.applicationCursorKeys));
    if (/[\r\n]/.test(data)) this.#o.onEnter?.();
  }

  /** Scroll the pane into its scrollback: positive is up ("scroll up"); typing returns to the bottom. */
  scroll(lines: number): void {
    this.screen.scroll(-Math.trunc(lines));
    this.store.update((v) => ({ ...v, frame: v.frame + 1 }));
  }

  /** Follow the terminal's size: the program gets SIGWINCH and redraws. */
  resize(cols: number, rows: number): void {
    const c = Math.max(2, Math.floor(cols));
    const r = Math.max(2, Math.floor(rows));
    if (c === this.screen.cols && r === this.screen.rows) return;
    this.screen.resize(c, r);
    this.child.resize(c, r);
    for (const l of this.#resizeListeners) l(c, r);
    this.store.update((v) => ({ ...v, frame: v.frame + 1 }));
  }

  onResize(listener: (cols: number, rows: number) => void): () => void {
    this.#resizeListeners.add(listener);
    return () => this.#resizeListeners.delete(listener);
  }

  /** Stop the program (SIGTERM/SIGHUP, SIGKILL after the grace period) and free the screen. */
  async dispose(): Promise<void> {
    try {
      await this.child.dispose();
    } finally {
      this.screen.dispose();
      this.store.dispose();
    }
  }
}
