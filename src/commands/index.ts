export { describeCommands, type CommandDescription } from "./describe.js";
export { DictationDraft } from "./dictation.js";
export { matchCommand, type CommandMatch, type MatchOptions } from "./match.js";
export {
  COMMAND_DESCRIPTIONS,
  DEFAULT_FILLERS,
  DEFAULT_PHRASES,
  FILLER_FREE_COMMANDS,
  resolvePhrases,
} from "./phrases.js";
export {
  activeCommands,
  CHILD_COMMANDS,
  CHILD_ONLY_COMMANDS,
  COMMAND_NAMES,
  isCommandName,
  type CommandName,
  type CommandPhrases,
} from "./types.js";
