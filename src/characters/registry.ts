import { existsSync, statSync } from "node:fs";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { CharacterError, errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { xdgDirs } from "../core/paths.js";
import { CHARACTER_EXTENSIONS, loadCharacterFile } from "./load.js";
import type { Character } from "./types.js";

const log = getLogger("characters");

/** The characters shipped with the package (`config/characters`), found by walking up from this file. */
export function shippedCharactersDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "config", "characters");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** Where imported characters go: `$XDG_DATA_HOME/roleplay/characters`. */
export function userCharactersDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(xdgDirs(env).data, "characters");
}

/** The shipped folder, then the user's (a user character overrides a shipped one of the same id). */
export function defaultCharacterDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const shipped = shippedCharactersDir();
  return shipped ? [shipped, userCharactersDir(env)] : [userCharactersDir(env)];
}

export interface CharacterListing {
  /** Valid characters, sorted by name. */
  characters: Character[];
  /** Files that are not valid characters, with the reason. */
  problems: { path: string; message: string }[];
}

function isCharacterFileName(name: string): boolean {
  return !name.startsWith(".") && (CHARACTER_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

/** Every character file in `dirs` (missing folders are skipped); later folders override earlier ones. */
export async function listCharacters(options: { dirs?: readonly string[] } = {}): Promise<CharacterListing> {
  const byId = new Map<string, Character>();
  const problems: CharacterListing["problems"] = [];
  for (const dir of options.dirs ?? defaultCharacterDirs()) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter(isCharacterFileName).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        const character = await loadCharacterFile(path);
        byId.set(character.id, character);
      } catch (err) {
        log.warn(`skipping ${path}`, err);
        problems.push({ path, message: errorMessage(err) });
      }
    }
  }
  const characters = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { characters, problems };
}

function looksLikePath(value: string): boolean {
  if (value.includes("/") || value.includes(sep)) return true;
  if (!isCharacterFileName(value)) return false;
  try {
    return statSync(value).isFile();
  } catch {
    return false;
  }
}

/** A character by id or name (case-insensitive, or an unambiguous prefix), or by file path. */
export async function findCharacter(
  nameOrPath: string,
  options: { dirs?: readonly string[] } = {},
): Promise<Character> {
  const wanted = nameOrPath.trim();
  if (looksLikePath(wanted)) return loadCharacterFile(resolve(wanted));
  const { characters } = await listCharacters(options);
  const lower = wanted.toLowerCase();
  const exact = characters.find((c) => c.id === lower || c.name.toLowerCase() === lower);
  if (exact) return exact;
  const prefixed = characters.filter((c) => c.id.startsWith(lower) || c.name.toLowerCase().startsWith(lower));
  if (prefixed.length === 1 && lower.length > 0) return prefixed[0]!;
  const names = (prefixed.length > 1 ? prefixed : characters).map((c) => c.name).join(", ");
  throw new CharacterError(
    "CHARACTER_NOT_FOUND",
    prefixed.length > 1 ? `"${wanted}" could mean several characters: ${names}` : `No character named "${wanted}"`,
    {
      hint: names
        ? `Available: ${names}. Or give the path of a character file.`
        : "Import one with `roleplay characters import FILE`, or give the path of a character file.",
    },
  );
}

function extensionFor(character: Character): string {
  switch (character.source.kind) {
    case "png":
      return ".png";
    case "yaml":
      return ".yaml";
    default:
      return ".json";
  }
}

/**
 * Validate `file` and copy it into `dir` (the user's characters folder) as `<id>.<ext>`, keeping
 * its format (a PNG card keeps its picture). Refuses to replace an existing file unless `overwrite`.
 */
export async function importCharacter(
  file: string,
  options: { dir?: string; overwrite?: boolean } = {},
): Promise<Character> {
  const source = resolve(file);
  const character = await loadCharacterFile(source);
  const dir = options.dir ?? userCharactersDir();
  const dest = join(dir, `${character.id}${extensionFor(character)}`);
  if (resolve(dest) === source) return character;
  if (existsSync(dest) && !options.overwrite) {
    throw new CharacterError("CHARACTER_EXISTS", `A character file named ${dest} already exists`, {
      hint: "Remove it first, or import with --force to replace it.",
    });
  }
  try {
    await mkdir(dir, { recursive: true });
    await copyFile(source, dest);
  } catch (err) {
    throw new CharacterError("CHARACTER_IMPORT", `Cannot copy the character into ${dir}: ${errorMessage(err)}`, {
      hint: "Check that the folder is writable.",
    });
  }
  return { ...character, source: { kind: character.source.kind, path: dest } };
}

/** Load and validate a character file; throws a CharacterError naming the wrong field. */
export async function validateCharacterFile(file: string): Promise<Character> {
  return loadCharacterFile(resolve(file));
}
