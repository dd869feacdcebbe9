import { basename } from "node:path";
import type * as NodeLlamaCppModule from "node-llama-cpp";
import type { Llama, LlamaChatSession, LlamaContext, LlamaModel, ChatHistoryItem } from "node-llama-cpp";
import { AbortError, ModelFileError, NativeModuleError, errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { ChatEngine, ChatMessage, ReplyOptions, ReplyResult } from "./engine.js";
import { resolveThreads } from "./threads.js";

const log = getLogger("llm");

export interface LlamaChatOptions {
  modelPath: string;
  contextSize?: number | "auto";
  threads?: number | "auto";
  gpuLayers?: number | "auto" | "max";
  /** "auto" lets node-llama-cpp pick CUDA/Vulkan/Metal when present; false forces the CPU. */
  gpu?: "auto" | false;
  systemPrompt?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  signal?: AbortSignal;
}

type NodeLlamaCpp = typeof NodeLlamaCppModule;

async function loadBinding(): Promise<NodeLlamaCpp> {
  try {
    return await import("node-llama-cpp");
  } catch (err) {
    throw new NativeModuleError("LLAMA_NATIVE", `could not load node-llama-cpp: ${errorMessage(err)}`, {
      hint: "Reinstall roleplay (npm install) so node-llama-cpp's prebuilt binary for this platform is present.",
      cause: err,
    });
  }
}

function toHistory(systemPrompt: string | undefined, messages: ChatMessage[]): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [];
  if (systemPrompt) items.push({ type: "system", text: systemPrompt });
  for (const m of messages) {
    if (m.role === "system") items.push({ type: "system", text: m.text });
    else if (m.role === "user") items.push({ type: "user", text: m.text });
    else items.push({ type: "model", response: [m.text] });
  }
  return items;
}

function fromHistory(items: ChatHistoryItem[]): ChatMessage[] {
  return items.map((item): ChatMessage => {
    if (item.type === "system") return { role: "system", text: typeof item.text === "string" ? item.text : "" };
    if (item.type === "user") return { role: "user", text: item.text };
    return { role: "assistant", text: item.response.filter((r): r is string => typeof r === "string").join("") };
  });
}

/**
 * A system prompt longer than half the context window leaves no room for the conversation (and
 * node-llama-cpp cannot shift such a context): keep its beginning, cut at a line or sentence end.
 */
function fitToContext(model: LlamaModel, prompt: string, contextSize: number): string {
  const budget = Math.floor(contextSize / 2);
  const tokens = model.tokenize(prompt);
  if (tokens.length <= budget) return prompt;
  let text = model.detokenize(tokens.slice(0, budget));
  const cut = Math.max(text.lastIndexOf("\n"), text.lastIndexOf(". "));
  if (cut > text.length / 2) text = text.slice(0, cut + 1);
  log.warn(`system prompt cut from ${tokens.length} to about ${budget} tokens to fit a ${contextSize}-token context`);
  return text.trimEnd();
}

/**
 * Start llama.cpp once for the run: its logs go to our log file (never the terminal), a GPU
 * backend with no real device falls back to the CPU build, and failures are a named error. The
 * memory estimate and the chat share this instance: a second llama.cpp instance would print its
 * warnings straight to stdout.
 */
export async function openLlama(options: { threads?: number | "auto"; gpu?: "auto" | false } = {}): Promise<Llama> {
  const mod = await loadBinding();
  const threads = resolveThreads(options.threads);
  const open = (gpu: "auto" | false): Promise<Llama> =>
    mod.getLlama({
      gpu,
      build: "never",
      maxThreads: threads,
      logLevel: mod.LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim();
        if (text) log.debug(`llama.cpp ${String(level)}: ${text}`);
      },
    });
  let llama: Llama;
  try {
    llama = await open(options.gpu ?? "auto");
  } catch (err) {
    throw new NativeModuleError("LLAMA_NATIVE", `llama.cpp could not start: ${errorMessage(err)}`, {
      hint: "Reinstall roleplay (npm install) so node-llama-cpp's prebuilt binary for this platform is present.",
      cause: err,
    });
  }
  if (llama.gpu !== false) {
    // A GPU backend with no real device (or only a software rasteriser) is slower than the CPU build.
    const devices = await llama.getGpuDeviceNames().catch(() => [] as string[]);
    if (devices.length === 0 || devices.every((d) => /llvmpipe|lavapipe|swiftshader|software/i.test(d))) {
      log.info("no usable GPU device; using the CPU build", { backend: llama.gpu, devices });
      await llama.dispose();
      llama = await open(false);
    }
  }
  return llama;
}

/**
 * The context to ask for: "auto" is the model's trained length capped at 8192; an explicit size
 * is capped at the trained length (beyond it the model degrades, and llama.cpp warns).
 */
function contextSizeFor(setting: number | "auto" | undefined, trained: number): number | { max: number } {
  const limit = trained > 0 ? trained : 8192;
  if (setting === "auto" || setting === undefined) return { max: Math.min(limit, 8192) };
  if (setting > limit) log.info(`context size ${setting} capped to the model's trained ${limit} tokens`);
  return Math.min(setting, limit);
}

/**
 * One model, one context, one chat session for the whole run: the KV cache of the conversation is
 * reused, so a new turn evaluates only its new tokens. Context overflow is handled by
 * node-llama-cpp's context shift (old turns are dropped, the system prompt is kept).
 */
export class LlamaChat implements ChatEngine {
  readonly modelName: string;
  private systemPrompt: string | undefined;
  /** The system prompt was cut to fit the context window (the caller tells the user). */
  systemPromptTrimmed = false;

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly session: LlamaChatSession,
    private readonly options: LlamaChatOptions,
    readonly threads: number,
  ) {
    this.modelName = basename(options.modelPath);
    this.systemPrompt = options.systemPrompt;
  }

  /**
   * Load the model and open the chat session. The file must have passed checkGgufFile first.
   * `options.llama` (from openLlama) is used when given; the chat owns and disposes it.
   */
  static async load(options: LlamaChatOptions & { llama?: Llama }): Promise<LlamaChat> {
    const threads = resolveThreads(options.threads);
    const llama =
      options.llama ?? (await openLlama({ threads, ...(options.gpu !== undefined ? { gpu: options.gpu } : {}) }));
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: options.modelPath,
        gpuLayers: options.gpuLayers ?? "auto",
        ...(options.signal ? { loadSignal: options.signal } : {}),
      });
    } catch (err) {
      await llama.dispose().catch(() => undefined);
      if (options.signal?.aborted) throw new AbortError("model loading was cancelled");
      throw new ModelFileError(
        "MODEL_LOAD_FAILED",
        `could not load ${basename(options.modelPath)}: ${errorMessage(err)}`,
        {
          hint: "The file may be corrupt or made for a newer llama.cpp; try another download or quantisation.",
          cause: err,
        },
      );
    }
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: contextSizeFor(options.contextSize, model.trainContextSize),
        threads,
        sequences: 1,
        ...(options.signal ? { createSignal: options.signal } : {}),
      });
    } catch (err) {
      await model.dispose().catch(() => undefined);
      await llama.dispose().catch(() => undefined);
      if (options.signal?.aborted) throw new AbortError("model loading was cancelled");
      throw new ModelFileError("MODEL_CONTEXT_FAILED", `could not create a context: ${errorMessage(err)}`, {
        hint: "Lower llm.contextSize (e.g. --context-size 2048) or choose a smaller model.",
        cause: err,
      });
    }
    const systemPrompt = options.systemPrompt
      ? fitToContext(model, options.systemPrompt, context.contextSize)
      : undefined;
    const { LlamaChatSession } = await loadBinding();
    const session = new LlamaChatSession({
      contextSequence: context.getSequence(),
      ...(systemPrompt ? { systemPrompt } : {}),
    });
    log.info("model loaded", { model: options.modelPath, threads, contextSize: context.contextSize, gpu: llama.gpu });
    const chat = new LlamaChat(
      llama,
      model,
      context,
      session,
      { ...options, ...(systemPrompt ? { systemPrompt } : {}) },
      threads,
    );
    chat.systemPromptTrimmed = systemPrompt !== options.systemPrompt;
    return chat;
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  get chatWrapperName(): string {
    return this.session.chatWrapper.wrapperName;
  }

  async reply(text: string, options: ReplyOptions = {}): Promise<ReplyResult> {
    const start = performance.now();
    let first: number | undefined;
    let tokens = 0;
    let collected = "";
    const maxTokens = options.maxTokens ?? this.options.maxTokens;
    const temperature = options.temperature ?? this.options.temperature;
    const topP = options.topP ?? this.options.topP;
    this.placeTurnContext(options.turnContext);
    try {
      const res = await this.session.promptWithMeta(text, {
        ...(options.signal ? { signal: options.signal } : {}),
        stopOnAbortSignal: true,
        ...(maxTokens !== undefined ? { maxTokens } : {}),
        ...(temperature !== undefined ? { temperature } : {}),
        ...(topP !== undefined ? { topP } : {}),
        ...(this.options.seed !== undefined ? { seed: this.options.seed } : {}),
        onToken: (t) => {
          tokens += t.length;
        },
        onTextChunk: (chunk) => {
          if (!chunk) return;
          if (first === undefined) first = performance.now();
          collected += chunk;
          options.onTextChunk?.(chunk);
        },
      });
      const end = performance.now();
      const interrupted = res.stopReason === "abort" || options.signal?.aborted === true;
      const genMs = first === undefined ? 0 : end - first;
      return {
        text: res.responseText,
        interrupted,
        stopReason:
          res.stopReason === "abort" || res.stopReason === "maxTokens" || res.stopReason === "eogToken"
            ? res.stopReason
            : "other",
        timings: {
          firstTokenMs: first === undefined ? undefined : first - start,
          totalMs: end - start,
          tokens,
          tokensPerSecond: genMs > 0 && tokens > 1 ? ((tokens - 1) * 1000) / genMs : undefined,
        },
      };
    } catch (err) {
      if (options.signal?.aborted) {
        return {
          text: collected,
          interrupted: true,
          stopReason: "abort",
          timings: {
            firstTokenMs: first === undefined ? undefined : first - start,
            totalMs: performance.now() - start,
            tokens,
            tokensPerSecond: undefined,
          },
        };
      }
      throw err;
    }
  }

  /** The text of the current turn's context message, to find and remove it next turn. */
  private turnContextText: string | undefined;

  private placeTurnContext(context: string | undefined): void {
    const items = this.session.getChatHistory();
    let changed = false;
    const previous = this.turnContextText;
    this.turnContextText = undefined;
    if (previous !== undefined) {
      for (let i = items.length - 1; i > 0; i--) {
        const item = items[i]!;
        if (item.type === "system" && item.text === previous) {
          items.splice(i, 1);
          changed = true;
          break;
        }
      }
    }
    const text = context?.trim();
    if (text) {
      items.push({ type: "system", text });
      this.turnContextText = text;
      changed = true;
    }
    if (changed) this.session.setChatHistory(items);
  }

  rewriteLastReply(text: string): void {
    const items = this.session.getChatHistory();
    const last = items.at(-1);
    if (last?.type !== "model") return;
    items[items.length - 1] = { type: "model", response: [text] };
    this.session.setChatHistory(items);
  }

  async reset(options: { systemPrompt?: string; history?: ChatMessage[] } = {}): Promise<void> {
    this.turnContextText = undefined;
    if (options.systemPrompt !== undefined) {
      this.systemPrompt = fitToContext(this.model, options.systemPrompt, this.context.contextSize);
    }
    this.session.setChatHistory(toHistory(this.systemPrompt, options.history ?? []));
    await Promise.resolve();
  }

  history(): ChatMessage[] {
    return fromHistory(this.session.getChatHistory());
  }

  /** The text the model has evaluated in its context (chat template included): for tests and debugging. */
  contextText(): string {
    return this.model.detokenize(this.session.sequence.contextTokens, true);
  }

  async dispose(): Promise<void> {
    // Each part is released even when an earlier one fails.
    const steps: Array<[string, () => unknown]> = [
      ["session", () => this.session.dispose({ disposeSequence: true })],
      ["context", () => this.context.dispose()],
      ["model", () => this.model.dispose()],
      ["llama", () => this.llama.dispose()],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (err) {
        log.warn(`disposing the ${what} failed`, err);
      }
    }
  }
}
