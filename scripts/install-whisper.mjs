#!/usr/bin/env node
/**
 * Postinstall: build a CPU-tuned copy of smart-whisper's native addon.
 *
 * smart-whisper compiles whisper.cpp with -O3 only (no vector instructions). This script builds
 * the same sources again with -march=native (and -DNDEBUG) into a SEPARATE folder
 * (node_modules/smart-whisper/build-native/Release/smart-whisper.node), so the portable build in
 * build/Release stays untouched as the fallback. The app (src/asr/native.ts) uses the fast build
 * when it is present and passes a probe, else the portable one.
 *
 * It never fails the install: any problem prints one line and exits 0.
 *   --force                      rebuild even when an up-to-date fast build exists
 *   ROLEPLAY_WHISPER_FAST=0      skip the fast build
 *   ROLEPLAY_WHISPER_JOBS=N      parallel compile jobs (default 1: installs share the machine)
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  openSync,
  closeSync,
  realpathSync,
} from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TAG = "roleplay: whisper fast build";
// -DNDEBUG: a release build; without it ggml prints debug lines to stderr on every transcription.
const ARCH_FLAGS = "-march=native -mtune=native -DNDEBUG";
const BUILD_TIMEOUT_MS = 30 * 60_000;
const require = createRequire(import.meta.url);

function say(msg) {
  process.stdout.write(`${TAG}: ${msg}\n`);
}

/** Identifies the CPU the build is tuned for (same recipe as src/asr/native.ts). */
function cpuSignature() {
  let text = `${process.platform}-${process.arch}-${cpus()[0]?.model ?? "?"}`;
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const flags = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(info)?.[1] ?? "";
    text += `|${flags.trim().split(/\s+/).sort().join(" ")}`;
  } catch {
    // not Linux: the model name is what we have
  }
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      "..",
      "lib",
      "node_modules",
      "npm",
      "node_modules",
      "node-gyp",
      "bin",
      "node-gyp.js",
    ),
    join(dirname(process.execPath), "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  ];
  for (const c of candidates) if (c && existsSync(c)) return [process.execPath, [c]];
  try {
    return [process.execPath, [require.resolve("node-gyp/bin/node-gyp.js")]];
  } catch {
    return ["node-gyp", []];
  }
}

/** A binding.gyp equal to smart-whisper's, with every path made absolute so it builds elsewhere. */
function writeGyp(swDir, buildDir) {
  const cfg = require(join(swDir, "dist", "build.js"));
  // gyp's make generator mangles absolute source paths: give them relative to the build folder.
  const rel = (p) => relative(buildDir, isAbsolute(p) ? p : join(swDir, p));
  const split = (s) => String(s).split(/\s+/).filter(Boolean);
  const swRequire = createRequire(join(swDir, "package.json"));
  const addonDir = dirname(swRequire.resolve("node-addon-api/package.json"));
  const addon = swRequire("node-addon-api");
  const gyp = {
    targets: [
      {
        target_name: "smart-whisper",
        sources: [
          ...["binding.cc", "common.cc", "model.cc", "transcribe.cc"].map((f) => rel(join("src", "binding", f))),
          ...split(cfg.sources).map(rel),
        ],
        libraries: cfg.libraries ? [cfg.libraries] : [],
        defines: split(cfg.defines),
        include_dirs: [
          addon.include.replace(/^"|"$/g, ""),
          ...["whisper.cpp/include", "whisper.cpp/ggml/include", "whisper.cpp/examples"].map(rel),
        ],
        dependencies: [join(addonDir, "node_api.gyp:nothing")],
        "cflags!": ["-fno-exceptions"],
        "cflags_cc!": ["-fno-exceptions"],
        xcode_settings: {
          GCC_ENABLE_CPP_EXCEPTIONS: "YES",
          CLANG_CXX_LIBRARY: "libc++",
          GCC_SYMBOLS_PRIVATE_EXTERN: "YES",
        },
      },
    ],
  };
  writeFileSync(join(buildDir, "binding.gyp"), JSON.stringify(gyp, null, 2));
}

const GROUPS = process.platform !== "win32";

/** Signal the child's whole process group (node-gyp, make, the compilers); the child alone without groups. */
function signalTree(child, signal) {
  try {
    if (GROUPS && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

/**
 * Run a build command, its output appended to `logFile`. It runs in its own process group, so
 * that on the timeout, or when this script is stopped (Ctrl+C, npm killed), everything it started
 * (make, cc1plus…) stops too, not only the command itself: SIGTERM, then SIGKILL for what is left.
 */
export function run(cmd, args, options, logFile, timeoutMs = BUILD_TIMEOUT_MS) {
  return new Promise((resolvePromise) => {
    const fd = openSync(logFile, "a");
    const child = spawn(cmd, args, { ...options, stdio: ["ignore", fd, fd], detached: GROUPS });
    let timedOut = false;
    let killTimer;
    const timer = setTimeout(() => {
      timedOut = true;
      signalTree(child, "SIGTERM");
      killTimer = setTimeout(() => signalTree(child, "SIGKILL"), 5_000);
    }, timeoutMs);
    // A detached group does not get the terminal's Ctrl+C: pass this script's end on to it.
    const onSignal = (signal) => {
      signalTree(child, "SIGKILL");
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    const onExit = () => signalTree(child, "SIGKILL");
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const s of signals) process.on(s, onSignal);
    process.on("exit", onExit);
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      for (const s of signals) process.removeListener(s, onSignal);
      process.removeListener("exit", onExit);
      closeSync(fd);
      resolvePromise(result);
    };
    child.on("error", (err) => finish({ ok: false, why: err.message }));
    child.on("exit", (code, signal) => {
      // The command is gone; after a timeout, whatever it started may not be: stop it before the
      // build folder is deleted.
      if (timedOut) signalTree(child, "SIGKILL");
      const why = timedOut
        ? `timed out after ${Math.round(timeoutMs / 60_000)} min`
        : signal
          ? `killed by ${signal}`
          : `exit code ${code}`;
      finish({ ok: code === 0 && !timedOut, why });
    });
  });
}

async function main() {
  if (process.env.ROLEPLAY_WHISPER_FAST === "0") return say("skipped (ROLEPLAY_WHISPER_FAST=0)");
  if (process.platform === "win32") return say("skipped on Windows (MSVC ignores CFLAGS); the portable build is used");
  let swDir;
  try {
    swDir = dirname(require.resolve("smart-whisper/package.json"));
  } catch {
    return say("skipped (smart-whisper is not installed)");
  }
  const version = JSON.parse(readFileSync(join(swDir, "package.json"), "utf8")).version;
  const outDir = join(swDir, "build-native");
  const outNode = join(outDir, "Release", "smart-whisper.node");
  const stampFile = join(outDir, "roleplay-build.json");
  const stamp = { smartWhisper: version, flags: ARCH_FLAGS, cpu: cpuSignature(), node: process.version };
  if (!process.argv.includes("--force") && existsSync(outNode) && existsSync(stampFile)) {
    try {
      const old = JSON.parse(readFileSync(stampFile, "utf8"));
      if (old.smartWhisper === stamp.smartWhisper && old.flags === stamp.flags && old.cpu === stamp.cpu) {
        return say("up to date");
      }
    } catch {
      // rebuild
    }
  }
  mkdirSync(join(outDir, "Release"), { recursive: true });
  const logFile = join(outDir, "build.log");
  writeFileSync(logFile, `${new Date().toISOString()} building smart-whisper ${version} with ${ARCH_FLAGS}\n`);
  const buildDir = mkdtempSync(join(tmpdir(), "roleplay-whisper-build-"));
  try {
    writeGyp(swDir, buildDir);
    const [cmd, pre] = findNodeGyp();
    const jobs = process.env.ROLEPLAY_WHISPER_JOBS ?? "1";
    const args = [...pre, "rebuild", `--jobs=${jobs}`];
    // Offline installs: use the headers that ship with this Node rather than downloading them.
    const prefix = dirname(dirname(process.execPath));
    if (!process.env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node.h"))) {
      args.push(`--nodedir=${prefix}`);
    }
    const env = {
      ...process.env,
      CFLAGS: `${process.env.CFLAGS ?? ""} ${ARCH_FLAGS}`.trim(),
      CXXFLAGS: `${process.env.CXXFLAGS ?? ""} ${ARCH_FLAGS}`.trim(),
    };
    const started = Date.now();
    const res = await run(cmd, args, { cwd: buildDir, env }, logFile);
    const built = join(buildDir, "build", "Release", "smart-whisper.node");
    if (!res.ok || !existsSync(built)) {
      return say(`failed (${res.why}); the portable build stays in use (log: ${logFile})`);
    }
    // Load it once in a child: a missing symbol or an illegal instruction must not reach the installer.
    const probe = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(resolve(built))})`], {
      stdio: "ignore",
      timeout: 60_000,
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (probe.status !== 0) {
      return say(
        `built but does not load (${probe.signal ?? `exit ${probe.status}`}); the portable build stays in use`,
      );
    }
    // Copy then rename: a running app may have the old file mapped; replacing its inode is safe.
    copyFileSync(built, `${outNode}.tmp`);
    renameSync(`${outNode}.tmp`, outNode);
    writeFileSync(stampFile, JSON.stringify({ ...stamp, builtAt: new Date().toISOString() }, null, 2) + "\n");
    say(`ready (${ARCH_FLAGS}, ${Math.round((Date.now() - started) / 1000)} s): ${outNode}`);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}

/** Run only as a program (postinstall), not when imported (the tests import `run`). */
function isMain() {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMain()) {
  main()
    .catch((err) =>
      say(`failed (${err instanceof Error ? err.message : String(err)}); the portable build stays in use`),
    )
    .finally(() => process.exit(0));
}
