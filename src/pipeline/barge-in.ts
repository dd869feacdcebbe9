/**
 * When does the user's voice interrupt the agent? Speech must last `minSpeechMs`. With headphones
 * (or while the agent is only thinking) the VAD alone decides. With loudspeakers the microphone
 * also hears the agent, so while it speaks the mic level must clearly exceed the echo that playback
 * explains: an echo floor is learnt from the mic level during playback when nobody else speaks.
 */
export interface BargeInOptions {
  enabled: boolean;
  minSpeechMs: number;
  headphones: boolean;
  /** How far above the learnt echo floor the mic must be (dB) while the agent speaks. */
  marginDb?: number;
}

export class BargeInDetector {
  private speechStartMs: number | undefined;
  private echoDb = -100;
  private loudFrames = 0;
  private frames = 0;
  /** Speech heard while nothing played: certainly the user's. */
  private clearMs = 0;
  private lastAtMs: number | undefined;
  /** The current utterance began while the agent was speaking (and may be its own echo). */
  startedDuringPlayback = false;
  /** Barge-in already fired for the current utterance. */
  fired = false;

  constructor(private readonly options: BargeInOptions) {}

  get echoFloorDb(): number {
    return this.echoDb;
  }

  speechStart(speechStartMs: number, agentSpeaking: boolean): void {
    this.speechStartMs = speechStartMs;
    this.startedDuringPlayback = agentSpeaking;
    this.fired = false;
    this.loudFrames = 0;
    this.frames = 0;
    this.clearMs = 0;
    this.lastAtMs = undefined;
  }

  speechEnd(): void {
    this.speechStartMs = undefined;
  }

  /**
   * Feed one frame's level. Returns true once, when the agent should be interrupted now.
   * `agentBusy`: thinking or speaking; `agentSpeaking`: audio is playing.
   */
  level(dbfs: number, atMs: number, agentBusy: boolean, agentSpeaking: boolean): boolean {
    if (this.speechStartMs === undefined) {
      if (agentSpeaking) this.learnEcho(dbfs);
      return false;
    }
    const step = this.lastAtMs === undefined ? 0 : atMs - this.lastAtMs;
    this.lastAtMs = atMs;
    if (!agentSpeaking) this.clearMs += step;
    if (!this.options.enabled || this.fired || !agentBusy) return false;
    this.frames++;
    const loud = this.options.headphones || !agentSpeaking || dbfs > this.echoDb + (this.options.marginDb ?? 10);
    if (loud) this.loudFrames++;
    if (atMs - this.speechStartMs < this.options.minSpeechMs) return false;
    // Most of the speech so far must be louder than the echo explains.
    if (this.loudFrames < this.frames * 0.6) return false;
    this.fired = true;
    return true;
  }

  /** Should a finished utterance be taken as the user's, or dropped as the agent's own echo? */
  acceptUtterance(): boolean {
    if (this.options.headphones || !this.startedDuringPlayback) return true;
    return this.fired || this.clearMs >= this.options.minSpeechMs;
  }

  private learnEcho(dbfs: number): void {
    // Rise fast to the echo's peaks, fall slowly in the gaps between words.
    this.echoDb = dbfs > this.echoDb ? 0.5 * this.echoDb + 0.5 * dbfs : 0.995 * this.echoDb + 0.005 * dbfs;
  }
}
