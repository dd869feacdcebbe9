import { afterEach, describe, expect, it } from "vitest";
import { PtyScreen } from "../../src/pty/screen.js";

let screen: PtyScreen | undefined;
afterEach(() => {
  screen?.dispose();
  screen = undefined;
});

async function fed(
  data: string,
  options: { cols?: number; rows?: number; scrollback?: number } = {},
): Promise<PtyScreen> {
  screen = new PtyScreen({ cols: 30, rows: 5, ...options });
  screen.write(data);
  await screen.flush();
  return screen;
}

describe("PtyScreen", () => {
  it("renders SGR colours and attributes as merged runs", async () => {
    const s = await fed(
      "plain \x1b[1;31mred\x1b[0m \x1b[38;2;255;128;0mrgb\x1b[0m \x1b[48;5;200m bg \x1b[0m\x1b[7minv\x1b[0m",
    );
    const { lines } = s.snapshot();
    expect(lines[0]).toEqual([
      { text: "plain " },
      { text: "red", fg: "red", bold: true },
      { text: " " },
      { text: "rgb", fg: "#ff8000" },
      { text: " " },
      { text: " bg ", bg: "ansi256(200)" },
      { text: "inv", inverse: true },
    ]);
  });

  it("maps the 16 colours to names Ink knows, bright ones too", async () => {
    const s = await fed("\x1b[92mA\x1b[44mB\x1b[0m\x1b[3;4;9;2mC\x1b[0m");
    expect(s.snapshot().lines[0]).toEqual([
      { text: "A", fg: "greenBright" },
      { text: "B", fg: "greenBright", bg: "blue" },
      { text: "C", dim: true, italic: true, underline: true, strikethrough: true },
    ]);
  });

  it("reports the cursor and its visibility, and can draw it", async () => {
    const s = await fed("ab\r\ncd");
    expect(s.snapshot().cursor).toEqual({ x: 2, y: 1, visible: true });
    expect(s.snapshot({ drawCursor: true }).lines[1]).toEqual([{ text: "cd" }, { text: " ", inverse: true }]);
    s.write("\x1b[?25l");
    await s.flush();
    expect(s.snapshot().cursor.visible).toBe(false);
    expect(s.snapshot({ drawCursor: true }).lines[1]).toEqual([{ text: "cd" }]);
    s.write("\x1b[?25h");
    await s.flush();
    expect(s.snapshot().cursor.visible).toBe(true);
  });

  it("switches to the alternate buffer and back (full-screen programs)", async () => {
    const s = await fed("shell line\r\n$ ");
    s.write("\x1b[?1049h\x1b[2J\x1b[3;5HFULL SCREEN");
    await s.flush();
    const alt = s.snapshot();
    expect(alt.alternate).toBe(true);
    expect(s.textLines()).toEqual(["", "", "    FULL SCREEN", "", ""]);
    expect(alt.cursor).toMatchObject({ x: 15, y: 2 });
    s.write("\x1b[?1049l");
    await s.flush();
    expect(s.snapshot().alternate).toBe(false);
    expect(s.textLines().slice(0, 2)).toEqual(["shell line", "$ "]);
  });

  it("scrolls back through the scrollback and stays there while output arrives", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i}`).join("\r\n");
    const s = await fed(lines);
    expect(s.textLines()).toEqual(["line 7", "line 8", "line 9", "line 10", "line 11"]);
    s.scroll(-3);
    expect(s.scrollOffset).toBe(3);
    expect(s.textLines()[0]).toBe("line 4");
    expect(s.snapshot().cursor.visible).toBe(false); // the cursor row is below the view
    s.write("\r\nline 12");
    await s.flush();
    expect(s.textLines()[0]).toBe("line 4");
    s.scroll(-100);
    expect(s.textLines()[0]).toBe("line 0");
    s.scrollToBottom();
    expect(s.scrollOffset).toBe(0);
    expect(s.textLines().at(-1)).toBe("line 12");
  });

  it("handles carriage-return overwrites, wide characters and resize", async () => {
    const s = await fed("10%\r50%\r100%\r\n中文ok");
    expect(s.textLines().slice(0, 2)).toEqual(["100%", "中文ok"]);
    expect(s.snapshot().lines[1]).toEqual([{ text: "中文ok" }]);
    s.resize(10, 3);
    expect(s.snapshot()).toMatchObject({ cols: 10, rows: 3 });
    expect(s.snapshot().lines).toHaveLength(3);
  });

  it("answers the program's queries through onReply and tracks the title", async () => {
    screen = new PtyScreen({ cols: 20, rows: 4 });
    const replies: string[] = [];
    screen.onReply((d) => replies.push(d));
    let updates = 0;
    screen.onUpdate(() => updates++);
    screen.write("\x1b]0;my title\x07ab\x1b[6n");
    await screen.flush();
    expect(replies.join("")).toBe("\x1b[1;3R");
    expect(screen.snapshot().title).toBe("my title");
    expect(updates).toBeGreaterThan(0);
  });
});
