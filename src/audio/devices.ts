import { execFile } from "node:child_process";
import { errorMessage } from "../core/errors.js";
import { findOnPath } from "./find-program.js";

export interface AudioDevice {
  /** What to pass as the device (`--input-device`, arecord -D, sox AUDIODEV), e.g. `plughw:0,0` or `default`. */
  id: string;
  /** Human-readable name. */
  name: string;
  kind: "input" | "output";
  /** `hw`: a card's device from `-l`; `pcm`: an ALSA PCM name from `-L` (default, pulse, sysdefault:...). */
  source: "hw" | "pcm";
  isDefault: boolean;
}

export interface DeviceList {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  /** Why a list may be empty or partial (missing program, no sound card), one line each. */
  notes: string[];
}

/** List input and output devices through ALSA's `arecord`/`aplay` (`-l` cards, `-L` PCM names). */
export async function listDevices(): Promise<DeviceList> {
  const notes: string[] = [];
  const inputs = await listKind("arecord", "input", notes);
  const outputs = await listKind("aplay", "output", notes);
  return { inputs, outputs, notes };
}

async function listKind(
  program: "arecord" | "aplay",
  kind: AudioDevice["kind"],
  notes: string[],
): Promise<AudioDevice[]> {
  if (!(await findOnPath(program))) {
    notes.push(`${program} not found: install alsa-utils to list ${kind} devices`);
    return [];
  }
  const cards = await run(program, ["-l"]);
  const pcms = await run(program, ["-L"]);
  for (const r of [cards, pcms]) if (r.error) notes.push(`${program} failed: ${r.error}`);
  const noCard = /no soundcards found/i.test(cards.stderr);
  if (noCard) notes.push(`no sound card found by ${program}`);
  const devices = [...parsePcmList(pcms.stdout, kind), ...parseCardList(cards.stdout, kind)];
  const seen = new Set<string>();
  const unique = devices.filter((d) => !seen.has(d.id) && seen.add(d.id));
  if (unique.length === 0 && !noCard && !cards.error) notes.push(`no ${kind} devices found by ${program}`);
  return unique;
}

/** Parse `arecord -l` / `aplay -l`: `card 0: PCH [HDA Intel PCH], device 0: ALC3246 Analog [ALC3246 Analog]`. */
export function parseCardList(text: string, kind: AudioDevice["kind"]): AudioDevice[] {
  const out: AudioDevice[] = [];
  const re = /^card (\d+): (\S+) \[(.*?)\], device (\d+): (.*?) \[(.*?)\]/;
  for (const line of text.split(/\r?\n/)) {
    const m = re.exec(line);
    if (!m) continue;
    const [, card, , cardName, dev, , devName] = m;
    out.push({ id: `plughw:${card},${dev}`, name: `${cardName} - ${devName}`, kind, source: "hw", isDefault: false });
  }
  return out;
}

/** Parse `arecord -L` / `aplay -L`: a PCM name at column 0, its description indented below. */
export function parsePcmList(text: string, kind: AudioDevice["kind"]): AudioDevice[] {
  const out: AudioDevice[] = [];
  let current: { id: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (!current || current.id === "null") return;
    const name = current.lines.join(", ") || current.id;
    out.push({ id: current.id, name, kind, source: "pcm", isDefault: current.id === "default" });
  };
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    if (/^\S/.test(line)) {
      flush();
      current = { id: line.trim(), lines: [] };
    } else current?.lines.push(line.trim());
  }
  flush();
  return out;
}

function run(program: string, args: string[]): Promise<{ stdout: string; stderr: string; error?: string }> {
  return new Promise((resolve) => {
    try {
      const child = execFile(program, args, { timeout: 5000, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
        const lastLine = String(stderr).trim().split(/\r?\n/).at(-1);
        const failed = err ? lastLine || errorMessage(err) : undefined;
        resolve({ stdout: String(stdout), stderr: String(stderr), ...(failed ? { error: failed } : {}) });
      });
      child.on("error", () => {}); // reported through the callback
    } catch (err) {
      resolve({ stdout: "", stderr: "", error: errorMessage(err) });
    }
  });
}
