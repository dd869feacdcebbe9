import { settingPaths } from "./introspect.js";
import type { LoadedConfig } from "./load.js";
import { getAt, isPlainObject, sourceAt } from "./merge.js";
import { displayPath, shortPath, type Source } from "./where.js";

function formatValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return JSON.stringify(value);
}

function formatSource(source: Source | undefined, loaded: LoadedConfig): string {
  if (!source) return "";
  switch (source.kind) {
    case "default":
      return "(default)";
    case "file":
      return `(${source.file ? shortPath(source.file, loaded.cwd, loaded.home) : "project config"})`;
    case "user":
      return `(${source.file ? displayPath(source.file, loaded.home) : "user config"})`;
    case "env":
      return `(env ${source.name ?? "?"})`;
    case "flag":
      return `(flag ${source.name ?? "?"})`;
  }
}

/** One row per effective value: key, value, source. Mappings such as commands.phrases get one row per entry. */
function rows(loaded: LoadedConfig): { key: string; value: string; source: string }[] {
  const out: { key: string; value: string; source: string }[] = [];
  for (const key of settingPaths()) {
    const path = key.split(".");
    const value = getAt(loaded.config, path);
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [name, entry] of Object.entries(value)) {
        const source = sourceAt(loaded.sources, [...path, name]);
        out.push({ key: `${key}.${name}`, value: formatValue(entry), source: formatSource(source, loaded) });
      }
      continue;
    }
    const source = value === undefined ? undefined : sourceAt(loaded.sources, path);
    out.push({ key, value: formatValue(value), source: formatSource(source, loaded) });
  }
  return out;
}

/**
 * The effective config for `roleplay config`: every setting, its value and where it came from,
 * e.g. `llm.temperature = 0.7   (.roleplayrc.yaml)`.
 */
export function formatEffectiveConfig(loaded: LoadedConfig): string {
  const lines: string[] = [];
  if (loaded.files.length === 0) lines.push("# no config files found; built-in defaults, env and flags only");
  if (loaded.projectFile) lines.push(`# project config: ${displayPath(loaded.projectFile, loaded.home)}`);
  if (loaded.userFile) lines.push(`# user config: ${displayPath(loaded.userFile, loaded.home)}`);
  for (const warning of loaded.warnings) lines.push(`# warning: ${warning}`);
  const table = rows(loaded);
  const keyWidth = Math.max(...table.map((r) => r.key.length));
  const valueWidth = Math.min(40, Math.max(...table.map((r) => r.value.length)));
  for (const row of table) {
    const line = `${row.key.padEnd(keyWidth)} = ${row.value.padEnd(valueWidth)}   ${row.source}`;
    lines.push(line.trimEnd());
  }
  return lines.join("\n") + "\n";
}

/** The same for `roleplay config --json`: `{ config, sources, files, warnings }`. */
export function configAsJson(loaded: LoadedConfig): string {
  const sources: Record<string, Source> = {};
  for (const key of [...loaded.sources.keys()].sort()) {
    const source = loaded.sources.get(key);
    if (source && getAt(loaded.config, key.split(".")) !== undefined) sources[key] = source;
  }
  return JSON.stringify({ config: loaded.config, sources, files: loaded.files, warnings: loaded.warnings }, null, 2);
}
