import type { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { allKeyPaths, describeExpected, describeFound, schemaAt, sectionKeys } from "./introspect.js";
import { getAt, sourceAt } from "./merge.js";
import { type Config, configSchema } from "./schema.js";
import { closest } from "./suggest.js";
import { formatKeyPath, sourceSubject, type Source } from "./where.js";

/** The config did not validate: `message` is the first problem, `problems` lists them all. */
export class ConfigValidationError extends ConfigError {
  readonly problems: readonly string[];
  constructor(problems: { message: string; hint: string }[]) {
    const first = problems[0] ?? { message: "invalid config", hint: "" };
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    super("CONFIG_INVALID", first.message + more, { hint: first.hint });
    this.problems = problems.map((p) => p.message);
  }
}

/** "did you mean" for an unknown key: a sibling key, else a section or setting elsewhere with that name. */
export function suggestKey(parent: readonly PropertyKey[], key: string): string | undefined {
  const sibling = closest(key, sectionKeys(parent.map(String)));
  if (sibling) return formatKeyPath([...parent, sibling]);
  const all = allKeyPaths();
  const last = (p: string) => p.split(".").pop() ?? p;
  const near = all.some((p) => last(p) === key) ? key : closest(key, [...new Set(all.map(last))]);
  // Several sections have a key of that name: only a top-level one is a clear answer.
  const matches = near ? all.filter((p) => last(p) === near) : [];
  return matches.length === 1 ? matches[0] : matches.find((p) => !p.includes("."));
}

function hintFor(source: Source | undefined, subject: string, keyPath: string): string {
  switch (source?.kind) {
    case "env":
      return `Fix or unset ${subject}.`;
    case "flag":
      return `Fix the value given with ${subject} (see roleplay --help).`;
    default:
      return `Fix or remove ${keyPath} in ${subject}.`;
  }
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  sources: ReadonlyMap<string, Source>,
  home: string | undefined,
): { message: string; hint: string }[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const source = sourceAt(sources, path);
      const subject = source ? sourceSubject(source, home) : "config";
      const keyPath = formatKeyPath(path);
      const guess = suggestKey(issue.path, key);
      return {
        message: `${subject}: ${keyPath}: unknown setting${guess ? ` (did you mean ${guess}?)` : ""}`,
        hint: guess
          ? `Rename ${keyPath} to ${guess} in ${subject}.`
          : `Remove ${keyPath} from ${subject}; config/default.yaml in the roleplay package lists every setting.`,
      };
    });
  }
  const source = sourceAt(sources, issue.path);
  const subject = source ? sourceSubject(source, home) : "config";
  const keyPath = formatKeyPath(issue.path);
  const schema = schemaAt(issue.path.map((k) => (typeof k === "symbol" ? String(k) : k)));
  const expected = schema ? describeExpected(schema) : issue.message;
  const found = describeFound(getAt(input, issue.path));
  return [
    {
      message: `${subject}: ${keyPath}: expected ${expected}, found ${found}`,
      hint: hintFor(source, subject, keyPath),
    },
  ];
}

/** Validate the merged layers; every problem names the file, variable or flag that set the value. */
export function validateMerged(input: unknown, sources: ReadonlyMap<string, Source>, home: string | undefined): Config {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => describeIssue(issue, input, sources, home));
  throw new ConfigValidationError(problems);
}
