/** Types of `roleplay doctor`: checks, their results, and what the caller injects. */

export type CheckStatus = "ok" | "warn" | "fail";

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it; always present for "fail", usually for "warn". */
  fix?: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** No check failed. */
  ok: boolean;
  counts: Record<CheckStatus, number>;
}

/** The part of the app config the doctor reads (structurally compatible with Config). */
export interface DoctorConfig {
  model?: string | undefined;
  llm?: { threads?: number | "auto" | undefined; contextSize?: number | "auto" | undefined } | undefined;
  asr?: { model?: string | undefined; threads?: number | "auto" | undefined } | undefined;
  audio?: { input?: string | undefined; output?: string | undefined; recorder?: string | undefined } | undefined;
  tts?: { engine?: string | undefined; voice?: string | undefined } | undefined;
}

/** Checks a model file; throws (ideally a ModelFileError with a hint) when it is not usable. */
export type ModelChecker = (path: string) => unknown;

/**
 * What the whisper build was compiled for: "native" (tuned for this CPU), a vector extension
 * ("avx512", "avx2", "avx", "neon"), "portable" (no vector instructions) or "unknown".
 */
export interface WhisperBuildInfo {
  kind: string;
  detail?: string;
}

export type ConfigValidity = { ok: true; detail?: string } | { ok: false; message: string; hint?: string };

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DoctorDeps {
  config?: DoctorConfig;
  /** The models folder (names and refs in the config resolve against it). */
  modelsDir?: string;
  /** PATH to look for programs in. Default process.env.PATH. */
  path?: string;
  /** Run a program (for `arecord -l`, `aplay -l`); never rejects. */
  run?: (cmd: string, args: string[]) => Promise<CommandResult>;
  checkLlm?: ModelChecker;
  checkWhisper?: ModelChecker;
  checkPiper?: ModelChecker;
  whisperBuild?: () => WhisperBuildInfo | Promise<WhisperBuildInfo>;
  /** CPU feature flags (default: from /proc/cpuinfo). */
  cpuFlags?: () => string[];
  /** Cores this process may use. */
  cores?: number;
  /** Bytes of memory available now. */
  freeMemory?: number;
  /** Whether the config file(s) loaded and validated. */
  validateConfig?: () => ConfigValidity | Promise<ConfigValidity>;
}
