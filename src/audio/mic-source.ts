import { spawn, type ChildProcess } from "node:child_process";
import type { record } from "node-record-lpcm16";
import { errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { ChunkQueue } from "./chunk-queue.js";
import { CaptureError } from "./errors.js";
import { findOnPath } from "./find-program.js";
import { CAPTURE_SAMPLE_RATE, type CaptureSource } from "./source.js";

const log = getLogger("audio.mic");

export type RecorderProgram = "sox" | "arecord";

export interface MicSourceOptions {
  /** ALSA device (arecord -D, sox AUDIODEV), e.g. `default` or `plughw:1,0`; the default device when absent. */
  device?: string;
  /** Recorder program; "auto" (default) prefers sox, then arecord. */
  program?: "auto" | RecorderProgram;
  /** Spawn through node-record-lpcm16 when it is installed (default true); false spawns directly. */
  useLibrary?: boolean;
}

type RecordFn = typeof record;

/** The first recorder program found on PATH (sox, then arecord), or null. */
export async function findRecorder(): Promise<RecorderProgram | null> {
  for (const program of ["sox", "arecord"] as const) if (await findOnPath(program)) return program;
  return null;
}

/**
 * The microphone as a capture source: raw 16-bit 16 kHz mono from sox or arecord, as float32.
 * Throws a CaptureError (code RECORDER_NOT_FOUND) when no recorder program is on PATH.
 */
export async function createMicSource(options: MicSourceOptions = {}): Promise<CaptureSource> {
  const wanted = options.program ?? "auto";
  const program = wanted === "auto" ? await findRecorder() : (await findOnPath(wanted)) ? wanted : null;
  if (!program) {
    throw new CaptureError(
      wanted === "auto" ? "no audio recorder found (sox or arecord)" : `${wanted} not found on PATH`,
      {
        code: "RECORDER_NOT_FOUND",
        hint: "Install sox or alsa-utils (arecord) for the microphone, or use --audio-in file.wav.",
      },
    );
  }
  const recorder: RecorderProgram = program;
  const device = options.device;
  const stops = new Map<ChildProcess, () => void>();

  async function* stream(signal: AbortSignal): AsyncGenerator<Float32Array> {
    if (signal.aborted) return;
    const record = options.useLibrary === false ? undefined : await loadRecordLibrary();
    if (signal.aborted) return;
    // Spawn and attach every handler synchronously: no await between them.
    let stopping = false;
    let stderrTail = "";
    let carry: Buffer | undefined;
    let child: ChildProcess;
    try {
      child = startRecorder(recorder, device, record);
    } catch (err) {
      throw new CaptureError(`cannot start ${program}: ${errorMessage(err)}`, { cause: err });
    }
    const stdout = child.stdout;
    const queue = new ChunkQueue<Float32Array>({
      highWater: 64,
      onHighWater: () => stdout?.pause(),
      onDrain: () => stdout?.resume(),
    });
    const stop = (): void => {
      stopping = true;
      queue.end();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    };
    stops.set(child, stop);
    child.on("error", (err) => queue.end(new CaptureError(`cannot run ${program}: ${err.message}`, { cause: err })));
    // node-record-lpcm16 emits a string 'error' on stdout when the recorder exits non-zero; 'close' reports it.
    stdout?.on("error", () => {});
    child.stderr?.on("error", () => {});
    child.stderr?.on("data", (b: Buffer) => (stderrTail = (stderrTail + b.toString("utf8")).slice(-4096)));
    stdout?.on("data", (b: Buffer) => {
      const bytes = carry ? Buffer.concat([carry, b]) : b;
      const even = bytes.length - (bytes.length % 2);
      carry = even < bytes.length ? Buffer.from(bytes.subarray(even)) : undefined;
      if (even > 0) queue.push(pcm16ToFloat(bytes.subarray(0, even)));
    });
    child.on("close", (code, sig) => {
      stops.delete(child);
      if (stopping) return queue.end();
      const why = summarizeStderr(stderrTail) ?? (sig ? `killed by ${sig}` : `exit code ${code}`);
      log.warn(`${program} stopped`, { code, signal: sig, stderr: stderrTail.slice(-1000) });
      queue.end(new CaptureError(`microphone stopped: ${program}: ${why}`, { code: "CAPTURE_STOPPED" }));
    });
    if (!stdout) stop();
    signal.addEventListener("abort", stop, { once: true });
    try {
      yield* queue.drain();
    } finally {
      signal.removeEventListener("abort", stop);
      stop();
    }
  }

  return {
    description: `mic (${program}, ${device ?? "default device"})`,
    stream,
    dispose: async () => {
      const children = [...stops.keys()];
      for (const s of stops.values()) s();
      await Promise.all(children.map(waitForExit));
    },
  };
}

function startRecorder(
  program: RecorderProgram,
  device: string | undefined,
  record: RecordFn | undefined,
): ChildProcess {
  if (record) {
    return record({ sampleRate: CAPTURE_SAMPLE_RATE, channels: 1, audioType: "raw", recorder: program, device })
      .process;
  }
  const rate = String(CAPTURE_SAMPLE_RATE);
  if (program === "arecord") {
    const args = ["-q", "-r", rate, "-c", "1", "-t", "raw", "-f", "S16_LE", "-"];
    return spawn("arecord", device ? ["-D", device, ...args] : args, { stdio: ["ignore", "pipe", "pipe"] });
  }
  const args = ["--default-device", "--no-show-progress", "--rate", rate, "--channels", "1"];
  args.push("--encoding", "signed-integer", "--bits", "16", "--type", "raw", "-");
  const env = device ? { ...process.env, AUDIODEV: device } : process.env;
  return spawn("sox", args, { stdio: ["ignore", "pipe", "pipe"], env });
}

async function loadRecordLibrary(): Promise<RecordFn | undefined> {
  try {
    const mod = await import("node-record-lpcm16");
    return mod.record ?? mod.default?.record;
  } catch (err) {
    log.debug("node-record-lpcm16 unavailable; spawning the recorder directly", err);
    return undefined;
  }
}

function pcm16ToFloat(bytes: Buffer): Float32Array {
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2) / 32768;
  return out;
}

/** The most telling line of a recorder's stderr (ALSA prints several). */
export function summarizeStderr(stderr: string): string | undefined {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.filter((l) => /FAIL|error|cannot|unable|no such/i.test(l) && !l.startsWith("ALSA lib"));
  return telling.at(-1) ?? lines.at(-1);
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, 2000);
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
