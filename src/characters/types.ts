/** One lorebook entry, normalised from a card's `character_book` or the project's own format. */
export interface LoreEntry {
  /** Words or phrases that trigger the entry; `/pattern/flags` is a regular expression. */
  keys: string[];
  /** With `selective`, at least one of these must also appear. */
  secondaryKeys: string[];
  selective: boolean;
  content: string;
  caseSensitive: boolean;
  /** Always inserted, whatever the conversation says. */
  constant: boolean;
  enabled: boolean;
  /** Lower goes first in the prompt. */
  insertionOrder: number;
  /** When the token budget is short, lower priority is dropped first. */
  priority: number;
  name?: string;
  position?: "before_char" | "after_char";
}

export interface Lorebook {
  name?: string;
  /** How many recent messages are scanned for keys. */
  scanDepth?: number;
  /** Most tokens the active entries may take. */
  tokenBudget?: number;
  entries: LoreEntry[];
}

export interface VoiceSettings {
  engine?: "espeak" | "piper" | "none";
  /** An espeak-ng voice name ("en-us") or a Piper voice (name or `.onnx` path). */
  voice?: string;
  /** Speaker id (or name) in a multi-speaker Piper voice. */
  speaker?: number | string;
  /** Speaking rate, 1 = normal. */
  speed?: number;
}

export interface SamplingSettings {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
}

export type CharacterSourceKind = "yaml" | "json" | "card-v1" | "card-v2" | "png";

export interface Character {
  /** Stable identifier (file-name-like slug); sessions refer to a character by it. */
  id: string;
  name: string;
  description: string;
  personality: string;
  scenario: string;
  greeting: string;
  alternateGreetings: string[];
  /** `<START>`-separated example exchanges, lines prefixed `{{user}}:` / `{{char}}:`. */
  exampleDialogue: string;
  /** Replaces the default main prompt when set; `{{original}}` stands for the default. */
  systemPrompt: string;
  /** Instructions placed after the chat history. */
  postHistoryInstructions: string;
  voice?: VoiceSettings;
  sampling?: SamplingSettings;
  lorebook?: Lorebook;
  /** Card metadata kept for `characters show`. */
  meta?: { creator?: string; version?: string; tags?: string[]; creatorNotes?: string };
  source: { kind: CharacterSourceKind; path?: string };
}
