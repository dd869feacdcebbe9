import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../helpers/cli.js";
import { TIER2_SKIP_REASON, tempDir, testModel } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

const tmp = tempDir("roleplay-cli-");
const model = join(tmp.dir, "tiny.gguf");
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  writeTinyGguf(model);
  env = cliEnv(join(tmp.dir, "home"));
});
afterAll(() => tmp.cleanup());

const noStack = (s: string) => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe("headless -p", () => {
  it("streams the reply to stdout and exits 0", async () => {
    const r = await runCli(["-m", model, "-p", "Hello there", "--max-tokens", "16"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
  });

  it("reads the prompt from stdin with -p -", async () => {
    const r = await runCli(["-m", model, "-p", "-", "--max-tokens", "8", "--json"], { env, input: "from stdin\n" });
    expect(r.code).toBe(0);
    const user = r.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; text?: string })
      .find((e) => e.type === "user");
    expect(user?.text).toBe("from stdin");
  });

  it("--json prints typed NDJSON events: delta, reply, turn", async () => {
    const r = await runCli(["-m", model, "-p", "Hi", "--max-tokens", "12", "--json"], { env });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    const types = new Set(events.map((e) => e.type));
    for (const t of ["ready", "delta", "reply", "turn"]) expect(types).toContain(t);
    const reply = events.find((e) => e.type === "reply")!;
    const deltas = events
      .filter((e) => e.type === "delta")
      .map((e) => e.text)
      .join("");
    expect(reply.text).toBe(deltas);
    expect(reply.interrupted).toBe(false);
    const turn = events.find((e) => e.type === "turn") as unknown as { timings: { totalMs: number; tokens: number } };
    expect(turn.timings.tokens).toBeGreaterThan(0);
  });

  it("SIGINT mid-reply stops generation, flushes output and exits 130; SIGTERM exits 143", async () => {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const r = await runCli(["-m", model, "-p", "Tell me everything", "--max-tokens", "100000", "--json"], {
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
      expect(r.code).toBe(code);
      const events = r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { type: string; interrupted?: boolean });
      expect(events.find((e) => e.type === "reply")).toMatchObject({ interrupted: true });
    }
  });
});

describe("errors a user meets: one line, a hint, exit 2, no stack", () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ["missing model path", () => ["-m", join(tmp.dir, "nope.gguf"), "-p", "x"], /not found|does not exist|no such/i],
    [
      "not a GGUF file",
      () => {
        const f = join(tmp.dir, "text.gguf");
        writeFileSync(f, "this is not a model at all, just some text ".repeat(50));
        return ["-m", f, "-p", "x"];
      },
      /not a (GGUF|model)/i,
    ],
    [
      "truncated file",
      () => {
        const f = join(tmp.dir, "cut.gguf");
        writeTinyGguf(f, { truncateTo: 200_000 });
        return ["-m", f, "-p", "x"];
      },
      /truncated|incomplete/i,
    ],
    [
      "unsupported architecture",
      () => {
        const f = join(tmp.dir, "arch.gguf");
        writeTinyGguf(f, { architecture: "frobnicator" });
        return ["-m", f, "-p", "x"];
      },
      /architecture/i,
    ],
    ["no model configured", () => ["-p", "x"], /no LLM model/i],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await runCli(args(), { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/hint:/);
      noStack(r.stderr);
      expect(r.stdout).toBe("");
    });
  }

  it("an unreadable config names the file and the key", async () => {
    const dir = join(tmp.dir, "proj");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, ".roleplayrc.yaml"), "llm:\n  temperature: hot\n");
    const r = await runCli(["-m", model, "-p", "x"], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.roleplayrc\.yaml/);
    expect(r.stderr).toMatch(/llm\.temperature/);
    noStack(r.stderr);
  });
});

const stories = testModel("stories260K.gguf");
describe.skipIf(!stories)(`tier 2 (${TIER2_SKIP_REASON})`, () => {
  it('-p "Once upon a time" returns English words', async () => {
    const r = await runCli(["-m", stories!, "-p", "Once upon a time", "--max-tokens", "60", "--temperature", "0"], {
      env,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\b(the|a|and|was|she|he|little|day)\b/i);
  });
});
