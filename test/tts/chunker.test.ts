import { describe, expect, it } from "vitest";
import { ClauseChunker, type ClauseChunkerOptions } from "../../src/tts/chunker.js";

/** A seeded generator, so a failing split can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Split text into deltas of 1..maxLen characters (code points stay whole, as tokens would). */
function randomSplit(text: string, seed: number, maxLen = 6): string[] {
  const cps = Array.from(text);
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < cps.length;) {
    const n = 1 + Math.floor(r() * maxLen);
    out.push(cps.slice(i, i + n).join(""));
    i += n;
  }
  return out;
}

function run(deltas: string[], opts?: ClauseChunkerOptions): string[] {
  const c = new ClauseChunker(opts);
  const out: string[] = [];
  for (const d of deltas) out.push(...c.push(d));
  out.push(...c.flush());
  return out;
}

/** The chunks of `text`, checked to be the same whole, char by char, and over 20 random splits. */
function chunks(text: string, opts?: ClauseChunkerOptions): string[] {
  const whole = run([text], opts);
  expect(run(Array.from(text), opts)).toEqual(whole);
  for (let seed = 1; seed <= 20; seed++)
    expect(run(randomSplit(text, seed), opts), `split seed ${seed}`).toEqual(whole);
  return whole;
}

const table: Array<[string, string, string[]]> = [
  ["sentence ends", "Hello! How are you doing today? I'm fine.", ["Hello!", "How are you doing today?", "I'm fine."]],
  [
    "first clause at a comma after enough words",
    "Okay so here's the thing, you see, it's complicated. Really, it is.",
    ["Okay so here's the thing,", "you see, it's complicated.", "Really, it is."],
  ],
  ["too few words for a comma", "Well, I think so. Yes.", ["Well, I think so.", "Yes."]],
  ["semicolon, colon and dash", "I looked everywhere for it; nothing.", ["I looked everywhere for it;", "nothing."]],
  ["colon", "Here is what I found out: nothing at all.", ["Here is what I found out:", "nothing at all."]],
  ["em dash", "I was going to say something — never mind.", ["I was going to say something —", "never mind."]],
  ["spaced hyphen", "I was going to say it - never mind.", ["I was going to say it -", "never mind."]],
  [
    "titles",
    "Mr. Smith met Mrs. Jones and Dr. Who. They talked.",
    ["Mr. Smith met Mrs. Jones and Dr. Who.", "They talked."],
  ],
  [
    "e.g. and i.e.",
    "Okay. Bring fruit, e.g. apples, i.e. the red ones. Thanks.",
    ["Okay.", "Bring fruit, e.g. apples, i.e. the red ones.", "Thanks."],
  ],
  [
    "etc. mid-sentence and at the end",
    "Apples, pears, etc. are fine. Bring them, etc. Then go.",
    ["Apples, pears, etc. are fine.", "Bring them, etc.", "Then go."],
  ],
  ["vs.", "It was cats vs. dogs all day. Fun.", ["It was cats vs. dogs all day.", "Fun."]],
  ["decimals", "Pi is 3.14 roughly. It costs $2.50 today.", ["Pi is 3.14 roughly.", "It costs $2.50 today."]],
  [
    "numbers with commas",
    "Sure. It costs 1,000 dollars, or 2,500 euros. Cheap.",
    ["Sure.", "It costs 1,000 dollars, or 2,500 euros.", "Cheap."],
  ],
  [
    "ellipsis mid-sentence",
    "Well... I guess so. But wait... maybe not.",
    ["Well...", "I guess so.", "But wait... maybe not."],
  ],
  ["unicode ellipsis", "Hmm… let me think. Okay.", ["Hmm… let me think.", "Okay."]],
  ["urls", "See https://example.com/a.b?c=1. It helps.", ["See example.com/a.b?c=1.", "It helps."]],
  ["emails", "Write to bob.smith@example.org. He answers.", ["Write to bob.smith@example.org.", "He answers."]],
  ["initials", "J. R. R. Tolkien wrote it. Read it.", ["J. R. R. Tolkien wrote it.", "Read it."]],
  ["U.S. before a lower-case word", "The U.S. is big. The end.", ["The U.S. is big.", "The end."]],
  ["quotes after the period", 'She said "go home." Then she left.', ['She said "go home."', "Then she left."]],
  ["question and exclamation runs", "Really?! No way!!! Okay.", ["Really?!", "No way!!!", "Okay."]],
  [
    "bold and italic markers",
    "This is **very** important and _quite_ urgent. Go.",
    ["This is very important and quite urgent.", "Go."],
  ],
  [
    "headings and bullets",
    "## Shopping list\n- eggs\n- **milk**\n* bread\n\nThat's all.",
    ["Shopping list", "eggs", "milk", "bread", "That's all."],
  ],
  ["numbered list", "Steps:\n1. Mix it. 2. Bake it.\n3. Eat.", ["Steps:", "1. Mix it.", "2. Bake it.", "3. Eat."]],
  [
    "fenced code is not read",
    "Run this:\n```js\nconsole.log('a. b, c');\n```\nIt prints a line. Done.",
    ["Run this:", "It prints a line.", "Done."],
  ],
  [
    "tilde fence and unclosed fence",
    "Look:\n~~~\nx = 1. y = 2.\n~~~\nOk. Now:\n```\nnever closed. at all.",
    ["Look:", "Ok.", "Now:"],
  ],
  [
    "inline code is not read",
    "Sure. Use `npm test` to run it, then `git push`. Done.",
    ["Sure.", "Use to run it, then.", "Done."],
  ],
  ["emoji are dropped", "Great job! 🎉🎉 You did it 👍🏽. Bye 👋", ["Great job!", "You did it.", "Bye"]],
  ["emoji only", "😀 😃", []],
  [
    "actions skipped",
    "*smiles warmly* Welcome back, traveler. *bows* What brings you here?",
    ["Welcome back, traveler.", "What brings you here?"],
  ],
  ["action with a period inside", "*She smiles. Then she waves.* Hello there! Nice.", ["Hello there!", "Nice."]],
  ["asterisk that is not an action", "Two * three is six. Yes.", ["Two three is six.", "Yes."]],
  [
    "emphasis in a sentence keeps its words",
    "You must *never* open the door. *Really*. I *mean it* this time.",
    ["You must never open the door.", "Really.", "I mean it this time."],
  ],
  ["arithmetic", "So 2*3 is 6. And 4 * 5 is 20.", ["So 2 times 3 is 6.", "And 4 times 5 is 20."]],
  [
    "an action that never closes is read",
    "*leans closer and whispers Listen carefully. The guards change shift at midnight. Go.",
    ["leans closer and whispers Listen carefully.", "The guards change shift at midnight.", "Go."],
  ],
  [
    "a stray backtick",
    "Press the ` key to open it. Then type. Use `ls` there.",
    ["Press the key to open it.", "Then type.", "Use there."],
  ],
  [
    "links",
    "Read [the guide](https://x.y/guide) first. ![img](a.png) Then ask.",
    ["Read the guide first.", "Then ask."],
  ],
  ["blockquote", "> To be or not to be.\nThat is it.", ["To be or not to be.", "That is it."]],
  ["no final punctuation", "Hello there my friend", ["Hello there my friend"]],
  ["empty", "", []],
];

describe("ClauseChunker", () => {
  it.each(table)("%s", (_name, text, expected) => {
    expect(chunks(text)).toEqual(expected);
  });

  it("speaks actions as text with actions: speak", () => {
    expect(chunks("*smiles warmly* Welcome back. *bows deeply*", { actions: "speak" })).toEqual([
      "smiles warmly Welcome back.",
      "bows deeply",
    ]);
  });

  it("honours firstMinWords", () => {
    expect(chunks("Well, I think so.", { firstMinWords: 1 })).toEqual(["Well,", "I think so."]);
  });

  it("cuts run-on text near maxChars, at a comma when there is one", () => {
    const text = "word ".repeat(30) + "and then, " + "more ".repeat(40) + "end.";
    const out = chunks(text, { maxChars: 200 });
    expect(out.length).toBeGreaterThan(1);
    for (const c of out) expect(c.length).toBeLessThanOrEqual(200);
    expect(out[0]!.endsWith("then,")).toBe(true);
    expect(out.join(" ").split(/\s+/).length).toBe(text.trim().split(/\s+/).length);
  });

  it("emits the first clause before the rest of the reply arrives", () => {
    const c = new ClauseChunker();
    expect(c.push("Sure thing, my friend")).toEqual([]);
    expect(c.push(", let me")).toEqual(["Sure thing, my friend,"]);
    expect(c.push(" check. An")).toEqual(["let me check."]);
    expect(c.flush()).toEqual(["An"]);
  });

  it("does not hold back speech for a span that never closes", () => {
    const long = " Then wait for the whole thing to load, which takes a while.";
    for (const [text, first] of [
      ["Press the ` key to open the console." + long, "Press the key to open the console."],
      ["So 2*3 is six, as you know." + long, "So 2 times 3 is six,"],
      ["*leans closer and whispers Listen carefully." + long, "leans closer and whispers Listen carefully."],
    ] as const) {
      const c = new ClauseChunker();
      const out = Array.from(text).flatMap((ch) => c.push(ch));
      expect(out[0], text).toBe(first);
      expect(out.length, text).toBeGreaterThan(0);
    }
  });

  it("waits for the next character before deciding on a period", () => {
    const c = new ClauseChunker();
    expect(c.push("It costs 3.")).toEqual([]);
    expect(c.push("5 dollars. ")).toEqual(["It costs 3.5 dollars."]);
  });

  it("reset() forgets pending text and the first-chunk state", () => {
    const c = new ClauseChunker();
    expect(c.push("One two three four five, six")).toEqual(["One two three four five,"]);
    c.reset();
    expect(c.push("Alpha beta gamma delta, x")).toEqual(["Alpha beta gamma delta,"]);
  });
});
