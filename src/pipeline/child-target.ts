import { stripVTControlCharacters } from "node:util";
import { errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { NewOutputCollector, type PtyChild, type PtyKey } from "../pty/index.js";
import type { VoiceSession } from "./session.js";
import type { ChildTarget } from "./voice-router.js";

const log = getLogger("child-target");

/** What spoken output needs from the session: say() is interruptible (barge-in, "stop"). */
export type ChildSpeaker = Pick<VoiceSession, "say" | "busy" | "currentTurn">;

export interface PtyChildTargetOptions {
  child: PtyChild;
  /** `pty.speak`: "new-output" speaks what the child prints after each send. Default "off". */
  speak?: "off" | "new-output";
  /** Where spoken output goes; required for "new-output". */
  session?: ChildSpeaker;
  /** Quiet time after the child's last output before it is spoken; default 700 ms. */
  settleMs?: number;
  /** Longest text spoken per batch (characters); the rest is summarised as "and more". Default 1500. */
  maxChars?: number;
  /** Voice "restart": default restarts the child only when it is not running. */
  onRestart?: () => void;
  /** Called with each text handed to say() (the UI may show it; tests observe it). */
  onSpeak?: (text: string) => void;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf("\n", max);
  return `${text.slice(0, cut > 0 ? cut : max)}\n… and more output.`;
}

/**
 * The PTY child as the voice router's target: dictated text is typed, "send" presses Enter,
 * child commands press keys. With `speak: "new-output"`, the output that follows each send is
 * collected on an emulated screen (no escape sequences, redraws or echo) and spoken once it
 * settles; an interrupted reading ("stop", barge-in) drops the rest of that send's output.
 */
export class PtyChildTarget implements ChildTarget {
  readonly #o: PtyChildTargetOptions;
  readonly #collector: NewOutputCollector | undefined;
  readonly #off: Array<() => void> = [];
  #typed = "";
  /** The child's output since the typing began (plain text), to tell whether the echo already came. */
  #sinceTyped = "";
  /** Counts sends: output of an older send is not spoken once a new send happened. */
  #generation = 0;
  #active = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(options: PtyChildTargetOptions) {
    this.#o = options;
    const child = options.child;
    if (options.speak === "new-output" && options.session) {
      const collector = new NewOutputCollector(child.size);
      this.#collector = collector;
      this.#off.push(
        child.onData((data) => {
          collector.push(data);
          if (this.#typed)
            this.#sinceTyped = (this.#sinceTyped + stripVTControlCharacters(data)).slice(
              -(4 * this.#typed.length + 400),
            );
          if (this.#active) this.#schedule();
        }),
        child.onExit(() => {
          if (this.#active) void this.#take(true);
        }),
      );
    }
  }

  type(text: string): void {
    if (this.#o.child.type(text)) this.#typed += text;
  }

  pressEnter(): void {
    this.#o.child.pressEnter();
  }

  /** Delete the last `chars` typed characters of the line being dictated (backspaces). */
  erase(chars: number): void {
    const n = Math.min(chars, this.#typed.length);
    if (n <= 0) return;
    if (this.#o.child.write("\x7f".repeat(n))) this.#typed = this.#typed.slice(0, this.#typed.length - n);
  }

  sendKey(key: PtyKey): void {
    this.#o.child.sendKey(key);
  }

  restart(): void {
    if (this.#o.onRestart) return this.#o.onRestart();
    if (this.#o.child.running) return;
    this.#o.child.restart().catch((err: unknown) => log.warn("restart failed", err));
  }

  /** Enter was pressed in the child (by the router after "send", or by the keyboard). */
  readonly onSend = (): void => {
    const typed = this.#typed;
    const compact = (t: string): string => t.replace(/\s+/gu, "");
    // The echo already on screen is not new output; telling the collector about the typed text
    // then would make it skip the first answer line that quotes it ("you said hello world").
    const echoed = compact(this.#sinceTyped).includes(compact(typed));
    this.#typed = "";
    this.#sinceTyped = "";
    if (!this.#collector) return;
    this.#generation += 1;
    this.#active = true;
    this.#stopped = false;
    this.#collector.markSend(echoed ? undefined : typed);
  };

  /** Type a whole line and press Enter (a line typed in roleplay's input when there is no LLM). */
  sendLine(line: string): void {
    this.type(line);
    this.pressEnter();
    this.onSend();
  }

  /** Keep the collector's screen the child's size. */
  resize(cols: number, rows: number): void {
    this.#collector?.resize(cols, rows);
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#take(false);
    }, this.#o.settleMs ?? 700);
  }

  async #take(flush: boolean): Promise<void> {
    const collector = this.#collector;
    if (!collector || this.#disposed) return;
    await collector.settled();
    if (this.#disposed) return;
    const text = collector.takeSpeakable({ flush });
    if (flush) this.#active = false;
    if (!text) return;
    const generation = this.#generation;
    const spoken = shorten(text, this.#o.maxChars ?? 1500);
    this.#queue = this.#queue.then(() => this.#say(spoken, generation));
    await this.#queue;
  }

  async #say(text: string, generation: number): Promise<void> {
    const session = this.#o.session;
    if (!session || this.#disposed || this.#stopped || generation !== this.#generation) return;
    // Let a reply (or reading) in progress finish rather than cutting it off.
    while (session.busy) await session.currentTurn?.done;
    if (this.#disposed || this.#stopped || generation !== this.#generation) return;
    this.#o.onSpeak?.(text);
    try {
      const saying = session.say(text);
      const turn = session.currentTurn; // say() makes its turn current at once when the session is idle
      await saying;
      if (turn?.interrupted && generation === this.#generation) this.#stopped = true;
    } catch (err) {
      log.warn("speaking the child's output failed", { error: errorMessage(err) });
    }
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const off of this.#off.splice(0)) off();
    this.#collector?.dispose();
  }
}
