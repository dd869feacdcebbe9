import { render, type Instance } from "ink";
import { useCallback, useMemo, useSyncExternalStore } from "react";
import type { AppController } from "../pipeline/app.js";
import type { ChildPane } from "../pipeline/child-pane.js";
import { App } from "./App.js";
import { paneLayout, PtyPane, useTerminalSize } from "./PtyPane.js";

export interface WrapAppProps {
  app: AppController;
  pane: ChildPane;
  user: string;
}

/**
 * `roleplay wrap`: the child's pane on top, sized to the terminal; the conversation's last lines,
 * roleplay's input line and the status bar below. The keyboard belongs to whichever has focus.
 */
export function WrapApp({ app, pane, user }: WrapAppProps) {
  const { columns, rows } = useTerminalSize();
  const { paneRows, tailRows } = paneLayout(rows);
  const focus = useSyncExternalStore(
    pane.store.subscribe,
    useCallback(() => pane.store.getState().focus, [pane]),
  );
  // The same element while the size holds: App's own re-renders never re-render the pane.
  const paneElement = useMemo(() => <PtyPane pane={pane} cols={columns} rows={paneRows} />, [pane, columns, paneRows]);
  return <App app={app} user={user} pane={paneElement} tailRows={tailRows} inputActive={focus === "app"} />;
}

/** Mount the wrap TUI (Ctrl+C is handled by the app and the pane, never by Ink). */
export function mountWrapApp(props: WrapAppProps, options: { fps: number }): Instance {
  return render(<WrapApp {...props} />, { exitOnCtrlC: false, patchConsole: false, maxFps: options.fps });
}

export { paneLayout };
