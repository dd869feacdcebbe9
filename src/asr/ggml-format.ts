/**
 * The whisper.cpp ggml model file format (legacy "ggml" container, not GGUF), as read by
 * whisper_model_load() in whisper.cpp and written by its convert-pt-to-ggml.py:
 *
 *   u32 magic 0x67676d6c ("ggml")
 *   i32 × 11 hparams: n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
 *                     n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
 *   mel filters: i32 n_mel, i32 n_fft, f32 × n_mel*n_fft
 *   vocabulary:  i32 count, then count × (u32 len, bytes)
 *   tensors:     i32 n_dims, i32 name_len, i32 ggml_type, i32 × n_dims ne, name, data
 *
 * Shared by the file check (src/asr/check.ts) and the model writer used by tests and the
 * fast-build probe, so both agree on every tensor name, shape and type.
 */

export const GGML_MAGIC = 0x67676d6c;
/** whisper.cpp stores ftype + quantization version × 1000. */
export const GGML_QNT_VERSION_FACTOR = 1000;

export interface WhisperHparams {
  n_vocab: number;
  n_audio_ctx: number;
  n_audio_state: number;
  n_audio_head: number;
  n_audio_layer: number;
  n_text_ctx: number;
  n_text_state: number;
  n_text_head: number;
  n_text_layer: number;
  n_mels: number;
  /** The file's ftype with the quantization version removed (0 f32, 1 f16, 2+ quantized). */
  ftype: number;
}

export const HPARAM_ORDER = [
  "n_vocab",
  "n_audio_ctx",
  "n_audio_state",
  "n_audio_head",
  "n_audio_layer",
  "n_text_ctx",
  "n_text_state",
  "n_text_head",
  "n_text_layer",
  "n_mels",
  "ftype",
] as const satisfies readonly (keyof WhisperHparams)[];

/** ggml_type → [block size, bytes per block] (from ggml.c type_traits; undefined = not a tensor type). */
const TYPE_TRAITS: Record<number, readonly [number, number]> = {
  0: [1, 4], // f32
  1: [1, 2], // f16
  2: [32, 18], // q4_0
  3: [32, 20], // q4_1
  6: [32, 22], // q5_0
  7: [32, 24], // q5_1
  8: [32, 34], // q8_0
  9: [32, 36], // q8_1
  10: [256, 84], // q2_K
  11: [256, 110], // q3_K
  12: [256, 144], // q4_K
  13: [256, 176], // q5_K
  14: [256, 210], // q6_K
  15: [256, 292], // q8_K
  16: [256, 66], // iq2_xxs
  17: [256, 74], // iq2_xs
  18: [256, 98], // iq3_xxs
  19: [256, 50], // iq1_s
  20: [32, 18], // iq4_nl
  21: [256, 110], // iq3_s
  22: [256, 82], // iq2_s
  23: [256, 136], // iq4_xs
  29: [256, 56], // iq1_m
  30: [1, 2], // bf16
  31: [32, 18], // q4_0_4_4
  32: [32, 18], // q4_0_4_8
  33: [32, 18], // q4_0_8_8
};

/** ggml_ftype → the ggml_type of the big weight matrices (ggml_ftype_to_ggml_type). */
const FTYPE_TO_TYPE: Record<number, number> = {
  0: 0,
  1: 1,
  2: 2,
  3: 3,
  7: 8,
  8: 6,
  9: 7,
  10: 10,
  11: 11,
  12: 12,
  13: 13,
  14: 14,
  15: 16,
  16: 17,
  17: 18,
  18: 19,
  19: 20,
  20: 21,
  21: 22,
  22: 23,
  23: 29,
  24: 30,
  25: 31,
  26: 32,
  27: 33,
};

export const FTYPE_NAMES: Record<number, string> = {
  0: "f32",
  1: "f16",
  2: "q4_0",
  3: "q4_1",
  7: "q8_0",
  8: "q5_0",
  9: "q5_1",
  24: "bf16",
};

/** The weight type whisper.cpp uses for an ftype, or undefined when it would refuse the file. */
export function weightTypeForFtype(ftype: number): number | undefined {
  return FTYPE_TO_TYPE[ftype];
}

/** Block size (elements) and bytes per block of a ggml type, or undefined for an unknown type. */
export function typeTraits(type: number): { blck: number; size: number } | undefined {
  const t = TYPE_TRAITS[type];
  return t ? { blck: t[0], size: t[1] } : undefined;
}

/** Bytes of tensor data for `nelements` of a ggml type, or undefined for an unknown type. */
export function tensorBytes(type: number, nelements: number): number | undefined {
  const t = TYPE_TRAITS[type];
  if (!t) return undefined;
  return Math.floor((nelements * t[1]) / t[0]);
}

export interface TensorSpec {
  name: string;
  /** ggml order: ne[0] is the fastest-varying dimension. */
  ne: number[];
  /** "f32": always f32; "weight": the ftype's weight type; "conv": f16 unless the file is f32. */
  kind: "f32" | "weight" | "conv";
}

/** The ggml type a tensor of this kind has in a file of this ftype. */
export function tensorType(kind: TensorSpec["kind"], ftype: number): number | undefined {
  const wtype = weightTypeForFtype(ftype);
  if (wtype === undefined) return undefined;
  if (kind === "f32") return 0;
  if (kind === "conv") return wtype === 0 ? 0 : 1;
  return wtype;
}

/**
 * Every tensor whisper.cpp expects, in the order convert-pt-to-ggml.py writes them (the PyTorch
 * state_dict order). The loader itself accepts any order, matching by name.
 */
export function whisperTensorSpecs(h: WhisperHparams): TensorSpec[] {
  const a = h.n_audio_state;
  const t = h.n_text_state;
  const out: TensorSpec[] = [];
  const add = (name: string, ne: number[], kind: TensorSpec["kind"]): void => {
    out.push({ name, ne, kind });
  };
  const block = (prefix: string, n: number, cross: boolean): void => {
    const attn = (p: string): void => {
      add(`${p}.query.weight`, [n, n], "weight");
      add(`${p}.query.bias`, [n], "f32");
      add(`${p}.key.weight`, [n, n], "weight");
      add(`${p}.value.weight`, [n, n], "weight");
      add(`${p}.value.bias`, [n], "f32");
      add(`${p}.out.weight`, [n, n], "weight");
      add(`${p}.out.bias`, [n], "f32");
    };
    attn(`${prefix}.attn`);
    add(`${prefix}.attn_ln.weight`, [n], "f32");
    add(`${prefix}.attn_ln.bias`, [n], "f32");
    if (cross) {
      attn(`${prefix}.cross_attn`);
      add(`${prefix}.cross_attn_ln.weight`, [n], "f32");
      add(`${prefix}.cross_attn_ln.bias`, [n], "f32");
    }
    add(`${prefix}.mlp.0.weight`, [n, 4 * n], "weight");
    add(`${prefix}.mlp.0.bias`, [4 * n], "f32");
    add(`${prefix}.mlp.2.weight`, [4 * n, n], "weight");
    add(`${prefix}.mlp.2.bias`, [n], "f32");
    add(`${prefix}.mlp_ln.weight`, [n], "f32");
    add(`${prefix}.mlp_ln.bias`, [n], "f32");
  };

  add("encoder.positional_embedding", [a, h.n_audio_ctx], "f32");
  add("encoder.conv1.weight", [3, h.n_mels, a], "conv");
  add("encoder.conv1.bias", [1, a], "f32");
  add("encoder.conv2.weight", [3, a, a], "conv");
  add("encoder.conv2.bias", [1, a], "f32");
  for (let i = 0; i < h.n_audio_layer; i++) block(`encoder.blocks.${i}`, a, false);
  add("encoder.ln_post.weight", [a], "f32");
  add("encoder.ln_post.bias", [a], "f32");

  add("decoder.positional_embedding", [t, h.n_text_ctx], "f32");
  add("decoder.token_embedding.weight", [t, h.n_vocab], "weight");
  for (let i = 0; i < h.n_text_layer; i++) block(`decoder.blocks.${i}`, t, true);
  add("decoder.ln.weight", [t], "f32");
  add("decoder.ln.bias", [t], "f32");
  return out;
}

/** Bytes one tensor record takes in the file (header + name + data), or undefined. */
export function tensorRecordBytes(spec: TensorSpec, ftype: number): number | undefined {
  const type = tensorType(spec.kind, ftype);
  if (type === undefined) return undefined;
  const n = spec.ne.reduce((x, y) => x * y, 1);
  const data = tensorBytes(type, n);
  if (data === undefined) return undefined;
  return 12 + 4 * spec.ne.length + Buffer.byteLength(spec.name) + data;
}

const TYPE_BY_LAYERS: Record<number, string> = { 4: "tiny", 6: "base", 12: "small", 24: "medium", 32: "large" };
const TYPE_BY_WIDTH: Record<number, string> = { 384: "tiny", 512: "base", 768: "small", 1024: "medium", 1280: "large" };

/** whisper.cpp's model type names, by encoder depth, else by width (distilled models). */
export function modelTypeName(h: Pick<WhisperHparams, "n_audio_layer" | "n_audio_state">): string {
  return TYPE_BY_LAYERS[h.n_audio_layer] ?? TYPE_BY_WIDTH[h.n_audio_state] ?? "unknown";
}

/** English-only models have 51864 tokens; multilingual ones 51865 (51866 for large-v3). */
export function isMultilingual(nVocab: number): boolean {
  return nVocab >= 51865;
}
