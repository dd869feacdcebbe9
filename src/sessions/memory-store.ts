import { SessionNotFoundError } from "./errors.js";
import { exportFrom } from "./export.js";
import { matchSnippet } from "./fts.js";
import type { ExportFormat, Hit, NewMessage, Session, SessionStore, StoredMessage } from "./types.js";
import { autoTitle, clampLimit, monotonicNow, newSessionId } from "./util.js";

interface Entry {
  session: Omit<Session, "messageCount">;
  messages: StoredMessage[];
  order: number;
}

/** Sessions kept in memory only: for `--no-save`, tests, and as the fallback when the database fails. */
export class MemorySessionStore implements SessionStore {
  readonly persistent: boolean = false;
  notice: string | undefined;
  private readonly sessions = new Map<string, Entry>();
  private nextMessageId = 1;
  private nextOrder = 0;

  constructor(notice?: string) {
    this.notice = notice;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** Take over a session (and its messages so far) from another store. */
  adopt(session: Session, messages: readonly StoredMessage[]): void {
    if (this.sessions.has(session.id)) return;
    const { messageCount: _count, ...rest } = session;
    this.sessions.set(session.id, {
      session: { ...rest },
      messages: messages.map((m) => ({ ...m })),
      order: this.nextOrder++,
    });
    for (const m of messages) this.nextMessageId = Math.max(this.nextMessageId, m.id + 1);
  }

  private view(entry: Entry): Session {
    return { ...entry.session, messageCount: entry.messages.length };
  }

  private entry(id: string): Entry {
    const entry = this.sessions.get(id);
    if (!entry) throw new SessionNotFoundError(id);
    return entry;
  }

  createSession(options: { character: string; model: string; title?: string }): Session {
    const now = monotonicNow();
    let id = newSessionId();
    while (this.sessions.has(id)) id = newSessionId();
    const session = {
      id,
      character: options.character,
      model: options.model,
      title: options.title ?? null,
      created: now,
      updated: now,
    };
    const entry: Entry = { session, messages: [], order: this.nextOrder++ };
    this.sessions.set(id, entry);
    return this.view(entry);
  }

  appendMessage(sessionId: string, message: NewMessage): StoredMessage {
    const entry = this.entry(sessionId);
    const now = monotonicNow();
    const stored: StoredMessage = {
      id: this.nextMessageId++,
      sessionId,
      seq: (entry.messages[entry.messages.length - 1]?.seq ?? -1) + 1,
      role: message.role,
      text: message.text,
      interrupted: message.interrupted ?? false,
      created: now,
      ...(message.timings ? { timings: { ...message.timings } } : {}),
    };
    entry.messages.push(stored);
    entry.session.updated = now;
    if (entry.session.title === null && message.role === "user") entry.session.title = autoTitle(message.text);
    return { ...stored };
  }

  private sorted(): Entry[] {
    return [...this.sessions.values()].sort((a, b) => b.session.updated - a.session.updated || b.order - a.order);
  }

  listSessions(options: { character?: string; limit?: number } = {}): Session[] {
    return this.sorted()
      .filter((e) => options.character === undefined || e.session.character === options.character)
      .slice(0, clampLimit(options.limit, Number.MAX_SAFE_INTEGER))
      .map((e) => this.view(e));
  }

  getSession(id: string): Session | undefined {
    const entry = this.sessions.get(id);
    return entry ? this.view(entry) : undefined;
  }

  messages(sessionId: string): StoredMessage[] {
    return (this.sessions.get(sessionId)?.messages ?? []).map((m) => ({ ...m }));
  }

  lastSession(character: string): Session | undefined {
    return this.listSessions({ character, limit: 1 })[0];
  }

  renameSession(id: string, title: string): Session {
    const entry = this.entry(id);
    entry.session.title = title.trim() || null;
    return this.view(entry);
  }

  deleteSession(id: string): boolean {
    return this.sessions.delete(id);
  }

  search(words: string, options: { limit?: number } = {}): Hit[] {
    const hits: Hit[] = [];
    for (const entry of this.sessions.values()) {
      for (const m of entry.messages) {
        const snippet = matchSnippet(m.text, words);
        if (snippet === null) continue;
        const s = entry.session;
        hits.push({
          sessionId: s.id,
          character: s.character,
          title: s.title,
          messageId: m.id,
          seq: m.seq,
          role: m.role,
          time: m.created,
          snippet,
        });
      }
    }
    hits.sort((a, b) => b.time - a.time || b.messageId - a.messageId);
    return hits.slice(0, clampLimit(options.limit, 20));
  }

  exportSession(id: string, format: ExportFormat): string {
    return exportFrom(this, id, format);
  }

  close(): void {
    // nothing to release
  }
}
