import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../src/core/events.js";
import { VoiceSession } from "../../src/pipeline/session.js";
import { VoiceRouter, type ChildTarget } from "../../src/pipeline/voice-router.js";
import type { HeardUtterance } from "../../src/pipeline/voice-in.js";
import { FakeEngine, until } from "../helpers/fakes.js";

const heard = (text: string, muted = false): HeardUtterance => ({
  text,
  startMs: 0,
  endMs: 1000,
  muted,
  marks: { speechEndMs: performance.now(), endOfTurnMs: performance.now(), transcriptMs: performance.now() },
});

function setup(options: { child?: ChildTarget; wakePhrase?: string | null } = {}) {
  const engine = new FakeEngine(() => ["ok."]);
  const session = new VoiceSession({ engine, characterName: "T" });
  const events: SessionEvent[] = [];
  session.on((e) => events.push(e));
  const host = { scrolled: 0, muted: false, quit: false, draft: "", mode: "conversation" as string, newChats: 0 };
  const router = new VoiceRouter({
    session,
    enabled: true,
    wakePhrase: options.wakePhrase ?? null,
    ...(options.child ? { child: options.child } : {}),
    host: {
      scrollBy: (n) => (host.scrolled += n),
      setMuted: (m) => (host.muted = m),
      quit: () => (host.quit = true),
      onDraft: (t) => (host.draft = t),
      onModeChange: (m) => (host.mode = m),
      newChat: () => void host.newChats++,
    },
  });
  return { engine, session, events, host, router };
}

describe("VoiceRouter", () => {
  it("a command is executed and shown, never sent to the LLM", async () => {
    const { engine, events, host, router } = setup();
    router.handle(heard("Scroll up."));
    router.handle(heard("send me a poem"));
    await until(() => engine.calls.length === 1);
    expect(host.scrolled).toBe(10);
    expect(engine.calls).toEqual(["send me a poem"]);
    expect(events.find((e) => e.type === "command")).toMatchObject({ command: "scroll-up" });
  });

  it("dictation gathers text; scratch that; send sends the draft", async () => {
    const { engine, host, router } = setup();
    router.handle(heard("dictation mode"));
    expect(host.mode).toBe("dictation");
    router.handle(heard("hello world"));
    router.handle(heard("this is wrong"));
    router.handle(heard("Scratch that."));
    router.handle(heard("how are you"));
    expect(host.draft.toLowerCase()).toContain("hello world");
    expect(host.draft).not.toContain("wrong");
    router.handle(heard("Send!"));
    await until(() => engine.calls.length === 1);
    expect(engine.calls[0]).toMatch(/hello world.*how are you/i);
    expect(host.draft).toBe("");
  });

  it("muted: only unmute acts", async () => {
    const { engine, host, router } = setup();
    router.handle(heard("mute"));
    expect(host.muted).toBe(true);
    router.handle(heard("tell me a story", true));
    router.handle(heard("scroll up", true));
    expect(host.scrolled).toBe(0);
    router.handle(heard("unmute", true));
    expect(host.muted).toBe(false);
    expect(engine.calls).toEqual([]);
  });

  it("with a wake phrase, other utterances are ignored", async () => {
    const { engine, router } = setup({ wakePhrase: "hey roleplay" });
    router.handle(heard("tell me a story"));
    router.handle(heard("Hey roleplay, tell me a joke."));
    await until(() => engine.calls.length === 1);
    expect(engine.calls).toEqual(["tell me a joke."]);
  });

  it("with a child, dictation is typed into it and send presses Enter", () => {
    const typed: string[] = [];
    const child: ChildTarget = {
      type: (t) => typed.push(t),
      pressEnter: () => typed.push("<enter>"),
      sendKey: (k) => typed.push(`<${k}>`),
      restart: () => typed.push("<restart>"),
      erase: (n) => typed.push(`<erase ${n}>`),
    };
    const { engine, router } = setup({ child });
    router.handle(heard("hello world"));
    router.handle(heard("oops"));
    router.handle(heard("scratch that"));
    router.handle(heard("send"));
    router.handle(heard("yes"));
    router.handle(heard("interrupt"));
    expect(typed).toEqual(["hello world", " oops", "<erase 5>", "<enter>", "<y>", "<ctrl-c>"]);
    expect(engine.calls).toEqual([]);
  });
});
