/**
 * Whisper writes sound-event markers ([BLANK_AUDIO], (music), *silence*) and, on noise or
 * silence, "phantom" phrases learned from subtitles ("Thank you.", "Thanks for watching!",
 * "Subtitles by ..."). None of it is something the user said: it must not become a turn.
 */

/** Bracketed sound events: [BLANK_AUDIO], [Music], (upbeat music), *silence*, ♪ ... ♪. */
const MARKERS = /\[[^\]]{0,60}\]|\([^)]{0,60}\)|\*[^*]{0,60}\*|[♪♫♬]+/g;

/**
 * Whole-transcript phrases whisper produces on non-speech (compared lower-case, no punctuation)
 * that nobody says to a character: always dropped.
 */
const SUBTITLE_PHANTOMS = new Set([
  "thank you for watching",
  "thanks for watching",
  "thank you for watching and see you next time",
  "thanks for watching and see you next time",
  "please subscribe",
  "please like and subscribe",
  "like and subscribe",
  "subscribe to my channel",
  "dont forget to like and subscribe",
  "see you in the next video",
  "see you in the next one",
  "blank audio",
  "no speech",
  "продолжение следует",
  "ご視聴ありがとうございました",
  "字幕",
  "谢谢观看",
]);

/**
 * Phrases whisper also produces on non-speech, but that people do say ("Thank you.", "Bye.",
 * "So."): dropped only when the speech behind them was short or weak.
 */
const SHORT_PHANTOMS = new Set([
  "you",
  "thank you",
  "thank you very much",
  "thank you so much",
  "thanks",
  "thank you for listening",
  "thanks for listening",
  "see you next time",
  "bye",
  "bye bye",
  "goodbye",
  "so",
  "the",
  "the end",
  "uh",
  "um",
  "hmm",
  "mm",
  "silence",
  "music",
  "applause",
  "laughter",
  "감사합니다",
]);

/**
 * Below this much speech (VAD, ms) a transcript made only of phantom phrases is taken for one.
 * Measured: a clear "Thank you." or "Goodbye!" is about 500 ms of speech, "Bye." or "So." about
 * 300 ms; a sound the VAD mistook for speech is rarely longer than its 250 ms minimum.
 */
export const PHANTOM_MAX_SPEECH_MS = 400;

export interface TranscriptInfo {
  /** How long the utterance's speech lasted, per the VAD (ms). Unknown: treated as short. */
  speechMs?: number;
  /** False when the caller knows the VAD was unsure it heard speech. */
  confident?: boolean;
}

/** Credits lines from subtitle files: "Subtitles by the Amara.org community", "Transcribed by ...". */
const CREDITS =
  /^(subtitles?|subs|captions?|captioning|closed captions?|transcri(bed|ption|pt)|translat(ed|ion)|edited|sous-titr(es|age)[^ ]*|untertitel[^ ]*)\b.*\b(by|par|von|im auftrag)\b|amara\.org|^www\./;

function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/[^\p{L}\p{N}. ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function phantomKey(sentence: string): string {
  return normalise(sentence).replace(/\.+/g, " ").replace(/\s+/g, " ").trim();
}

/** Always a phantom: empty, a subtitle phrase or a credits line. */
function isSubtitlePhantom(sentence: string): boolean {
  const n = phantomKey(sentence);
  return n === "" || SUBTITLE_PHANTOMS.has(n) || CREDITS.test(normalise(sentence));
}

function isPhantom(sentence: string): boolean {
  return isSubtitlePhantom(sentence) || SHORT_PHANTOMS.has(phantomKey(sentence));
}

/** Whether the speech behind a transcript was too short or too unsure to trust a phantom-like text. */
function weakSpeech(info: TranscriptInfo): boolean {
  if (info.confident === false) return true;
  return info.speechMs === undefined ? info.confident !== true : info.speechMs < PHANTOM_MAX_SPEECH_MS;
}

/**
 * The transcript with sound-event markers removed and whitespace collapsed, or null when
 * nothing the user said is left: empty, markers only, punctuation only, subtitle phantoms
 * ("Thanks for watching!"), or made only of short phantom phrases ("Thank you. Thank you.",
 * "Bye.") when the speech was short or weak (see `info`; without it, it is taken as short).
 */
export function cleanTranscript(text: string, info: TranscriptInfo = {}): string | null {
  const cleaned = text
    .replace(MARKERS, " ")
    .replace(/^\s*>>\s*/, "")
    .replace(/\s+/g, " ")
    .replace(/\s+([,.!?;:])/g, "$1")
    .trim();
  if (!/[\p{L}\p{N}]/u.test(cleaned)) return null;
  const sentences = cleaned.split(/(?<=[.!?])\s+|(?<=[。！？])/u).filter((s) => /[\p{L}\p{N}]/u.test(s));
  if (sentences.every(isSubtitlePhantom)) return null;
  if (sentences.every(isPhantom) && weakSpeech(info)) return null;
  return cleaned;
}
