import { spawn } from "node:child_process";
import { AbortError } from "../core/errors.js";
import { ESPEAK_INSTALL_HINT, TtsError } from "./errors.js";

/** The espeak-ng program: ROLEPLAY_ESPEAK overrides the name or path. */
export function espeakProgram(): string {
  return process.env.ROLEPLAY_ESPEAK || "espeak-ng";
}

/** Texts longer than this go through stdin instead of argv (argv strings are limited to 128 KiB). */
const MAX_ARG_CHARS = 30_000;

/**
 * Run espeak-ng with `args` and `text` (after `--`, so a text starting with "-" is not an option);
 * resolves with its stdout. A missing program, an unknown voice and a non-zero exit become a
 * TtsError; the signal kills the process and rejects with AbortError.
 */
export function runEspeak(args: string[], text: string, opts: { signal?: AbortSignal } = {}): Promise<Buffer> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(new AbortError());
  const viaStdin = text.length > MAX_ARG_CHARS;
  const program = espeakProgram();
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(program, viaStdin ? args : [...args, "--", text], {
      stdio: [viaStdin ? "pipe" : "ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const onAbort = (): void => {
      child.kill("SIGKILL");
      finish(() => reject(new AbortError()));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => {
      if (err.length < 4000) err += d.toString("utf8");
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          e.code === "ENOENT"
            ? new TtsError("ESPEAK_NOT_FOUND", `espeak-ng is not installed (${program} not found)`, {
                hint: ESPEAK_INSTALL_HINT,
                cause: e,
              })
            : new TtsError("ESPEAK_FAILED", `could not run ${program}: ${e.message}`, { cause: e }),
        ),
      );
    });
    child.on("close", (code, sig) => {
      if (code === 0) return finish(() => resolve(Buffer.concat(out)));
      const line = err.split("\n").find((l) => l.trim()) ?? (sig ? `killed by ${sig}` : `exit code ${code}`);
      const badVoice = /voice does not exist|no such file/i.test(err);
      finish(() =>
        reject(
          new TtsError(badVoice ? "ESPEAK_VOICE" : "ESPEAK_FAILED", `espeak-ng failed: ${line.trim()}`, {
            hint: badVoice ? "List the installed voices with `espeak-ng --voices`." : undefined,
          }),
        ),
      );
    });
    if (viaStdin && child.stdin) {
      child.stdin.on("error", () => undefined); // the process may exit before reading everything
      child.stdin.end(text.replace(/\s*\n\s*/g, " "));
    }
  });
}
