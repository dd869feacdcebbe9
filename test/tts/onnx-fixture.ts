/**
 * A tiny ONNX model with the signature of a Piper voice, written by hand as protobuf so tier-1 tests
 * can run the Piper engine without downloading a voice: inputs `input` (int64 [1, n]),
 * `input_lengths`, `scales` (and `sid` when asked), output float32 [1, 1, n * 256] filled with 0.5.
 */

type Bytes = number[];

function varint(n: number): Bytes {
  const out: Bytes = [];
  let v = n;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

const key = (field: number, wire: number): Bytes => varint(field * 8 + wire);
const int = (field: number, v: number): Bytes => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: Bytes | Uint8Array): Bytes => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, "utf8")]);

const FLOAT = 1;
const INT64 = 7;

function tensor(name: string, type: number, dims: number[], values: number[]): Bytes {
  const raw = Buffer.alloc(values.length * (type === INT64 ? 8 : 4));
  values.forEach((v, i) => (type === INT64 ? raw.writeBigInt64LE(BigInt(v), i * 8) : raw.writeFloatLE(v, i * 4)));
  return [...dims.flatMap((d) => int(1, d)), ...int(2, type), ...str(8, name), ...bytes(9, raw)];
}

function node(op: string, inputs: string[], outputs: string[], attrs: Bytes[] = []): Bytes {
  return [
    ...inputs.flatMap((i) => str(1, i)),
    ...outputs.flatMap((o) => str(2, o)),
    ...str(3, `${op}_${outputs[0]}`),
    ...str(4, op),
    ...attrs.flatMap((a) => bytes(5, a)),
  ];
}

/** A tensor-typed graph input/output with symbolic ("n") or fixed dims. */
function valueInfo(name: string, type: number, dims: Array<number | string>): Bytes {
  const shape = dims.flatMap((d) => bytes(1, typeof d === "number" ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, type), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** The model's bytes. With `sid`, it also takes a speaker id (as multi-speaker voices do). */
export function piperLikeModel(opts: { sid?: boolean } = {}): Buffer {
  const nodes = [
    node("Shape", ["input"], ["shape"]),
    node("Gather", ["shape", "one"], ["n"], [[...str(1, "axis"), ...int(3, 0), ...int(20, 2)]]),
    node("Mul", ["n", "hop"], ["total"]),
    node("Unsqueeze", ["total", "axes0"], ["total1"]),
    node("Concat", ["lead", "total1"], ["out_shape"], [[...str(1, "axis"), ...int(3, 0), ...int(20, 2)]]),
    node(
      "ConstantOfShape",
      ["out_shape"],
      ["output"],
      [[...str(1, "value"), ...bytes(5, tensor("v", FLOAT, [1], [0.5])), ...int(20, 4)]],
    ),
  ];
  const inits = [
    tensor("one", INT64, [], [1]),
    tensor("hop", INT64, [], [256]),
    tensor("axes0", INT64, [1], [0]),
    tensor("lead", INT64, [2], [1, 1]),
  ];
  const inputs = [
    valueInfo("input", INT64, [1, "phonemes"]),
    valueInfo("input_lengths", INT64, [1]),
    valueInfo("scales", FLOAT, [3]),
    ...(opts.sid ? [valueInfo("sid", INT64, [1])] : []),
  ];
  const graph = [
    ...nodes.flatMap((n) => bytes(1, n)),
    ...str(2, "piper_like"),
    ...inits.flatMap((t) => bytes(5, t)),
    ...inputs.flatMap((i) => bytes(11, i)),
    ...bytes(12, valueInfo("output", FLOAT, [1, 1, "time"])),
  ];
  const opset = [...str(1, ""), ...int(2, 13)];
  return Buffer.from([...int(1, 8), ...str(2, "roleplay-test"), ...bytes(7, graph), ...bytes(8, opset)]);
}

/** IPA symbols an English voice needs, for a phoneme_id_map in Piper's shape. */
export function ipaIdMap(): Record<string, number[]> {
  const symbols = Array.from("_^$ !'(),-.:;?abcdefhijklmnopqrstuvwxyzæçðøŋœɐɑɒɔəɚɛɜɡɪɫɬɹɾʃʊʌʒʔˈˌːθ\u0303\u0327");
  return Object.fromEntries(symbols.map((s, i) => [s, [i]]));
}
