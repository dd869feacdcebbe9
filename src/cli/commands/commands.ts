import type { Command } from "commander";
import {
  activeCommands,
  describeCommands,
  isCommandName,
  matchCommand,
  resolvePhrases,
  type CommandName,
  type CommandPhrases,
} from "../../commands/index.js";
import type { ResolvedConfig } from "../../config/schema.js";
import type { SlashHandler } from "../../pipeline/slash.js";
import { prepare, type GlobalFlags } from "../context.js";
import { usageExit } from "./usage-exit.js";

type CommandsConfig = Pick<ResolvedConfig, "commands">;

/** The phrases in effect (defaults merged with `commands.phrases`), and config keys that name no command. */
export function configuredPhrases(config: CommandsConfig): { phrases: CommandPhrases; unknown: string[] } {
  const custom: Partial<Record<CommandName, string[]>> = {};
  const unknown: string[] = [];
  for (const [name, list] of Object.entries(config.commands.phrases)) {
    if (isCommandName(name)) custom[name] = list;
    else unknown.push(name);
  }
  return { phrases: resolvePhrases(custom), unknown };
}

function wrapPhrases(phrases: readonly string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const p of phrases.map((x) => `“${x}”`)) {
    const next = line ? `${line}, ${p}` : p;
    if (line && indent.length + next.length > width) {
      lines.push(indent + line + ",");
      line = p;
    } else line = next;
  }
  if (line) lines.push(indent + line);
  return lines.length > 0 ? lines : [indent + "(no phrases)"];
}

/** `roleplay commands` and `/commands`: every command, what it does, and its phrases. */
export function formatCommandList(config: CommandsConfig, options: { width?: number } = {}): string {
  const width = Math.max(40, options.width ?? 100);
  const { phrases, unknown } = configuredPhrases(config);
  const all = describeCommands(phrases);
  const out: string[] = [];
  if (!config.commands.enabled)
    out.push("Voice commands are OFF (commands.enabled: false): everything you say is text.", "");
  const wake = config.commands.wakePhrase;
  out.push(
    wake
      ? `Wake phrase: “${wake}” — only utterances that begin with it are acted on (“${wake}, send”).`
      : "Wake phrase: off (set commands.wakePhrase to require one).",
    "An utterance is a command only when the whole of it is a phrase; casing and punctuation do not matter.",
    "",
  );
  const section = (title: string, list: typeof all): void => {
    out.push(title);
    for (const c of list) {
      out.push(`  ${c.name.padEnd(18)} ${c.description}`);
      out.push(...wrapPhrases(c.phrases, " ".repeat(21), width));
    }
    out.push("");
  };
  section(
    "Commands:",
    all.filter((c) => !c.childOnly),
  );
  section(
    "With a wrapped program (roleplay wrap -- <command>):",
    all.filter((c) => c.childOnly),
  );
  out.push(
    'Add phrases in your config: commands: { phrases: { send: ["go ahead"] } } ("!phrase" removes a default, "!*" replaces them).',
  );
  if (unknown.length > 0) out.push(`Ignored in commands.phrases (not a command): ${unknown.join(", ")}`);
  out.push('Check a phrase: roleplay commands test "send it"');
  return out.join("\n");
}

/** One line per command (the TUI's `/commands` panel): its name and as many phrases as fit. */
export function formatCommandSummary(
  config: CommandsConfig,
  options: { width?: number; child?: boolean } = {},
): string {
  const width = Math.max(40, options.width ?? 100);
  const { phrases } = configuredPhrases(config);
  const list = describeCommands(phrases).filter((c) => options.child || !c.childOnly);
  const wake = config.commands.wakePhrase;
  const head = !config.commands.enabled
    ? "Voice commands are off (commands.enabled: false)."
    : `Say the whole phrase${wake ? `, after “${wake}”` : ""}. /commands <words> tests one; \`roleplay commands\` shows all.`;
  const lines = list.map((c) => {
    let line = `${c.name.padEnd(18)}`;
    for (const [i, p] of c.phrases.entries()) {
      const piece = `${i > 0 ? ", " : ""}“${p}”`;
      if (line.length + piece.length + 3 > width) return line + ", …";
      line += piece;
    }
    return line;
  });
  return [head, ...lines].join("\n");
}

export interface UtteranceVerdict {
  command: CommandName | null;
  /** One line for people. */
  explanation: string;
}

/** What an utterance would do, the way the voice router decides it (wake phrase and config included). */
export function testUtterance(
  utterance: string,
  config: CommandsConfig,
  options: { child?: boolean } = {},
): UtteranceVerdict {
  const quoted = `“${utterance.trim()}”`;
  if (!config.commands.enabled) {
    return { command: null, explanation: `${quoted} is text: voice commands are off (commands.enabled: false).` };
  }
  const { phrases } = configuredPhrases(config);
  const child = options.child === true;
  const base = { phrases, wakePhrase: config.commands.wakePhrase };
  const match = matchCommand(utterance, { ...base, active: activeCommands({ child }) });
  if (match.wake === "missing") {
    return {
      command: null,
      explanation: `${quoted} is ignored: it does not begin with the wake phrase “${config.commands.wakePhrase}”.`,
    };
  }
  if (match.command) {
    const what = describeCommands(phrases).find((c) => c.name === match.command)?.description ?? "";
    const times = match.count > 1 ? ` (×${match.count})` : "";
    return { command: match.command, explanation: `${quoted} → ${match.command}${times}: ${what}` };
  }
  const rest = match.text.trim();
  if (!rest) return { command: null, explanation: `${quoted} is the wake phrase alone: nothing happens.` };
  let note = "";
  if (!child) {
    const asChild = matchCommand(utterance, { ...base, active: activeCommands({ child: true }) }).command;
    if (asChild) note = ` (with a wrapped program it would be “${asChild}”: see --child)`;
  }
  const target = child
    ? "typed into the wrapped program"
    : "sent to the character (or gathered in the draft in dictation mode)";
  return { command: null, explanation: `${quoted} is not a command: “${rest}” would be ${target}.${note}` };
}

/** `/commands` in the TUI: the list in a panel; `/commands <utterance>` tests one. */
export function commandsSlash(
  config: CommandsConfig,
  options: { child?: boolean } = {},
): Record<string, { description: string; run: SlashHandler }> {
  return {
    commands: {
      description: "list voice commands; /commands <words> tests a phrase",
      run: (args, app) => {
        const words = args.trim();
        if (words) app.showPanel("Voice command test", testUtterance(words, config, options).explanation);
        else
          app.showPanel(
            "Voice commands",
            formatCommandSummary(config, { ...options, width: (process.stdout.columns || 100) - 4 }),
          );
      },
    },
  };
}

/** `roleplay commands` (list) and `roleplay commands test "<utterance>" [--json] [--child]`. */
export function registerCommands(program: Command): void {
  const commands = program
    .command("commands")
    .description("list the voice commands and their phrases; `commands test` checks an utterance")
    .option("--json", "as JSON")
    .exitOverride(usageExit)
    .action(async (_opts: unknown, cmd: Command) => {
      // The root program also has --json and takes it wherever it stands: read it with the globals.
      const flags = cmd.optsWithGlobals<GlobalFlags>();
      const { config } = await prepare(flags);
      if (flags.json) {
        const { phrases, unknown } = configuredPhrases(config);
        const body = {
          enabled: config.commands.enabled,
          wakePhrase: config.commands.wakePhrase,
          commands: describeCommands(phrases),
          ...(unknown.length > 0 ? { ignored: unknown } : {}),
        };
        process.stdout.write(JSON.stringify(body, null, 2) + "\n");
        return;
      }
      process.stdout.write(formatCommandList(config, { width: process.stdout.columns || 100 }) + "\n");
    });
  commands
    .command("test <utterance...>")
    .description("print what an utterance would do (uses your phrases and wake phrase)")
    .option("--json", 'print {"command": "<name>"} or {"command": null}')
    .option("--child", "as in `roleplay wrap`, with the commands for the wrapped program")
    .exitOverride(usageExit)
    .action(async (words: string[], _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<GlobalFlags & { child?: boolean }>();
      const { config } = await prepare(flags);
      const verdict = testUtterance(words.join(" "), config, { child: Boolean(flags.child) });
      process.stdout.write((flags.json ? JSON.stringify({ command: verdict.command }) : verdict.explanation) + "\n");
    });
}
