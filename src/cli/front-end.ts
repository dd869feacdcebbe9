import type { ResolvedConfig } from "../config/schema.js";
import { AppController, type AppHooks } from "../pipeline/app.js";
import type { VoiceSession } from "../pipeline/session.js";
import { metricsWriter } from "./metrics.js";
import type { Runtime } from "./runtime.js";

/** What a mounted UI gives back (an Ink instance). */
export interface MountedUi {
  unmount(): void;
  waitUntilExit(): Promise<unknown>;
}

export interface FrontEndRun {
  config: ResolvedConfig;
  session: VoiceSession;
  /** The loaded LLM, when there is one: its replies are written to the metrics file. */
  runtime: Runtime | undefined;
  /** The controller's hooks; quitting is handled here. */
  hooks: Omit<AppHooks, "onQuit">;
  /** Attach voice, mount the UI and greet; returns the mounted UI. */
  start(app: AppController): MountedUi;
  /** Release everything the run holds (called once, after the UI is unmounted). */
  cleanup(): Promise<void>;
}

/** How often the UI flushes its store, from `ui.fps`. */
export function uiFlushMs(config: ResolvedConfig): number {
  return Math.max(8, Math.round(1000 / config.ui.fps));
}

/**
 * Run the TUI until the user quits: one AppController over the session, the UI `start` mounts,
 * and on quit (or when the UI exits) unmount, dispose the controller and clean up, once.
 * Resolves with the exit code: 0, or 1 when the UI failed.
 */
export function runFrontEnd(run: FrontEndRun): Promise<number> {
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = async (code: number): Promise<void> => {
      if (done) return;
      done = true;
      instance.unmount();
      app.dispose();
      await run.cleanup();
      resolve(code);
    };
    const app = new AppController(run.session, { onQuit: () => void finish(0), ...run.hooks }, uiFlushMs(run.config));
    const rt = run.runtime;
    if (rt) {
      run.session.on(
        metricsWriter(run.config.log.metricsFile, { model: rt.engine.modelName, character: rt.persona.name }),
      );
    }
    const instance = run.start(app);
    instance.waitUntilExit().then(
      () => void finish(0),
      () => void finish(1),
    );
  });
}
