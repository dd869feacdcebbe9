import { afterEach, describe, expect, it } from "vitest";
import { ChildPane, cursorKeys } from "../../src/pipeline/child-pane.js";
import type { PtyExit } from "../../src/pty/index.js";
import { until } from "../helpers/fakes.js";

const panes: ChildPane[] = [];
afterEach(async () => {
  for (const p of panes.splice(0)) await p.dispose();
});

function pane(script: string, hooks: { exits?: PtyExit[]; enters?: number[]; ctrlC?: number[] } = {}): ChildPane {
  const p = new ChildPane({
    command: "sh",
    args: ["-c", script],
    cols: 40,
    rows: 6,
    flushMs: 5,
    killGraceMs: 500,
    onExit: (e) => hooks.exits?.push(e),
    onEnter: () => hooks.enters?.push(1),
    onIdleCtrlC: () => hooks.ctrlC?.push(1),
  });
  panes.push(p);
  return p;
}
const shows = (p: ChildPane, text: string) =>
  until(() => p.screen.textLines().some((l) => l.includes(text)), 20_000, `"${text}" on screen`);

describe("ChildPane", () => {
  it("keys go to the program while it has focus; Ctrl+G moves focus, also mid-chunk", async () => {
    const enters: number[] = [];
    const p = pane('stty -echo; while IFS= read -r l; do echo "got:$l"; done', { enters });
    await p.start();
    expect(p.view).toMatchObject({ focus: "child", running: true });
    p.key("one\r");
    await shows(p, "got:one");
    expect(enters).toHaveLength(1);
    p.key("two\x07lost\r"); // "two" goes, then focus moves to roleplay: the rest is not the program's
    expect(p.view.focus).toBe("app");
    p.key("\x07\r");
    expect(p.view.focus).toBe("child");
    await shows(p, "got:two");
    expect(p.screen.textLines().join("\n")).not.toContain("lost");
  });

  it("an exit is shown with its code; Ctrl+C then goes to roleplay; Ctrl+R restarts", async () => {
    const exits: PtyExit[] = [];
    const ctrlC: number[] = [];
    const p = pane("echo started; IFS= read -r l; exit 3", { exits, ctrlC });
    await p.start();
    await shows(p, "started");
    p.key("\r");
    await until(() => !p.view.running, 20_000, "the exit");
    expect(p.view.exit).toMatchObject({ code: 3, requested: false });
    expect(exits).toHaveLength(1);
    p.key("\x03");
    expect(ctrlC).toHaveLength(1);
    p.key("\x12");
    await until(() => p.view.running, 20_000, "the restart");
    expect(p.view.exit).toBeUndefined();
    expect(p.child.pid).toBeGreaterThan(1);
  });

  it("scrolls into the scrollback; typing returns to the bottom", async () => {
    const p = pane("seq 1 40; IFS= read -r l; sleep 30");
    await p.start();
    await shows(p, "40");
    p.scroll(5);
    expect(p.screen.scrollOffset).toBe(5);
    p.key("x");
    expect(p.screen.scrollOffset).toBe(0);
  });

  it("follows the terminal's size", async () => {
    const p = pane("sleep 30");
    const sizes: string[] = [];
    p.onResize((c, r) => sizes.push(`${c}x${r}`));
    await p.start();
    p.resize(72, 9);
    expect(p.child.size).toEqual({ cols: 72, rows: 9 });
    expect([p.screen.cols, p.screen.rows]).toEqual([72, 9]);
    expect(sizes).toEqual(["72x9"]);
  });
});

describe("cursorKeys", () => {
  it("sends arrows the way the program asked for (DECCKM)", () => {
    expect(cursorKeys("\x1b[A", true)).toBe("\x1bOA");
    expect(cursorKeys("\x1bOB", false)).toBe("\x1b[B");
    expect(cursorKeys("\x1b[A", false)).toBe("\x1b[A");
    expect(cursorKeys("x\x1b[5~", true)).toBe("x\x1b[5~");
  });
});
