/**
 * Whisper writes sound-event markers ([BLANK_AUDIO], (music), *silence*) and, on noise or
 * silence, "phantom" phrases learned from subtitles ("Thank you.", "Thanks for watching!",
 * "Subtitles by ..."). None of it is something the user said: it must not become a turn.
 */

/** Bracketed sound events: [BLANK_AUDIO], [Music], (upbeat music), *silence*, ♪ ... ♪. */
const MARKERS = /\[[^\]]{0,60}\]|\([^)]{0,60}\)|\*[^*]{0,60}\*|[♪♫♬]+/g;

/** Whole-transcript phrases whisper produces on non-speech (compared lower-case, no punctuation). */
const PHANTOMS = new Set([
  "you",
  "thank you",
  "thank you very much",
  "thank you so much",
  "thanks",
  "thank you for watching",
  "thanks for watching",
  "thank you for watching and see you next time",
  "thanks for watching and see you next time",
  "thank you for listening",
  "thanks for listening",
  "please subscribe",
  "please like and subscribe",
  "like and subscribe",
  "subscribe to my channel",
  "dont forget to like and subscribe",
  "see you next time",
  "see you in the next video",
  "see you in the next one",
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
  "blank audio",
  "no speech",
  "music",
  "applause",
  "laughter",
  "продолжение следует",
  "ご視聴ありがとうございました",
  "字幕",
  "谢谢观看",
  "감사합니다",
]);

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

function isPhantom(sentence: string): boolean {
  const n = normalise(sentence).replace(/\.+/g, " ").replace(/\s+/g, " ").trim();
  return n === "" || PHANTOMS.has(n) || CREDITS.test(normalise(sentence));
}

/**
 * The transcript with sound-event markers removed and whitespace collapsed, or null when
 * nothing the user said is left: empty, markers only, punctuation only, or made only of
 * phantom phrases (each sentence one of them, e.g. "Thank you. Thank you.").
 */
export function cleanTranscript(text: string): string | null {
  const cleaned = text
    .replace(MARKERS, " ")
    .replace(/^\s*>>\s*/, "")
    .replace(/\s+/g, " ")
    .replace(/\s+([,.!?;:])/g, "$1")
    .trim();
  if (!/[\p{L}\p{N}]/u.test(cleaned)) return null;
  const sentences = cleaned.split(/(?<=[.!?])\s+|(?<=[。！？])/u).filter((s) => /[\p{L}\p{N}]/u.test(s));
  if (sentences.every(isPhantom)) return null;
  return cleaned;
}
