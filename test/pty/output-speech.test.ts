import { afterEach, describe, expect, it } from "vitest";
import { NewOutputCollector, speakableLine } from "../../src/pty/output-speech.js";

let collector: NewOutputCollector | undefined;
afterEach(() => {
  collector?.dispose();
  collector = undefined;
});

function make(cols = 40, rows = 10): NewOutputCollector {
  collector = new NewOutputCollector({ cols, rows });
  return collector;
}

async function take(c: NewOutputCollector, options?: { flush?: boolean }): Promise<string> {
  await c.settled();
  return c.takeSpeakable(options);
}

describe("NewOutputCollector", () => {
  it("speaks nothing before the first send", async () => {
    const c = make();
    c.push("Welcome to the program\r\n$ ");
    expect(await take(c)).toBe("");
  });

  it("speaks what a shell prints after a send, without the echo or the prompt", async () => {
    const c = make();
    c.push("$ ");
    c.push("echo hello");
    c.markSend("echo hello");
    c.push("\r\nhello\r\n$ ");
    expect(await take(c)).toBe("hello");
  });

  it("drops the echo of the typed line when it arrives after the send", async () => {
    const c = make();
    c.markSend("hello world");
    c.push("hello world\r\nhello world\r\n"); // the tty echo, then cat's copy
    expect(await take(c)).toBe("hello world");
    expect(await take(c)).toBe("");
  });

  it("strips colours, OSC titles, DCS strings and cursor movement", async () => {
    const c = make();
    c.push("$ ");
    c.markSend();
    c.push("\r\n\x1b]0;title\x07\x1b[1;32mgreen\x1b[0m text\x1bP+q436f\x1b\\\r\n");
    c.push("\x1b[2Cmoved\x1b[K\r\n\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\r\n$ ");
    expect(await take(c)).toBe("green text\nmoved\nlink");
  });

  it("keeps only the last frame of carriage-return redraws and drops spinners and bars", async () => {
    const c = make();
    c.markSend();
    c.push("⠋ Working\r⠙ Working\r⠹ Working\r\x1b[KAll done.\r\n");
    c.push("[####      ] 40%\r[##########] 100%\r\n");
    c.push("✻ Thinking… (3s)\r\n");
    c.push("45% complete\r\n");
    c.push("Coverage rose to 85%.\r\n$ ");
    expect(await take(c)).toBe("All done.\nCoverage rose to 85%.");
  });

  it("ignores an Ink-style redraw of the bottom region, speaking only the new static lines", async () => {
    const c = make(40, 8);
    const region = "╭──────────╮\r\n│ > hi     │\r\n╰──────────╯\r\n? for shortcuts";
    c.push("Claude-like CLI\r\n\r\n" + region);
    c.markSend("hi");
    // Erase the region (cursor up 3, erase below), print the answer, redraw the region, twice.
    const erase = "\r\x1b[3A\x1b[J";
    const empty = "╭──────────╮\r\n│ >        │\r\n╰──────────╯\r\n? for shortcuts";
    c.push(erase + "> hi\r\n\r\n✻ Thinking…\r\n" + empty);
    c.push("\r\x1b[5A\x1b[J" + "● Hello! How can I help?\r\n\r\n" + empty);
    expect(await take(c)).toBe("Hello! How can I help?");
    c.push(erase + "  It is sunny today.\r\n" + empty);
    expect(await take(c)).toBe("It is sunny today.");
  });

  it("hands out each line once, waits for the line being written, flushes it on request", async () => {
    const c = make();
    c.markSend();
    c.push("first line\r\nsecond li");
    expect(await take(c)).toBe("first line");
    c.push("ne\r\nthird");
    expect(await take(c)).toBe("second line");
    expect(await take(c, { flush: true })).toBe("third");
    expect(await take(c, { flush: true })).toBe("");
  });

  it("speaks a line again in a later turn (second ls), joins wrapped lines", async () => {
    const c = make(20, 10);
    c.push("$ ");
    c.markSend("ls");
    c.push("ls\r\nnotes.txt\r\n$ ");
    expect(await take(c)).toBe("notes.txt");
    c.push("ls");
    c.markSend("ls");
    c.push("\r\nnotes.txt\r\n$ ");
    expect(await take(c)).toBe("notes.txt");
    c.markSend();
    c.push("\r\nthis sentence is longer than twenty columns\r\n$ ");
    expect(await take(c)).toBe("this sentence is longer than twenty columns");
  });
});

describe("NewOutputCollector and full-screen programs", () => {
  it("speaks nothing while the alternate screen is shown, and resumes after it", async () => {
    const c = make();
    c.push("$ ");
    c.markSend("vim");
    c.push("vim\r\n\x1b[?1049h\x1b[2J\x1b[Hfile contents\r\n~\r\n~");
    expect(await take(c)).toBe("");
    c.push("\x1b[?1049l\r\nvim exited\r\n$ ");
    expect(await take(c)).toBe("vim exited");
  });
});

describe("NewOutputCollector with a full scrollback", () => {
  it("keeps its place while old lines are trimmed", async () => {
    const c = new NewOutputCollector({ cols: 20, rows: 4, scrollback: 5 });
    collector = c;
    for (let i = 0; i < 12; i++) c.push(`old ${i}\r\n`);
    c.push("$ ");
    c.markSend();
    const heard: string[] = [];
    for (let i = 0; i < 30; i++) {
      c.push(`\r\nnew ${i}`);
      if (i % 7 === 0) heard.push(...(await take(c)).split("\n").filter(Boolean));
    }
    c.push("\r\n$ ");
    heard.push(...(await take(c)).split("\n").filter(Boolean));
    expect(heard).toEqual(Array.from({ length: 30 }, (_, i) => `new ${i}`));
  });
});

describe("speakableLine", () => {
  it.each([
    ["  ● The answer is 42.  ", "The answer is 42."],
    ["│ ⎿  Read file.ts │", "Read file.ts"],
    ["- item one", "- item one"],
    ["────────", ""],
    ["⠹ Loading", ""],
    ["   ", ""],
  ])("%j → %j", (raw, expected) => {
    expect(speakableLine(raw)).toBe(expected);
  });
});
