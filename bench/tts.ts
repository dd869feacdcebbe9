/**
 * TTS benchmark: the chunker's cost per token, and per engine the real-time factor (synthesis time /
 * audio time) and the time to first audio (synthesis of the first chunk of a streamed reply), with
 * the wrapper's overhead against the raw engine call. Figures only; never asserts.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { ClauseChunker } from "../src/tts/chunker.js";
import { createTtsEngine } from "../src/tts/engine.js";
import { espeakClausePhonemes } from "../src/tts/phonemize.js";
import { PiperEngine } from "../src/tts/piper.js";
import type { TtsEngine } from "../src/tts/types.js";
import { type Row, fmt, printTable, stats, timeMs } from "./report.js";

const REPLY =
  "Ah, welcome back, traveler! *smiles warmly* It's been a while, hasn't it? The roads from the north are " +
  "long... and Mr. Hale says the bridge at mile 3.5 is out again, e.g. since the storm. Here's what you need:\n" +
  "- **bread**, about 1,000 grams\n- water\n\nVisit https://example.com/map.html for the route. " +
  "Honestly — I wouldn't go alone. Shall I come with you? 😊 We could leave at dawn, before the fog rolls in.";

const SENTENCE = "The quick brown fox jumps over the lazy dog, and then it runs back into the forest.";
const RUNS = 12;

function tokens(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function firstChunk(text: string): string {
  const c = new ClauseChunker();
  for (const t of tokens(text)) {
    const out = c.push(t);
    if (out.length) return out[0]!;
  }
  return c.flush()[0] ?? text;
}

function benchChunker(): void {
  const toks = tokens(REPLY.repeat(4));
  const perToken: number[] = [];
  for (let r = 0; r < 10; r++) new ClauseChunker().push(REPLY); // warm-up (JIT)
  for (let r = 0; r < 50; r++) {
    const c = new ClauseChunker();
    const start = performance.now();
    for (const t of toks) c.push(t);
    c.flush();
    perToken.push(((performance.now() - start) * 1000) / toks.length);
  }
  const s = stats(perToken);
  printTable("chunker", [
    {
      name: "cost per token",
      value: `median ${fmt(s.median, 2)} µs, p95 ${fmt(s.p95, 2)} µs`,
      note: `${toks.length} tokens of 4 chars`,
    },
  ]);
}

function espeakRaw(text: string): Promise<void> {
  return new Promise((done, fail) => {
    const p = spawn("espeak-ng", ["--stdout", "-v", "en-us", "--", text], { stdio: ["ignore", "ignore", "ignore"] });
    p.on("error", fail);
    p.on("close", () => done());
  });
}

async function engineRows(engine: TtsEngine, raw?: (text: string) => Promise<unknown>): Promise<Row[]> {
  const rtf: number[] = [];
  const ttfa: number[] = [];
  const rawMs: number[] = [];
  const fullMs: number[] = [];
  const first = firstChunk(REPLY);
  for (let r = 0; r < RUNS; r++) {
    const { ms, value } = await timeMs(() => engine.synthesize(SENTENCE));
    fullMs.push(ms);
    const audioMs = (value.length / engine.sampleRate) * 1000;
    if (audioMs > 0) rtf.push(ms / audioMs);
    ttfa.push((await timeMs(() => engine.synthesize(first))).ms);
    if (raw) rawMs.push((await timeMs(() => raw(SENTENCE))).ms);
  }
  const r = stats(rtf);
  const t = stats(ttfa);
  const rows: Row[] = [
    {
      name: "real-time factor",
      value: `median ${fmt(r.median, 3)}, p95 ${fmt(r.p95, 3)}`,
      note: "synthesis / audio time",
    },
    {
      name: "time to first audio",
      value: `median ${fmt(t.median)} ms, p95 ${fmt(t.p95)} ms`,
      note: `first chunk: "${first}"`,
    },
  ];
  if (raw) {
    const f = stats(fullMs);
    const w = stats(rawMs);
    rows.push({
      name: "vs raw engine",
      value: `${fmt(f.median)} ms vs ${fmt(w.median)} ms raw (x${fmt(f.median / w.median, 2)})`,
      note: "one sentence, median",
    });
  }
  return rows;
}

async function benchEspeak(): Promise<void> {
  let engine: TtsEngine;
  try {
    engine = await createTtsEngine({ engine: "espeak" });
  } catch (err) {
    process.stdout.write(`\n## espeak-ng\n  skipped: ${(err as Error).message}\n`);
    return;
  }
  printTable("espeak-ng (en-us)", await engineRows(engine, espeakRaw));
  await engine.dispose();
}

async function benchPiperStub(): Promise<void> {
  const dir = process.env.ROLEPLAY_TEST_MODELS;
  const stub = dir ? join(resolve(dir), "piper-stub/test_voice.onnx") : undefined;
  if (!stub || !existsSync(stub)) {
    process.stdout.write(
      "\n## piper (stub voice)\n  skipped: set ROLEPLAY_TEST_MODELS to the folder with piper-stub/\n",
    );
    return;
  }
  const load = await timeMs(() => PiperEngine.load(stub, { warmup: false }));
  const engine = load.value;
  await engine.synthesize("Hello.");
  const phon: number[] = [];
  const infer: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const p = await timeMs(() => espeakClausePhonemes(SENTENCE, engine.config.espeakVoice));
    phon.push(p.ms);
    const sentences = await engine.phonemize(SENTENCE);
    infer.push((await timeMs(() => engine.infer(engine.ids(sentences[0]!)))).ms);
  }
  const rows = await engineRows(engine, async (text) => {
    const [s] = await engine.phonemize(text);
    return engine.infer(engine.ids(s!));
  });
  rows.unshift({ name: "load", value: `${fmt(load.ms)} ms` });
  rows.push({
    name: "phonemize (espeak-ng)",
    value: `median ${fmt(stats(phon).median)} ms, p95 ${fmt(stats(phon).p95)} ms`,
  });
  rows.push({
    name: "inference only",
    value: `median ${fmt(stats(infer).median)} ms, p95 ${fmt(stats(infer).p95)} ms`,
    note: "the stub outputs 1 s of silence per sentence; real voices take longer",
  });
  printTable("piper (stub voice)", rows);
  await engine.dispose();
}

export async function run(): Promise<void> {
  benchChunker();
  await benchEspeak();
  await benchPiperStub();
}
