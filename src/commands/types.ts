/** Every voice command roleplay knows. The last seven drive the PTY child (see CHILD_COMMANDS). */
export type CommandName =
  | "send"
  | "clear"
  | "stop"
  | "repeat"
  | "scroll-up"
  | "scroll-down"
  | "new-chat"
  | "mute"
  | "unmute"
  | "dictation-mode"
  | "conversation-mode"
  | "exit"
  | "scratch-that"
  | "restart"
  | "yes"
  | "no"
  | "escape"
  | "up"
  | "down"
  | "tab"
  | "interrupt";

/** All commands, in priority order: when one utterance matches phrases of two commands, the first wins. */
export const COMMAND_NAMES: readonly CommandName[] = [
  "send",
  "clear",
  "stop",
  "repeat",
  "scroll-up",
  "scroll-down",
  "new-chat",
  "mute",
  "unmute",
  "dictation-mode",
  "conversation-mode",
  "exit",
  "scratch-that",
  "restart",
  "yes",
  "no",
  "escape",
  "up",
  "down",
  "tab",
  "interrupt",
];

/** Commands that press keys in the PTY child; only active while a child exists. */
export const CHILD_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  "yes",
  "no",
  "escape",
  "up",
  "down",
  "tab",
  "interrupt",
]);

/** Commands that only make sense with a PTY child, though they do not press keys in it. */
export const CHILD_ONLY_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([...CHILD_COMMANDS, "restart"]);

/** The phrases of each command. */
export type CommandPhrases = Record<CommandName, string[]>;

export function isCommandName(value: string): value is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(value);
}

/**
 * The commands to listen for: without a child, everything but the child commands and
 * "restart"; with a child, all of them.
 */
export function activeCommands(options: { child: boolean }): Set<CommandName> {
  return new Set(COMMAND_NAMES.filter((name) => options.child || !CHILD_ONLY_COMMANDS.has(name)));
}
