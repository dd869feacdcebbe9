/**
 * Boundary rules of the clause chunker: where a sentence ends and where it only looks like it does
 * (abbreviations, initials, list numbers, decimals, URLs). Every function looks only at the text it
 * is given and answers "need" when the answer depends on text that has not arrived yet, so the
 * chunks never depend on how the stream was split into deltas.
 */

/** Titles before a name: a period after them never ends a sentence. */
const TITLES = new Set([
  "mr",
  "mrs",
  "ms",
  "mx",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "mt",
  "ft",
  "rev",
  "fr",
  "gen",
  "col",
  "capt",
  "cpt",
  "lt",
  "sgt",
  "maj",
  "gov",
  "pres",
  "sen",
  "rep",
  "hon",
  "messrs",
  "mme",
  "mlle",
]);
/** Abbreviations that are always followed by more of the same sentence. */
const CONTINUING = new Set([
  "e.g",
  "i.e",
  "vs",
  "cf",
  "viz",
  "approx",
  "ca",
  "fig",
  "eg",
  "ie",
  "incl",
  "resp",
  "w.r.t",
]);
/** Abbreviations that may end a sentence: they do when the next word starts with a capital. */
const MAYBE_END = new Set([
  "etc",
  "a.m",
  "p.m",
  "am",
  "pm",
  "inc",
  "ltd",
  "co",
  "corp",
  "dept",
  "est",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "mon",
  "tue",
  "tues",
  "wed",
  "thu",
  "thur",
  "thurs",
  "fri",
  "sat",
  "sun",
  "no",
  "nos",
  "vol",
  "pp",
  "ed",
  "al",
]);

export const SENTENCE_PUNCT = ".!?…";
export const SOFT_PUNCT = ",;:";
/** Characters that may close a sentence after its punctuation: quotes, brackets, emphasis. */
export const CLOSERS = `"'”’»)]}*_`;

export type Decision = "end" | "soft" | "none" | "need";

export function isSpace(c: string | undefined): boolean {
  return c !== undefined && /\s/.test(c);
}

/** Index of the first non-space character at or after `from`, or -1 when the text ends first. */
function nextNonSpace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (!isSpace(text[i])) return i;
  return -1;
}

/** Does the sentence continue after a "maybe" abbreviation? It ends when the next word is capitalised. */
function endIfCapitalNext(text: string, after: number, final: boolean): Decision {
  const j = nextNonSpace(text, after);
  if (j < 0) return final ? "end" : "need";
  const c = text[j]!;
  if (c === "\n") return "end";
  return /\p{Lu}/u.test(c) || /["“'‘*([]/.test(c) ? "end" : "none";
}

/**
 * The word before the punctuation at `at`, back to whitespace, without leading quotes or brackets.
 * `lineStart` tells whether only whitespace precedes it on its line.
 */
function wordBefore(text: string, at: number): { word: string; lineStart: boolean; afterStop: boolean } {
  let s = at;
  while (s > 0 && !isSpace(text[s - 1])) s--;
  let k = s;
  while (k > 0 && (text[k - 1] === " " || text[k - 1] === "\t")) k--;
  const lineStart = k === 0 || text[k - 1] === "\n";
  const afterStop = k > 0 && ".!?:".includes(text[k - 1]!);
  const word = text.slice(s, at).replace(/^["“'‘([*_]+/, "");
  return { word, lineStart, afterStop };
}

/**
 * Decide a run of sentence punctuation text[at..runEnd) that is followed by whitespace at `after`
 * (after any closers). "end": a sentence ends; "soft": only a pause (an ellipsis mid-sentence);
 * "none": not a boundary (abbreviation, initial, list number).
 */
export function decideSentenceEnd(text: string, at: number, runEnd: number, after: number, final: boolean): Decision {
  const run = text.slice(at, runEnd);
  if (run.includes("…") || run.includes("..")) {
    // An ellipsis ends the sentence only when a capital (or a new line) follows; otherwise it is a pause.
    const d = endIfCapitalNext(text, after, final);
    return d === "none" ? "soft" : d;
  }
  if (run !== ".") return "end";
  const { word, lineStart, afterStop } = wordBefore(text, at);
  const lower = word.toLowerCase();
  if (/^\d+$/.test(word) && (lineStart || afterStop)) return "none"; // "1. First item", "Mix. 2. Bake."
  if (TITLES.has(lower) || CONTINUING.has(lower)) return "none";
  if (/^\p{Lu}$/u.test(word) && word !== "I") return "none"; // initials: "J. R. R. Tolkien"
  if (MAYBE_END.has(lower) || /^(?:\p{L}\.)+\p{L}$/u.test(word)) return endIfCapitalNext(text, after, final);
  return "end";
}

/** Is the dash at `i` a clause dash (an em/en dash, or a spaced hyphen " - " / " -- ")? "need" when undecidable yet. */
export function decideDash(text: string, i: number, final: boolean): { decision: Decision; end: number } {
  const c = text[i]!;
  if (c === "—" || c === "–") return { decision: "soft", end: i + 1 };
  // Hyphen: only between spaces (" - ", " -- ").
  if (!isSpace(text[i - 1])) return { decision: "none", end: i + 1 };
  let j = i;
  while (text[j] === "-") j++;
  if (j >= text.length) return { decision: final ? "none" : "need", end: j };
  if (j - i > 2 || !isSpace(text[j])) return { decision: "none", end: j };
  return { decision: "soft", end: j };
}
