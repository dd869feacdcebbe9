import { Box, Text } from "ink";
import type { ViewMessage } from "../core/conversation.js";
import { wrap } from "./format.js";

const COLOR: Partial<Record<ViewMessage["role"], string>> = {
  user: "cyan",
  assistant: "magenta",
  command: "yellow",
  error: "red",
};

export interface ChatTailProps {
  messages: ViewMessage[];
  streaming: { text: string } | undefined;
  /** Lines scrolled up from the end ("scroll up", PgUp in roleplay's input). */
  scroll: number;
  height: number;
  width: number;
  character: string;
  user: string;
}

/**
 * The last lines of the conversation in a fixed number of rows, for layouts where a pane fills
 * the screen (`roleplay wrap`): the conversation cannot go to <Static> above it, it would scroll
 * out of sight at once.
 */
export function ChatTail({ messages, streaming, scroll, height, width, character, user }: ChatTailProps) {
  type Line = { text: string; role: ViewMessage["role"]; head: string };
  const wrapped = (role: ViewMessage["role"], head: string, text: string): Line[] =>
    wrap(head + text, Math.max(10, width - 1)).map((line, i) =>
      i === 0 ? { role, head, text: line.slice(head.length) } : { role, head: "", text: line },
    );
  // Only the end of a long conversation is shown: wrap messages from the last one back until the
  // rows (and the scroll offset) are filled, not the whole history at every render.
  const need = height + Math.max(0, scroll);
  let lines: Line[] = streaming ? wrapped("assistant", `${character}: `, streaming.text) : [];
  for (let i = messages.length - 1; i >= 0 && lines.length < need; i--) {
    const m = messages[i]!;
    const head =
      m.role === "user" ? `${user}: ` : m.role === "assistant" ? `${character}: ` : m.role === "command" ? "» " : "· ";
    lines = [...wrapped(m.role, head, m.text + (m.interrupted ? " [interrupted]" : "")), ...lines];
  }
  const end = Math.max(0, lines.length - Math.max(0, scroll));
  const shown = lines.slice(Math.max(0, end - height), end);
  if (shown.length === 0) return null;
  return (
    <Box flexDirection="column">
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end" dimColor={l.role === "notice" || l.role === "system"}>
          {l.head ? (
            <Text color={COLOR[l.role] ?? "gray"} bold={l.role === "user" || l.role === "assistant"}>
              {l.head}
            </Text>
          ) : null}
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
