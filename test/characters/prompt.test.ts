import { describe, expect, it } from "vitest";
import { characterFromCard } from "../../src/characters/card.js";
import { activeLoreEntries } from "../../src/characters/lorebook.js";
import { substituteMacros } from "../../src/characters/macros.js";
import {
  DEFAULT_MAIN_PROMPT,
  buildSystemPrompt,
  formatExampleDialogue,
  greeting,
  greetings,
  postHistoryInstructions,
} from "../../src/characters/prompt.js";
import { CharacterError } from "../../src/core/errors.js";
import { v2Card } from "./fixtures.js";

describe("macros", () => {
  it("substitutes {{char}} and {{user}} in any case, and the legacy <BOT>/<USER>", () => {
    const names = { char: "Mira", user: "Ada" };
    expect(substituteMacros("{{char}} {{CHAR}} {{ Char }} {{user}} {{User}} <BOT> <USER> <bot>", names)).toBe(
      "Mira Mira Mira Ada Ada Mira Ada Mira",
    );
    expect(substituteMacros("{{original}} {{random}} <b>", names)).toBe("{{original}} {{random}} <b>");
  });
});

describe("buildSystemPrompt", () => {
  const mira = characterFromCard(v2Card());

  it("puts the persona in, macros substituted everywhere", () => {
    const prompt = buildSystemPrompt(mira, { userName: "Ada" });
    expect(prompt).toContain("Mira commands the airship Kestrel and trusts Ada with the helm.");
    expect(prompt).toContain("Captain Mira's personality:\nbold, loyal");
    expect(prompt).toContain("Scenario:\nA storm over the Shattered Coast.");
    expect(prompt).toContain("Ada: Where are we?\nCaptain Mira: Over the coast, Ada.");
    expect(prompt).not.toMatch(/\{\{|<START>|<USER>/i);
  });

  it("replaces the main prompt with the card's system prompt, {{original}} standing for the default", () => {
    const prompt = buildSystemPrompt(mira, { userName: "Ada" });
    const expectedMain = substituteMacros(DEFAULT_MAIN_PROMPT, { char: "Captain Mira", user: "Ada" });
    expect(prompt.startsWith(`${expectedMain} Speak like a sky captain.`)).toBe(true);
    const own = buildSystemPrompt(
      { ...mira, systemPrompt: "You are {{char}}. Only pirate talk." },
      { userName: "Ada" },
    );
    expect(own.startsWith("You are Captain Mira. Only pirate talk.")).toBe(true);
    expect(own).not.toContain("spoken conversation");
    const none = buildSystemPrompt({ ...mira, systemPrompt: "" });
    expect(none.startsWith(substituteMacros(DEFAULT_MAIN_PROMPT, { char: "Captain Mira", user: "User" }))).toBe(true);
  });

  it("adds the active lore entries", () => {
    const lore = activeLoreEntries(mira.lorebook, ["Tell me about the Kestrel"]);
    const prompt = buildSystemPrompt(mira, { userName: "Ada", loreEntries: lore });
    expect(prompt).toContain("The Kestrel is a three-masted airship.");
    expect(prompt).not.toContain("Storms here last days.");
    const before = buildSystemPrompt(mira, {
      loreEntries: [{ ...lore[0]!, position: "before_char", content: "EARLY {{user}}" }],
      userName: "Ada",
    });
    expect(before.indexOf("EARLY Ada")).toBeLessThan(before.indexOf("About Captain Mira"));
  });

  it("omits empty sections", () => {
    const bare = { ...mira, description: "", personality: "", scenario: "", exampleDialogue: "" };
    const prompt = buildSystemPrompt(bare);
    expect(prompt).not.toMatch(/About|personality:|Scenario:|Examples/);
  });

  it("formats example dialogue", () => {
    expect(formatExampleDialogue("<START>\nA: 1\nB: 2\n<start>\nA: 3")).toBe("A: 1\nB: 2\n\nA: 3");
  });
});

describe("greetings and post-history instructions", () => {
  const mira = characterFromCard(v2Card());
  it("returns the greeting by index, macros substituted", () => {
    expect(greeting(mira, { userName: "Ada" })).toBe("Welcome aboard, Ada! I'm Captain Mira.");
    expect(greeting(mira, { userName: "Ada", index: 1 })).toBe("Hold on tight, Ada!");
    expect(greetings(mira)).toHaveLength(3);
    expect(() => greeting(mira, { index: 3 })).toThrow(CharacterError);
    expect(() => greeting(mira, { index: -1 })).toThrow(CharacterError);
  });
  it("substitutes the post-history instructions", () => {
    expect(postHistoryInstructions(mira)).toBe("Stay in Captain Mira's voice.");
  });
});
