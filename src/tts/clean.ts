/**
 * Text clean-up for speech: what an LLM writes (markdown, emoji, roleplay actions) turned into
 * what a TTS engine should say. Pure string functions, no state.
 */

export type ActionMode = "skip" | "speak";

export interface CleanOptions {
  /** Roleplay action text in single asterisks (*smiles*): drop it ("skip", default) or say it. */
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
 * Roleplay action: a single asterisk that opens before a non-space and closes after a non-space,
 * not across a blank line. `**bold**` is removed before this runs.
 */
const ACTION = /\*(?=[^\s*])(?:[^*\n]|\n(?!\s*\n))*?(?<=[^\s*])\*/g;

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
  t = t.replace(/\*\*|__|~~/g, "");
  t = actions === "skip" ? t.replace(ACTION, " ") : t;
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
