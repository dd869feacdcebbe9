import type { EventEmitter } from "node:events";
import { constants } from "node:os";
import type { IPty } from "node-pty";
import { errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { PtySpawnError } from "./errors.js";
import { keySequence, sanitizeTyped, TerminalModes, type PtyKey } from "./keys.js";
import { loadNodePty } from "./load.js";
import { signalSession, trackChild, untrackChild } from "./reaper.js";
import { checkCwd, resolveCommand } from "./resolve.js";

const log = getLogger("pty");

export interface PtyChildOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** Variables merged over process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  cols?: number;
  rows?: number;
  /** $TERM for the child; default xterm-256color (what @xterm/headless emulates). */
  term?: string;
  /** How long dispose() waits after SIGTERM before SIGKILL; default 2000 ms. */
  killGraceMs?: number;
}

export interface PtyExit {
  code: number;
  signal: NodeJS.Signals | undefined;
  /** True when roleplay ended it (dispose, restart); false when the program exited or crashed. */
  requested: boolean;
}

export type PtyDataListener = (data: string) => void;
export type PtyExitListener = (code: number, signal: NodeJS.Signals | undefined, exit: PtyExit) => void;

function signalName(n: number | undefined): NodeJS.Signals | undefined {
  if (!n) return undefined;
  return (Object.entries(constants.signals) as Array<[NodeJS.Signals, number]>).find(([, v]) => v === n)?.[0];
}

function emit<A extends unknown[]>(listeners: Set<(...args: A) => void>, ...args: A): void {
  for (const l of [...listeners]) {
    try {
      l(...args);
    } catch (err) {
      log.error("PTY listener threw", err);
    }
  }
}

/**
 * A program kept alive in a pseudo-terminal (node-pty, loaded lazily). Its exit is an event,
 * never a crash of roleplay; it never outlives roleplay (see killAllChildrenSync).
 */
export class PtyChild {
  readonly #options: PtyChildOptions;
  readonly #data = new Set<PtyDataListener>();
  readonly #exitListeners = new Set<PtyExitListener>();
  readonly #modes = new TerminalModes();
  #pty: IPty | undefined;
  #exited: Promise<void> = Promise.resolve();
  #starting: Promise<void> | undefined;
  #stopping = false;
  #disposed = false;
  #lastExit: PtyExit | undefined;
  #cols: number;
  #rows: number;

  constructor(options: PtyChildOptions) {
    this.#options = options;
    this.#cols = Math.max(1, Math.floor(options.cols ?? 80));
    this.#rows = Math.max(1, Math.floor(options.rows ?? 24));
  }

  get pid(): number | undefined {
    return this.#pty?.pid;
  }
  get running(): boolean {
    return this.#pty !== undefined;
  }
  get lastExit(): PtyExit | undefined {
    return this.#lastExit;
  }
  get size(): { cols: number; rows: number } {
    return { cols: this.#cols, rows: this.#rows };
  }
  /** The command line, for the UI ("bash --norc"). */
  get commandLine(): string {
    return [this.#options.command, ...(this.#options.args ?? [])].join(" ");
  }

  /** Start the program; resolves once it is spawned. Throws PtySpawnError or NativeModuleError. */
  start(): Promise<void> {
    if (this.#disposed) return Promise.reject(new PtySpawnError("PTY_DISPOSED", "the child program was disposed"));
    if (this.#pty) return Promise.resolve();
    this.#starting ??= this.#spawn().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #spawn(): Promise<void> {
    const { command, args = [], cwd = process.cwd() } = this.#options;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...this.#options.env })) if (v !== undefined) env[k] = v;
    env.TERM = this.#options.term ?? "xterm-256color";
    env.COLORTERM ??= "truecolor";
    checkCwd(cwd);
    resolveCommand(command, env.PATH ?? "", cwd); // throws a clear error before node-pty's child fails
    const nodePty = await loadNodePty();
    let pty: IPty;
    try {
      pty = nodePty.spawn(command, [...args], { name: env.TERM, cols: this.#cols, rows: this.#rows, cwd, env });
    } catch (err) {
      throw new PtySpawnError("PTY_SPAWN_FAILED", `could not start ${command}: ${errorMessage(err)}`, {
        hint: "Check the command and its arguments: roleplay wrap -- <command> [args]",
        cause: err,
      });
    }
    // node-pty rethrows socket errors other than EIO unless someone listens.
    (pty as unknown as EventEmitter).on?.("error", (err: unknown) => log.warn("PTY socket error", err));
    this.#pty = pty;
    this.#stopping = false;
    const pid = pty.pid;
    trackChild(pid);
    log.info("child started", { command: this.commandLine, pid });
    let resolveExited!: () => void;
    this.#exited = new Promise<void>((r) => (resolveExited = r));
    pty.onData((data) => {
      this.#modes.update(data);
      emit(this.#data, data);
    });
    pty.onExit(({ exitCode, signal }) => {
      if (this.#pty === pty) this.#pty = undefined;
      untrackChild(pid);
      // Whatever it left running in its terminal gets the hang-up a closing terminal would send.
      signalSession(pid, "SIGHUP", { leader: false });
      const exit: PtyExit = { code: exitCode, signal: signalName(signal), requested: this.#stopping };
      this.#lastExit = exit;
      log.info("child exited", { pid, ...exit });
      resolveExited();
      emit(this.#exitListeners, exit.code, exit.signal, exit);
    });
  }

  /** Write raw bytes (keystrokes forwarded from the TUI). False when the child is not running. */
  write(data: string): boolean {
    const pty = this.#pty;
    if (!pty || data.length === 0) return false;
    try {
      pty.write(data);
      return true;
    } catch (err) {
      log.warn("write to child failed", err);
      return false;
    }
  }

  /** Type dictated text (no Enter; line breaks become spaces). */
  type(text: string): boolean {
    return this.write(sanitizeTyped(text));
  }

  pressEnter(): boolean {
    return this.sendKey("enter");
  }

  sendKey(name: PtyKey): boolean {
    return this.write(keySequence(name, this.#modes));
  }

  /** The private modes the child has set (cursor keys, bracketed paste). */
  get modes(): Readonly<TerminalModes> {
    return this.#modes;
  }

  resize(cols: number, rows: number): void {
    this.#cols = Math.max(1, Math.floor(cols));
    this.#rows = Math.max(1, Math.floor(rows));
    try {
      this.#pty?.resize(this.#cols, this.#rows);
    } catch (err) {
      log.warn("resize failed", err);
    }
  }

  /** Stop the program if it runs (as dispose does), then start it again. */
  async restart(): Promise<void> {
    await this.#stop();
    await this.start();
  }

  onData(listener: PtyDataListener): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  onExit(listener: PtyExitListener): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  /** SIGTERM (and SIGHUP, as a closing terminal sends), then SIGKILL after the grace period; resolves when the child is gone. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#starting?.catch(() => undefined);
    await this.#stop();
    this.#data.clear();
    this.#exitListeners.clear();
  }

  async #stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    const pty = this.#pty;
    if (!pty) return;
    const pid = pty.pid;
    this.#stopping = true;
    const exited = this.#exited;
    signalSession(pid, "SIGHUP");
    signalSession(pid, "SIGTERM");
    if (await settlesWithin(exited, this.#options.killGraceMs ?? 2000)) return;
    log.warn("child ignored SIGTERM; sending SIGKILL", { pid });
    signalSession(pid, "SIGKILL");
    // The exit always follows a SIGKILL; the bound only guards against a lost event.
    if (!(await settlesWithin(exited, 10_000))) {
      log.error("child did not report its exit after SIGKILL", { pid });
      if (this.#pty === pty) this.#pty = undefined;
      untrackChild(pid);
    }
  }
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
