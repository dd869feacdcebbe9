import { readFile, stat } from "node:fs/promises";
import { ConfigError, ModelFileError } from "../core/errors.js";

/** The parts of a Piper voice's `.onnx.json` that synthesis needs. */
export interface PiperVoiceConfig {
  sampleRate: number;
  /** espeak-ng voice used for phonemes (`espeak.voice`). */
  espeakVoice: string;
  /** "espeak" (IPA from espeak-ng) or "text" (the text's own code points). */
  phonemeType: "espeak" | "text";
  phonemeIdMap: Map<string, number[]>;
  /** Optional phoneme substitutions (`phoneme_map`): one phoneme to several. */
  phonemeMap: Map<string, string[]>;
  noiseScale: number;
  lengthScale: number;
  noiseW: number;
  numSpeakers: number;
  speakerIdMap: Map<string, number>;
}

const HINT = "Use a Piper voice from rhasspy/piper-voices: the .onnx file and its .onnx.json next to it.";

function bad(path: string, why: string): ModelFileError {
  return new ModelFileError("VOICE_CONFIG_INVALID", `Piper voice config ${path} ${why}`, { hint: HINT });
}

function num(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

/** Read and check a Piper voice config. Throws ModelFileError naming what is wrong. */
export async function loadPiperConfig(path: string): Promise<PiperVoiceConfig> {
  try {
    if (!(await stat(path)).isFile()) throw new Error("not a file");
  } catch (err) {
    throw new ModelFileError("VOICE_CONFIG_NOT_FOUND", `Piper voice config not found: ${path}`, {
      hint: HINT,
      cause: err,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new ModelFileError("VOICE_CONFIG_INVALID", `Piper voice config ${path} is not valid JSON`, {
      hint: HINT,
      cause: err,
    });
  }
  return parsePiperConfig(raw, path);
}

/** Validate a parsed `.onnx.json`. */
export function parsePiperConfig(raw: unknown, path = "(config)"): PiperVoiceConfig {
  if (typeof raw !== "object" || raw === null) throw bad(path, "is not a JSON object");
  const c = raw as Record<string, unknown>;
  const audio = c.audio as Record<string, unknown> | undefined;
  const sampleRate = audio?.sample_rate;
  if (typeof sampleRate !== "number" || !Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 192000) {
    throw bad(path, "has no valid audio.sample_rate");
  }
  const idMapRaw = c.phoneme_id_map;
  if (typeof idMapRaw !== "object" || idMapRaw === null || Object.keys(idMapRaw).length === 0) {
    throw bad(path, "has no phoneme_id_map");
  }
  const phonemeIdMap = new Map<string, number[]>();
  for (const [k, v] of Object.entries(idMapRaw as Record<string, unknown>)) {
    const ids = Array.isArray(v) ? v : [v];
    if (!ids.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0)) {
      throw bad(path, `has a bad phoneme_id_map entry for "${k}"`);
    }
    phonemeIdMap.set(k, ids as number[]);
  }
  for (const sym of ["^", "_", "$"]) if (!phonemeIdMap.has(sym)) throw bad(path, `has no "${sym}" in phoneme_id_map`);
  const type = c.phoneme_type ?? "espeak";
  if (type !== "espeak" && type !== "text") {
    throw bad(path, `uses phoneme_type "${String(type)}", which roleplay does not support (only espeak and text)`);
  }
  const phonemeMap = new Map<string, string[]>();
  if (typeof c.phoneme_map === "object" && c.phoneme_map !== null) {
    for (const [k, v] of Object.entries(c.phoneme_map as Record<string, unknown>)) {
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) phonemeMap.set(k, v as string[]);
    }
  }
  const inference = (c.inference ?? {}) as Record<string, unknown>;
  const espeak = (c.espeak ?? {}) as Record<string, unknown>;
  const speakerIdMap = new Map<string, number>();
  if (typeof c.speaker_id_map === "object" && c.speaker_id_map !== null) {
    for (const [k, v] of Object.entries(c.speaker_id_map as Record<string, unknown>)) {
      if (typeof v === "number") speakerIdMap.set(k, v);
    }
  }
  return {
    sampleRate,
    espeakVoice: typeof espeak.voice === "string" && espeak.voice ? espeak.voice : "en-us",
    phonemeType: type,
    phonemeIdMap,
    phonemeMap,
    noiseScale: num(inference.noise_scale, 0.667),
    lengthScale: num(inference.length_scale, 1),
    noiseW: num(inference.noise_w, 0.8),
    numSpeakers: Math.max(1, Math.floor(num(c.num_speakers, 1))),
    speakerIdMap,
  };
}

/** The speaker id for a multi-speaker voice (by id or name); undefined for single-speaker voices. */
export function resolveSpeaker(config: PiperVoiceConfig, speaker: number | string | undefined): number | undefined {
  if (config.numSpeakers <= 1) return undefined;
  if (speaker === undefined) return 0;
  if (typeof speaker === "number" || /^\d+$/.test(speaker)) {
    const id = Number(speaker);
    if (id < config.numSpeakers) return id;
    throw new ConfigError(
      "VOICE_SPEAKER",
      `speaker ${id} is out of range: the voice has ${config.numSpeakers} speakers`,
      {
        hint: `Use a speaker id from 0 to ${config.numSpeakers - 1}.`,
      },
    );
  }
  const id = config.speakerIdMap.get(speaker);
  if (id !== undefined) return id;
  const names = [...config.speakerIdMap.keys()];
  throw new ConfigError("VOICE_SPEAKER", `the voice has no speaker named "${speaker}"`, {
    hint: names.length
      ? `Speakers: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", ..." : ""}`
      : "Use a numeric speaker id.",
  });
}
