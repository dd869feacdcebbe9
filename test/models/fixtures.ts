/** Fixture model files for the models tests: just enough structure for the magic-byte checks. */
import { seededRandom } from "../helpers/gguf.js";

function noise(n: number, seed: number): Buffer {
  const rand = seededRandom(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

/** A whisper.cpp ggml header (tiny.en dimensions unless told) followed by `bodyBytes` of noise. */
export function fakeWhisper(bodyBytes = 64 * 1024, opts: { nVocab?: number; layers?: number; ftype?: number; seed?: number } = {}): Buffer {
  const head = Buffer.alloc(48);
  head.writeUInt32LE(0x67676d6c, 0);
  const layers = opts.layers ?? 4;
  const hp = [opts.nVocab ?? 51864, 1500, 384, 6, layers, 448, 384, 6, layers, 80, opts.ftype ?? 1];
  hp.forEach((v, i) => head.writeInt32LE(v, 4 + i * 4));
  return Buffer.concat([head, noise(bodyBytes, opts.seed ?? 7)]);
}

/** Bytes that start like an ONNX ModelProto (field 1 varint), then noise. */
export function fakeOnnx(bodyBytes = 32 * 1024, seed = 9): Buffer {
  return Buffer.concat([Buffer.from([0x08, 0x07, 0x12, 0x04]), noise(bodyBytes, seed)]);
}

export function piperJson(opts: { code?: string; speakers?: number; sampleRate?: number } = {}): Buffer {
  const speakers = opts.speakers ?? 1;
  const json = {
    audio: { sample_rate: opts.sampleRate ?? 22050, quality: "medium" },
    espeak: { voice: "en-us" },
    language: { code: opts.code ?? "en_US", family: "en", region: "US", name_english: "English" },
    num_speakers: speakers,
    speaker_id_map: speakers > 1 ? Object.fromEntries(Array.from({ length: speakers }, (_, i) => [`spk${i}`, i])) : {},
    phoneme_id_map: { _: [0], "^": [1], $: [2] },
  };
  return Buffer.from(JSON.stringify(json, null, 2));
}

/** "GGUF" then noise: enough for magic checks and downloads (not for readGgufFileInfo). */
export function fakeGgufBytes(bytes: number, seed = 3): Buffer {
  return Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), noise(bytes - 8, seed)]);
}
