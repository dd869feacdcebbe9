/** Tables of the LLM benchmark: the app's overhead against bare node-llama-cpp, and KV cache reuse. */
import type { TurnFigures } from "./llm-engines.js";
import { type Row, fmt, printTable, stats } from "./report.js";

function nums(values: (number | undefined)[]): number[] {
  return values.filter((v): v is number => v !== undefined && Number.isFinite(v));
}

export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b, 2)}x` : "n/a";
}

/** Turn i of both sides sees the same prompt and context length: the median of their ratios is steadier. */
function pairedRatio(a: (number | undefined)[], b: (number | undefined)[]): string {
  const r = a.map((x, i) => (x !== undefined && b[i] !== undefined && b[i] > 0 ? x / b[i] : undefined));
  return `${fmt(medianOf(r), 2)}x`;
}

export function medianOf(values: (number | undefined)[]): number {
  return stats(nums(values)).median;
}

function msStat(values: (number | undefined)[]): string {
  const s = stats(nums(values));
  return `median ${fmt(s.median, 2)} ms, p95 ${fmt(s.p95, 2)} ms (n=${s.n})`;
}

/** The p95 of a throughput is taken on time per token, so it names the slow end. */
function tpsStat(values: (number | undefined)[]): string {
  const s = stats(nums(values).map((v) => 1000 / v));
  return `median ${fmt(1000 / s.median, 0)} tok/s, p95 (slow end) ${fmt(1000 / s.p95, 0)} tok/s (n=${s.n})`;
}

export function reportOverhead(a: TurnFigures[], b: TurnFigures[], context: { used?: number; size: number }): void {
  const TURNS = a.length;
  const ttftA = a.map((t) => t.firstTokenMs);
  const ttftB = b.map((t) => t.firstTokenMs);
  const tpsA = a.map((t) => t.tokensPerSecond);
  const tpsB = b.map((t) => t.tokensPerSecond);
  const same = a.filter((t, i) => t.text === b[i]?.text).length;
  printTable(`LLM: app vs bare node-llama-cpp, ${TURNS} turns each, alternating`, [
    { name: "TTFT app", value: msStat(ttftA) },
    { name: "TTFT bare", value: msStat(ttftB) },
    { name: "TTFT app / bare", value: ratio(medianOf(ttftA), medianOf(ttftB)), note: "of medians; goal <= 1.1" },
    { name: "TTFT app / bare, paired", value: pairedRatio(ttftA, ttftB), note: "median of per-turn ratios" },
    { name: "tokens/s app", value: tpsStat(tpsA) },
    { name: "tokens/s bare", value: tpsStat(tpsB) },
    {
      name: "tokens/s app / bare",
      value: ratio(medianOf(tpsA), medianOf(tpsB)),
      note: "of medians; goal >= 0.91 (at most 1.1x slower)",
    },
    { name: "tokens/s app / bare, paired", value: pairedRatio(tpsA, tpsB), note: "median of per-turn ratios" },
    {
      name: "tokens per reply",
      value: `app ${fmt(medianOf(a.map((t) => t.tokens)), 0)}, bare ${fmt(medianOf(b.map((t) => t.tokens)), 0)}`,
    },
    { name: "identical replies", value: `${same}/${TURNS}`, note: "temperature 0: same settings give the same text" },
    { name: "context used", value: `${context.used ?? "?"} of ${context.size} tokens after turn ${TURNS}` },
  ]);
}

/** TTFT early and late in one conversation, and turn 20 again with the KV cache cleared. */
export function reportKvReuse(a: TurnFigures[], b: TurnFigures[], cold: TurnFigures | undefined): void {
  const TURNS = a.length;
  const at = (list: TurnFigures[], i: number): number => list[i]?.firstTokenMs ?? NaN;
  const early = (list: TurnFigures[]): number => medianOf(list.slice(1, 4).map((t) => t.firstTokenMs));
  const late = (list: TurnFigures[]): number => medianOf(list.slice(-3).map((t) => t.firstTokenMs));
  const input = (i: number): string => String(b[i]?.inputTokens ?? "?");
  const rows: Row[] = [
    {
      name: "prompt tokens evaluated (bare)",
      value: `turn 1: ${input(0)}, turn 2: ${input(1)}, turn ${TURNS}: ${input(TURNS - 1)}`,
      note: "flat from turn 2 = only the new message is evaluated",
    },
  ];
  for (const [name, list] of [
    ["app", a],
    ["bare", b],
  ] as const) {
    rows.push(
      {
        name: `${name} TTFT turn 1 / turn ${TURNS}`,
        value: `${fmt(at(list, 0), 2)} ms / ${fmt(at(list, TURNS - 1), 2)} ms = ${ratio(at(list, TURNS - 1), at(list, 0))}`,
        note: "turn 1 also evaluates the system prompt",
      },
      {
        name: `${name} TTFT turns 2-4 / ${TURNS - 2}-${TURNS}`,
        value: `${fmt(early(list), 2)} ms / ${fmt(late(list), 2)} ms = ${ratio(late(list), early(list))}`,
        note: "medians; each token costs more in a longer context, even with nothing re-evaluated",
      },
    );
  }
  const warm = b[TURNS - 1];
  rows.push({
    name: `bare turn ${TURNS} again, KV cache cleared`,
    value: cold
      ? `TTFT ${fmt(cold.firstTokenMs ?? NaN, 2)} ms, ${cold.inputTokens ?? "?"} prompt tokens evaluated = ${ratio(cold.firstTokenMs ?? NaN, warm?.firstTokenMs ?? NaN)} the reused turn ${TURNS}`
      : "n/a",
    note: "what every turn would cost without cache reuse",
  });
  printTable("LLM: KV cache reuse, TTFT early vs late in one conversation", rows);
}
