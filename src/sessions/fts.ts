/** Search helpers shared by the SQLite (FTS5) and the in-memory store. */

/** Search words as typed by the user: split on anything that is not a letter or digit. */
export function searchTerms(words: string): string[] {
  return words
    .split(/[^\p{L}\p{N}_]+/u)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 16);
}

/**
 * An FTS5 MATCH expression: every term must appear, each as a word prefix. Terms are quoted, so
 * FTS5 operators (AND, NEAR, *, :) typed by the user are taken as plain words.
 */
export function ftsQuery(words: string): string | undefined {
  const terms = searchTerms(words);
  if (terms.length === 0) return undefined;
  return terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(" ");
}

/** Lower case, accents removed: how FTS5's unicode61 tokenizer (remove_diacritics 2) folds text. */
export function foldText(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

const WORD = /[\p{L}\p{N}_]+/gu;
const SNIPPET_WORDS = 12;

/**
 * For the in-memory store: null if the text lacks a term, else a snippet like FTS5's
 * (a window of words around the first match, matched words in [brackets]).
 */
export function matchSnippet(text: string, words: string): string | null {
  const terms = searchTerms(words).map(foldText);
  if (terms.length === 0) return null;
  const tokens = [...text.matchAll(WORD)].map((m) => ({ word: m[0], start: m.index, folded: foldText(m[0]) }));
  const hits = tokens.map((t) => terms.some((term) => t.folded.startsWith(term)));
  if (!terms.every((term) => tokens.some((t) => t.folded.startsWith(term)))) return null;
  const first = Math.max(0, hits.indexOf(true));
  const from = Math.max(0, first - Math.floor(SNIPPET_WORDS / 2));
  const to = Math.min(tokens.length, from + SNIPPET_WORDS);
  const start = tokens[from]?.start ?? 0;
  const lastToken = tokens[to - 1];
  const end = lastToken ? lastToken.start + lastToken.word.length : text.length;
  let out = "";
  let cursor = start;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    out += text.slice(cursor, t.start) + (hits[i] ? `[${t.word}]` : t.word);
    cursor = t.start + t.word.length;
  }
  return `${from > 0 ? "…" : ""}${out}${end < text.length ? "…" : ""}`.replace(/\s+/g, " ");
}
