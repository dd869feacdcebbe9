import { CharacterError } from "../core/errors.js";
import { substituteMacros } from "./macros.js";
import type { Character, LoreEntry } from "./types.js";

/** The main prompt used when a character has no system prompt of its own (`{{original}}` in one). */
export const DEFAULT_MAIN_PROMPT =
  "You are {{char}}, in a spoken conversation with {{user}}. Stay in character and write only {{char}}'s next reply. " +
  "Your words are read aloud: keep replies short and natural to say, with no markdown, lists or emoji.";

export const DEFAULT_USER_NAME = "User";

export interface PromptOptions {
  /** What `{{user}}` becomes (default "User"). */
  userName?: string;
  /** Lorebook entries active for this turn (from `activeLoreEntries`). */
  loreEntries?: readonly LoreEntry[];
}

/** Example dialogue with its `<START>` separators turned into blank lines. */
export function formatExampleDialogue(text: string): string {
  return text
    .split(/^[ \t]*<START>[ \t]*$/im)
    .map((block) => block.trim())
    .filter(Boolean)
    .join("\n\n");
}

function section(title: string, body: string): string | undefined {
  const text = body.trim();
  return text ? `${title}\n${text}` : undefined;
}

/**
 * The persona as one system prompt: the main prompt (the card's own `system_prompt` when it has one,
 * with `{{original}}` standing for the default), the description, personality, scenario, active
 * lore and example dialogue, with every macro substituted.
 */
export function buildSystemPrompt(character: Character, options: PromptOptions = {}): string {
  const user = options.userName?.trim() || DEFAULT_USER_NAME;
  const lore = options.loreEntries ?? [];
  const main = character.systemPrompt.trim()
    ? character.systemPrompt.replace(/\{\{\s*original\s*\}\}/gi, DEFAULT_MAIN_PROMPT)
    : DEFAULT_MAIN_PROMPT;
  const loreText = (entries: readonly LoreEntry[]): string => entries.map((e) => e.content.trim()).join("\n");
  const before = lore.filter((e) => e.position === "before_char");
  const after = lore.filter((e) => e.position !== "before_char");
  const parts = [
    main.trim(),
    section("Background:", loreText(before)),
    section("About {{char}}:", character.description),
    section("{{char}}'s personality:", character.personality),
    section("Scenario:", character.scenario),
    section("Relevant facts:", loreText(after)),
    section("Examples of how {{char}} talks:", formatExampleDialogue(character.exampleDialogue)),
  ].filter((p): p is string => Boolean(p));
  return substituteMacros(parts.join("\n\n"), { char: character.name, user });
}

/** The instructions that go after the chat history, macros substituted ("" when none). */
export function postHistoryInstructions(character: Character, options: { userName?: string } = {}): string {
  const user = options.userName?.trim() || DEFAULT_USER_NAME;
  return substituteMacros(character.postHistoryInstructions.trim(), { char: character.name, user });
}

/** Every greeting (the main one first, then the alternates), macros substituted. */
export function greetings(character: Character, options: { userName?: string } = {}): string[] {
  const user = options.userName?.trim() || DEFAULT_USER_NAME;
  return [character.greeting, ...character.alternateGreetings].map((g) =>
    substituteMacros(g.trim(), { char: character.name, user }),
  );
}

/** The greeting a new chat starts with: index 0 is the main greeting, 1.. the alternates. */
export function greeting(character: Character, options: { index?: number; userName?: string } = {}): string {
  const all = greetings(character, options);
  const index = options.index ?? 0;
  const text = all[index];
  if (!Number.isInteger(index) || text === undefined) {
    throw new CharacterError("GREETING_INDEX", `${character.name} has no greeting number ${index}`, {
      hint: `Choose 0 to ${all.length - 1} (0 is the main greeting).`,
    });
  }
  return text;
}
