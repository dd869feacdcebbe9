import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  formatTime,
  sessionsExport,
  sessionsList,
  sessionsRemove,
  sessionsSearch,
  sessionsShow,
} from "../../src/sessions/commands.js";
import { openSessionStore } from "../../src/sessions/store.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { tempDir } from "../helpers/env.js";

let tmp: ReturnType<typeof tempDir>;
let store: SessionStore;
beforeEach(async () => {
  tmp = tempDir();
  store = await openSessionStore(join(tmp.dir, "s.db"));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe("sessions commands", () => {
  it("list, show, export, search, rm", () => {
    expect(sessionsList(store)).toBe("No saved sessions.");
    const s = store.createSession({ character: "wren", model: "tiny.gguf" });
    store.appendMessage(s.id, { role: "assistant", text: "Pull up a chair." });
    store.appendMessage(s.id, { role: "user", text: "A story about a clockwork owl" });
    store.appendMessage(s.id, { role: "assistant", text: "The owl ticked", interrupted: true });

    const list = sessionsList(store);
    expect(list).toMatch(/^ID\s+CHARACTER\s+MESSAGES\s+LAST MESSAGE\s+TITLE/);
    expect(list).toContain(s.id);
    expect(list).toContain("A story about a clockwork owl");
    expect(sessionsList(store, { character: "meridian" })).toBe("No saved sessions.");

    const show = sessionsShow(store, s.id.slice(0, 4), { user: "Sam", character: "Wren" });
    expect(show).toContain(`${s.id} · Wren · tiny.gguf`);
    expect(show).toContain("Sam: A story about a clockwork owl");
    expect(show).toContain("Wren: The owl ticked (interrupted)");

    expect(sessionsExport(store, s.id, "md")).toContain("**User:** A story about a clockwork owl");
    expect(JSON.parse(sessionsExport(store, s.id, "json"))).toMatchObject({ session: { id: s.id } });

    const hits = sessionsSearch(store, "owl");
    expect(hits.split("\n")).toHaveLength(2);
    expect(hits).toContain(`${s.id}  ${formatTime(store.getSession(s.id)!.updated).slice(0, 10)}`);
    expect(hits).toContain("[owl]");
    expect(sessionsSearch(store, "penguin")).toBe('No messages match "penguin".');

    expect(() => sessionsShow(store, "nope")).toThrow(/No session "nope"/);
    expect(sessionsRemove(store, s.id)).toBe(`Deleted session ${s.id} (wren, 3 messages).`);
    expect(sessionsList(store)).toBe("No saved sessions.");
  });

  it("shows the notice when sessions are not being saved", async () => {
    const mem = await openSessionStore(join(tmp.dir, "s.db", "x.db")); // s.db is a file, not a folder
    expect(sessionsList(mem)).toContain("Sessions are not being saved");
    mem.close();
  });

  it("formats times as local YYYY-MM-DD HH:MM", () => {
    expect(formatTime(new Date(2024, 0, 2, 3, 4).getTime())).toBe("2024-01-02 03:04");
  });
});
