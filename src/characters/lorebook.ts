import type { LoreEntry, Lorebook } from "./types.js";

export interface LoreScanOptions {
  /** How many of the most recent messages are scanned (default: the book's, else 4). */
  scanDepth?: number;
  /** Most tokens the active entries may take together (default: the book's, else 512). */
  tokenBudget?: number;
  /** Token counter; the default guesses one token per four characters. */
  countTokens?: (text: string) => number;
}

export const DEFAULT_SCAN_DEPTH = 4;
export const DEFAULT_TOKEN_BUDGET = 512;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const REGEX_KEY = /^\/(.+)\/([a-z]*)$/s;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * A matcher for one key. A key written `/pattern/flags` is a regular expression (case-insensitive
 * unless the entry is case-sensitive); any other key is matched literally, as a whole word on each
 * side where it starts or ends with a letter, digit or `_` ("C++" matches in "c++?", "cat" does not
 * match "concatenate").
 */
export function keyMatcher(key: string, caseSensitive: boolean): RegExp | undefined {
  const regex = REGEX_KEY.exec(key.trim());
  if (regex) {
    let flags = (regex[2] ?? "").replace(/[gy]/g, "");
    if (!caseSensitive && !flags.includes("i")) flags += "i";
    try {
      return new RegExp(regex[1]!, flags);
    } catch {
      // not a valid regular expression: fall through and match it literally
    }
  }
  const literal = key.trim();
  if (!literal) return undefined;
  const escaped = literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const before = WORD_CHAR.test(literal[0]!) ? "(?<![\\p{L}\\p{N}_])" : "";
  const after = WORD_CHAR.test(literal.at(-1)!) ? "(?![\\p{L}\\p{N}_])" : "";
  return new RegExp(`${before}${escaped}${after}`, caseSensitive ? "u" : "iu");
}

function anyKeyIn(keys: string[], caseSensitive: boolean, text: string): boolean {
  return keys.some((key) => keyMatcher(key, caseSensitive)?.test(text) ?? false);
}

function triggered(entry: LoreEntry, text: string): boolean {
  if (!entry.enabled) return false;
  if (entry.constant) return true;
  if (!anyKeyIn(entry.keys, entry.caseSensitive, text)) return false;
  if (entry.selective && entry.secondaryKeys.length > 0)
    return anyKeyIn(entry.secondaryKeys, entry.caseSensitive, text);
  return true;
}

/**
 * The lorebook entries to add to the prompt: constant ones, and those whose keys appear in the
 * last `scanDepth` messages. When they do not fit the token budget, higher priority wins (then
 * constant, then lower insertion order). Returned in insertion order.
 */
export function activeLoreEntries(
  book: Lorebook | undefined,
  recentMessages: readonly string[],
  options: LoreScanOptions = {},
): LoreEntry[] {
  if (!book || book.entries.length === 0) return [];
  const depth = Math.max(0, options.scanDepth ?? book.scanDepth ?? DEFAULT_SCAN_DEPTH);
  const budget = options.tokenBudget ?? book.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  const count = options.countTokens ?? estimateTokens;
  const text = depth === 0 ? "" : recentMessages.slice(-depth).join("\n");
  const candidates = book.entries.filter((entry) => triggered(entry, text));
  const byImportance = [...candidates].sort(
    (a, b) => b.priority - a.priority || Number(b.constant) - Number(a.constant) || a.insertionOrder - b.insertionOrder,
  );
  const chosen = new Set<LoreEntry>();
  let used = 0;
  for (const entry of byImportance) {
    const cost = count(entry.content);
    if (used + cost > budget) continue;
    used += cost;
    chosen.add(entry);
  }
  return candidates.filter((e) => chosen.has(e)).sort((a, b) => a.insertionOrder - b.insertionOrder);
}
