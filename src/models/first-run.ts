/**
 * The guided first run, as pure logic the TUI drives: what is missing for a conversation, what to
 * tell an offline user, and pulling the recommended set.
 *
 * Needed: an LLM (`model`) and a whisper model (`asr.model`). A Piper voice (`tts.voice`) is
 * needed when `tts.engine` is "piper"; with the default espeak-ng voice it is offered as optional.
 * Models already in the folder but not yet configured are picked up instead of downloaded.
 */
import { join } from "node:path";
import { AbortError, DownloadError } from "../core/errors.js";
import { formatBytes } from "./progress.js";
import { pullModel, type PullResult } from "./pull.js";
import type { PullProgress } from "./progress.js";
import { isModelRef, parseModelRef, resolveHubEndpoint, type ModelKind } from "./refs.js";
import { findRegistryEntry, recommendedSet, type RegistryEntry } from "./registry.js";
import { listModels, resolveModelPath } from "./store.js";

/** The part of the config this looks at (structurally compatible with the app's Config). */
export interface FirstRunConfig {
  model?: string | undefined;
  asr?: { model?: string | undefined } | undefined;
  tts?: { engine?: string | undefined; voice?: string | undefined } | undefined;
}

export type ConfigKey = "model" | "asr.model" | "tts.voice";

export interface MissingModel {
  kind: ModelKind;
  configKey: ConfigKey;
  reason: "not-configured" | "not-found";
  /** The configured value that could not be found. */
  configured?: string;
  /** What to pull: the configured ref when there is one, else the recommended entry. */
  pull: { ref: string; title: string; sizeBytes: number | undefined };
  /** False for the optional Piper voice (espeak-ng works without downloads). */
  required: boolean;
}

export interface FirstRunPlan {
  modelsDir: string;
  missing: MissingModel[];
  /** Models in the folder that the config does not name yet, and the key that should name them. */
  found: { kind: ModelKind; configKey: ConfigKey; path: string }[];
  /** Nothing required is missing. */
  ready: boolean;
}

const KEYS: { kind: ModelKind; key: ConfigKey }[] = [
  { kind: "llm", key: "model" },
  { kind: "whisper", key: "asr.model" },
  { kind: "piper", key: "tts.voice" },
];

function configured(config: FirstRunConfig, key: ConfigKey): string | undefined {
  if (key === "model") return config.model;
  if (key === "asr.model") return config.asr?.model;
  return config.tts?.voice;
}

function entryFor(ref: string): MissingModel["pull"] {
  const e = findRegistryEntry(ref);
  return { ref, title: e?.title ?? ref, sizeBytes: e?.sizeBytes };
}

/** What the first run has to do for this config and models folder. Never touches the network. */
export async function planFirstRun(config: FirstRunConfig, modelsDir: string, options: { language?: string } = {}): Promise<FirstRunPlan> {
  const rec = recommendedSet(options.language ? { language: options.language } : {});
  const listed = await listModels(modelsDir);
  const plan: FirstRunPlan = { modelsDir, missing: [], found: [], ready: true };
  for (const { kind, key } of KEYS) {
    const required = kind !== "piper" || config.tts?.engine === "piper";
    const value = configured(config, key);
    const recommended: RegistryEntry = rec[kind];
    if (value) {
      if (await resolveModelPath(value, modelsDir)) continue;
      const pull = isModelRef(value) && safeKind(value) === kind ? entryFor(value) : entryFor(recommended.ref);
      plan.missing.push({ kind, configKey: key, reason: "not-found", configured: value, pull, required });
    } else {
      const local = listed.find((e) => e.kind === kind);
      if (local) plan.found.push({ kind, configKey: key, path: local.path });
      else plan.missing.push({ kind, configKey: key, reason: "not-configured", pull: entryFor(recommended.ref), required });
    }
  }
  plan.ready = plan.missing.every((m) => !m.required);
  return plan;
}

function safeKind(ref: string): ModelKind | undefined {
  try {
    return parseModelRef(ref).kind;
  } catch {
    return undefined;
  }
}

const KIND_TITLE: Record<ModelKind, string> = { llm: "Language model", whisper: "Speech recognition", piper: "Voice" };

/** Text for an offline user: exactly which files to place where, and where to get them elsewhere. */
export function offlineInstructions(missing: readonly MissingModel[], modelsDir: string, options: { endpoint?: string } = {}): string {
  if (missing.length === 0) return "All the models are in place.";
  const lines = [`Without a network connection, place these files in ${modelsDir} (from a machine that has one):`, ""];
  for (const m of missing) {
    const size = m.pull.sizeBytes ? `, about ${formatBytes(m.pull.sizeBytes)}` : "";
    lines.push(`${KIND_TITLE[m.kind]}: ${m.pull.title}${size}${m.required ? "" : " (optional: espeak-ng speaks without it)"}`);
    let files: { fileName: string; url: string }[] = [];
    try {
      files = parseModelRef(m.pull.ref, { endpoint: options.endpoint ?? resolveHubEndpoint() }).files;
    } catch {
      files = [];
    }
    for (const f of files) {
      lines.push(`  ${join(modelsDir, f.fileName)}`);
      lines.push(`      from ${f.url}`);
    }
    if (files.length === 0) lines.push(`  any .gguf file, or run \`roleplay models pull ${m.pull.ref}\` when online`);
    if (m.configured) lines.push(`  (the config names "${m.configured}" for ${m.configKey}: fix that path or place the file there)`);
    lines.push("");
  }
  lines.push("Any file name works: roleplay finds models in that folder by their contents. Then start roleplay again.");
  return lines.join("\n");
}

export interface PullRecommendedOptions {
  plan: FirstRunPlan;
  /** Accept without asking (`--yes`). Without it, `confirm` is asked; without either nothing is pulled. */
  yes?: boolean;
  confirm?: (plan: FirstRunPlan) => boolean | Promise<boolean>;
  /** Also pull the optional Piper voice. Default true. */
  includeOptional?: boolean;
  endpoint?: string;
  signal?: AbortSignal;
  onProgress?: (p: PullProgress) => void;
  /** Called when one model starts downloading. */
  onModel?: (m: MissingModel) => void;
}

export interface PullRecommendedResult {
  accepted: boolean;
  pulled: PullResult[];
  /** Config values to write so the app uses the models (`tts.engine: "piper"` when a voice was added). */
  configUpdates: Partial<Record<ConfigKey | "tts.engine", string>>;
}

/**
 * Pull what the plan says is missing, one model after another, and return the config updates
 * (found models included). A network failure becomes a DownloadError whose hint points to the
 * offline instructions.
 */
export async function pullRecommended(opts: PullRecommendedOptions): Promise<PullRecommendedResult> {
  const { plan } = opts;
  const configUpdates: PullRecommendedResult["configUpdates"] = {};
  for (const f of plan.found) configUpdates[f.configKey] = f.path;
  const todo = plan.missing.filter((m) => m.required || opts.includeOptional !== false);
  const accepted = opts.yes === true || (opts.confirm ? await opts.confirm(plan) : false);
  if (!accepted) return { accepted: false, pulled: [], configUpdates };
  const pulled: PullResult[] = [];
  for (const m of todo) {
    if (opts.signal?.aborted) throw new AbortError();
    opts.onModel?.(m);
    try {
      const r = await pullModel(m.pull.ref, {
        modelsDir: plan.modelsDir,
        ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      pulled.push(r);
      configUpdates[m.configKey] = r.path;
      if (m.kind === "piper") configUpdates["tts.engine"] = "piper";
    } catch (err) {
      if (err instanceof DownloadError && err.code === "DOWNLOAD_NETWORK") {
        throw new DownloadError(err.code, err.message, {
          hint: `Offline? Place the model files in ${plan.modelsDir} by hand (the list of files is printed above)`,
          cause: err,
        });
      }
      throw err;
    }
  }
  return { accepted: true, pulled, configUpdates };
}
