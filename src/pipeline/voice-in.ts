import type { CaptureSource } from "../audio/source.js";
import { concatFloat32 } from "../audio/wav.js";
import { errorMessage, isAbortError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { EndpointerEvent, EndpointerOptions } from "../vad/endpointer.js";
import { listen, type FrameScorer } from "../vad/listen.js";
import { BargeInDetector, type BargeInOptions } from "./barge-in.js";
import type { VoiceSession } from "./session.js";

const log = getLogger("voice-in");

export interface Transcriber {
  transcribe(pcm16k: Float32Array, options?: { signal?: AbortSignal }): Promise<{ text: string }>;
}

/** A finished utterance, ready to be routed (command, dictation or a turn). */
export interface HeardUtterance {
  text: string;
  /** On the input timeline (ms from the start of capture). */
  startMs: number;
  endMs: number;
  /** performance.now() values for the latency marks. */
  marks: { speechEndMs: number; endOfTurnMs: number; transcriptMs: number };
  /** Heard while the microphone was muted: only "unmute" may act on it. */
  muted: boolean;
}

export interface VoiceInputOptions {
  session: VoiceSession;
  source: CaptureSource;
  vad: FrameScorer;
  endpointer?: Partial<EndpointerOptions>;
  transcriber: Transcriber;
  /**
   * Drops empty and phantom transcripts (null = drop). `speechMs`: how long the VAD heard speech
   * in the utterance (a short one makes "Thank you." more likely a phantom).
   */
  clean: (text: string, info: { speechMs: number }) => string | null;
  bargeIn: BargeInOptions;
  mode?: "hands-free" | "push-to-talk";
  /** Is audio playing right now (the agent speaking)? */
  isPlaying: () => boolean;
  onUtterance: (u: HeardUtterance) => void;
  /** The capture stopped (device lost, file ended); the app goes on in text mode. */
  onEnd?: (reason: { error?: unknown }) => void;
  /** performance.now() of the first sample; defaults to when `start()` is called. */
  origin?: number;
  /** Push-to-talk recording stopped by itself (it reached the longest utterance). */
  onRecordingChange?: (recording: boolean) => void;
  /** How often (ms) level events reach the session (the UI meter); never per frame. */
  levelEveryMs?: number;
}

/**
 * Voice in: capture → VAD endpointer → whisper, and barge-in. Runs until the source ends or
 * `stop()`. Transcription is serialised; a failure of one utterance is a notice, not a crash.
 */
export class VoiceInput {
  private readonly controller = new AbortController();
  private readonly barge: BargeInDetector;
  private muted = false;
  private recording = false;
  private mode: "hands-free" | "push-to-talk";
  private origin = 0;
  private lastLevelAt = -Infinity;
  private transcribing: Promise<void> = Promise.resolve();
  private pttAudio: Float32Array[] = [];
  private pttSamples = 0;
  private pttStartMs = 0;
  /** Speech the VAD heard during the push-to-talk recording (ms), for the phantom filter. */
  private pttSpeechMs = 0;
  /** Start of the speech the endpointer is in (any mode), or undefined between utterances. */
  private speechStartMs: number | undefined;
  private lastFrameMs = 0;
  done: Promise<void> = Promise.resolve();

  constructor(private readonly o: VoiceInputOptions) {
    this.barge = new BargeInDetector(o.bargeIn);
    this.mode = o.mode ?? "hands-free";
  }

  start(): void {
    this.origin = this.o.origin ?? performance.now();
    this.o.session.setIdleState(this.muted ? "muted" : "listening");
    this.done = this.run();
  }

  /** Wall-clock (performance.now) time of a point on the input timeline. */
  wallTime(inputMs: number): number {
    return this.origin + inputMs;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.o.session.setIdleState(muted ? "muted" : "listening");
  }

  get isMuted(): boolean {
    return this.muted;
  }

  setMode(mode: "hands-free" | "push-to-talk"): void {
    this.mode = mode;
    this.recording = false;
  }

  /**
   * Push-to-talk: toggle recording. Stopping sends what was recorded as one utterance; a
   * recording longer than the maximum utterance is sent when it reaches it.
   */
  toggleRecording(): boolean {
    if (this.mode !== "push-to-talk") return false;
    const s = this.o.session;
    this.recording = !this.recording;
    if (this.recording) {
      this.pttAudio = [];
      this.pttSamples = 0;
      this.pttStartMs = this.lastFrameMs;
      this.pttSpeechMs = 0;
      // Set "hearing" once the interrupted reply has settled (it resets the state as it ends).
      const hearing = (): void => {
        if (this.recording) s.setState("hearing");
      };
      if (s.busy) void s.interrupt("push-to-talk").then(hearing);
      else hearing();
    } else {
      const audio = concatFloat32(this.pttAudio);
      this.pttAudio = [];
      this.pttSamples = 0;
      if (!s.busy) s.setState(this.muted ? "muted" : "listening");
      if (this.speechStartMs !== undefined) this.addPttSpeech(this.speechStartMs, this.lastFrameMs);
      if (audio.length > 0) this.queueTranscription(audio, this.pttStartMs, this.lastFrameMs, this.pttSpeechMs);
    }
    return this.recording;
  }

  private addPttSpeech(fromMs: number, toMs: number): void {
    this.pttSpeechMs += Math.max(0, toMs - Math.max(fromMs, this.pttStartMs));
  }

  /** Keep push-to-talk audio, up to the longest utterance allowed. */
  private keepRecording(chunk: Float32Array): void {
    if (!this.recording) return;
    this.pttAudio.push(chunk.slice());
    this.pttSamples += chunk.length;
    const maxMs = this.o.endpointer?.maxUtteranceMs ?? 30_000;
    if (this.pttSamples / 16 >= maxMs) {
      this.toggleRecording();
      this.o.onRecordingChange?.(false);
    }
  }

  /** Wait for the input to end on its own and every utterance heard so far to be transcribed and routed. */
  async drain(): Promise<void> {
    await this.done.catch(() => undefined);
    await this.transcribing.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done.catch(() => undefined);
    await this.transcribing.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    try {
      for await (const event of listen(this.tap(), this.o.vad, this.o.endpointer ?? {}, signal)) {
        this.onEvent(event);
      }
      if (!signal.aborted) this.o.onEnd?.({});
    } catch (err) {
      if (!isAbortError(err) && !signal.aborted) {
        log.warn("capture ended", err);
        this.o.onEnd?.({ error: err });
      }
    }
  }

  /** Wrap the source so push-to-talk can keep the raw audio while recording. */
  private tap(): CaptureSource {
    const source = this.o.source;
    const keep = (chunk: Float32Array): void => this.keepRecording(chunk);
    return {
      description: source.description,
      dispose: () => source.dispose(),
      async *stream(signal: AbortSignal) {
        for await (const chunk of source.stream(signal)) {
          keep(chunk);
          yield chunk;
        }
      },
    };
  }

  private onEvent(event: EndpointerEvent): void {
    const s = this.o.session;
    switch (event.type) {
      case "level": {
        this.lastFrameMs = event.atMs;
        const speaking = this.o.isPlaying();
        if (this.mode === "hands-free" && !this.muted && this.barge.level(event.dbfs, event.atMs, s.busy, speaking)) {
          log.info("barge-in", { atMs: event.atMs, echoFloorDb: this.barge.echoFloorDb });
          const turn = s.currentTurn;
          if (turn) s.emit({ type: "barge-in", turnId: turn.id, atMs: event.atMs });
          void s.interrupt("barge-in");
        }
        if (event.atMs - this.lastLevelAt >= (this.o.levelEveryMs ?? 50)) {
          this.lastLevelAt = event.atMs;
          s.emit({ type: "level", dbfs: event.dbfs });
        }
        break;
      }
      case "speech-start":
        this.speechStartMs = event.speechStartMs;
        if (this.mode !== "hands-free") break;
        this.barge.speechStart(event.speechStartMs, this.o.isPlaying());
        if (!s.busy && !this.muted) s.setState("hearing");
        break;
      case "speech-end": {
        this.speechStartMs = undefined;
        if (this.recording) this.addPttSpeech(event.speechStartMs, event.endMs);
        // While muted, utterances are still transcribed so that "unmute" can be said; the router
        // acts on nothing else.
        if (this.mode !== "hands-free") break;
        this.barge.speechEnd();
        if (!this.barge.acceptUtterance()) {
          log.debug("dropped an utterance heard during playback (echo)", {
            startMs: event.startMs,
            endMs: event.endMs,
          });
          break;
        }
        s.emit({ type: "utterance", startMs: event.speechStartMs, endMs: event.endMs });
        this.queueTranscription(event.audio, event.speechStartMs, event.endMs, event.endMs - event.speechStartMs);
        break;
      }
    }
  }

  private queueTranscription(audio: Float32Array, startMs: number, endMs: number, speechMs: number): void {
    const decidedAt = performance.now();
    const speechEndAt = Math.min(decidedAt, this.wallTime(endMs));
    this.transcribing = this.transcribing.then(async () => {
      const s = this.o.session;
      const muted = this.muted;
      if (!s.busy && !muted) s.setState("transcribing");
      let text: string | null = null;
      try {
        const res = await this.o.transcriber.transcribe(audio, { signal: this.controller.signal });
        text = this.o.clean(res.text, { speechMs });
        if (!text && res.text.trim())
          log.debug("dropped a transcript as noise or a phantom", { text: res.text, speechMs });
      } catch (err) {
        if (!isAbortError(err))
          s.emit({ type: "notice", level: "warn", message: `transcription failed: ${errorMessage(err)}` });
      }
      if (!s.busy) s.setState(this.muted ? "muted" : "listening");
      if (!text) return;
      if (!muted) s.emit({ type: "transcript", text, startMs, endMs });
      this.o.onUtterance({
        text,
        startMs,
        endMs,
        muted,
        marks: { speechEndMs: speechEndAt, endOfTurnMs: decidedAt, transcriptMs: performance.now() },
      });
    });
  }
}
