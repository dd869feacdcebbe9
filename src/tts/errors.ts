import { RoleplayError } from "../core/errors.js";

/** A TTS engine could not be started or failed to speak (missing program, bad voice, bad output). */
export class TtsError extends RoleplayError {}

export const ESPEAK_INSTALL_HINT =
  "Install espeak-ng: `sudo apt install espeak-ng` (Debian/Ubuntu), `sudo dnf install espeak-ng` (Fedora) or `brew install espeak-ng` (macOS).";
