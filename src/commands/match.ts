import { dropFillers, tokenize, words, type Token } from "./normalize.js";
import { DEFAULT_FILLERS, DEFAULT_PHRASES, FILLER_FREE_COMMANDS } from "./phrases.js";
import { activeCommands, COMMAND_NAMES, type CommandName, type CommandPhrases } from "./types.js";

export interface MatchOptions {
  /** Phrases per command (see resolvePhrases); the English defaults when absent. */
  phrases?: Readonly<CommandPhrases>;
  /** Commands to listen for; default: all but the child commands (activeCommands({ child: false })). */
  active?: ReadonlySet<CommandName>;
  /** When set, only utterances that begin with it are acted on ("hey roleplay"). Off by default. */
  wakePhrase?: string | null;
  /** Filler words ignored around and inside a command; English by default. */
  fillers?: readonly string[];
}

export interface CommandMatch {
  command: CommandName | null;
  /** "none": no wake phrase configured; "matched": it began the utterance; "missing": ignore the utterance. */
  wake: "none" | "matched" | "missing";
  /** The utterance minus the wake phrase (NFC, original casing and punctuation). */
  text: string;
  /** How many times the command was said ("down, down, down" → 3); 0 when not a command. */
  count: number;
}

interface Compiled {
  /** Per command: each phrase as words, and the same with fillers dropped (when not empty). */
  phrases: Map<CommandName, { raw: string[][]; bare: string[][] }>;
  fillers: string[][];
}

const cache = new WeakMap<object, Map<string, Compiled>>();

function compile(phrases: Readonly<CommandPhrases>, fillerList: readonly string[]): Compiled {
  const key = fillerList.join("\u0000");
  const hit = cache.get(phrases)?.get(key);
  if (hit) return hit;
  const fillers = fillerList.map(words).filter((f) => f.length > 0);
  const out: Compiled = { phrases: new Map(), fillers };
  for (const name of COMMAND_NAMES) {
    const raw = (phrases[name] ?? []).map(words).filter((p) => p.length > 0);
    const bare = raw.map((p) => dropFillers(p, fillers)).filter((p) => p.length > 0);
    out.phrases.set(name, { raw, bare });
  }
  const byFillers = cache.get(phrases) ?? new Map<string, Compiled>();
  byFillers.set(key, out);
  cache.set(phrases, byFillers);
  return out;
}

/** Fewest phrases that, said one after another, make up exactly `input`; 0 when impossible. */
function segments(input: readonly string[], phrases: readonly string[][]): number {
  if (input.length === 0) return 0;
  const best: number[] = new Array<number>(input.length + 1).fill(Infinity);
  best[0] = 0;
  for (let i = 0; i < input.length; i++) {
    const here = best[i] as number;
    if (here === Infinity) continue;
    for (const p of phrases) {
      if (i + p.length > input.length) continue;
      if (!p.every((w, k) => input[i + k] === w)) continue;
      best[i + p.length] = Math.min(best[i + p.length] as number, here + 1);
    }
  }
  const n = best[input.length] as number;
  return n === Infinity ? 0 : n;
}

/** Index of the first token after the wake phrase, or -1 when the utterance does not begin with it. */
function afterWake(tokens: readonly Token[], wake: string, fillers: readonly string[][]): number {
  const compact = words(wake).join("");
  if (compact.length === 0) return 0;
  let i = 0;
  // Leading fillers before the wake phrase ("okay, hey roleplay ...") are allowed.
  while (i < tokens.length && fillers.some((f) => f.length === 1 && f[0] === tokens[i]?.word)) i += 1;
  // Compare without spaces so "hey role play" and "hey, roleplay" both match "hey roleplay".
  let acc = "";
  for (let j = i; j < tokens.length; j++) {
    acc += (tokens[j] as Token).word;
    if (acc === compact) return j + 1;
    if (!compact.startsWith(acc)) return -1;
  }
  return -1;
}

/**
 * Decide whether an utterance is a voice command. Only the WHOLE utterance counts: after
 * dropping punctuation, casing and fillers it must be one of the command's phrases (or several
 * of them in a row), so "Send, please." is send and "send me a poem" is not a command.
 */
export function matchCommand(utterance: string, options: MatchOptions = {}): CommandMatch {
  const compiled = compile(options.phrases ?? DEFAULT_PHRASES, options.fillers ?? DEFAULT_FILLERS);
  const active = options.active ?? activeCommands({ child: false });
  const { text: nfc, tokens } = tokenize(utterance);
  let rest = tokens;
  let wake: CommandMatch["wake"] = "none";
  let text = nfc.trim();
  if (options.wakePhrase && words(options.wakePhrase).length > 0) {
    const at = afterWake(tokens, options.wakePhrase, compiled.fillers);
    if (at < 0) return { command: null, wake: "missing", text, count: 0 };
    wake = "matched";
    const cut = at === 0 ? 0 : (tokens[at - 1] as Token).end;
    text = nfc
      .slice(cut)
      .replace(/^[\s\p{P}]+/u, "")
      .trim();
    rest = tokens.slice(at);
  }
  const raw = rest.map((t) => t.word);
  const bare = dropFillers(raw, compiled.fillers);
  for (const name of COMMAND_NAMES) {
    if (!active.has(name)) continue;
    const phrases = compiled.phrases.get(name);
    if (!phrases) continue;
    // First as said (so a phrase made only of fillers, e.g. "okay", still works), then without
    // fillers, except for commands that must be said exactly (exit).
    const count = segments(raw, phrases.raw) || (FILLER_FREE_COMMANDS.has(name) ? 0 : segments(bare, phrases.bare));
    if (count > 0) return { command: name, wake, text, count };
  }
  // Last, ignore word breaks: whisper writes "un-mute" or "new-chat" for "unmute" and "new chat".
  const compact = bare.join("");
  const compactRaw = raw.join("");
  if (compact.length > 0) {
    for (const name of COMMAND_NAMES) {
      const phrases = compiled.phrases.get(name);
      if (!active.has(name) || !phrases) continue;
      const hit = FILLER_FREE_COMMANDS.has(name)
        ? phrases.raw.some((p) => p.join("") === compactRaw)
        : phrases.bare.some((p) => p.join("") === compact);
      if (hit) return { command: name, wake, text, count: 1 };
    }
  }
  return { command: null, wake, text, count: 0 };
}
