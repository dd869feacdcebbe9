/** Keys roleplay can press in the PTY child (voice commands and the TUI's key forwarding). */
export type PtyKey =
  "enter" | "escape" | "up" | "down" | "left" | "right" | "tab" | "backspace" | "ctrl-c" | "ctrl-d" | "y" | "n";

const FIXED: Record<Exclude<PtyKey, "up" | "down" | "left" | "right">, string> = {
  enter: "\r",
  escape: "\x1b",
  tab: "\t",
  backspace: "\x7f",
  "ctrl-c": "\x03",
  "ctrl-d": "\x04",
  y: "y",
  n: "n",
};
const ARROWS = { up: "A", down: "B", right: "C", left: "D" } as const;

/**
 * The bytes a terminal sends for a key. Arrows depend on the cursor-key mode the program
 * asked for (DECCKM): "ESC [ A" normally, "ESC O A" in application mode (vim, less, readline).
 */
export function keySequence(key: PtyKey, modes: { applicationCursorKeys?: boolean } = {}): string {
  if (key === "up" || key === "down" || key === "left" || key === "right") {
    return (modes.applicationCursorKeys ? "\x1bO" : "\x1b[") + ARROWS[key];
  }
  return FIXED[key];
}

/** Follows the private modes (DECSET/DECRST) the child sets in its output, across chunk boundaries. */
export class TerminalModes {
  applicationCursorKeys = false;
  bracketedPaste = false;
  #carry = "";

  update(data: string): void {
    const text = this.#carry + data;
    // eslint-disable-next-line no-control-regex -- matching terminal escape sequences
    for (const m of text.matchAll(/\x1b(?:\[\?([\d;]*)([hl])|c)/g)) {
      if (m[2] === undefined) {
        this.applicationCursorKeys = this.bracketedPaste = false; // RIS: full reset
        continue;
      }
      const on = m[2] === "h";
      for (const p of (m[1] ?? "").split(";")) {
        if (p === "1") this.applicationCursorKeys = on;
        else if (p === "2004") this.bracketedPaste = on;
      }
    }
    // Keep a possibly unfinished sequence for the next chunk (re-reading a finished one is harmless).
    const esc = text.lastIndexOf("\x1b");
    this.#carry = esc >= 0 && text.length - esc < 24 ? text.slice(esc) : "";
  }
}

/**
 * Make dictated text safe to type: line breaks and tabs become spaces (a newline would press
 * Enter, a tab would complete), other control characters are dropped.
 */
export function sanitizeTyped(text: string): string {
  return (
    text
      .replace(/[\r\n\t]+/g, " ")
      // eslint-disable-next-line no-control-regex -- removing control characters
      .replace(/[\x00-\x1f\x7f\x80-\x9f]/g, "")
      .normalize("NFC")
  );
}
