import { Emitter, type SessionEvent, type SessionState, type TurnTimings } from "../core/events.js";
import { errorMessage, RoleplayError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { ChatEngine, ChatMessage, ReplyResult } from "../llm/engine.js";
import { SpeechOut, type AudioSink, type SpeechEngine, type TextChunker } from "./speech-out.js";
import { Turn, type TurnSource } from "./turn.js";

const log = getLogger("session");

export interface SpeechOptions {
  engine: SpeechEngine;
  sink: AudioSink;
  /** A fresh chunker for each turn. */
  chunker: () => TextChunker;
}

export interface VoiceSessionOptions {
  engine: ChatEngine;
  characterName: string;
  /** Spoken output; absent = text only. */
  speech?: SpeechOptions;
  /** Context for one turn (lorebook entries, post-history instructions), from the recent messages. */
  turnContext?: (userText: string, recent: ChatMessage[]) => string | undefined;
  /** Called with every completed message (user, and assistant replies, interrupted or not). */
  onMessage?: (message: ChatMessage & { interrupted?: boolean; timings?: TurnTimings }) => void;
}

export interface SendOptions {
  source?: TurnSource;
  /** performance.now() when the turn began (e.g. when the user stopped speaking). */
  startedAt?: number;
  /** Marks already taken before the turn existed (speech end, transcript ready), absolute performance.now() values. */
  marks?: Partial<Record<"speechEndMs" | "endOfTurnMs" | "transcriptMs", number>>;
}

/**
 * The one orchestrator: turns, interruption, speech out, events. The TUI and the headless runner
 * subscribe to its events; neither owns the pipeline.
 */
export class VoiceSession {
  private readonly events = new Emitter<SessionEvent>();
  private nextTurnId = 1;
  private current: Turn | undefined;
  private stateValue: SessionState = "idle";
  private lastReply = "";
  private disposed = false;
  private idleState: SessionState = "idle";
  speech: SpeechOptions | undefined;

  constructor(private readonly options: VoiceSessionOptions) {
    this.speech = options.speech;
  }

  on(listener: (event: SessionEvent) => void): () => void {
    return this.events.on(listener);
  }

  get state(): SessionState {
    return this.stateValue;
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  get currentTurn(): Turn | undefined {
    return this.current;
  }

  /** Emit an event that belongs to no turn (notices, voice-in events). */
  emit(event: SessionEvent): void {
    if (!this.disposed) this.events.emit(event);
  }

  setState(state: SessionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emit({ type: "state", state });
  }

  /** The state to return to after a turn: "listening" while a microphone is live, else "idle". */
  setIdleState(state: SessionState): void {
    this.idleState = state;
    if (!this.current) this.setState(state);
  }

  /** Events of a turn that has been cancelled are dropped: the race test relies on it. */
  private emitForTurn(turn: Turn, event: SessionEvent): void {
    if (turn.interrupted || turn !== this.current) return;
    this.emit(event);
  }

  /** Interrupt the reply in progress (Esc, Ctrl+C, barge-in, "stop"). Resolves when it has settled. */
  async interrupt(reason = "user"): Promise<void> {
    const turn = this.current;
    if (!turn) return;
    turn.interrupt(reason);
    await turn.done;
  }

  /**
   * Make `turn` the current one at once (so a third send, or a barge-in, always reaches the newest
   * turn) and run `body` after the previous turn, interrupted, has settled.
   */
  private begin(turn: Turn, body: () => Promise<void>): Promise<void> {
    const previous = this.current;
    this.current = turn;
    previous?.interrupt("new-turn");
    turn.done = (async () => {
      if (previous) await previous.done;
      await body();
    })();
    return turn.done;
  }

  /** Send a user message and produce the reply. A reply in progress is interrupted first. */
  async send(text: string, options: SendOptions = {}): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed || this.disposed) return;
    const turn = new Turn(this.nextTurnId++, trimmed, options.source ?? "text", options.startedAt);
    for (const [name, at] of Object.entries(options.marks ?? {})) {
      if (at !== undefined) turn.mark(name as keyof Turn["marks"], at);
    }
    await this.begin(turn, () => this.runTurn(turn));
  }

  private async runTurn(turn: Turn): Promise<void> {
    this.emit({ type: "user", turnId: turn.id, text: turn.text, source: turn.source });
    this.options.onMessage?.({ role: "user", text: turn.text });
    this.setState("thinking");
    const speech = this.speech ? this.startSpeech(turn, this.speech) : undefined;
    let result: ReplyResult | undefined;
    try {
      const turnContext = this.options.turnContext?.(turn.text, this.options.engine.history());
      result = await this.options.engine.reply(turn.text, {
        signal: turn.signal,
        ...(turnContext ? { turnContext } : {}),
        onTextChunk: (chunk) => {
          if (turn.interrupted) return;
          turn.mark("firstTokenMs");
          this.emitForTurn(turn, { type: "delta", turnId: turn.id, text: chunk });
          speech?.push(chunk);
        },
      });
      speech?.finish();
      if (speech && !turn.interrupted) {
        this.setState("speaking");
        await speech.done;
      }
    } catch (err) {
      speech?.finish();
      turn.interrupt("error");
      const e = err instanceof RoleplayError ? err : undefined;
      log.error("turn failed", err);
      this.emit({
        type: "error",
        turnId: turn.id,
        message: `the reply failed: ${errorMessage(err)}`,
        ...(e?.hint ? { hint: e.hint } : {}),
        ...(e?.code ? { code: e.code } : {}),
      });
    }
    await speech?.done;
    this.finishTurn(turn, result, speech);
  }

  private startSpeech(turn: Turn, s: SpeechOptions): SpeechOut {
    return new SpeechOut(s.engine, s.sink, s.chunker(), turn.signal, {
      onChunk: (text) => {
        turn.mark("firstChunkMs");
        this.emitForTurn(turn, { type: "speech", turnId: turn.id, text });
      },
      onFirstAudio: () => {
        turn.mark("firstAudioMs");
        if (!turn.interrupted) this.setState("speaking");
      },
      onError: (message) => this.emit({ type: "notice", level: "warn", message }),
    });
  }

  private finishTurn(turn: Turn, result: ReplyResult | undefined, speech: SpeechOut | undefined): void {
    const interrupted = turn.interrupted;
    let text = result?.text ?? "";
    if (interrupted && speech && turn.source === "voice" && turn.interruptReason !== "error") {
      // The user heard only part of the reply: keep that much in the model's memory.
      text = speech.heardText();
      this.options.engine.rewriteLastReply(text);
    }
    if (text) this.lastReply = text;
    const timings: TurnTimings = {
      ...turn.marks,
      totalMs: turn.elapsed(),
      tokens: result?.timings.tokens ?? 0,
      ...(result?.timings.tokensPerSecond !== undefined ? { tokensPerSecond: result.timings.tokensPerSecond } : {}),
    };
    if (result?.timings.firstTokenMs !== undefined && timings.firstTokenMs === undefined) {
      timings.firstTokenMs = result.timings.firstTokenMs;
    }
    // A turn that failed before saying anything has no reply to show or keep (the error was shown).
    if (!(turn.interruptReason === "error" && !text)) {
      this.emit({ type: "reply", turnId: turn.id, text, interrupted });
      this.emit({ type: "turn", turnId: turn.id, timings });
      this.options.onMessage?.({ role: "assistant", text, interrupted, timings });
    }
    if (this.current === turn) {
      this.current = undefined;
      this.setState(this.idleState);
    }
  }

  /** Speak a text outside any LLM turn (greeting, "repeat"). Interruptible like a reply. */
  async say(text: string): Promise<void> {
    const speech = this.speech;
    if (!speech || !text.trim() || this.disposed) return;
    const turn = new Turn(this.nextTurnId++, text, "text");
    await this.begin(turn, async () => {
      if (!turn.interrupted) {
        const out = this.startSpeech(turn, speech);
        out.push(text);
        out.finish();
        await out.done;
      }
      if (this.current === turn) {
        this.current = undefined;
        this.setState(this.idleState);
      }
    });
  }

  /** Say the last reply again. */
  async repeat(): Promise<void> {
    if (this.lastReply) await this.say(this.lastReply);
  }

  /** Start a new conversation: history cleared (system prompt kept), optional greeting shown and spoken. */
  async newChat(options: { greeting?: string; systemPrompt?: string; history?: ChatMessage[] } = {}): Promise<void> {
    await this.interrupt("clear");
    const history =
      options.history ?? (options.greeting ? [{ role: "assistant" as const, text: options.greeting }] : []);
    await this.options.engine.reset({
      ...(options.systemPrompt !== undefined ? { systemPrompt: options.systemPrompt } : {}),
      history,
    });
    this.lastReply = options.greeting ?? "";
    this.emit({ type: "cleared", ...(options.greeting ? { greeting: options.greeting } : {}) });
    if (options.greeting && !options.history) void this.say(options.greeting);
  }

  get characterName(): string {
    return this.options.characterName;
  }

  get modelName(): string {
    return this.options.engine.modelName;
  }

  async dispose(): Promise<void> {
    await this.interrupt("dispose");
    this.disposed = true;
    this.events.clear();
  }
}
