import type { Source } from "./where.js";

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A deep copy of plain objects and arrays; other values are shared. */
export function clonePlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clonePlain(v)])) as T;
  return value;
}

function dropUnder(sources: Map<string, Source>, key: string): void {
  for (const existing of [...sources.keys()]) {
    if (existing === key || existing.startsWith(key + ".")) sources.delete(existing);
  }
}

/**
 * Merge one layer into `target` (objects merge key by key, anything else replaces) and record the
 * layer as the source of every leaf it sets. `undefined` values are skipped. An empty object is
 * recorded as a leaf so that e.g. `phrases: {}` has a source.
 */
export function mergeLayer(
  target: PlainObject,
  values: PlainObject,
  source: Source,
  sources: Map<string, Source>,
  prefix = "",
): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value)) {
      if (!isPlainObject(target[key])) {
        dropUnder(sources, path);
        target[key] = {};
      }
      if (Object.keys(value).length === 0) {
        if (Object.keys(target[key] as PlainObject).length === 0) sources.set(path, source);
        continue;
      }
      sources.delete(path);
      mergeLayer(target[key] as PlainObject, value, source, sources, path);
    } else {
      dropUnder(sources, path);
      target[key] = clonePlain(value);
      sources.set(path, source);
    }
  }
}

/** The value at a key path, or undefined. */
export function getAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Set a value at a dotted path, creating objects on the way. */
export function setAt(root: PlainObject, path: readonly string[], value: unknown): void {
  let current = root;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(current[key])) current[key] = {};
    current = current[key] as PlainObject;
  }
  const last = path[path.length - 1];
  if (last !== undefined) current[last] = value;
}

/** The source of a key path: the recorded source of the path or its nearest recorded ancestor. */
export function sourceAt(sources: ReadonlyMap<string, Source>, path: readonly PropertyKey[]): Source | undefined {
  for (let n = path.length; n > 0; n--) {
    const found = sources.get(path.slice(0, n).map(String).join("."));
    if (found) return found;
  }
  const prefix = path.map(String).join(".");
  for (const [key, source] of sources) {
    if (prefix === "" || key.startsWith(prefix + ".")) return source;
  }
  return undefined;
}
