import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ftsQuery, matchSnippet, searchTerms } from "../../src/sessions/fts.js";
import { createMemoryStore, openSessionStore } from "../../src/sessions/store.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { tempDir } from "../helpers/env.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe("search over sessions", () => {
  it("finds a word said in an earlier session, after a restart", async () => {
    const path = join(tmp.dir, "s.db");
    const first = await openSessionStore(path);
    const earlier = first.createSession({ character: "wren", model: "m" });
    first.appendMessage(earlier.id, { role: "user", text: "Tell me about the lighthouse keeper and his albatross." });
    first.appendMessage(earlier.id, { role: "assistant", text: "The keeper never named the bird." });
    first.close();

    const second = await openSessionStore(path);
    try {
      const now = second.createSession({ character: "meridian", model: "m" });
      second.appendMessage(now.id, { role: "user", text: "Status report." });
      const hits = second.search("albatross");
      expect(hits).toHaveLength(1);
      expect(hits[0]).toMatchObject({ sessionId: earlier.id, character: "wren", role: "user", seq: 0 });
      expect(hits[0]!.snippet).toContain("[albatross]");
      expect(hits[0]!.time).toBeGreaterThan(0);
      expect(second.search("keeper").map((h) => h.seq)).toEqual([1, 0]); // newest first
      expect(second.search("keeper bird")).toHaveLength(1); // every word must appear
      expect(second.search("albat")).toHaveLength(1); // word prefix
      expect(second.search("penguin")).toEqual([]);
    } finally {
      second.close();
    }
  });

  for (const [kind, make] of [
    ["sqlite", (): Promise<SessionStore> => openSessionStore(join(tmp.dir, "t.db"))],
    ["memory", async (): Promise<SessionStore> => createMemoryStore()],
  ] as const) {
    it(`${kind}: folds case and accents, and takes operators as plain words`, async () => {
      const store = await make();
      try {
        const s = store.createSession({ character: "lucia", model: "m" });
        store.appendMessage(s.id, {
          role: "assistant",
          text: '¡Muy bien! Say CAFÉ again, and NEAR the end say "adiós".',
        });
        store.appendMessage(s.id, { role: "user", text: "AND OR NOT" });
        expect(store.search("cafe")).toHaveLength(1);
        expect(store.search("Adios")).toHaveLength(1);
        expect(store.search('near "end')).toHaveLength(1);
        expect(store.search("and or")).toHaveLength(1);
        expect(store.search("NOT*")).toHaveLength(1);
        expect(store.search("   ")).toEqual([]);
        expect(store.search("*:^")).toEqual([]);
        for (let i = 0; i < 30; i++) store.appendMessage(s.id, { role: "user", text: `bien ${i}` });
        expect(store.search("bien")).toHaveLength(20);
        expect(store.search("bien", { limit: 5 })).toHaveLength(5);
      } finally {
        store.close();
      }
    });
  }
});

describe("search helpers", () => {
  it("builds a safe FTS5 query", () => {
    expect(searchTerms("  hello, world!! ")).toEqual(["hello", "world"]);
    expect(ftsQuery('say "hi"')).toBe('"say"* "hi"*');
    expect(ftsQuery("...")).toBeUndefined();
  });
  it("makes snippets like FTS5", () => {
    expect(matchSnippet("The quick brown fox", "QUICK")).toBe("The [quick] brown fox");
    expect(matchSnippet("The quick brown fox", "cat")).toBeNull();
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    expect(matchSnippet(long, "w20")).toBe("…w14 w15 w16 w17 w18 w19 [w20] w21 w22 w23 w24 w25…");
  });
});
