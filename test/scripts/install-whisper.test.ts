/** The whisper fast build's runner: a timed-out build stops with everything it started. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/env.js";
import { until } from "../helpers/fakes.js";

type RunResult = { ok: boolean; why: string };
type Run = (
  cmd: string,
  args: string[],
  options: { cwd: string },
  logFile: string,
  timeoutMs?: number,
) => Promise<RunResult>;

async function loadRun(): Promise<Run> {
  const url = new URL("../../scripts/install-whisper.mjs", import.meta.url).href;
  return ((await import(url)) as { run: Run }).run;
}

/** Running (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    if (existsSync("/proc/self/stat")) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir("roleplay-install-whisper-");
});
afterEach(() => t.cleanup());

describe.skipIf(process.platform === "win32")("install-whisper run()", () => {
  it("on the timeout, stops the whole build: the command and what it started", async () => {
    const run = await loadRun();
    const pidFile = join(t.dir, "grandchild.pid");
    // Like node-gyp starting make: the shell starts a long job and waits for it.
    const script = `sleep 60 & echo $! > "${pidFile}"; wait`;
    const res = await run("sh", ["-c", script], { cwd: t.dir }, join(t.dir, "build.log"), 500);
    expect(res.ok).toBe(false);
    expect(res.why).toMatch(/timed out/);
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    expect(pid).toBeGreaterThan(0);
    await until(() => !alive(pid), 10_000, "the grandchild to be stopped");
  });

  it("reports success and failure of a build that ends by itself", async () => {
    const run = await loadRun();
    const log = join(t.dir, "build.log");
    expect(await run("sh", ["-c", "echo built"], { cwd: t.dir }, log, 60_000)).toEqual({
      ok: true,
      why: "exit code 0",
    });
    expect(await run("sh", ["-c", "exit 3"], { cwd: t.dir }, log, 60_000)).toEqual({ ok: false, why: "exit code 3" });
    expect(readFileSync(log, "utf8")).toContain("built");
    expect((await run(join(t.dir, "missing-program"), [], { cwd: t.dir }, log, 60_000)).ok).toBe(false);
  });
});
