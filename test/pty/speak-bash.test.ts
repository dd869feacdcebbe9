import { afterEach, expect, it } from "vitest";
import { PtyChild } from "../../src/pty/child.js";
import { NewOutputCollector } from "../../src/pty/output-speech.js";
import { PtyScreen } from "../../src/pty/screen.js";
import { waitFor } from "./wait.js";

const disposers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const d of disposers.splice(0).reverse()) await d();
});

it("a real bash: the screen shows coloured output, and only the new output is spoken", async () => {
  const child = new PtyChild({
    command: "bash",
    args: ["--norc", "--noprofile"],
    env: { PS1: "$ " },
    cols: 60,
    rows: 12,
  });
  const screen = new PtyScreen({ cols: 60, rows: 12 });
  const speech = new NewOutputCollector({ cols: 60, rows: 12 });
  disposers.push(
    () => child.dispose(),
    () => screen.dispose(),
    () => speech.dispose(),
  );
  screen.onReply((d) => child.write(d));
  child.onData((d) => {
    screen.write(d);
    speech.push(d);
  });
  await child.start();
  const shown = async (text: string) => {
    await waitFor(() => screen.textLines().some((l) => l.includes(text)), `"${text}" on screen`);
  };
  await shown("$");

  const command = "printf '\\033[1;31mred alert\\033[0m\\nsecond line\\n'";
  child.type(command);
  speech.markSend(command);
  child.pressEnter();
  await shown("second line");
  await waitFor(
    () => /^\$ $/.test(screen.textLines().find((l, i, all) => i > 0 && all[i - 1] === "second line") ?? ""),
    "the next prompt",
  );
  await screen.flush();
  const red = screen
    .snapshot()
    .lines.flat()
    .find((r) => r.text === "red alert");
  expect(red).toMatchObject({ fg: "red", bold: true });

  await speech.settled();
  expect(speech.takeSpeakable()).toBe("red alert\nsecond line");
});
