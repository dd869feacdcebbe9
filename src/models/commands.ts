/**
 * The `roleplay models …` commands as plain functions: the CLI parses arguments, builds the
 * context from the loaded config, prints what these return and exits non-zero on a thrown
 * RoleplayError. Progress goes to a ProgressRenderer (stderr by default), never to stdout.
 */
import { UsageError } from "../core/errors.js";
import { formatModelInfo, formatModelList, formatRegistry } from "./format.js";
import { createProgressRenderer, type ProgressRenderer } from "./progress.js";
import { pullModel, type PullResult } from "./pull.js";
import type { ModelKind } from "./refs.js";
import { recommendedSet, registryEntries } from "./registry.js";
import { inUsePaths, listModels, modelInfo, removeModel } from "./store.js";

export interface ModelsContext {
  /** The models folder (config `models.dir`, default in the XDG data folder). */
  modelsDir: string;
  /** The hub endpoint (resolveHubEndpoint of flag, env and config). */
  endpoint: string;
  /** The configured model values (config `model`, `asr.model`, `tts.voice`), to mark "in use". */
  configured: readonly (string | undefined)[];
}

const CONFIG_KEY: Record<ModelKind, string> = { llm: "model", whisper: "asr.model", piper: "tts.voice" };

/** `roleplay models ls [--available] [--json]` */
export async function modelsLs(ctx: ModelsContext, opts: { json?: boolean; available?: boolean } = {}): Promise<string> {
  if (opts.available) {
    const entries = registryEntries();
    return opts.json ? JSON.stringify(entries, null, 2) + "\n" : formatRegistry(entries);
  }
  const inUse = await inUsePaths(ctx.configured, ctx.modelsDir);
  const entries = await listModels(ctx.modelsDir, { inUse });
  return opts.json ? JSON.stringify(entries, null, 2) + "\n" : formatModelList(entries, ctx.modelsDir);
}

/** `roleplay models pull <ref...> [--force]`: one model after another; returns the summary to print. */
export async function modelsPull(
  refs: readonly string[],
  ctx: ModelsContext,
  opts: { force?: boolean; signal?: AbortSignal; progress?: ProgressRenderer; json?: boolean } = {},
): Promise<{ text: string; results: PullResult[] }> {
  if (refs.length === 0) {
    const rec = recommendedSet();
    throw new UsageError("NO_MODEL_REF", "Which model? Give a reference.", {
      hint: `e.g. roleplay models pull ${rec.llm.ref} ${rec.whisper.ref} ${rec.piper.ref}`,
    });
  }
  const progress = opts.progress ?? createProgressRenderer(process.stderr);
  const results: PullResult[] = [];
  const lines: string[] = [];
  for (const ref of refs) {
    try {
      const r = await pullModel(ref, {
        modelsDir: ctx.modelsDir,
        endpoint: ctx.endpoint,
        onProgress: (p) => progress.update(p),
        ...(opts.force ? { force: true } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      results.push(r);
      const how = r.skipped ? "already present" : r.verified ? "downloaded, checksum verified" : "downloaded (no published checksum)";
      lines.push(`${r.ref.ref}: ${how}`, `  ${r.path}`, `  use it: ${CONFIG_KEY[r.ref.kind]}: ${r.path}`);
    } finally {
      progress.finish();
    }
  }
  const text = opts.json
    ? JSON.stringify(results.map((r) => ({ ref: r.ref.ref, kind: r.ref.kind, paths: r.paths, skipped: r.skipped, verified: r.verified })), null, 2) + "\n"
    : lines.join("\n") + "\n";
  return { text, results };
}

/** `roleplay models rm <ref or name> [--force]` */
export async function modelsRm(refOrName: string, ctx: ModelsContext, opts: { force?: boolean } = {}): Promise<string> {
  const inUse = await inUsePaths(ctx.configured, ctx.modelsDir);
  const removed = await removeModel(refOrName, { dir: ctx.modelsDir, inUse, ...(opts.force ? { force: true } : {}) });
  return removed.map((p) => `removed ${p}`).join("\n") + "\n";
}

/** `roleplay models info <ref, name or path> [--json]` */
export async function modelsInfo(refOrPath: string, ctx: ModelsContext, opts: { json?: boolean } = {}): Promise<string> {
  const info = await modelInfo(refOrPath, { dir: ctx.modelsDir });
  return opts.json ? JSON.stringify(info, null, 2) + "\n" : formatModelInfo(info);
}
