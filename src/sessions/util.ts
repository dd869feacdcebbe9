import { randomBytes } from "node:crypto";

const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

/** A short random session id: 8 characters without look-alikes (0/o, 1/l/i). */
export function newSessionId(): string {
  const bytes = randomBytes(8);
  let id = "";
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** A session title from the first thing the user said. */
export function autoTitle(text: string): string | null {
  const flat = text.replace(/\s+/g, " ").trim();
  if (!flat) return null;
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

export function clampLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.floor(limit));
}

let lastTime = 0;

/** Date.now(), but strictly increasing within the process, so "most recent" is never a tie. */
export function monotonicNow(): number {
  lastTime = Math.max(Date.now(), lastTime + 1);
  return lastTime;
}
