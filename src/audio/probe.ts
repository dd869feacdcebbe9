import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { getLogger } from "../core/log.js";

const log = getLogger("playback.probe");

export type ProbeResult = { ok: true } | { ok: false; reason: string };

export interface ProbeOptions {
  /** ALSA device name (default: the system default). */
  device?: string;
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads `speaker` in a child, opens the device and plays 20 ms of silence. With no usable ALSA
 * device, speaker's native code aborts the process that loaded it: here that is only the child.
 */
const SCRIPT = `
const Speaker = require(process.argv[1]);
const device = process.argv[2] || undefined;
const s = new Speaker({ channels: 1, bitDepth: 16, sampleRate: 22050, samplesPerFrame: 441, device });
s.on("error", (e) => { process.stderr.write("speaker error: " + (e && e.message ? e.message : e) + "\\n"); process.exit(3); });
s.on("close", () => process.exit(0));
s.end(Buffer.alloc(882));
`;

/** Where the `speaker` module is, or undefined when it is not installed. */
export function resolveSpeakerModule(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve("speaker");
  } catch {
    return undefined;
  }
}

/** Does an audio output device work? Checked in a child process, so a failure is a result, never a crash. */
export function probeOutputDevice(opts: ProbeOptions = {}): Promise<ProbeResult> {
  const modulePath = resolveSpeakerModule();
  if (!modulePath) return Promise.resolve({ ok: false, reason: "the speaker module is not installed" });
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise<ProbeResult>((resolve) => {
    let stderr = "";
    let settled = false;
    const child = spawn(process.execPath, ["-e", SCRIPT, modulePath, opts.device ?? ""], {
      stdio: ["ignore", "ignore", "pipe"],
      env: opts.env ?? process.env,
    });
    const finish = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      log.debug("output device probe", { ...r, stderr: stderr.slice(0, 500) });
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ ok: false, reason: `the audio device did not answer within ${timeoutMs} ms` });
    }, timeoutMs);
    child.stderr?.on("data", (d: Buffer) => {
      if (stderr.length < 8000) stderr += d.toString("utf8");
    });
    child.on("error", (err) => finish({ ok: false, reason: `could not run the probe: ${err.message}` }));
    child.on("close", (code, signal) => {
      if (code === 0) return finish({ ok: true });
      finish({ ok: false, reason: describeFailure(stderr, code, signal) });
    });
  });
}

function describeFailure(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const telling =
    lines.find((l) => /speaker error|cannot open device|Unknown PCM|No such (file|device)|cannot find card/i.test(l)) ??
    lines.find((l) => !/^at |node:internal/.test(l));
  const how = signal || code === 134 ? "the audio library aborted" : `exit code ${code}`;
  const detail = telling ? `${telling.replace(/^ALSA lib \S+ /, "").slice(0, 160)}; ` : "";
  return `no usable audio output device (${detail}${how})`;
}
