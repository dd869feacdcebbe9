/**
 * Download progress: the event type, a speed/ETA meter over a sliding window, and a terminal
 * renderer for the CLI (one line redrawn in place on a TTY, a line per 10% otherwise).
 */

export interface PullProgress {
  /** The model reference being pulled, e.g. "whisper:base.en". */
  ref: string;
  /** The file being fetched. */
  file: string;
  /** 1-based index of the file and the number of files of this pull (a Piper voice has two). */
  fileIndex: number;
  fileCount: number;
  downloadedBytes: number;
  totalBytes: number | undefined;
  /** Average over the last few seconds; 0 until known. */
  bytesPerSecond: number;
  /** Seconds left, when the total and the speed are known. */
  etaSeconds: number | undefined;
  phase: "download" | "verify" | "done";
}

/** Speed over a sliding window of `windowMs`, from (time, bytes) samples. */
export function createRateMeter(windowMs = 5000, now: () => number = Date.now) {
  const samples: { t: number; bytes: number }[] = [];
  return {
    /** Record the cumulative byte count; returns bytes per second. */
    sample(bytes: number): number {
      const t = now();
      samples.push({ t, bytes });
      while (samples.length > 2 && (samples[0]?.t ?? t) < t - windowMs) samples.shift();
      const first = samples[0];
      if (!first || t - first.t < 200) return 0;
      return Math.max(0, ((bytes - first.bytes) * 1000) / (t - first.t));
    },
    reset(): void {
      samples.length = 0;
    },
  };
}

export function etaSeconds(downloaded: number, total: number | undefined, speed: number): number | undefined {
  if (total === undefined || speed <= 0) return undefined;
  return Math.max(0, (total - downloaded) / speed);
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** One line describing a progress event, e.g. "ggml-base.en.bin  45.2 MB / 148 MB  31%  5.3 MB/s  ETA 0:19". */
export function formatProgressLine(p: PullProgress): string {
  const file = p.fileCount > 1 ? `${p.file} (${p.fileIndex}/${p.fileCount})` : p.file;
  if (p.phase === "verify") return `${file}  verifying checksum…`;
  if (p.phase === "done") return `${file}  ${formatBytes(p.downloadedBytes)}  done`;
  const parts = [file];
  if (p.totalBytes !== undefined && p.totalBytes > 0) {
    parts.push(`${formatBytes(p.downloadedBytes)} / ${formatBytes(p.totalBytes)}`);
    parts.push(`${Math.floor((p.downloadedBytes / p.totalBytes) * 100)}%`);
  } else parts.push(formatBytes(p.downloadedBytes));
  if (p.bytesPerSecond > 0) parts.push(`${formatBytes(p.bytesPerSecond)}/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return parts.join("  ");
}

export interface ProgressRenderer {
  update(p: PullProgress): void;
  /** End the current line (call when a pull ends, whatever the outcome). */
  finish(): void;
}

/**
 * A terminal renderer for `roleplay models pull`: on a TTY one line redrawn at most 10 times a
 * second; otherwise a line at each 10% step (logs and CI stay short).
 */
export function createProgressRenderer(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  now: () => number = Date.now,
): ProgressRenderer {
  const tty = stream.isTTY === true;
  let last = 0;
  let open = false;
  let lastStep = -1;
  let lastFile = "";
  return {
    update(p) {
      if (p.file !== lastFile) {
        lastFile = p.file;
        lastStep = -1;
      }
      const line = formatProgressLine(p);
      if (tty) {
        const t = now();
        if (p.phase === "download" && t - last < 100) return;
        last = t;
        const width = Math.max(20, (stream.columns ?? 80) - 1);
        stream.write(`\r${line.slice(0, width)}\x1b[K`);
        open = true;
        if (p.phase === "done") {
          stream.write("\n");
          open = false;
        }
        return;
      }
      const step = p.totalBytes ? Math.floor((p.downloadedBytes / p.totalBytes) * 10) : -1;
      if (p.phase !== "download" || (step > lastStep && step >= 0)) {
        lastStep = step;
        stream.write(line + "\n");
      }
    },
    finish() {
      if (open) stream.write("\n");
      open = false;
    },
  };
}
