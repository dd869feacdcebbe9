import { describe, expect, it } from "vitest";
import { cleanTranscript, PHANTOM_MAX_SPEECH_MS } from "../../src/asr/filter.js";

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

  describe("phantom phrases depend on how much speech was heard", () => {
    const realShortTurns = [
      "Thank you.",
      "Thanks.",
      "Goodbye!",
      "Bye.",
      "So.",
      "You?",
      "The end.",
      "Thank you. Thank you.",
    ];
    const long = { speechMs: PHANTOM_MAX_SPEECH_MS + 300 };
    const short = { speechMs: PHANTOM_MAX_SPEECH_MS - 100 };

    it.each(realShortTurns)("keeps %j after enough speech", (input) => {
      expect(cleanTranscript(input, long)).toBe(input);
      expect(cleanTranscript(input, { confident: true })).toBe(input);
    });

    it.each(realShortTurns)("drops %j after a short sound, or when the VAD was unsure", (input) => {
      expect(cleanTranscript(input, short)).toBeNull();
      expect(cleanTranscript(input, { ...long, confident: false })).toBeNull();
      expect(cleanTranscript(input)).toBeNull(); // nothing known: as short
    });

    it.each([
      "[BLANK_AUDIO]",
      "(music)",
      "*silence*",
      "Thanks for watching!",
      "Please subscribe!",
      "Subtitles by the Amara.org community",
      "[BLANK_AUDIO] Thanks for watching!",
    ])("always drops %j", (input) => {
      expect(cleanTranscript(input, { speechMs: 5000, confident: true })).toBeNull();
    });

    it("keeps what the user said around markers, whatever the speech", () => {
      expect(cleanTranscript("[BLANK_AUDIO] Thank you.", long)).toBe("Thank you.");
      expect(cleanTranscript("Hello there.", short)).toBe("Hello there.");
    });
  });
});
