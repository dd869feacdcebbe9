import { appendMessages, type ViewMessage } from "../core/conversation.js";
import { UsageError } from "../core/errors.js";
import type { AppController } from "../pipeline/app.js";
import { findSession, formatTime, sessionsList, sessionsSearch, type HistoryMessage } from "../sessions/index.js";
import type { Conversation, SlashCommands } from "./conversation.js";

/** How many restored messages the conversation view shows on resume and /load. */
export const RESTORED_SHOWN = 40;

function toView(m: HistoryMessage): Omit<ViewMessage, "id"> {
  if (m.role === "user") return { role: "user", text: m.text, source: "text" };
  if (m.role === "assistant")
    return { role: "assistant", text: m.text, ...(m.interrupted ? { interrupted: true } : {}) };
  return { role: "system", text: m.text };
}

/**
 * Put restored messages into the conversation view (after a notice saying which session it is), as
 * view messages rather than session events: no turn is replayed and nothing else hears them.
 */
export function showRestored(app: AppController, history: readonly HistoryMessage[], note: string): void {
  const shown = history.slice(-RESTORED_SHOWN);
  const hidden = history.length - shown.length;
  const head = hidden > 0 ? `${note} (${hidden} earlier messages not shown)` : note;
  app.store.update((v) =>
    appendMessages({ ...v, streaming: undefined }, [{ role: "notice", text: head }, ...shown.map(toView)]),
  );
}

function describe(conv: Conversation): string {
  const s = conv.session;
  if (!s) return "new conversation";
  return `session ${s.id}${s.title ? ` “${s.title}”` : ""}, last message ${formatTime(s.updated)}`;
}

/**
 * The start of a resumed run in the view: the restored conversation (the last messages) after a line
 * naming the session. Returns false for a new conversation (the caller shows and speaks the greeting).
 */
export function presentConversation(app: AppController, conv: Conversation): boolean {
  conv.attach(app.session);
  if (conv.restored.length === 0) return false;
  showRestored(app, conv.restored, `Continuing ${describe(conv)}`);
  return true;
}

function notice(app: AppController, message: string, level: "info" | "warn" = "info"): void {
  app.session.emit({ type: "notice", level, message });
}

/** /sessions, /save, /load, /reset and /search for the TUI (AppHooks.slash). */
export function conversationSlashCommands(conv: Conversation): SlashCommands {
  const character = (): string => conv.persona.character.id;
  return {
    sessions: {
      description: "list the saved conversations with this character",
      run: (_args, app) => {
        const list = sessionsList(conv.store, { character: character(), limit: 30 });
        const current = conv.sessionId ? `Current: ${conv.sessionId}` : "Current: new (saved at the first message)";
        app.showPanel(`Sessions with ${conv.persona.name}`, `${list}\n\n${current}\n/load ID continues one.`);
      },
    },
    save: {
      description: "save now, with an optional title: /save [title]",
      run: (args, app) => {
        const s = conv.save(args);
        const where = conv.store.persistent ? "saved" : `kept in memory only (${conv.store.notice ?? "no database"})`;
        notice(app, `${where}: session ${s.id}${s.title ? ` “${s.title}”` : ""} (every turn is saved as it completes)`);
      },
    },
    load: {
      description: "continue a saved conversation: /load ID",
      run: async (args, app) => {
        const id = args.trim();
        if (!id) throw new UsageError("LOAD_USAGE", "give a session id: /load ID (see /sessions)");
        const target = findSession(conv.store, id);
        if (target.character !== character()) {
          throw new UsageError(
            "LOAD_OTHER_CHARACTER",
            `session ${target.id} is with ${target.character}; continue it with: roleplay --session ${target.id}`,
          );
        }
        const history = await conv.switchTo(target);
        await app.session.newChat({ history: history.map((m) => ({ role: m.role, text: m.text })) });
        app.patch({ scroll: 0, panel: undefined });
        showRestored(app, history, `Continuing ${describe(conv)}`);
      },
    },
    reset: {
      description: "start a new conversation (a new session)",
      run: (_args, app) => app.newChat(),
    },
    search: {
      description: "search every saved conversation: /search WORDS",
      run: (args, app) => {
        const words = args.trim();
        if (!words) throw new UsageError("SEARCH_USAGE", "give words to search for: /search WORDS");
        app.showPanel(`Search: ${words}`, sessionsSearch(conv.store, words, { limit: 20 }));
      },
    },
  };
}
