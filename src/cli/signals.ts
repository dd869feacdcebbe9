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
