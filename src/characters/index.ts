export type { Character, CharacterSourceKind, LoreEntry, Lorebook, SamplingSettings, VoiceSettings } from "./types.js";
export { characterFromCard, isCardObject } from "./card.js";
export { characterFromObject, characterFileSchema, slugify } from "./schema.js";
export { readPngCard, readPngText, crc32, isPng } from "./png.js";
export { substituteMacros, type MacroNames } from "./macros.js";
export { activeLoreEntries, estimateTokens, keyMatcher, type LoreScanOptions } from "./lorebook.js";
export {
  buildSystemPrompt,
  postHistoryInstructions,
  greeting,
  greetings,
  formatExampleDialogue,
  DEFAULT_MAIN_PROMPT,
  type PromptOptions,
} from "./prompt.js";
export { parseCharacter, loadCharacterFile, CHARACTER_EXTENSIONS } from "./load.js";
export {
  listCharacters,
  findCharacter,
  importCharacter,
  validateCharacterFile,
  defaultCharacterDirs,
  shippedCharactersDir,
  userCharactersDir,
  type CharacterListing,
} from "./registry.js";
export {
  charactersList,
  charactersShow,
  charactersValidate,
  charactersImport,
  characterWarnings,
  formatCharacter,
} from "./commands.js";
