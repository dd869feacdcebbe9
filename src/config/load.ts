import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { getLogger } from "../core/log.js";
import { xdgDirs } from "../core/paths.js";
import { coerceFlags, readEnv } from "./env.js";
import { findProjectConfig, readUserConfig, type ConfigFile } from "./files.js";
import { interpolateValues } from "./interpolate.js";
import { dropNullSections } from "./introspect.js";
import { getAt, isPlainObject, mergeLayer, setAt, type PlainObject } from "./merge.js";
import { resolveLayerPaths } from "./resolve-paths.js";
import { defaultConfig, type ConfigInput, type ResolvedConfig } from "./schema.js";
import { validateMerged } from "./validate.js";
import type { Source } from "./where.js";

export type { Source } from "./where.js";

export interface LoadConfigOptions {
  /** Folder the project config is searched from (default: process.cwd()). */
  cwd?: string;
  /** Environment for ROLEPLAY_* settings, ${VAR}, HOME and XDG folders (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Settings from the command line, as a partial config; string values are coerced by type. */
  flags?: ConfigInput;
  /** The flag that set each dotted key, for `roleplay config` (default: `--` + the key in kebab case). */
  flagNames?: Readonly<Record<string, string>>;
  /** A project config file to use instead of searching (e.g. `--config FILE`). */
  configPath?: string;
  /** The user-level config file instead of the XDG one; `false` reads none. */
  userConfigPath?: string | false;
  /** The last folder searched upward (default: the home folder, or the filesystem root when outside it). */
  stopDir?: string;
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** Where each effective value came from, by dotted key path. */
  sources: Map<string, Source>;
  /** The config files read, project file first. */
  files: string[];
  /** The project config file read, if any. */
  projectFile?: string | undefined;
  /** The user-level config file read, if any. */
  userFile?: string | undefined;
  /** Non-fatal notices (e.g. a ROLEPLAY_* variable that looks like a misspelt setting). */
  warnings: string[];
  cwd: string;
  home: string;
}

const log = getLogger("config");

const kebab = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

function flagSources(values: PlainObject, names: Readonly<Record<string, string>>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of flagSources(value, names, path)) out.set(k, v);
    } else if (value !== undefined) out.set(path, names[path] ?? `--${kebab(key)}`);
  }
  return out;
}

/** A config file as a layer: `$schema` (for editors) dropped, `${VAR}` replaced, paths resolved. */
function fileLayer(found: ConfigFile, env: NodeJS.ProcessEnv, home: string): PlainObject {
  const { $schema: _editorSchema, ...values } = found.values;
  const interpolated = interpolateValues(dropNullSections(values), env, found.file, home);
  return resolveLayerPaths(interpolated, dirname(found.file), home);
}

/**
 * Load the effective config. Layers, in rising precedence: schema defaults < project file
 * (cosmiconfig, searched upward from cwd) < user file (XDG config folder) < ROLEPLAY_* env vars <
 * flags. Throws ConfigError (exit code 2) naming the file, variable or flag at fault.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = env.HOME || homedir();
  const dirs = xdgDirs(env);
  const merged: PlainObject = {};
  const sources = new Map<string, Source>();
  const files: string[] = [];

  mergeLayer(merged, defaultConfig() as unknown as PlainObject, { kind: "default" }, sources);

  const project = await findProjectConfig({
    cwd,
    stopDir: options.stopDir ?? home,
    home,
    explicit: options.configPath,
  });
  if (project) {
    mergeLayer(merged, fileLayer(project, env, home), { kind: "file", file: project.file }, sources);
    files.push(project.file);
  }

  let user =
    options.userConfigPath === false
      ? undefined
      : readUserConfig({ configDir: dirs.config, home, explicit: options.userConfigPath });
  if (user?.file === project?.file) user = undefined; // the search reached the XDG folder itself
  if (user) {
    mergeLayer(merged, fileLayer(user, env, home), { kind: "user", file: user.file }, sources);
    files.push(user.file);
  }

  const fromEnv = readEnv(env);
  for (const entry of fromEnv.entries) {
    mergeLayer(merged, resolveLayerPaths(entry.values, cwd, home), { kind: "env", name: entry.name }, sources);
  }
  for (const warning of fromEnv.warnings) log.warn(warning);

  if (options.flags) {
    const flags = resolveLayerPaths(coerceFlags(options.flags as PlainObject), cwd, home);
    for (const [path, name] of flagSources(flags, options.flagNames ?? {})) {
      const layer: PlainObject = {};
      setAt(layer, path.split("."), getAt(flags, path.split(".")));
      mergeLayer(merged, layer, { kind: "flag", name }, sources);
    }
  }

  const config = validateMerged(merged, sources, home) as ResolvedConfig;
  const fallback = (key: string, current: string | undefined, value: string): string => {
    if (current !== undefined) return current;
    sources.set(key, { kind: "default" });
    return value;
  };
  config.sessions.database = fallback("sessions.database", config.sessions.database, join(dirs.data, "sessions.db"));
  config.models.dir = fallback("models.dir", config.models.dir, join(dirs.data, "models"));
  config.log.file = fallback("log.file", config.log.file, join(dirs.state, "roleplay.log"));
  config.log.metricsFile = fallback("log.metricsFile", config.log.metricsFile, join(dirs.state, "metrics.jsonl"));
  log.debug("config loaded", { files });
  return {
    config,
    sources,
    files,
    projectFile: project?.file,
    userFile: user?.file,
    warnings: fromEnv.warnings,
    cwd,
    home,
  };
}
