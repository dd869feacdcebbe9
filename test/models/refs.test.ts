/** Model references, the hub endpoint, the registry and progress formatting. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { sha256FromEtag } from "../../src/models/http.js";
import { createProgressRenderer, createRateMeter, formatBytes, formatDuration, formatProgressLine } from "../../src/models/progress.js";
import { parseModelRef, resolveHubEndpoint } from "../../src/models/refs.js";
import { REGISTRY, recommendedSet } from "../../src/models/registry.js";
import { tempDir } from "../helpers/env.js";

const HUB = "https://huggingface.co";

describe("parseModelRef", () => {
  it("parses whisper short names into ggerganov/whisper.cpp files", () => {
    const r = parseModelRef("whisper:base.en");
    expect(r).toMatchObject({ kind: "whisper", ref: "whisper:base.en", name: "base.en" });
    expect(r.files).toEqual([
      {
        url: `${HUB}/ggerganov/whisper.cpp/resolve/main/ggml-base.en.bin`,
        fileName: "ggml-base.en.bin",
        hub: { repo: "ggerganov/whisper.cpp", path: "ggml-base.en.bin" },
      },
    ]);
    expect(parseModelRef("whisper:small-q5_1").files[0]?.fileName).toBe("ggml-small-q5_1.bin");
    expect(parseModelRef("whisper:large-v3-turbo").files[0]?.fileName).toBe("ggml-large-v3-turbo.bin");
    expect(() => parseModelRef("whisper:huge")).toThrow(UsageError);
  });

  it("parses Piper voices into the rhasspy/piper-voices layout, both files", () => {
    const r = parseModelRef("piper:en_US-lessac-medium", { endpoint: "http://mirror.local/" });
    expect(r.kind).toBe("piper");
    expect(r.files.map((f) => f.url)).toEqual([
      "http://mirror.local/rhasspy/piper-voices/resolve/main/en/en_US/lessac/medium/en_US-lessac-medium.onnx",
      "http://mirror.local/rhasspy/piper-voices/resolve/main/en/en_US/lessac/medium/en_US-lessac-medium.onnx.json",
    ]);
    expect(parseModelRef("piper:en_GB-northern_english_male-medium").files[0]?.hub?.path).toBe(
      "en/en_GB/northern_english_male/medium/en_GB-northern_english_male-medium.onnx",
    );
    expect(() => parseModelRef("piper:lessac")).toThrow(/not a Piper voice name/);
  });

  it("parses hub LLM references for node-llama-cpp", () => {
    const file = parseModelRef("hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf");
    expect(file).toMatchObject({ kind: "llm", name: "Llama-3.2-1B-Instruct-Q4_K_M.gguf" });
    expect(file.llmUri).toBe("hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf");
    expect(file.files[0]?.url).toBe(`${HUB}/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf`);
    const quant = parseModelRef("hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF:Q4_K_M");
    expect(quant).toMatchObject({ kind: "llm", llmUri: "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF:Q4_K_M", files: [] });
    expect(() => parseModelRef("hf:justone")).toThrow(UsageError);
  });

  it("parses https URLs by their extension", () => {
    expect(parseModelRef("https://example.com/m/model.gguf")).toMatchObject({ kind: "llm", name: "model.gguf" });
    expect(parseModelRef("https://example.com/ggml-x.bin").kind).toBe("whisper");
    const voice = parseModelRef("https://example.com/v/voice.onnx");
    expect(voice.files.map((f) => f.fileName)).toEqual(["voice.onnx", "voice.onnx.json"]);
    expect(() => parseModelRef("https://example.com/readme.txt")).toThrow(/Cannot tell/);
    expect(() => parseModelRef("llama")).toThrow(/not a model reference/);
  });
});

describe("resolveHubEndpoint", () => {
  it("takes the flag, then the loaded config (which holds the environment), then the hub", () => {
    expect(resolveHubEndpoint({ env: {} })).toBe(HUB);
    expect(resolveHubEndpoint({ env: {}, config: "https://mirror.example/" })).toBe("https://mirror.example");
    // The loaded config already took ROLEPLAY_MODELS_HF_ENDPOINT over the ROLEPLAY_HF_ENDPOINT alias.
    expect(resolveHubEndpoint({ env: { ROLEPLAY_HF_ENDPOINT: "http://127.0.0.1:9" }, config: "https://m.example" })).toBe("https://m.example");
    expect(resolveHubEndpoint({ env: { ROLEPLAY_HF_ENDPOINT: "http://127.0.0.1:9" }, config: undefined })).toBe(HUB);
    expect(resolveHubEndpoint({ env: { ROLEPLAY_HF_ENDPOINT: "http://a" }, explicit: "http://b", config: "http://c" })).toBe("http://b");
    expect(() => resolveHubEndpoint({ env: { ROLEPLAY_HF_ENDPOINT: "ftp://x" } })).toThrow(UsageError);
  });

  it("without a loaded config, reads the environment in the config's order", () => {
    expect(resolveHubEndpoint({ env: { ROLEPLAY_HF_ENDPOINT: "http://a/" } })).toBe("http://a");
    expect(resolveHubEndpoint({ env: { ROLEPLAY_MODELS_HF_ENDPOINT: "http://m", ROLEPLAY_HF_ENDPOINT: "http://a" } })).toBe(
      "http://m",
    );
  });

  it("agrees with the config loader when both variables are set", async () => {
    const { loadConfig } = await import("../../src/config/load.js");
    const dir = tempDir();
    try {
      const env = {
        HOME: dir.dir,
        XDG_CONFIG_HOME: join(dir.dir, "config"),
        XDG_DATA_HOME: join(dir.dir, "data"),
        ROLEPLAY_MODELS_HF_ENDPOINT: "https://canonical.example/",
        ROLEPLAY_HF_ENDPOINT: "https://alias.example/",
      };
      const { config } = await loadConfig({ cwd: dir.dir, env });
      expect(resolveHubEndpoint({ env, config: config.models.hfEndpoint })).toBe("https://canonical.example");
      const { modelsContext } = await import("../../src/cli/resolve-models.js");
      expect(modelsContext(config).endpoint).toBe("https://canonical.example");
    } finally {
      dir.cleanup();
    }
  });
});

describe("sha256FromEtag", () => {
  it("accepts quoted and weak sha256 ETags only", () => {
    const sha = "a".repeat(64);
    expect(sha256FromEtag(`"${sha}"`)).toBe(sha);
    expect(sha256FromEtag(`W/"${sha.toUpperCase()}"`)).toBe(sha);
    expect(sha256FromEtag(`"${"b".repeat(40)}"`)).toBeUndefined();
    expect(sha256FromEtag(null)).toBeUndefined();
  });
});

describe("registry", () => {
  it("recommends one model of each kind, all parseable, with sizes and memory", () => {
    const set = recommendedSet();
    expect([set.llm.kind, set.whisper.kind, set.piper.kind]).toEqual(["llm", "whisper", "piper"]);
    expect(set.whisper.ref).toBe("whisper:base.en");
    expect(set.piper.ref).toBe("piper:en_US-lessac-medium");
    for (const e of REGISTRY) {
      expect(parseModelRef(e.ref).kind).toBe(e.kind);
      expect(e.sizeBytes).toBeGreaterThan(0);
      expect(e.memoryBytes).toBeGreaterThan(0);
      expect(e.languages.length).toBeGreaterThan(0);
    }
    const de = recommendedSet({ language: "de" });
    expect(de.whisper.languages).toEqual(["multilingual"]);
    expect(de.piper.ref).toBe("piper:de_DE-thorsten-medium");
  });
});

describe("progress", () => {
  it("formats bytes, durations and a progress line", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(45_200_000)).toBe("45.2 MB");
    expect(formatBytes(1_500_000_000)).toBe("1.5 GB");
    expect(formatDuration(19)).toBe("0:19");
    expect(formatDuration(3725)).toBe("1:02:05");
    const line = formatProgressLine({
      ref: "whisper:base.en",
      file: "ggml-base.en.bin",
      fileIndex: 1,
      fileCount: 1,
      downloadedBytes: 45_200_000,
      totalBytes: 148_000_000,
      bytesPerSecond: 5_300_000,
      etaSeconds: 19,
      phase: "download",
    });
    expect(line).toBe("ggml-base.en.bin  45.2 MB / 148 MB  30%  5.3 MB/s  ETA 0:19");
  });

  it("measures speed over a sliding window", () => {
    let now = 0;
    const meter = createRateMeter(5000, () => now);
    expect(meter.sample(0)).toBe(0);
    now = 1000;
    expect(meter.sample(1_000_000)).toBe(1_000_000);
    now = 2000;
    expect(meter.sample(3_000_000)).toBe(1_500_000);
  });

  it("redraws one line on a TTY and prints 10% steps otherwise", () => {
    const out: string[] = [];
    const stream = { isTTY: false, write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WritableStream;
    const r = createProgressRenderer(stream);
    const base = { ref: "r", file: "f", fileIndex: 1, fileCount: 1, bytesPerSecond: 0, etaSeconds: undefined, totalBytes: 100 };
    for (let i = 0; i <= 100; i += 5) r.update({ ...base, downloadedBytes: i, phase: "download" });
    r.update({ ...base, downloadedBytes: 100, phase: "done" });
    r.finish();
    expect(out.length).toBe(12);
    expect(out.every((l) => l.endsWith("\n"))).toBe(true);

    const tty: string[] = [];
    let t = 0;
    const ttyStream = { isTTY: true, columns: 60, write: (s: string) => tty.push(s) > 0 } as unknown as NodeJS.WritableStream;
    const r2 = createProgressRenderer(ttyStream, () => (t += 200));
    r2.update({ ...base, downloadedBytes: 50, phase: "download" });
    r2.finish();
    expect(tty[0]?.startsWith("\r")).toBe(true);
    expect(tty.at(-1)).toBe("\n");
  });
});
