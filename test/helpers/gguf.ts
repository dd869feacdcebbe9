/**
 * A small GGUF v3 writer for tests: `writeTinyGguf` makes a tiny random-weight llama model with
 * a byte-level vocabulary that the real node-llama-cpp loads and generates text from.
 */
import { truncateSync, writeFileSync } from "node:fs";
import { seededRandom } from "../../src/core/random.js";

/** A typed GGUF metadata value; plain JS values map to string, u32/i32/f32, bool and arrays. */
export type GgufValue =
  | string
  | boolean
  | { type: "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "u64" | "i64" | "f64"; value: number | bigint }
  | { type: "array"; itemType: "string" | "u32" | "i32" | "f32"; items: readonly (string | number)[] };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous (row) dimension. */
  dims: number[];
  data: Float32Array;
}

const T = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
};
const ALIGN = 32;

class Out {
  parts: Buffer[] = [];
  size = 0;
  push(b: Buffer): void {
    this.parts.push(b);
    this.size += b.length;
  }
  num(type: keyof typeof T, v: number | bigint): void {
    const b = Buffer.alloc(
      type === "u64" || type === "i64" || type === "f64" ? 8 : type.endsWith("8") ? 1 : type.endsWith("16") ? 2 : 4,
    );
    const n = Number(v);
    if (type === "u8") b.writeUInt8(n);
    else if (type === "i8") b.writeInt8(n);
    else if (type === "u16") b.writeUInt16LE(n);
    else if (type === "i16") b.writeInt16LE(n);
    else if (type === "u32") b.writeUInt32LE(n);
    else if (type === "i32") b.writeInt32LE(n);
    else if (type === "f32") b.writeFloatLE(n);
    else if (type === "f64") b.writeDoubleLE(n);
    else if (type === "u64") b.writeBigUInt64LE(BigInt(v));
    else b.writeBigInt64LE(BigInt(v));
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.num("u64", bytes.length);
    this.push(bytes);
  }
  value(v: GgufValue): void {
    if (typeof v === "string") {
      this.num("u32", T.string);
      this.str(v);
    } else if (typeof v === "boolean") {
      this.num("u32", T.bool);
      this.num("u8", v ? 1 : 0);
    } else if (v.type === "array") {
      this.num("u32", T.array);
      this.num("u32", T[v.itemType]);
      this.num("u64", v.items.length);
      for (const item of v.items) {
        if (v.itemType === "string") this.str(String(item));
        else this.num(v.itemType, Number(item));
      }
    } else {
      this.num("u32", T[v.type]);
      this.num(v.type, v.value);
    }
  }
  pad(): void {
    const rest = this.size % ALIGN;
    if (rest) this.push(Buffer.alloc(ALIGN - rest));
  }
}

/** Write a GGUF v3 file with the given metadata (in order) and F32 tensors. */
export function writeGguf(path: string, file: { metadata: Record<string, GgufValue>; tensors: GgufTensor[] }): void {
  const out = new Out();
  out.push(Buffer.from("GGUF", "latin1"));
  out.num("u32", 3);
  out.num("u64", file.tensors.length);
  out.num("u64", Object.keys(file.metadata).length);
  for (const [key, value] of Object.entries(file.metadata)) {
    out.str(key);
    out.value(value);
  }
  let offset = 0;
  for (const t of file.tensors) {
    if (t.data.length !== t.dims.reduce((a, b) => a * b, 1))
      throw new Error(`tensor ${t.name}: data length does not match dims`);
    out.str(t.name);
    out.num("u32", t.dims.length);
    for (const d of t.dims) out.num("u64", d);
    out.num("u32", 0); // GGML_TYPE_F32
    out.num("u64", offset);
    offset += Math.ceil((t.data.length * 4) / ALIGN) * ALIGN;
  }
  out.pad();
  for (const t of file.tensors) {
    out.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    out.pad();
  }
  writeFileSync(path, Buffer.concat(out.parts));
}

export { seededRandom } from "../../src/core/random.js";

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TinyGgufOptions {
  seed?: number;
  /** general.architecture; anything but "llama" makes a file llama.cpp refuses. */
  architecture?: string;
  contextLength?: number;
  /** tokenizer.chat_template; default ChatML, null writes none. */
  chatTemplate?: string | null;
  /** Cut the written file to this many bytes. */
  truncateTo?: number;
  nEmbd?: number;
  nLayer?: number;
}

/** Token ids of the tiny vocabulary. */
export const TINY_VOCAB = {
  unk: 0,
  bos: 1,
  eos: 2,
  imStart: 3,
  imEnd: 4,
  space: 5,
  firstByte: 6,
  size: 6 + 256,
} as const;

function vocabulary(): { tokens: string[]; types: number[] } {
  // token_type: 1 normal, 2 unknown, 3 control, 6 byte
  const tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "\u2581"];
  const types = [2, 3, 3, 3, 3, 1];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(6);
  }
  return { tokens, types };
}

/**
 * Write a tiny random-weight llama GGUF (about 470 KB with the defaults). Weights are seeded and
 * deterministic. The model only ever generates printable ASCII: residual dimension 0 is a
 * constant no layer writes to, and the output rows of control tokens and non-printable bytes
 * weigh it strongly negative, so generation never ends early or emits invalid UTF-8 (it runs
 * until maxTokens, whatever the sampling settings).
 */
export function writeTinyGguf(path: string, opts: TinyGgufOptions = {}): void {
  const nEmbd = opts.nEmbd ?? 64;
  const nLayer = opts.nLayer ?? 2;
  const nHead = 4;
  const nFf = 128;
  const rand = seededRandom(opts.seed ?? 1);
  const uniform = (n: number, scale: number): Float32Array =>
    Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const { tokens, types } = vocabulary();
  const nVocab = tokens.length;

  const embd = uniform(nEmbd * nVocab, 1);
  const output = uniform(nEmbd * nVocab, 0.4);
  for (let tok = 0; tok < nVocab; tok++) {
    embd[tok * nEmbd] = 8;
    const byte = tok - TINY_VOCAB.firstByte;
    const printable = tok === TINY_VOCAB.space || (byte >= 0x20 && byte < 0x7f);
    output[tok * nEmbd] = printable ? 4 : -4;
  }
  /** A projection whose output row 0 is zero, so residual dimension 0 stays constant. */
  const intoResidual = (nIn: number): Float32Array => {
    const w = uniform(nIn * nEmbd, 0.2);
    w.fill(0, 0, nIn);
    return w;
  };

  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", dims: [nEmbd, nVocab], data: embd },
    { name: "output_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "output.weight", dims: [nEmbd, nVocab], data: output },
  ];
  for (let i = 0; i < nLayer; i++) {
    const p = `blk.${i}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}attn_q.weight`, dims: [nEmbd, nEmbd], data: uniform(nEmbd * nEmbd, 0.3) },
      { name: `${p}attn_k.weight`, dims: [nEmbd, nEmbd], data: uniform(nEmbd * nEmbd, 0.3) },
      { name: `${p}attn_v.weight`, dims: [nEmbd, nEmbd], data: uniform(nEmbd * nEmbd, 0.3) },
      { name: `${p}attn_output.weight`, dims: [nEmbd, nEmbd], data: intoResidual(nEmbd) },
      { name: `${p}ffn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}ffn_gate.weight`, dims: [nEmbd, nFf], data: uniform(nEmbd * nFf, 0.3) },
      { name: `${p}ffn_up.weight`, dims: [nEmbd, nFf], data: uniform(nEmbd * nFf, 0.3) },
      { name: `${p}ffn_down.weight`, dims: [nFf, nEmbd], data: intoResidual(nFf) },
    );
  }

  const arch = opts.architecture ?? "llama";
  const u32 = (value: number): GgufValue => ({ type: "u32", value });
  const metadata: Record<string, GgufValue> = {
    "general.architecture": arch,
    "general.name": "tiny-random",
    "general.file_type": u32(0),
    [`${arch}.context_length`]: u32(opts.contextLength ?? 4096),
    [`${arch}.embedding_length`]: u32(nEmbd),
    [`${arch}.block_count`]: u32(nLayer),
    [`${arch}.feed_forward_length`]: u32(nFf),
    [`${arch}.attention.head_count`]: u32(nHead),
    [`${arch}.attention.head_count_kv`]: u32(nHead),
    [`${arch}.attention.layer_norm_rms_epsilon`]: { type: "f32", value: 1e-5 },
    [`${arch}.rope.dimension_count`]: u32(nEmbd / nHead),
    [`${arch}.vocab_size`]: u32(nVocab),
    "tokenizer.ggml.model": "llama",
    "tokenizer.ggml.tokens": { type: "array", itemType: "string", items: tokens },
    "tokenizer.ggml.scores": { type: "array", itemType: "f32", items: tokens.map(() => 0) },
    "tokenizer.ggml.token_type": { type: "array", itemType: "i32", items: types },
    "tokenizer.ggml.bos_token_id": u32(TINY_VOCAB.bos),
    "tokenizer.ggml.eos_token_id": u32(TINY_VOCAB.eos),
    "tokenizer.ggml.unknown_token_id": u32(TINY_VOCAB.unk),
    "tokenizer.ggml.add_bos_token": true,
    "tokenizer.ggml.add_eos_token": false,
  };
  const template = opts.chatTemplate === undefined ? CHATML_TEMPLATE : opts.chatTemplate;
  if (template !== null) metadata["tokenizer.chat_template"] = template;

  writeGguf(path, { metadata, tensors });
  if (opts.truncateTo !== undefined) truncateSync(path, opts.truncateTo);
}
