import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PtyChildTarget } from "../../src/pipeline/child-target.js";
import { VoiceSession } from "../../src/pipeline/session.js";
import type { AudioSink } from "../../src/pipeline/speech-out.js";
import type { HeardUtterance } from "../../src/pipeline/voice-in.js";
import { VoiceRouter } from "../../src/pipeline/voice-router.js";
import { PtyChild, PtyScreen } from "../../src/pty/index.js";
import { ClauseChunker } from "../../src/tts/chunker.js";
import { cliEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { FakeEngine, FakeTts, ManualSink, until } from "../helpers/fakes.js";
import { PtyDriver } from "../helpers/pty-driver.js";
import { alive } from "../pty/wait.js";

const tmp = tempDir("roleplay-wrap-");
let env: NodeJS.ProcessEnv;
let ptyAvailable = true;
beforeAll(async () => {
  env = cliEnv(join(tmp.dir, "home"), { PS1: "wrap$ " });
  try {
    await import("node-pty");
  } catch {
    ptyAvailable = false;
  }
});
afterAll(() => tmp.cleanup());

const disposers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const d of disposers.splice(0).reverse()) await d();
});

const heard = (text: string): HeardUtterance => ({
  text,
  startMs: 0,
  endMs: 1000,
  muted: false,
  marks: { speechEndMs: performance.now(), endOfTurnMs: performance.now(), transcriptMs: performance.now() },
});

/** A sink that plays everything at once. */
const instantSink: AudioSink = {
  write: () => undefined,
  clear: () => undefined,
  pendingMs: 0,
  whenIdle: async () => undefined,
};

/** A shell that reads lines and answers each; the VoiceSession, router and target as `roleplay wrap` wires them. */
async function wrapped(script: string, sink: AudioSink) {
  const child = new PtyChild({ command: "sh", args: ["-c", script], cols: 60, rows: 10 });
  const screen = new PtyScreen({ cols: 60, rows: 10 });
  child.onData((d) => screen.write(d));
  const tts = new FakeTts();
  const engine = new FakeEngine(() => ["unused."]);
  const session = new VoiceSession({
    engine,
    characterName: "T",
    speech: { engine: tts, sink, chunker: () => new ClauseChunker() },
  });
  const spoken: string[] = [];
  const target = new PtyChildTarget({
    child,
    speak: "new-output",
    session,
    settleMs: 150,
    onSpeak: (t) => spoken.push(t),
  });
  const router = new VoiceRouter({ session, host: {}, enabled: true, wakePhrase: null, child: target });
  disposers.push(
    () => child.dispose(),
    () => screen.dispose(),
    () => target.dispose(),
    () => session.dispose(),
  );
  await child.start();
  const shows = (text: string) =>
    until(() => screen.textLines().some((l) => l.includes(text)), 30_000, `"${text}" on screen`);
  return { child, screen, session, tts, engine, spoken, router, shows };
}

describe("dictation into a wrapped program (pipeline level, real PTY child)", () => {
  it('"hello world" then "send": the child receives the line and Enter; its answer is spoken, not the echo', async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const w = await wrapped(`echo ready; IFS= read -r l; printf 'you said %s.\\n' "$l"; sleep 30`, instantSink);
    await w.shows("ready");
    w.router.handle(heard("hello world"));
    await w.shows("hello world"); // the terminal's echo: typed, not yet sent
    expect(w.screen.textLines().some((l) => l.includes("you said"))).toBe(false);
    w.router.handle(heard("Send."));
    await w.shows("you said hello world");
    await until(() => w.tts.spoken.join(" ").includes("you said hello world"), 30_000, "the answer spoken");
    expect(w.spoken.join("\n")).not.toMatch(/^hello world$/m);
    expect(w.engine.calls).toEqual([]); // neither the words nor the command went to the LLM
  });

  it('"stop" while the answer is read drops the rest of that answer', async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const sink = new ManualSink(); // never plays unless advanced: the reading stays in progress
    const w = await wrapped(`IFS= read -r l; echo first part; IFS= read -r m; echo second part; sleep 30`, sink);
    w.router.handle(heard("go"));
    w.router.handle(heard("send"));
    await until(() => w.spoken.includes("first part"), 30_000, "the first part read");
    await until(() => w.session.busy, 30_000, "reading");
    w.router.handle(heard("Stop!"));
    await until(() => !w.session.busy, 30_000, "stopped");
    w.child.write("more\r"); // output of the same send (no "send" in between)
    await w.shows("second part");
    await new Promise((r) => setTimeout(r, 600)); // longer than the settle time: it would have been read by now
    expect(w.spoken).toEqual(["first part"]);
  });
});

describe("roleplay wrap in a real pseudo-terminal", () => {
  it("keys go to bash; exit 3 is shown and roleplay lives; Ctrl+R restarts; quitting leaves no child", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const app = await PtyDriver.start(["wrap", "--", "bash", "--norc", "--noprofile"], env, 100, 30);
    try {
      await app.waitFor(/keys go to bash/);
      await app.waitFor(/wrap\$ /);
      app.write("echo hi-$((40+2)); echo pid-$$\r");
      const first = await app.waitFor(/^pid-(\d+)$/m);
      expect(first).toMatch(/^hi-42$/m);
      const pid1 = Number(/^pid-(\d+)$/m.exec(first)?.[1]);
      // Ctrl+C goes to the program while its pane has focus.
      app.write("sleep 100\r");
      await app.waitFor(/sleep 100/);
      app.write("\x03");
      await app.waitFor((s) => /wrap\$/.test(s.split("wrap$ sleep 100")[1] ?? "")); // the next prompt
      app.write("exit 3\r");
      await app.waitFor(/bash exited with code 3/);
      expect(alive(pid1)).toBe(false);
      app.write("\x12"); // Ctrl+R
      await app.waitFor(/bash --norc --noprofile \(pid \d+\)/);
      app.write("echo again-$((2+3)); echo pid2-$$\r");
      const second = await app.waitFor(/^pid2-(\d+)$/m);
      expect(second).toMatch(/^again-5$/m);
      const pid2 = Number(/^pid2-(\d+)$/m.exec(second)?.[1]);
      expect(alive(pid2)).toBe(true);
      app.write("\x07"); // Ctrl+G: the keyboard to roleplay
      await app.waitFor(/keys go to roleplay/);
      app.write("\x03");
      await app.waitFor(/Press Ctrl\+C again to quit/);
      app.write("\x03");
      expect(await app.waitExit()).toBe(0);
      await until(() => !alive(pid2), 10_000, "the child gone");
    } finally {
      app.kill();
    }
  });

  it("without a model, a line typed in roleplay's input goes to the program; /quit ends both", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const app = await PtyDriver.start(["wrap", "--", "bash", "--norc", "--noprofile"], env, 90, 24);
    try {
      await app.waitFor(/keys go to bash/);
      app.write("\x07");
      await app.waitFor(/keys go to roleplay/);
      app.write("echo typed-$((6*7)); echo pid-$$\r");
      const screen = await app.waitFor(/^pid-(\d+)$/m);
      expect(screen).toMatch(/^typed-42$/m);
      const pid = Number(/^pid-(\d+)$/m.exec(screen)?.[1]);
      app.write("/quit\r");
      expect(await app.waitExit()).toBe(0);
      await until(() => !alive(pid), 10_000, "the child gone");
    } finally {
      app.kill();
    }
  });

  it("SIGTERM to roleplay takes the program with it", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const app = await PtyDriver.start(["wrap", "--", "bash", "--norc", "--noprofile"], env, 90, 24);
    try {
      await app.waitFor(/keys go to bash/);
      app.write("echo ids-$$-$PPID\r"); // bash's parent is roleplay
      const [, pid, roleplay] = /^ids-(\d+)-(\d+)$/m.exec(await app.waitFor(/^ids-\d+-\d+$/m)) ?? [];
      process.kill(Number(roleplay), "SIGTERM");
      expect(await app.waitExit()).toBe(143);
      await until(() => !alive(Number(pid)), 10_000, "the child gone");
    } finally {
      app.kill();
    }
  });

  it("a program that does not exist is a one-line error", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const app = await PtyDriver.start(["wrap", "--", "no-such-program-xyz"], env, 90, 24);
    try {
      const screen = await app.waitFor(/command not found: no-such-program-xyz/);
      expect(screen).toMatch(/hint:/);
      expect(await app.waitExit()).toBe(2);
    } finally {
      app.kill();
    }
  });
});
