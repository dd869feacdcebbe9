/**
 * The guided first run of `roleplay` (the TUI) with no model: the recommended LLM is served by a
 * local stand-in for the hub under its real hub path (ROLEPLAY_HF_ENDPOINT), as a tiny GGUF.
 * The test environment has no audio in or out, so the recommended set is the LLM alone.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recommendedSet } from "../../src/models/registry.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { startHubServer, type HubServer } from "../helpers/hub-server.js";
import { PtyDriver } from "../helpers/pty-driver.js";

const tmp = tempDir("roleplay-first-run-cli-");
const llmRef = recommendedSet().llm.ref; // hf:<user>/<repo>/<file>
const [, user = "", repo = "", ...rest] = /^hf:([^/]+)\/([^/]+)\/(.+)$/.exec(llmRef) ?? [];
const llmFile = rest.join("/");
let hub: HubServer;
let ptyAvailable = true;
let n = 0;

/** A fresh home (config, models folder) per test. */
function freshEnv(extra: Record<string, string> = {}): { env: NodeJS.ProcessEnv; home: string } {
  const home = join(tmp.dir, `home-${++n}`);
  return { env: cliEnv(home, { ROLEPLAY_HF_ENDPOINT: hub.url, ...extra }), home };
}

/** The GGUF the pull landed (node-llama-cpp names it after the repo and file). */
function pulledGguf(home: string): string | undefined {
  const dir = join(home, "data", "roleplay", "models");
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith(".gguf")) : undefined;
  return name ? join(dir, name) : undefined;
}

beforeAll(async () => {
  const gguf = join(tmp.dir, "tiny.gguf");
  writeTinyGguf(gguf);
  hub = await startHubServer([{ repo: `${user}/${repo}`, path: llmFile, data: readFileSync(gguf) }]);
  try {
    await import("node-pty");
  } catch {
    ptyAvailable = false;
  }
});
afterAll(async () => {
  await hub.close();
  tmp.cleanup();
});

describe("first run of the TUI with no model", () => {
  it("--yes downloads the recommended LLM with progress, saves it in the user config and starts the conversation", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const { env, home } = freshEnv();
    const app = await PtyDriver.start(["--yes", "--max-tokens", "4"], env);
    try {
      await app.waitFor(/No language model is set up yet/);
      await app.waitFor(/Saved in /);
      const screen = await app.waitFor(/│ ready/);
      expect(screen).toMatch(/Downloading Llama 3\.2 1B Instruct/);
      expect(screen).toMatch(/Q4_K_M\.gguf\s+\d+ kB\s+done/);
      app.write("/quit\r");
      expect(await app.waitExit()).toBe(0);
    } finally {
      app.kill();
    }
    const landed = pulledGguf(home);
    expect(landed).toBeDefined();
    const saved = readFileSync(join(home, "config", "roleplay", "config.yaml"), "utf8");
    expect(saved).toContain(`model: ${landed ?? "?"}`);
  });

  it("asks first; Enter accepts the download, and declining to save leaves the config alone", async (ctx) => {
    if (!ptyAvailable) ctx.skip();
    const { env, home } = freshEnv();
    const app = await PtyDriver.start(["--max-tokens", "4"], env);
    try {
      await app.waitFor(/Download them now\? \[Y\/n\]/);
      app.write("\r");
      await app.waitFor(/for the next runs\s*\?\s*\[Y\/n\]/);
      app.write("n\r");
      await app.waitFor(/│ ready/);
      app.write("/quit\r");
      expect(await app.waitExit()).toBe(0);
    } finally {
      app.kill();
    }
    expect(existsSync(join(home, "config", "roleplay", "config.yaml"))).toBe(false);
    expect(pulledGguf(home)).toBeDefined();
  });

  it("offline: says which files to place where, and exits 2", async () => {
    const { env, home } = freshEnv({ ROLEPLAY_HF_ENDPOINT: "http://127.0.0.1:9" });
    const r = await runCli(["--yes"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Could not reach 127\.0\.0\.1:9/);
    expect(r.stderr).toMatch(/Without a network connection, place these files/);
    expect(r.stderr).toContain(join(home, "data", "roleplay", "models", llmFile));
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("without a terminal to ask on and without --yes: the offer, how to accept it, exit 2", async () => {
    const { env } = freshEnv();
    const before = hub.requests.length;
    const r = await runCli([], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/roleplay --yes/);
    expect(r.stderr).toContain(`roleplay models pull ${llmRef}`);
    expect(hub.requests.length).toBe(before); // nothing downloaded
  });
});
