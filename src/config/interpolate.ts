import { ConfigError } from "../core/errors.js";
import { displayPath, formatKeyPath } from "./where.js";

const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g;

/**
 * Replace `${VAR}` and `${VAR:-default}` in one string from `env` (`$${` keeps a literal `${`).
 * `${VAR:-x}` uses x when VAR is unset or empty, `${VAR-x}` only when unset.
 * The first unset variable without a default comes back as `missing`.
 */
export function interpolateString(
  value: string,
  env: NodeJS.ProcessEnv,
): { value: string; missing?: undefined } | { missing: string } {
  let missing: string | undefined;
  const out = value.replace(pattern, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === "$$") return "$";
    const key = name ?? "";
    const current = env[key];
    const colon = match.includes(":-");
    if (current !== undefined && !(colon && current === "")) return current;
    if (fallback !== undefined) return fallback;
    missing ??= key;
    return match;
  });
  return missing === undefined ? { value: out } : { missing };
}

/**
 * Replace `${VAR}` in every string value of a parsed config file (keys are left alone). An unset
 * variable without a default is a ConfigError naming the file and the key.
 */
export function interpolateValues<T>(data: T, env: NodeJS.ProcessEnv, file: string, home: string | undefined): T {
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === "string") {
      if (!value.includes("$")) return value;
      const result = interpolateString(value, env);
      if (result.missing !== undefined) {
        const where = `${displayPath(file, home)}: ${formatKeyPath(path)}`;
        throw new ConfigError("CONFIG_ENV_UNSET", `${where}: environment variable ${result.missing} is not set`, {
          hint: `Set ${result.missing}, or give a default in the file: \${${result.missing}:-value}.`,
        });
      }
      return result.value;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return value;
  };
  return walk(data, []) as T;
}
