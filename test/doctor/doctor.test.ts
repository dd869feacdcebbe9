/** `roleplay doctor` with a fake PATH, fake audio tools and fixture models. */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ModelFileError } from "../../src/core/errors.js";
import { formatDoctorReport, runDoctor, type DoctorDeps, type DoctorReport } from "../../src/doctor/index.js";
import { parseAlsaList } from "../../src/doctor/system.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { fakeWhisper } from "../models/fixtures.js";

let t: { dir: string; cleanup: () => void };
let bin: string;
let models: string;

const CARD = "card 0: PCH [HDA Intel PCH], device 0: ALC257 Analog [ALC257 Analog]";

function program(name: string, script = "exit 0"): void {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

beforeEach(() => {
  t = tempDir("roleplay-doctor-");
  bin = join(t.dir, "bin");
  models = join(t.dir, "models");
  mkdirSync(bin);
  mkdirSync(models);
  writeTinyGguf(join(models, "chat.gguf"));
  writeFileSync(join(models, "ggml-base.en.bin"), fakeWhisper(2048));
  vi.stubEnv("ROLEPLAY_ESPEAK", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
  t.cleanup();
});

function deps(over: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    config: { model: "chat.gguf", asr: { model: "whisper:base.en" }, tts: { engine: "espeak" } },
    modelsDir: models,
    path: bin,
    whisperBuild: () => ({ kind: "native" }),
    cpuFlags: () => ["avx2", "fma"],
    cores: 4,
    freeMemory: 8e9,
    validateConfig: () => ({ ok: true }),
    ...over,
  };
}

const byName = (r: DoctorReport, name: string) => r.checks.find((c) => c.name === name);

function expectEveryFailureHasAFix(r: DoctorReport): void {
  for (const c of r.checks.filter((c) => c.status === "fail")) expect(c.fix, c.name).toBeTruthy();
}

describe("runDoctor", () => {
  it("passes on a machine that has everything", async () => {
    for (const p of ["sox", "espeak-ng"]) program(p);
    program("arecord", `echo "${CARD}"`);
    program("aplay", `echo "${CARD}"`);
    const r = await runDoctor(deps());
    expect(r.checks.filter((c) => c.status !== "ok")).toEqual([]);
    expect(r.ok).toBe(true);
    expect(byName(r, "Input audio device")?.detail).toContain("hw:0,0");
    expect(formatDoctorReport(r)).toMatch(/All \d+ checks passed/);
  });

  it("reports a missing recorder with a fix (PATH without sox or arecord)", async () => {
    program("espeak-ng");
    const r = await runDoctor(deps());
    const rec = byName(r, "Recorder program");
    expect(rec?.status).toBe("fail");
    expect(rec?.detail).toMatch(/sox or arecord not found/);
    expect(rec?.fix).toMatch(/apt install sox/);
    expect(byName(r, "Input audio device")?.status).toBe("warn");
    expect(r.ok).toBe(false);
    expectEveryFailureHasAFix(r);
    const text = formatDoctorReport(r);
    expect(text).toMatch(/✗ Recorder program/);
    expect(text).toMatch(/fix: Install sox/);
  });

  it("reports a corrupt model file with a fix", async () => {
    program("sox");
    program("espeak-ng");
    writeFileSync(join(models, "chat.gguf"), Buffer.alloc(4096, 0x41));
    const r = await runDoctor(deps());
    const llm = byName(r, "Language model");
    expect(llm?.status).toBe("fail");
    expect(llm?.detail).toMatch(/not a GGUF model/);
    expect(llm?.fix).toMatch(/download it again/);
    expectEveryFailureHasAFix(r);
  });

  it("uses the injected model checkers and their hints", async () => {
    program("sox");
    program("espeak-ng");
    const checkWhisper = (): void => {
      throw new ModelFileError("WHISPER_NO_TENSORS", "the whisper model has no tensor data", {
        hint: "Pull whisper:base.en again",
      });
    };
    const seen: string[] = [];
    const r = await runDoctor(deps({ checkWhisper, checkLlm: (p) => void seen.push(p) }));
    expect(seen).toEqual([join(models, "chat.gguf")]);
    expect(byName(r, "Whisper model")).toMatchObject({
      status: "fail",
      detail: "the whisper model has no tensor data",
      fix: "Pull whisper:base.en again",
    });
  });

  it("reports missing and unconfigured models, espeak-ng, threads, memory and config problems", async () => {
    const r = await runDoctor(
      deps({
        config: {
          model: "whisper:nope",
          llm: { threads: 64 },
          audio: { input: "in.wav", output: "none" },
          tts: { engine: "espeak" },
        },
        cores: 2,
        freeMemory: 100e6,
        whisperBuild: () => ({ kind: "portable" }),
        validateConfig: () => ({ ok: false, message: 'config.yaml: llm.temperature: expected a number, found "hot"' }),
      }),
    );
    expect(byName(r, "Recorder program")).toMatchObject({ status: "ok", detail: "not needed (input: in.wav)" });
    expect(byName(r, "Output audio device")?.status).toBe("ok");
    expect(byName(r, "Language model")).toMatchObject({
      status: "fail",
      fix: "Download it: `roleplay models pull whisper:nope`",
    });
    expect(byName(r, "Whisper model")).toMatchObject({ status: "warn" });
    expect(byName(r, "espeak-ng")?.status).toBe("fail");
    expect(byName(r, "Threads")?.status).toBe("warn");
    expect(byName(r, "Whisper build")?.status).toBe("warn");
    expect(byName(r, "Free memory")?.status).toBe("fail");
    expect(byName(r, "Config")).toMatchObject({ status: "fail" });
    expectEveryFailureHasAFix(r);
    expect(formatDoctorReport(r)).toMatch(/\d+ problems to fix/);
  });

  it("finds a model named in a config file as the app does (config folder, then the models folder)", async () => {
    program("sox");
    program("espeak-ng");
    // `model: chat.gguf` in ~/.config/roleplay/config.yaml is made absolute against that folder.
    const fromConfig = join(t.dir, "config", "roleplay", "chat.gguf");
    const r = await runDoctor(deps({ config: { model: fromConfig, asr: { model: "whisper:base.en" } } }));
    expect(byName(r, "Language model")).toMatchObject({ status: "ok" });
    expect(byName(r, "Language model")?.detail).toContain(join(models, "chat.gguf"));
    const missing = await runDoctor(deps({ config: { model: join(t.dir, "config", "nope.gguf") } }));
    expect(byName(missing, "Language model")).toMatchObject({ status: "fail" });
    expect(byName(missing, "Language model")?.detail).toMatch(/nope\.gguf not found/);
  });

  it("checks the espeak-ng the app runs: ROLEPLAY_ESPEAK, not a legacy `espeak`", async () => {
    program("sox");
    program("espeak");
    expect(byName(await runDoctor(deps()), "espeak-ng")).toMatchObject({ status: "fail" });
    program("my-espeak");
    vi.stubEnv("ROLEPLAY_ESPEAK", "my-espeak");
    expect(byName(await runDoctor(deps()), "espeak-ng")).toMatchObject({
      status: "ok",
      detail: join(bin, "my-espeak"),
    });
    vi.stubEnv("ROLEPLAY_ESPEAK", join(bin, "espeak"));
    expect(byName(await runDoctor(deps()), "espeak-ng")).toMatchObject({ status: "ok", detail: join(bin, "espeak") });
    vi.stubEnv("ROLEPLAY_ESPEAK", "missing-espeak");
    program("espeak-ng");
    const r = await runDoctor(deps());
    expect(byName(r, "espeak-ng")).toMatchObject({ status: "fail" });
    expect(byName(r, "espeak-ng")?.detail).toMatch(/missing-espeak \(ROLEPLAY_ESPEAK\) not found/);
    expect(byName(r, "espeak-ng")?.fix).toMatch(/ROLEPLAY_ESPEAK/);
  });

  it("a check that throws is a failed check, not a crash", async () => {
    program("sox");
    const r = await runDoctor(
      deps({
        whisperBuild: () => {
          throw new Error("probe exploded");
        },
      }),
    );
    expect(byName(r, "Whisper build")).toMatchObject({ status: "fail" });
    expect(byName(r, "Whisper build")?.detail).toMatch(/probe exploded/);
  });
});

describe("parseAlsaList", () => {
  it("reads card lines and ignores the rest", () => {
    const text = `**** List of CAPTURE Hardware Devices ****\n${CARD}\n  Subdevices: 1/1\n  Subdevice #0: subdevice #0\n`;
    expect(parseAlsaList(text)).toEqual(["hw:0,0 HDA Intel PCH: ALC257 Analog"]);
    expect(parseAlsaList("arecord: device_list:279: no soundcards found...")).toEqual([]);
  });
});
