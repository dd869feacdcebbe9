import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, type CliResult } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

/** `roleplay characters ...`, `roleplay sessions ...` and stored conversations, through the built CLI. */

const tmp = tempDir("roleplay-chars-sessions-");
const model = join(tmp.dir, "tiny.gguf");
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  writeTinyGguf(model, { contextLength: 4096 }); // room for the characters' prompts (a byte per token)
  env = cliEnv(join(tmp.dir, "home"));
});
afterAll(() => tmp.cleanup());

const run = (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> =>
  runCli(args, { env: { ...env, ...extraEnv } });
const chat = (prompt: string, ...args: string[]): Promise<CliResult> =>
  run(["-m", model, "-p", prompt, "--max-tokens", "6", ...args]);
const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

interface Listed {
  id: string;
  character: string;
  messages: number;
  title: string;
}

/** Rows of `sessions list` (most recent first). */
async function listSessions(...args: string[]): Promise<Listed[]> {
  const r = await run(["sessions", "list", ...args]);
  expect(r.code).toBe(0);
  if (/No saved sessions/.test(r.stdout)) return [];
  return r.stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [id, character, messages, _date, _time, ...title] = line.split(/\s+/);
      return { id: id!, character: character!, messages: Number(messages), title: title.join(" ") };
    });
}

interface Exported {
  session: { id: string; character: string; model: string; title: string };
  messages: { role: string; text: string; interrupted: boolean; timings?: Record<string, number> }[];
}

async function exportJson(id: string): Promise<Exported> {
  const r = await run(["sessions", "export", id, "--format", "json"]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Exported;
}

function captainCard(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    spec: "chara_card_v2",
    spec_version: "2.0",
    data: {
      name: "Captain Mira",
      description: "{{char}} commands the airship Kestrel.",
      personality: "bold",
      scenario: "A storm over the coast.",
      first_mes: "Welcome aboard, {{user}}! I'm {{char}}.",
      mes_example: "",
      creator_notes: "",
      system_prompt: "",
      post_history_instructions: "",
      alternate_greetings: [],
      tags: [],
      creator: "tester",
      character_version: "1",
      extensions: {},
      ...overrides,
    },
  });
}

describe("roleplay characters", () => {
  it("list shows the shipped characters", async () => {
    const r = await run(["characters", "list"]);
    expect(r.code).toBe(0);
    for (const name of ["Wren", "Meridian", "Lucía"]) expect(r.stdout).toContain(name);
  });

  it("show prints the greeting and the system prompt", async () => {
    const r = await run(["characters", "show", "meridian"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Greeting:\n.*Meridian online/);
    expect(r.stdout).toContain("System prompt:");
  });

  it("validate: a bad card exits 2 naming the field; a good one says OK", async () => {
    const bad = join(tmp.dir, "bad-card.json");
    writeFileSync(bad, captainCard({ first_mes: 42 }));
    const r = await run(["characters", "validate", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/data\.first_mes/);
    expect(r.stderr).toMatch(/hint:/);
    expect(r.stdout).toBe("");
    noStack(r.stderr);
    const good = join(tmp.dir, "good-card.json");
    writeFileSync(good, captainCard());
    const ok = await run(["characters", "validate", good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK: Captain Mira/);
  });

  it("a subcommand's usage error exits 2", async () => {
    const r = await run(["characters", "frobnicate"]);
    expect(r.code).toBe(2);
    const f = await run(["sessions", "export", "abc", "--format", "xml"]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/md, json/);
  });

  it("import a V2 card, then --character NAME talks to it and the session is stored under it", async () => {
    const file = join(tmp.dir, "captain.json");
    writeFileSync(file, captainCard());
    const r = await run(["characters", "import", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Imported Captain Mira as "captain-mira"/);
    expect((await run(["characters", "list"])).stdout).toContain("Captain Mira");
    const again = await run(["characters", "import", file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--force/);
    expect((await run(["characters", "import", file, "--force"])).code).toBe(0);

    const talk = await chat("Where are we headed?", "--character", "Captain Mira", "--json");
    expect(talk.code).toBe(0);
    const readyLine = talk.stdout.split("\n").find((l) => l.startsWith('{"type":"ready"'));
    const ready = JSON.parse(readyLine ?? "{}") as { type: string; character: string };
    expect(ready).toMatchObject({ type: "ready", character: "Captain Mira" });
    const [stored] = await listSessions("--character", "Captain Mira");
    expect(stored).toMatchObject({ character: "captain-mira", messages: 3 });
    const doc = await exportJson(stored!.id);
    expect(doc.messages[0]).toMatchObject({ role: "assistant", text: "Welcome aboard, User! I'm Captain Mira." });
  });
});

describe("stored conversations", () => {
  let id = "";

  it("a conversation via -p is stored: greeting, the message, the reply with timings", async () => {
    const r = await chat("The marmalade smugglers sail at dawn");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const sessions = await listSessions("--character", "wren");
    expect(sessions).toHaveLength(1);
    id = sessions[0]!.id;
    expect(sessions[0]).toMatchObject({
      character: "wren",
      messages: 3,
      title: "The marmalade smugglers sail at dawn",
    });
    const doc = await exportJson(id);
    expect(doc.session).toMatchObject({ id, character: "wren", model: "tiny.gguf" });
    expect(doc.messages.map((m) => m.role)).toEqual(["assistant", "user", "assistant"]);
    expect(doc.messages[0]!.text).toMatch(/^Ah, there you are/);
    expect(doc.messages[1]!.text).toBe("The marmalade smugglers sail at dawn");
    expect(doc.messages[2]!.timings?.tokens).toBeGreaterThan(0);
  });

  it("sessions show, export --format md and search find it", async () => {
    const show = await run(["sessions", "show", id.slice(0, 4)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`· ${id} · Wren · tiny.gguf`);
    expect(show.stdout).toMatch(/\] User: The marmalade smugglers sail at dawn/);
    const md = await run(["sessions", "export", id, "--format", "md"]);
    expect(md.stdout).toMatch(/^# The marmalade smugglers/);
    expect(md.stdout).toContain("**User:** The marmalade smugglers sail at dawn");
    expect(md.stdout).toContain("**Wren:** Ah, there you are");
    const hits = await run(["sessions", "search", "marmalade", "dawn"]);
    expect(hits.code).toBe(0);
    expect(hits.stdout).toMatch(
      new RegExp(`^${id}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+wren\\s+user: .*\\[marmalade\\]`, "m"),
    );
    const none = await run(["sessions", "search", "zeppelin"]);
    expect(none.stdout).toMatch(/No messages match "zeppelin"/);
  });

  it("--resume -p continues the last session; --session ID (a prefix) continues a given one", async () => {
    const r = await chat("What about the lighthouse keeper?", "--resume");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    let doc = await exportJson(id);
    expect(doc.messages).toHaveLength(5);
    expect(doc.messages[3]).toMatchObject({ role: "user", text: "What about the lighthouse keeper?" });
    expect(await listSessions()).toHaveLength(2); // this one and Captain Mira's: nothing new
    await chat("And the parrot?", "--session", id.slice(0, 5));
    doc = await exportJson(id);
    expect(doc.messages.map((m) => m.text)).toContain("And the parrot?");
  });

  it("--session with an unknown id exits 2 with a hint; --resume with nothing stored says so and starts anew", async () => {
    const missing = await chat("hello", "--session", "nosuch");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No session "nosuch"/);
    expect(missing.stderr).toMatch(/hint: .*sessions list/);
    expect(missing.stdout).toBe("");
    noStack(missing.stderr);
    const fresh = await chat("hello computer", "--resume", "--character", "meridian");
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(/no earlier conversation with Meridian to resume/);
    expect(await listSessions("--character", "meridian")).toHaveLength(1);
  });

  it("with sessions.enabled false nothing is stored", async () => {
    const before = (await listSessions()).length;
    const r = await run(["-m", model, "-p", "an ephemeral remark", "--max-tokens", "4"], {
      ROLEPLAY_SESSIONS_ENABLED: "false",
    });
    expect(r.code).toBe(0);
    expect((await listSessions()).length).toBe(before);
    expect((await run(["sessions", "search", "ephemeral"])).stdout).toMatch(/No messages match/);
  });

  it("sessions rm deletes it; show then exits 2", async () => {
    const r = await run(["sessions", "rm", id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Deleted session ${id} \\(wren, \\d+ messages\\)`));
    const show = await run(["sessions", "show", id]);
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(/No session/);
  });
});

describe("crash safety and interruption, end to end", () => {
  /** Start a long reply and send `signal` once the first words are out. */
  function talkAndKill(prompt: string, signal: NodeJS.Signals): Promise<CliResult> {
    return runCli(["-m", model, "-p", prompt, "--max-tokens", "100000", "--json", "--character", "lucia"], {
      env,
      onSpawn: (child) => {
        let sent = false;
        child.stdout!.on("data", (d: Buffer) => {
          if (!sent && d.toString().includes('"delta"')) {
            sent = true;
            child.kill(signal);
          }
        });
      },
    });
  }

  it("SIGKILL mid-reply: the database opens and holds the user message; --resume goes on", async () => {
    const r = await talkAndKill("Tell me a very long story about quinces", "SIGKILL");
    expect(r.signal).toBe("SIGKILL");
    const [session] = await listSessions("--character", "lucia");
    expect(session).toBeDefined();
    const show = await run(["sessions", "show", session!.id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/\] User: Tell me a very long story about quinces$/m);
    const doc = await exportJson(session!.id);
    expect(doc.messages.at(-1)).toMatchObject({ role: "user" });
    const resumed = await chat("Shorter, please", "--resume", "--character", "lucia");
    expect(resumed.code).toBe(0);
    expect((await exportJson(session!.id)).messages.at(-2)).toMatchObject({ role: "user", text: "Shorter, please" });
  });

  it("SIGINT mid-reply: the partial reply is stored, marked interrupted", async () => {
    const r = await talkAndKill("Describe every street of Valencia", "SIGINT");
    expect(r.code).toBe(130);
    const [session] = await listSessions("--character", "lucia");
    const doc = await exportJson(session!.id);
    expect(doc.messages.at(-2)).toMatchObject({ role: "user", text: "Describe every street of Valencia" });
    expect(doc.messages.at(-1)).toMatchObject({ role: "assistant", interrupted: true });
  });
});
