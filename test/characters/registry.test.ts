import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  charactersImport,
  charactersList,
  charactersShow,
  charactersValidate,
  characterWarnings,
} from "../../src/characters/commands.js";
import {
  defaultCharacterDirs,
  findCharacter,
  importCharacter,
  listCharacters,
  shippedCharactersDir,
  userCharactersDir,
  validateCharacterFile,
} from "../../src/characters/registry.js";
import { buildSystemPrompt, greeting } from "../../src/characters/prompt.js";
import { tempDir } from "../helpers/env.js";
import { v1Card, v2Card } from "./fixtures.js";
import { pngCard } from "./png-helper.js";

let tmp: ReturnType<typeof tempDir>;
let shipped: string;
let user: string;
beforeEach(() => {
  tmp = tempDir();
  shipped = join(tmp.dir, "shipped");
  user = join(tmp.dir, "user");
  mkdirSync(shipped);
  writeFileSync(join(shipped, "alpha.yaml"), "name: Alpha\ndescription: first\ngreeting: hi\n");
  writeFileSync(join(shipped, "beta.json"), JSON.stringify({ name: "Beta Bot", greeting: "hello" }));
  writeFileSync(join(shipped, "broken.yaml"), "name: 3\n");
  writeFileSync(join(shipped, "notes.txt"), "ignored");
});
afterEach(() => tmp.cleanup());

describe("the shipped characters", () => {
  it("are all valid, with a greeting, example dialogue and an espeak voice", async () => {
    const dir = shippedCharactersDir();
    expect(dir).toBeDefined();
    const { characters, problems } = await listCharacters({ dirs: [dir!] });
    expect(problems).toEqual([]);
    expect(characters.length).toBeGreaterThanOrEqual(2);
    for (const c of characters) {
      expect(c.source.kind).toBe("yaml");
      expect(greeting(c, { userName: "Sam" })).not.toMatch(/\{\{/);
      expect(c.exampleDialogue).toContain("<START>");
      expect(c.voice?.engine).toBe("espeak");
      expect(characterWarnings(c)).toEqual([]);
      expect(buildSystemPrompt(c, { userName: "Sam" })).not.toMatch(/\{\{|<START>/);
    }
  });

  it("are found through the default folders", () => {
    const dirs = defaultCharacterDirs({ HOME: tmp.dir });
    expect(dirs[0]).toBe(shippedCharactersDir());
    expect(dirs[1]).toBe(join(tmp.dir, ".local/share/roleplay/characters"));
    expect(userCharactersDir({ XDG_DATA_HOME: "/x" })).toBe("/x/roleplay/characters");
  });
});

describe("listCharacters and findCharacter", () => {
  it("lists valid characters by name and reports broken files", async () => {
    const { characters, problems } = await listCharacters({ dirs: [shipped, user] });
    expect(characters.map((c) => c.name)).toEqual(["Alpha", "Beta Bot"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("name: expected string, got number");
  });

  it("lets a user character override a shipped one with the same id", async () => {
    mkdirSync(user);
    writeFileSync(join(user, "mine.yaml"), "name: alpha\ndescription: mine\n");
    const { characters } = await listCharacters({ dirs: [shipped, user] });
    expect(characters.find((c) => c.id === "alpha")?.description).toBe("mine");
  });

  it("finds by name or id (any case), by unique prefix, or by path", async () => {
    const dirs = [shipped, user];
    expect((await findCharacter("ALPHA", { dirs })).name).toBe("Alpha");
    expect((await findCharacter("beta-bot", { dirs })).name).toBe("Beta Bot");
    expect((await findCharacter("beta bot", { dirs })).name).toBe("Beta Bot");
    expect((await findCharacter("bet", { dirs })).name).toBe("Beta Bot");
    const file = join(tmp.dir, "card.json");
    writeFileSync(file, JSON.stringify(v1Card));
    expect((await findCharacter(file, { dirs })).name).toBe("Old Tom");
  });

  it("names the available characters when nothing matches", async () => {
    await expect(findCharacter("zed", { dirs: [shipped] })).rejects.toMatchObject({
      code: "CHARACTER_NOT_FOUND",
      hint: expect.stringContaining("Alpha, Beta Bot") as unknown,
    });
    writeFileSync(join(shipped, "alfred.yaml"), "name: Alfred\n");
    await expect(findCharacter("al", { dirs: [shipped] })).rejects.toThrow(/several characters/);
  });
});

describe("importCharacter", () => {
  it("copies a PNG card into the user folder, keeping the image, and it is then listed", async () => {
    const src = join(tmp.dir, "download (1).png");
    writeFileSync(src, pngCard(v2Card()));
    const c = await importCharacter(src, { dir: user });
    expect(c.source).toEqual({ kind: "png", path: join(user, "captain-mira.png") });
    expect(readFileSync(join(user, "captain-mira.png")).equals(readFileSync(src))).toBe(true);
    expect((await findCharacter("captain mira", { dirs: [shipped, user] })).source.kind).toBe("png");
  });

  it("imports JSON cards and YAML files, refusing to overwrite unless asked", async () => {
    const card = join(tmp.dir, "tom.json");
    writeFileSync(card, JSON.stringify(v1Card));
    expect((await importCharacter(card, { dir: user })).source.path).toBe(join(user, "old-tom.json"));
    await expect(importCharacter(card, { dir: user })).rejects.toMatchObject({ code: "CHARACTER_EXISTS" });
    await importCharacter(card, { dir: user, overwrite: true });
    copyFileSync(join(shipped, "alpha.yaml"), join(tmp.dir, "a.yml"));
    expect((await importCharacter(join(tmp.dir, "a.yml"), { dir: user })).source.path).toBe(join(user, "alpha.yaml"));
  });

  it("gives names in other scripts their own ids and files, so they neither collide nor overwrite", async () => {
    const names = ["アクア", "Лиза", "小雪", "🐉", "🐲"];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const file = join(tmp.dir, `card${i}.json`);
      writeFileSync(file, JSON.stringify(v2Card({ name })));
      const c = await importCharacter(file, { dir: user });
      expect(c.source.path).toBe(join(user, `${c.id}.json`));
      ids.push(c.id);
    }
    expect(ids.slice(0, 3)).toEqual(["アクア", "лиза", "小雪"]);
    expect(ids[3]).toMatch(/^character-[0-9a-f]{8}$/);
    expect(new Set(ids).size).toBe(names.length);
    const { characters } = await listCharacters({ dirs: [user] });
    expect(characters.map((c) => c.name).sort()).toEqual([...names].sort());
    expect((await findCharacter("лиза", { dirs: [user] })).name).toBe("Лиза");
  });

  it("refuses an invalid file and copies nothing", async () => {
    await expect(importCharacter(join(shipped, "broken.yaml"), { dir: user })).rejects.toThrow(/name: expected string/);
    expect(existsSync(user)).toBe(false);
  });
});

describe("command output", () => {
  it("list, show, validate, import", async () => {
    const list = await charactersList({ dirs: [shipped] });
    expect(list).toMatch(/NAME\s+ID\s+FORMAT/);
    expect(list).toContain("Beta Bot");
    expect(list).toContain("1 file(s) could not be read");
    const show = await charactersShow("alpha", { dirs: [shipped], userName: "Sam" });
    expect(show).toContain("Alpha (id alpha, yaml");
    expect(show).toContain("System prompt:");
    expect(await charactersValidate(join(shipped, "alpha.yaml"))).toBe("OK: Alpha (id alpha, yaml)");
    writeFileSync(join(tmp.dir, "q.yaml"), "name: Quiet\n");
    expect(await charactersValidate(join(tmp.dir, "q.yaml"))).toMatch(/warning: no greeting/);
    await expect(validateCharacterFile(join(shipped, "broken.yaml"))).rejects.toThrow(/broken\.yaml: name/);
    const src = join(tmp.dir, "tom.json");
    writeFileSync(src, JSON.stringify(v1Card));
    expect(await charactersImport(src, { dir: user })).toContain('Imported Old Tom as "old-tom"');
  });
});
