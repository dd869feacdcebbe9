import type { CommanderError } from "commander";

/** A subcommand's usage error exits 2 (as our own usage errors do); help and version exit 0. */
export function usageExit(err: CommanderError): never {
  process.exit(err.exitCode === 0 ? 0 : 2);
}
