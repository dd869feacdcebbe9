import type { Command } from "commander";
import { registerCharacters } from "./commands/characters.js";
import { registerCommands } from "./commands/commands.js";
import { registerConfig } from "./commands/config.js";
import { registerDevices } from "./commands/devices.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerModels } from "./commands/models.js";
import { registerSessions } from "./commands/sessions.js";
import { registerVoiceTools } from "./commands/voice-tools.js";
import { registerWrap } from "./commands/wrap.js";

/**
 * The subcommands, one file each under ./commands; each loads what it needs lazily so that
 * `roleplay config` or `roleplay commands` stay fast.
 */
export function registerSubcommands(program: Command): void {
  registerConfig(program);
  registerCharacters(program);
  registerSessions(program);
  registerVoiceTools(program);
  registerModels(program);
  registerDoctor(program);
  registerDevices(program);
  registerCommands(program);
  registerWrap(program);
}
