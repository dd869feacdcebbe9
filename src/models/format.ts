/** Terminal text for `roleplay models ls | info | ls --available`. */
import type { ModelInfo } from "./info.js";
import { formatBytes } from "./progress.js";
import type { RegistryEntry } from "./registry.js";
import type { ModelEntry } from "./store.js";

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd()).join("\n");
}

const KIND: Record<string, string> = { llm: "llm", whisper: "whisper", piper: "piper", onnx: "onnx", unknown: "unknown?" };

export function formatModelList(entries: readonly ModelEntry[], modelsDir: string): string {
  if (entries.length === 0) {
    return `No models in ${modelsDir}.\nPull one with \`roleplay models pull <ref>\` (see \`roleplay models ls --available\`), or place files there by hand.\n`;
  }
  const rows = [["KIND", "NAME", "SIZE", "IN USE", "PATH"]];
  for (const e of entries) rows.push([KIND[e.kind] ?? e.kind, e.ref ?? e.name, formatBytes(e.size), e.inUse ? "yes" : "", e.path]);
  const unknown = entries.some((e) => e.kind === "unknown")
    ? "\nunknown?: not a model file roleplay recognises (damaged download?): check it with `roleplay models info <path>`"
    : "";
  return `${table(rows)}\n${unknown ? unknown.slice(1) + "\n" : ""}`;
}

export function formatRegistry(entries: readonly RegistryEntry[]): string {
  const rows = [["KIND", "REF", "SIZE", "MEMORY", "LANGUAGES", ""]];
  for (const e of entries) {
    rows.push([e.kind, e.ref, formatBytes(e.sizeBytes), formatBytes(e.memoryBytes), e.languages.join(","), e.recommended ? "recommended" : ""]);
  }
  return table(rows) + "\n";
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

export function formatModelInfo(info: ModelInfo): string {
  const lines: [string, string][] = [["path", info.path], ["size", formatBytes(info.size)]];
  if (info.kind === "llm") {
    lines.unshift(["kind", "LLM (GGUF)"]);
    if (info.name) lines.push(["name", info.name]);
    lines.push(["architecture", info.architecture]);
    if (info.parameters !== undefined) lines.push(["parameters", formatCount(info.parameters)]);
    lines.push(["context length", info.contextLength?.toString() ?? "unknown"]);
    lines.push(["quantisation", info.quantization ?? "unknown"]);
    lines.push(["chat template", info.hasChatTemplate ? "yes" : "no (a generic chat format will be used)"]);
  } else if (info.kind === "whisper") {
    lines.unshift(["kind", "whisper (ggml)"]);
    lines.push(["model", info.type], ["languages", info.languages], ["weights", info.weights]);
  } else {
    lines.unshift(["kind", "Piper voice"]);
    lines.push(["language", [info.language, info.languageName].filter(Boolean).join(" ") || "unknown"]);
    const names = info.speakerNames.length ? ` (${info.speakerNames.slice(0, 8).join(", ")}${info.speakerNames.length > 8 ? ", …" : ""})` : "";
    lines.push(["speakers", `${info.speakers}${names}`], ["sample rate", `${info.sampleRate} Hz`]);
    if (info.quality) lines.push(["quality", info.quality]);
  }
  if (info.problem) lines.push(["NOT USABLE", info.problem]);
  const w = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n") + "\n";
}
