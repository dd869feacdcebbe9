import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSessionStore } from "../../src/sessions/store.js";
import { tempDir } from "../helpers/env.js";

const child = fileURLToPath(new URL("./fixtures/crash-child.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

let tmp: ReturnType<typeof tempDir>;
let proc: ChildProcess | undefined;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  proc = undefined;
  tmp.cleanup();
});

describe("crash safety", () => {
  it("a process killed with SIGKILL mid-run leaves every completed turn in the database", async () => {
    const path = join(tmp.dir, "sessions.db");
    const p = spawn(process.execPath, ["--import", "tsx", child, path], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc = p;
    let sessionId = "";
    let lastTurn = -1;
    let stderr = "";
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      p.on("error", reject);
      p.on("exit", (code, signal) => resolve({ code, signal }));
    });
    let buffered = "";
    p.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const [word, value] = line.split(" ");
        if (word === "session") sessionId = value ?? "";
        if (word === "turn") lastTurn = Number(value);
        // Kill it in the middle of a busy run, after a good number of turns.
        if (lastTurn >= 40 && p.exitCode === null && !p.killed) p.kill("SIGKILL");
      }
    });
    const { signal } = await exited;
    expect(stderr).toBe("");
    expect(signal).toBe("SIGKILL");
    expect(sessionId).not.toBe("");
    expect(lastTurn).toBeGreaterThanOrEqual(40);

    const db = new Database(path);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();

    const store = await openSessionStore(path);
    try {
      expect(store.persistent).toBe(true);
      const messages = store.messages(sessionId);
      // Every turn reported complete is there; at most the turn in flight is partly there.
      expect(messages.length).toBeGreaterThanOrEqual(2 * (lastTurn + 1));
      messages.forEach((m, i) => {
        const turn = Math.floor(i / 2);
        expect(m.seq).toBe(i);
        expect(m.role).toBe(i % 2 === 0 ? "user" : "assistant");
        expect(m.text.startsWith(i % 2 === 0 ? `question ${turn}` : `answer ${turn} `)).toBe(true);
      });
      expect(store.search("question").length).toBeGreaterThan(0);
      expect(store.lastSession("wren")?.id).toBe(sessionId);
      // And the conversation can go on where it was.
      store.appendMessage(sessionId, { role: "user", text: "back again" });
      expect(store.messages(sessionId).at(-1)?.seq).toBe(messages.length);
    } finally {
      store.close();
    }
  });
});
