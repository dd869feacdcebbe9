/**
 * `roleplay doctor`: check everything the app needs and say how to fix each problem. Every
 * probe is injectable so the command is testable without a sound card or real models.
 */
import { freemem } from "node:os";
import { RoleplayError, errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { defaultModelsDir } from "../models/store.js";
import { checkConfiguredModel, checkMemory } from "./models.js";
import {
  checkDevices,
  checkEspeak,
  checkRecorder,
  checkThreads,
  checkWhisperBuild,
  readCpuFlags,
  runCommand,
  usableCoresDefault,
} from "./system.js";
import type { CheckStatus, ConfigValidity, DoctorCheck, DoctorDeps, DoctorReport } from "./types.js";

export type * from "./types.js";
import { formatDoctorReport } from "./format.js";
export { formatDoctorReport };

const log = getLogger("doctor");

async function configCheck(validate: DoctorDeps["validateConfig"]): Promise<DoctorCheck> {
  const name = "Config";
  if (!validate) return { name, status: "ok", detail: "not checked" };
  let v: ConfigValidity;
  try {
    v = await validate();
  } catch (err) {
    const hint = err instanceof RoleplayError ? err.hint : undefined;
    v = { ok: false, message: errorMessage(err), ...(hint ? { hint } : {}) };
  }
  if (v.ok) return { name, status: "ok", detail: v.detail ?? "valid" };
  return {
    name,
    status: "fail",
    detail: v.message,
    fix: v.hint ?? "Fix the config file (`roleplay config` shows where each value comes from)",
  };
}

/** One check that threw is reported as a failure of that check, never as a crash of the doctor. */
async function guarded(name: string, f: () => Promise<DoctorCheck | undefined>): Promise<DoctorCheck | undefined> {
  try {
    return await f();
  } catch (err) {
    log.error(`doctor check ${name} threw`, err);
    return {
      name,
      status: "fail",
      detail: `the check itself failed: ${errorMessage(err)}`,
      fix: "Run with --verbose and report the log",
    };
  }
}

export async function runDoctor(deps: DoctorDeps = {}): Promise<DoctorReport> {
  const config = deps.config ?? {};
  const pathEnv = deps.path ?? process.env.PATH ?? "";
  const run = deps.run ?? ((cmd: string, args: string[]) => runCommand(cmd, args, pathEnv));
  const modelsDir = deps.modelsDir ?? defaultModelsDir();
  const cores = deps.cores ?? usableCoresDefault();
  const checks: (DoctorCheck | undefined)[] = [];

  checks.push(await guarded("Config", () => configCheck(deps.validateConfig)));
  checks.push(await guarded("Recorder program", () => checkRecorder(config, pathEnv)));
  checks.push(await guarded("Input audio device", () => checkDevices("input", config, pathEnv, run)));
  checks.push(await guarded("Output audio device", () => checkDevices("output", config, pathEnv, run)));
  checks.push(await guarded("espeak-ng", () => checkEspeak(config, pathEnv)));

  let modelBytes = 0;
  const checkers = { llm: deps.checkLlm, whisper: deps.checkWhisper, piper: deps.checkPiper } as const;
  for (const kind of ["llm", "whisper", "piper"] as const) {
    const title = kind === "llm" ? "Language model" : kind === "whisper" ? "Whisper model" : "Piper voice";
    checks.push(
      await guarded(title, async () => {
        const r = await checkConfiguredModel(kind, config, modelsDir, checkers[kind]);
        modelBytes += r?.size ?? 0;
        return r?.check;
      }),
    );
  }

  checks.push(
    await guarded("Whisper build", async () =>
      checkWhisperBuild(
        deps.whisperBuild ? await deps.whisperBuild() : { kind: "unknown" },
        (deps.cpuFlags ?? readCpuFlags)(),
      ),
    ),
  );
  checks.push(await guarded("Threads", async () => checkThreads(config, cores)));
  checks.push(await guarded("Free memory", async () => checkMemory(deps.freeMemory ?? freemem(), modelBytes)));

  const list = checks.filter((c): c is DoctorCheck => c !== undefined);
  const counts: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0 };
  for (const c of list) counts[c.status]++;
  return { checks: list, ok: counts.fail === 0, counts };
}

/** `roleplay doctor [--json]`: the text to print and the exit code (1 when a check failed). */
export async function doctorCommand(
  deps: DoctorDeps = {},
  opts: { json?: boolean; color?: boolean } = {},
): Promise<{ text: string; exitCode: number; report: DoctorReport }> {
  const report = await runDoctor(deps);
  const text = opts.json
    ? JSON.stringify(report, null, 2)
    : formatDoctorReport(report, opts.color ? { color: true } : {});
  return { text: text + "\n", exitCode: report.ok ? 0 : 1, report };
}
