import { prepare, type GlobalFlags } from "./context.js";
import { readStdin, runHeadlessPrompts } from "./headless.js";
import { createRuntime, type Runtime } from "./runtime.js";
import { onTerminate } from "./signals.js";
import { reportError } from "./errors.js";

export interface RootFlags extends GlobalFlags {
  prompt?: string;
  resume?: boolean;
  session?: string;
  yes?: boolean;
}

/** `roleplay` itself: the TUI, or headless with -p. Returns the exit code. */
export async function runRoot(flags: RootFlags): Promise<number> {
  const headless = flags.prompt !== undefined;
  if (!headless) {
    const { runTui } = await import("./tui.js");
    return runTui(flags);
  }
  return runHeadless(flags);
}

async function runHeadless(flags: RootFlags): Promise<number> {
  const loaded = await prepare(flags);
  let runtime: Runtime | undefined;
  const abort = new AbortController();
  const release = onTerminate(async () => {
    abort.abort();
    if (runtime) {
      await runtime.session.interrupt("signal");
      await runtime.dispose();
    }
  });
  try {
    const prompt = flags.prompt === "-" ? await readStdin() : (flags.prompt ?? "");
    runtime = await createRuntime(loaded.config, { signal: abort.signal });
    return await runHeadlessPrompts(runtime, [prompt], { json: Boolean(flags.json) });
  } catch (err) {
    if (flags.json) {
      const e = err as { message?: string; hint?: string; code?: string };
      process.stdout.write(
        JSON.stringify({
          type: "error",
          message: e.message ?? String(err),
          ...(e.hint ? { hint: e.hint } : {}),
          ...(e.code ? { code: e.code } : {}),
        }) + "\n",
      );
    }
    return reportError(err, { verbose: Boolean(flags.verbose) });
  } finally {
    await runtime?.dispose();
    release();
  }
}
