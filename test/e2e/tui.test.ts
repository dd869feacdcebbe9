import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { PtyDriver } from "../helpers/pty-driver.js";

const tmp = tempDir("roleplay-tui-");
const model = join(tmp.dir, "tiny.gguf");
let env: NodeJS.ProcessEnv;
let ptyAvailable = true;

beforeAll(async () => {
  writeTinyGguf(model);
  env = cliEnv(join(tmp.dir, "home"));
  try {
    await import("node-pty");
  } catch {
    ptyAvailable = false;
  }
});
afterAll(() => tmp.cleanup());

describe("the TUI in a real pseudo-terminal", () => {
  it("type a message, see it stream, Esc mid-reply keeps it as interrupted, Ctrl+C twice exits 0", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const app = await PtyDriver.start(["-m", model, "--max-tokens", "100000", "--character", "meridian"], env);
    try {
      await app.waitFor(/Meridian │ tiny\.gguf │ ready/);
      await app.waitFor(/Meridian: Meridian online/);
      app.write("hello there");
      await app.waitFor(/› hello there/);
      app.write("\r");
      await app.waitFor(/User: hello there/);
      // The reply streams: the screen shows more and more of it while the state says thinking.
      const first = await app.waitFor(
        (s) => /thinking/.test(s) && /Meridian: \S{5,}/.test(s.split("User: hello there")[1] ?? ""),
      );
      const grown = await app.waitFor((s) => s.length > first.length + 20);
      expect(grown).toMatch(/thinking/);
      app.write("\x1b");
      const after = await app.waitFor(/\[interrupted\]/);
      expect(after).toMatch(/ready/);
      app.write("\x03");
      await app.waitFor(/Press Ctrl\+C again to quit/);
      app.write("\x03");
      expect(await app.waitExit()).toBe(0);
    } finally {
      app.kill();
    }
  });

  it("/help shows the commands and /quit exits 0", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const app = await PtyDriver.start(["-m", model, "--max-tokens", "8"], env);
    try {
      await app.waitFor(/│ ready/);
      app.write("/help\r");
      await app.waitFor(/\/clear\s+start a new conversation/);
      app.write("\x1b");
      await app.waitFor((s) => !/Esc to close/.test(s));
      app.write("/quit\r");
      expect(await app.waitExit()).toBe(0);
    } finally {
      app.kill();
    }
  });
});
