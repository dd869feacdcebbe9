/** A minimal valid Piper voice config (`.onnx.json`). */
export const minimalConfig = {
  audio: { sample_rate: 16000 },
  espeak: { voice: "en-gb" },
  inference: { noise_scale: 0.5, length_scale: 1.2, noise_w: 0.7 },
  phoneme_type: "espeak",
  phoneme_id_map: { _: [0], "^": [1], $: [2], " ": [3], a: [14] },
  num_speakers: 1,
};
