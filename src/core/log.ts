import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, data?: unknown): void;
  info(msg: string, data?: unknown): void;
  warn(msg: string, data?: unknown): void;
  error(msg: string, data?: unknown): void;
}

let target: { file: string | undefined; level: LogLevel; echo: ((line: string) => void) | undefined } = {
  file: undefined,
  level: "info",
  echo: undefined,
};

/**
 * Configure where logs go. Logs never go to stdout (the terminal belongs to the UI); `echo`
 * (used by `--verbose` in headless mode) receives each formatted line too.
 */
export function configureLog(options: { file?: string; level?: LogLevel; echo?: (line: string) => void }): void {
  target = { file: options.file, level: options.level ?? "info", echo: options.echo };
  if (target.file) {
    try {
      mkdirSync(dirname(target.file), { recursive: true });
    } catch {
      target.file = undefined;
    }
  }
}

export function logFilePath(): string | undefined {
  return target.file;
}

function format(level: LogLevel, scope: string, msg: string, data: unknown): string {
  let extra = "";
  if (data instanceof Error) extra = ` ${data.stack ?? data.message}`;
  else if (data !== undefined) {
    try {
      extra = ` ${JSON.stringify(data)}`;
    } catch {
      extra = ` ${String(data)}`;
    }
  }
  return `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${msg}${extra}`;
}

function write(level: LogLevel, scope: string, msg: string, data: unknown): void {
  if (order[level] < order[target.level]) return;
  const line = format(level, scope, msg, data);
  if (target.file) {
    try {
      appendFileSync(target.file, line + "\n");
    } catch {
      // A log that cannot be written must never take the app down.
    }
  }
  target.echo?.(line);
}

/** A logger for one module; `scope` names it in each line. */
export function getLogger(scope: string): Logger {
  return {
    debug: (m, d) => write("debug", scope, m, d),
    info: (m, d) => write("info", scope, m, d),
    warn: (m, d) => write("warn", scope, m, d),
    error: (m, d) => write("error", scope, m, d),
  };
}
