import { Box, Text } from "ink";
import type { ViewMessage } from "../core/conversation.js";
import { wrap } from "./format.js";

export interface ScrollViewProps {
  messages: ViewMessage[];
  scroll: number;
  height: number;
  width: number;
  character: string;
  user: string;
}

/** A window over the conversation, `scroll` lines above its end (PgUp/PgDn, "scroll up"). */
export function ScrollView({ messages, scroll, height, width, character, user }: ScrollViewProps) {
  const lines: string[] = [];
  for (const m of messages) {
    const who = m.role === "user" ? `${user}: ` : m.role === "assistant" ? `${character}: ` : "· ";
    // The box's border and padding take 4 columns: wrap to what is left, so Ink never wraps again.
    lines.push(...wrap(who + m.text + (m.interrupted ? " [interrupted]" : ""), Math.max(10, width - 5)));
  }
  // Border (2) and header (1) rows come out of the height.
  const rows = Math.max(1, height - 3);
  const end = Math.max(0, lines.length - scroll);
  const start = Math.max(0, end - rows);
  const shown = lines.slice(start, end);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1}>
      <Text dimColor>{`history — lines ${start + 1}–${end} of ${lines.length} · PgDn to return`}</Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l}
        </Text>
      ))}
    </Box>
  );
}
