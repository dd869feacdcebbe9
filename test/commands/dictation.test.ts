import { describe, expect, it } from "vitest";
import { DictationDraft } from "../../src/commands/dictation.js";

describe("DictationDraft", () => {
  it("joins pieces with spaces and keeps whisper's punctuation", () => {
    const d = new DictationDraft();
    d.append(" Hello world. ");
    d.append("How are you?");
    expect(d.text).toBe("Hello world. How are you?");
    expect(d.pieces).toEqual(["Hello world.", "How are you?"]);
  });

  it("capitalises after a finished sentence only", () => {
    const d = new DictationDraft();
    d.append("write a function");
    d.append("that sorts numbers.");
    d.append("then test it");
    expect(d.text).toBe("write a function that sorts numbers. Then test it");
  });

  it("attaches punctuation without a space and collapses whitespace", () => {
    const d = new DictationDraft();
    d.append("Hello");
    d.append(", world");
    d.append("and\n\n  more");
    expect(d.text).toBe("Hello, world and more");
    d.append("   ");
    expect(d.pieces).toHaveLength(3);
  });

  it("scratches the last piece, then the one before", () => {
    const d = new DictationDraft();
    d.append("One.");
    d.append("Two.");
    d.append("Three.");
    expect(d.scratchLast()).toBe("Three.");
    expect(d.text).toBe("One. Two.");
    expect(d.scratchLast()).toBe("Two.");
    expect(d.scratchLast()).toBe("One.");
    expect(d.scratchLast()).toBeUndefined();
    expect(d.text).toBe("");
    expect(d.isEmpty).toBe(true);
  });

  it("take returns the text and empties the draft; clear empties it", () => {
    const d = new DictationDraft();
    d.append("hello world");
    expect(d.take()).toBe("hello world");
    expect(d.text).toBe("");
    expect(d.pieces).toEqual([]);
    d.append("again");
    d.clear();
    expect(d.take()).toBe("");
  });

  it("keyboard edits: typing at the end becomes a new piece", () => {
    const d = new DictationDraft();
    d.append("Hello world.");
    d.setText("Hello world. Typed here");
    expect(d.pieces).toEqual(["Hello world.", "Typed here"]);
    expect(d.scratchLast()).toBe("Typed here");
    expect(d.text).toBe("Hello world.");
    d.append("Spoken.");
    expect(d.text).toBe("Hello world. Spoken.");
  });

  it("keyboard edits inside a piece replace it and what follows with one piece", () => {
    const d = new DictationDraft();
    d.append("One.");
    d.append("Two.");
    d.append("Three.");
    d.setText("One. Tw0. Three.");
    expect(d.pieces).toEqual(["One.", "Tw0. Three."]);
    expect(d.scratchLast()).toBe("Tw0. Three.");
    expect(d.text).toBe("One.");
  });

  it("keyboard edits: deleting everything, or trailing spaces only", () => {
    const d = new DictationDraft();
    d.append("One.");
    d.setText("One. ");
    expect(d.pieces).toEqual(["One."]);
    d.append("Two.");
    expect(d.text).toBe("One. Two.");
    d.setText("");
    expect(d.pieces).toEqual([]);
    expect(d.scratchLast()).toBeUndefined();
  });
});
