import { getLogger } from "../core/log.js";
import { type Terminator, normalizeForEspeak, splitEspeakClauses } from "./espeak-clauses.js";
import { runEspeak } from "./espeak-run.js";

const log = getLogger("tts.phonemize");

/** Phonemes of one espeak-ng clause, with the punctuation that ended it. */
export interface ClausePhonemes {
  phonemes: string;
  terminator: Terminator;
  sentenceEnd: boolean;
}

/** Lines of `espeak-ng -q --ipa`: one per clause, phonemes in IPA without separators (Piper's mode). */
export async function espeakIpaLines(text: string, voice: string, signal?: AbortSignal): Promise<string[]> {
  const out = (await runEspeak(["-q", "--ipa", "-v", voice], text, { signal })).toString("utf8");
  const lines = out.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((l) => l.replace(/\r$/, ""));
}

/**
 * IPA per clause for `text`, as Piper gets it from espeak-ng: the program prints each clause's
 * phonemes, and the clause punctuation comes from espeak-ng's own clause rules (espeak-clauses.ts).
 * When the two disagree on the number of clauses, each predicted clause is phonemized on its own.
 */
export async function espeakClausePhonemes(
  text: string,
  voice: string,
  signal?: AbortSignal,
): Promise<ClausePhonemes[]> {
  const norm = normalizeForEspeak(text);
  if (!norm) return [];
  const clauses = splitEspeakClauses(norm);
  const lines = await espeakIpaLines(norm, voice, signal);
  if (lines.length === clauses.length) {
    return clauses.map((c, i) => ({ phonemes: lines[i]!, terminator: c.terminator, sentenceEnd: c.sentenceEnd }));
  }
  log.debug("espeak clause count differs; phonemizing clause by clause", {
    lines: lines.length,
    clauses: clauses.length,
  });
  const result: ClausePhonemes[] = [];
  for (const c of clauses) {
    const own = c.text.trim() ? await espeakIpaLines(c.text, voice, signal) : [];
    result.push({ phonemes: own.join(" "), terminator: c.terminator, sentenceEnd: c.sentenceEnd });
  }
  return result;
}

/**
 * Piper's grouping: per clause, drop language-switch flags like "(fr)", append the terminator (and a
 * space after , : ;), decompose to NFD and split into code points; a new sentence after each
 * sentence-ending clause. `phonemeMap` substitutes single phonemes (the voice's phoneme_map).
 */
export function clausesToSentences(clauses: ClausePhonemes[], phonemeMap?: Map<string, string[]>): string[][] {
  const sentences: string[][] = [];
  let current: string[] = [];
  for (const c of clauses) {
    let s = c.phonemes.replace(/\([^)]+\)/g, "") + c.terminator;
    if (c.terminator === "," || c.terminator === ":" || c.terminator === ";") s += " ";
    for (const ph of Array.from(s.normalize("NFD"))) {
      const mapped = phonemeMap?.get(ph);
      if (mapped) current.push(...mapped);
      else current.push(ph);
    }
    if (c.sentenceEnd) {
      sentences.push(current);
      current = [];
    }
  }
  if (current.length) sentences.push(current);
  return sentences.filter((s) => s.length > 0);
}

/** Cherokee folds to its upper case, unlike every other script. */
const CHEROKEE = /[\u13a0-\u13ff\uab70-\uabbf]/u;

/**
 * Unicode full case folding (what piper-phonemize applies to text voices): lower case, then each
 * character through upper and back to lower, which folds ß→ss, ς→σ, ﬁ→fi. Dotless ı stays, and
 * Cherokee folds up, as the Unicode table says.
 */
export function caseFold(text: string): string {
  return Array.from(text.toLowerCase(), (c) =>
    c === "ı" ? c : CHEROKEE.test(c) ? c.toUpperCase() : c.toUpperCase().toLowerCase(),
  ).join("");
}

/**
 * Phonemes of a voice with phoneme_type "text", as piper-phonemize makes them: the text case-folded,
 * decomposed to NFD code points, each replaced by the voice's phoneme_map entry when it has one; one
 * sentence.
 */
export function textPhonemes(text: string, phonemeMap?: Map<string, string[]>): string[][] {
  const t = text.trim();
  if (!t) return [];
  const out: string[] = [];
  for (const ph of Array.from(caseFold(t).normalize("NFD"))) {
    const mapped = phonemeMap?.get(ph);
    if (mapped) out.push(...mapped);
    else out.push(ph);
  }
  return [out];
}

/**
 * Phoneme ids as Piper builds them: "^", "_", then each phoneme's ids followed by "_", then "$".
 * Phonemes missing from the map are skipped (and collected in `missing`).
 */
export function phonemesToIds(phonemes: string[], idMap: Map<string, number[]>, missing?: Set<string>): number[] {
  const pad = idMap.get("_") ?? [0];
  const ids: number[] = [...(idMap.get("^") ?? [1]), ...pad];
  for (const ph of phonemes) {
    const m = idMap.get(ph);
    if (!m) {
      missing?.add(ph);
      continue;
    }
    ids.push(...m, ...pad);
  }
  ids.push(...(idMap.get("$") ?? [2]));
  return ids;
}
