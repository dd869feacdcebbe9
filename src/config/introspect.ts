import type { z } from "zod";
import { configSchema } from "./schema.js";

/**
 * Walking the zod schema: the list of settings (leaf key paths), the schema of one setting, and a
 * plain-words description of what a setting expects (used in error messages).
 */

type Schema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  options?: readonly Schema[];
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
  valueType?: Schema;
  element?: Schema;
}

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

function descriptionOf(schema: Schema): string | undefined {
  return (schema as { description?: string }).description;
}

const wrappers = new Set(["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"]);

/** Strip default/optional/nullable wrappers; `nullable` says whether null was allowed on the way. */
export function unwrap(schema: Schema): { schema: Schema; nullable: boolean; description: string | undefined } {
  let current = schema;
  let nullable = false;
  let description = descriptionOf(current);
  for (let def = defOf(current); wrappers.has(def.type) && def.innerType; def = defOf(current)) {
    if (def.type === "nullable") nullable = true;
    current = def.innerType;
    description ??= descriptionOf(current);
  }
  return { schema: current, nullable, description };
}

/** The object shape of a schema, or undefined when it is not an object. */
export function shapeOf(schema: Schema): Record<string, Schema> | undefined {
  const def = defOf(unwrap(schema).schema);
  return def.type === "object" ? def.shape : undefined;
}

/** The schema at a key path (object keys, record keys, array indexes), or undefined. */
export function schemaAt(path: readonly (string | number)[], root: Schema = configSchema): Schema | undefined {
  let current: Schema | undefined = root;
  for (const key of path) {
    if (!current) return undefined;
    const def = defOf(unwrap(current).schema);
    if (def.type === "object") current = def.shape?.[String(key)];
    else if (def.type === "record") current = def.valueType;
    else if (def.type === "array") current = def.element;
    else return undefined;
  }
  return current;
}

/** Whether the schema at a path is an object of settings (a section) rather than one setting. */
export function isSection(schema: Schema): boolean {
  return shapeOf(schema) !== undefined;
}

/** Dotted paths of every setting (non-object leaf) in the schema, in schema order. */
export function settingPaths(root: Schema = configSchema, prefix = ""): string[] {
  const shape = shapeOf(root);
  if (!shape) return [prefix];
  return Object.entries(shape).flatMap(([key, child]) => settingPaths(child, prefix ? `${prefix}.${key}` : key));
}

/** Dotted paths of every section and setting, e.g. `audio`, `audio.bargeIn`, `audio.bargeIn.enabled`. */
export function allKeyPaths(root: Schema = configSchema, prefix = ""): string[] {
  const shape = shapeOf(root);
  if (!shape) return [];
  return Object.entries(shape).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...allKeyPaths(child, path)];
  });
}

/** Keys of the section at a path (for "did you mean"), or []. */
export function sectionKeys(path: readonly (string | number)[]): string[] {
  const schema = schemaAt(path);
  const shape = schema ? shapeOf(schema) : undefined;
  return shape ? Object.keys(shape) : [];
}

function quote(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function describeNumber(schema: Schema): string {
  const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
  const kind = n.isInt ? "a whole number" : "a number";
  // z.number().int() sets the safe-integer range: not worth mentioning.
  const min = n.minValue !== null && n.minValue > Number.MIN_SAFE_INTEGER ? n.minValue : null;
  const max = n.maxValue !== null && n.maxValue < Number.MAX_SAFE_INTEGER ? n.maxValue : null;
  if (min !== null && max !== null) return `${kind} from ${min} to ${max}`;
  if (min !== null) return `${kind} of at least ${min}`;
  if (max !== null) return `${kind} of at most ${max}`;
  return kind;
}

/** What a schema expects, in plain words: `a number from 0 to 2`, `"auto" or a whole number`. */
export function describeExpected(schema: Schema): string {
  const { schema: inner, nullable, description } = unwrap(schema);
  if (description) return description;
  const def = defOf(inner);
  let text: string;
  switch (def.type) {
    case "number":
      text = describeNumber(inner);
      break;
    case "string":
      text = "a string";
      break;
    case "boolean":
      text = "true or false";
      break;
    case "literal":
      text = (def.values ?? []).map(quote).join(" or ");
      break;
    case "enum":
      text = `one of ${Object.values(def.entries ?? {})
        .map(quote)
        .join(", ")}`;
      break;
    case "union": {
      const parts = (def.options ?? []).map(describeExpected);
      text = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}` : (parts[0] ?? "");
      break;
    }
    case "array":
      text = def.element ? `a list of ${describeExpected(def.element).replace(/^an? /, "")}s` : "a list";
      break;
    case "record":
      text = "a mapping of names to values";
      break;
    case "object":
      text = "a mapping of settings";
      break;
    default:
      text = def.type;
  }
  return nullable ? `${text} or null` : text;
}

/** How a found value is shown in an error: strings quoted, objects named. */
export function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/**
 * A copy of a partial config without sections set to null: `models:` with every line below it
 * commented out parses as null, and means "nothing set here".
 */
export function dropNullSections(
  values: Record<string, unknown>,
  root: Schema = configSchema,
): Record<string, unknown> {
  const shape = shapeOf(root);
  if (!shape) return values;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const child = shape[key];
    if (child && isSection(child)) {
      if (value === null) continue;
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        out[key] = dropNullSections(value as Record<string, unknown>, child);
        continue;
      }
    }
    out[key] = value;
  }
  return out;
}
