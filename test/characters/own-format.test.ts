import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CharacterError } from "../../src/core/errors.js";
import { loadCharacterFile } from "../../src/characters/load.js";
import { slugify } from "../../src/characters/schema.js";
import { tempDir } from "../helpers/env.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function write(name: string, content: string): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, content);
  return file;
}

const full = `
name: Señora Inés
description: "{{char}} teaches Spanish."
personality: patient
scenario: a lesson
greeting: "¡Hola, {{user}}!"
alternateGreetings: ["Buenos días."]
exampleDialogue: |
  <START>
  {{user}}: hola
  {{char}}: ¡Hola!
systemPrompt: "{{original}} Use simple words."
postHistoryInstructions: End with a question.
voice: { engine: piper, voice: es_ES-davefx-medium, speaker: 0, speed: 0.9 }
sampling: { temperature: 0.7, topP: 0.9, maxTokens: 200 }
lorebook:
  entries:
    - keys: [verb]
      content: Spanish verbs conjugate.
`;

describe("the project's own format", () => {
  it("reads YAML with every field", async () => {
    const c = await loadCharacterFile(write("ines.yaml", full));
    expect(c).toMatchObject({
      id: "senora-ines",
      name: "Señora Inés",
      greeting: "¡Hola, {{user}}!",
      alternateGreetings: ["Buenos días."],
      voice: { engine: "piper", voice: "es_ES-davefx-medium", speaker: 0, speed: 0.9 },
      sampling: { temperature: 0.7, topP: 0.9, maxTokens: 200 },
      source: { kind: "yaml" },
    });
    expect(c.lorebook?.entries[0]).toMatchObject({
      keys: ["verb"],
      enabled: true,
      constant: false,
      caseSensitive: false,
    });
  });

  it("reads JSON, and the minimal file (name only)", async () => {
    const c = await loadCharacterFile(write("x.json", JSON.stringify({ name: "X", id: "agent-x" })));
    expect(c).toMatchObject({
      id: "agent-x",
      name: "X",
      greeting: "",
      alternateGreetings: [],
      source: { kind: "json" },
    });
    const y = await loadCharacterFile(write("y.yml", "name: Y\n"));
    expect(y.id).toBe("y");
  });

  const invalid: [string, string, string][] = [
    ["name missing", "description: x\n", "name: required, but missing"],
    ["name number", "name: 5\n", "name: expected string, got number"],
    ["greeting list", "name: A\ngreeting: [a]\n", "greeting: expected string, got array"],
    [
      "alternate greeting",
      "name: A\nalternateGreetings: [a, 3]\n",
      "alternateGreetings[1]: expected string, got number",
    ],
    [
      "voice engine",
      "name: A\nvoice: { engine: festival }\n",
      'voice.engine: expected one of "espeak", "piper", "none", got "festival"',
    ],
    ["voice speed", "name: A\nvoice: { speed: fast }\n", "voice.speed: expected number, got string"],
    ["voice speaker", "name: A\nvoice: { speaker: true }\n", "voice.speaker: expected number or string, got boolean"],
    ["voice speed range", "name: A\nvoice: { speed: 9 }\n", "voice.speed: must be at most 4"],
    ["temperature", "name: A\nsampling: { temperature: 5 }\n", "sampling.temperature: must be at most 2"],
    ["topP", "name: A\nsampling: { topP: 0 }\n", "sampling.topP: must be more than 0"],
    ["maxTokens", "name: A\nsampling: { maxTokens: 1.5 }\n", "sampling.maxTokens: expected a whole number, got 1.5"],
    ["snake_case key", "name: A\nsystem_prompt: hi\n", 'system_prompt: unknown field (did you mean "systemPrompt"?)'],
    ["unknown voice key", "name: A\nvoice: { pitch: 3 }\n", "voice.pitch: unknown field"],
    [
      "lore content",
      "name: A\nlorebook: { entries: [ { keys: [a] } ] }\n",
      "lorebook.entries[0].content: required, but missing",
    ],
    ["bad id", "name: A\nid: Has Spaces\n", "id: lower-case letters"],
    ["id with a path", "name: A\nid: ../a\n", "id: lower-case letters"],
  ];
  for (const [label, yaml, expected] of invalid) {
    it(`rejects ${label}`, async () => {
      const err = await loadCharacterFile(write("bad.yaml", yaml)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CharacterError);
      expect((err as Error).message).toContain(expected);
      expect((err as Error).message).toContain("bad.yaml");
    });
  }

  it("reports YAML syntax errors, empty files and missing files", async () => {
    await expect(loadCharacterFile(write("s.yaml", "name: [unclosed\n"))).rejects.toThrow(/YAML syntax error/);
    await expect(loadCharacterFile(write("e.yaml", ""))).rejects.toThrow(/empty/);
    await expect(loadCharacterFile(join(tmp.dir, "nope.yaml"))).rejects.toMatchObject({ code: "CHARACTER_NOT_FOUND" });
  });
});

describe("slugify", () => {
  it("keeps letters of any script, lower-cased, and drops Latin accents", () => {
    expect(slugify("Señora Inés")).toBe("senora-ines");
    expect(slugify("アクア")).toBe("アクア");
    expect(slugify("Лиза")).toBe("лиза");
    expect(slugify("小雪")).toBe("小雪");
    expect(slugify("ＡＢＣ Ｄ")).toBe("abc-d");
    expect(slugify("a/../b\\c")).toBe("a-b-c");
  });

  it("falls back to a short stable hash of the name when no letter or digit is left", () => {
    expect(slugify("🐉")).toMatch(/^character-[0-9a-f]{8}$/);
    expect(slugify("🐉")).toBe(slugify("🐉"));
    expect(slugify("🐉")).not.toBe(slugify("🐲"));
  });

  it("stays a safe file name: no separators, whole characters, bounded length", () => {
    for (const name of ["x".repeat(300), "𠀀".repeat(300), "小".repeat(300), "..", "a\0b"]) {
      const slug = slugify(name);
      expect(slug).toMatch(/^[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*$/u);
      expect(slug).not.toMatch(/-$/);
      expect(Buffer.byteLength(slug)).toBeLessThanOrEqual(160);
      expect(Buffer.from(slug).toString()).toBe(slug); // no half of a surrogate pair
    }
  });
});
