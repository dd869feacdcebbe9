/** What the pipeline needs from a chat model. Implemented in process by LlamaChat; later by remote servers. */

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  text: string;
}

export interface ReplyTimings {
  /** Milliseconds from the call to the first text chunk (undefined when nothing was generated). */
  firstTokenMs: number | undefined;
  /** Milliseconds from the call to the end of generation. */
  totalMs: number;
  /** Number of generated tokens. */
  tokens: number;
  /** Generated tokens per second, measured from the first token. */
  tokensPerSecond: number | undefined;
}

export interface ReplyResult {
  text: string;
  interrupted: boolean;
  stopReason: "abort" | "maxTokens" | "eogToken" | "other";
  timings: ReplyTimings;
}

export interface ReplyOptions {
  signal?: AbortSignal;
  onTextChunk?: (text: string) => void;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  /**
   * Context for this turn only (active lorebook entries, post-history instructions), placed as a
   * system message just before the user's message. The previous turn's is removed, so it never
   * piles up, and the conversation before it keeps its KV cache.
   */
  turnContext?: string;
}

export interface ChatEngine {
  /** Display name of the model (file name or id). */
  readonly modelName: string;
  /** Generate the reply to a user message; resolves (never rejects) on abort with interrupted: true. */
  reply(text: string, options?: ReplyOptions): Promise<ReplyResult>;
  /** Replace the last assistant reply in the history (e.g. with only the part that was spoken). */
  rewriteLastReply(text: string): void;
  /** Start a new conversation, optionally with a new system prompt and a history to restore. */
  reset(options?: { systemPrompt?: string; history?: ChatMessage[] }): Promise<void>;
  /** The conversation as the model sees it. */
  history(): ChatMessage[];
  dispose(): Promise<void>;
}
