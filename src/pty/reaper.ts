import { readdirSync, readFileSync } from "node:fs";
import { getLogger } from "../core/log.js";

const log = getLogger("pty");
/** Session ids (= pids of the session leaders node-pty made) of children that are alive. */
const live = new Set<number>();
let hooked = false;

/**
 * Processes whose session id is `sid`: the child and whatever it started in its terminal, even
 * in other process groups (a shell's jobs). Linux only (/proc); elsewhere just the leader.
 */
export function sessionMembers(sid: number): number[] {
  if (process.platform !== "linux") return [];
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name "(...)": state ppid pgrp session ...
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // A zombie is already dead; only its parent can reap it.
      if (Number(fields[3]) === sid && fields[0] !== "Z") out.push(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/**
 * Send a signal to a child (the session leader node-pty made), its process group and every
 * other member of its session. `leader: false` once the leader itself has been reaped.
 */
export function signalSession(sid: number, signal: NodeJS.Signals, options: { leader?: boolean } = {}): void {
  if (!Number.isInteger(sid) || sid <= 1 || sid === process.pid) return;
  const targets = options.leader === false ? [-sid] : [sid, -sid];
  for (const target of [...targets, ...sessionMembers(sid)]) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone, or never ours.
    }
  }
}

export function trackChild(pid: number): void {
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.on("exit", killAllChildrenSync);
  }
}

export function untrackChild(pid: number): void {
  live.delete(pid);
}

/**
 * SIGKILL every live PTY child and its session, synchronously. Registered on process 'exit';
 * the CLI also calls it from its SIGINT/SIGTERM/SIGHUP handlers and uncaught-error paths, so
 * no child outlives roleplay.
 */
export function killAllChildrenSync(): void {
  for (const pid of live) {
    log.debug("killing child at exit", { pid });
    signalSession(pid, "SIGKILL");
  }
  live.clear();
}
