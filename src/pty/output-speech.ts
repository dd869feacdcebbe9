import type { IBuffer } from "@xterm/headless";
import { PtyScreen } from "./screen.js";

/*
 * Why an emulated screen and not stripped bytes: programs redraw. A progress bar rewrites one
 * line with "\r", a spinner with "\r" or cursor-left, an Ink-based coding CLI erases and
 * repaints its whole bottom region (cursor up + erase line) many times a second. Stripping
 * escape sequences (util.stripVTControlCharacters) from the byte stream keeps every
 * intermediate frame, so the same status line would be spoken dozens of times. Feeding the
 * bytes to @xterm/headless gives what the user actually sees; comparing that screen with the
 * screen at the moment of "send" gives the new lines, each once, as they settle.
 */

interface Turn {
  /** The cursor line at send, counted with the lines trimmed from the scrollback since. */
  origin: number;
  /** The buffer shown at send; while another one is shown (a full-screen program), nothing is spoken. */
  buffer: "normal" | "alternate";
  /** Lines on screen at send, by offset from the cursor line then. */
  before: Map<number, string>;
  /** First offset to read (the top of the screen at send, ≤ 0). */
  top: number;
  typed: string | undefined;
  /** Where the echo of the typed text was found, to skip it on later calls too. */
  echo: { rel: number; text: string } | undefined;
  spoken: Set<string>;
}

// Box drawing, block elements and the glyphs CLIs use as bullets or prompts.
const DECORATION = /[\u2500-\u259f\u23bf\u23fa●•◦▪▸▶►›❯❮»│┃]/gu;
// Spinner frames: braille dots, quarter circles, the star glyphs of "✻ Thinking…". ASCII
// spinners (| / - \) are not matched: "- item" and "| cell |" are real text.
const SPINNER = /^[\u2800-\u28ff◐◓◑◒◴◵◶◷✻✽✶✳✢✦✧·∙]\s/u;
// A bar of at least four block characters, or a line that starts with a percentage.
const PROGRESS = /[█▓▒░■□]{4,}|[#=]{4,}>?\s*\]|^[^\p{L}]*\d{1,3}(?:\.\d+)?\s?%/u;

/** Clean one screen line for speech; "" when nothing readable is left. */
export function speakableLine(raw: string): string {
  const trimmed = raw.trim();
  if (PROGRESS.test(trimmed)) return "";
  const text = trimmed.replace(DECORATION, " ").replace(/\s+/gu, " ").trim();
  if (!/[\p{L}\p{N}]/u.test(text) || SPINNER.test(trimmed) || SPINNER.test(text)) return "";
  return text;
}

function normalise(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** Logical lines (wrapped rows joined) of the buffer from `from` to `to` inclusive, with the row each starts on. */
function logicalLines(b: IBuffer, from: number, to: number): Array<{ row: number; end: number; text: string }> {
  const out: Array<{ row: number; end: number; text: string }> = [];
  for (let y = Math.max(0, from); y <= to; y++) {
    const line = b.getLine(y);
    if (!line) break;
    const last = out.at(-1);
    const text = line.translateToString(true);
    if (line.isWrapped && last) {
      last.text += text;
      last.end = y;
    } else out.push({ row: y, end: y, text });
  }
  return out;
}

/**
 * `pty.speak: new-output`: collects what the child prints after each send and hands out only
 * new, readable lines: no escape sequences, no "\r" overwrites, no spinner or progress frames,
 * no echo of the typed line, nothing that was already on screen, each line once.
 */
export class NewOutputCollector {
  readonly #screen: PtyScreen;
  #turn: Turn | undefined;
  /** Lines dropped from the top of the full scrollback: positions shift by this much. */
  #trimmed = 0;

  constructor(options: { cols?: number; rows?: number; scrollback?: number } = {}) {
    const scrollback = options.scrollback ?? 5000;
    this.#screen = new PtyScreen({ cols: options.cols, rows: options.rows, scrollback });
    // xterm's markers would follow a line, but erasing the line (a redraw) disposes them; count
    // trimmed lines instead: a scroll that leaves a full normal buffer as long as it was trimmed one.
    const term = this.#screen.terminal;
    let length = 0;
    term.onScroll(() => {
      const b = term.buffer.active;
      if (b.type !== "normal") return;
      if (b.length === length && b.length >= term.rows + scrollback) this.#trimmed += 1;
      length = b.length;
    });
  }

  /** The child's output, as received (keep the size in step with the child: resize). */
  push(data: string): void {
    this.#screen.write(data);
  }

  resize(cols: number, rows: number): void {
    this.#screen.resize(cols, rows);
  }

  /**
   * A send happened (call it as Enter is pressed); `typed` is the text typed, whose echo is
   * not spoken. Takes effect after the output pushed so far.
   */
  markSend(typed?: string): void {
    const t = typed === undefined ? undefined : normalise(typed);
    this.#screen.terminal.write("", () => this.#mark(t && t.length > 0 ? t : undefined));
  }

  #mark(typed: string | undefined): void {
    const term = this.#screen.terminal;
    const b = term.buffer.active;
    const line = b.baseY + b.cursorY;
    const before = new Map<number, string>();
    for (const l of logicalLines(b, b.viewportY, b.baseY + term.rows - 1))
      before.set(l.row - line, speakableLine(l.text));
    this.#turn = {
      origin: line + this.#trimmed,
      buffer: b.type,
      before,
      top: b.viewportY - line,
      typed,
      echo: undefined,
      spoken: new Set(),
    };
  }

  /** Resolves once everything pushed (and marked) so far has been parsed. */
  settled(): Promise<void> {
    return this.#screen.flush();
  }

  /**
   * New readable lines since the last send (and since the last call), joined with "\n"; "" when
   * none. The line the cursor is on is still being written and waits, unless `flush` (the child
   * exited).
   */
  takeSpeakable(options: { flush?: boolean } = {}): string {
    const turn = this.#turn;
    if (!turn) return "";
    const b = this.#screen.terminal.buffer.active;
    if (b.type !== turn.buffer) return "";
    const origin = turn.origin - this.#trimmed;
    const cursor = b.baseY + b.cursorY;
    const lines = logicalLines(b, origin + turn.top, options.flush ? b.length - 1 : cursor);
    if (!options.flush && lines.at(-1)?.end === cursor) lines.pop();
    // What was on screen at send, as a multiset: a line still in its place, or moved by a
    // redraw (an Ink status line pushed down by new output), is not new.
    const unused = new Map<string, number>();
    for (const text of turn.before.values()) if (text) unused.set(text, (unused.get(text) ?? 0) + 1);
    const fresh: Array<{ rel: number; text: string }> = [];
    for (const l of lines) {
      const rel = l.row - origin;
      const text = speakableLine(l.text);
      if (!text) continue;
      const count = unused.get(text) ?? 0;
      if (turn.before.get(rel) === text && count > 0) unused.set(text, count - 1);
      else fresh.push({ rel, text });
    }
    const out: string[] = [];
    for (const { rel, text } of fresh) {
      const count = unused.get(text) ?? 0;
      if (count > 0) {
        unused.set(text, count - 1);
        continue;
      }
      if (turn.echo ? turn.echo.rel === rel && turn.echo.text === text : turn.typed && text.includes(turn.typed)) {
        turn.echo = { rel, text }; // the echo of the typed line: the first new line that holds it
        continue;
      }
      if (turn.spoken.has(text)) continue;
      turn.spoken.add(text);
      out.push(text);
    }
    return out.join("\n");
  }

  dispose(): void {
    this.#turn = undefined;
    this.#screen.dispose();
  }
}
