import { existsSync } from "node:fs";
import { UsageError } from "../core/errors.js";
import type { TtsEngine, VoiceSpec } from "./types.js";

export type { TtsEngine, VoiceSpec } from "./types.js";

/**
 * Parse `--voice`: "espeak", "espeak:<name>", "none"/"off", "piper:<path>", or a path to a Piper
 * voice (`.onnx`, or `.onnx.json` next to it).
 */
export function parseVoiceFlag(flag: string): VoiceSpec {
  const v = flag.trim();
  if (v === "none" || v === "off") return { engine: "none" };
  if (v === "espeak" || v === "espeak-ng") return { engine: "espeak" };
  if (v.startsWith("espeak:") || v.startsWith("espeak-ng:")) {
    const name = v.slice(v.indexOf(":") + 1).trim();
    return name ? { engine: "espeak", voice: name } : { engine: "espeak" };
  }
  const path = v.startsWith("piper:") ? v.slice(6).trim() : v;
  if (path && (path.endsWith(".onnx") || path.endsWith(".onnx.json") || v.startsWith("piper:") || existsSync(path))) {
    return { engine: "piper", voice: path.endsWith(".onnx.json") ? path.slice(0, -5) : path };
  }
  throw new UsageError("BAD_VOICE", `unknown voice "${flag}"`, {
    hint: "Use --voice espeak, --voice espeak:<name> (see `espeak-ng --voices`), --voice path/to/voice.onnx or --voice none.",
  });
}

/** An engine that says nothing (text-only replies). */
class SilentEngine implements TtsEngine {
  readonly name = "none";
  readonly sampleRate = 22050;
  async synthesize(): Promise<Float32Array> {
    return new Float32Array(0);
  }
  async dispose(): Promise<void> {}
}

export interface CreateTtsOptions {
  signal?: AbortSignal;
  /** Piper: run one short synthesis at load so the first reply does not pay for warm-up (default true). */
  warmup?: boolean;
  /** Piper: onnxruntime intra-op threads (default: onnxruntime's choice). */
  threads?: number;
}

/** Start the engine for a voice spec. Piper loads the voice once (checked first) and keeps it warm. */
export async function createTtsEngine(spec: VoiceSpec, opts: CreateTtsOptions = {}): Promise<TtsEngine> {
  switch (spec.engine) {
    case "none":
      return new SilentEngine();
    case "espeak": {
      const { EspeakEngine } = await import("./espeak.js");
      return EspeakEngine.create({ voice: spec.voice, speed: spec.speed }, opts.signal);
    }
    case "piper": {
      if (!spec.voice) {
        throw new UsageError("NO_VOICE", "the piper engine needs a voice file", {
          hint: "Set tts.voice to the path of a Piper .onnx voice, or use --voice path/to/voice.onnx.",
        });
      }
      const { PiperEngine } = await import("./piper.js");
      return PiperEngine.load(spec.voice, { speaker: spec.speaker, speed: spec.speed, ...opts });
    }
    default: {
      const never: never = spec.engine;
      throw new UsageError("BAD_VOICE", `unknown TTS engine ${String(never)}`);
    }
  }
}
