import type { Command } from "commander";
import { configAsJson, formatEffectiveConfig } from "../config/print.js";
import { prepare, type GlobalFlags } from "./context.js";

/** The subcommands; each loads what it needs lazily so `roleplay config` stays fast. */
export function registerSubcommands(program: Command): void {
  program
    .command("config")
    .description("print the effective config and where each value came from")
    .option("--json", "as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags>();
      const loaded = await prepare(flags);
      process.stdout.write(opts.json ? JSON.stringify(configAsJson(loaded), null, 2) + "\n" : formatEffectiveConfig(loaded));
    });
}
