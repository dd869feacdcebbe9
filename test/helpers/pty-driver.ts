import xterm from "@xterm/headless";
import type { IPty } from "node-pty";
import { CLI } from "./cli.js";

/**
 * Drive the built CLI in a real pseudo-terminal, with the screen emulated by @xterm/headless so a
 * test reads what a person would see.
 */
export class PtyDriver {
  private readonly term: InstanceType<typeof xterm.Terminal>;
  exitCode: number | undefined;
  private readonly exited: Promise<number>;

  private constructor(
    private readonly pty: IPty,
    cols: number,
    rows: number,
  ) {
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    pty.onData((d) => this.term.write(d));
    this.exited = new Promise((resolve) =>
      pty.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        resolve(exitCode);
      }),
    );
  }

  static async start(args: string[], env: NodeJS.ProcessEnv, cols = 100, rows = 30): Promise<PtyDriver> {
    const pty = await import("node-pty");
    const p = pty.spawn(process.execPath, [CLI, ...args], {
      name: "xterm-256color",
      cols,
      rows,
      cwd: env.HOME,
      env: env as Record<string, string>,
    });
    return new PtyDriver(p, cols, rows);
  }

  /** The whole screen and scrollback as text. */
  text(): string {
    const buf = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n");
  }

  write(data: string): void {
    this.pty.write(data);
  }

  async waitFor(pattern: RegExp | ((screen: string) => boolean), timeoutMs = 60_000): Promise<string> {
    const test = typeof pattern === "function" ? pattern : (s: string) => pattern.test(s);
    const start = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const screen = this.text();
      if (test(screen)) return screen;
      if (this.exitCode !== undefined)
        throw new Error(`the app exited (${this.exitCode}) while waiting for ${String(pattern)}:\n${screen}`);
      if (Date.now() - start > timeoutMs)
        throw new Error(`timed out waiting for ${String(pattern)}; screen:\n${screen}`);
    }
  }

  waitExit(timeoutMs = 30_000): Promise<number> {
    return Promise.race([
      this.exited,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit; screen:\n${this.text()}`)), timeoutMs),
      ),
    ]);
  }

  kill(): void {
    try {
      this.pty.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}
