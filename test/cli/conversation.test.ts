import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openConversation, type Conversation } from "../../src/cli/conversation.js";
import { resolvePersona, type Persona } from "../../src/cli/persona.js";
import { loadConfig } from "../../src/config/load.js";
import type { ResolvedConfig } from "../../src/config/schema.js";
import { AppController } from "../../src/pipeline/app.js";
import { runSlashCommand } from "../../src/pipeline/slash.js";
import { VoiceSession } from "../../src/pipeline/session.js";
import { SessionNotFoundError } from "../../src/sessions/index.js";
import { tempDir } from "../helpers/env.js";
import { FakeEngine, until } from "../helpers/fakes.js";

/** The glue between a run and the session store, driven through a real VoiceSession and AppController. */

let tmp: ReturnType<typeof tempDir>;
let config: ResolvedConfig;
let persona: Persona;
const open: Conversation[] = [];

async function loadTestConfig(extra: Record<string, unknown> = {}): Promise<ResolvedConfig> {
  const env = { HOME: tmp.dir, XDG_DATA_HOME: join(tmp.dir, "data"), XDG_CONFIG_HOME: join(tmp.dir, "config") };
  const loaded = await loadConfig({ cwd: tmp.dir, env, userConfigPath: false, flags: extra });
  return loaded.config;
}

async function conversation(options: { resume?: boolean; sessionId?: string; cfg?: ResolvedConfig } = {}) {
  const conv = await openConversation(options.cfg ?? config, persona, {
    modelName: "fake.gguf",
    ...(options.resume ? { resume: true } : {}),
    ...(options.sessionId ? { sessionId: options.sessionId } : {}),
  });
  open.push(conv);
  return conv;
}

/** A VoiceSession over a fake engine, recording into `conv`, with the TUI controller and slash commands. */
function front(conv: Conversation, words = ["Hello", " traveller."]) {
  const engine = new FakeEngine(() => words);
  void engine.reset({ history: conv.history });
  const session = new VoiceSession({ engine, characterName: conv.persona.name, onMessage: conv.onMessage });
  const app = new AppController(
    session,
    {
      slash: conv.slash,
      onNewChat: async () => {
        await conv.startNew();
        await session.newChat({ greeting: conv.persona.greeting });
      },
    },
    0,
  );
  const slash = (line: string) => runSlashCommand(line, { app, extra: conv.slash });
  return { engine, session, app, slash };
}

beforeEach(async () => {
  tmp = tempDir("roleplay-conv-");
  config = await loadTestConfig();
  persona = await resolvePersona({ character: "wren", userName: "Ada" });
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  tmp.cleanup();
});

describe("recording a conversation", () => {
  it("creates no session until the first message, then stores the greeting first and every turn", async () => {
    const conv = await conversation();
    expect(conv.sessionId).toBeUndefined();
    expect(conv.store.listSessions()).toHaveLength(0);
    const { session } = front(conv);
    await session.send("Tell me about the lighthouse");
    const id = conv.sessionId!;
    const messages = conv.store.messages(id);
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ["assistant", persona.greeting],
      ["user", "Tell me about the lighthouse"],
      ["assistant", "Hello traveller."],
    ]);
    expect(messages[2]!.timings?.totalMs).toBeGreaterThanOrEqual(0);
    expect(conv.store.getSession(id)).toMatchObject({ character: "wren", model: "fake.gguf" });
  });

  it("commits the user message before the reply exists, and an interrupted reply with its flag", async () => {
    const conv = await conversation();
    const { session } = front(
      conv,
      Array.from({ length: 500 }, () => " word"),
    );
    let deltas = 0;
    session.on((e) => void (e.type === "delta" && deltas++));
    const sending = session.send("Begin the tale");
    await until(() => deltas > 2);
    expect(conv.store.messages(conv.sessionId!).at(-1)).toMatchObject({ role: "user", text: "Begin the tale" });
    await session.interrupt("test");
    await sending;
    const last = conv.store.messages(conv.sessionId!).at(-1)!;
    expect(last).toMatchObject({ role: "assistant", interrupted: true });
  });

  it("/reset starts a new session (with the greeting); /save titles it; /sessions lists both", async () => {
    const conv = await conversation();
    const { session, app, slash } = front(conv);
    await session.send("first conversation");
    const first = conv.sessionId!;
    await slash("/reset");
    expect(conv.sessionId).toBeUndefined();
    expect(app.store.getState().messages.at(-1)).toMatchObject({ role: "assistant", text: persona.greeting });
    await session.send("second conversation");
    expect(conv.sessionId).not.toBe(first);
    await slash("/save The second one");
    expect(conv.store.getSession(conv.sessionId!)!.title).toBe("The second one");
    await slash("/sessions");
    const panel = app.store.getState().panel!;
    expect(panel.body).toContain(first);
    expect(panel.body).toContain("The second one");
  });

  it("/load switches session: the view shows its messages and the model gets its history", async () => {
    const conv = await conversation();
    const { engine, session, app, slash } = front(conv);
    await session.send("remember the blue door");
    const first = conv.sessionId!;
    await slash("/reset");
    await session.send("something else");
    await slash(`/load ${first.slice(0, 5)}`);
    expect(conv.sessionId).toBe(first);
    const texts = app.store.getState().messages.map((m) => m.text);
    expect(texts.some((t) => t.includes(`Continuing session ${first}`))).toBe(true);
    expect(texts).toContain("remember the blue door");
    expect(engine.history().map((m) => m.text)).toContain("remember the blue door");
    await session.send("and now?");
    expect(conv.store.messages(first).map((m) => m.text)).toContain("and now?");
  });

  it("/search shows hits in a panel; bad /load and empty /search are errors in the view, not exceptions", async () => {
    const conv = await conversation();
    const { session, app, slash } = front(conv);
    await session.send("the marmalade smugglers");
    await slash("/search marmalade");
    expect(app.store.getState().panel).toMatchObject({ title: "Search: marmalade" });
    expect(app.store.getState().panel!.body).toContain("[marmalade]");
    await slash("/load nosuchid");
    await slash("/search");
    const errors = app.store.getState().messages.filter((m) => m.role === "error");
    expect(errors.map((e) => e.text).join("\n")).toMatch(/No session "nosuchid"[\s\S]*give words/);
  });
});

describe("resuming", () => {
  it("--resume continues the character's last session with its history", async () => {
    const conv = await conversation();
    await front(conv).session.send("the key is under the mat");
    const id = conv.sessionId!;
    const again = await conversation({ resume: true });
    expect(again.sessionId).toBe(id);
    expect(again.notice).toBeUndefined();
    expect(again.history.map((m) => m.text)).toEqual([
      persona.greeting,
      "the key is under the mat",
      "Hello traveller.",
    ]);
    await front(again).session.send("what was under the mat?");
    expect(again.store.messages(id)).toHaveLength(5);
  });

  it("--resume with nothing stored gives a notice and a new conversation", async () => {
    const conv = await conversation({ resume: true });
    expect(conv.sessionId).toBeUndefined();
    expect(conv.history).toEqual([]);
    expect(conv.notice).toMatch(/no earlier conversation with Wren/);
  });

  it("--session with an unknown id throws SessionNotFoundError (exit code 2)", async () => {
    const err = await conversation({ sessionId: "zzzzzz" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionNotFoundError);
    expect((err as SessionNotFoundError).exitCode).toBe(2);
  });

  it("--session of another character continues it as that character", async () => {
    const conv = await conversation();
    await front(conv).session.send("hello Wren");
    persona = await resolvePersona({ character: "meridian", userName: "Ada" });
    const other = await conversation({ sessionId: conv.sessionId! });
    expect(other.persona.character.id).toBe("wren");
    expect(other.history.map((m) => m.text)).toContain("hello Wren");
  });

  it("a database that cannot be opened: a notice, and the conversation goes on in memory", async () => {
    const cfg = await loadTestConfig({ sessions: { database: tmp.dir } }); // a folder, not a database file
    const conv = await conversation({ cfg, resume: true });
    expect(conv.notice).toBeDefined();
    expect(conv.store.persistent).toBe(false);
    await front(conv).session.send("still talking");
    expect(conv.store.messages(conv.sessionId!).map((m) => m.text)).toContain("still talking");
  });

  it("sessions.enabled: false keeps the conversation in memory only", async () => {
    const cfg = await loadTestConfig({ sessions: { enabled: false } });
    const conv = await conversation({ cfg });
    await front(conv).session.send("ephemeral words");
    expect(conv.store.persistent).toBe(false);
    const later = await conversation({ cfg: config, resume: true });
    expect(later.sessionId).toBeUndefined();
  });
});
