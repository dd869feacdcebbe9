/**
 * The two sides of the LLM benchmark, behind one small interface: the app (LlamaChat driven through
 * the VoiceSession, so the pipeline's own overhead counts) and a bare node-llama-cpp
 * LlamaChatSession loaded with the same settings. Timings use the same definitions on both sides:
 * time to first token from the call to the first non-empty text chunk, tokens/s from the first
 * chunk to the end of generation over (tokens - 1).
 */
import type * as NodeLlamaCppModule from "node-llama-cpp";
import type { Llama, LlamaChatSession, LlamaContext, LlamaModel } from "node-llama-cpp";
import type { TurnTimings } from "../src/core/events.js";
import { LlamaChat } from "../src/llm/llama.js";
import { VoiceSession } from "../src/pipeline/session.js";

export interface EngineSettings {
  modelPath: string;
  /** undefined = node-llama-cpp's own default (bare engine only). */
  threads: number | undefined;
  contextSize: number;
  maxTokens: number;
  seed: number;
  systemPrompt: string;
}

export interface TurnFigures {
  firstTokenMs: number | undefined;
  tokensPerSecond: number | undefined;
  tokens: number;
  text: string;
  /** Prompt tokens evaluated for this turn (bare side only: the app does not expose its sequence). */
  inputTokens?: number;
}

export interface BenchEngine {
  readonly label: string;
  /** Threads the context evaluates with. */
  readonly threads: number;
  send(text: string, signal?: AbortSignal): Promise<TurnFigures>;
  /** Tokens held in the context (KV cache) right now, when known. */
  contextTokens(): number | undefined;
  /**
   * Bare side only: clear the KV cache and ask the last message again on the same history, so the
   * whole conversation is evaluated anew: what every turn would cost without cache reuse.
   */
  resendCold?(): Promise<TurnFigures>;
  /** Milliseconds spent in each loading stage, when measured. */
  readonly loadStages?: Readonly<Record<string, number>>;
  dispose(): Promise<void>;
}

type NodeLlamaCpp = typeof NodeLlamaCppModule;

export async function nodeLlamaCpp(): Promise<NodeLlamaCpp> {
  return await import("node-llama-cpp");
}

/** The CPU build of llama.cpp, as LlamaChat opens it (gpu: false, never build from source). */
export async function openLlama(threads: number | undefined): Promise<Llama> {
  const mod = await nodeLlamaCpp();
  return await mod.getLlama({
    gpu: false,
    build: "never",
    ...(threads !== undefined ? { maxThreads: threads } : {}),
    logLevel: mod.LlamaLogLevel.error,
    logger: () => undefined,
  });
}

/** The app: LlamaChat inside a VoiceSession; figures come from the session's `turn` events. */
export async function loadApp(s: EngineSettings): Promise<BenchEngine> {
  const chat = await LlamaChat.load({
    modelPath: s.modelPath,
    gpu: false,
    ...(s.threads !== undefined ? { threads: s.threads } : {}),
    contextSize: s.contextSize,
    maxTokens: s.maxTokens,
    seed: s.seed,
    temperature: 0,
    systemPrompt: s.systemPrompt,
  });
  const session = new VoiceSession({ engine: chat, characterName: "Bench" });
  interface Capture {
    timings?: TurnTimings;
    reply: string;
    error?: string;
  }
  // A fresh object per turn, filled by the listener.
  let capture: Capture = { reply: "" };
  session.on((e) => {
    if (e.type === "turn") capture.timings = e.timings;
    else if (e.type === "reply") capture.reply = e.text;
    else if (e.type === "error") capture.error = e.message;
  });
  return {
    label: "app",
    threads: chat.threads,
    async send(text, signal) {
      const turn: Capture = { reply: "" };
      capture = turn;
      const onAbort = (): void => void session.interrupt("bench-timeout");
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        await session.send(text);
      } finally {
        signal?.removeEventListener("abort", onAbort);
      }
      if (turn.error) throw new Error(turn.error);
      return {
        firstTokenMs: turn.timings?.firstTokenMs,
        tokensPerSecond: turn.timings?.tokensPerSecond,
        tokens: turn.timings?.tokens ?? 0,
        text: turn.reply,
      };
    },
    contextTokens: () => undefined,
    async dispose() {
      await session.dispose();
      await chat.dispose();
    },
  };
}

/** A bare LlamaChatSession on the same model, with the same settings as LlamaChat uses. */
export async function loadBare(s: EngineSettings, label = "bare"): Promise<BenchEngine> {
  const mod = await nodeLlamaCpp();
  const stages: Record<string, number> = {};
  let mark = performance.now();
  const stage = (name: string): void => {
    const now = performance.now();
    stages[name] = now - mark;
    mark = now;
  };
  const llama = await openLlama(s.threads);
  stage("getLlama");
  let model: LlamaModel | undefined;
  let context: LlamaContext | undefined;
  let session: LlamaChatSession;
  try {
    model = await llama.loadModel({ modelPath: s.modelPath, gpuLayers: "auto" });
    stage("loadModel");
    context = await model.createContext({
      contextSize: s.contextSize,
      sequences: 1,
      ...(s.threads !== undefined ? { threads: s.threads } : {}),
    });
    stage("createContext");
    session = new mod.LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: s.systemPrompt });
  } catch (err) {
    await context?.dispose();
    await model?.dispose();
    await llama.dispose();
    throw err;
  }
  const ctx = context;
  const loaded = model;
  async function send(text: string, signal?: AbortSignal): Promise<TurnFigures> {
    const inputBefore = session.sequence.tokenMeter.usedInputTokens;
    const start = performance.now();
    let first: number | undefined;
    let tokens = 0;
    const res = await session.promptWithMeta(text, {
      maxTokens: s.maxTokens,
      temperature: 0,
      seed: s.seed,
      ...(signal ? { signal, stopOnAbortSignal: true } : {}),
      onToken: (t) => {
        tokens += t.length;
      },
      onTextChunk: (chunk) => {
        if (chunk && first === undefined) first = performance.now();
      },
    });
    const genMs = first === undefined ? 0 : performance.now() - first;
    return {
      firstTokenMs: first === undefined ? undefined : first - start,
      tokensPerSecond: genMs > 0 && tokens > 1 ? ((tokens - 1) * 1000) / genMs : undefined,
      tokens,
      text: res.responseText,
      inputTokens: session.sequence.tokenMeter.usedInputTokens - inputBefore,
    };
  }
  return {
    label,
    threads: ctx.idealThreads,
    loadStages: stages,
    send,
    async resendCold() {
      const history = session.getChatHistory();
      const lastUser = history.findLastIndex((h) => h.type === "user");
      const last = history[lastUser];
      if (last?.type !== "user") throw new Error("no user message to resend");
      session.setChatHistory(history.slice(0, lastUser));
      await session.sequence.clearHistory();
      return await send(last.text);
    },
    contextTokens: () => session.sequence.nextTokenIndex,
    async dispose() {
      session.dispose({ disposeSequence: true });
      await ctx.dispose();
      await loaded.dispose();
      await llama.dispose();
    },
  };
}
