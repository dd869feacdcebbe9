import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaChat } from "../../src/llm/llama.js";
import { TIER2_SKIP_REASON, tempDir, testModel } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

const tmp = tempDir("roleplay-llm-");
const tiny = join(tmp.dir, "tiny.gguf");
let chat: LlamaChat;

beforeAll(async () => {
  writeTinyGguf(tiny, { contextLength: 256 });
  chat = await LlamaChat.load({
    modelPath: tiny,
    gpu: false,
    threads: 1,
    contextSize: 256,
    maxTokens: 24,
    systemPrompt: "You are a test.",
  });
});

afterAll(async () => {
  await chat?.dispose();
  tmp.cleanup();
});

describe("LlamaChat on a tiny random GGUF (real node-llama-cpp)", () => {
  it("streams text chunks and reports timings", async () => {
    const chunks: string[] = [];
    const res = await chat.reply("hello", { onTextChunk: (c) => chunks.push(c) });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe(res.text);
    expect(res.interrupted).toBe(false);
    expect(res.timings.tokens).toBeGreaterThan(0);
    expect(res.timings.firstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it("keeps the partial reply when interrupted, in the history too", async () => {
    const ac = new AbortController();
    let n = 0;
    const res = await chat.reply("again", {
      signal: ac.signal,
      maxTokens: 200,
      onTextChunk: () => {
        if (++n === 4) ac.abort();
      },
    });
    expect(res.interrupted).toBe(true);
    expect(res.text.length).toBeGreaterThan(0);
    const last = chat.history().at(-1);
    expect(last).toEqual({ role: "assistant", text: res.text });
  });

  it("rewrites the last reply and restores a history", async () => {
    chat.rewriteLastReply("only this was heard");
    expect(chat.history().at(-1)).toEqual({ role: "assistant", text: "only this was heard" });
    await chat.reset({
      history: [
        { role: "user", text: "earlier" },
        { role: "assistant", text: "before" },
      ],
    });
    expect(chat.history().map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(chat.history()[0]?.text).toBe("You are a test.");
  });

  it("goes on when the context window fills (many turns in 256 tokens)", async () => {
    await chat.reset();
    for (let i = 0; i < 25; i++) {
      const res = await chat.reply(`turn ${i} with some extra words to fill the window quickly`, { maxTokens: 30 });
      expect(res.text.length).toBeGreaterThan(0);
    }
    expect(chat.history()[0]?.role).toBe("system");
  });
});

const stories = testModel("stories260K.gguf");
describe.skipIf(!stories)(`tier 2: stories260K.gguf (${TIER2_SKIP_REASON})`, () => {
  it("continues 'Once upon a time' with English words", async () => {
    const story = await LlamaChat.load({
      modelPath: stories!,
      gpu: false,
      threads: 1,
      contextSize: 512,
      maxTokens: 60,
      seed: 1,
      temperature: 0,
    });
    try {
      const res = await story.reply("Once upon a time");
      const words = res.text.toLowerCase().match(/[a-z]+/g) ?? [];
      const common = ["the", "a", "and", "was", "she", "he", "to", "little", "day", "big", "they", "her", "his", "it"];
      expect(words.filter((w) => common.includes(w)).length).toBeGreaterThanOrEqual(3);
    } finally {
      await story.dispose();
    }
  });
});
