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

/** A matcher for one key: `/pattern/flags`, or a word or phrase matched on word boundaries. */
export function keyMatcher(key: string, caseSensitive: boolean): RegExp | undefined {
  const regex = REGEX_KEY.exec(key);
  if (regex) {
    try {
      return new RegExp(regex[1]!, (regex[2] ?? "").replace(/[gy]/g, ""));
    } catch {
      // not a valid regular expression: fall through and match it literally
    }
  }
  const literal = key.trim();
  if (!literal) return undefined;
  const escaped = literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, caseSensitive ? "u" : "iu");
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
