import { UsageError } from "../core/errors.js";

/**
 * Ink renders only the last frame when it believes it runs in CI (the `is-in-ci` check: `CI`,
 * `CONTINUOUS_INTEGRATION` or any `CI_*` variable). A person at a real terminal must get the live
 * UI whatever their environment says, so before Ink is first imported, an interactive stdout
 * hides those variables from that check. The original values are kept for programs roleplay
 * starts (the wrapped child sees its environment unchanged).
 */
const saved: Record<string, string> = {};

export function preferInteractiveUi(): void {
  // React's production build: the development one is slower and prints warnings over the UI.
  process.env.NODE_ENV ??= "production";
  if (!process.stdout.isTTY) return;
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key === "CI" || key === "CONTINUOUS_INTEGRATION" || key.startsWith("CI_")) {
      saved[key] = value;
      delete process.env[key];
    }
  }
}

/** The CI variables hidden from Ink, to hand back to child programs. */
export function hiddenCiEnv(): Record<string, string> {
  return { ...saved };
}

/**
 * The chat and `wrap` read keys in raw mode: they need a terminal on stdin and stdout. Without
 * one, say how to run a script instead of letting Ink fail with a stack trace.
 */
export function requireTerminal(what: string): void {
  if (process.stdin.isTTY && process.stdout.isTTY) return;
  throw new UsageError("NOT_A_TERMINAL", `${what} needs an interactive terminal (stdin and stdout)`, {
    hint: 'For scripts use headless mode: roleplay -p "text" (or -p - to read stdin), --json, or --audio-in file.wav.',
  });
}
