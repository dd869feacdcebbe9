import { relative, isAbsolute } from "node:path";

/** Where a setting's value came from. */
export interface Source {
  kind: "default" | "file" | "user" | "env" | "flag";
  /** The config file (kinds "file" and "user"). */
  file?: string;
  /** The environment variable or flag (kinds "env" and "flag"). */
  name?: string;
}

/** A path shown to the user: under the home folder as `~/...`. */
export function displayPath(file: string, home: string | undefined): string {
  if (home && home !== "/" && (file === home || file.startsWith(home + "/"))) return "~" + file.slice(home.length);
  return file;
}

/** A path shown relative to the working folder when it lies inside it, else as displayPath. */
export function shortPath(file: string, cwd: string, home: string | undefined): string {
  const rel = relative(cwd, file);
  if (rel && !rel.startsWith("..") && !isAbsolute(rel)) return rel;
  return displayPath(file, home);
}

/** The subject of an error message: the file, env var or flag that gave the value. */
export function sourceSubject(source: Source, home: string | undefined): string {
  if ((source.kind === "file" || source.kind === "user") && source.file) return displayPath(source.file, home);
  if (source.kind === "env" && source.name) return source.name;
  if (source.kind === "flag" && source.name) return source.name;
  return "default config";
}

/** A key path with array indexes in brackets: `commands.phrases.send[0]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(top level)";
}

/** The dotted form used as a key of the sources map (array indexes included as numbers). */
export function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}
