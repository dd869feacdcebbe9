import type { Command } from "commander";
import type { LoadedConfig } from "../../config/load.js";
import { RoleplayError, errorMessage } from "../../core/errors.js";
import type { ConfigValidity, DoctorCheck, DoctorDeps, DoctorReport, WhisperBuildInfo } from "../../doctor/index.js";
import { prepare, type GlobalFlags } from "../context.js";
import { usageExit } from "./usage-exit.js";

/** Load the config; a broken config is a failed check, and the other checks run on the defaults. */
async function loadForDoctor(flags: GlobalFlags): Promise<{ loaded?: LoadedConfig; validity: ConfigValidity }> {
  try {
    const loaded = await prepare(flags);
    const files = loaded.files.length ? loaded.files.join(", ") : "no config file, defaults";
    return { loaded, validity: { ok: true, detail: `valid (${files})` } };
  } catch (err) {
    const hint = err instanceof RoleplayError ? err.hint : undefined;
    return { validity: { ok: false, message: errorMessage(err), ...(hint ? { hint } : {}) } };
  }
}

async function whisperBuild(): Promise<WhisperBuildInfo> {
  try {
    const { whisperBuildInfo } = await import("../../asr/native.js");
    const info = whisperBuildInfo();
    return { kind: info.kind, ...(info.note ? { detail: info.note } : {}) };
  } catch (err) {
    return { kind: "unknown", detail: errorMessage(err) };
  }
}

/** The real checkers, each loaded lazily. */
export async function doctorDeps(flags: GlobalFlags): Promise<DoctorDeps> {
  const { loaded, validity } = await loadForDoctor(flags);
  const config = loaded?.config;
  const contextSize = typeof config?.llm.contextSize === "number" ? config.llm.contextSize : 4096;
  const { usableCores } = await import("../../llm/threads.js");
  const modelsDir = config?.models.dir;
  // The doctor resolves names and references to files in the models folder before a checker runs.
  // With espeak-ng, `tts.voice` is an espeak voice name ("en-gb"), not a Piper file to check.
  const checked =
    config && config.tts.engine !== "piper" ? { ...config, tts: { ...config.tts, voice: undefined } } : config;
  return {
    ...(checked ? { config: checked } : {}),
    ...(modelsDir ? { modelsDir } : {}),
    checkLlm: async (path) => {
      const { checkGgufFile } = await import("../../llm/check.js");
      // Memory is the "Free memory" check's business.
      return checkGgufFile(path, { contextSize, checkMemory: false });
    },
    checkWhisper: async (path) => {
      const { checkWhisperModel } = await import("../../asr/check.js");
      return checkWhisperModel(path);
    },
    checkPiper: async (path) => {
      const [{ checkPiperVoiceFile }, { loadPiperConfig }, { piperConfigPath }] = await Promise.all([
        import("../../tts/check-onnx.js"),
        import("../../tts/piper-config.js"),
        import("../../tts/piper.js"),
      ]);
      await checkPiperVoiceFile(path);
      return loadPiperConfig(piperConfigPath(path));
    },
    whisperBuild,
    cores: usableCores(),
    ...(process.availableMemory ? { freeMemory: process.availableMemory() } : {}),
    validateConfig: () => validity,
  };
}

/** Can the speaker module open the output device? Checked in a child process (it may abort). */
async function playbackCheck(output: string | undefined): Promise<DoctorCheck | undefined> {
  if ((output ?? "speaker") !== "speaker") return undefined;
  const { probeOutputDevice } = await import("../../audio/probe.js");
  const r = await probeOutputDevice({ timeoutMs: 4000 });
  if (r.ok) return { name: "Audio playback", status: "ok", detail: "the speaker module opened the output device" };
  return {
    name: "Audio playback",
    status: "warn",
    detail: r.reason,
    fix: "Check `aplay -l` and `roleplay devices`; set audio.outputDevice, or write replies to a file with --audio-out reply.wav",
  };
}

function withCheck(report: DoctorReport, extra: DoctorCheck | undefined): DoctorReport {
  if (!extra) return report;
  const checks = [...report.checks];
  const at = checks.findIndex((c) => c.name === "Output audio device");
  checks.splice(at >= 0 ? at + 1 : checks.length, 0, extra);
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  return { checks, ok: counts.fail === 0, counts };
}

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check everything roleplay needs and say how to fix each problem")
    .option("--json", "the report as JSON")
    .exitOverride(usageExit)
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const deps = await doctorDeps(cmd.optsWithGlobals<GlobalFlags>());
      const { runDoctor, formatDoctorReport } = await import("../../doctor/index.js");
      const report = withCheck(await runDoctor(deps), await playbackCheck(deps.config?.audio?.output));
      const color = !opts.json && process.stdout.isTTY === true && !process.env.NO_COLOR;
      process.stdout.write(
        (opts.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report, color ? { color: true } : {})) + "\n",
      );
      process.exitCode = report.ok ? 0 : 1;
    });
}
