import { activeLoreEntries } from "../characters/lorebook.js";
import { postHistoryInstructions } from "../characters/prompt.js";
import { substituteMacros } from "../characters/macros.js";
import type { Character } from "../characters/types.js";
import type { ChatMessage } from "../llm/engine.js";

/**
 * The per-turn context of a character: lorebook entries whose keys appear in the recent messages
 * (and constant ones), within the book's token budget, then the post-history instructions.
 * Undefined when there is nothing to add.
 */
export function characterTurnContext(
  character: Character,
  userName: string,
): ((userText: string, recent: ChatMessage[]) => string | undefined) | undefined {
  const instructions = postHistoryInstructions(character, { userName });
  if (!character.lorebook?.entries.length && !instructions) return undefined;
  return (userText, recent) => {
    const texts = [...recent.filter((m) => m.role !== "system").map((m) => m.text), userText];
    const lore = activeLoreEntries(character.lorebook, texts).map((e) =>
      substituteMacros(e.content.trim(), { char: character.name, user: userName }),
    );
    const parts = [lore.length ? `Relevant facts:\n${lore.join("\n")}` : "", instructions].filter(Boolean);
    return parts.length ? parts.join("\n\n") : undefined;
  };
}
