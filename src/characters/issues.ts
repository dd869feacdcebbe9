import type { z } from "zod";
import { CharacterError } from "../core/errors.js";

/** The JSON-ish type name of a value, as a user would say it. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** `data.alternate_greetings[1]` from a zod path. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue, prefix: string): string {
  const where = formatPath(issue.path, prefix);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return `${where}: required, but missing`;
      if (issue.expected === "int") return `${where}: expected a whole number, got ${String(input)}`;
      return `${where}: expected ${issue.expected}, got ${typeName(input)}`;
    case "invalid_union": {
      const expected = [
        ...new Set(issue.errors.flat().flatMap((i) => (i.code === "invalid_type" ? [i.expected] : []))),
      ];
      if (expected.length > 0) return `${where}: expected ${expected.join(" or ")}, got ${typeName(input)}`;
      return `${where}: ${issue.message}`;
    }
    case "unrecognized_keys":
      return issue.keys
        .map((key) => {
          const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
          const hint = camel !== key ? ` (did you mean "${camel}"?)` : "";
          return `${formatPath([...issue.path, key], prefix)}: unknown field${hint}`;
        })
        .join("; ");
    case "invalid_value":
      return `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(input)}`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return `${where}: must not be empty`;
      return `${where}: must be ${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}${issue.origin === "string" ? " characters" : ""}${issue.origin === "array" ? " items" : ""}`;
    case "too_big":
      return `${where}: must be ${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

/** One line naming every wrong field (at most five) and what is wrong with it. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): string {
  const lines = issues.map((issue) => describeIssue(issue, prefix));
  const shown = lines.slice(0, 5).join("; ");
  return lines.length > 5 ? `${shown}; and ${lines.length - 5} more` : shown;
}

export function invalidCharacter(file: string | undefined, detail: string, hint?: string): CharacterError {
  const where = file ? `${file}: ` : "";
  return new CharacterError("CHARACTER_INVALID", `Invalid character ${where}${detail}`, {
    hint: hint ?? "Fix the field named above, then check the file with `roleplay characters validate FILE`.",
  });
}
