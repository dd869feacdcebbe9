import type { ExportFormat, Session, SessionStore, StoredMessage } from "./types.js";
import { SessionNotFoundError } from "./errors.js";

export interface SpeakerNames {
  user?: string;
  /** Display name of the character (the session stores its id). */
  character?: string;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function speaker(message: StoredMessage, session: Session, names: SpeakerNames): string {
  if (message.role === "user") return names.user ?? "User";
  if (message.role === "assistant") return names.character ?? session.character;
  return "System";
}

/** The session as a Markdown transcript. */
export function sessionToMarkdown(
  session: Session,
  messages: readonly StoredMessage[],
  names: SpeakerNames = {},
): string {
  const lines = [
    `# ${session.title ?? `Session ${session.id}`}`,
    "",
    `- Session: ${session.id}`,
    `- Character: ${names.character ?? session.character}`,
    `- Model: ${session.model}`,
    `- Started: ${iso(session.created)}`,
    `- Last message: ${iso(session.updated)}`,
    "",
  ];
  for (const m of messages) {
    const text = m.text.trim().replace(/\n/g, "  \n");
    if (m.role === "system") lines.push(`> *System:* ${text.replace(/\n/g, "\n> ")}`, "");
    else lines.push(`**${speaker(m, session, names)}:** ${text}${m.interrupted ? " *(interrupted)*" : ""}`, "");
  }
  return lines.join("\n");
}

/** The session as JSON: `{ format, version, session, messages }`, times in ISO 8601. */
export function sessionToJson(session: Session, messages: readonly StoredMessage[]): string {
  const doc = {
    format: "roleplay-session",
    version: 1,
    session: { ...session, created: iso(session.created), updated: iso(session.updated) },
    messages: messages.map((m) => ({
      seq: m.seq,
      role: m.role,
      text: m.text,
      interrupted: m.interrupted,
      ...(m.timings ? { timings: m.timings } : {}),
      time: iso(m.created),
    })),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/** `exportSession` for any store. */
export function exportFrom(
  store: Pick<SessionStore, "getSession" | "messages">,
  id: string,
  format: ExportFormat,
  names: SpeakerNames = {},
): string {
  const session = store.getSession(id);
  if (!session) throw new SessionNotFoundError(id);
  const messages = store.messages(id);
  return format === "json" ? sessionToJson(session, messages) : sessionToMarkdown(session, messages, names);
}
