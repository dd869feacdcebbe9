import { CLOSERS, SENTENCE_PUNCT, SOFT_PUNCT, decideDash, decideSentenceEnd, isSpace } from "./chunk-rules.js";
import { type ActionMode, MAX_SPAN_CHARS, cleanForSpeech, countWords } from "./clean.js";

export interface ClauseChunkerOptions {
  /** Words the first chunk needs before a comma, semicolon, colon or dash may end it (default 4). */
  firstMinWords?: number;
  /** Roleplay actions in asterisks: "skip" (default) drops them, "speak" says them (see CleanOptions). */
  actions?: ActionMode;
  /** Run-on text is cut near this many characters, at a comma if there is one, else at a space (default 220). */
  maxChars?: number;
}

/** A scan step: move on to `to`, cut a chunk that ends at `end`, or wait for more text. */
type Step = { kind: "advance"; to: number } | { kind: "cut"; end: number } | { kind: "need" };

/**
 * Cuts an LLM token stream into chunks for TTS. The first chunk leaves as soon as a clause is complete
 * (a sentence end, or a comma/semicolon/colon/dash after `firstMinWords` words); later chunks at sentence
 * ends, with a length fallback for run-on text. Code is never read aloud, and chunks come out cleaned
 * for speech. The chunks depend only on the text, never on how it was split into deltas.
 */
export class ClauseChunker {
  private readonly firstMinWords: number;
  private readonly actions: ActionMode;
  private readonly maxChars: number;
  private buf = "";
  private start = 0; // start of the current chunk in buf
  private pos = 0; // scan position
  private emitted = 0;
  private lastSoft = -1; // end of the last soft boundary in the current chunk
  private lastSpace = -1;

  constructor(opts: ClauseChunkerOptions = {}) {
    this.firstMinWords = opts.firstMinWords ?? 4;
    this.actions = opts.actions ?? "skip";
    this.maxChars = opts.maxChars ?? 220;
  }

  /** Add a delta of the stream; returns the chunks that are complete. */
  push(delta: string): string[] {
    this.buf += delta;
    return this.scan(false);
  }

  /** The stream ended: returns the remaining chunks and resets. */
  flush(): string[] {
    const out = this.scan(true);
    this.cut(this.buf.length, out);
    this.reset();
    return out;
  }

  reset(): void {
    this.buf = "";
    this.start = this.pos = this.emitted = 0;
    this.lastSoft = this.lastSpace = -1;
  }

  private scan(final: boolean): string[] {
    const out: string[] = [];
    while (this.pos < this.buf.length) {
      const step = this.step(this.pos, final, out);
      if (step.kind === "need") break;
      if (step.kind === "cut") {
        this.cut(step.end, out);
        continue;
      }
      this.pos = step.to;
      if (this.pos - this.start >= this.maxChars) this.cutRunOn(out);
    }
    // Keep the buffer small: drop what has been emitted.
    if (this.start > 4096) {
      const s = this.start;
      this.buf = this.buf.slice(s);
      this.start = 0;
      this.pos -= s;
      this.lastSoft = this.lastSoft >= s ? this.lastSoft - s : -1;
      this.lastSpace = this.lastSpace >= s ? this.lastSpace - s : -1;
    }
    return out;
  }

  private cut(end: number, out: string[]): void {
    if (end > this.start) {
      const text = cleanForSpeech(this.buf.slice(this.start, end), { actions: this.actions });
      if (text) {
        out.push(text);
        this.emitted++;
      }
    }
    this.start = this.pos = Math.max(end, this.start);
    this.lastSoft = this.lastSpace = -1;
  }

  private cutRunOn(out: string[]): void {
    const minEnd = this.start + Math.floor(this.maxChars / 4);
    const end = this.lastSoft > minEnd ? this.lastSoft : this.lastSpace > this.start ? this.lastSpace : this.pos;
    this.cut(end, out);
  }

  private step(i: number, final: boolean, out: string[]): Step {
    const b = this.buf;
    const c = b[i]!;
    if (c === "\n") return { kind: "cut", end: i + 1 };
    if (isSpace(c)) {
      this.lastSpace = i;
      return { kind: "advance", to: i + 1 };
    }
    if (c === "~" && b[i + 1] === undefined && !final) return { kind: "need" };
    if (c === "`" || (c === "~" && b[i + 1] === "~")) return this.code(i, final, out);
    if (c === "*" && this.actions === "skip") return this.action(i, final);
    if (SENTENCE_PUNCT.includes(c)) return this.punct(i, final, true);
    if (SOFT_PUNCT.includes(c)) return this.punct(i, final, false);
    if (c === "-" || c === "—" || c === "–") {
      const d = decideDash(b, i, final);
      if (d.decision === "need") return { kind: "need" };
      if (d.decision === "soft") return this.soft(d.end);
      return { kind: "advance", to: d.end };
    }
    return { kind: "advance", to: i + 1 };
  }

  /** A run of sentence (or soft) punctuation at i, with the quotes/brackets that close it. */
  private punct(i: number, final: boolean, sentence: boolean): Step {
    const b = this.buf;
    let j = i + 1;
    if (sentence) while (j < b.length && SENTENCE_PUNCT.includes(b[j]!)) j++;
    let k = j;
    while (k < b.length && CLOSERS.includes(b[k]!)) k++;
    if (k >= b.length) {
      if (!final) return { kind: "need" };
      return sentence ? { kind: "cut", end: k } : { kind: "advance", to: k };
    }
    if (!isSpace(b[k])) return { kind: "advance", to: j }; // 3.14, example.com, 1,000, "?!" inside a URL
    if (!sentence) return this.soft(k);
    const d = decideSentenceEnd(b, i, j, k, final);
    if (d === "need") return { kind: "need" };
    if (d === "end") return { kind: "cut", end: k };
    if (d === "soft") return this.soft(k);
    return { kind: "advance", to: k };
  }

  /** A clause boundary ending at `end`: cuts only the first chunk, and only after enough words. */
  private soft(end: number): Step {
    this.lastSoft = end;
    if (this.emitted === 0) {
      const words = countWords(cleanForSpeech(this.buf.slice(this.start, end), { actions: this.actions }));
      if (words >= this.firstMinWords) return { kind: "cut", end };
    }
    return { kind: "advance", to: end };
  }

  /** Code: a fence at a line start (cuts before it, skips to its end) or an inline span on one line. */
  private code(i: number, final: boolean, out: string[]): Step {
    const b = this.buf;
    const ch = b[i]!;
    let j = i;
    while (b[j] === ch) j++;
    if (j >= b.length && !final) return { kind: "need" };
    const n = j - i;
    let ls = i;
    while (ls > 0 && (b[ls - 1] === " " || b[ls - 1] === "\t")) ls--;
    const atLineStart = ls === 0 || b[ls - 1] === "\n";
    if (n >= 3 && atLineStart) {
      this.cut(ls, out); // what came before the code block leaves now
      const close = new RegExp(`\\n[ \\t]{0,3}${ch === "`" ? "`" : "~"}{${n},}[ \\t]*(?:\\n|$)`, "g");
      close.lastIndex = j;
      const m = close.exec(b);
      if (!m || (m.index + m[0].length >= b.length && !m[0].endsWith("\n") && !final)) {
        return final ? { kind: "cut", end: b.length } : { kind: "need" };
      }
      return { kind: "cut", end: m.index + m[0].length };
    }
    if (ch === "~") return { kind: "advance", to: j };
    // Inline code: the same run of backticks closes it on the same line, before a sentence ends and
    // within MAX_SPAN_CHARS; otherwise the backticks are stray and the text goes on as usual.
    for (let k = j; k < b.length; k++) {
      if (k - i >= MAX_SPAN_CHARS || b[k] === "\n") return { kind: "advance", to: j };
      if (SENTENCE_PUNCT.includes(b[k]!)) {
        if (k + 1 >= b.length) return final ? { kind: "advance", to: j } : { kind: "need" };
        if (isSpace(b[k + 1])) return { kind: "advance", to: j };
      }
      if (b[k] === "`") {
        let e = k;
        while (b[e] === "`") e++;
        if (e >= b.length && !final) return { kind: "need" };
        if (e - k === n) return { kind: "advance", to: e };
        k = e - 1;
      }
    }
    return final ? { kind: "advance", to: j } : { kind: "need" };
  }

  /**
   * A roleplay action (*smiles*) in skip mode is kept whole so that cleanForSpeech sees it whole and
   * can tell an action from emphasis. It must close within MAX_SPAN_CHARS; an asterisk between digits
   * (2*3) or one that never closes is stray, and the text goes on as usual.
   */
  private action(i: number, final: boolean): Step {
    const b = this.buf;
    if (b[i + 1] === undefined) return final ? { kind: "advance", to: i + 1 } : { kind: "need" };
    if (b[i + 1] === "*" || b[i - 1] === "*" || isSpace(b[i + 1])) return { kind: "advance", to: i + 1 };
    if (/\d/.test(b[i - 1] ?? "") && /\d/.test(b[i + 1]!)) return { kind: "advance", to: i + 1 };
    for (let k = i + 1; k < b.length && k - i < MAX_SPAN_CHARS; k++) {
      if (b[k] === "\n") {
        let e = k + 1;
        while (e < b.length && isSpace(b[e]) && b[e] !== "\n") e++;
        if (e >= b.length && !final) return { kind: "need" };
        if (b[e] === "\n") return { kind: "advance", to: i + 1 }; // a blank line ends any span
      }
      if (b[k] === "*") return { kind: "advance", to: isSpace(b[k - 1]) ? i + 1 : k + 1 };
    }
    if (b.length - i >= MAX_SPAN_CHARS || final) return { kind: "advance", to: i + 1 };
    return { kind: "need" };
  }
}
