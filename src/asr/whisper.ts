import { availableParallelism } from "node:os";
import { AbortError, ModelFileError, RoleplayError, errorMessage, throwIfAborted } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { checkWhisperModel } from "./check.js";
import type { WhisperModelInfo } from "./check.js";
import { TranscriptionError } from "./errors.js";
import { loadWhisperBinding, whisperBuildInfo } from "./native.js";
import type {
  NativeSegment,
  NativeWhisperModel,
  WhisperBinding,
  WhisperBuildInfo,
  WhisperBuildKind,
} from "./native.js";
import { WHISPER_LANGUAGES } from "./languages.js";
import { audioContextFor, padForWhisper } from "./window.js";

const log = getLogger("asr");

export interface WhisperLoadOptions {
  /** "auto" (detect per utterance, multilingual models only) or a code such as "en", "de". */
  language?: "auto" | (string & {});
  /** Text that primes the vocabulary (names, jargon). */
  initialPrompt?: string;
  /**
   * Compute threads. Default: the cores this process may use (os.availableParallelism) minus one
   * for the main thread, which keeps running capture, VAD and the UI meanwhile; 1 to 8.
   * ggml's threads spin while they wait for each other, so more threads than free cores is far
   * slower, not a little (measured 20× on a busy 2-core machine).
   */
  threads?: number;
  /** Encode only as much audio context as the utterance needs (default true): much faster on short turns. */
  sizeAudioContext?: boolean;
  /** Which compiled whisper.cpp (default "auto": the fast build when it works). */
  build?: "auto" | WhisperBuildKind;
  /** 1 = greedy decoding (default, fastest); 2+ = beam search with that many beams. */
  beamSize?: number;
}

export interface TranscriptSegment {
  startMs: number;
  endMs: number;
  text: string;
}

export interface Transcript {
  /** Whisper's raw text, trimmed; run it through cleanTranscript() before sending it anywhere. */
  text: string;
  segments: TranscriptSegment[];
  /** Length of the audio given (before padding). */
  durationMs: number;
  /** The encoder context used: 0 = whisper's full 30-second window. */
  audioContext: number;
}

/**
 * A whisper model loaded once and kept warm. The file is checked first (a bad file crashes
 * whisper.cpp), utterances shorter than whisper's one-second minimum are padded with silence,
 * and calls run one at a time.
 */
export class WhisperTranscriber {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly model: WhisperModelInfo,
    readonly build: WhisperBuildInfo,
    private readonly binding: WhisperBinding,
    private native: NativeWhisperModel | undefined,
    private readonly params: Record<string, unknown>,
    private readonly sizeContext: boolean,
  ) {}

  static async load(path: string, options: WhisperLoadOptions = {}): Promise<WhisperTranscriber> {
    const info = await checkWhisperModel(path);
    const language = pickLanguage(options.language ?? "auto", info.multilingual);
    const build = whisperBuildInfo(options.build ? { prefer: options.build } : {});
    const binding = loadWhisperBinding(build);
    let native: NativeWhisperModel;
    try {
      native = await binding.WhisperModel.load(path, process.platform === "darwin");
    } catch (err) {
      throw new ModelFileError("WHISPER_LOAD_FAILED", `whisper.cpp could not load ${path}: ${errorMessage(err)}`, {
        hint: "Download the model again (whisper.cpp ggml models, e.g. ggml-base.en.bin).",
        cause: err,
      });
    }
    const beam = Math.max(1, Math.floor(options.beamSize ?? 1));
    const threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
    const params: Record<string, unknown> = {
      strategy: beam > 1 ? 1 : 0,
      beam_size: beam,
      n_threads: threads,
      language,
      no_timestamps: true,
      suppress_non_speech_tokens: true,
      print_progress: false,
      print_realtime: false,
      print_timestamps: false,
      ...(options.initialPrompt ? { initial_prompt: options.initialPrompt } : {}),
    };
    log.info(
      `whisper ${info.type} (${info.ftypeName}) loaded on the ${build.kind} build, ${threads} threads, language ${language}`,
    );
    return new WhisperTranscriber(info, build, binding, native, params, options.sizeAudioContext ?? true);
  }

  /** Transcribe 16 kHz mono float PCM. Aborting rejects at once (whisper.cpp finishes in the background). */
  transcribe(pcm16k: Float32Array, options: { signal?: AbortSignal } = {}): Promise<Transcript> {
    if (options.signal?.aborted) return Promise.reject(new AbortError());
    if (this.disposed) return Promise.reject(new RoleplayError("WHISPER_DISPOSED", "the whisper model was released"));
    const job = this.queue.then(() => this.run(pcm16k, options.signal));
    this.queue = job.catch(() => undefined);
    return raceAbort(job, options.signal);
  }

  private async run(pcm16k: Float32Array, signal: AbortSignal | undefined): Promise<Transcript> {
    throwIfAborted(signal);
    const native = this.native;
    if (!native || native.freed) throw new RoleplayError("WHISPER_DISPOSED", "the whisper model was released");
    const durationMs = Math.round(pcm16k.length / 16);
    const pcm = padForWhisper(pcm16k);
    const audioContext = this.sizeContext ? audioContextFor(pcm.length, this.model.hparams.n_audio_ctx) : 0;
    const params = audioContext > 0 ? { ...this.params, audio_ctx: audioContext } : this.params;
    const results = await new Promise<NativeSegment[]>((resolve, reject) => {
      this.binding.transcribe(
        native.handle,
        pcm,
        params,
        (r) => (r instanceof Error ? reject(r) : resolve(r)),
        () => undefined,
      );
    }).catch((err: unknown) => {
      throw new TranscriptionError("WHISPER_FAILED", `whisper.cpp failed on an utterance: ${errorMessage(err)}`, {
        cause: err,
      });
    });
    return toTranscript(results, durationMs, audioContext);
  }

  /** Wait for the running transcription, then free the model. Safe to call twice. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    const native = this.native;
    this.native = undefined;
    if (native && !native.freed) await native.free();
  }
}

/** The cores this process may use, minus one for the main thread; 1 to 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

function pickLanguage(language: string, multilingual: boolean): string {
  const code = language.trim().toLowerCase();
  if (!multilingual) {
    if (code !== "en" && code !== "auto") log.warn(`language "${code}" ignored: the model is English-only`);
    return "en";
  }
  if (code === "auto" || WHISPER_LANGUAGES.has(code)) return code;
  throw new RoleplayError("WHISPER_LANGUAGE", `Unknown language for whisper: "${language}"`, {
    hint: 'Use "auto" or a language code such as "en", "de", "fr", "es", "ja".',
  });
}

/** With timestamps off, whisper's segment starts are meaningless: lay segments end to end. */
function toTranscript(results: NativeSegment[], durationMs: number, audioContext: number): Transcript {
  const segments: TranscriptSegment[] = [];
  let start = 0;
  for (const r of results) {
    const text = r.text.trim();
    const end = Math.min(durationMs, Math.max(start, Number.isFinite(r.to) ? r.to : durationMs));
    if (text) segments.push({ startMs: start, endMs: results.length === 1 ? durationMs : end, text });
    start = end;
  }
  const text = segments
    .map((s) => s.text)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  return { text, segments, durationMs, audioContext };
}

function raceAbort<T>(job: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return job;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError());
    signal.addEventListener("abort", onAbort, { once: true });
    job.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
