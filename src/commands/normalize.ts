/** One word of an utterance: its comparable form and where it sits in the NFC text. */
export interface Token {
  word: string;
  start: number;
  end: number;
}

// Letters, digits and combining marks (accents, Indic vowel signs) make words; apostrophes are
// dropped inside a word ("that's" → "thats"); everything else (punctuation of any script,
// symbols, hyphens, spaces) separates words.
const WORD = /[\p{L}\p{N}\p{M}'’ʼ‘`´]+/gu;
const APOSTROPHES = /['’ʼ‘`´]/g;

/** Case-fold one word: upper then lower folds ß → ss and final sigma ς → σ, then NFC again. */
export function foldWord(word: string): string {
  return word.replace(APOSTROPHES, "").toUpperCase().toLowerCase().normalize("NFC");
}

/**
 * Split text into comparable words. Both utterances and phrases go through this, so "Send.",
 * "send!", "SEND", "Envoie !" and a decomposed "envoie\u0301" compare as their phrase does.
 */
export function tokenize(text: string): { text: string; tokens: Token[] } {
  const nfc = text.normalize("NFC");
  const tokens: Token[] = [];
  for (const m of nfc.matchAll(WORD)) {
    const word = foldWord(m[0]);
    if (word.length === 0) continue;
    tokens.push({ word, start: m.index, end: m.index + m[0].length });
  }
  return { text: nfc, tokens };
}

/** The comparable words of a phrase. */
export function words(text: string): string[] {
  return tokenize(text).tokens.map((t) => t.word);
}

/** Drop filler word sequences ("please", "thank you") wherever they occur. */
export function dropFillers(input: readonly string[], fillers: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  let i = 0;
  outer: while (i < input.length) {
    for (const f of fillers) {
      if (f.length > 0 && f.every((w, k) => input[i + k] === w)) {
        i += f.length;
        continue outer;
      }
    }
    out.push(input[i] as string);
    i += 1;
  }
  return out;
}
