import YAML from "yaml";
import { ConfigError } from "../core/errors.js";
import { displayPath } from "./where.js";

/**
 * Parsers for config files, with errors that name the file and the line: cosmiconfig's own loaders
 * report neither consistently.
 */

function parseError(file: string, home: string | undefined, kind: string, line: number | undefined, reason: string) {
  const at = line === undefined ? "" : ` line ${line}:`;
  return new ConfigError("CONFIG_PARSE", `${displayPath(file, home)}:${at} not valid ${kind} (${reason})`, {
    hint:
      line === undefined
        ? `Fix the syntax of ${displayPath(file, home)}, or remove the file.`
        : `Fix line ${line} of ${displayPath(file, home)}, or remove the file.`,
  });
}

export function parseYaml(file: string, content: string, home: string | undefined): unknown {
  try {
    return YAML.parse(content.replace(/^\uFEFF/, ""));
  } catch (err) {
    const e = err as { linePos?: { line: number }[]; message?: string };
    const reason = (e.message ?? String(err)).split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw parseError(file, home, "YAML", e.linePos?.[0]?.line, reason);
  }
}

export function parseJson(file: string, content: string, home: string | undefined): unknown {
  const text = content.replace(/^\uFEFF/, "");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const line = offset === undefined ? undefined : text.slice(0, offset).split("\n").length;
    const reason = ((err as Error).message ?? "").split(/[\n,]/)[0]!.replace(/ in JSON at position \d+.*$/, "");
    throw parseError(file, home, "JSON", line, reason || "syntax error");
  }
}

/** Offset of the first syntax error in a JSON text (JSON.parse on Node 20 does not say where). */
export function jsonErrorOffset(s: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < s.length && " \t\n\r".includes(s[i]!)) i++;
  };
  const str = () => {
    if (s[i] !== '"') fail();
    for (i++; i < s.length && s[i] !== '"'; i++) {
      if (s.charCodeAt(i) < 0x20) fail();
      if (s[i] === "\\") i++;
    }
    if (i >= s.length) fail();
    i++;
  };
  const word = (w: string) => (s.startsWith(w, i) ? (i += w.length) : fail());
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 64));
    if (!m) fail();
    else i += m[0].length;
  };
  const list = (close: string, item: () => void) => {
    i++;
    ws();
    if (s[i] === close) return void i++;
    for (;;) {
      item();
      if (s[i] === ",") i++;
      else if (s[i] === close) return void i++;
      else fail();
    }
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === "{")
      list("}", () => {
        ws();
        str();
        ws();
        if (s[i] !== ":") fail();
        i++;
        value();
      });
    else if (c === "[") list("]", value);
    else if (c === '"') str();
    else if (c === "t") word("true");
    else if (c === "f") word("false");
    else if (c === "n") word("null");
    else num();
    ws();
  };
  try {
    value();
    if (i < s.length) fail();
    return undefined;
  } catch (at) {
    if (typeof at === "number") return Math.min(at, s.length);
    throw at;
  }
}
