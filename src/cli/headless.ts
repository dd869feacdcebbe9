import type { SessionEvent } from "../core/events.js";
import type { Runtime } from "./runtime.js";

export interface HeadlessOutput {
  write(text: string): void;
}

/** Read the whole prompt from stdin (`-p -`). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** NDJSON: one event per line; audio-rate level events are left out. */
export function jsonEventWriter(out: HeadlessOutput): (event: SessionEvent) => void {
  return (event) => {
    if (event.type === "level") return;
    out.write(JSON.stringify(event) + "\n");
  };
}

/** Plain text: the reply streams to stdout; notices and errors go to stderr. */
export function textEventWriter(out: HeadlessOutput, err: HeadlessOutput): (event: SessionEvent) => void {
  let midLine = false;
  return (event) => {
    switch (event.type) {
      case "delta":
        out.write(event.text);
        midLine = !event.text.endsWith("\n");
        break;
      case "reply":
        if (midLine) out.write("\n");
        midLine = false;
        if (event.interrupted) err.write("[interrupted]\n");
        break;
      case "transcript":
        err.write(`you: ${event.text}\n`);
        break;
      case "command":
        err.write(`[command: ${event.command}]\n`);
        break;
      case "notice":
        err.write(`roleplay: ${event.message}\n`);
        break;
      case "error":
        err.write(`roleplay: ${event.message}\n${event.hint ? `  hint: ${event.hint}\n` : ""}`);
        break;
      default:
        break;
    }
  };
}

/**
 * Run prompts through the session without a UI: each prompt is one turn. Resolves with the exit
 * code: 0, or 1 when a turn reported an error.
 */
export async function runHeadlessPrompts(
  runtime: Runtime,
  prompts: string[],
  options: { json: boolean; out?: HeadlessOutput; err?: HeadlessOutput },
): Promise<number> {
  const out = options.out ?? { write: (s) => process.stdout.write(s) };
  const err = options.err ?? { write: (s) => process.stderr.write(s) };
  const writer = options.json ? jsonEventWriter(out) : textEventWriter(out, err);
  let failed = false;
  const off = runtime.session.on((event) => {
    if (event.type === "error") failed = true;
    writer(event);
  });
  try {
    if (options.json) {
      writer({
        type: "ready",
        model: runtime.engine.modelName,
        character: runtime.persona.name,
        ...(runtime.contextSize ? { contextSize: runtime.contextSize } : {}),
        ...(runtime.threads ? { threads: runtime.threads } : {}),
      });
    }
    const usable = prompts.map((p) => p.trim()).filter(Boolean);
    for (const prompt of usable) await runtime.session.send(prompt);
  } finally {
    off();
  }
  return failed ? 1 : 0;
}
