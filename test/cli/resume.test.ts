import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationForRun } from "../../src/cli/conversation.js";
import { createRuntime, type Runtime } from "../../src/cli/runtime.js";
import { loadConfig } from "../../src/config/load.js";
import type { ResolvedConfig } from "../../src/config/schema.js";
import type { ChatMessage } from "../../src/llm/engine.js";
import { LlamaChat } from "../../src/llm/llama.js";
import { openSessionStore } from "../../src/sessions/index.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { PtyDriver } from "../helpers/pty-driver.js";

/** Resuming a stored conversation: the model receives the restored history, and the TUI shows it. */

const tmp = tempDir("roleplay-resume-");
const model = join(tmp.dir, "tiny.gguf");
const home = join(tmp.dir, "home");
let env: NodeJS.ProcessEnv;
let config: ResolvedConfig;

beforeAll(async () => {
  writeTinyGguf(model, { contextLength: 4096 }); // room for the characters' prompts (a byte per token)
  env = cliEnv(home);
  const loaded = await loadConfig({
    cwd: home,
    env,
    userConfigPath: false,
    flags: { model, llm: { maxTokens: 4, threads: 1, contextSize: 4096 } },
  });
  config = loaded.config;
});
afterAll(() => tmp.cleanup());

/** What the model has in its context, as text (chat template included). */
function contextOf(runtime: Runtime): string {
  if (!(runtime.engine instanceof LlamaChat)) throw new Error("expected the in-process LLM");
  return runtime.engine.contextText();
}

/** A runtime on the tiny model (a byte per token: the context is sized for the character's prompt). */
async function withRuntime<T>(options: Parameters<typeof createRuntime>[1], body: (rt: Runtime) => Promise<T>) {
  const runtime = await createRuntime(config, { gpu: false, ...options });
  const errors: string[] = [];
  runtime.session.on((e) => void (e.type === "error" && errors.push(e.message)));
  try {
    const result = await body(runtime);
    expect(errors).toEqual([]);
    return result;
  } finally {
    await runtime.dispose();
  }
}

describe("the restored history is in the prompt the model receives", () => {
  const history: ChatMessage[] = [
    { role: "assistant", text: "Welcome back to the fire." },
    { role: "user", text: "My cat is called Pumpernickel." },
    { role: "assistant", text: "A fine name for a cat." },
  ];

  it("createRuntime(config, { history }): the earlier turns precede the new message in the context", async () => {
    const text = await withRuntime({ history }, async (rt) => {
      await rt.session.send("What is my cat called?");
      return contextOf(rt);
    });
    const earlier = text.indexOf("My cat is called Pumpernickel.");
    expect(earlier).toBeGreaterThanOrEqual(0);
    expect(text).toContain("A fine name for a cat.");
    expect(text.indexOf("What is my cat called?")).toBeGreaterThan(earlier);
    // The character's system prompt is still first.
    expect(text.indexOf("You are Wren")).toBeLessThan(earlier);
  });

  it("without history the model starts from the greeting only", async () => {
    const text = await withRuntime({}, async (rt) => {
      await rt.session.send("What is my cat called?");
      return contextOf(rt);
    });
    expect(text).not.toContain("Pumpernickel");
    expect(text).toContain("Pull up a chair");
  });

  it("--resume, as a run does it: stored session → conversation → runtime → the model sees it", async () => {
    const store = await openSessionStore(config.sessions.database);
    const session = store.createSession({ character: "wren", model: "tiny.gguf" });
    for (const m of history) store.appendMessage(session.id, m);
    store.close();

    const conversation = await conversationForRun(config, { resume: true });
    try {
      expect(conversation.sessionId).toBe(session.id);
      const text = await withRuntime(conversation.runtimeOptions(), async (rt) => {
        await rt.session.send("Remind me of my cat's name.");
        return contextOf(rt);
      });
      expect(text).toContain("My cat is called Pumpernickel.");
      const stored = conversation.store.messages(session.id);
      expect(stored.map((m) => m.role)).toEqual(["assistant", "user", "assistant", "user", "assistant"]);
      expect(stored[3]!.text).toBe("Remind me of my cat's name.");
    } finally {
      conversation.close();
    }
  });
});

describe("the TUI resumes where the user was", () => {
  let ptyAvailable = true;
  beforeAll(async () => {
    try {
      await import("node-pty");
    } catch {
      ptyAvailable = false;
    }
  });

  const count = (s: string, needle: string): number => s.split(needle).length - 1;
  /** Esc, then wait until the panel is gone (an Esc followed at once by "/" would read as Alt+/). */
  const closePanel = async (app: PtyDriver): Promise<void> => {
    app.write("\x1b");
    await app.waitFor((s) => !s.includes("Esc to close"));
  };

  it("--resume shows the restored messages; /sessions /search /save /reset /load work", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const tuiHome = join(tmp.dir, "tui-home");
    const tuiEnv = cliEnv(tuiHome);
    const first = await runCli(["-m", model, "-p", "The quince orchard is haunted", "--max-tokens", "6"], {
      env: tuiEnv,
    });
    expect(first.code).toBe(0);

    const app = await PtyDriver.start(["-m", model, "--resume", "--max-tokens", "6"], tuiEnv, 110, 40);
    try {
      const screen = await app.waitFor(/User: The quince orchard is haunted/);
      const id = /Continuing session (\w{8})/.exec(screen)?.[1];
      expect(id).toBeDefined();
      expect(screen).toMatch(/Wren: Ah, there you are/);
      await app.waitFor(/│ ready/);

      app.write("/sessions\r");
      await app.waitFor(new RegExp(`Sessions with Wren[\\s\\S]*${id}\\s+wren\\s+3`));
      await closePanel(app);
      app.write("/search quince\r");
      await app.waitFor(new RegExp(`Search: quince[\\s\\S]*${id} .*\\[quince\\]`));
      await closePanel(app);
      app.write("/save Haunted orchard\r");
      await app.waitFor(new RegExp(`saved: session ${id} “Haunted orchard”`));

      app.write("/reset\r");
      await app.waitFor((s) => count(s, "Wren: Ah, there you are") >= 2);
      app.write("A brand new tale\r");
      await app.waitFor(/User: A brand new tale/);
      await app.waitFor((s) => /│ ready/.test(s.split("User: A brand new tale")[1] ?? ""));

      app.write(`/load ${id}\r`);
      await app.waitFor((s) => count(s, "User: The quince orchard is haunted") >= 2);
      app.write("\x03");
      await app.waitFor(/Press Ctrl\+C again to quit/);
      app.write("\x03");
      expect(await app.waitExit()).toBe(0);
    } finally {
      app.kill();
    }
    const list = await runCli(["sessions", "list"], { env: tuiEnv });
    expect(list.stdout).toMatch(/Haunted orchard/);
    expect(list.stdout).toMatch(/A brand new tale/);
  });
});
