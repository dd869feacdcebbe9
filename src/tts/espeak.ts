import { downmix, decodeWav, resample } from "../audio/wav.js";
import { getLogger } from "../core/log.js";
import type { TtsEngine } from "./types.js";
import { runEspeak } from "./espeak-run.js";
import { TtsError } from "./errors.js";

const log = getLogger("tts.espeak");

/** espeak-ng's default rate in words per minute; `speed` multiplies it. */
const BASE_WPM = 175;

export interface EspeakOptions {
  /** espeak-ng voice, e.g. "en-us", "en+f3" (default "en-us"). */
  voice?: string;
  /** Speaking rate multiplier (1 = espeak's default 175 words per minute). */
  speed?: number;
}

/**
 * espeak-ng as a subprocess: `--stdout` WAV (whose header carries placeholder sizes, which decodeWav
 * ignores) decoded to float32. The zero-download default voice.
 */
export class EspeakEngine implements TtsEngine {
  readonly name: string;
  private rate = 22050;
  private readonly args: string[];

  private constructor(
    readonly voice: string,
    speed: number,
  ) {
    this.name = `espeak:${voice}`;
    const wpm = Math.round(Math.min(450, Math.max(80, BASE_WPM * speed)));
    this.args = ["--stdout", "-v", voice, "-s", String(wpm)];
  }

  get sampleRate(): number {
    return this.rate;
  }

  /** Start the engine: checks that espeak-ng and the voice exist, and learns the output rate. */
  static async create(opts: EspeakOptions = {}, signal?: AbortSignal): Promise<EspeakEngine> {
    const engine = new EspeakEngine(opts.voice ?? "en-us", opts.speed ?? 1);
    const wav = decodeWav(await runEspeak(engine.args, "ok", { signal }));
    engine.rate = wav.sampleRate;
    log.debug("espeak-ng ready", { voice: engine.voice, sampleRate: engine.rate });
    return engine;
  }

  async synthesize(text: string, opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    if (!/[\p{L}\p{N}]/u.test(text)) return new Float32Array(0);
    const buf = await runEspeak(this.args, text, { signal: opts.signal });
    let wav;
    try {
      wav = decodeWav(buf);
    } catch (err) {
      throw new TtsError("ESPEAK_OUTPUT", "espeak-ng produced no usable audio", { cause: err });
    }
    return resample(downmix(wav.channels), wav.sampleRate, this.rate);
  }

  async dispose(): Promise<void> {
    // Nothing held between calls: each synthesis is its own short process.
  }
}
