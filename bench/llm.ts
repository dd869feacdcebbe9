/**
 * LLM benchmark: model load time, time to first token (TTFT) and tokens/s of the app (LlamaChat
 * driven through the VoiceSession) against a bare node-llama-cpp LlamaChatSession on the same model
 * with the same settings, TTFT at turn 1 and turn 20 of one conversation (flat when the KV cache is
 * reused), and tokens/s by thread count. Figures only; never asserts.
 *
 * Model: ROLEPLAY_BENCH_MODEL, else $ROLEPLAY_TEST_MODELS/stories260K.gguf, else a tiny random GGUF.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { errorMessage } from "../src/core/errors.js";
import { checkGgufFile, type GgufFileInfo } from "../src/llm/check.js";
import { resolveThreads, usableCores } from "../src/llm/threads.js";
import { writeTinyGguf } from "../test/helpers/gguf.js";
import {
  type BenchEngine,
  type EngineSettings,
  type TurnFigures,
  loadApp,
  loadBare,
  openLlama,
} from "./llm-engines.js";
import { medianOf, ratio, reportKvReuse, reportOverhead } from "./llm-report.js";
import { type Row, fmt, printTable, timeMs } from "./report.js";

const TURNS = 20;
const MAX_TOKENS = 32;
const CONTEXT_SIZE = 2048;
const SEED = 42;
/** Wall-clock budget for each thread-count configuration (an oversubscribed one can crawl). */
const THREAD_BUDGET_MS = 10_000;
const THREAD_TURNS = 3;

const PROMPTS = [
  "Once upon a time there was a little dog.",
  "What did the dog find in the garden?",
  "Tell me about the big red ball.",
  "Where did the girl go after lunch?",
  "Why was the cat so sad?",
  "What happened when it started to rain?",
  "Who helped the bird fly home?",
  "Tell me about the boy and his kite.",
  "What did mom say at the park?",
  "How did the tree feel in winter?",
  "What was inside the little box?",
  "Tell me a story about a fish.",
  "Why did the bear laugh?",
  "What did the children play with?",
  "Where did the sun go at night?",
  "Tell me about a kind old man.",
  "What did the frog want to eat?",
  "How did the friends share the cake?",
  "What did Lily see in the sky?",
  "How did the story end?",
];

interface PickedModel {
  path: string;
  source: string;
  cleanup: () => void;
}

function pickModel(): PickedModel | undefined {
  const explicit = process.env.ROLEPLAY_BENCH_MODEL;
  if (explicit) {
    const path = resolve(explicit);
    if (!existsSync(path)) {
      process.stdout.write(`\nllm: skipped, ROLEPLAY_BENCH_MODEL names a missing file (${path})\n`);
      return undefined;
    }
    return { path, source: "ROLEPLAY_BENCH_MODEL", cleanup: () => undefined };
  }
  const dir = process.env.ROLEPLAY_TEST_MODELS;
  const stories = dir ? join(resolve(dir), "stories260K.gguf") : undefined;
  if (stories && existsSync(stories))
    return { path: stories, source: "ROLEPLAY_TEST_MODELS", cleanup: () => undefined };
  const tmp = mkdtempSync(join(tmpdir(), "roleplay-bench-llm-"));
  const path = join(tmp, "tiny-random.gguf");
  writeTinyGguf(path, { contextLength: CONTEXT_SIZE });
  return {
    path,
    source: "tiny random GGUF written by the bench (set ROLEPLAY_TEST_MODELS or ROLEPLAY_BENCH_MODEL for a real one)",
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

async function loadBoth(settings: EngineSettings): Promise<{ app: BenchEngine; bare: BenchEngine; rows: Row[] }> {
  // Untimed warm-up: loads the native binding and puts the file in the page cache for both sides.
  const warm = await loadBare(settings);
  await warm.dispose();
  const app = await timeMs(() => loadApp(settings));
  const bare = await timeMs(() => loadBare(settings));
  const rows: Row[] = [
    { name: "load app (LlamaChat)", value: `${fmt(app.ms, 1)} ms` },
    { name: "load bare", value: `${fmt(bare.ms, 1)} ms` },
    { name: "ratio app / bare", value: ratio(app.ms, bare.ms) },
    {
      name: "bare by stage",
      value: Object.entries(bare.value.loadStages ?? {})
        .map(([k, v]) => `${k} ${fmt(v, 1)} ms`)
        .join(", "),
    },
  ];
  return { app: app.value, bare: bare.value, rows };
}

/** One conversation of TURNS turns on each side, alternating which side goes first. */
async function conversation(app: BenchEngine, bare: BenchEngine): Promise<{ a: TurnFigures[]; b: TurnFigures[] }> {
  const a: TurnFigures[] = [];
  const b: TurnFigures[] = [];
  for (let i = 0; i < TURNS; i++) {
    const prompt = PROMPTS[i % PROMPTS.length]!;
    if (i % 2 === 0) {
      a.push(await app.send(prompt));
      b.push(await bare.send(prompt));
    } else {
      b.push(await bare.send(prompt));
      a.push(await app.send(prompt));
    }
  }
  return { a, b };
}

/** tokens/s with 1 thread, "auto", every usable core and node-llama-cpp's own default. */
async function threadSweep(settings: EngineSettings): Promise<void> {
  const configs: { name: string; threads: number | undefined }[] = [
    { name: "threads=1", threads: 1 },
    { name: `threads=auto (${resolveThreads("auto")})`, threads: resolveThreads("auto") },
    { name: `threads=all usable cores (${usableCores()})`, threads: usableCores() },
  ];
  const probe = await openLlama(undefined);
  const defaultThreads = probe.maxThreads;
  await probe.dispose();
  configs.push({ name: `node-llama-cpp default (${defaultThreads})`, threads: undefined });
  const seen = new Set<number>();
  const rows: Row[] = [];
  for (const c of configs) {
    const effective = c.threads ?? defaultThreads;
    if (seen.has(effective)) {
      rows.push({ name: c.name, value: `same as threads=${effective} above` });
      continue;
    }
    seen.add(effective);
    const signal = AbortSignal.timeout(THREAD_BUDGET_MS);
    const engine = await loadBare({ ...settings, threads: c.threads }, c.name);
    const turns: TurnFigures[] = [];
    try {
      for (let i = 0; i < THREAD_TURNS && !signal.aborted; i++) turns.push(await engine.send(PROMPTS[i]!, signal));
    } finally {
      await engine.dispose();
    }
    const tps = medianOf(turns.map((t) => t.tokensPerSecond));
    const tokens = turns.reduce((n, t) => n + t.tokens, 0);
    rows.push({
      name: c.name,
      value: `${fmt(tps, tps < 10 ? 1 : 0)} tok/s, TTFT ${fmt(medianOf(turns.map((t) => t.firstTokenMs)), 1)} ms`,
      note: `${engine.threads} context threads, ${turns.length} turns, ${tokens} tokens${signal.aborted ? `, cut at ${THREAD_BUDGET_MS / 1000} s` : ""}`,
    });
  }
  printTable("LLM: tokens/s by thread count (bare node-llama-cpp, medians)", rows);
}

function modelRows(model: PickedModel, info: GgufFileInfo, threads: number): Row[] {
  return [
    { name: "model", value: basename(model.path), note: model.source },
    {
      name: "file",
      value: `${fmt(info.fileSize / 1e6, 2)} MB, ${info.architecture}, ${info.parameterCount.toLocaleString("en")} params, ${info.quantization}`,
    },
    {
      name: "settings",
      value: `threads ${threads} (resolveThreads("auto")), context ${CONTEXT_SIZE}, maxTokens ${MAX_TOKENS}, temperature 0, seed ${SEED}, CPU only`,
    },
  ];
}

export async function run(): Promise<void> {
  const model = pickModel();
  if (!model) return;
  try {
    let info: GgufFileInfo;
    try {
      info = await checkGgufFile(model.path, { contextSize: CONTEXT_SIZE });
    } catch (err) {
      process.stdout.write(`\nllm: skipped, ${basename(model.path)} failed the model check: ${errorMessage(err)}\n`);
      return;
    }
    const threads = resolveThreads("auto");
    const settings: EngineSettings = {
      modelPath: model.path,
      threads,
      contextSize: CONTEXT_SIZE,
      maxTokens: MAX_TOKENS,
      seed: SEED,
      systemPrompt: "You are Bench, a friendly storyteller. Answer in a few sentences.",
    };
    printTable("LLM: model", modelRows(model, info, threads));
    const { app, bare, rows } = await loadBoth(settings);
    try {
      printTable("LLM: model load (after an untimed warm-up load)", rows);
      const { a, b } = await conversation(app, bare);
      reportOverhead(a, b, { used: bare.contextTokens(), size: CONTEXT_SIZE });
      const cold = await bare.resendCold?.();
      reportKvReuse(a, b, cold);
    } finally {
      await app.dispose();
      await bare.dispose();
    }
    await threadSweep(settings);
  } finally {
    model.cleanup();
  }
}
