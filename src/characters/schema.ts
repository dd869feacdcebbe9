import { z } from "zod";
import { describeIssues, invalidCharacter } from "./issues.js";
import type { Character, CharacterSourceKind, LoreEntry } from "./types.js";

/** A file-name-like id from a display name: "Señora Inés" → "senora-ines". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return slug || "character";
}

const loreEntrySchema = z.strictObject({
  name: z.string().optional(),
  keys: z.array(z.string()).default([]),
  secondaryKeys: z.array(z.string()).default([]),
  selective: z.boolean().default(false),
  content: z.string(),
  caseSensitive: z.boolean().default(false),
  constant: z.boolean().default(false),
  enabled: z.boolean().default(true),
  insertionOrder: z.number().default(100),
  priority: z.number().default(10),
  position: z.enum(["before_char", "after_char"]).optional(),
});

const lorebookSchema = z.strictObject({
  name: z.string().optional(),
  scanDepth: z.number().int().min(1).optional(),
  tokenBudget: z.number().int().min(1).optional(),
  entries: z.array(loreEntrySchema),
});

/** The project's own character format (YAML or JSON); keys are camelCase. */
export const characterFileSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case letters, digits, '.', '_' or '-'")
    .optional(),
  name: z.string().trim().min(1),
  description: z.string().default(""),
  personality: z.string().default(""),
  scenario: z.string().default(""),
  greeting: z.string().default(""),
  alternateGreetings: z.array(z.string()).default([]),
  exampleDialogue: z.string().default(""),
  systemPrompt: z.string().default(""),
  postHistoryInstructions: z.string().default(""),
  tags: z.array(z.string()).optional(),
  creator: z.string().optional(),
  voice: z
    .strictObject({
      engine: z.enum(["espeak", "piper", "none"]).optional(),
      voice: z.string().min(1).optional(),
      speaker: z.union([z.number().int().min(0), z.string().min(1)]).optional(),
      speed: z.number().min(0.25).max(4).optional(),
    })
    .optional(),
  sampling: z
    .strictObject({
      temperature: z.number().min(0).max(2).optional(),
      topP: z.number().gt(0).max(1).optional(),
      maxTokens: z.number().int().min(1).optional(),
    })
    .optional(),
  lorebook: lorebookSchema.optional(),
});

/** Validate an object in the project's own format and make a Character of it. */
export function characterFromObject(
  value: unknown,
  source: { kind: CharacterSourceKind; path?: string },
  fallbackId?: string,
): Character {
  const parsed = characterFileSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw invalidCharacter(source.path, describeIssues(parsed.error.issues));
  const d = parsed.data;
  const character: Character = {
    id: d.id ?? fallbackId ?? slugify(d.name),
    name: d.name,
    description: d.description,
    personality: d.personality,
    scenario: d.scenario,
    greeting: d.greeting,
    alternateGreetings: d.alternateGreetings,
    exampleDialogue: d.exampleDialogue,
    systemPrompt: d.systemPrompt,
    postHistoryInstructions: d.postHistoryInstructions,
    source,
  };
  if (d.voice) character.voice = d.voice;
  if (d.sampling) character.sampling = d.sampling;
  if (d.lorebook) {
    const entries: LoreEntry[] = d.lorebook.entries.map((e) => ({ ...e }));
    character.lorebook = { ...d.lorebook, entries };
  }
  if (d.tags || d.creator) character.meta = { tags: d.tags, creator: d.creator };
  return character;
}
