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
    ["Hello *waves* there", "Hello there"],
    ["a <br/> b", "a b"],
    ["| a | b |", "a b"],
    ["Hello , world .", "Hello, world."],
    ["   ", ""],
    ["...", ""],
  ])("%j → %j", (input, expected) => {
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
