/**
 * SIGINT/SIGTERM handling shared by the front ends: the first signal runs the graceful stop
 * (interrupt, flush, dispose) and exits 130/143; a second one forces the exit.
 */
export function onTerminate(stop: (signal: "SIGINT" | "SIGTERM") => Promise<void>): () => void {
  let stopping = false;
  const handler = (signal: "SIGINT" | "SIGTERM"): void => {
    const code = signal === "SIGINT" ? 130 : 143;
    if (stopping) process.exit(code);
    stopping = true;
    const force = setTimeout(() => process.exit(code), 5000);
    force.unref();
    stop(signal)
      .catch(() => undefined)
      .finally(() => process.exit(code));
  };
  const onInt = (): void => handler("SIGINT");
  const onTerm = (): void => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
}

/**
 * For one cancellable piece of work (a download): SIGINT/SIGTERM abort `signal`, and the process
 * exits (130/143) once the work has settled. Call `settled()` when the work ends, however it ends:
 * it lets a stop in progress finish, and releases the handlers unless a signal already came.
 */
export function abortOnTerminate(): { signal: AbortSignal; settled(): void } {
  const abort = new AbortController();
  let settle: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (settle = resolve));
  const release = onTerminate(async () => {
    abort.abort();
    await finished;
  });
  return {
    signal: abort.signal,
    settled: () => {
      settle();
      if (!abort.signal.aborted) release();
    },
  };
}
