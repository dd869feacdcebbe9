import { describe, expect, it } from "vitest";
import { cleanForSpeech, countWords, stripCodeFences } from "../../src/tts/clean.js";

describe("cleanForSpeech", () => {
  it.each([
    ["**bold** and __strong__ and _it_ and ~~gone~~", "bold and strong and it and gone"],
    ["snake_case_name stays", "snake_case_name stays"],
    ["# Title", "Title"],
    ["### Title ###", "Title"],
    ["- item\n+ other\n• third", "item other third"],
    ["> quoted", "quoted"],
    ["---", ""],
    ["Use `x = 1` here", "Use here"],
    ["a ``b ` c`` d", "a d"],
    ["[docs](https://x.y) and ![pic](p.png)", "docs and"],
    ["<https://example.com>", "example.com"],
    ["Hi 👋🏽! 🇫🇷 1️⃣ ok", "Hi! 1 ok"],
    ["*waves* Hello", "Hello"],
    ["Hello *waves* there", "Hello waves there"],
    ["a <br/> b", "a b"],
    ["| a | b |", "a b"],
    ["Hello , world .", "Hello, world."],
    ["   ", ""],
    ["...", ""],
  ])("%j → %j", (input, expected) => {
    expect(cleanForSpeech(input)).toBe(expected);
  });

  it.each([
    // Emphasis: the asterisks go, the words stay.
    ["You must *never* open the door.", "You must never open the door."],
    ["I do *not* want that, *ever*.", "I do not want that, ever."],
    ["That is *really quite* important.", "That is really quite important."],
    ["*Never* open the door.", "Never open the door."],
    ["Okay. *Never*!", "Okay. Never!"],
    ["im*port*ant", "important"],
    ["It's **very** *very* bad.", "It's very very bad."],
    // Actions: where a sentence starts, dropped whole.
    ["*smiles warmly* Hello", "Hello"],
    ["Okay. *leans closer* Listen.", "Okay. Listen."],
    ["*bows* What brings you here?", "What brings you here?"],
    ["*Sighs* I don't know.", "I don't know."],
    ["*nods* okay", "okay"],
    ["*She smiles. Then she waves.* Hello", "Hello"],
    ["Hi! *waves* *smiles* Bye.", "Hi! Bye."],
    ['"Go." *points at the door*', '"Go."'],
    ["Fine.\n*shrugs*\nWhatever.", "Fine. Whatever."],
    // Arithmetic and stray asterisks.
    ["2*3 is 6", "2 times 3 is 6"],
    ["2 * 3 * 4 = 24", "2 times 3 times 4 = 24"],
    ["Two * three", "Two three"],
    [`*${"word ".repeat(20)}end* Hi.`, `${"word ".repeat(20)}end Hi.`], // too long to be one span
  ])("actions and emphasis: %j → %j", (input, expected) => {
    expect(cleanForSpeech(input)).toBe(expected);
  });

  it("keeps action text with actions: speak", () => {
    expect(cleanForSpeech("*waves* Hello", { actions: "speak" })).toBe("waves Hello");
  });

  it("drops fenced code, closed or not", () => {
    expect(stripCodeFences("a\n```js\ncode\n```\nb")).toBe("a\nb");
    expect(stripCodeFences("a\n````\n```\nstill code\n````\nb")).toBe("a\nb");
    expect(stripCodeFences("a\n~~~\nopen")).toBe("a");
  });

  it("counts words", () => {
    expect(countWords("Hello, e.g. world's 3.14 end")).toBe(5);
    expect(countWords("")).toBe(0);
  });
});
