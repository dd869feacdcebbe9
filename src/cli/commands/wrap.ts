import type { Command } from "commander";
import type { WrapFlags } from "../wrap.js";
import { usageExit } from "./usage-exit.js";
import { preferInteractiveUi, requireTerminal } from "../interactive.js";

/** `roleplay wrap -- <command> [args]`: a program kept alive in a pane, driven by voice and keys. */
export function registerWrap(program: Command): void {
  program
    .command("wrap")
    .description("run a program (a shell, a coding CLI) in a pane: dictate into it, say “send”, hear its answer")
    .argument("<command>", "the program to run")
    .argument("[args...]", "its arguments (put them after --: roleplay wrap -- bash --norc)")
    .allowUnknownOption()
    .option("--resume", "continue the last conversation with this character (with a model)")
    .option("--session <id>", "continue a given stored conversation (with a model)")
    .addHelpText(
      "after",
      [
        "",
        "Keys: Ctrl+G moves the keyboard between the program and roleplay's input line;",
        "Ctrl+R restarts the program after it exits. Voice: dictate, then “send”; “yes”, “no”,",
        "“escape”, “up”, “down”, “tab”, “interrupt” press keys in it (`roleplay commands`).",
        "Without a model, lines typed in roleplay's input go to the program too.",
      ].join("\n"),
    )
    .exitOverride(usageExit)
    .action(async (command: string, args: string[], _opts: unknown, cmd: Command) => {
      requireTerminal("roleplay wrap");
      preferInteractiveUi();
      const { runWrap } = await import("../wrap.js");
      process.exitCode = await runWrap(command, args, cmd.optsWithGlobals<WrapFlags>());
    });
}
