import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { CharacterError, errorMessage } from "../core/errors.js";
import { characterFromCard, isCardObject } from "./card.js";
import { invalidCharacter } from "./issues.js";
import { isPng, readPngCard } from "./png.js";
import { characterFromObject } from "./schema.js";
import type { Character } from "./types.js";

/** Extensions a character file may have. */
export const CHARACTER_EXTENSIONS = [".yaml", ".yml", ".json", ".png"] as const;

const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** A Character from the bytes of a file: a PNG card, a JSON card (V1/V2/V3) or the project's YAML/JSON. */
export function parseCharacter(buf: Buffer, file: string): Character {
  if (isPng(buf)) return characterFromCard(readPngCard(buf, file), { kind: "png", path: file });
  const ext = extname(file).toLowerCase();
  if (ext === ".png") throw invalidCharacter(file, "not a PNG file (bad signature)");
  const text = buf.toString("utf8").replace(/^\uFEFF/, "");
  const asJson = ext === ".json" || (ext !== ".yaml" && ext !== ".yml" && text.trimStart().startsWith("{"));
  let value: unknown;
  try {
    value = asJson ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const kind = asJson ? "JSON" : "YAML";
    const detail = errorMessage(err).split("\n")[0] ?? "";
    throw invalidCharacter(file, `${kind} syntax error: ${detail}`, `Fix the ${kind} syntax of the file.`);
  }
  if (value === null || value === undefined) throw invalidCharacter(file, "the file is empty");
  if (isCardObject(value)) return characterFromCard(value, { path: file });
  return characterFromObject(value, { kind: asJson ? "json" : "yaml", path: file });
}

/** Read, parse and validate one character file; errors are CharacterErrors naming the field. */
export async function loadCharacterFile(file: string): Promise<Character> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a regular file");
    size = info.size;
  } catch (err) {
    throw new CharacterError("CHARACTER_NOT_FOUND", `Cannot read character file ${file}: ${errorMessage(err)}`, {
      hint: "Check the path; `roleplay characters list` shows the installed characters.",
    });
  }
  if (size > MAX_FILE_BYTES) throw invalidCharacter(file, `the file is too large (${size} bytes)`);
  return parseCharacter(await readFile(file), file);
}
