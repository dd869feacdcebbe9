import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCharacter } from "../../src/characters/registry.js";
import { characterTurnContext } from "../../src/cli/turn-context.js";
import { LlamaChat } from "../../src/llm/llama.js";
import { VoiceSession } from "../../src/pipeline/session.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

const tmp = tempDir("roleplay-lore-");
let chat: LlamaChat;

beforeAll(async () => {
  const model = join(tmp.dir, "tiny.gguf");
  writeTinyGguf(model, { contextLength: 4096 });
  chat = await LlamaChat.load({
    modelPath: model,
    gpu: false,
    threads: 1,
    contextSize: 4096,
    maxTokens: 8,
    systemPrompt: "You are Meridian.",
  });
});
afterAll(async () => {
  await chat?.dispose();
  tmp.cleanup();
});

describe("lorebook and post-history instructions reach the model", () => {
  it("an entry whose key is said is in the prompt for that turn only", async () => {
    const meridian = await findCharacter("meridian");
    const turnContext = characterTurnContext(meridian, "Sam");
    expect(turnContext).toBeDefined();
    const session = new VoiceSession({ engine: chat, characterName: "Meridian", turnContext: turnContext! });
    await session.send("What is in the cargo bay?");
    const first = chat.contextText();
    expect(first).toContain("Bay two holds medical supplies");
    expect(first.indexOf("Bay two holds")).toBeLessThan(first.lastIndexOf("What is in the cargo bay?"));
    // Said four messages later, the key is out of the scan depth: the entry leaves the prompt.
    for (const text of ["Status?", "Thanks.", "Good night."]) await session.send(text);
    const later = chat.contextText();
    expect(later).not.toContain("Bay two holds medical supplies");
    expect(later.split("What is in the cargo bay?").length).toBe(2);
  });
});
