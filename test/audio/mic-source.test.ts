import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { CaptureError } from "../../src/audio/errors.js";
import { findOnPath } from "../../src/audio/find-program.js";
import { createMicSource, findRecorder, summarizeStderr } from "../../src/audio/mic-source.js";
import { AudioDeviceError } from "../../src/core/errors.js";
import { tempDir } from "../helpers/env.js";

const tmp = tempDir("roleplay-mic-");
afterAll(() => tmp.cleanup());

let savedEnv: NodeJS.ProcessEnv;
beforeEach(() => {
  savedEnv = { ...process.env };
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

/** Our child processes still running (tests must not leave any). */
function children(): string[] {
  try {
    return execFileSync("ps", ["-o", "comm=", "--ppid", String(process.pid)], { encoding: "utf8" })
      .split("\n")
      .map((s) => s.trim())
      .filter((s) => s && s !== "ps");
  } catch {
    return [];
  }
}

/**
 * A fake `sox` in its own folder: writes the int16 samples 0..n-1 (times 100) in 3-byte pieces,
 * then prints `stderr` and exits with `code`. A node script, so PATH can be just that folder.
 */
function fakeRecorder(name: string, opts: { samples: number; code: number; stderr: string; hang?: boolean }): string {
  const dir = join(tmp.dir, name);
  execFileSync("mkdir", ["-p", dir]);
  const script = `#!${process.execPath}
const b = Buffer.alloc(${opts.samples} * 2);
for (let i = 0; i < ${opts.samples}; i++) b.writeInt16LE((i * 100) % 32768, i * 2);
let at = 0;
const step = () => {
  if (at < b.length) { process.stdout.write(b.subarray(at, at + 3)); at += 3; return setImmediate(step); }
  ${opts.hang ? "setInterval(() => {}, 1000); return;" : ""}
  process.stderr.write(${JSON.stringify(opts.stderr)});
  setTimeout(() => process.exit(${opts.code}), 20);
};
step();
`;
  const file = join(dir, "sox");
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return dir;
}

async function drain(stream: AsyncIterable<Float32Array>): Promise<{ samples: number[]; error: unknown }> {
  const samples: number[] = [];
  try {
    for await (const c of stream) samples.push(...c);
    return { samples, error: undefined };
  } catch (error) {
    return { samples, error };
  }
}

describe("mic source without a recorder", () => {
  it("an empty PATH gives a CaptureError, no crash", async () => {
    process.env.PATH = join(tmp.dir, "empty");
    execFileSync("/bin/mkdir", ["-p", process.env.PATH]);
    expect(await findRecorder()).toBeNull();
    const err = await createMicSource().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect(err).toBeInstanceOf(AudioDeviceError);
    expect(err).toMatchObject({ code: "RECORDER_NOT_FOUND", message: "no audio recorder found (sox or arecord)" });
    expect((err as CaptureError).hint).toMatch(/--audio-in/);
    await expect(createMicSource({ program: "arecord" })).rejects.toThrow(/arecord not found on PATH/);
  });
});

describe.each([true, false])("mic source with a recorder that fails (useLibrary: %s)", (useLibrary) => {
  it("a recorder that exits mid-run ends the stream with a CaptureError after its audio", async () => {
    process.env.PATH = fakeRecorder(`fail-${useLibrary}`, {
      samples: 1001,
      code: 1,
      stderr: "sox FAIL sox: device unplugged\n",
    });
    const mic = await createMicSource({ useLibrary });
    expect(mic.description).toBe("mic (sox, default device)");
    const { samples, error } = await drain(mic.stream(new AbortController().signal));
    expect(error).toBeInstanceOf(CaptureError);
    expect(error).toMatchObject({
      code: "CAPTURE_STOPPED",
      message: "microphone stopped: sox: sox FAIL sox: device unplugged",
    });
    expect(samples).toHaveLength(1001); // odd-sized pieces reassembled
    expect(samples[1]).toBeCloseTo(100 / 32768, 8);
    expect(samples[1000]).toBeCloseTo(((1000 * 100) % 32768) / 32768, 8);
    await mic.dispose();
  });

  it("a recorder that disappears after the check gives a CaptureError (spawn error handled)", async () => {
    process.env.PATH = fakeRecorder(`gone-${useLibrary}`, { samples: 10, code: 0, stderr: "" });
    const mic = await createMicSource({ useLibrary });
    process.env.PATH = join(tmp.dir, "empty");
    const { error } = await drain(mic.stream(new AbortController().signal));
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as Error).message).toMatch(/^cannot run sox: .*ENOENT/);
  });

  it("a recorder that stops by itself, even with exit code 0, is an error", async () => {
    process.env.PATH = fakeRecorder(`zero-${useLibrary}`, { samples: 10, code: 0, stderr: "" });
    const mic = await createMicSource({ useLibrary });
    const { error } = await drain(mic.stream(new AbortController().signal));
    expect(error).toMatchObject({ code: "CAPTURE_STOPPED", message: "microphone stopped: sox: exit code 0" });
  });

  it("aborting stops the recorder and ends the stream quietly; dispose leaves no process", async () => {
    process.env.PATH = fakeRecorder(`hang-${useLibrary}`, { samples: 2000, code: 0, stderr: "", hang: true });
    const mic = await createMicSource({ useLibrary });
    const ac = new AbortController();
    let n = 0;
    const { error } = await drain(
      (async function* () {
        for await (const c of mic.stream(ac.signal)) {
          n += c.length;
          if (n >= 2000) ac.abort();
          yield c;
        }
      })(),
    );
    expect(error).toBeUndefined();
    await mic.dispose();
    expect(children()).toEqual([]);
  });
});

const alsaPrograms = (["arecord", "sox"] as const).filter(
  (p) => execFileSync("sh", ["-c", `command -v ${p} || true`]).length > 0,
);

describe.each(alsaPrograms)("real %s without a sound card", (program) => {
  it("a device that cannot be opened gives a one-line CaptureError", async () => {
    const conf = join(tmp.dir, "empty-asound.conf");
    writeFileSync(conf, "");
    process.env.ALSA_CONFIG_PATH = conf;
    process.env.AUDIODRIVER = "alsa";
    const mic = await createMicSource({ program });
    const { error } = await drain(mic.stream(new AbortController().signal));
    expect(error).toBeInstanceOf(CaptureError);
    expect((error as Error).message).toMatch(
      new RegExp(`^microphone stopped: ${program}: .*(error|FAIL|no default)`, "i"),
    );
    expect((error as Error).message).not.toContain("\n");
    await mic.dispose();
  });

  it("streams from ALSA's null device (the test config) and stops on abort", async () => {
    process.env.AUDIODRIVER = "alsa";
    const mic = await createMicSource({ program, device: program === "arecord" ? "default" : undefined });
    const ac = new AbortController();
    let n = 0;
    for await (const c of mic.stream(ac.signal)) {
      n += c.length;
      if (n >= 16000) ac.abort();
    }
    expect(n).toBeGreaterThanOrEqual(16000);
    await mic.dispose();
    expect(children()).toEqual([]);
  });
});

describe("helpers", () => {
  it("findOnPath finds executables only", async () => {
    expect(await findOnPath("sh")).toMatch(/\/sh$/);
    expect(await findOnPath("definitely-not-a-program-xyz")).toBeNull();
  });
  it("summarizeStderr picks the telling line", () => {
    const alsa =
      "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default\narecord: main:831: audio open error: No such file or directory\n";
    expect(summarizeStderr(alsa)).toBe("arecord: main:831: audio open error: No such file or directory");
    expect(summarizeStderr("")).toBeUndefined();
  });
});
