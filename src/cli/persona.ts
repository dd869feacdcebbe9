import { buildSystemPrompt, greeting as characterGreeting } from "../characters/prompt.js";
import { findCharacter } from "../characters/registry.js";
import type { Character, SamplingSettings, VoiceSettings } from "../characters/types.js";
import type { Config } from "../config/schema.js";

/** Everything the runtime needs from the character: who it is, how it is prompted and how it sounds. */
export interface Persona {
  name: string;
  systemPrompt: string;
  greeting: string;
  sampling: SamplingSettings;
  voice: VoiceSettings;
  character: Character;
}

/**
 * Resolve the configured character (name or file) into a persona. Config overrides win: a
 * `systemPrompt` replaces the character's prompt and `characterName` its display name.
 */
export async function resolvePersona(
  config: Pick<Config, "character" | "characterName" | "systemPrompt" | "userName">,
): Promise<Persona> {
  const character = await findCharacter(config.character);
  const named: Character = config.characterName ? { ...character, name: config.characterName } : character;
  const userName = config.userName;
  return {
    name: named.name,
    systemPrompt: config.systemPrompt ?? buildSystemPrompt(named, { userName }),
    greeting: named.greeting ? characterGreeting(named, { userName }) : "",
    sampling: named.sampling ?? {},
    voice: named.voice ?? {},
    character: named,
  };
}
