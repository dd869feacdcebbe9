export type Role = "system" | "user" | "assistant";

/** Latency marks of one turn, in milliseconds (e.g. { asrMs, firstTokenMs, firstAudioMs }). */
export type Timings = Record<string, number>;

export interface Session {
  /** Short random id (8 characters); commands also accept an unambiguous prefix. */
  id: string;
  /** The character's id. */
  character: string;
  model: string;
  /** Set from the first user message unless renamed; null before it. */
  title: string | null;
  /** Milliseconds since the epoch. */
  created: number;
  updated: number;
  messageCount: number;
}

export interface NewMessage {
  role: Role;
  text: string;
  /** The reply was cut off by barge-in. */
  interrupted?: boolean;
  timings?: Timings;
}

export interface StoredMessage {
  id: number;
  sessionId: string;
  /** Position in the session, from 0. */
  seq: number;
  role: Role;
  text: string;
  interrupted: boolean;
  timings?: Timings;
  /** Milliseconds since the epoch. */
  created: number;
}

/** One search result. */
export interface Hit {
  sessionId: string;
  character: string;
  title: string | null;
  messageId: number;
  seq: number;
  role: Role;
  /** When the message was said (ms since the epoch). */
  time: number;
  /** A few words around the match, matched words in [brackets]. */
  snippet: string;
}

export type ExportFormat = "md" | "json";

export interface SessionStore {
  /** False when conversations are kept in memory only (no database, or it failed). */
  readonly persistent: boolean;
  /** Why sessions are not being saved, when they are not; undefined otherwise. */
  readonly notice: string | undefined;
  createSession(options: { character: string; model: string; title?: string }): Session;
  /** Commits the message at once (one transaction per call). */
  appendMessage(sessionId: string, message: NewMessage): StoredMessage;
  /** Most recently updated first. */
  listSessions(options?: { character?: string; limit?: number }): Session[];
  getSession(id: string): Session | undefined;
  /** The session's messages in order. */
  messages(sessionId: string): StoredMessage[];
  /** The most recently updated session of a character. */
  lastSession(character: string): Session | undefined;
  renameSession(id: string, title: string): Session;
  /** True when a session was deleted. */
  deleteSession(id: string): boolean;
  /** Messages containing every word (prefix match), newest first. */
  search(words: string, options?: { limit?: number }): Hit[];
  exportSession(id: string, format: ExportFormat): string;
  close(): void;
}
