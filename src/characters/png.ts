import { isUtf8 } from "node:buffer";
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

/** A text chunk's text; `latin1` when it was decoded as Latin-1 (tEXt, zTXt) rather than UTF-8 (iTXt). */
interface ChunkText {
  text: string;
  latin1: boolean;
}

/** Keyword → text of every tEXt, zTXt and iTXt chunk (the first of each keyword wins). */
export function readPngText(buf: Buffer, file?: string): Map<string, string> {
  return new Map([...readTextChunks(buf, file)].map(([keyword, t]) => [keyword, t.text]));
}

function readTextChunks(buf: Buffer, file?: string): Map<string, ChunkText> {
  if (!isPng(buf)) throw invalidCharacter(file, "not a PNG file (bad signature)");
  const texts = new Map<string, ChunkText>();
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
    if (text && !texts.has(text.keyword)) texts.set(text.keyword, { text: text.text, latin1: text.latin1 });
    offset = end + 4;
    if (type === "IEND") break;
  }
  return texts;
}

function decodeTextChunk(
  type: string,
  data: Buffer,
  file?: string,
): { keyword: string; text: string; latin1: boolean } | undefined {
  if (type !== "tEXt" && type !== "zTXt" && type !== "iTXt") return undefined;
  const nul = data.indexOf(0);
  if (nul < 0) return undefined;
  const keyword = data.toString("latin1", 0, nul);
  try {
    if (type === "tEXt") return { keyword, text: data.toString("latin1", nul + 1), latin1: true };
    if (type === "zTXt") return { keyword, text: inflateSync(data.subarray(nul + 2)).toString("latin1"), latin1: true };
    // iTXt: keyword \0 flag method language \0 translated-keyword \0 text (UTF-8)
    const compressed = data[nul + 1] === 1;
    const langEnd = data.indexOf(0, nul + 3);
    const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
    if (transEnd < 0) return undefined;
    const body = data.subarray(transEnd + 1);
    return { keyword, text: (compressed ? inflateSync(body) : body).toString("utf8"), latin1: false };
  } catch (err) {
    throw invalidCharacter(file, `corrupt PNG: the ${type} chunk "${keyword}" does not decompress (${String(err)})`);
  }
}

/**
 * Plain (not base64) JSON in a Latin-1 chunk: card tools write it as UTF-8 bytes, so read it
 * back as UTF-8 when those bytes are valid UTF-8 ("LucÃ­a" → "Lucía").
 */
function plainText(chunk: ChunkText): string {
  const text = chunk.text.trim();
  if (!chunk.latin1) return text;
  const bytes = Buffer.from(text, "latin1");
  return isUtf8(bytes) ? bytes.toString("utf8") : text;
}

function parseCardText(chunk: ChunkText): unknown {
  const plain = plainText(chunk);
  const trimmed = chunk.text.trim();
  const candidates = trimmed.startsWith("{") ? [plain] : [Buffer.from(trimmed, "base64").toString("utf8"), plain];
  for (const text of candidates) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/**
 * The card JSON embedded in a PNG: the `ccv3` chunk (V3, as the spec and SillyTavern prefer it),
 * else `chara` (V2); base64 or plain JSON.
 */
export function readPngCard(buf: Buffer, file?: string): unknown {
  const texts = readTextChunks(buf, file);
  const chunks = [texts.get("ccv3"), texts.get("chara")].filter((t): t is ChunkText => t !== undefined);
  if (chunks.length === 0) {
    throw invalidCharacter(
      file,
      "this PNG holds no character card (no `chara` or `ccv3` text chunk)",
      "Use the card PNG as downloaded; image editors strip its text chunks.",
    );
  }
  for (const chunk of chunks) {
    const card = parseCardText(chunk);
    if (card !== undefined) return card;
  }
  throw invalidCharacter(file, "the PNG's card chunk (`ccv3` or `chara`) is not base64-encoded JSON");
}
