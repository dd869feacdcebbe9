/**
 * A short curated list of models that work well with roleplay, with what they cost. Sizes are
 * the published download sizes (rounded); memory is what the running app needs for the model
 * (LLM: weights plus a 4096-token KV cache). Checksums are not listed: the hub publishes a
 * sha256 for each of these files and the download checks it.
 */
import type { ModelKind } from "./refs.js";

export interface RegistryEntry {
  kind: ModelKind;
  /** What `roleplay models pull` takes. */
  ref: string;
  /** Human name, e.g. "Llama 3.2 1B Instruct (Q4_K_M)". */
  title: string;
  description: string;
  /** Download size in bytes (approximate). */
  sizeBytes: number;
  /** Memory needed to run it, in bytes (approximate). */
  memoryBytes: number;
  /** Language codes ("en"), or ["multilingual"]. */
  languages: string[];
  licence: string;
  /** Part of the default set offered on first run. */
  recommended?: boolean;
  /** Published sha256, when known; otherwise the hub's is used. */
  sha256?: string;
}

const MB = 1_000_000;
const DEFAULT_LLM = "hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf";
const GB = 1_000_000_000;

export const REGISTRY: readonly RegistryEntry[] = [
  {
    kind: "llm",
    ref: DEFAULT_LLM,
    title: "Llama 3.2 1B Instruct (Q4_K_M)",
    description: "Small and quick chat model: fast replies on a laptop CPU",
    sizeBytes: 808 * MB,
    memoryBytes: 1.1 * GB,
    languages: ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
    licence: "Llama 3.2 Community License",
    recommended: true,
  },
  {
    kind: "llm",
    ref: "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf",
    title: "Qwen2.5 1.5B Instruct (Q4_K_M)",
    description: "A little larger, many languages, Apache-licensed",
    sizeBytes: 1.12 * GB,
    memoryBytes: 1.4 * GB,
    languages: ["multilingual"],
    licence: "Apache-2.0",
  },
  {
    kind: "llm",
    ref: "hf:bartowski/Llama-3.2-3B-Instruct-GGUF/Llama-3.2-3B-Instruct-Q4_K_M.gguf",
    title: "Llama 3.2 3B Instruct (Q4_K_M)",
    description: "Better characters and memory of the scene; wants 8 GB of RAM and a faster CPU",
    sizeBytes: 2.02 * GB,
    memoryBytes: 2.6 * GB,
    languages: ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
    licence: "Llama 3.2 Community License",
  },
  {
    kind: "whisper",
    ref: "whisper:base.en",
    title: "Whisper base.en",
    description: "Good English transcription at a low cost: the default",
    sizeBytes: 148 * MB,
    memoryBytes: 500 * MB,
    languages: ["en"],
    licence: "MIT",
    recommended: true,
  },
  {
    kind: "whisper",
    ref: "whisper:tiny.en",
    title: "Whisper tiny.en",
    description: "Fastest, for slow machines; more mistakes",
    sizeBytes: 78 * MB,
    memoryBytes: 390 * MB,
    languages: ["en"],
    licence: "MIT",
  },
  {
    kind: "whisper",
    ref: "whisper:small.en",
    title: "Whisper small.en",
    description: "More accurate English; about three times slower than base",
    sizeBytes: 488 * MB,
    memoryBytes: 1.0 * GB,
    languages: ["en"],
    licence: "MIT",
  },
  {
    kind: "whisper",
    ref: "whisper:base",
    title: "Whisper base (multilingual)",
    description: "Transcribes 99 languages",
    sizeBytes: 148 * MB,
    memoryBytes: 500 * MB,
    languages: ["multilingual"],
    licence: "MIT",
  },
  {
    kind: "whisper",
    ref: "whisper:small-q5_1",
    title: "Whisper small, 5-bit (multilingual)",
    description: "Multilingual and accurate at a third of the size",
    sizeBytes: 190 * MB,
    memoryBytes: 600 * MB,
    languages: ["multilingual"],
    licence: "MIT",
  },
  piper("en_US-lessac-medium", "US English, clear female voice: the default", "en", true),
  piper("en_GB-alba-medium", "British English, Scottish female voice", "en"),
  piper("en_US-ryan-medium", "US English, male voice", "en"),
  piper("de_DE-thorsten-medium", "German, male voice", "de"),
  piper("fr_FR-siwis-medium", "French, female voice", "fr"),
  piper("es_ES-davefx-medium", "Spanish, male voice", "es"),
];

function piper(voice: string, description: string, lang: string, recommended = false): RegistryEntry {
  return {
    kind: "piper",
    ref: `piper:${voice}`,
    title: `Piper ${voice}`,
    description,
    sizeBytes: 63 * MB,
    memoryBytes: 150 * MB,
    languages: [lang],
    licence: "see the voice's MODEL_CARD",
    ...(recommended ? { recommended: true } : {}),
  };
}

export function registryEntries(kind?: ModelKind): RegistryEntry[] {
  return REGISTRY.filter((e) => kind === undefined || e.kind === kind);
}

export function findRegistryEntry(ref: string): RegistryEntry | undefined {
  return REGISTRY.find((e) => e.ref === ref);
}

export interface RecommendedSet {
  llm: RegistryEntry;
  whisper: RegistryEntry;
  piper: RegistryEntry;
}

const byRef = (ref: string): RegistryEntry => {
  const e = findRegistryEntry(ref);
  if (!e) throw new Error(`registry has no ${ref}`);
  return e;
};

/**
 * The default set offered on first run: a small chat LLM, an English whisper and a Piper voice.
 * For another language (`language: "de"`), a multilingual whisper and a voice of that language
 * when the list has one.
 */
export function recommendedSet(options: { language?: string } = {}): RecommendedSet {
  const lang = (options.language ?? "en").toLowerCase().slice(0, 2);
  if (lang === "en") {
    return { llm: byRef(DEFAULT_LLM), whisper: byRef("whisper:base.en"), piper: byRef("piper:en_US-lessac-medium") };
  }
  const voice = REGISTRY.find((e) => e.kind === "piper" && e.languages.includes(lang)) ?? byRef("piper:en_US-lessac-medium");
  const llm = REGISTRY.find((e) => e.kind === "llm" && e.languages.includes(lang)) ?? byRef("hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf");
  return { llm, whisper: byRef("whisper:base"), piper: voice };
}
