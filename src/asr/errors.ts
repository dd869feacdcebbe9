import { RoleplayError } from "../core/errors.js";

/** whisper.cpp failed on an utterance (the model stays loaded; the next one may succeed). */
export class TranscriptionError extends RoleplayError {}
