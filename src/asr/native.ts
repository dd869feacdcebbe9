import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { NativeModuleError, errorMessage } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import { xdgDirs } from "../core/paths.js";
import { TINY_EN_HPARAMS, writeWhisperGgmlSync } from "./ggml-writer.js";

/**
 * Which compiled whisper.cpp to use. smart-whisper's own build (build/Release, -O3, no vector
 * instructions) runs everywhere; scripts/install-whisper.mjs adds a -march=native build in
 * build-native/Release, about 10× faster. smart-whisper's JS hard-codes
 * require("../build/Release/smart-whisper"), so we load the chosen .node file ourselves: its
 * exports (WhisperModel.load, transcribe) are all smart-whisper's JS wraps.
 */

const log = getLogger("asr");
const require = createRequire(import.meta.url);

export type WhisperBuildKind = "native" | "portable";

export interface WhisperBuildInfo {
  kind: WhisperBuildKind;
  /** The .node file. */
  path: string;
  /** Why the fast build is not in use, when it is not. */
  note?: string;
}

/** A loaded whisper context (smart-whisper's native WhisperModel). */
export interface NativeWhisperModel {
  readonly handle: unknown;
  readonly freed: boolean;
  free(): Promise<void>;
}

export interface NativeSegment {
  from: number;
  to: number;
  text: string;
}

/** The exports of smart-whisper's .node file. */
export interface WhisperBinding {
  WhisperModel: { load(file: string, gpu: boolean): Promise<NativeWhisperModel> };
  transcribe(
    handle: unknown,
    pcm: Float32Array,
    params: Record<string, unknown>,
    finish: (results: NativeSegment[] | Error) => void,
    progress: (segment: NativeSegment) => void,
  ): void;
}

const HINT =
  "Reinstall with `npm install` (smart-whisper compiles whisper.cpp: it needs python3, make and a C++ compiler).";

/** smart-whisper's package folder, or undefined when it is not installed. */
export function smartWhisperDir(): string | undefined {
  try {
    return dirname(require.resolve("smart-whisper/package.json"));
  } catch {
    return undefined;
  }
}

/** Same recipe as scripts/install-whisper.mjs: platform, CPU model and CPU flags. */
export function cpuSignature(): string {
  let text = `${process.platform}-${process.arch}-${cpus()[0]?.model ?? "?"}`;
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const flags = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(info)?.[1] ?? "";
    text += `|${flags.trim().split(/\s+/).sort().join(" ")}`;
  } catch {
    // not Linux
  }
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

let chosen: WhisperBuildInfo | undefined;

/**
 * The whisper build this process uses: the fast one when it is installed, matches the installed
 * smart-whisper and passes a probe in a child process (an illegal instruction kills the child,
 * not the app; the verdict is cached per binary and CPU), else the portable one.
 * ROLEPLAY_WHISPER_BUILD=portable|native forces a choice. Throws NativeModuleError when
 * smart-whisper is not installed at all.
 */
export function whisperBuildInfo(options: { prefer?: "auto" | WhisperBuildKind } = {}): WhisperBuildInfo {
  const prefer = options.prefer ?? envPreference();
  if (prefer === "auto" && chosen) return chosen;
  const dir = smartWhisperDir();
  if (!dir) {
    throw new NativeModuleError("WHISPER_NOT_INSTALLED", "smart-whisper (whisper.cpp for Node) is not installed", {
      hint: HINT,
    });
  }
  const portable = join(dir, "build", "Release", "smart-whisper.node");
  const native = join(dir, "build-native", "Release", "smart-whisper.node");
  if (prefer === "portable") return portableOrThrow(portable, "portable build requested");
  if (prefer === "native" && !existsSync(native)) {
    throw new NativeModuleError("WHISPER_NOT_BUILT", "the fast whisper build is not installed", {
      hint: "Run `node scripts/install-whisper.mjs` (see its log in node_modules/smart-whisper/build-native/build.log).",
    });
  }
  const why = prefer === "native" ? undefined : nativeProblem(dir, native);
  const info: WhisperBuildInfo =
    why === undefined ? { kind: "native", path: native } : { kind: "portable", path: portable, note: why };
  if (info.kind === "portable") portableOrThrow(portable, why);
  if (prefer === "auto") chosen = info;
  log.info(`whisper build: ${info.kind} (${info.path})${info.note ? `: ${info.note}` : ""}`);
  return info;
}

function envPreference(): "auto" | WhisperBuildKind {
  const v = process.env.ROLEPLAY_WHISPER_BUILD;
  return v === "native" || v === "portable" ? v : "auto";
}

function portableOrThrow(path: string, note: string | undefined): WhisperBuildInfo {
  if (!existsSync(path)) {
    throw new NativeModuleError("WHISPER_NOT_BUILT", "smart-whisper is installed but its native addon was not built", {
      hint: HINT,
    });
  }
  return note === undefined ? { kind: "portable", path } : { kind: "portable", path, note };
}

/** Why the fast build cannot be used, or undefined when it can. */
function nativeProblem(dir: string, native: string): string | undefined {
  if (!existsSync(native)) return "no fast build (run `node scripts/install-whisper.mjs`)";
  try {
    const stamp = JSON.parse(readFileSync(join(dir, "build-native", "roleplay-build.json"), "utf8")) as {
      smartWhisper?: string;
    };
    const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version;
    if (stamp.smartWhisper !== version)
      return `fast build is for smart-whisper ${stamp.smartWhisper}, ${version} is installed`;
  } catch {
    return "fast build has no build stamp";
  }
  const probe = cachedProbe(native);
  return probe.ok ? undefined : `fast build failed its probe (${probe.why ?? "unknown"})`;
}

interface ProbeVerdict {
  key: string;
  ok: boolean;
  why?: string;
}

function cachedProbe(binary: string): ProbeVerdict {
  const st = statSync(binary);
  const key = `${st.size}:${Math.round(st.mtimeMs)}:${cpuSignature()}`;
  const file = join(xdgDirs().cache, "whisper-probe.json");
  let cache: Record<string, ProbeVerdict> = {};
  try {
    cache = JSON.parse(readFileSync(file, "utf8")) as Record<string, ProbeVerdict>;
  } catch {
    // no cache yet
  }
  const hit = cache[binary];
  if (hit?.key === key) return hit;
  const verdict = { key, ...probeWhisperBinary(binary) };
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...cache, [binary]: verdict }, null, 2));
  } catch (err) {
    log.warn(`could not cache the whisper probe: ${errorMessage(err)}`);
  }
  return verdict;
}

/** The probe child: load the binary, load a micro model, transcribe 1.1 s of silence. */
const PROBE_SCRIPT = `
const b = require(process.argv[1]);
b.WhisperModel.load(process.argv[2], false)
  .then((m) => new Promise((resolve, reject) => b.transcribe(m.handle, new Float32Array(17600),
      { language: "en", n_threads: 1, audio_ctx: 64, no_timestamps: true, strategy: 0, temperature_inc: 0 },
      (r) => (r instanceof Error ? reject(r) : resolve(r)), () => {})).then(() => m.free()))
  .then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.message)); process.exit(3); });
`;

/**
 * Run a whisper binary on a micro random model in a child process: a missing symbol, an illegal
 * instruction or a crash shows up as a failed verdict, never in this process.
 */
export function probeWhisperBinary(binary: string): { ok: boolean; why?: string } {
  const dir = mkdtempSync(join(tmpdir(), "roleplay-whisper-probe-"));
  try {
    const model = join(dir, "micro.bin");
    const width = 64;
    writeWhisperGgmlSync(model, {
      hparams: {
        ...TINY_EN_HPARAMS,
        n_audio_state: width,
        n_text_state: width,
        n_audio_head: 1,
        n_text_head: 1,
        n_audio_layer: 1,
        n_text_layer: 1,
      },
      seed: 7,
    });
    const res = spawnSync(process.execPath, ["-e", PROBE_SCRIPT, binary, model], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    if (res.error) return { ok: false, why: res.error.message };
    if (res.signal)
      return {
        ok: false,
        why: res.signal === "SIGILL" ? "illegal instruction: built for another CPU" : `killed by ${res.signal}`,
      };
    if (res.status !== 0) return { ok: false, why: `exit ${res.status}: ${res.stderr.trim().split("\n").pop() ?? ""}` };
    return { ok: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bindings = new Map<string, WhisperBinding>();

/**
 * Load the chosen .node file (once per process). whisper.cpp's own log lines are silenced:
 * smart-whisper turns them off when NODE_ENV is "production" at load time.
 */
export function loadWhisperBinding(info: WhisperBuildInfo = whisperBuildInfo()): WhisperBinding {
  const cached = bindings.get(info.path);
  if (cached) return cached;
  const dir = dirname(dirname(dirname(info.path)));
  process.env.GGML_METAL_PATH_RESOURCES ??= join(dir, "whisper.cpp", "ggml", "src");
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    const binding = require(info.path) as WhisperBinding;
    bindings.set(info.path, binding);
    return binding;
  } catch (err) {
    throw new NativeModuleError(
      "WHISPER_LOAD_FAILED",
      `whisper.cpp (${info.kind} build) could not be loaded: ${errorMessage(err)}`,
      {
        hint:
          info.kind === "native"
            ? "Set ROLEPLAY_WHISPER_BUILD=portable, or rebuild with `node scripts/install-whisper.mjs --force`."
            : HINT,
        cause: err,
      },
    );
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** Forget the in-process choice (tests). */
export function resetWhisperBuildChoice(): void {
  chosen = undefined;
}
