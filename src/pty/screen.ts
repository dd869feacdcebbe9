import xtermHeadless from "@xterm/headless";
import type { IBuffer, IBufferCell, IDisposable, Terminal as XTerminal } from "@xterm/headless";
import { cellStyle, styleKey, type CellStyle } from "./style.js";

// @xterm/headless is CommonJS; Node's ESM loader only sees its default export.
const { Terminal } = xtermHeadless;

/** A run of neighbouring cells with one style; colours are names, "#rrggbb" or "ansi256(n)" (Ink <Text color>). */
export interface ScreenRun extends CellStyle {
  text: string;
}

export interface ScreenSnapshot {
  /** One array of runs per visible row; trailing unstyled blanks are dropped. */
  lines: ScreenRun[][];
  /** Cursor cell in the visible rows; not visible when hidden (DECTCEM) or scrolled out of view. */
  cursor: { x: number; y: number; visible: boolean };
  cols: number;
  rows: number;
  /** A full-screen program switched to the alternate buffer (no scrollback there). */
  alternate: boolean;
  /** Lines scrolled up from the bottom (0: following the output). */
  scrollOffset: number;
  title: string;
}

export interface PtyScreenOptions {
  cols?: number;
  rows?: number;
  /** Lines kept above the screen; default 1000. */
  scrollback?: number;
}

/** The child's screen, emulated with @xterm/headless (pure JS), read as styled runs for the TUI. */
export class PtyScreen {
  readonly #term: XTerminal;
  #cursorHidden = false;
  #title = "";
  readonly #disposables: IDisposable[] = [];

  constructor(options: PtyScreenOptions = {}) {
    this.#term = new Terminal({
      cols: Math.max(1, Math.floor(options.cols ?? 80)),
      rows: Math.max(1, Math.floor(options.rows ?? 24)),
      scrollback: options.scrollback ?? 1000,
      allowProposedApi: true,
    });
    const parser = this.#term.parser;
    const show = (visible: boolean) => (params: (number | number[])[]) => {
      if (params.includes(25)) this.#cursorHidden = !visible;
      return false; // let xterm handle the rest of the sequence as usual
    };
    this.#disposables.push(
      parser.registerCsiHandler({ prefix: "?", final: "h" }, show(true)),
      parser.registerCsiHandler({ prefix: "?", final: "l" }, show(false)),
      parser.registerEscHandler({ final: "c" }, () => {
        this.#cursorHidden = false;
        return false;
      }),
      this.#term.onTitleChange((t) => (this.#title = t)),
    );
  }

  /** The emulator itself, for readers in this folder (output speech). */
  get terminal(): XTerminal {
    return this.#term;
  }
  get cols(): number {
    return this.#term.cols;
  }
  get rows(): number {
    return this.#term.rows;
  }
  get alternate(): boolean {
    return this.#term.buffer.active.type === "alternate";
  }
  get scrollOffset(): number {
    const b = this.#term.buffer.active;
    return b.baseY - b.viewportY;
  }

  /** Feed the child's output. Parsing is asynchronous: await flush() before reading in tests. */
  write(data: string | Uint8Array): void {
    this.#term.write(data);
  }

  /** Resolves once everything written so far is parsed. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.#term.write("", resolve));
  }

  resize(cols: number, rows: number): void {
    this.#term.resize(Math.max(1, Math.floor(cols)), Math.max(1, Math.floor(rows)));
  }

  /** Scroll the view: negative is up into the scrollback, positive down; clamped. */
  scroll(lines: number): void {
    this.#term.scrollLines(Math.trunc(lines));
  }
  scrollToBottom(): void {
    this.#term.scrollToBottom();
  }

  /** Called after each chunk of output is parsed (throttle snapshots in the UI). */
  onUpdate(listener: () => void): () => void {
    const d = this.#term.onWriteParsed(listener);
    return () => d.dispose();
  }

  /** The terminal's answers to the program's queries (cursor position, device attributes): write them to the child. */
  onReply(listener: (data: string) => void): () => void {
    const d = this.#term.onData(listener);
    return () => d.dispose();
  }

  /** The visible rows as plain text, right-trimmed. */
  textLines(): string[] {
    const b = this.#term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.#term.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? "");
    return out;
  }

  /** The visible rows as styled runs. With `drawCursor`, the cursor cell is shown inverted. */
  snapshot(options: { drawCursor?: boolean } = {}): ScreenSnapshot {
    const b = this.#term.buffer.active;
    const { cols, rows } = this.#term;
    const y = b.baseY + b.cursorY - b.viewportY;
    const cursor = { x: Math.min(b.cursorX, cols - 1), y, visible: !this.#cursorHidden && y >= 0 && y < rows };
    const cell = b.getNullCell();
    const lines: ScreenRun[][] = [];
    for (let row = 0; row < rows; row++) {
      const cursorX = options.drawCursor && cursor.visible && row === cursor.y ? cursor.x : -1;
      lines.push(readRow(b, b.viewportY + row, cols, cell, cursorX));
    }
    return {
      lines,
      cursor,
      cols,
      rows,
      alternate: this.alternate,
      scrollOffset: this.scrollOffset,
      title: this.#title,
    };
  }

  dispose(): void {
    for (const d of this.#disposables.splice(0)) d.dispose();
    this.#term.dispose();
  }
}

function isBlank(cell: IBufferCell): boolean {
  const ch = cell.getChars();
  return (ch === "" || ch === " ") && cell.isBgDefault() && !cell.isInverse() && !cell.isUnderline();
}

function readRow(b: IBuffer, index: number, cols: number, cell: IBufferCell, cursorX: number): ScreenRun[] {
  const line = b.getLine(index);
  const runs: ScreenRun[] = [];
  if (!line) return runs;
  let end = Math.min(cols, line.length);
  while (end > 0 && line.getCell(end - 1, cell) && isBlank(cell)) end -= 1;
  end = Math.max(end, cursorX + 1);
  let lastKey = "";
  for (let x = 0; x < end; x++) {
    const got = line.getCell(x, cell);
    if (got && got.getWidth() === 0) continue; // the right half of a wide character
    const style: CellStyle = got ? cellStyle(got) : {};
    if (x === cursorX) {
      if (style.inverse) delete style.inverse;
      else style.inverse = true;
    }
    const width = got ? Math.max(1, got.getWidth()) : 1;
    let text = got?.getChars() || " ";
    if (got?.isInvisible()) text = " ".repeat(width);
    const key = styleKey(style);
    const last = runs.at(-1);
    if (last && key === lastKey) last.text += text;
    else runs.push({ text, ...style });
    lastKey = key;
  }
  return runs;
}
