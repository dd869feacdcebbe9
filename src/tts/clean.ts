/**
 * Text clean-up for speech: what an LLM writes (markdown, emoji, roleplay actions) turned into
 * what a TTS engine should say. Pure string functions, no state.
 */

export type ActionMode = "skip" | "speak";

export interface CleanOptions {
  /**
   * Roleplay actions in single asterisks where a sentence starts (*smiles warmly* Hello): drop them
   * ("skip", default) or say them. Emphasis inside a sentence (You must *never*) is always said.
   */
  actions?: ActionMode;
}

const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/** Drop fenced code blocks (an unclosed fence runs to the end of the text). */
export function stripCodeFences(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const m = FENCE.exec(line);
    if (fence === undefined) {
      if (m) fence = m[1]!;
      else out.push(line);
    } else if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) {
      fence = undefined;
    }
  }
  return out.join("\n");
}

/** Drop inline code: a run of backticks up to the next run of the same length on the same line. */
export function stripInlineCode(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("`", i);
    if (open < 0) break;
    let j = open;
    while (text[j] === "`") j++;
    const n = j - open;
    const lineEnd = text.indexOf("\n", j) < 0 ? text.length : text.indexOf("\n", j);
    let close = -1;
    for (let k = j; k < lineEnd;) {
      if (text[k] !== "`") {
        k++;
        continue;
      }
      let e = k;
      while (text[e] === "`") e++;
      if (e - k === n) {
        close = e;
        break;
      }
      k = e;
    }
    out += text.slice(i, open) + (close < 0 ? "" : " ");
    i = close < 0 ? j : close;
  }
  return out + text.slice(i);
}

/** Emoji and their joiners, variation selectors, skin tones, flags and keycaps. */
const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|[\u{1F3FB}-\u{1F3FF}]|\uFE0E|\uFE0F|\u200D|\u20E3/gu;

/**
 * The longest `*…*` (asterisks included) or `` `…` `` span treated as one unit. Beyond it, an opening
 * mark is just a stray character: the chunker never waits longer than this for a closing one.
 */
export const MAX_SPAN_CHARS = 80;

/** A single-asterisk span: opens before a non-space, closes after one, not across a blank line. */
const STAR_SPAN = new RegExp(
  String.raw`\*(?=[^\s*])(?:[^*\n]|\n(?!\s*\n)){1,${MAX_SPAN_CHARS - 2}}?(?<=[^\s*])\*`,
  "g",
);

/** Does `at` start a sentence: only spaces after the text start, a line break, or closing punctuation? */
function atSentenceStart(t: string, at: number): boolean {
  let i = at;
  while (i > 0 && (t[i - 1] === " " || t[i - 1] === "\t")) i--;
  if (i === 0 || t[i - 1] === "\n") return true;
  while (i > 0 && `"'”’»)]`.includes(t[i - 1]!)) i--;
  return i > 0 && ".!?…".includes(t[i - 1]!);
}

/**
 * Is the `*…*` span at `at` a roleplay action (*smiles warmly*, *bows*) rather than emphasis
 * (You must *never*)? Actions stand where a sentence starts; a capitalised span that the sentence
 * goes on from in lower case ("*Never* open it.") is emphasis, as is a capitalised single word
 * before punctuation ("*Never*!").
 */
function isAction(t: string, at: number, span: string, afterAction: boolean): boolean {
  if (!afterAction && !atSentenceStart(t, at)) return false;
  const body = span.slice(1, -1);
  if (/[.!?…]["'”’)\]]*$/u.test(body)) return true;
  const next = /^[ \t]*(.?)/.exec(t.slice(at + span.length))![1]!;
  const capital = /^\P{L}*\p{Lu}/u.test(body);
  if (capital && /\p{Ll}/u.test(next)) return false;
  if (capital && countWords(body) === 1 && /[,;:.!?…]/.test(next)) return false;
  return true;
}

/** Drop the `*…*` spans that are roleplay actions; other single asterisks go later, their words stay. */
function dropActions(t: string): string {
  let out = "";
  let last = 0;
  let actionEnd = -1; // where the last dropped action ended in `t`
  for (const m of t.matchAll(STAR_SPAN)) {
    const at = m.index;
    const afterAction = actionEnd >= 0 && /^\s*$/.test(t.slice(actionEnd, at));
    if (!isAction(t, at, m[0], afterAction)) continue;
    out += t.slice(last, at) + " ";
    last = actionEnd = at + m[0].length;
  }
  return out + t.slice(last);
}

/** Remove markdown, code, emoji and (optionally) actions; collapse whitespace. "" when nothing is left to say. */
export function cleanForSpeech(text: string, opts: CleanOptions = {}): string {
  const actions = opts.actions ?? "skip";
  let t = text.replace(/\r\n?/g, "\n");
  t = stripCodeFences(t);
  // Inline code (same line, matching backtick runs) is not read aloud.
  t = stripInlineCode(t);
  // Images say nothing; links say their text; autolinks their address.
  t = t.replace(/!\[[^\]\n]*\]\([^)\n]*\)/g, " ");
  t = t.replace(/\[([^\]\n]*)\]\([^)\n]*\)/g, "$1");
  t = t.replace(/<((?:https?:\/\/|mailto:)[^>\s]+)>/g, "$1");
  // Line structure: horizontal rules, headings, quotes, bullets, tables.
  t = t.replace(/^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/gm, " ");
  t = t.replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, "").replace(/[ \t]+#+[ \t]*$/gm, "");
  t = t.replace(/^[ \t]*(?:>[ \t]?)+/gm, "");
  t = t.replace(/^[ \t]*[-*+•][ \t]+/gm, "");
  t = t.replace(/\|/g, " ");
  // Emphasis markers (the words stay).
  t = t.replace(/(?<=\d)[ \t]*(?<!\*)\*(?!\*)[ \t]*(?=\d)/g, " times "); // 2*3
  t = t.replace(/\*\*|__|~~/g, "");
  t = actions === "skip" ? dropActions(t) : t;
  t = t.replace(/\*/g, "");
  t = t.replace(/(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, "");
  // HTML tags, emoji, URL schemes.
  t = t.replace(/<\/?[a-zA-Z][^<>\n]*>/g, " ");
  t = t.replace(EMOJI, "");
  t = t.replace(/\b(?:https?:\/\/|mailto:)/gi, "");
  // Whitespace, and no space before punctuation.
  t = t
    .replace(/\s+/g, " ")
    .replace(/ ([,.;:!?…])/g, "$1")
    .trim();
  // Leading punctuation left behind by removed parts (", Hello" after an action).
  t = t.replace(/^[,.;:!?…\-–— ]+(?=[\p{L}\p{N}])/u, "");
  return /[\p{L}\p{N}]/u.test(t) ? t : "";
}

/** Number of words in already-cleaned text. */
export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu);
  return m ? m.length : 0;
}
