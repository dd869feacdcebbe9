import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { SessionEvent } from "../core/events.js";
import { getLogger } from "../core/log.js";

const log = getLogger("metrics");

/**
 * Append each turn's latency marks to a JSONL file (one object per turn). Failures are logged once
 * and never disturb the conversation.
 */
export function metricsWriter(file: string, meta: { model: string; character: string }): (event: SessionEvent) => void {
  let ready: Promise<unknown> | undefined;
  let failed = false;
  return (event) => {
    if (event.type !== "turn" || failed) return;
    const line =
      JSON.stringify({ at: new Date().toISOString(), turnId: event.turnId, ...meta, ...event.timings }) + "\n";
    ready ??= mkdir(dirname(file), { recursive: true });
    ready = ready
      .then(() => appendFile(file, line))
      .catch((err: unknown) => {
        failed = true;
        log.warn("cannot write the metrics log", err);
      });
  };
}
