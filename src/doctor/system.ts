/** Doctor checks of the machine: recorder, audio devices, espeak-ng, CPU, threads, memory. */
import { execFile } from "node:child_process";
import { constants, readFileSync } from "node:fs";
import { access, stat } from "node:fs/promises";
import { availableParallelism, cpus } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { espeakProgram } from "../tts/espeak-run.js";
import type { CommandResult, DoctorCheck, DoctorConfig, WhisperBuildInfo } from "./types.js";

export async function which(name: string, pathEnv: string): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      await access(file, constants.X_OK);
      if ((await stat(file)).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Run a program with a timeout; resolves with code null when it cannot be started. */
export function runCommand(cmd: string, args: string[], pathEnv?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const env = pathEnv === undefined ? process.env : { ...process.env, PATH: pathEnv };
    const child = execFile(cmd, args, { timeout: 5000, env, encoding: "utf8" }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && code === null ? err.message : "")) });
    });
    child.on("error", () => undefined); // reported through the callback
  });
}

const INSTALL_RECORDER =
  "Install sox (`sudo apt install sox`) or alsa-utils (`sudo apt install alsa-utils`); or talk through a WAV file with --audio-in file.wav";

export async function checkRecorder(config: DoctorConfig, pathEnv: string): Promise<DoctorCheck> {
  const name = "Recorder program";
  const input = config.audio?.input ?? "mic";
  if (input !== "mic") return { name, status: "ok", detail: `not needed (input: ${input})` };
  const wanted = config.audio?.recorder ?? "auto";
  const candidates = wanted === "auto" ? ["sox", "arecord"] : [wanted];
  for (const c of candidates) {
    const found = await which(c, pathEnv);
    if (found) return { name, status: "ok", detail: `${c} (${found})` };
  }
  return { name, status: "fail", detail: `${candidates.join(" or ")} not found on PATH`, fix: INSTALL_RECORDER };
}

/** Devices listed by `arecord -l` / `aplay -l` ("card 0: PCH [HDA Intel PCH], device 0: ..."). */
export function parseAlsaList(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => /^card \d+:/.test(l))
    .map((l) => {
      const m = /^card (\d+): \S+ \[([^\]]*)\], device (\d+): [^[]*\[([^\]]*)\]/.exec(l);
      return m ? `hw:${m[1]},${m[3]} ${m[2]}: ${m[4]}` : l.trim();
    });
}

export async function checkDevices(
  kind: "input" | "output",
  config: DoctorConfig,
  pathEnv: string,
  run: (cmd: string, args: string[]) => Promise<CommandResult>,
): Promise<DoctorCheck> {
  const name = kind === "input" ? "Input audio device" : "Output audio device";
  const setting = kind === "input" ? (config.audio?.input ?? "mic") : (config.audio?.output ?? "speaker");
  if (setting !== (kind === "input" ? "mic" : "speaker"))
    return { name, status: "ok", detail: `not needed (${kind}: ${setting})` };
  const program = kind === "input" ? "arecord" : "aplay";
  if (!(await which(program, pathEnv))) {
    return {
      name,
      status: "warn",
      detail: `cannot list devices (${program} not found)`,
      fix: "Install alsa-utils to list devices: `sudo apt install alsa-utils`",
    };
  }
  const r = await run(program, ["-l"]);
  const devices = parseAlsaList(r.stdout);
  if (devices.length > 0) {
    const more = devices.length > 1 ? ` (+${devices.length - 1} more)` : "";
    return { name, status: "ok", detail: `${devices[0]}${more}` };
  }
  const fix =
    kind === "input"
      ? "Connect a microphone and check `arecord -l`; in a container, pass the sound device through; or talk through a WAV file with --audio-in file.wav"
      : "Connect speakers or headphones and check `aplay -l`; or write the replies to a file with --audio-out reply.wav";
  return {
    name,
    status: "warn",
    detail: `no ${kind === "input" ? "capture" : "playback"} device found${r.stderr ? `: ${r.stderr.trim().split("\n")[0]}` : ""}`,
    fix,
  };
}

/** An executable file at `program` when it has a folder part, else on `pathEnv`. */
async function findProgram(program: string, pathEnv: string): Promise<string | undefined> {
  if (!/[\\/]/.test(program)) return which(program, pathEnv);
  const file = resolve(program);
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The espeak-ng the app runs: `program` (default espeakProgram(): ROLEPLAY_ESPEAK, else
 * `espeak-ng`), a name looked up on `pathEnv` or a path.
 */
export async function checkEspeak(
  config: DoctorConfig,
  pathEnv: string,
  program: string = espeakProgram(),
): Promise<DoctorCheck> {
  const name = "espeak-ng";
  const engine = config.tts?.engine ?? "espeak";
  const found = await findProgram(program, pathEnv);
  if (found) return { name, status: "ok", detail: found };
  if (engine === "none") return { name, status: "ok", detail: "not needed (tts.engine: none)" };
  const custom = program !== "espeak-ng";
  return {
    name,
    status: engine === "espeak" ? "fail" : "warn",
    detail:
      (custom ? `${program} (ROLEPLAY_ESPEAK) not found` : "espeak-ng not found on PATH") +
      (engine === "espeak" ? " (it is the configured voice)" : " (the fallback voice)"),
    fix: custom
      ? "Set ROLEPLAY_ESPEAK to the espeak-ng program (a name on PATH or a path), or unset it"
      : "Install it: `sudo apt install espeak-ng` (macOS: `brew install espeak-ng`)",
  };
}

export function readCpuFlags(): string[] {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    return (/^(?:flags|Features)\s*:\s*(.*)$/m.exec(info)?.[1] ?? "").trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

const GOOD_BUILDS = new Set(["native", "avx512", "avx2", "neon"]);
const WHISPER_FIX =
  "Rebuild the CPU-tuned whisper: `node node_modules/roleplay/scripts/install-whisper.mjs --force` (needs a C++ compiler)";

export async function checkWhisperBuild(build: WhisperBuildInfo, flags: string[]): Promise<DoctorCheck> {
  const name = "Whisper build";
  const interesting = ["avx512f", "avx2", "fma", "f16c", "avx", "neon", "asimd"].filter((f) => flags.includes(f));
  const cpu = interesting.length ? `CPU has ${interesting.join(" ")}` : "CPU features unknown";
  const detail = `${build.kind}${build.detail ? ` (${build.detail})` : ""}; ${cpu}`;
  if (GOOD_BUILDS.has(build.kind)) return { name, status: "ok", detail };
  if (build.kind === "avx" && flags.includes("avx2")) return { name, status: "warn", detail, fix: WHISPER_FIX };
  if (build.kind === "avx") return { name, status: "ok", detail };
  if (build.kind === "unknown") {
    return {
      name,
      status: "warn",
      detail: `could not tell which instructions it uses; ${cpu}`,
      fix: `If transcription is slow: ${WHISPER_FIX}`,
    };
  }
  return { name, status: "warn", detail: `${detail}: transcription runs several times slower`, fix: WHISPER_FIX };
}

export function usableCoresDefault(): number {
  return Math.max(1, typeof availableParallelism === "function" ? availableParallelism() : cpus().length);
}

export function checkThreads(config: DoctorConfig, cores: number): DoctorCheck {
  const name = "Threads";
  const llm = config.llm?.threads ?? "auto";
  const asr = config.asr?.threads ?? "auto";
  // The LLM's "auto" leaves one core to the audio pipeline (src/llm/threads.ts); whisper's uses them all.
  const show = (v: number | "auto", auto: number): string => (v === "auto" ? `auto (${auto})` : String(v));
  const detail = `llm ${show(llm, Math.max(1, cores - 1))}, asr ${show(asr, cores)} on ${cores} core${cores === 1 ? "" : "s"}`;
  const over = [
    typeof llm === "number" && llm > cores ? "llm.threads" : "",
    typeof asr === "number" && asr > cores ? "asr.threads" : "",
  ].filter(Boolean);
  if (over.length === 0) return { name, status: "ok", detail };
  return {
    name,
    status: "warn",
    detail: `${detail}: more threads than cores makes inference much slower`,
    fix: `Set ${over.join(" and ")} to auto (or at most ${cores})`,
  };
}
