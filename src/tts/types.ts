/** A text-to-speech engine: text in, mono float32 PCM at `sampleRate` out. */
export interface TtsEngine {
  readonly name: string;
  readonly sampleRate: number;
  synthesize(text: string, opts?: { signal?: AbortSignal }): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Which voice to speak with (config `tts`, a character, or `--voice`). */
export interface VoiceSpec {
  engine: "espeak" | "piper" | "none";
  /** espeak-ng voice name, or the path of a Piper `.onnx` voice. */
  voice?: string;
  /** Piper multi-speaker voices: a speaker id or a name from the voice's speaker_id_map. */
  speaker?: number | string;
  /** Rate multiplier, 1 = the voice's normal speed. */
  speed?: number;
}
