import type { z } from "zod";
import { describeExpected, schemaAt, settingPaths } from "./introspect.js";
import { isPlainObject, setAt, type PlainObject } from "./merge.js";
import { closest } from "./suggest.js";

/** ROLEPLAY_* variables that are read elsewhere, not settings. */
export const IGNORED_ENV_VARS = new Set(["ROLEPLAY_TEST_MODELS"]);

/** Extra names for settings (the canonical name wins when both are set). */
export const ENV_ALIASES: Readonly<Record<string, string>> = { ROLEPLAY_HF_ENDPOINT: "models.hfEndpoint" };

const upperSnake = (segment: string) => segment.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** The environment variable of a setting: `llm.contextSize` → `ROLEPLAY_LLM_CONTEXT_SIZE`. */
export function envVarName(path: string): string {
  return ["ROLEPLAY", ...path.split(".").map(upperSnake)].join("_");
}

let table: Map<string, string> | undefined;

/** Every setting's environment variable → its dotted key path. */
export function envVarTable(): ReadonlyMap<string, string> {
  table ??= new Map(settingPaths().map((path) => [envVarName(path), path]));
  return table;
}

/**
 * Turn a string into the value the setting's schema accepts: numbers, booleans (true/false, 1/0,
 * yes/no, on/off), null, JSON lists and mappings, else the string itself.
 */
export function coerceForSchema(raw: string, schema: z.core.$ZodType | undefined): unknown {
  if (!schema) return raw;
  const text = raw.trim();
  const candidates: unknown[] = [];
  if (/^-?\d+(\.\d+)?$/.test(text)) candidates.push(Number(text));
  const lower = text.toLowerCase();
  if (["true", "yes", "on", "1"].includes(lower)) candidates.push(true);
  if (["false", "no", "off", "0"].includes(lower)) candidates.push(false);
  if (lower === "null") candidates.push(null);
  if (text.startsWith("[") || text.startsWith("{")) {
    try {
      candidates.push(JSON.parse(text));
    } catch {
      // not JSON: the raw string is tried below
    }
  }
  for (const candidate of candidates) {
    if (schemaSafeParse(schema, candidate)) return candidate;
  }
  return raw;
}

function schemaSafeParse(schema: z.core.$ZodType, value: unknown): boolean {
  return (schema as unknown as z.ZodType).safeParse(value).success;
}

export interface EnvLayer {
  /** One partial config object per variable, in a stable order, with the variable's name. */
  entries: { name: string; path: string; values: PlainObject }[];
  /** Variables that look like misspelt settings. */
  warnings: string[];
}

/** Read the ROLEPLAY_* settings from an environment. Empty values count as unset. */
export function readEnv(env: NodeJS.ProcessEnv): EnvLayer {
  const known = envVarTable();
  const entries: EnvLayer["entries"] = [];
  const warnings: string[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith("ROLEPLAY_"))
    .sort();
  // Aliases first, so that the canonical variable (merged later) wins.
  names.sort((a, b) => Number(b in ENV_ALIASES) - Number(a in ENV_ALIASES));
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined || raw === "" || IGNORED_ENV_VARS.has(name)) continue;
    const path = known.get(name) ?? ENV_ALIASES[name];
    if (!path) {
      const guess = closest(name, [...known.keys(), ...Object.keys(ENV_ALIASES)]);
      if (guess) warnings.push(`${name} is not a roleplay setting (did you mean ${guess}?); it is ignored`);
      continue;
    }
    const values: PlainObject = {};
    setAt(values, path.split("."), coerceForSchema(raw, schemaAt(path.split("."))));
    entries.push({ name, path, values });
  }
  return { entries, warnings };
}

/** Coerce the string values of a flags object to the types of their settings. */
export function coerceFlags(flags: PlainObject, prefix: string[] = []): PlainObject {
  const out: PlainObject = {};
  for (const [key, value] of Object.entries(flags)) {
    const path = [...prefix, key];
    if (isPlainObject(value)) out[key] = coerceFlags(value, path);
    else if (typeof value === "string") out[key] = coerceForSchema(value, schemaAt(path));
    else out[key] = value;
  }
  return out;
}

/** What a setting expects, by its environment variable (for documentation and `doctor`). */
export function describeEnvVar(name: string): string | undefined {
  const path = envVarTable().get(name) ?? ENV_ALIASES[name];
  const schema = path ? schemaAt(path.split(".")) : undefined;
  return schema ? describeExpected(schema) : undefined;
}
