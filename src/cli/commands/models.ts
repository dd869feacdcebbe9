import type { Command } from "commander";
import { isAbortError } from "../../core/errors.js";
import { prepare, type GlobalFlags } from "../context.js";
import { abortOnTerminate } from "../signals.js";
import { usageExit } from "./usage-exit.js";

const out = (text: string): void => {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
};

async function context(cmd: Command) {
  const loaded = await prepare(cmd.optsWithGlobals<GlobalFlags>());
  const { modelsContext } = await import("../resolve-models.js");
  return modelsContext(loaded.config);
}

/**
 * `roleplay models pull <ref...>`: progress on stderr, the summary on stdout. Ctrl+C (or SIGTERM)
 * aborts the download: the partial file stays as a resumable `.part`, never under a model's name,
 * and the process exits 130 (143).
 */
async function pull(refs: string[], opts: { force?: boolean; json?: boolean }, cmd: Command): Promise<void> {
  const ctx = await context(cmd);
  const { modelsPull } = await import("../../models/index.js");
  const work = abortOnTerminate();
  try {
    const { text } = await modelsPull(refs, ctx, {
      signal: work.signal,
      ...(opts.force ? { force: true } : {}),
      ...(opts.json ? { json: true } : {}),
    });
    out(text);
  } catch (err) {
    if (work.signal.aborted && isAbortError(err)) {
      process.stderr.write("roleplay: download interrupted; run the same pull again to resume it\n");
      process.exitCode = 130;
      return;
    }
    throw err;
  } finally {
    work.settled();
  }
}

export function registerModels(program: Command): void {
  const models = program
    .command("models")
    .description("download, list, remove and inspect models (LLM, whisper, Piper voices)")
    .exitOverride(usageExit);

  models
    .command("pull")
    .description(
      "download models: hf:user/repo/file.gguf, hf:user/repo:Q4_K_M, whisper:base.en, piper:en_US-lessac-medium, or an https URL",
    )
    .argument("[refs...]", "model references")
    .option("-f, --force", "download again even when present")
    .option("--json", "print the result as JSON")
    .exitOverride(usageExit)
    .action(pull);

  models
    .command("ls")
    .alias("list")
    .description("models in the models folder (files placed by hand included)")
    .option("-a, --available", "the curated list of recommended models instead")
    .option("--json", "as JSON")
    .exitOverride(usageExit)
    .action(async (opts: { available?: boolean; json?: boolean }, cmd: Command) => {
      const ctx = await context(cmd);
      const { modelsLs } = await import("../../models/index.js");
      out(
        await modelsLs(ctx, { ...(opts.available ? { available: true } : {}), ...(opts.json ? { json: true } : {}) }),
      );
    });

  models
    .command("rm")
    .alias("remove")
    .description("remove a model (all its files) from the models folder")
    .argument("<ref|name|path>", "what `roleplay models ls` shows, a reference or a path")
    .option("-f, --force", "remove it even when the config uses it")
    .exitOverride(usageExit)
    .action(async (ref: string, opts: { force?: boolean }, cmd: Command) => {
      const ctx = await context(cmd);
      const { modelsRm } = await import("../../models/index.js");
      out(await modelsRm(ref, ctx, opts.force ? { force: true } : {}));
    });

  models
    .command("info")
    .description("what a model is: GGUF metadata, whisper size and languages, Piper language and speakers")
    .argument("<ref|name|path>", "a reference, a name from `roleplay models ls`, or a file path")
    .option("--json", "as JSON")
    .exitOverride(usageExit)
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      const ctx = await context(cmd);
      const { modelsInfo } = await import("../../models/index.js");
      out(await modelsInfo(ref, ctx, opts.json ? { json: true } : {}));
    });
}
