import { Box, Text } from "ink";
import type { AppView } from "../pipeline/app.js";
import { latencySummary, meter, stateLabel } from "./format.js";

/** The bottom line: character, model, state, microphone and the last turn's latency. */
export function StatusBar({ view }: { view: AppView }) {
  const busy = view.state === "thinking" || view.state === "speaking" || view.state === "transcribing";
  const mic =
    view.mic === "on"
      ? `🎙 ${view.inputMode === "push-to-talk" ? (view.recording ? "REC" : "PTT") : "hands-free"} ${meter(view.levelDbfs)}`
      : view.mic === "muted"
        ? "🎙 muted"
        : view.mic === "unavailable"
          ? "text mode"
          : "";
  const latency = latencySummary(view);
  return (
    <Box>
      <Text inverse wrap="truncate-end">
        {` ${view.character} │ ${view.model} │ `}
        <Text color={busy ? "yellow" : "green"}>{stateLabel(view)}</Text>
        {view.mode === "dictation" ? " │ dictation" : ""}
        {mic ? ` │ ${mic}` : ""}
        {latency ? ` │ ${latency}` : ""}{" "}
      </Text>
    </Box>
  );
}
