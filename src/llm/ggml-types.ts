/**
 * ggml tensor types (id → name, elements per block, bytes per block) and llama.cpp file types
 * (general.file_type → quantisation name), enough to size tensor data without loading ggml.
 * A test compares the sizes with the ggml built into node-llama-cpp.
 */
interface GgmlType {
  name: string;
  blockSize: number;
  typeSize: number;
}

const t = (name: string, blockSize: number, typeSize: number): GgmlType => ({ name, blockSize, typeSize });

/** Removed types (4, 5, 31-33, 36-38) are absent: a file using them cannot be sized or loaded. */
export const GGML_TYPES: ReadonlyMap<number, GgmlType> = new Map([
  [0, t("F32", 1, 4)],
  [1, t("F16", 1, 2)],
  [2, t("Q4_0", 32, 18)],
  [3, t("Q4_1", 32, 20)],
  [6, t("Q5_0", 32, 22)],
  [7, t("Q5_1", 32, 24)],
  [8, t("Q8_0", 32, 34)],
  [9, t("Q8_1", 32, 36)],
  [10, t("Q2_K", 256, 84)],
  [11, t("Q3_K", 256, 110)],
  [12, t("Q4_K", 256, 144)],
  [13, t("Q5_K", 256, 176)],
  [14, t("Q6_K", 256, 210)],
  [15, t("Q8_K", 256, 292)],
  [16, t("IQ2_XXS", 256, 66)],
  [17, t("IQ2_XS", 256, 74)],
  [18, t("IQ3_XXS", 256, 98)],
  [19, t("IQ1_S", 256, 50)],
  [20, t("IQ4_NL", 32, 18)],
  [21, t("IQ3_S", 256, 110)],
  [22, t("IQ2_S", 256, 82)],
  [23, t("IQ4_XS", 256, 136)],
  [24, t("I8", 1, 1)],
  [25, t("I16", 1, 2)],
  [26, t("I32", 1, 4)],
  [27, t("I64", 1, 8)],
  [28, t("F64", 1, 8)],
  [29, t("IQ1_M", 256, 56)],
  [30, t("BF16", 1, 2)],
  [34, t("TQ1_0", 256, 54)],
  [35, t("TQ2_0", 256, 66)],
  [39, t("MXFP4", 32, 17)],
  [40, t("NVFP4", 64, 36)],
  [41, t("Q1_0", 128, 18)],
  [42, t("Q2_0", 64, 18)],
]);

/** Bytes of a tensor's data, or undefined for a type this table does not know. */
export function tensorBytes(type: number, elements: number, rowLength: number): number | undefined {
  const info = GGML_TYPES.get(type);
  if (!info || rowLength % info.blockSize !== 0) return undefined;
  return (elements / info.blockSize) * info.typeSize;
}

// prettier-ignore
const FILE_TYPES = [
  "F32", "F16", "Q4_0", "Q4_1", "Q4_1_SOME_F16", "Q4_2", "Q4_3", "Q8_0", "Q5_0", "Q5_1", "Q2_K",
  "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "IQ2_XXS", "IQ2_XS",
  "Q2_K_S", "IQ3_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ3_M", "IQ2_S", "IQ2_M", "IQ4_XS",
  "IQ1_M", "BF16", "Q4_0_4_4", "Q4_0_4_8", "Q4_0_8_8", "TQ1_0", "TQ2_0", "MXFP4_MOE", "NVFP4",
  "Q1_0", "Q2_0",
];

/** Quantisation name of general.file_type (e.g. 15 → "Q4_K_M"). */
export function fileTypeName(fileType: number): string | undefined {
  return FILE_TYPES[fileType];
}

/** Name of a ggml tensor type id. */
export function ggmlTypeName(type: number): string {
  return GGML_TYPES.get(type)?.name ?? `type ${type}`;
}
