/** The doctor's report as terminal text: one line per check, a fix under each problem. */
import type { CheckStatus, DoctorReport } from "./types.js";

const MARK: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗" };
const COLOR: Record<CheckStatus, string> = { ok: "\x1b[32m", warn: "\x1b[33m", fail: "\x1b[31m" };
const RESET = "\x1b[0m";

export function formatDoctorReport(report: DoctorReport, options: { color?: boolean } = {}): string {
  const paint = (s: CheckStatus, text: string): string => (options.color ? `${COLOR[s]}${text}${RESET}` : text);
  const width = Math.max(...report.checks.map((c) => c.name.length), 8);
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${paint(c.status, MARK[c.status])} ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.fix && c.status !== "ok") lines.push(`  ${" ".repeat(width)}  ${paint(c.status, "fix:")} ${c.fix}`);
  }
  const { ok, warn, fail } = report.counts;
  lines.push("");
  const summary =
    fail > 0
      ? `${fail} problem${fail === 1 ? "" : "s"} to fix` + (warn ? `, ${warn} warning${warn === 1 ? "" : "s"}` : "")
      : warn > 0
        ? `Ready, with ${warn} warning${warn === 1 ? "" : "s"}`
        : `All ${ok} checks passed`;
  lines.push(paint(fail > 0 ? "fail" : warn > 0 ? "warn" : "ok", summary));
  return lines.join("\n");
}
