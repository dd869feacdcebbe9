import { SessionNotFoundError } from "./errors.js";
import type { Role, Session, SessionStore, StoredMessage } from "./types.js";

/** One message of the history handed back to the LLM session, oldest first. */
export interface HistoryMessage {
  role: Role;
  text: string;
  interrupted: boolean;
}

/** A session by exact id or by an unambiguous prefix of it. */
export function findSession(store: SessionStore, idOrPrefix: string): Session {
  const wanted = idOrPrefix.trim().toLowerCase();
  const exact = wanted ? store.getSession(wanted) : undefined;
  if (exact) return exact;
  const matches = wanted ? store.listSessions().filter((s) => s.id.startsWith(wanted)) : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new SessionNotFoundError(
      idOrPrefix,
      `"${idOrPrefix}" matches several sessions: ${matches.map((s) => s.id).join(", ")}`,
    );
  }
  throw new SessionNotFoundError(idOrPrefix);
}

/** The stored messages as chat history, in order (empty messages dropped). */
export function chatHistory(messages: readonly StoredMessage[]): HistoryMessage[] {
  return [...messages]
    .sort((a, b) => a.seq - b.seq)
    .filter((m) => m.text.trim().length > 0)
    .map((m) => ({ role: m.role, text: m.text, interrupted: m.interrupted }));
}

export interface ResumeRequest {
  /** The character of the run (used with `resume`). */
  character: string;
  /** `--session ID`: this session (its character wins over `character`). */
  sessionId?: string;
  /** `--resume`: the character's most recent session. */
  resume?: boolean;
}

export interface ResumedSession {
  session: Session;
  history: HistoryMessage[];
}

/**
 * The session to continue, with its history for the LLM, or undefined for a new conversation
 * (no `--session`/`--resume`, or `--resume` with no earlier session of the character).
 * Throws SessionNotFoundError when `--session ID` names no session.
 */
export function resumeSession(store: SessionStore, request: ResumeRequest): ResumedSession | undefined {
  let session: Session | undefined;
  if (request.sessionId !== undefined) session = findSession(store, request.sessionId);
  else if (request.resume) session = store.lastSession(request.character);
  if (!session) return undefined;
  return { session, history: chatHistory(store.messages(session.id)) };
}
