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

/** Resolve a config value ("auto" or a number) to a thread count. */
export function resolveThreads(setting: number | "auto" | undefined): number {
  if (typeof setting === "number" && setting > 0) return Math.floor(setting);
  return usableCores();
}
