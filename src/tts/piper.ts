import { existsSync } from "node:fs";
import type * as Ort from "onnxruntime-node";
import { concatFloat32 } from "../audio/wav.js";
import { AbortError, ModelFileError, NativeModuleError, errorMessage, throwIfAborted } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { checkPiperVoiceFile } from "./check-onnx.js";
import { clausesToSentences, espeakClausePhonemes, phonemesToIds, textPhonemes } from "./phonemize.js";
import { type PiperVoiceConfig, loadPiperConfig, resolveSpeaker } from "./piper-config.js";
import type { TtsEngine } from "./types.js";

const log = getLogger("tts.piper");

export interface PiperOptions {
  /** Multi-speaker voices: speaker id or name (default 0). */
  speaker?: number | string;
  /** Rate multiplier: length_scale is divided by it (default 1). */
  speed?: number;
  /** Path of the `.onnx.json` (default: the voice path + ".json"). */
  configPath?: string;
  /** Silence between sentences of one synthesis, in seconds (default 0.2). */
  sentenceSilence?: number;
  /** Run a short synthesis at load (default true). */
  warmup?: boolean;
  /** onnxruntime intra-op threads (default: onnxruntime's choice). */
  threads?: number;
  signal?: AbortSignal;
}

/** Where the `.onnx.json` of a voice is: next to it as `<voice>.onnx.json`, or `<voice>.json`. */
export function piperConfigPath(voicePath: string): string {
  const a = `${voicePath}.json`;
  if (existsSync(a)) return a;
  const b = voicePath.replace(/\.onnx$/, ".json");
  return existsSync(b) ? b : a;
}

async function loadOrt(): Promise<typeof Ort> {
  try {
    return await import("onnxruntime-node");
  } catch (err) {
    throw new NativeModuleError("ORT_MISSING", `onnxruntime-node could not be loaded: ${errorMessage(err)}`, {
      hint: "Reinstall roleplay with its optional dependencies (npm install onnxruntime-node), or use --voice espeak.",
      cause: err,
    });
  }
}

/**
 * Piper's per-sentence level: scale so the peak is full scale, but never by more than 100x
 * (the peak counts as at least 0.01), so a near-silent sentence stays quiet. In place.
 */
export function normalizePeak(audio: Float32Array): Float32Array {
  let peak = 0.01;
  for (const v of audio) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < audio.length; i++) audio[i] = Math.max(-1, Math.min(1, audio[i]! / peak));
  return audio;
}

/**
 * A standard Piper voice (rhasspy/piper-voices `.onnx` + `.onnx.json`) run in process with
 * onnxruntime-node: loaded once and kept warm. Phonemes come from espeak-ng the way Piper makes
 * them; one inference per sentence.
 */
export class PiperEngine implements TtsEngine {
  readonly name: string;
  readonly sampleRate: number;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly missing = new Set<string>();
  private disposed = false;

  private constructor(
    private readonly ort: typeof Ort,
    private session: Ort.InferenceSession | undefined,
    readonly config: PiperVoiceConfig,
    private readonly scales: Float32Array,
    private readonly sid: number | undefined,
    private readonly silenceSec: number,
    voicePath: string,
  ) {
    this.name = `piper:${voicePath}`;
    this.sampleRate = config.sampleRate;
  }

  /** Check the files, load the voice, and warm it up. Throws ModelFileError / NativeModuleError. */
  static async load(voicePath: string, opts: PiperOptions = {}): Promise<PiperEngine> {
    const config = await loadPiperConfig(opts.configPath ?? piperConfigPath(voicePath));
    await checkPiperVoiceFile(voicePath);
    const sid = resolveSpeaker(config, opts.speaker);
    throwIfAborted(opts.signal);
    const ort = await loadOrt();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(voicePath, {
        executionProviders: ["cpu"],
        graphOptimizationLevel: "all",
        logSeverityLevel: 3,
        ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
      });
    } catch (err) {
      throw new ModelFileError("MODEL_INVALID", `the Piper voice could not be loaded: ${errorMessage(err)}`, {
        hint: "Download the voice again, or use --voice espeak.",
        cause: err,
      });
    }
    for (const name of ["input", "input_lengths", "scales"]) {
      if (!session.inputNames.includes(name)) {
        await session.release();
        throw new ModelFileError("MODEL_INVALID", `${voicePath} is not a Piper voice (no "${name}" input)`, {
          hint: "Use a voice from rhasspy/piper-voices.",
        });
      }
    }
    const speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
    const scales = Float32Array.from([config.noiseScale, config.lengthScale / speed, config.noiseW]);
    const sidInput = sid !== undefined && session.inputNames.includes("sid") ? sid : undefined;
    const engine = new PiperEngine(ort, session, config, scales, sidInput, opts.sentenceSilence ?? 0.2, voicePath);
    log.info("piper voice loaded", { voice: voicePath, sampleRate: config.sampleRate, speakers: config.numSpeakers });
    if (opts.warmup !== false) {
      try {
        await engine.synthesize("Hello.", { signal: opts.signal });
      } catch (err) {
        await engine.dispose();
        throw err;
      }
    }
    return engine;
  }

  /** Text to phonemes grouped by sentence, as Piper does it. */
  async phonemize(text: string, signal?: AbortSignal): Promise<string[][]> {
    if (this.config.phonemeType === "text") return textPhonemes(text, this.config.phonemeMap);
    const clauses = await espeakClausePhonemes(text, this.config.espeakVoice, signal);
    return clausesToSentences(clauses, this.config.phonemeMap);
  }

  /** Phoneme ids of one sentence. */
  ids(phonemes: string[]): number[] {
    const before = this.missing.size;
    const ids = phonemesToIds(phonemes, this.config.phonemeIdMap, this.missing);
    if (this.missing.size > before) log.warn("phonemes missing from the voice's phoneme_id_map", [...this.missing]);
    return ids;
  }

  async synthesize(text: string, opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    const { signal } = opts;
    throwIfAborted(signal);
    if (!/[\p{L}\p{N}]/u.test(text)) return new Float32Array(0);
    const sentences = await this.phonemize(text, signal);
    const parts: Float32Array[] = [];
    const gap = new Float32Array(Math.round(this.silenceSec * this.sampleRate));
    for (const phonemes of sentences) {
      throwIfAborted(signal);
      if (parts.length && gap.length) parts.push(gap);
      parts.push(await this.infer(this.ids(phonemes)));
    }
    throwIfAborted(signal);
    return concatFloat32(parts);
  }

  /** One inference on phoneme ids; calls are serialised on the one session. */
  infer(ids: number[]): Promise<Float32Array> {
    const run = this.queue.then(() => this.run(ids));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(ids: number[]): Promise<Float32Array> {
    const session = this.session;
    if (!session || this.disposed) throw new AbortError("the Piper voice was disposed");
    const { Tensor } = this.ort;
    const feeds: Record<string, Ort.Tensor> = {
      input: new Tensor(
        "int64",
        BigInt64Array.from(ids, (x) => BigInt(x)),
        [1, ids.length],
      ),
      input_lengths: new Tensor("int64", BigInt64Array.from([BigInt(ids.length)]), [1]),
      scales: new Tensor("float32", this.scales, [3]),
    };
    if (this.sid !== undefined) feeds.sid = new Tensor("int64", BigInt64Array.from([BigInt(this.sid)]), [1]);
    const result = await session.run(feeds);
    const first = result[session.outputNames[0] ?? "output"];
    if (!first || !(first.data instanceof Float32Array))
      throw new ModelFileError("MODEL_INVALID", "the Piper voice returned no float audio");
    const audio = Float32Array.from(first.data);
    for (const t of Object.values(result)) t.dispose?.();
    return normalizePeak(audio);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const session = this.session;
    this.session = undefined;
    await this.queue;
    await session?.release();
  }
}
