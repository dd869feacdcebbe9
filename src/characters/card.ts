import { z } from "zod";
import { describeIssues, invalidCharacter, typeName } from "./issues.js";
import { slugify } from "./schema.js";
import type { Character, CharacterSourceKind, Lorebook } from "./types.js";

// Cards in the wild often write null for an absent field: treat it as absent.
const str = z.string().nullish();
const strList = z.array(z.string()).nullish();

const bookEntrySchema = z.looseObject({
  keys: z.array(z.string()),
  content: z.string(),
  enabled: z.boolean().nullish(),
  insertion_order: z.number().nullish(),
  case_sensitive: z.boolean().nullish(),
  name: str,
  priority: z.number().nullish(),
  id: z.union([z.number(), z.string()]).nullish(),
  comment: str,
  selective: z.boolean().nullish(),
  secondary_keys: strList,
  constant: z.boolean().nullish(),
  position: z.union([z.string(), z.number()]).nullish(),
  use_regex: z.boolean().nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
});

const characterBookSchema = z.looseObject({
  name: str,
  description: str,
  scan_depth: z.number().nullish(),
  token_budget: z.number().nullish(),
  recursive_scanning: z.boolean().nullish(),
  entries: z.array(bookEntrySchema),
});

const cardDataSchema = z.looseObject({
  name: z.string().trim().min(1),
  description: str,
  personality: str,
  scenario: str,
  first_mes: str,
  mes_example: str,
  creator_notes: str,
  system_prompt: str,
  post_history_instructions: str,
  alternate_greetings: strList,
  character_book: characterBookSchema.nullish(),
  tags: strList,
  creator: str,
  character_version: str,
  extensions: z.record(z.string(), z.unknown()).nullish(),
});

type CardData = z.infer<typeof cardDataSchema>;

/** Old TavernAI / Pygmalion field names, mapped onto the V1 names. */
const LEGACY_V1_FIELDS: Record<string, string> = {
  char_name: "name",
  char_persona: "personality",
  world_scenario: "scenario",
  char_greeting: "first_mes",
  example_dialogue: "mes_example",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a parsed JSON object looks like a character card rather than the project's own format. */
export function isCardObject(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return "spec" in value || "first_mes" in value || "mes_example" in value || "char_name" in value;
}

type CardBookEntry = NonNullable<CardData["character_book"]>["entries"][number];

/** `case_sensitive` at the top (V2) or under `extensions` (SillyTavern); null means "default": no. */
function caseSensitiveOf(e: CardBookEntry): boolean {
  if (typeof e.case_sensitive === "boolean") return e.case_sensitive;
  const ext = e.extensions?.case_sensitive;
  return typeof ext === "boolean" ? ext : false;
}

function toLorebook(book: NonNullable<CardData["character_book"]>): Lorebook {
  const out: Lorebook = {
    entries: book.entries.map((e, i) => {
      const position = e.position === "before_char" || e.position === "after_char" ? e.position : undefined;
      return {
        // `use_regex` is ignored: SillyTavern sets it on every entry it exports. Only a key written
        // `/pattern/flags` is a regular expression (as SillyTavern itself decides); others are literal.
        keys: e.keys,
        secondaryKeys: e.secondary_keys ?? [],
        selective: e.selective ?? false,
        content: e.content,
        caseSensitive: caseSensitiveOf(e),
        constant: e.constant ?? false,
        enabled: e.enabled ?? true,
        insertionOrder: e.insertion_order ?? i,
        priority: e.priority ?? 10,
        ...(e.name || e.comment ? { name: e.name || e.comment || undefined } : {}),
        ...(position ? { position } : {}),
      };
    }),
  };
  if (book.name) out.name = book.name;
  if (book.scan_depth != null && book.scan_depth > 0) out.scanDepth = Math.floor(book.scan_depth);
  if (book.token_budget != null && book.token_budget > 0) out.tokenBudget = Math.floor(book.token_budget);
  return out;
}

function fromCardData(d: CardData, source: { kind: CharacterSourceKind; path?: string }): Character {
  const character: Character = {
    id: slugify(d.name),
    name: d.name,
    description: d.description ?? "",
    personality: d.personality ?? "",
    scenario: d.scenario ?? "",
    greeting: d.first_mes ?? "",
    alternateGreetings: d.alternate_greetings ?? [],
    exampleDialogue: d.mes_example ?? "",
    systemPrompt: d.system_prompt ?? "",
    postHistoryInstructions: d.post_history_instructions ?? "",
    source,
  };
  if (d.character_book && d.character_book.entries.length > 0) character.lorebook = toLorebook(d.character_book);
  const meta: NonNullable<Character["meta"]> = {};
  if (d.creator) meta.creator = d.creator;
  if (d.character_version) meta.version = d.character_version;
  if (d.tags && d.tags.length > 0) meta.tags = d.tags;
  if (d.creator_notes) meta.creatorNotes = d.creator_notes;
  if (Object.keys(meta).length > 0) character.meta = meta;
  return character;
}

/**
 * A Character from a parsed card: V2 (`spec: "chara_card_v2"`), V3 (read through its V2-compatible
 * fields) or V1 (flat fields). `source.kind` is set from the spec unless the caller fixes it (PNG).
 */
export function characterFromCard(
  value: unknown,
  source: { kind?: CharacterSourceKind; path?: string } = {},
): Character {
  if (!isRecord(value)) throw invalidCharacter(source.path, `expected a JSON object, got ${typeName(value)}`);
  const spec = value.spec;
  if (spec !== undefined) {
    if (spec !== "chara_card_v2" && spec !== "chara_card_v3") {
      throw invalidCharacter(
        source.path,
        `spec: expected "chara_card_v2" or "chara_card_v3", got ${JSON.stringify(spec)}`,
        "Only Character Card V1, V2 (and V3 through its V2 fields) are supported.",
      );
    }
    if (!isRecord(value.data))
      throw invalidCharacter(source.path, `data: expected object, got ${typeName(value.data)}`);
    const parsed = cardDataSchema.safeParse(value.data, { reportInput: true });
    if (!parsed.success) throw invalidCharacter(source.path, describeIssues(parsed.error.issues, "data"));
    return fromCardData(parsed.data, { kind: source.kind ?? "card-v2", ...pathOf(source) });
  }
  const flat: Record<string, unknown> = { ...value };
  for (const [legacy, name] of Object.entries(LEGACY_V1_FIELDS)) {
    if (flat[name] === undefined && flat[legacy] !== undefined) flat[name] = flat[legacy];
  }
  // V1 has no V2-only fields; drop them so a stray one is not mistaken for data.
  const v1 = cardDataSchema.pick({
    name: true,
    description: true,
    personality: true,
    scenario: true,
    first_mes: true,
    mes_example: true,
  });
  const parsed = v1.safeParse(flat, { reportInput: true });
  if (!parsed.success) throw invalidCharacter(source.path, describeIssues(parsed.error.issues));
  return fromCardData(parsed.data, { kind: source.kind ?? "card-v1", ...pathOf(source) });
}

function pathOf(source: { path?: string }): { path?: string } {
  return source.path === undefined ? {} : { path: source.path };
}
