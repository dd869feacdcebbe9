/**
 * Where espeak-ng ends its clauses, and with which terminator. Piper's phonemizer calls espeak-ng's
 * espeak_TextToPhonemesWithTerminator clause by clause and appends the clause's punctuation to its
 * phonemes; the espeak-ng program prints the phonemes of each clause on a line but not the
 * punctuation. This follows the punctuation rules of espeak-ng's ReadClause (readclause.c) so the
 * terminator of each printed line can be put back.
 */

/** "" when Piper appends nothing (no punctuation, paragraph, ellipsis, CJK full stop, clause too long). */
export type Terminator = "" | "." | "?" | "!" | "," | ":" | ";";

export interface EspeakClause {
  text: string;
  terminator: Terminator;
  /** The clause ends a sentence (Piper starts a new inference after it). */
  sentenceEnd: boolean;
}

interface Punct {
  /** What Piper appends ("" when the clause type carries extra flags and matches none of its cases). */
  term: Terminator;
  sentence: boolean;
  /** Ends a clause even without a space after it (CJK punctuation, inverted marks, ellipsis). */
  optionalSpace: boolean;
}

const P = (term: Terminator, sentence: boolean, optionalSpace = false): Punct => ({ term, sentence, optionalSpace });
const PUNCT = new Map<string, Punct>([
  [".", P(".", true)],
  ["?", P("?", true)],
  ["!", P("!", true)],
  [",", P(",", false)],
  [":", P(":", false)],
  [";", P(";", false)],
  ["\u037e", P("?", true)], // Greek question mark
  ["\u0589", P(".", true)],
  ["\u06d4", P(".", true)],
  ["\u061f", P("?", true)],
  ["\u060c", P(",", false)],
  ["\u061b", P(";", false)],
  ["\u0964", P(".", true)],
  ["\u0965", P(".", true)],
  ["\u2013", P(";", false)], // en dash (extended dash: a plain semicolon clause)
  ["\u2014", P(";", false)], // em dash
  ["\u2026", P("", false, true)], // ellipsis
  ["\u00a1", P("", false, true)], // ¡
  ["\u00bf", P("", false, true)], // ¿
  ["\u3002", P("", true, true)], // 。
  ["\uff0e", P("", true, true)],
  ["\uff61", P("", true, true)],
  ["\uff1f", P("", true, true)], // ？
  ["\uff01", P("", true, true)], // ！
  ["\u3001", P("", false, true)], // 、
  ["\uff0c", P("", false, true)], // ，
  ["\uff1a", P("", false, true)], // ：
  ["\uff1b", P("", false, true)], // ；
]);

const BRACKETS = new Set([
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "<",
  ">",
  '"',
  "'",
  "`",
  "«",
  "»",
  "〈",
  "〉",
  "《",
  "》",
  "「",
  "」",
  "『",
  "』",
  "【",
  "】",
]);
const isBracket = (c: string): boolean => BRACKETS.has(c) || (c >= "\u2018" && c <= "\u201f");
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);
const isAlnum = (c: string): boolean => /[\p{L}\p{N}]/u.test(c);
const isLower = (c: string | undefined): boolean => c !== undefined && /\p{Ll}/u.test(c);
const utf8Len = (c: string): number => Buffer.byteLength(c, "utf8");

/** espeak-ng reads clauses into an 800-byte buffer and breaks long ones near its end. */
const CLAUSE_BYTES = 800 - 75;

/** Normalise whitespace the way it matters to espeak: a blank line is a paragraph, other breaks are spaces. */
export function normalizeForEspeak(text: string): string {
  return text
    .split(/\n[^\S\n]*\n\s*/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}

/** Split text into espeak-ng's clauses (text already normalised with normalizeForEspeak). */
export function splitEspeakClauses(text: string): EspeakClause[] {
  const cps = Array.from(text);
  const n = cps.length;
  const out: EspeakClause[] = [];
  let start = 0;
  let anyAlnum = false;
  let bytes = 0;
  const emit = (end: number, next: number, terminator: Terminator, sentenceEnd: boolean): void => {
    out.push({ text: cps.slice(start, end).join(""), terminator, sentenceEnd });
    start = next;
    anyAlnum = false;
    bytes = 0;
  };
  let i = 0;
  while (i < n) {
    let c1 = cps[i]!;
    let last = i; // last code point of this character (an ellipsis spans several dots)
    if (isAlnum(c1)) anyAlnum = true;
    if (c1 === "\n" && cps[i + 1] === "\n") {
      let j = i;
      while (j < n && isSpace(cps[j])) j++;
      emit(i, j, "", true); // paragraph
      i = j;
      continue;
    }
    if (c1 === "." && cps[i + 1] === ".") {
      let j = i;
      while (cps[j] === ".") j++;
      if (j - i >= 3) {
        c1 = "\u2026";
        last = j - 1;
      }
    }
    const p = PUNCT.get(c1);
    if (p) {
      if (p.term === "?" || p.term === "!") while (cps[last + 1] === "?" || cps[last + 1] === "!") last++;
      const c2 = cps[last + 1];
      const eof = c2 === undefined;
      let isEnd = eof || isSpace(c2) || p.optionalSpace || isBracket(c2) || c2 === "?";
      if (isEnd) {
        let j = last + 1;
        let nl = 0;
        while (j < n && isSpace(cps[j])) if (cps[j++] === "\n") nl++;
        const cNext = cps[j];
        if (nl === 0) {
          // A period, or punctuation right after one ("e.g., this"), before a lower-case word is an abbreviation.
          if (c1 === "." || cps[i - 1] === ".") {
            if (cNext === "'" && cps[j + 1] === "s") isEnd = false;
            if (isLower(cNext)) isEnd = false;
          }
          if (!anyAlnum) isEnd = false;
        }
        if (isEnd) {
          if (nl > 1) emit(last + 1, j, "", true);
          else emit(last + 1, j, p.term, p.sentence);
          i = j;
          continue;
        }
      }
    }
    for (let k = i; k <= last; k++) bytes += utf8Len(cps[k]!);
    i = last + 1;
    if ((bytes > CLAUSE_BYTES && !isAlnum(c1)) || bytes >= 800 - 4) emit(i, i, "", false);
  }
  if (start < n || out.length === 0) emit(n, n, "", true);
  return out;
}
