import { Box, Text, useStdin, useStdout } from "ink";
import { memo, useEffect, useState } from "react";
import type { ChildPane, ChildPaneView } from "../pipeline/child-pane.js";
import type { ScreenRun } from "../pty/index.js";
import { useStoreState } from "./useView.js";

/** The terminal's size, following 'resize' (Ink re-lays out on resize but does not re-render React). */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on("resize", onResize);
    return () => void stdout.off("resize", onResize);
  }, [stdout]); // read() only closes over stdout
  return size;
}

/** Rows of the screen left to the pane once the header, chat tail, input and status lines have theirs. */
export function paneLayout(rows: number): { paneRows: number; tailRows: number } {
  const tailRows = rows >= 24 ? 4 : rows >= 14 ? 2 : 1;
  return { paneRows: Math.max(3, rows - tailRows - 5), tailRows };
}

function Run({ run }: { run: ScreenRun }) {
  return (
    <Text
      {...(run.fg ? { color: run.fg } : {})}
      {...(run.bg ? { backgroundColor: run.bg } : {})}
      bold={run.bold ?? false}
      dimColor={run.dim ?? false}
      italic={run.italic ?? false}
      underline={run.underline ?? false}
      inverse={run.inverse ?? false}
      strikethrough={run.strikethrough ?? false}
    >
      {run.text}
    </Text>
  );
}

function headerText(view: ChildPaneView, name: string): { text: string; color: string } {
  if (view.error) return { text: `${view.error} · Ctrl+R: try again`, color: "red" };
  const focus =
    view.focus === "child" ? `keys go to ${name} · Ctrl+G: roleplay input` : `keys go to roleplay · Ctrl+G: ${name}`;
  if (!view.running && view.exit) {
    const how = view.exit.signal ? `was stopped by ${view.exit.signal}` : `exited with code ${view.exit.code}`;
    return { text: `${name} ${how} · Ctrl+R or say “restart” to start it again · ${focus}`, color: "yellow" };
  }
  if (!view.running) return { text: `${name} is starting…`, color: "gray" };
  return {
    text: `${view.command}${view.pid ? ` (pid ${view.pid})` : ""} · ${focus}`,
    color: view.focus === "child" ? "green" : "gray",
  };
}

export interface PtyPaneProps {
  pane: ChildPane;
  cols: number;
  rows: number;
}

/**
 * The wrapped program's screen, drawn from PtyScreen snapshots with Ink colours and attributes,
 * plus a header line (focus, exit code, restart). It re-renders when the pane's store says the
 * screen changed, and the store tells it at most once per UI frame: never a render per PTY chunk.
 * It also owns the keyboard while the program has focus: every chunk goes to `pane.key()`.
 */
export const PtyPane = memo(function PtyPane({ pane, cols, rows }: PtyPaneProps) {
  const view = useStoreState(pane.store);
  const { setRawMode, isRawModeSupported, internal_eventEmitter: keys } = useStdin();
  useEffect(() => {
    if (!isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [isRawModeSupported, setRawMode]);
  useEffect(() => {
    const onKey = (data: string) => pane.key(data);
    keys.on("input", onKey);
    return () => void keys.off("input", onKey);
  }, [keys, pane]);
  useEffect(() => pane.resize(cols, rows), [pane, cols, rows]);

  const snap = pane.screen.snapshot({ drawCursor: view.focus === "child" && view.running });
  const name = view.command.split(" ")[0] ?? view.command;
  const header = headerText(view, name);
  const lines = snap.lines.slice(0, rows);
  while (lines.length < rows) lines.push([]);
  return (
    <Box flexDirection="column" width={cols}>
      {lines.map((runs, y) => (
        <Text key={y} wrap="truncate-end">
          {runs.length === 0 ? " " : runs.map((run, i) => <Run key={i} run={run} />)}
        </Text>
      ))}
      <Text wrap="truncate-end" color={header.color} inverse={view.focus === "child"}>
        {` ${header.text}${snap.scrollOffset > 0 ? ` · scrolled ${snap.scrollOffset} up` : ""} `}
      </Text>
    </Box>
  );
});
