import { findSession } from "./resume.js";
import type { ExportFormat, Hit, Session, SessionStore } from "./types.js";

/** Printable output of `roleplay sessions ...` (and the TUI's /sessions and /search). */

/** `YYYY-MM-DD HH:MM` in local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "))
    .join("\n");
}

function withNotice(store: SessionStore, text: string): string {
  return store.notice ? `${text}\n\n(${store.notice})` : text;
}

export function formatSessionList(sessions: readonly Session[]): string {
  if (sessions.length === 0) return "No saved sessions.";
  const rows = [["ID", "CHARACTER", "MESSAGES", "LAST MESSAGE", "TITLE"]];
  for (const s of sessions)
    rows.push([s.id, s.character, String(s.messageCount), formatTime(s.updated), s.title ?? ""]);
  return table(rows);
}

export function sessionsList(store: SessionStore, options: { character?: string; limit?: number } = {}): string {
  return withNotice(store, formatSessionList(store.listSessions(options)));
}

/** A session as a readable transcript. `names` gives display names for the speakers. */
export function sessionsShow(
  store: SessionStore,
  id: string,
  names: { user?: string; character?: string } = {},
): string {
  const session = findSession(store, id);
  const lines = [
    `${session.title ?? "(untitled)"} · ${session.id} · ${names.character ?? session.character} · ${session.model}`,
    `started ${formatTime(session.created)}, last message ${formatTime(session.updated)}, ${session.messageCount} messages`,
    "",
  ];
  for (const m of store.messages(session.id)) {
    const who =
      m.role === "user"
        ? (names.user ?? "You")
        : m.role === "assistant"
          ? (names.character ?? session.character)
          : "System";
    lines.push(`[${formatTime(m.created)}] ${who}: ${m.text}${m.interrupted ? " (interrupted)" : ""}`);
  }
  return lines.join("\n");
}

export function sessionsExport(store: SessionStore, id: string, format: ExportFormat = "md"): string {
  return store.exportSession(findSession(store, id).id, format);
}

export function sessionsRemove(store: SessionStore, id: string): string {
  const session = findSession(store, id);
  store.deleteSession(session.id);
  return `Deleted session ${session.id} (${session.character}, ${session.messageCount} messages).`;
}

export function formatHits(hits: readonly Hit[], words: string): string {
  if (hits.length === 0) return `No messages match "${words}".`;
  return hits.map((h) => `${h.sessionId}  ${formatTime(h.time)}  ${h.character}  ${h.role}: ${h.snippet}`).join("\n");
}

export function sessionsSearch(store: SessionStore, words: string, options: { limit?: number } = {}): string {
  return withNotice(store, formatHits(store.search(words, options), words));
}
