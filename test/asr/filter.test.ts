import { describe, expect, it } from "vitest";
import { cleanTranscript } from "../../src/asr/filter.js";

describe("cleanTranscript", () => {
  const dropped: string[] = [
    "",
    "   ",
    "[BLANK_AUDIO]",
    " [BLANK_AUDIO] ",
    "(music)",
    "[Music]",
    "[ Music ]",
    "(upbeat music)",
    "*silence*",
    "♪ ♪",
    "♪♪♪",
    "...",
    " . ",
    "Thank you.",
    " thank you",
    "Thank you very much!",
    "Thanks for watching!",
    "Thank you for watching.",
    "Thank you. Thank you.",
    "Subtitles by the Amara.org community",
    "Transcription by CastingWords",
    "you",
    " you",
    "You.",
    "Bye.",
    "Please subscribe!",
    "[BLANK_AUDIO] Thank you.",
    "(applause) Thanks for watching!",
    "Продолжение следует...",
    "ご視聴ありがとうございました",
  ];
  it.each(dropped)("drops %j", (input) => {
    expect(cleanTranscript(input)).toBeNull();
  });

  const kept: [string, string][] = [
    ["Hello there.", "Hello there."],
    ["  Hello   there. ", "Hello there."],
    ["[BLANK_AUDIO] Hello there.", "Hello there."],
    ["Hello (coughs) there.", "Hello there."],
    ["Thank you for the help with my code.", "Thank you for the help with my code."],
    ["Thank you. Now open the file.", "Thank you. Now open the file."],
    ["Can you hear me?", "Can you hear me?"],
    ["you are late", "you are late"],
    ["Send.", "Send."],
    ["42", "42"],
    ["Ich möchte einen Kaffee.", "Ich möchte einen Kaffee."],
    ["Hello\n\tworld", "Hello world"],
  ];
  it.each(kept)("keeps %j", (input, output) => {
    expect(cleanTranscript(input)).toBe(output);
  });
});
