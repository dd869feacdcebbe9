import { errorMessage } from "../core/errors.js";
import type { AppController } from "./app.js";

export type SlashHandler = (args: string, app: AppController, ctx: SlashContext) => Promise<void> | void;

export interface SlashContext {
  app: AppController;
  /** Commands added by the front end: name (without "/") → description and handler. */
  extra?: Record<string, { description: string; run: SlashHandler }>;
}

const BUILT_IN: Record<string, { description: string; run: SlashHandler }> = {
  help: { description: "show commands and keys", run: (_a, app, ctx) => app.showPanel("Help", helpText(ctx)) },
  clear: { description: "start a new conversation", run: (_a, app) => app.newChat() },
  quit: { description: "leave roleplay", run: (_a, app) => app.quit() },
  exit: { description: "leave roleplay", run: (_a, app) => app.quit() },
};

function helpText(ctx: SlashContext): string {
  const all = { ...BUILT_IN, ...(ctx.extra ?? {}) };
  const cmds = Object.entries(all)
    .filter(([name]) => name !== "exit")
    .map(([name, c]) => `  /${name.padEnd(10)} ${c.description}`)
    .join("\n");
  return [
    "Commands:",
    cmds,
    "",
    "Keys:",
    "  Enter       send the message",
    "  Esc         stop the reply (or close this panel)",
    "  Ctrl+C      stop the reply; press twice to quit",
    "  PgUp/PgDn   scroll the conversation",
    "  Ctrl+T      push-to-talk: start/stop recording",
    "",
    "Voice: say “stop” to interrupt, “new chat”, “scroll up”, “mute”… — `roleplay commands` lists them.",
  ].join("\n");
}

/** Run a typed "/command args" line. Unknown commands show a notice, never an exception. */
export async function runSlashCommand(line: string, ctx: SlashContext): Promise<void> {
  const match = /^\/(\S+)\s*(.*)$/s.exec(line.trim());
  if (!match) return;
  const name = match[1]!.toLowerCase();
  const args = match[2] ?? "";
  const command = BUILT_IN[name] ?? ctx.extra?.[name];
  if (!command) {
    ctx.app.session.emit({ type: "notice", level: "warn", message: `unknown command /${name} — type /help` });
    return;
  }
  try {
    await command.run(args, ctx.app, ctx);
  } catch (err) {
    ctx.app.session.emit({ type: "error", message: `/${name} failed: ${errorMessage(err)}` });
  }
}
