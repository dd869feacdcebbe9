import { COMMAND_DESCRIPTIONS, DEFAULT_PHRASES } from "./phrases.js";
import { CHILD_COMMANDS, CHILD_ONLY_COMMANDS, COMMAND_NAMES, type CommandName, type CommandPhrases } from "./types.js";

export interface CommandDescription {
  name: CommandName;
  phrases: string[];
  description: string;
  /** "child": presses keys in the PTY child; "app": acts on roleplay itself. */
  target: "app" | "child";
  /** Only active while a PTY child exists (the child commands and "restart"). */
  childOnly: boolean;
}

/** Every command with its phrases and what it does, in priority order (`roleplay commands`, `/commands`). */
export function describeCommands(phrases: Readonly<CommandPhrases> = DEFAULT_PHRASES): CommandDescription[] {
  return COMMAND_NAMES.map((name) => ({
    name,
    phrases: [...(phrases[name] ?? [])],
    description: COMMAND_DESCRIPTIONS[name],
    target: CHILD_COMMANDS.has(name) ? "child" : "app",
    childOnly: CHILD_ONLY_COMMANDS.has(name),
  }));
}
