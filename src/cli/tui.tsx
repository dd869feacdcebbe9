import { render } from "ink";
import { AppController } from "../pipeline/app.js";
import { App } from "../ui/App.js";
import { prepare, type GlobalFlags } from "./context.js";
import { reportError } from "./errors.js";
import { createRuntime, type Runtime } from "./runtime.js";
import { onTerminate } from "./signals.js";

/** Mount the Ink TUI over one runtime. Resolves with the exit code when the user quits. */
export async function runTui(flags: GlobalFlags): Promise<number> {
  const loaded = await prepare(flags, { echoLogs: false });
  const config = loaded.config;
  let runtime: Runtime | undefined;
  const abort = new AbortController();
  const release = onTerminate(async () => {
    abort.abort();
    await runtime?.dispose();
  });
  try {
    process.stderr.write(`Loading ${config.model ?? "model"}…\n`);
    runtime = await createRuntime(config, { signal: abort.signal });
  } catch (err) {
    release();
    await runtime?.dispose();
    return reportError(err, { verbose: Boolean(flags.verbose) });
  }
  const rt = runtime;
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = async (code: number): Promise<void> => {
      if (done) return;
      done = true;
      instance.unmount();
      app.dispose();
      await rt.dispose();
      release();
      resolve(code);
    };
    const app = new AppController(
      rt.session,
      {
        onQuit: () => void finish(0),
        onNewChat: () => rt.session.newChat({ ...(rt.persona.greeting ? { greeting: rt.persona.greeting } : {}) }),
      },
      Math.max(8, Math.round(1000 / config.ui.fps)),
    );
    app.patch({ mic: "unavailable" });
    const instance = render(<App app={app} user={config.userName} />, {
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps: config.ui.fps,
    });
    if (rt.persona.greeting) rt.session.emit({ type: "cleared", greeting: rt.persona.greeting });
    instance.waitUntilExit().then(
      () => void finish(0),
      () => void finish(1),
    );
  });
}
