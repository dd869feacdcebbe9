import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { cosmiconfig, type Loader } from "cosmiconfig";
import { ConfigError, RoleplayError, errorMessage } from "../core/errors.js";
import { describeFound } from "./introspect.js";
import { isPlainObject, type PlainObject } from "./merge.js";
import { parseJson, parseYaml } from "./parse.js";
import { displayPath } from "./where.js";

/** Where a project config is looked for, in each folder from the working folder upward. */
export const PROJECT_SEARCH_PLACES = [
  "package.json",
  ".roleplayrc",
  ".roleplayrc.json",
  ".roleplayrc.yaml",
  ".roleplayrc.yml",
  "roleplay.config.js",
  "roleplay.config.mjs",
  "roleplay.config.json",
  "roleplay.config.yaml",
  "roleplay.config.yml",
];

/** Names of the user-level config file in the XDG config folder, first found wins. */
export const USER_CONFIG_NAMES = ["config.yaml", "config.yml", "config.json"];

export interface ConfigFile {
  file: string;
  values: PlainObject;
}

function loaders(home: string | undefined): Record<string, Loader> {
  const yaml: Loader = (file, content) => (parseYaml(file, content, home) ?? null) as unknown;
  const json: Loader = (file, content) => (parseJson(file, content, home) ?? null) as unknown;
  return { ".yaml": yaml, ".yml": yaml, noExt: yaml, ".json": json };
}

function checkTopLevel(file: string, config: unknown, home: string | undefined): PlainObject {
  if (config === undefined || config === null) return {};
  if (isPlainObject(config)) return config;
  throw new ConfigError(
    "CONFIG_INVALID",
    `${displayPath(file, home)}: expected a mapping of settings, found ${describeFound(config)}`,
    {
      hint: "A config file holds settings such as `llm:` and `tts:` at its top level; see config/default.yaml.",
    },
  );
}

function wrapLoadError(err: unknown, home: string | undefined): RoleplayError {
  if (err instanceof RoleplayError) return err;
  const file = (err as { filepath?: string }).filepath;
  const where = file ? `${displayPath(file, home)}: ` : "";
  return new ConfigError("CONFIG_READ", `${where}could not read the config (${errorMessage(err).split("\n")[0]})`, {
    hint: file ? `Fix or remove ${displayPath(file, home)}.` : "Check the config files in this folder and above it.",
    cause: err,
  });
}

/** The folders searched: from `cwd` upward, up to and including `stopDir`, or to the root. */
export function searchFolders(cwd: string, stopDir: string | undefined): string[] {
  const stop = stopDir === undefined ? undefined : resolve(stopDir);
  const folders: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    folders.push(dir);
    if (dir === stop || dirname(dir) === dir) return folders;
  }
}

/** Find and read the project config (cosmiconfig), or `explicit` when given. */
export async function findProjectConfig(options: {
  cwd: string;
  stopDir: string | undefined;
  home: string | undefined;
  explicit?: string | undefined;
}): Promise<ConfigFile | undefined> {
  const { home } = options;
  let result: { config: unknown; filepath: string; isEmpty?: boolean } | null = null;
  try {
    const explorer = cosmiconfig("roleplay", {
      searchPlaces: PROJECT_SEARCH_PLACES,
      searchStrategy: "none",
      cache: false,
      loaders: loaders(home),
    });
    if (options.explicit !== undefined) {
      const file = resolve(options.cwd, options.explicit);
      if (!existsSync(file)) {
        throw new ConfigError("CONFIG_NOT_FOUND", `config file ${displayPath(file, home)} does not exist`, {
          hint: "Check the path given with --config.",
        });
      }
      result = await explorer.load(file);
    } else {
      for (const dir of searchFolders(options.cwd, options.stopDir)) {
        result = await explorer.search(dir);
        if (result) break;
      }
    }
  } catch (err) {
    throw wrapLoadError(err, home);
  }
  if (!result) return undefined;
  return { file: result.filepath, values: checkTopLevel(result.filepath, result.config, home) };
}

/** Read the user-level config file: `explicit`, else the first of USER_CONFIG_NAMES in `configDir`. */
export function readUserConfig(options: {
  configDir: string;
  home: string | undefined;
  explicit?: string | undefined;
}): ConfigFile | undefined {
  const { home } = options;
  let file: string | undefined;
  if (options.explicit !== undefined) {
    file = resolve(options.explicit);
    if (!existsSync(file)) {
      throw new ConfigError("CONFIG_NOT_FOUND", `user config file ${displayPath(file, home)} does not exist`, {
        hint: "Check the path of the user config file.",
      });
    }
  } else {
    file = USER_CONFIG_NAMES.map((name) => join(options.configDir, name)).find((f) => existsSync(f));
  }
  if (!file) return undefined;
  let content: string;
  try {
    content = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError("CONFIG_READ", `${displayPath(file, home)}: cannot be read (${errorMessage(err)})`, {
      hint: `Check the permissions of ${displayPath(file, home)}.`,
      cause: err,
    });
  }
  const parsed = extname(file) === ".json" ? parseJson(file, content, home) : parseYaml(file, content, home);
  return { file, values: checkTopLevel(file, parsed, home) };
}
