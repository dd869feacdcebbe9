import { existsSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * The folder of real model files for tier-2 tests, from ROLEPLAY_TEST_MODELS, or undefined.
 * Tests that need it skip with a message naming the variable.
 */
export function testModelsDir(): string | undefined {
  const dir = process.env.ROLEPLAY_TEST_MODELS;
  if (!dir) return undefined;
  const abs = resolve(dir);
  return existsSync(abs) ? abs : undefined;
}

/** Path of one file in the tier-2 models folder, or undefined when absent. */
export function testModel(name: string): string | undefined {
  const dir = testModelsDir();
  if (!dir) return undefined;
  const file = join(dir, name);
  return existsSync(file) ? file : undefined;
}

export const TIER2_SKIP_REASON = "set ROLEPLAY_TEST_MODELS to a folder of real models to run this test";

/** A fresh temporary folder; call the returned cleanup in afterEach/afterAll. */
export function tempDir(prefix = "roleplay-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
