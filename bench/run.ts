/**
 * `npm run bench`: runs every benchmark module present in bench/ (each exports `run()`), after a
 * header describing the machine. `--only llm,vad` picks modules. Figures only; never asserts.
 */
import { existsSync } from "node:fs";
import { availableParallelism, cpus, freemem, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { usableCores } from "../src/llm/threads.js";
import { printTable, type Row } from "./report.js";

export const MODULES = ["llm", "vad", "asr", "tts", "voice-in", "pipeline"] as const;

const benchDir = dirname(fileURLToPath(import.meta.url));

/** The modules asked for: all by default, or those named by `--only a,b` / `--only=a,b`. */
export function selectModules(argv: readonly string[]): { modules: string[]; unknown: string[] } {
  const picked: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--only") picked.push(...(argv[++i] ?? "").split(","));
    else if (arg.startsWith("--only=")) picked.push(...arg.slice("--only=".length).split(","));
  }
  const names = picked.map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) return { modules: [...MODULES], unknown: [] };
  const known = new Set<string>(MODULES);
  return {
    modules: MODULES.filter((m) => names.includes(m)),
    unknown: names.filter((n) => !known.has(n)),
  };
}

export function machineRows(): Row[] {
  const list = cpus();
  const gb = (n: number): string => `${(n / 1024 ** 3).toFixed(1)} GB`;
  return [
    { name: "cpu", value: list[0]?.model.trim() ?? "unknown" },
    {
      name: "cores",
      value: `${list.length} logical, ${availableParallelism()} available, ${usableCores()} usable (affinity and cgroup quota)`,
    },
    { name: "memory", value: `${gb(freemem())} free of ${gb(totalmem())}` },
    {
      name: "load average",
      value: loadavg()
        .map((n) => n.toFixed(2))
        .join(" "),
      note: "1, 5, 15 min",
    },
    { name: "node", value: `${process.version} (${process.platform}-${process.arch})` },
    { name: "date", value: new Date().toISOString() },
  ];
}

type BenchModule = { run?: unknown };

/** Run one module; returns false when it failed (a missing module is a skip, not a failure). */
async function runModule(name: string): Promise<boolean> {
  const file = join(benchDir, `${name}.ts`);
  if (!existsSync(file)) {
    process.stdout.write(`\n# ${name}: skipped (bench/${name}.ts is not there)\n`);
    return true;
  }
  let mod: BenchModule;
  try {
    mod = (await import(pathToFileURL(file).href)) as BenchModule;
  } catch (err) {
    process.stdout.write(
      `\n# ${name}: skipped, it does not load: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return false;
  }
  if (typeof mod.run !== "function") {
    process.stdout.write(`\n# ${name}: skipped (bench/${name}.ts exports no run())\n`);
    return false;
  }
  process.stdout.write(`\n# ${name}\n`);
  const start = performance.now();
  try {
    await (mod.run as () => Promise<void>)();
    process.stdout.write(`\n(${name}: ${((performance.now() - start) / 1000).toFixed(1)} s)\n`);
    return true;
  } catch (err) {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stdout.write(`\n# ${name}: failed: ${text}\n`);
    return false;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const { modules, unknown } = selectModules(argv);
  printTable("machine", machineRows());
  if (unknown.length > 0)
    process.stdout.write(`\nunknown benchmark(s) ignored: ${unknown.join(", ")} (known: ${MODULES.join(", ")})\n`);
  let failed = 0;
  for (const name of modules) if (!(await runModule(name))) failed++;
  return failed > 0 ? 1 : 0;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  // Exit explicitly: a native engine left open by a module must not keep the process alive.
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
