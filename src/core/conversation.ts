import { assertNever, type SessionEvent, type SessionState, type TurnTimings } from "./events.js";

/** What a front end shows: built from session events by a pure reducer (tested without React). */
export interface ViewMessage {
  id: number;
  role: "user" | "assistant" | "system" | "command" | "notice" | "error";
  text: string;
  interrupted?: boolean;
  source?: "text" | "voice";
}

/** A line of the append-only log a terminal prints once: a message, or the break of a new conversation. */
export type LogEntry = ViewMessage | { id: number; role: "divider" };

export interface ConversationView {
  /** The current conversation (cleared by a new chat). */
  messages: ViewMessage[];
  /** Everything shown since the start, never cleared: what a terminal prints once (<Static>). */
  log: LogEntry[];
  /** The reply being generated, shown live; undefined when none. */
  streaming: { turnId: number; text: string } | undefined;
  state: SessionState;
  lastTurn: TurnTimings | undefined;
  /** Recent first-token and first-audio times, for running medians in the status bar. */
  recentFirstToken: number[];
  recentFirstAudio: number[];
  levelDbfs: number;
  nextId: number;
  /** Incremented by every new conversation, so an append-only log can mark the break. */
  epoch: number;
}

export function initialView(state: SessionState = "idle"): ConversationView {
  return {
    messages: [],
    log: [],
    streaming: undefined,
    state,
    lastTurn: undefined,
    recentFirstToken: [],
    recentFirstAudio: [],
    levelDbfs: -100,
    nextId: 1,
    epoch: 0,
  };
}

const RECENT = 50;

function push(view: ConversationView, message: Omit<ViewMessage, "id">): ConversationView {
  return appendMessages(view, [message]);
}

/** Add messages to the conversation and to the log. */
export function appendMessages<V extends ConversationView>(view: V, messages: Omit<ViewMessage, "id">[]): V {
  let nextId = view.nextId;
  const added = messages.map((m) => ({ ...m, id: nextId++ }));
  return { ...view, messages: [...view.messages, ...added], log: [...view.log, ...added], nextId };
}

function recent(list: number[], value: number | undefined): number[] {
  if (value === undefined) return list;
  return [...list.slice(-(RECENT - 1)), value];
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

export function reduceView(view: ConversationView, event: SessionEvent): ConversationView {
  switch (event.type) {
    case "user":
      return push({ ...view, streaming: undefined }, { role: "user", text: event.text, source: event.source });
    case "delta": {
      const text = view.streaming?.turnId === event.turnId ? view.streaming.text + event.text : event.text;
      return { ...view, streaming: { turnId: event.turnId, text } };
    }
    case "reply":
      return push(
        { ...view, streaming: undefined },
        { role: "assistant", text: event.text, interrupted: event.interrupted },
      );
    case "turn":
      return {
        ...view,
        lastTurn: event.timings,
        recentFirstToken: recent(view.recentFirstToken, event.timings.firstTokenMs),
        recentFirstAudio: recent(view.recentFirstAudio, event.timings.firstAudioMs),
      };
    case "state":
      return { ...view, state: event.state };
    case "cleared": {
      const divider = view.log.length > 0 ? [{ id: view.nextId, role: "divider" as const }] : [];
      const cleared: ConversationView = {
        ...view,
        messages: [],
        log: [...view.log, ...divider],
        nextId: view.nextId + divider.length,
        streaming: undefined,
        epoch: view.epoch + 1,
      };
      return event.greeting ? push(cleared, { role: "assistant", text: event.greeting }) : cleared;
    }
    case "command":
      return push(view, { role: "command", text: event.text ? `${event.command} (“${event.text}”)` : event.command });
    case "notice":
      return push(view, { role: "notice", text: event.message });
    case "error": {
      // A reply that failed midway: what it had said stays, marked interrupted, before the error.
      const failed = event.turnId !== undefined && view.streaming?.turnId === event.turnId ? view.streaming : undefined;
      const base: ConversationView = failed ? { ...view, streaming: undefined } : view;
      const withPartial = failed?.text ? push(base, { role: "assistant", text: failed.text, interrupted: true }) : base;
      return push(withPartial, {
        role: "error",
        text: event.hint ? `${event.message} — ${event.hint}` : event.message,
      });
    }
    case "level":
      return { ...view, levelDbfs: event.dbfs };
    case "ready":
    case "barge-in":
    case "speech":
    case "utterance":
    case "transcript":
      return view;
    default:
      return assertNever(event);
  }
}
