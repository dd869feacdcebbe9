import { substituteMacros } from "./macros.js";
import { buildSystemPrompt, greeting } from "./prompt.js";
import { findCharacter, importCharacter, listCharacters, validateCharacterFile } from "./registry.js";
import type { Character } from "./types.js";

/** Printable output of the `roleplay characters ...` subcommands. */

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "))
    .join("\n");
}

/** Things that are valid but probably not what the author meant. */
export function characterWarnings(character: Character): string[] {
  const out: string[] = [];
  if (!character.greeting.trim()) out.push("no greeting: a new chat will start silently");
  if (!character.description.trim() && !character.personality.trim() && !character.systemPrompt.trim()) {
    out.push("no description, personality or system prompt: the model knows nothing about the character");
  }
  character.lorebook?.entries.forEach((e, i) => {
    if (!e.constant && e.keys.every((k) => !k.trim())) out.push(`lorebook entry ${i}: no keys, so it never triggers`);
  });
  return out;
}

export async function charactersList(options: { dirs?: readonly string[]; userName?: string } = {}): Promise<string> {
  const { characters, problems } = await listCharacters(options);
  const lines: string[] = [];
  if (characters.length === 0) lines.push("No characters found.");
  else {
    const rows = [["NAME", "ID", "FORMAT", "DESCRIPTION"]];
    for (const c of characters) {
      const about = substituteMacros(c.description || c.personality, {
        char: c.name,
        user: options.userName ?? "User",
      });
      rows.push([c.name, c.id, c.source.kind, oneLine(about, 60)]);
    }
    lines.push(table(rows));
  }
  if (problems.length > 0) {
    lines.push("", `${problems.length} file(s) could not be read:`);
    for (const p of problems) lines.push(`  ${p.message}`);
  }
  return lines.join("\n");
}

export function formatCharacter(character: Character, options: { userName?: string } = {}): string {
  const c = character;
  const lines = [`${c.name} (id ${c.id}, ${c.source.kind}${c.source.path ? `, ${c.source.path}` : ""})`];
  if (c.meta?.creator || c.meta?.version) {
    lines.push(`By ${c.meta.creator ?? "unknown"}${c.meta.version ? `, version ${c.meta.version}` : ""}`);
  }
  if (c.meta?.tags?.length) lines.push(`Tags: ${c.meta.tags.join(", ")}`);
  const voice = c.voice
    ? [
        c.voice.engine,
        c.voice.voice,
        c.voice.speaker === undefined ? undefined : `speaker ${c.voice.speaker}`,
        c.voice.speed === undefined ? undefined : `speed ${c.voice.speed}`,
      ]
        .filter(Boolean)
        .join(", ")
    : "default";
  lines.push(`Voice: ${voice}`);
  if (c.sampling) lines.push(`Sampling: ${JSON.stringify(c.sampling)}`);
  lines.push(`Greetings: ${1 + c.alternateGreetings.length}`);
  if (c.lorebook) lines.push(`Lorebook: ${c.lorebook.entries.length} entries`);
  lines.push("", "Greeting:", greeting(c, options) || "(none)", "", "System prompt:", buildSystemPrompt(c, options));
  if (c.postHistoryInstructions.trim()) lines.push("", "After the history:", c.postHistoryInstructions.trim());
  return lines.join("\n");
}

export async function charactersShow(
  nameOrPath: string,
  options: { dirs?: readonly string[]; userName?: string } = {},
): Promise<string> {
  const character = await findCharacter(nameOrPath, options);
  return formatCharacter(character, options);
}

/** "OK ..." with warnings, or throws the CharacterError naming the wrong field. */
export async function charactersValidate(file: string): Promise<string> {
  const character = await validateCharacterFile(file);
  const lines = [`OK: ${character.name} (id ${character.id}, ${character.source.kind})`];
  for (const w of characterWarnings(character)) lines.push(`warning: ${w}`);
  return lines.join("\n");
}

export async function charactersImport(
  file: string,
  options: { dir?: string; overwrite?: boolean } = {},
): Promise<string> {
  const character = await importCharacter(file, options);
  return `Imported ${character.name} as "${character.id}" into ${character.source.path ?? "?"}`;
}
