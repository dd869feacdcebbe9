import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modelInfoOfFile } from "../../src/models/info.js";
import { formatModelInfo } from "../../src/models/format.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";

const tmp = tempDir("roleplay-info-");
afterAll(() => tmp.cleanup());

describe("models info runs the same full check as loading", () => {
  it("a truncated GGUF shows its metadata and says it is not usable", async () => {
    const cut = join(tmp.dir, "cut.gguf");
    writeTinyGguf(cut, { truncateTo: 300_000 });
    const info = await modelInfoOfFile(cut);
    expect(info.problem).toMatch(/truncated/i);
    expect(formatModelInfo(info)).toMatch(/NOT USABLE\s+.*truncated/i);
  });

  it("an intact GGUF has no problem line", async () => {
    const good = join(tmp.dir, "good.gguf");
    writeTinyGguf(good);
    const info = await modelInfoOfFile(good);
    expect(info.problem).toBeUndefined();
    expect(formatModelInfo(info)).not.toMatch(/NOT USABLE/);
  });
});
