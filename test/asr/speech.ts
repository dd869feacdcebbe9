import { spawnSync } from "node:child_process";
import { decodeWav, toMono16k } from "../../src/audio/wav.js";

/** Speech made by espeak-ng, as 16 kHz mono float PCM; undefined when espeak-ng is missing. */
export function espeakPcm16k(text: string): Float32Array | undefined {
  const res = spawnSync("espeak-ng", ["--stdout", text], { maxBuffer: 64 << 20 });
  if (res.error || res.status !== 0 || !res.stdout?.length) return undefined;
  return toMono16k(decodeWav(res.stdout));
}

export const ESPEAK_SKIP = "espeak-ng is not installed";
