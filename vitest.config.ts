import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
    // Native engines (llama.cpp, whisper, onnxruntime) each want the cores; run files one or two at a time.
    maxWorkers: 2,
    env: { ALSA_CONFIG_PATH: new URL("./test/fixtures/asound-null.conf", import.meta.url).pathname },
  },
});
