import { Box, Static, Text, useStdout } from "ink";
import type { ReactNode } from "react";
import type { LogEntry } from "../core/conversation.js";
import type { AppController } from "../pipeline/app.js";
import { ChatTail } from "./ChatTail.js";
import { InputLine } from "./InputLine.js";
import { MessageView } from "./MessageView.js";
import { ScrollView } from "./ScrollView.js";
import { StatusBar } from "./StatusBar.js";
import { wrap } from "./format.js";
import { useStoreState } from "./useView.js";

/** At most `rows` lines of a panel's text (beside a pane there is no room to scroll). */
function clip(text: string, rows: number): string {
  const lines = text.split("\n");
  const keep = Math.max(1, rows - 1);
  return lines.length <= rows ? text : [...lines.slice(0, keep), `… ${lines.length - keep} more lines`].join("\n");
}

export interface AppProps {
  app: AppController;
  user: string;
  /**
   * A pane drawn above the input (`roleplay wrap`: the child's screen). With a pane, the
   * conversation shows as its last `tailRows` lines below it instead of scrolling above.
   */
  pane?: ReactNode;
  tailRows?: number;
  /** False while another component owns the keyboard (the child's pane has focus). */
  inputActive?: boolean;
}

/**
 * The reply in progress, cut to the rows the screen has: a live area taller than the terminal makes
 * Ink clear and redraw the whole screen on every frame (flicker). The whole reply goes to the log
 * once it is finished.
 */
function liveTail(prefix: string, text: string, width: number, rows: number): string {
  const lines = wrap(prefix + text, Math.max(10, width - 1));
  if (lines.length <= rows) return text;
  const shown = lines.slice(lines.length - Math.max(1, rows - 1)).join("\n");
  return `… (${lines.length - rows + 1} lines above)\n${shown}`;
}

export function App({ app, user, pane, tailRows = 4, inputActive = true }: AppProps) {
  const view = useStoreState(app.store);
  const { stdout } = useStdout();
  // Finished messages go to <Static> (printed once, never re-rendered). Static only appends, so it
  // reads the view's append-only log, where a new conversation is a divider, not an erasure.
  const items: LogEntry[] = view.log;
  const width = stdout.columns || 80;
  const height = Math.max(5, (stdout.rows || 24) - 6);
  const placeholder = !inputActive
    ? "Ctrl+G to type here"
    : view.mic === "on" && view.inputMode === "hands-free"
      ? "speak, or type a message (/help)"
      : "type a message, Enter to send (/help)";
  return (
    <Box flexDirection="column">
      {pane === undefined ? (
        <Static items={items}>
          {(item) =>
            item.role === "divider" ? (
              <Text key={item.id} dimColor>
                {"─".repeat(Math.min(width, 40))} new conversation
              </Text>
            ) : (
              <MessageView key={item.id} message={item} character={view.character} user={user} />
            )
          }
        </Static>
      ) : null}
      {pane === undefined && view.scroll > 0 ? (
        <ScrollView
          messages={view.messages}
          scroll={view.scroll}
          height={height}
          width={width}
          character={view.character}
          user={user}
        />
      ) : null}
      {pane === undefined && view.streaming ? (
        <Text>
          <Text color="magenta" bold>{`${view.character}: `}</Text>
          {liveTail(`${view.character}: `, view.streaming.text, width, height - 2)}
        </Text>
      ) : null}
      {view.panel ? (
        <Box flexDirection="column" borderStyle="round" borderColor="blue" paddingX={1}>
          <Text bold>{view.panel.title}</Text>
          <Text>{clip(view.panel.body, pane === undefined ? height - 2 : height - tailRows - 3)}</Text>
          <Text dimColor>Esc to close</Text>
        </Box>
      ) : (
        (pane ?? null)
      )}
      {pane !== undefined ? (
        <ChatTail
          messages={view.messages}
          streaming={view.streaming}
          scroll={view.scroll}
          height={tailRows}
          width={width}
          character={view.character}
          user={user}
        />
      ) : null}
      <InputLine app={app} draft={view.draft} active={!view.quitting} placeholder={placeholder} />
      {view.quitArmed ? <Text color="yellow">Press Ctrl+C again to quit.</Text> : null}
      <StatusBar view={view} />
    </Box>
  );
}
