import { Text } from "ink";
import type { ViewMessage } from "../core/conversation.js";

export interface MessageProps {
  message: ViewMessage;
  character: string;
  user: string;
}

/** One finished message of the conversation. */
export function MessageView({ message, character, user }: MessageProps) {
  switch (message.role) {
    case "user":
      return (
        <Text>
          <Text color="cyan" bold>{`${user}${message.source === "voice" ? " 🎙" : ""}: `}</Text>
          {message.text}
        </Text>
      );
    case "assistant":
      return (
        <Text>
          <Text color="magenta" bold>{`${character}: `}</Text>
          {message.text}
          {message.interrupted ? <Text dimColor> [interrupted]</Text> : null}
        </Text>
      );
    case "command":
      return <Text color="yellow">{`» ${message.text}`}</Text>;
    case "notice":
      return <Text dimColor>{`· ${message.text}`}</Text>;
    case "error":
      return <Text color="red">{`✗ ${message.text}`}</Text>;
    case "system":
      return <Text dimColor>{message.text}</Text>;
  }
}
