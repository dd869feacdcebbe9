import type { Command } from "commander";
import { registerCharacters } from "./commands/characters.js";
import { registerConfig } from "./commands/config.js";
import { registerSessions } from "./commands/sessions.js";
import { registerVoiceTools } from "./commands/voice-tools.js";

/**
 * The subcommands, one file each under ./commands; each loads what it needs lazily so that
 * `roleplay config` or `roleplay commands` stay fast.
 */
export function registerSubcommands(program: Command): void {
  registerConfig(program);
  registerCharacters(program);
  registerSessions(program);
  registerVoiceTools(program);
}
