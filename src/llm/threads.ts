import { availableParallelism, cpus } from "node:os";
import { readFileSync } from "node:fs";

/**
 * Cores this process may really use: CPU affinity (availableParallelism) and the cgroup CPU quota
 * (containers), whichever is smaller. llama.cpp's own default (4 threads on a 2-core machine) was
 * measured about 800x slower on a tiny model than one thread per real core.
 */
export function usableCores(): number {
  let n = typeof availableParallelism === "function" ? availableParallelism() : cpus().length;
  try {
    const [quota, period] = readFileSync("/sys/fs/cgroup/cpu.max", "utf8").trim().split(/\s+/);
    if (quota && period && quota !== "max") {
      const limit = Math.floor(Number(quota) / Number(period));
      if (Number.isFinite(limit) && limit >= 1) n = Math.min(n, limit);
    }
  } catch {
    // No cgroup v2 quota: affinity is the answer.
  }
  return Math.max(1, n);
}

/**
 * Resolve a config value ("auto" or a number) to a thread count. "auto" leaves one core to the audio
 * pipeline (VAD, TTS and playback run while the LLM generates): llama.cpp's threads spin at each
 * barrier, so one thread more than the free cores was measured 100x slower (1.2 against 116
 * tokens/s on a busy 2-core machine).
 */
export function resolveThreads(setting: number | "auto" | undefined): number {
  if (typeof setting === "number" && setting > 0) return Math.floor(setting);
  return Math.max(1, usableCores() - 1);
}
