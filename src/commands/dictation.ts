/** Ends a sentence, possibly followed by closing quotes or brackets. */
const SENTENCE_END = /[.!?…。！？][)\]}"'”’»]*$/u;
/** A piece starting with one of these attaches to the previous one without a space. */
const ATTACHES = /^[,.;:!?…)\]}%”’»、，。！？]/u;
/** After one of these the next piece starts without a space. */
const OPENS = /[\s([{“‘«/-]$/u;

/**
 * The input draft of dictation mode: transcripts gather here as pieces until "send" takes them.
 * Pure state, no I/O. The text is kept exactly as shown (so keyboard edits round-trip), and the
 * pieces are remembered as end offsets into it, which makes "scratch that" cut precisely the
 * last piece, even after edits.
 */
export class DictationDraft {
  #text = "";
  #ends: number[] = [];

  /** The whole draft as it should be shown and sent. */
  get text(): string {
    return this.#text;
  }

  /** The dictated (or typed) pieces, oldest first. */
  get pieces(): string[] {
    const out: string[] = [];
    let start = 0;
    for (const end of this.#ends) {
      out.push(this.#text.slice(start, end).trim());
      start = end;
    }
    return out;
  }

  get isEmpty(): boolean {
    return this.#text.trim().length === 0;
  }

  /**
   * Add a transcript. Whitespace is collapsed; a space separates it from the previous piece
   * unless it starts with punctuation; its first letter is capitalised after a finished sentence.
   * Returns the new text.
   */
  append(piece: string): string {
    let clean = piece.replace(/\s+/gu, " ").trim();
    if (clean.length === 0) return this.#text;
    const before = this.#text;
    if (before.trim().length > 0 && SENTENCE_END.test(before.trimEnd())) clean = capitalise(clean);
    const sep = before.length === 0 || OPENS.test(before) || ATTACHES.test(clean) ? "" : " ";
    this.#text = before + sep + clean;
    this.#ends.push(this.#text.length);
    return this.#text;
  }

  /** Remove the last piece ("scratch that"); returns what was removed, or undefined when empty. */
  scratchLast(): string | undefined {
    const end = this.#ends.pop();
    if (end === undefined) return undefined;
    const start = this.#ends.at(-1) ?? 0;
    const removed = this.#text.slice(start, end).trim();
    this.#text = this.#text.slice(0, start).trimEnd();
    if (this.#ends.length > 0) this.#ends[this.#ends.length - 1] = this.#text.length;
    return removed;
  }

  clear(): void {
    this.#text = "";
    this.#ends = [];
  }

  /** The draft to send (trimmed), leaving the draft empty. */
  take(): string {
    const text = this.#text.trim();
    this.clear();
    return text;
  }

  /**
   * Replace the text after a keyboard edit. Pieces wholly before the first changed character are
   * kept; whatever follows them becomes one new piece, so "scratch that" then removes the edit.
   */
  setText(text: string): void {
    if (text === this.#text) return;
    let common = 0;
    const max = Math.min(text.length, this.#text.length);
    while (common < max && text.charCodeAt(common) === this.#text.charCodeAt(common)) common += 1;
    this.#ends = this.#ends.filter((end) => end <= common);
    this.#text = text;
    const last = this.#ends.at(-1) ?? 0;
    if (text.slice(last).trim().length > 0) this.#ends.push(text.length);
    else if (this.#ends.length > 0) this.#ends[this.#ends.length - 1] = text.length;
  }
}

function capitalise(text: string): string {
  const first = text.charAt(0);
  const upper = first.toUpperCase();
  return upper === first || upper.length !== 1 ? text : upper + text.slice(1);
}
