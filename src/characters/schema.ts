import { createHash } from "node:crypto";
import { z } from "zod";
import { describeIssues, invalidCharacter } from "./issues.js";
import type { Character, CharacterSourceKind, LoreEntry } from "./types.js";

const MAX_SLUG_CHARS = 64;
const MAX_SLUG_BYTES = 160;

/**
 * A file-name-safe id from a display name: "Señora Inés" → "senora-ines", "Лиза" → "лиза",
 * "アクア" → "アクア". Letters (any script, accents dropped from Latin ones), marks and digits are
 * kept, lower-cased after NFKC; anything else becomes "-". A name with none of those gets
 * "character-" and a short hash of the name, so two such names do not share an id.
 */
export function slugify(name: string): string {
  const folded = name
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
    .normalize("NFC");
  let slug = "";
  let bytes = 0;
  let count = 0;
  // Cut by code points (never half a surrogate pair) and by UTF-8 bytes (file-name limits).
  for (const ch of folded.replace(/[^\p{L}\p{M}\p{N}]+/gu, "-").replace(/^[-\p{M}]+|-+$/gu, "")) {
    const size = Buffer.byteLength(ch);
    if (count >= MAX_SLUG_CHARS || bytes + size > MAX_SLUG_BYTES) break;
    slug += ch;
    bytes += size;
    count++;
  }
  slug = slug.replace(/-+$/, "");
  if (slug) return slug;
  const hash = createHash("sha256").update(name.normalize("NFKC").trim()).digest("hex").slice(0, 8);
  return `character-${hash}`;
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
    .regex(
      /^[\p{Ll}\p{Lo}\p{Lm}\p{N}][\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}._-]*$/u,
      "lower-case letters, digits, '.', '_' or '-'",
    )
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
