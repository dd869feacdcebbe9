import type { Command } from "commander";
import { registerConfig } from "./commands/config.js";

/**
 * The subcommands, one file each under ./commands; each loads what it needs lazily so that
 * `roleplay config` or `roleplay commands` stay fast.
 */
export function registerSubcommands(program: Command): void {
  registerConfig(program);
}
