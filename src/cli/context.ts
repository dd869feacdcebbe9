import { loadConfig, type LoadedConfig } from "../config/load.js";
import { configureLog, type LogLevel } from "../core/log.js";
import { flagsToConfig, type RootFlags } from "./flags.js";

export interface GlobalFlags extends RootFlags {
  verbose?: boolean;
  json?: boolean;
}

/**
 * Load the effective config (defaults < project file < user file < env < flags) and route logs to
 * their file. `--verbose` also echoes log lines (with stacks) to stderr.
 */
export async function prepare(flags: GlobalFlags, options: { echoLogs?: boolean } = {}): Promise<LoadedConfig> {
  // Until the config is known, log to nowhere but --verbose's stderr.
  configureLog({
    level: flags.verbose ? "debug" : "info",
    ...(flags.verbose ? { echo: (l: string) => process.stderr.write(l + "\n") } : {}),
  });
  const { input, names } = flagsToConfig(flags);
  const loaded = await loadConfig({ cwd: process.cwd(), env: process.env, flags: input, flagNames: names });
  const level: LogLevel = flags.verbose ? "debug" : loaded.config.log.level;
  const echo = flags.verbose && options.echoLogs !== false ? (l: string) => process.stderr.write(l + "\n") : undefined;
  configureLog({ file: loaded.config.log.file, level, ...(echo ? { echo } : {}) });
  return loaded;
}
