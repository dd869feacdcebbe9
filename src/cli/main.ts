import { Command, Option } from "commander";
import { UsageError } from "../core/errors.js";
import { reportError } from "./errors.js";
import type { GlobalFlags } from "./context.js";
import { registerSubcommands } from "./subcommands.js";
import { runRoot } from "./root.js";
import { VERSION } from "./version.js";

/** Build the command-line program. Exported for tests. */
export function buildProgram(): Command {
  const program = new Command("roleplay")
    .description("Talk to a local character, hands-free, in your terminal.")
    .version(VERSION, "-V, --version")
    .option("-m, --model <path>", "LLM model file (GGUF) or reference")
    .option("-p, --prompt <text>", 'headless: answer one prompt and exit ("-" reads stdin)')
    .option("--json", "headless: print newline-delimited JSON events")
    .option("-c, --character <name|file>", "character to talk to")
    .option("--character-name <name>", "display name of the character")
    .option("--user <name>", "your name ({{user}})")
    .option("--system-prompt <text>", "replace the character's system prompt")
    .option("--context-size <n|auto>", "LLM context window in tokens")
    .option("--threads <n|auto>", "CPU threads for the LLM")
    .option("--gpu-layers <n|auto|max>", "layers to offload to the GPU")
    .option("--temperature <t>", "sampling temperature")
    .option("--top-p <p>", "nucleus sampling")
    .option("--max-tokens <n>", "longest reply in tokens")
    .option("--seed <n>", "sampling seed")
    .option("--audio-in <mic|none|file.wav>", "microphone, none, or a WAV file fed in real time")
    .option("--audio-out <speaker|none|file.wav>", "speaker, none, or a WAV file of the conversation")
    .option("--asr-model <path>", "whisper model file (ggml .bin)")
    .option("--language <code|auto>", "spoken language for whisper")
    .option("--voice <spec>", "espeak[:name], path/to/voice.onnx, or none")
    .option("--push-to-talk", "record only while toggled with the push-to-talk key")
    .option("--headphones", "allow full barge-in (no echo from loudspeakers)")
    .option("--text", "text only: no microphone and no speech")
    .option("--resume", "continue the last conversation with this character")
    .option("--session <id>", "continue a given stored conversation")
    .option("--models-dir <dir>", "where models are kept")
    .option("-y, --yes", "accept the recommended models without asking")
    .addOption(new Option("--log-level <level>", "log level").choices(["debug", "info", "warn", "error"]))
    .option("-v, --verbose", "verbose logs on stderr, with stack traces")
    .showHelpAfterError("(roleplay --help lists the commands and options)")
    .argument("[command]", "a subcommand (see below); none starts the chat")
    .action(
      async (
        command: string | undefined,
        flags: GlobalFlags & { prompt?: string; resume?: boolean; session?: string; yes?: boolean },
      ) => {
        if (command !== undefined) {
          const known = program.commands.map((c) => c.name()).join(", ");
          throw new UsageError("UNKNOWN_COMMAND", `unknown command "${command}"`, {
            hint: `Commands: ${known}. roleplay --help explains them.`,
          });
        }
        process.exitCode = await runRoot(flags);
      },
    );
  // Usage errors exit 2 like our own usage errors (help and --version exit 0); set before the
  // subcommands are added so they inherit it.
  program.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
  registerSubcommands(program);
  // Root options are also recognised after a subcommand's name, so the root takes `--json` and
  // `--yes` there too: hand them to the subcommand that declares them.
  program.hook("preAction", (_root, action) => {
    if (action === program) return;
    for (const name of ["json", "yes", "force"]) {
      const global = program.getOptionValue(name) as unknown;
      if (
        global !== undefined &&
        action.options.some((o) => o.attributeName() === name) &&
        action.getOptionValue(name) === undefined
      ) {
        action.setOptionValue(name, global);
      }
    }
  });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err, { verbose: argv.includes("--verbose") || argv.includes("-v") });
  }
}
