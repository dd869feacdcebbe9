import { basename } from "node:path";
import type { ResolvedConfig } from "../config/schema.js";
import { errorMessage } from "../core/errors.js";
import type { TurnTimings } from "../core/events.js";
import { getLogger } from "../core/log.js";
import type { ChatMessage } from "../llm/engine.js";
import type { SlashHandler } from "../pipeline/slash.js";
import type { VoiceSession } from "../pipeline/session.js";
import {
  chatHistory,
  createMemoryStore,
  openSessionStore,
  resumeSession,
  SessionNotFoundError,
  type HistoryMessage,
  type Session,
  type SessionStore,
  type Timings,
} from "../sessions/index.js";
import { conversationSlashCommands } from "./conversation-slash.js";
import { resolvePersona, type Persona } from "./persona.js";
import { requireModelPath } from "./runtime.js";

const log = getLogger("conversation");

/** A completed message as the VoiceSession reports it. */
export type CompletedMessage = ChatMessage & { interrupted?: boolean; timings?: TurnTimings };

export type SlashCommands = Record<string, { description: string; run: SlashHandler }>;

export interface ConversationOptions {
  /** `--resume`: continue the character's most recent session. */
  resume?: boolean;
  /** `--session ID`: continue this session (an id or an unambiguous prefix). */
  sessionId?: string;
  /** Stored with each new session. */
  modelName: string;
  /** Notices that arrive later in the run (the database failing mid-run). */
  onNotice?: (notice: string) => void;
}

function storedTimings(timings: TurnTimings | undefined): Timings | undefined {
  if (!timings) return undefined;
  const out: Timings = {};
  for (const [k, v] of Object.entries(timings)) if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
  return out;
}

/**
 * The stored side of one run: which session the turns go to, and the history handed back to the
 * LLM. A new session is created at the first message (no empty sessions); the greeting becomes its
 * first assistant message. Every completed message is committed as it completes.
 */
export class Conversation {
  private currentId: string | undefined;
  private pendingGreeting: string;
  private voice: VoiceSession | undefined;
  /** The stored messages continued by this run (empty for a new conversation), for display. */
  restored: HistoryMessage[];
  readonly slash: SlashCommands;

  constructor(
    readonly store: SessionStore,
    readonly persona: Persona,
    private readonly modelName: string,
    resumed: { session: Session; history: HistoryMessage[] } | undefined,
    /** Why this run does not continue what was asked, or why it is not saved; undefined when all is well. */
    readonly notice: string | undefined,
    private readonly onNotice: (notice: string) => void = () => undefined,
  ) {
    this.currentId = resumed?.session.id;
    this.restored = resumed?.history ?? [];
    this.pendingGreeting = resumed ? "" : persona.greeting;
    this.slash = conversationSlashCommands(this);
  }

  /** The history for the LLM session (`createRuntime(config, { history })`). */
  get history(): ChatMessage[] {
    return this.restored.map((m) => ({ role: m.role, text: m.text }));
  }

  /** The session the turns go to; undefined until the first message of a new conversation. */
  get sessionId(): string | undefined {
    return this.currentId;
  }

  get session(): Session | undefined {
    return this.currentId ? this.store.getSession(this.currentId) : undefined;
  }

  /** What createRuntime needs: the persona (it may be the resumed session's character), history, recorder. */
  runtimeOptions(): { persona: Persona; history: ChatMessage[]; onMessage: (m: CompletedMessage) => void } {
    return { persona: this.persona, history: this.history, onMessage: this.onMessage };
  }

  /** Lets startNew and /load settle a reply in progress before the session changes. */
  attach(session: VoiceSession): void {
    this.voice = session;
  }

  private ensureSession(): string {
    if (this.currentId) return this.currentId;
    const session = this.store.createSession({ character: this.persona.character.id, model: this.modelName });
    this.currentId = session.id;
    const greeting = this.pendingGreeting;
    this.pendingGreeting = "";
    if (greeting.trim()) this.store.appendMessage(session.id, { role: "assistant", text: greeting });
    log.info("new session", { id: session.id, character: session.character });
    return session.id;
  }

  /** Record one completed message (user message when sent, the reply when done). Never throws. */
  readonly onMessage = (message: CompletedMessage): void => {
    if (!message.text.trim()) return;
    try {
      const id = this.ensureSession();
      const timings = storedTimings(message.timings);
      this.store.appendMessage(id, {
        role: message.role,
        text: message.text,
        ...(message.interrupted ? { interrupted: true } : {}),
        ...(timings ? { timings } : {}),
      });
    } catch (err) {
      log.error("could not record a message", err);
      this.onNotice(`this message was not saved: ${errorMessage(err)}`);
    }
  };

  /** Start a new conversation: the next message opens a new session, beginning with the greeting. */
  async startNew(): Promise<void> {
    await this.voice?.interrupt("new-chat");
    this.currentId = undefined;
    this.restored = [];
    this.pendingGreeting = this.persona.greeting;
  }

  /** Save now (creating the session if nothing was said yet), optionally with a title. */
  save(title?: string): Session {
    const id = this.ensureSession();
    const wanted = title?.trim();
    const session = wanted ? this.store.renameSession(id, wanted) : this.store.getSession(id);
    if (!session) throw new SessionNotFoundError(id);
    return session;
  }

  /** Continue a stored session from here on: returns its history (the caller resets the LLM with it). */
  async switchTo(session: Session): Promise<HistoryMessage[]> {
    await this.voice?.interrupt("load");
    this.currentId = session.id;
    this.pendingGreeting = "";
    this.restored = chatHistory(this.store.messages(session.id));
    return this.restored;
  }

  close(): void {
    try {
      this.store.close();
    } catch (err) {
      log.warn("closing the session store failed", err);
    }
  }
}

/**
 * Open the session store and decide which session this run continues. `--session ID` that names no
 * session throws SessionNotFoundError (exit 2); `--resume` with nothing stored starts a new session
 * with a notice. With `sessions.enabled: false` the conversation is kept in memory only.
 */
export async function openConversation(
  config: ResolvedConfig,
  persona: Persona,
  options: ConversationOptions,
): Promise<Conversation> {
  const notices: string[] = [];
  let opening = true;
  const onNotice = (notice: string): void => {
    if (opening) notices.push(notice);
    else options.onNotice?.(notice);
  };
  const store = config.sessions.enabled
    ? await openSessionStore(config.sessions.database, { onNotice })
    : createMemoryStore();
  try {
    const resumed = resumeSession(store, {
      character: persona.character.id,
      ...(options.sessionId !== undefined ? { sessionId: options.sessionId } : {}),
      ...(options.resume ? { resume: true } : {}),
    });
    if (options.resume && options.sessionId === undefined && !resumed) {
      notices.push(
        config.sessions.enabled
          ? `no earlier conversation with ${persona.name} to resume; starting a new one`
          : `sessions are turned off (sessions.enabled: false); starting a new conversation`,
      );
    }
    let runPersona = persona;
    if (resumed && resumed.session.character !== persona.character.id) {
      try {
        runPersona = await resolvePersona({ ...config, character: resumed.session.character });
      } catch (err) {
        notices.push(
          `session ${resumed.session.id} was with "${resumed.session.character}", which cannot be loaded ` +
            `(${errorMessage(err)}); continuing it with ${persona.name}`,
        );
      }
    }
    opening = false;
    return new Conversation(
      store,
      runPersona,
      options.modelName,
      resumed,
      notices.length > 0 ? notices.join("; ") : undefined,
      (n) => options.onNotice?.(n),
    );
  } catch (err) {
    store.close();
    throw err;
  }
}

/**
 * The conversation of a `roleplay` run from its flags: the configured character, the model's name,
 * and `--resume` / `--session`. Checks that a model is configured first (the clearer error).
 */
export async function conversationForRun(
  config: ResolvedConfig,
  flags: { resume?: boolean; session?: string },
  onNotice?: (notice: string) => void,
): Promise<Conversation> {
  const modelName = basename(requireModelPath(config));
  const persona = await resolvePersona(config);
  return openConversation(config, persona, {
    modelName,
    ...(flags.resume ? { resume: true } : {}),
    ...(flags.session !== undefined ? { sessionId: flags.session } : {}),
    ...(onNotice ? { onNotice } : {}),
  });
}
