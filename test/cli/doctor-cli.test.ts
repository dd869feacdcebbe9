/** `roleplay doctor` and `roleplay devices` through the built CLI. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../src/doctor/index.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { seededRandom, writeTinyGguf } from "../helpers/gguf.js";

const tmp = tempDir("roleplay-doctor-cli-");
const emptyBin = join(tmp.dir, "empty-bin");
const good = join(tmp.dir, "good.gguf");
const corrupt = join(tmp.dir, "corrupt.gguf");

beforeAll(() => {
  mkdirSync(emptyBin);
  writeTinyGguf(good);
  // GGUF magic and version, then noise: the header cannot be read.
  const rand = seededRandom(5);
  const noise = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256)));
  writeFileSync(corrupt, Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), noise]));
});
afterAll(() => tmp.cleanup());

let n = 0;
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => cliEnv(join(tmp.dir, `home-${++n}`), extra);

async function doctorJson(e: NodeJS.ProcessEnv): Promise<{ code: number | null; report: DoctorReport }> {
  const r = await runCli(["doctor", "--json"], { env: e });
  return { code: r.code, report: JSON.parse(r.stdout) as DoctorReport };
}

const check = (report: DoctorReport, name: string) => report.checks.find((c) => c.name === name);

describe("roleplay doctor", () => {
  it("reports a missing recorder program with a fix, and exits 1", async () => {
    // The mic is the configured input; no sox or arecord on PATH.
    const e = env({ PATH: emptyBin, ROLEPLAY_AUDIO_INPUT: "mic", ROLEPLAY_MODEL: good });
    const r = await runCli(["doctor"], { env: e });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ Recorder program\s+sox or arecord not found on PATH/);
    expect(r.stdout).toMatch(/fix: Install sox/);
    expect(r.stdout).toMatch(/problems? to fix/);
    const { report } = await doctorJson(e);
    expect(check(report, "Recorder program")).toMatchObject({ status: "fail", fix: expect.stringContaining("sox") });
  });

  it("reports a corrupt configured model file, and passes an intact one", async () => {
    const bad = await doctorJson(env({ ROLEPLAY_MODEL: corrupt }));
    expect(bad.code).toBe(1);
    const llm = check(bad.report, "Language model");
    expect(llm?.status).toBe("fail");
    expect(llm?.detail).toMatch(/corrupt|truncated/i);
    expect(llm?.fix).toBeTruthy();

    const ok = await doctorJson(env({ ROLEPLAY_MODEL: good }));
    expect(check(ok.report, "Language model")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("good.gguf"),
    });
    for (const name of ["Config", "espeak-ng", "Whisper build", "Threads", "Free memory"])
      expect(check(ok.report, name)).toBeDefined();
  });

  it("a broken config file is a failed check; the other checks still run", async () => {
    const e = env({ ROLEPLAY_MODEL: good });
    const dir = join(e.XDG_CONFIG_HOME ?? "", "roleplay");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.yaml"), "llm:\n  temperature: hot\n");
    const { code, report } = await doctorJson(e);
    expect(code).toBe(1);
    expect(check(report, "Config")).toMatchObject({ status: "fail", detail: expect.stringMatching(/temperature/) });
    expect(check(report, "espeak-ng")).toBeDefined();
  });
});

describe("roleplay devices", () => {
  it("lists input and output devices (or says why there are none) and exits 0", async () => {
    const e = env();
    const r = await runCli(["devices"], { env: e });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Input devices/m);
    expect(r.stdout).toMatch(/^Output devices/m);
    const json = await runCli(["devices", "--json"], { env: e });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      inputs: expect.any(Array),
      outputs: expect.any(Array),
      notes: expect.any(Array),
    });
  });

  it("without alsa-utils on PATH: notes, not a crash", async () => {
    const r = await runCli(["devices"], { env: env({ PATH: emptyBin }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/note: arecord not found/);
  });
});
