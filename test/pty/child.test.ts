import { execFile } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { PtyChild, type PtyExit } from "../../src/pty/child.js";
import { PtySpawnError } from "../../src/pty/errors.js";
import { killAllChildrenSync, sessionMembers } from "../../src/pty/reaper.js";
import { tempDir } from "../helpers/env.js";
import { alive, waitFor } from "./wait.js";

const children: PtyChild[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.dispose()));
  for (const c of cleanups.splice(0)) c();
});

function child(command: string, args: string[] = [], extra: { killGraceMs?: number } = {}) {
  const c = new PtyChild({ command, args, cols: 80, rows: 24, ...extra });
  children.push(c);
  let output = "";
  const exits: PtyExit[] = [];
  c.onData((d) => (output += d));
  c.onExit((_code, _signal, exit) => exits.push(exit));
  return { c, out: () => output, exits };
}

describe("PtyChild", () => {
  it("types into cat and presses Enter: cat echoes the line", async () => {
    const { c, out } = child("cat");
    await c.start();
    expect(c.running).toBe(true);
    expect(c.type("hello world")).toBe(true);
    expect(c.pressEnter()).toBe(true);
    // The terminal echoes what was typed, then cat prints its copy.
    await waitFor(() => out().split("hello world").length - 1 >= 2, "cat to echo the line");
    const pid = c.pid as number;
    await c.dispose();
    expect(c.running).toBe(false);
    expect(alive(pid)).toBe(false);
  });

  it("runs a command in bash --norc --noprofile, resizes, and ends it on dispose", async () => {
    const { c, out, exits } = child("bash", ["--norc", "--noprofile"]);
    await c.start();
    c.type("echo $((6 * 7))");
    c.pressEnter();
    await waitFor(() => out().includes("42"), "bash to print 42");
    c.resize(100, 30);
    c.type("stty size");
    c.pressEnter();
    await waitFor(() => out().includes("30 100"), "stty to report the new size");
    const pid = c.pid as number;
    await c.dispose();
    expect(alive(pid)).toBe(false);
    expect(exits).toHaveLength(1);
    expect(exits[0]?.requested).toBe(true);
  });

  it("presses keys with the sequences a terminal sends", async () => {
    const { c, out } = child("cat", ["-vT"]);
    await c.start();
    c.sendKey("up");
    c.sendKey("tab");
    c.sendKey("y");
    c.pressEnter();
    await waitFor(() => out().includes("^[[A^Iy"), "cat -vT to show the keys");
  });

  it("reports the exit code as an event, then restarts", async () => {
    const { c, exits } = child("bash", ["-c", "exit 3"]);
    await c.start();
    await waitFor(() => exits.length === 1, "the exit event");
    expect(exits[0]).toEqual({ code: 3, signal: undefined, requested: false });
    expect(c.running).toBe(false);
    expect(c.lastExit?.code).toBe(3);
    expect(c.write("ignored")).toBe(false);
    await c.restart();
    await waitFor(() => exits.length === 2, "the second exit event");
    expect(exits[1]?.code).toBe(3);
  });

  it("restart replaces a running child", async () => {
    const { c, out, exits } = child("cat");
    await c.start();
    const first = c.pid as number;
    await c.restart();
    expect(exits).toHaveLength(1);
    expect(exits[0]?.requested).toBe(true);
    expect(alive(first)).toBe(false);
    expect(c.running).toBe(true);
    c.type("again");
    c.pressEnter();
    await waitFor(() => out().includes("again"), "the new cat to echo");
  });

  it("dispose ends a child that ignores SIGTERM", async () => {
    const { c, out } = child("bash", ["-c", 'trap "" TERM; echo ready; sleep 100'], { killGraceMs: 300 });
    await c.start();
    await waitFor(() => out().includes("ready"), "the trap to be set");
    const pid = c.pid as number;
    await c.dispose();
    expect(alive(pid)).toBe(false);
    expect(sessionMembers(pid)).toEqual([]);
  });

  it("dispose SIGKILLs a child that ignores SIGTERM and SIGHUP, with its jobs", async () => {
    const script = 'trap "" TERM HUP; sleep 100 & echo "job $!"; wait';
    const { c, out, exits } = child("bash", ["-c", script], { killGraceMs: 300 });
    await c.start();
    await waitFor(() => /job \d+/.test(out()), "the job to start");
    const pid = c.pid as number;
    const job = Number(/job (\d+)/.exec(out())?.[1]);
    expect(alive(job)).toBe(true);
    await c.dispose();
    expect(exits[0]).toMatchObject({ signal: "SIGKILL", requested: true });
    expect(alive(pid)).toBe(false);
    await waitFor(() => !alive(job), "the job to be gone");
    expect(sessionMembers(pid)).toEqual([]);
  });

  it("killAllChildrenSync kills live children at once", async () => {
    const { c, exits } = child("bash", ["-c", 'trap "" TERM HUP; sleep 100']);
    await c.start();
    killAllChildrenSync();
    await waitFor(() => exits.length === 1, "the exit event");
    expect(exits[0]?.signal).toBe("SIGKILL");
    expect(c.running).toBe(false);
  });

  it("no child outlives the Node process that started it", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/orphan.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", fixture], { timeout: 60_000 });
    const [pid, job] = stdout.trim().split(" ").map(Number) as [number, number];
    expect(pid).toBeGreaterThan(1);
    await waitFor(() => !alive(pid) && !alive(job), "the orphaned child and its job to be gone");
  });

  it("a command that does not exist is a clear error, not a crash", async () => {
    for (const command of ["/nonexistent", "roleplay-no-such-command-xyz"]) {
      const { c, exits } = child(command);
      const err = await c.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PtySpawnError);
      expect((err as PtySpawnError).code).toBe("PTY_COMMAND_NOT_FOUND");
      expect((err as PtySpawnError).message).toContain(command);
      expect((err as PtySpawnError).hint).toBeTruthy();
      expect(c.running).toBe(false);
      expect(exits).toEqual([]);
    }
  });

  it("a file that is not executable, and a missing working directory, are clear errors", async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const file = join(tmp.dir, "script.sh");
    writeFileSync(file, "#!/bin/sh\necho hi\n");
    chmodSync(file, 0o644);
    await expect(child(file).c.start()).rejects.toMatchObject({ code: "PTY_COMMAND_NOT_EXECUTABLE" });
    const c = new PtyChild({ command: "cat", cwd: join(tmp.dir, "missing") });
    children.push(c);
    await expect(c.start()).rejects.toMatchObject({ code: "PTY_BAD_CWD" });
  });

  it("a listener that throws does not take roleplay down", async () => {
    const { c, out } = child("cat");
    c.onData(() => {
      throw new Error("listener bug");
    });
    await c.start();
    c.type("still fine");
    c.pressEnter();
    await waitFor(() => out().includes("still fine"), "output despite the throwing listener");
  });
});
