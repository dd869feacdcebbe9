import { AudioDeviceError, RoleplayError } from "../core/errors.js";

/**
 * Audio capture failed: no recorder program, the device could not be opened, or the recorder
 * stopped mid-run. Capture sources end their stream with this error; they never crash the process.
 */
export class CaptureError extends AudioDeviceError {
  constructor(message: string, options: { hint?: string; cause?: unknown; code?: string } = {}) {
    super(options.code ?? "CAPTURE_FAILED", message, {
      hint: options.hint ?? "Check the microphone (`roleplay devices`), or use --audio-in file.wav.",
      cause: options.cause,
    });
  }
}

/** An audio input file is missing or unreadable. */
export class AudioFileError extends RoleplayError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("AUDIO_FILE", message, { hint: options.hint ?? "Check the path of the audio file.", cause: options.cause });
  }
}
