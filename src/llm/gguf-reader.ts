/**
 * A bounded GGUF header parser: reads the metadata and tensor infos through a file handle in
 * small chunks, keeps scalars (and strings up to a cap), skips the big arrays (vocabulary,
 * merges), and refuses any length or count that cannot fit in the file, so a corrupt header can
 * neither allocate gigabytes nor loop for long.
 */
import type { FileHandle } from "node:fs/promises";

export type GgufScalar = number | bigint | string | boolean;

export interface GgufTensorEntry {
  name: string;
  type: number;
  dims: number[];
  elements: number;
  /** Offset of the tensor's data from the start of the data section. */
  offset: number;
}

export interface GgufArrayEntry {
  itemType: number;
  length: number;
  /** The items, only for numeric arrays of up to KEEP_ARRAY_ITEMS (per-layer values). */
  values?: number[];
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufScalar>;
  arrays: Map<string, GgufArrayEntry>;
  /** String values longer than KEEP_STRING_BYTES: present, but not read. */
  longStrings: Set<string>;
  tensors: GgufTensorEntry[];
  alignment: number;
  /** File offset where tensor data starts. */
  dataOffset: number;
}

export type GgufFormatErrorKind = "truncated" | "corrupt" | "version";

export class GgufFormatError extends Error {
  constructor(
    readonly kind: GgufFormatErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "GgufFormatError";
  }
}

const CHUNK = 64 * 1024;
const MAX_KEY = 64 * 1024;
/** Strings longer than this (other than keys) are skipped, not read: chat templates fit. */
export const KEEP_STRING_BYTES = 1024 * 1024;
const KEEP_ARRAY_ITEMS = 4096;
const MAX_DIMS = 4;
const STRING = 8;
const ARRAY = 9;
/** Byte size of each fixed-size value type (uint8 … float64), by type id. */
const FIXED: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

class Reader {
  private buf = Buffer.alloc(0);
  private start = 0;
  private pos = 0;
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}
  get offset(): number {
    return this.start + this.pos;
  }
  get remaining(): number {
    return this.size - this.offset;
  }
  private async need(n: number): Promise<Buffer> {
    if (this.pos + n <= this.buf.length) return this.buf;
    if (n > this.remaining)
      throw new GgufFormatError("truncated", `the file ends at byte ${this.size}, inside the header`);
    const offset = this.offset;
    const chunk = Buffer.alloc(Math.min(Math.max(n, CHUNK), this.remaining));
    const { bytesRead } = await this.handle.read(chunk, 0, chunk.length, offset);
    if (bytesRead < n)
      throw new GgufFormatError("truncated", `the file ends at byte ${offset + bytesRead}, inside the header`);
    this.buf = chunk.subarray(0, bytesRead);
    this.start = offset;
    this.pos = 0;
    return this.buf;
  }
  async skip(n: number): Promise<void> {
    if (n > this.remaining)
      throw new GgufFormatError("truncated", `the file ends at byte ${this.size}, inside the header`);
    if (this.pos + n <= this.buf.length) this.pos += n;
    else {
      this.start = this.offset + n;
      this.buf = Buffer.alloc(0);
      this.pos = 0;
    }
  }
  async u32(): Promise<number> {
    const v = (await this.need(4)).readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  async u64(what: string): Promise<number> {
    const v = (await this.need(8)).readBigUInt64LE(this.pos);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError("corrupt", `${what} is impossibly large (${v})`);
    return Number(v);
  }
  /** A fixed-size value of GGUF type `type`. */
  async fixed(type: number): Promise<GgufScalar> {
    const b = await this.need(FIXED[type] ?? 0);
    const p = this.pos;
    this.pos += FIXED[type] ?? 0;
    // prettier-ignore
    switch (type) {
      case 0: return b.readUInt8(p);
      case 1: return b.readInt8(p);
      case 2: return b.readUInt16LE(p);
      case 3: return b.readInt16LE(p);
      case 4: return b.readUInt32LE(p);
      case 5: return b.readInt32LE(p);
      case 6: return b.readFloatLE(p);
      case 7: return b.readUInt8(p) !== 0;
      case 10: return safe(b.readBigUInt64LE(p));
      case 11: return safe(b.readBigInt64LE(p));
      case 12: return b.readDoubleLE(p);
      default: throw new GgufFormatError("corrupt", `unknown value type ${type}`);
    }
  }
  /** Skip `count` strings; synchronous while they lie in the buffer (a vocabulary has ~10^5). */
  async skipStrings(count: number, what: string): Promise<void> {
    for (let i = 0; i < count;) {
      while (i < count && this.pos + 8 <= this.buf.length) {
        const len = this.buf.readBigUInt64LE(this.pos);
        if (len > BigInt(this.remaining - 8))
          throw new GgufFormatError("truncated", `${what} runs past the end of the file`);
        if (this.pos + 8 + Number(len) > this.buf.length) break;
        this.pos += 8 + Number(len);
        i++;
      }
      if (i < count) {
        await this.string(0, what);
        i++;
      }
    }
  }
  /** A GGUF string; undefined (and skipped) when longer than `keep` bytes. */
  async string(keep: number, what: string): Promise<string | undefined> {
    const len = await this.u64(`the length of ${what}`);
    if (len > this.remaining) throw new GgufFormatError("truncated", `${what} runs past the end of the file`);
    if (len > keep) {
      await this.skip(len);
      return undefined;
    }
    const b = await this.need(len);
    const s = b.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
}

function safe(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

async function readArray(r: Reader, key: string, depth: number): Promise<GgufArrayEntry> {
  const itemType = await r.u32();
  const length = await r.u64(`the length of array ${key}`);
  const itemSize = itemType === STRING || itemType === ARRAY ? (itemType === ARRAY ? 12 : 8) : FIXED[itemType];
  if (itemSize === undefined) throw new GgufFormatError("corrupt", `array ${key} has unknown item type ${itemType}`);
  if (length * itemSize > r.remaining)
    throw new GgufFormatError("truncated", `array ${key} runs past the end of the file`);
  if (itemType === STRING) {
    await r.skipStrings(length, `an item of ${key}`);
  } else if (itemType === ARRAY) {
    if (depth >= 3) throw new GgufFormatError("corrupt", `array ${key} is nested too deeply`);
    for (let i = 0; i < length; i++) await readArray(r, key, depth + 1);
  } else if (length <= KEEP_ARRAY_ITEMS) {
    const values: number[] = [];
    for (let i = 0; i < length; i++) values.push(Number(await r.fixed(itemType)));
    return { itemType, length, values };
  } else await r.skip(length * itemSize);
  return { itemType, length };
}

/** Parse the header of an open GGUF file of `fileSize` bytes (its magic already checked). */
export async function readGgufHeader(handle: FileHandle, fileSize: number, signal?: AbortSignal): Promise<GgufHeader> {
  const r = new Reader(handle, fileSize);
  await r.skip(4);
  const version = await r.u32();
  if (version !== 2 && version !== 3) {
    const swapped = Buffer.alloc(4);
    swapped.writeUInt32BE(version);
    const be = swapped.readUInt32LE(0);
    const why =
      be === 2 || be === 3
        ? "is a big-endian GGUF file"
        : version === 1
          ? "uses GGUF version 1, which llama.cpp no longer reads"
          : `uses unknown GGUF version ${version}`;
    throw new GgufFormatError("version", why);
  }
  const tensorCount = await r.u64("the tensor count");
  const kvCount = await r.u64("the metadata count");
  if (kvCount * 13 > r.remaining || tensorCount * 24 > r.remaining)
    throw new GgufFormatError(
      "truncated",
      `the header announces ${kvCount} metadata keys and ${tensorCount} tensors, more than the file holds`,
    );

  const metadata = new Map<string, GgufScalar>();
  const arrays = new Map<string, GgufArrayEntry>();
  const longStrings = new Set<string>();
  for (let i = 0; i < kvCount; i++) {
    if (i % 64 === 0) signal?.throwIfAborted();
    const key = await r.string(MAX_KEY, "a metadata key");
    if (key === undefined) throw new GgufFormatError("corrupt", "a metadata key is longer than 64 KB");
    const type = await r.u32();
    if (type === STRING) {
      const value = await r.string(KEEP_STRING_BYTES, `the value of ${key}`);
      if (value !== undefined) metadata.set(key, value);
      else longStrings.add(key);
    } else if (type === ARRAY) arrays.set(key, await readArray(r, key, 0));
    else if (FIXED[type] !== undefined) metadata.set(key, await r.fixed(type));
    else throw new GgufFormatError("corrupt", `metadata ${key} has unknown value type ${type}`);
  }

  const tensors: GgufTensorEntry[] = [];
  for (let i = 0; i < tensorCount; i++) {
    if (i % 256 === 0) signal?.throwIfAborted();
    const name = (await r.string(MAX_KEY, "a tensor name")) ?? "";
    const nDims = await r.u32();
    if (nDims > MAX_DIMS) throw new GgufFormatError("corrupt", `tensor ${name} has ${nDims} dimensions`);
    const dims: number[] = [];
    let elements = 1;
    for (let d = 0; d < nDims; d++) {
      const dim = await r.u64(`a dimension of tensor ${name}`);
      dims.push(dim);
      elements *= dim;
    }
    if (!Number.isSafeInteger(elements)) throw new GgufFormatError("corrupt", `tensor ${name} is impossibly large`);
    const type = await r.u32();
    const offset = await r.u64(`the offset of tensor ${name}`);
    tensors.push({ name, type, dims, elements, offset });
  }

  const align = metadata.get("general.alignment");
  const alignment = typeof align === "number" && align > 0 && (align & (align - 1)) === 0 ? align : 32;
  const dataOffset = Math.ceil(r.offset / alignment) * alignment;
  return { version, metadata, arrays, longStrings, tensors, alignment, dataOffset };
}
