import { describe, expect, it } from "vitest";
import { keySequence, sanitizeTyped, TerminalModes } from "../../src/pty/keys.js";

describe("keys", () => {
  it("maps keys to terminal sequences, arrows by cursor-key mode", () => {
    expect(keySequence("enter")).toBe("\r");
    expect(keySequence("escape")).toBe("\x1b");
    expect(keySequence("ctrl-c")).toBe("\x03");
    expect(keySequence("tab")).toBe("\t");
    expect(keySequence("up")).toBe("\x1b[A");
    expect(keySequence("down", { applicationCursorKeys: true })).toBe("\x1bOB");
  });

  it("follows DECCKM and bracketed paste across chunks", () => {
    const m = new TerminalModes();
    m.update("hello\x1b[?1");
    expect(m.applicationCursorKeys).toBe(false);
    m.update("h\x1b=");
    expect(m.applicationCursorKeys).toBe(true);
    m.update("\x1b[?2004;1l");
    expect(m.applicationCursorKeys).toBe(false);
    m.update("\x1b[?2004h");
    expect(m.bracketedPaste).toBe(true);
  });

  it("makes dictated text safe to type", () => {
    expect(sanitizeTyped("line one\nline two\r\n\tend\x1b[31m\x07")).toBe("line one line two end[31m");
  });
});
