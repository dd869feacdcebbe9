import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir } from "../helpers/env.js";

/**
 * A throwaway tree for config tests: `root/home` is the fake home (HOME in `env`), `root/home/proj`
 * the project. Searches stop at the fake home, so the real user's files are never read.
 */
export interface ConfigTree {
  root: string;
  home: string;
  proj: string;
  env: NodeJS.ProcessEnv;
  /** Write a file (folders created) relative to root; returns its absolute path. */
  write(relPath: string, content: string): string;
  cleanup(): void;
}

export function configTree(): ConfigTree {
  const { dir, cleanup } = tempDir("roleplay-config-");
  const home = join(dir, "home");
  const proj = join(home, "proj");
  mkdirSync(proj, { recursive: true });
  return {
    root: dir,
    home,
    proj,
    env: { HOME: home },
    write(relPath, content) {
      const file = join(dir, relPath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    cleanup,
  };
}

/** Run a promise that must reject; returns the error. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; hint?: string; exitCode?: number }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}
