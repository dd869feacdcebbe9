import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { normalizeForEspeak, splitEspeakClauses } from "../../src/tts/espeak-clauses.js";
import {
  caseFold,
  clausesToSentences,
  espeakClausePhonemes,
  espeakIpaLines,
  phonemesToIds,
  textPhonemes,
} from "../../src/tts/phonemize.js";

const hasEspeak = spawnSync("espeak-ng", ["--version"]).status === 0;
const NO_ESPEAK = "espeak-ng is not installed (apt install espeak-ng)";

/** A small phoneme_id_map in Piper's shape. */
const idMap = new Map<string, number[]>([
  ["_", [0]],
  ["^", [1]],
  ["$", [2]],
  [" ", [3]],
  [",", [8]],
  [".", [10]],
  ["?", [13]],
  ["h", [20]],
  ["ə", [59]],
  ["l", [24]],
  ["ˈ", [120]],
  ["o", [27]],
  ["ʊ", [100]],
  ["c", [16]],
  ["\u0327", [140]], // combining cedilla
  ["x", [36, 37]], // a phoneme with two ids
]);

describe("phonemesToIds (Piper's layout)", () => {
  it("puts ^ and _ first, _ after every phoneme, $ last", () => {
    expect(phonemesToIds(["h", "ə", "l", "ˈ", "o", "ʊ", "."], idMap)).toEqual([
      1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 10, 0, 2,
    ]);
  });

  it("spreads multi-id phonemes and skips (and reports) unknown ones", () => {
    const missing = new Set<string>();
    expect(phonemesToIds(["x", "Q", "h"], idMap, missing)).toEqual([1, 0, 36, 37, 0, 20, 0, 2]);
    expect([...missing]).toEqual(["Q"]);
  });

  it("gives ^ _ $ for no phonemes", () => {
    expect(phonemesToIds([], idMap)).toEqual([1, 0, 2]);
  });
});

describe("clausesToSentences (Piper's grouping)", () => {
  it("appends terminators, a space after , : ;, and starts a sentence after sentence ends", () => {
    const s = clausesToSentences([
      { phonemes: "həlˈoʊ", terminator: ",", sentenceEnd: false },
      { phonemes: "wˈɜːld", terminator: ".", sentenceEnd: true },
      { phonemes: "hˈaʊ", terminator: "?", sentenceEnd: true },
      { phonemes: "ɐ", terminator: "", sentenceEnd: true },
    ]);
    expect(s.map((x) => x.join(""))).toEqual(["həlˈoʊ, wˈɜːld.", "hˈaʊ?", "ɐ"]);
  });

  it("decomposes to NFD code points and drops language flags", () => {
    const [s] = clausesToSentences([{ phonemes: "(fr)ça(en)", terminator: ".", sentenceEnd: true }]);
    expect(s).toEqual(["c", "\u0327", "a", "."]);
    expect(phonemesToIds(s!, idMap)).toEqual([1, 0, 16, 0, 140, 0, 10, 0, 2]);
  });

  it("applies the voice's phoneme_map", () => {
    const [s] = clausesToSentences(
      [{ phonemes: "ab", terminator: "", sentenceEnd: true }],
      new Map([["a", ["x", "y"]]]),
    );
    expect(s).toEqual(["x", "y", "b"]);
  });

  it("text voices use the text's own code points, case-folded and decomposed", () => {
    expect(textPhonemes(" Ça va ")).toEqual([["c", "\u0327", "a", " ", "v", "a"]]);
    // piper-phonemize's own check: "ВЕСЕ́ЛКА" folds to lower case and splits the accent off.
    expect(textPhonemes("ВЕСЕ́ЛКА")).toEqual([["в", "е", "с", "е", "\u0301", "л", "к", "а"]]);
    expect(textPhonemes("")).toEqual([]);
  });

  it("text voices apply the voice's phoneme_map after folding", () => {
    const map = new Map([
      ["c", ["k"]],
      ["\u0327", []],
      ["ß", ["x"]], // never seen: ß folds to ss first
    ]);
    expect(textPhonemes("ÇA", map)).toEqual([["k", "a"]]);
    expect(textPhonemes("Straße", map)).toEqual([["s", "t", "r", "a", "s", "s", "e"]]);
  });

  it("folds case the Unicode way", () => {
    expect(caseFold("Straße ẞ ΣΟΦΟΣ σοφος İ ı ﬁ ǅ")).toBe("strasse ss σοφοσ σοφοσ i\u0307 ı fi ǆ");
  });
});

describe("espeak-ng clause rules", () => {
  const cases: Array<[string, string]> = [
    ["Hello, world. How are you? I'm fine; thanks: really! Okay", ", .S ?S ; : !S S"],
    ["Dr. Smith paid 3.14 dollars... then left", ".S  S"],
    ["Wait — what? Yes… no", "; ?S  S"],
    ["e.g., this; i.e., that.", "; .S"],
    ['She said: "Go!" and left.', ": !S .S"],
    ["Hello.\n\nWorld", "S S"],
    [". , ; Hello", "S"],
    ["Hola ¿qué tal? Bien", " ?S S"],
  ];
  it.each(cases)("%j", (text, expected) => {
    const got = splitEspeakClauses(normalizeForEspeak(text))
      .map((c) => c.terminator + (c.sentenceEnd ? "S" : ""))
      .join(" ");
    expect(got).toBe(expected);
  });

  it("normalises whitespace: a blank line is a paragraph, other breaks are spaces", () => {
    expect(normalizeForEspeak("  a\n b \n\n\n c  ")).toBe("a b\n\nc");
  });

  const corpus = [
    ...cases.map((c) => c[0]),
    "The time is 10:30, right? Yes: exactly. Visit example.com/a?b=1 now!",
    "Items: a, b, and c. Ha! Ha! Ha! It's 5 p.m. now. Later.",
    '(Hello.) There. Really?"No." Okay. What?! No way...',
    "I have $5,000.00 — wow! Um, well, hmm. Hi!!! There. U.S.A.'s flag.",
    "Line one\nline two\n\npara two. -dash",
    "This is a long sentence without punctuation that goes on and on ".repeat(16),
  ];
  it.skipIf(!hasEspeak)("agree with the espeak-ng program on where clauses end", async () => {
    for (const text of corpus) {
      const norm = normalizeForEspeak(text);
      const lines = await espeakIpaLines(norm, "en-us");
      expect(splitEspeakClauses(norm).length, text).toBe(lines.length);
    }
  });

  it.skipIf(!hasEspeak)("gives Piper's phonemes for a sentence", async () => {
    const sentences = clausesToSentences(await espeakClausePhonemes("Hello, world. How are you?", "en-us"));
    expect(sentences.map((s) => s.join(""))).toEqual(["həlˈoʊ, wˈɜːld.", "hˈaʊ ɑːɹ juː?"]);
  });
});

if (!hasEspeak) it.skip(NO_ESPEAK, () => undefined);
