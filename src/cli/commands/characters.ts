import type { Command } from "commander";
import { prepare, type GlobalFlags } from "../context.js";
import { usageExit } from "./usage-exit.js";

/** `roleplay characters list | show NAME | validate FILE | import FILE [--force]`. */
export function registerCharacters(program: Command): void {
  const characters = program
    .command("characters")
    .description("list, show, validate and import characters (own YAML/JSON files and Character Cards V1/V2)")
    // Usage errors exit 2 like the root command's (set before the subcommands, which inherit it).
    .exitOverride(usageExit);

  characters
    .command("list")
    .description("the shipped and imported characters")
    .action(async (_opts: unknown, cmd: Command) => {
      const loaded = await prepare(cmd.optsWithGlobals<GlobalFlags>());
      const { charactersList } = await import("../../characters/index.js");
      process.stdout.write((await charactersList({ userName: loaded.config.userName })) + "\n");
    });

  characters
    .command("show")
    .description("a character's details, greeting and the system prompt it produces")
    .argument("<name>", "character name, id or file")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const loaded = await prepare(cmd.optsWithGlobals<GlobalFlags>());
      const { charactersShow } = await import("../../characters/index.js");
      process.stdout.write((await charactersShow(name, { userName: loaded.config.userName })) + "\n");
    });

  characters
    .command("validate")
    .description("check a character file or card; an invalid one is named field by field")
    .argument("<file>", "YAML, JSON or PNG character file")
    .action(async (file: string) => {
      const { charactersValidate } = await import("../../characters/index.js");
      process.stdout.write((await charactersValidate(file)) + "\n");
    });

  characters
    .command("import")
    .description("validate a character file or card and copy it into your characters folder")
    .argument("<file>", "YAML, JSON or PNG character file")
    .option("--force", "replace a character of the same id")
    .action(async (file: string, opts: { force?: boolean }) => {
      const { charactersImport } = await import("../../characters/index.js");
      process.stdout.write((await charactersImport(file, { overwrite: Boolean(opts.force) })) + "\n");
    });
}
