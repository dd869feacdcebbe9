import { median } from "../core/conversation.js";
import type { AppView } from "../pipeline/app.js";

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** The latency part of the status bar: last turn and running medians. */
export function latencySummary(view: AppView): string {
  const t = view.lastTurn;
  if (!t) return "";
  const parts = [`first token ${ms(t.firstTokenMs)}`];
  if (t.tokensPerSecond !== undefined) parts.push(`${t.tokensPerSecond.toFixed(0)} tok/s`);
  if (t.firstAudioMs !== undefined) parts.push(`first audio ${ms(t.firstAudioMs)}`);
  const mt = median(view.recentFirstToken);
  const ma = median(view.recentFirstAudio);
  if (view.recentFirstToken.length > 1) parts.push(`median ${ms(mt)}${ma !== undefined ? ` / ${ms(ma)}` : ""}`);
  return parts.join(" · ");
}

const STATE_LABEL: Record<AppView["state"], string> = {
  loading: "loading",
  idle: "ready",
  listening: "listening",
  hearing: "hearing you",
  transcribing: "transcribing",
  thinking: "thinking",
  speaking: "speaking",
  muted: "muted",
};

export function stateLabel(view: AppView): string {
  return STATE_LABEL[view.state];
}

/** A small level meter for the microphone, from dBFS. */
export function meter(dbfs: number, width = 8): string {
  const norm = Math.max(0, Math.min(1, (dbfs + 60) / 60));
  const filled = Math.round(norm * width);
  return "▮".repeat(filled) + "▯".repeat(width - filled);
}

/** Wrap text to a width, keeping words whole where possible. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/(\s+)/)) {
      if ((line + word).length > width && line.trim()) {
        out.push(line.trimEnd());
        line = word.trimStart();
        while (line.length > width) {
          out.push(line.slice(0, width));
          line = line.slice(width);
        }
      } else line += word;
    }
    out.push(line.trimEnd());
  }
  return out;
}
