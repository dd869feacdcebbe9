import { COMMAND_NAMES, type CommandName, type CommandPhrases } from "./types.js";

/**
 * Default (English) phrases. An utterance is a command only when the whole of it, minus
 * punctuation, casing and filler words, is one of these (said once or repeated: "stop, stop!").
 * Phrases are kept specific enough that a short real answer is unlikely to be taken for one:
 * "go", "goodbye", "wait", "enough", "enter", "conversation", "dictation", "exit" and "quit" are
 * left out on purpose, as people say them to a character ("Conversation." as an answer, "Okay,
 * quit."). Quitting needs "quit roleplay" (or "exit the app"…), said with no filler words (see
 * FILLER_FREE_COMMANDS). "stop" and "quiet" stay: cutting the voice off by mistake costs little.
 */
export const DEFAULT_PHRASES: Readonly<CommandPhrases> = {
  send: [
    "send",
    "send it",
    "send that",
    "send this",
    "send now",
    "send message",
    "send the message",
    "please send",
    "submit",
    "submit it",
    "submit that",
    "press enter",
    "hit enter",
  ],
  clear: [
    "clear",
    "clear it",
    "clear that",
    "clear all",
    "clear everything",
    "clear draft",
    "clear the draft",
    "clear input",
    "clear the input",
    "clear text",
    "clear the text",
    "erase all",
    "erase everything",
  ],
  stop: [
    "stop",
    "stop it",
    "quiet",
    "be quiet",
    "quiet please",
    "shut up",
    "stop talking",
    "stop speaking",
    "silence",
    "hush",
    "that's enough",
  ],
  repeat: [
    "repeat",
    "repeat that",
    "repeat it",
    "repeat please",
    "say that again",
    "say it again",
    "say again",
    "come again",
    "pardon",
    "pardon me",
    "what did you say",
  ],
  "scroll-up": ["scroll up", "page up", "scroll back"],
  "scroll-down": ["scroll down", "page down", "scroll to bottom", "scroll to the bottom"],
  "new-chat": [
    "new chat",
    "new conversation",
    "start over",
    "start a new chat",
    "start a new conversation",
    "reset the conversation",
    "reset conversation",
  ],
  mute: [
    "mute",
    "mute microphone",
    "mute the microphone",
    "mute mic",
    "mute the mic",
    "microphone off",
    "mic off",
    "stop listening",
  ],
  unmute: [
    "unmute",
    "unmute microphone",
    "unmute the microphone",
    "unmute mic",
    "unmute the mic",
    "microphone on",
    "mic on",
    "start listening",
  ],
  "dictation-mode": [
    "dictation mode",
    "start dictation",
    "dictation on",
    "switch to dictation",
    "switch to dictation mode",
    "enter dictation mode",
  ],
  "conversation-mode": [
    "conversation mode",
    "chat mode",
    "stop dictation",
    "end dictation",
    "dictation off",
    "switch to conversation",
    "switch to conversation mode",
    "exit dictation mode",
  ],
  exit: ["exit roleplay", "quit roleplay", "close roleplay", "goodbye roleplay", "exit the app", "quit the app"],
  "scratch-that": [
    "scratch that",
    "scratch it",
    "strike that",
    "delete that",
    "undo that",
    "undo",
    "remove that",
    "delete last",
    "delete the last part",
  ],
  restart: [
    "restart",
    "restart it",
    "restart the program",
    "restart program",
    "restart the child",
    "restart child",
    "start again",
  ],
  yes: ["yes", "yeah", "yep", "yup", "press y", "type y", "answer yes"],
  no: ["no", "nope", "press n", "type n", "answer no"],
  escape: ["escape", "press escape", "hit escape", "escape key", "esc"],
  up: ["up", "arrow up", "up arrow", "press up", "go up", "move up"],
  down: ["down", "arrow down", "down arrow", "press down", "go down", "move down"],
  tab: ["tab", "press tab", "hit tab", "tab key"],
  interrupt: ["interrupt", "interrupt it", "control c", "ctrl c", "press control c", "cancel", "cancel that", "abort"],
};

/** What each command does, for `roleplay commands` and `/commands`. */
export const COMMAND_DESCRIPTIONS: Readonly<Record<CommandName, string>> = {
  send: "Send the draft (dictation mode), or press Enter in the child",
  clear: "Empty the input draft",
  stop: "Stop the agent speaking",
  repeat: "Say the last reply again",
  "scroll-up": "Scroll the conversation or the child's screen up",
  "scroll-down": "Scroll the conversation or the child's screen down",
  "new-chat": "Start a new conversation",
  mute: "Mute the microphone",
  unmute: "Unmute the microphone",
  "dictation-mode": "Gather what you say in the draft until you say send",
  "conversation-mode": "Send each utterance as soon as you stop speaking",
  exit: "Quit roleplay",
  "scratch-that": "Remove the last dictated piece from the draft",
  restart: "Restart the child program after it exited",
  yes: "Press y in the child",
  no: "Press n in the child",
  escape: "Press Escape in the child",
  up: "Press the up arrow in the child",
  down: "Press the down arrow in the child",
  tab: "Press Tab in the child",
  interrupt: "Press Ctrl+C in the child",
};

/**
 * Commands matched only as said, without dropping filler words: they cost too much when taken by
 * mistake ("Well, exit." is an answer, not a request to quit).
 */
export const FILLER_FREE_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>(["exit"]);

/**
 * Words dropped before comparing an utterance with the phrases ("okay, send it now please").
 * English only; other languages pass their own list to matchCommand.
 */
export const DEFAULT_FILLERS: readonly string[] = [
  "please",
  "okay",
  "ok",
  "now",
  "um",
  "umm",
  "uh",
  "uhh",
  "uhm",
  "er",
  "erm",
  "ah",
  "hmm",
  "mm",
  "so",
  "just",
  "alright",
  "all right",
  "well",
  "thanks",
  "thank you",
];

/**
 * The phrases to use, from the user's configuration.
 *
 * Decision: user phrases are MERGED over the defaults (added to them), because someone who adds
 * "envoyer" or "fire away" still expects "send" to work. To take a default phrase away, list it
 * with a leading "!" ("!submit"). To replace a command's defaults wholesale, start its list with
 * "!*" (["!*", "envoyer", "envoie"]); `replaceAll: true` replaces every command's defaults.
 */
export function resolvePhrases(
  overrides: Partial<Record<CommandName, readonly string[]>> = {},
  options: { replaceAll?: boolean } = {},
): CommandPhrases {
  const out = {} as CommandPhrases;
  for (const name of COMMAND_NAMES) {
    const custom = overrides[name] ?? [];
    const replace = options.replaceAll === true || custom.includes("!*");
    const base = replace ? [] : DEFAULT_PHRASES[name];
    const removed = new Set(
      custom.filter((p) => p.startsWith("!") && p !== "!*").map((p) => p.slice(1).trim().toLowerCase()),
    );
    const added = custom
      .filter((p) => !p.startsWith("!"))
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const list = [...base.filter((p) => !removed.has(p.toLowerCase())), ...added];
    out[name] = [...new Set(list)];
  }
  return out;
}
