import { Box, Text, useInput } from "ink";
import { useRef, useState } from "react";
import type { AppController } from "../pipeline/app.js";

export interface InputLineProps {
  app: AppController;
  draft: string;
  active: boolean;
  placeholder: string;
}

/**
 * The input line: typing, cursor movement, Enter to send, Esc/Ctrl+C/PgUp/PgDn routed to the
 * controller. The draft lives in the store so dictation can write into it too.
 */
export function InputLine({ app, draft, active, placeholder }: InputLineProps) {
  // The cursor (undefined = at the end) and the draft are read live at each key: keys can arrive
  // faster than React re-renders (the store notifies at most once per frame), and each must build
  // on the one before it.
  const cursorRef = useRef<number | undefined>(undefined);
  const [, redraw] = useState(0);
  const setCursor = (c: number | undefined): void => {
    cursorRef.current = c;
    redraw((n) => n + 1);
  };
  const pos = Math.min(cursorRef.current ?? draft.length, draft.length);

  useInput(
    (input, key) => {
      if (!app.inputOwnsKeyboard) return;
      const live = app.store.getState().draft;
      const cursor = cursorRef.current;
      const at = Math.min(cursor ?? live.length, live.length);
      if (key.ctrl && input === "c") return app.ctrlC();
      if (key.ctrl && input === "t") return app.talkKey();
      if (key.escape) return app.escape();
      if (key.pageUp) return app.scrollBy(10);
      if (key.pageDown) return app.scrollBy(-10);
      if (key.return) {
        setCursor(undefined);
        return app.submit();
      }
      if (key.leftArrow) return setCursor(Math.max(0, at - 1));
      if (key.rightArrow) return setCursor(at + 1 >= live.length ? undefined : at + 1);
      if (key.home || (key.ctrl && input === "a")) return setCursor(0);
      if (key.end || (key.ctrl && input === "e")) return setCursor(undefined);
      if (key.ctrl && input === "u") {
        setCursor(undefined);
        return app.setDraft("");
      }
      if (key.backspace || key.delete) {
        if (at === 0) return;
        app.setDraft(live.slice(0, at - 1) + live.slice(at));
        if (cursor !== undefined) setCursor(at - 1);
        return;
      }
      if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.tab) return;
      if (!input) return;
      // Fast typing or a paste can deliver "text\r" in one chunk: the trailing return is Enter.
      const enter = /[\r\n]$/.test(input);
      const text = input.replace(/[\r\n]+$/, "").replace(/\r?\n|\r/g, " ");
      const next = live.slice(0, at) + text + live.slice(at);
      if (enter) {
        setCursor(undefined);
        return app.submit(next);
      }
      app.setDraft(next);
      if (cursor !== undefined) setCursor(at + text.length);
    },
    { isActive: active },
  );

  const before = draft.slice(0, pos);
  const at = draft[pos] ?? " ";
  const after = draft.slice(pos + 1);
  return (
    <Box>
      <Text color="cyan">{"› "}</Text>
      {draft.length === 0 ? (
        <Text>
          <Text inverse> </Text>
          <Text dimColor>{placeholder}</Text>
        </Text>
      ) : (
        <Text>
          {before}
          <Text inverse>{at}</Text>
          {after}
        </Text>
      )}
    </Box>
  );
}
