import { describe, expect, it } from "vitest";
import { activeLoreEntries } from "../../src/characters/lorebook.js";
import type { LoreEntry, Lorebook } from "../../src/characters/types.js";

function entry(content: string, extra: Partial<LoreEntry> = {}): LoreEntry {
  return {
    keys: [],
    secondaryKeys: [],
    selective: false,
    content,
    caseSensitive: false,
    constant: false,
    enabled: true,
    insertionOrder: 100,
    priority: 10,
    ...extra,
  };
}

const contents = (entries: LoreEntry[]): string[] => entries.map((e) => e.content);

describe("activeLoreEntries", () => {
  const book: Lorebook = {
    entries: [
      entry("DRAGON", { keys: ["dragon", "wyrm"], insertionOrder: 2 }),
      entry("CASTLE", { keys: ["Castle"], caseSensitive: true, insertionOrder: 1 }),
      entry("ALWAYS", { constant: true, insertionOrder: 3 }),
      entry("OFF", { keys: ["dragon"], enabled: false }),
    ],
  };

  it("adds entries whose key is present, constant ones always, in insertion order", () => {
    expect(contents(activeLoreEntries(book, ["I saw a Dragon!", "at the Castle"]))).toEqual([
      "CASTLE",
      "DRAGON",
      "ALWAYS",
    ]);
  });

  it("leaves out entries whose key is absent, and disabled ones", () => {
    expect(contents(activeLoreEntries(book, ["just a quiet day"]))).toEqual(["ALWAYS"]);
  });

  it("respects case sensitivity", () => {
    expect(contents(activeLoreEntries(book, ["the castle"]))).toEqual(["ALWAYS"]);
    expect(contents(activeLoreEntries(book, ["the Castle"]))).toEqual(["CASTLE", "ALWAYS"]);
    expect(contents(activeLoreEntries(book, ["WYRM"]))).toEqual(["DRAGON", "ALWAYS"]);
  });

  it("matches whole words, not parts of words", () => {
    const b: Lorebook = { entries: [entry("CAT", { keys: ["cat"] }), entry("ICE CREAM", { keys: ["ice cream"] })] };
    expect(contents(activeLoreEntries(b, ["concatenate the cattle"]))).toEqual([]);
    expect(contents(activeLoreEntries(b, ["a cat, eating ice  cream"]))).toEqual(["CAT"]);
    expect(contents(activeLoreEntries(b, ["Cat? Ice cream!"]))).toEqual(["CAT", "ICE CREAM"]);
  });

  it("supports /regex/flags keys", () => {
    const b: Lorebook = {
      entries: [entry("NUM", { keys: ["/room \\d+/i"] }), entry("BAD", { keys: ["/(unclosed/"] })],
    };
    expect(contents(activeLoreEntries(b, ["go to ROOM 42"]))).toEqual(["NUM"]);
    expect(contents(activeLoreEntries(b, ["the room"]))).toEqual([]);
  });

  it("makes /regex/ keys case-insensitive unless the entry is case-sensitive", () => {
    const b: Lorebook = {
      entries: [
        entry("LOOSE", { keys: ["/dragons?/"], insertionOrder: 1 }),
        entry("STRICT", { keys: ["/Dragons?/"], caseSensitive: true, insertionOrder: 2 }),
      ],
    };
    expect(contents(activeLoreEntries(b, ["The DRAGON"]))).toEqual(["LOOSE"]);
    expect(contents(activeLoreEntries(b, ["The Dragon"]))).toEqual(["LOOSE", "STRICT"]);
  });

  it("matches keys with punctuation literally, bounded only on their word-character ends", () => {
    const b: Lorebook = {
      entries: [
        entry("SMITH", { keys: ["Mr. Smith"], insertionOrder: 1 }),
        entry("CPP", { keys: ["C++"], insertionOrder: 2 }),
        entry("NET", { keys: [".NET"], insertionOrder: 3 }),
      ],
    };
    expect(contents(activeLoreEntries(b, ["mr. smith said"]))).toEqual(["SMITH"]);
    expect(contents(activeLoreEntries(b, ["mrs smith said", "mr smithers"]))).toEqual([]);
    expect(contents(activeLoreEntries(b, ["I write C++, and asp.net"]))).toEqual(["CPP", "NET"]);
    expect(contents(activeLoreEntries(b, ["abc++ or .network"]))).toEqual([]);
  });

  it("needs a secondary key too when selective", () => {
    const b: Lorebook = {
      entries: [entry("SEL", { keys: ["sword"], secondaryKeys: ["magic", "cursed"], selective: true })],
    };
    expect(contents(activeLoreEntries(b, ["a sword"]))).toEqual([]);
    expect(contents(activeLoreEntries(b, ["a cursed sword"]))).toEqual(["SEL"]);
  });

  it("scans only the last scanDepth messages", () => {
    const msgs = ["the dragon sleeps", "hello", "goodbye"];
    expect(contents(activeLoreEntries(book, msgs, { scanDepth: 2 }))).toEqual(["ALWAYS"]);
    expect(contents(activeLoreEntries(book, msgs, { scanDepth: 3 }))).toEqual(["DRAGON", "ALWAYS"]);
    expect(contents(activeLoreEntries({ ...book, scanDepth: 3 }, msgs))).toEqual(["DRAGON", "ALWAYS"]);
  });

  it("keeps within the token budget, dropping lower priority first", () => {
    const b: Lorebook = {
      entries: [
        entry("a".repeat(40), { keys: ["alpha"], priority: 1, insertionOrder: 1 }), // 10 tokens
        entry("b".repeat(40), { keys: ["beta"], priority: 5, insertionOrder: 2 }), // 10 tokens
        entry("c".repeat(40), { keys: ["gamma"], priority: 3, insertionOrder: 3 }), // 10 tokens
      ],
    };
    const text = ["alpha beta gamma"];
    expect(activeLoreEntries(b, text, { tokenBudget: 30 })).toHaveLength(3);
    const two = activeLoreEntries(b, text, { tokenBudget: 25 });
    expect(two.map((e) => e.insertionOrder)).toEqual([2, 3]);
    expect(activeLoreEntries({ ...b, tokenBudget: 10 }, text).map((e) => e.insertionOrder)).toEqual([2]);
    expect(
      activeLoreEntries(b, text, { tokenBudget: 100, countTokens: () => 60 }).map((e) => e.insertionOrder),
    ).toEqual([2]);
  });

  it("handles an absent or empty book", () => {
    expect(activeLoreEntries(undefined, ["x"])).toEqual([]);
    expect(activeLoreEntries({ entries: [] }, ["x"])).toEqual([]);
  });
});
