import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CharacterError } from "../../src/core/errors.js";
import { characterFromCard } from "../../src/characters/card.js";
import { activeLoreEntries } from "../../src/characters/lorebook.js";
import { loadCharacterFile } from "../../src/characters/load.js";
import { greeting } from "../../src/characters/prompt.js";
import { tempDir } from "../helpers/env.js";
import { v1Card, v2Card } from "./fixtures.js";
import { chunk, iTXt, makePng, pngCard, tEXt, zTXt } from "./png-helper.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function write(name: string, content: string | Buffer): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, content);
  return file;
}

async function loadError(file: string): Promise<CharacterError> {
  const err = await loadCharacterFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CharacterError);
  return err as CharacterError;
}

describe("Character Card V2 (JSON)", () => {
  it("reads every field", async () => {
    const c = await loadCharacterFile(write("mira.json", JSON.stringify(v2Card())));
    expect(c).toMatchObject({
      id: "captain-mira",
      name: "Captain Mira",
      personality: "bold, loyal",
      scenario: "A storm over the Shattered Coast.",
      greeting: "Welcome aboard, {{user}}! I'm {{char}}.",
      alternateGreetings: ["Hold on tight, {{user}}!", "Storm's coming."],
      systemPrompt: "{{original}} Speak like a sky captain.",
      postHistoryInstructions: "Stay in {{char}}'s voice.",
      meta: { creator: "tester", version: "1.2", tags: ["adventure", "sky"], creatorNotes: "Test card" },
      source: { kind: "card-v2" },
    });
    expect(c.exampleDialogue).toContain("<START>");
    expect(c.lorebook?.scanDepth).toBe(3);
    expect(c.lorebook?.tokenBudget).toBe(200);
    expect(c.lorebook?.entries[1]).toMatchObject({
      keys: ["storm"],
      caseSensitive: true,
      insertionOrder: 0,
      enabled: true,
    });
    expect(greeting(c, { userName: "Ada" })).toBe("Welcome aboard, Ada! I'm Captain Mira.");
    expect(greeting(c, { index: 2, userName: "Ada" })).toBe("Storm's coming.");
  });

  it("accepts nulls for absent optional fields, and V3 cards through their V2 fields", async () => {
    const card = v2Card({ creator_notes: null, character_book: null, alternate_greetings: null });
    card.spec = "chara_card_v3";
    const c = characterFromCard(card);
    expect(c.alternateGreetings).toEqual([]);
    expect(c.lorebook).toBeUndefined();
  });
});

describe("lorebooks exported by SillyTavern", () => {
  // SillyTavern writes `use_regex: true` on every entry and `case_sensitive` under `extensions`.
  const stCard = (entries: Record<string, unknown>[]): Record<string, unknown> =>
    v2Card({ character_book: { entries: entries.map((e, id) => ({ id, enabled: true, use_regex: true, ...e })) } });

  it("keeps plain keys literal (whole word, case-insensitive by default)", () => {
    const c = characterFromCard(
      stCard([
        { keys: ["dragon"], content: "DRAGON", extensions: { case_sensitive: null } },
        { keys: ["Mr. Smith", "C++"], content: "SMITH", extensions: {} },
        { keys: ["/room \\d+/"], content: "ROOM" },
      ]),
    );
    expect(c.lorebook?.entries.map((e) => e.keys)).toEqual([["dragon"], ["Mr. Smith", "C++"], ["/room \\d+/"]]);
    const active = (msg: string): string[] => activeLoreEntries(c.lorebook, [msg]).map((e) => e.content);
    expect(active("Tell me about the Dragon.")).toEqual(["DRAGON"]);
    expect(active("I met mr. smith today")).toEqual(["SMITH"]);
    expect(active("do you know c++?")).toEqual(["SMITH"]);
    expect(active("mrx smith, c")).toEqual([]);
    expect(active("Go to ROOM 12")).toEqual(["ROOM"]);
  });

  it("reads case_sensitive under extensions, the top-level field first", () => {
    const c = characterFromCard(
      stCard([
        { keys: ["Castle"], content: "EXT", extensions: { case_sensitive: true } },
        { keys: ["Tower"], content: "TOP", case_sensitive: false, extensions: { case_sensitive: true } },
        { keys: ["/Gate/"], content: "RE", extensions: { case_sensitive: true } },
      ]),
    );
    expect(c.lorebook?.entries.map((e) => e.caseSensitive)).toEqual([true, false, true]);
    const active = (msg: string): string[] => activeLoreEntries(c.lorebook, [msg]).map((e) => e.content);
    expect(active("the castle, the tower, the gate")).toEqual(["TOP"]);
    expect(active("the Castle, the Gate")).toEqual(["EXT", "RE"]);
  });
});

describe("Character Card V1 (JSON)", () => {
  it("reads the flat fields", async () => {
    const c = await loadCharacterFile(write("tom.json", JSON.stringify(v1Card)));
    expect(c).toMatchObject({ id: "old-tom", name: "Old Tom", personality: "gruff", source: { kind: "card-v1" } });
    expect(greeting(c, { userName: "Ada" })).toBe("Who goes there? Ah, it's Ada.");
  });

  it("maps the old TavernAI field names", () => {
    const c = characterFromCard({
      char_name: "Ghost",
      char_persona: "pale",
      char_greeting: "Boo.",
      world_scenario: "attic",
    });
    expect(c).toMatchObject({ name: "Ghost", personality: "pale", greeting: "Boo.", scenario: "attic" });
  });
});

describe("PNG cards", () => {
  it("reads a card from a chara tEXt chunk", async () => {
    const c = await loadCharacterFile(write("mira.png", pngCard(v2Card())));
    expect(c.name).toBe("Captain Mira");
    expect(c.source).toEqual({ kind: "png", path: join(tmp.dir, "mira.png") });
    expect(c.lorebook?.entries).toHaveLength(2);
  });

  it("reads V1 cards, ccv3 chunks, zTXt and iTXt variants", async () => {
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64");
    expect((await loadCharacterFile(write("a.png", pngCard(v1Card)))).name).toBe("Old Tom");
    const v3 = { ...v2Card(), spec: "chara_card_v3" };
    expect((await loadCharacterFile(write("b.png", pngCard(v3, "ccv3")))).name).toBe("Captain Mira");
    expect((await loadCharacterFile(write("c.png", makePng([zTXt("chara", b64(v1Card))])))).name).toBe("Old Tom");
    expect((await loadCharacterFile(write("d.png", makePng([iTXt("chara", b64(v1Card))])))).name).toBe("Old Tom");
    expect((await loadCharacterFile(write("e.png", makePng([iTXt("chara", b64(v1Card), true)])))).name).toBe("Old Tom");
  });

  it("prefers ccv3 over chara (falling back to chara when ccv3 is unreadable) and ignores other text chunks", async () => {
    const v3 = { ...v2Card(), spec: "chara_card_v3" };
    const png = makePng([
      tEXt("Comment", "made by a test"),
      tEXt("chara", Buffer.from(JSON.stringify(v1Card)).toString("base64")),
      tEXt("ccv3", Buffer.from(JSON.stringify(v3)).toString("base64")),
    ]);
    expect((await loadCharacterFile(write("f.png", png))).name).toBe("Captain Mira");
    const broken = makePng([
      tEXt("ccv3", "!!!not base64 json"),
      tEXt("chara", Buffer.from(JSON.stringify(v1Card)).toString("base64")),
    ]);
    expect((await loadCharacterFile(write("g.png", broken))).name).toBe("Old Tom");
  });

  it("reads plain UTF-8 JSON from tEXt and zTXt chunks as UTF-8", async () => {
    const card = { spec: "chara_card_v2", data: { name: "Lucía", first_mes: "¡Hola! ¿Qué tal? 你好" } };
    const utf8 = Buffer.from(JSON.stringify(card), "utf8");
    const text = chunk("tEXt", Buffer.concat([Buffer.from("chara\0", "latin1"), utf8]));
    const c = await loadCharacterFile(write("raw.png", makePng([text])));
    expect(c.name).toBe("Lucía");
    expect(c.greeting).toBe("¡Hola! ¿Qué tal? 你好");
    const z = chunk("zTXt", Buffer.concat([Buffer.from("chara\0\0", "latin1"), deflateSync(utf8)]));
    expect((await loadCharacterFile(write("rawz.png", makePng([z])))).name).toBe("Lucía");
    // Genuine Latin-1 bytes (not valid UTF-8) stay Latin-1.
    const latin1 = tEXt("chara", JSON.stringify({ name: "Lucía", first_mes: "hi" }));
    expect((await loadCharacterFile(write("latin1.png", makePng([latin1])))).name).toBe("Lucía");
  });

  it("rejects a PNG without a card, a bad CRC, a truncated file and a non-PNG", async () => {
    expect((await loadError(write("plain.png", makePng([])))).message).toMatch(/no character card/);
    const bad = pngCard(v1Card);
    bad.writeUInt8(bad.readUInt8(bad.length - 20) ^ 0xff, bad.length - 20); // flip a byte in the IDAT chunk
    expect((await loadError(write("crc.png", bad))).message).toMatch(/chunk IDAT at byte \d+ has a bad CRC/);
    const good = pngCard(v1Card);
    expect((await loadError(write("short.png", good.subarray(0, 60)))).message).toMatch(/corrupt PNG/);
    expect((await loadError(write("fake.png", "hello"))).message).toMatch(/not a PNG/);
    const notJson = makePng([tEXt("chara", "!!!not base64 json")]);
    expect((await loadError(write("nj.png", notJson))).message).toMatch(/not base64-encoded JSON/);
    const badChunk = makePng([chunk("tEXt", Buffer.from("chara"))]); // no NUL: ignored
    expect((await loadError(write("nonul.png", badChunk))).message).toMatch(/no character card/);
  });
});

describe("invalid cards name the field and what is wrong", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["first_mes number", { first_mes: 42 }, "data.first_mes: expected string, got number"],
    ["name missing", { name: undefined }, "data.name: required, but missing"],
    ["name empty", { name: "  " }, "data.name: must not be empty"],
    ["description array", { description: ["a"] }, "data.description: expected string, got array"],
    ["personality object", { personality: {} }, "data.personality: expected string, got object"],
    ["scenario bool", { scenario: true }, "data.scenario: expected string, got boolean"],
    ["mes_example number", { mes_example: 1 }, "data.mes_example: expected string, got number"],
    ["system_prompt number", { system_prompt: 3 }, "data.system_prompt: expected string, got number"],
    [
      "post_history number",
      { post_history_instructions: 3 },
      "data.post_history_instructions: expected string, got number",
    ],
    ["creator_notes number", { creator_notes: 3 }, "data.creator_notes: expected string, got number"],
    [
      "alternate greeting number",
      { alternate_greetings: ["ok", 7] },
      "data.alternate_greetings[1]: expected string, got number",
    ],
    [
      "alternate greetings string",
      { alternate_greetings: "hi" },
      "data.alternate_greetings: expected array, got string",
    ],
    ["tags string", { tags: "a,b" }, "data.tags: expected array, got string"],
    ["creator number", { creator: 5 }, "data.creator: expected string, got number"],
    ["character_version number", { character_version: 2 }, "data.character_version: expected string, got number"],
    ["extensions array", { extensions: [] }, "data.extensions: expected record, got array"],
    ["book entries missing", { character_book: {} }, "data.character_book.entries: required, but missing"],
    [
      "entry keys string",
      { character_book: { entries: [{ keys: "dragon", content: "x" }] } },
      "data.character_book.entries[0].keys: expected array, got string",
    ],
    [
      "entry content missing",
      { character_book: { entries: [{ keys: ["dragon"] }] } },
      "data.character_book.entries[0].content: required, but missing",
    ],
    [
      "entry enabled string",
      { character_book: { entries: [{ keys: ["a"], content: "x", enabled: "yes" }] } },
      "data.character_book.entries[0].enabled: expected boolean, got string",
    ],
    [
      "entry insertion_order string",
      { character_book: { entries: [{ keys: ["a"], content: "x", insertion_order: "1" }] } },
      "data.character_book.entries[0].insertion_order: expected number, got string",
    ],
    [
      "book scan_depth string",
      { character_book: { scan_depth: "2", entries: [] } },
      "data.character_book.scan_depth: expected number, got string",
    ],
  ];
  for (const [label, overrides, expected] of cases) {
    it(label, async () => {
      const card = v2Card(overrides);
      const err = await loadError(write("card.json", JSON.stringify(card)));
      expect(err.message).toContain(expected);
      expect(err.message).toContain("card.json");
      expect(err.message.split("\n")).toHaveLength(1);
      expect(err.hint).toBeTruthy();
    });
  }

  it("wrong spec, missing data, non-object", async () => {
    expect((await loadError(write("s.json", JSON.stringify({ spec: "chara_card_v9", data: {} })))).message).toContain(
      'spec: expected "chara_card_v2" or "chara_card_v3", got "chara_card_v9"',
    );
    expect((await loadError(write("d.json", JSON.stringify({ spec: "chara_card_v2" })))).message).toContain(
      "data: expected object, got undefined",
    );
    expect(() => characterFromCard([1, 2])).toThrow(/expected a JSON object, got array/);
    expect((await loadError(write("v1.json", JSON.stringify({ ...v1Card, first_mes: 1 })))).message).toContain(
      "first_mes: expected string, got number",
    );
    expect((await loadError(write("j.json", "{ not json"))).message).toMatch(/JSON syntax error/);
  });
});
