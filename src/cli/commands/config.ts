import type { Command } from "commander";
import { configAsJson, formatEffectiveConfig } from "../../config/print.js";
import { prepare, type GlobalFlags } from "../context.js";

export function registerConfig(program: Command): void {
  program
    .command("config")
    .description("print the effective config and where each value came from")
    .option("--json", "as JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags>();
      const loaded = await prepare(flags);
      for (const w of loaded.warnings) process.stderr.write(`roleplay: ${w}\n`);
      process.stdout.write(opts.json ? configAsJson(loaded) + "\n" : formatEffectiveConfig(loaded));
    });
}
