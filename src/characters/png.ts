import { inflateSync } from "node:zlib";
import { invalidCharacter } from "./issues.js";

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses it). */
export function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of buf) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function isPng(buf: Buffer): boolean {
  return buf.length >= 8 && buf.subarray(0, 8).equals(SIGNATURE);
}

/** Keyword → text of every tEXt, zTXt and iTXt chunk (the first of each keyword wins). */
export function readPngText(buf: Buffer, file?: string): Map<string, string> {
  if (!isPng(buf)) throw invalidCharacter(file, "not a PNG file (bad signature)");
  const texts = new Map<string, string>();
  let offset = 8;
  while (offset < buf.length) {
    if (offset + 12 > buf.length) throw invalidCharacter(file, `corrupt PNG: truncated chunk at byte ${offset}`);
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("latin1", offset + 4, offset + 8);
    const end = offset + 8 + length;
    if (end + 4 > buf.length)
      throw invalidCharacter(file, `corrupt PNG: chunk ${type} at byte ${offset} runs past the end`);
    const expected = buf.readUInt32BE(end);
    if (crc32(buf.subarray(offset + 4, end)) !== expected) {
      throw invalidCharacter(file, `corrupt PNG: chunk ${type} at byte ${offset} has a bad CRC`);
    }
    const data = buf.subarray(offset + 8, end);
    const text = decodeTextChunk(type, data, file);
    if (text && !texts.has(text.keyword)) texts.set(text.keyword, text.text);
    offset = end + 4;
    if (type === "IEND") break;
  }
  return texts;
}

function decodeTextChunk(type: string, data: Buffer, file?: string): { keyword: string; text: string } | undefined {
  if (type !== "tEXt" && type !== "zTXt" && type !== "iTXt") return undefined;
  const nul = data.indexOf(0);
  if (nul < 0) return undefined;
  const keyword = data.toString("latin1", 0, nul);
  try {
    if (type === "tEXt") return { keyword, text: data.toString("latin1", nul + 1) };
    if (type === "zTXt") return { keyword, text: inflateSync(data.subarray(nul + 2)).toString("latin1") };
    // iTXt: keyword \0 flag method language \0 translated-keyword \0 text (UTF-8)
    const compressed = data[nul + 1] === 1;
    const langEnd = data.indexOf(0, nul + 3);
    const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
    if (transEnd < 0) return undefined;
    const body = data.subarray(transEnd + 1);
    return { keyword, text: (compressed ? inflateSync(body) : body).toString("utf8") };
  } catch (err) {
    throw invalidCharacter(file, `corrupt PNG: the ${type} chunk "${keyword}" does not decompress (${String(err)})`);
  }
}

/** The card JSON embedded in a PNG: the `chara` chunk (V2), else `ccv3` (V3); base64 or plain JSON. */
export function readPngCard(buf: Buffer, file?: string): unknown {
  const texts = readPngText(buf, file);
  const raw = texts.get("chara") ?? texts.get("ccv3");
  if (raw === undefined) {
    throw invalidCharacter(
      file,
      "this PNG holds no character card (no `chara` or `ccv3` text chunk)",
      "Use the card PNG as downloaded; image editors strip its text chunks.",
    );
  }
  const trimmed = raw.trim();
  const candidates = trimmed.startsWith("{") ? [trimmed] : [Buffer.from(trimmed, "base64").toString("utf8"), trimmed];
  for (const text of candidates) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // try the next reading
    }
  }
  throw invalidCharacter(file, "the PNG's `chara` chunk is not base64-encoded JSON");
}
