/** Doctor checks of the configured model files and of the memory they need. */
import { stat } from "node:fs/promises";
import { RoleplayError, errorMessage } from "../core/errors.js";
import { checkModelFile } from "../models/magic.js";
import { formatBytes } from "../models/progress.js";
import { isModelRef, type ModelKind } from "../models/refs.js";
import { recommendedSet } from "../models/registry.js";
import { findConfiguredModel, listModels } from "../models/store.js";
import type { DoctorCheck, DoctorConfig, ModelChecker } from "./types.js";

const TITLE: Record<ModelKind, string> = { llm: "Language model", whisper: "Whisper model", piper: "Piper voice" };
const KEY: Record<ModelKind, string> = { llm: "model", whisper: "asr.model", piper: "tts.voice" };

export interface ModelCheckResult {
  check: DoctorCheck;
  /** The file, when it was found and passed. */
  path?: string;
  size?: number;
}

function configuredValue(config: DoctorConfig, kind: ModelKind): string | undefined {
  if (kind === "llm") return config.model;
  if (kind === "whisper") return config.asr?.model;
  return config.tts?.voice;
}

function failure(name: string, err: unknown, fallbackFix: string, preferHint: boolean): DoctorCheck {
  const fix = preferHint && err instanceof RoleplayError && err.hint ? err.hint : fallbackFix;
  return { name, status: "fail", detail: errorMessage(err), fix };
}

export async function checkConfiguredModel(
  kind: ModelKind,
  config: DoctorConfig,
  modelsDir: string,
  checker: ModelChecker | undefined,
): Promise<ModelCheckResult | undefined> {
  const name = TITLE[kind];
  const value = configuredValue(config, kind);
  const rec = recommendedSet()[kind].ref;
  if (kind === "piper" && (config.tts?.engine ?? "espeak") !== "piper" && !value) return undefined;
  if (!value) {
    const local = (await listModels(modelsDir)).find((e) => e.kind === kind);
    if (local) {
      return {
        check: {
          name,
          status: "warn",
          detail: `not configured; ${local.path} is in the models folder`,
          fix: `Set ${KEY[kind]}: ${local.path} in the config`,
        },
      };
    }
    const status = kind === "whisper" ? "warn" : "fail";
    const why = kind === "whisper" ? " (needed to talk by voice)" : "";
    return {
      check: {
        name,
        status,
        detail: `not configured${why}`,
        fix: `Run \`roleplay\` for the guided setup, or \`roleplay models pull ${rec}\` and set ${KEY[kind]} in the config`,
      },
    };
  }
  // Found as the app finds it (a config-relative path falls back to the models folder).
  const path = await findConfiguredModel(value, modelsDir);
  if (!path) {
    const fix = isModelRef(value)
      ? `Download it: \`roleplay models pull ${value}\``
      : `Fix ${KEY[kind]} in the config, or download one: \`roleplay models pull ${rec}\``;
    return { check: { name, status: "fail", detail: `${value} not found (models folder: ${modelsDir})`, fix } };
  }
  const redo = `Delete it and download it again: \`roleplay models rm ${path}\`, then \`roleplay models pull ${isModelRef(value) ? value : rec}\``;
  try {
    await checkModelFile(path, kind);
  } catch (err) {
    // A file of another kind (a whisper .bin given as the LLM): the hint says to fix the config.
    const otherKind = err instanceof RoleplayError && err.hint?.includes("config key") === true;
    return { check: failure(name, err, redo, otherKind) };
  }
  try {
    if (checker) await checker(path);
  } catch (err) {
    return { check: failure(name, err, redo, true) };
  }
  const size = (await stat(path)).size;
  return { check: { name, status: "ok", detail: `${path} (${formatBytes(size)})` }, path, size };
}

/** Free memory against what the models need (file sizes, plus the LLM's KV cache and runtime). */
export function checkMemory(free: number, modelBytes: number): DoctorCheck {
  const name = "Free memory";
  const need = Math.round(modelBytes * 1.15 + 300_000_000);
  const detail = `${formatBytes(free)} available; the configured models need about ${formatBytes(need)}`;
  if (free >= need * 1.25) return { name, status: "ok", detail };
  const fix =
    "Close other programs, or use a smaller model (e.g. `roleplay models pull " + recommendedSet().llm.ref + "`)";
  if (free >= need) return { name, status: "warn", detail: `${detail}: little headroom`, fix };
  return { name, status: "fail", detail: `${detail}: not enough`, fix };
}
