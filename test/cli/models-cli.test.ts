/**
 * `roleplay models pull | ls | info | rm` through the built CLI, against a local stand-in for the
 * hub (ROLEPLAY_HF_ENDPOINT); model names and references in the config resolve to files; the
 * memory check before loading an LLM.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertLlmFits, resolveModelFile } from "../../src/cli/resolve-models.js";
import { ModelFileError } from "../../src/core/errors.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";
import { writeTinyGguf } from "../helpers/gguf.js";
import { startHubServer, type HubServer } from "../helpers/hub-server.js";
import { fakeWhisper } from "../models/fixtures.js";

const tmp = tempDir("roleplay-models-cli-");
const home = join(tmp.dir, "home");
const modelsDir = join(home, "data", "roleplay", "models");
let hub: HubServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  hub = await startHubServer();
  hub.addFile({ repo: "ggerganov/whisper.cpp", path: "ggml-tiny.bin", data: fakeWhisper(200 * 1024) });
  hub.addFile(
    { repo: "ggerganov/whisper.cpp", path: "ggml-tiny.en.bin", data: fakeWhisper(2 * 1024 * 1024) },
    { slow: { chunkBytes: 16 * 1024, delayMs: 50 } },
  );
  env = cliEnv(home, { ROLEPLAY_HF_ENDPOINT: hub.url });
});
afterAll(async () => {
  await hub.close();
  tmp.cleanup();
});

describe("roleplay models", () => {
  it("pull lands the file; ls shows it and a model placed by hand; info describes a GGUF; rm removes", async () => {
    const pull = await runCli(["models", "pull", "whisper:tiny"], { env });
    expect(pull.stderr).not.toMatch(/error/i);
    expect(pull.code).toBe(0);
    expect(existsSync(join(modelsDir, "ggml-tiny.bin"))).toBe(true);
    expect(pull.stdout).toContain(join(modelsDir, "ggml-tiny.bin"));
    expect(pull.stdout).toMatch(/checksum verified/);
    expect(pull.stderr).toMatch(/ggml-tiny\.bin/); // progress goes to stderr

    writeTinyGguf(join(modelsDir, "by-hand.gguf"));
    const ls = await runCli(["models", "ls"], { env });
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/llm\s+by-hand/);
    expect(ls.stdout).toMatch(/whisper\s+whisper:tiny/);
    const json = JSON.parse((await runCli(["models", "ls", "--json"], { env })).stdout) as {
      kind: string;
      path: string;
    }[];
    expect(json.map((e) => e.kind).sort()).toEqual(["llm", "whisper"]);

    const info = await runCli(["models", "info", "by-hand"], { env });
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/llama/i);
    const infoJson = JSON.parse(
      (await runCli(["models", "info", join(modelsDir, "by-hand.gguf"), "--json"], { env })).stdout,
    ) as Record<string, unknown>;
    expect(infoJson).toMatchObject({ kind: "llm", architecture: "llama" });

    const rm = await runCli(["models", "rm", "whisper:tiny"], { env });
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain(`removed ${join(modelsDir, "ggml-tiny.bin")}`);
    expect(existsSync(join(modelsDir, "ggml-tiny.bin"))).toBe(false);
    expect((await runCli(["models", "ls"], { env })).stdout).not.toMatch(/whisper/);
  });

  it("a reference the hub does not have, a bad reference and an unknown model are one-line errors", async () => {
    const missing = await runCli(["models", "pull", "whisper:base"], { env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^roleplay: .*404/m);
    expect(missing.stderr).toMatch(/hint:/);
    expect(missing.stderr).not.toMatch(/^\s+at /m);
    const bad = await runCli(["models", "pull", "whisper:huge"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a whisper model name/);
    const none = await runCli(["models", "info", "nothing-here"], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/No model "nothing-here"/);
  });

  it("Ctrl+C during a pull exits 130 and leaves no model under a final name", async () => {
    const r = await runCli(["models", "pull", "whisper:tiny.en"], {
      env,
      onSpawn: (child) => {
        let sent = false;
        child.stderr?.on("data", () => {
          if (!sent && hub.requestsFor("ggml-tiny.en.bin").some((q) => q.method === "GET")) {
            sent = true;
            setTimeout(() => child.kill("SIGINT"), 200);
          }
        });
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted/);
    expect(existsSync(join(modelsDir, "ggml-tiny.en.bin"))).toBe(false);
    for (const f of readdirSync(modelsDir)) expect(f).not.toBe("ggml-tiny.en.bin");
  });
});

describe("model values in the config resolve to files", () => {
  it("a name from the models folder, a model found there when none is configured; a ref not downloaded says how to pull it", async () => {
    const h = join(tmp.dir, "home-resolve");
    const e = cliEnv(h, { ROLEPLAY_HF_ENDPOINT: hub.url });
    const dir = join(h, "data", "roleplay", "models");
    mkdirSync(dir, { recursive: true });

    const none = await runCli(["-p", "hi"], { env: e });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no LLM model configured/);
    expect(none.stderr).toMatch(/roleplay --yes/);
    expect(none.stderr).toContain(dir);

    const ref = "hf:tester/Nothing-GGUF/nothing-Q4_K_M.gguf";
    const notPulled = await runCli(["-p", "hi", "-m", ref], { env: e });
    expect(notPulled.code).toBe(2);
    expect(notPulled.stderr).toMatch(/not downloaded yet/);
    expect(notPulled.stderr).toContain(`roleplay models pull ${ref}`);

    writeTinyGguf(join(dir, "placed.gguf"));
    const found = await runCli(["-p", "hi", "--max-tokens", "4"], { env: e });
    expect(found.stderr).toBe("");
    expect(found.code).toBe(0);
    const byName = await runCli(["-p", "hi", "--max-tokens", "4", "-m", "placed"], { env: e });
    expect(byName.code).toBe(0);
  });

  it("resolveModelFile: names, refs and missing paths", async () => {
    const dir = join(tmp.dir, "resolve-unit");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "ggml-base.en.bin"), fakeWhisper(1000));
    expect(await resolveModelFile("whisper:base.en", "whisper", dir)).toBe(join(dir, "ggml-base.en.bin"));
    expect(await resolveModelFile("base.en", "whisper", dir)).toBe(join(dir, "ggml-base.en.bin"));
    // A path that is not there, whose file name is in the models folder.
    expect(await resolveModelFile("/elsewhere/ggml-base.en.bin", "whisper", dir)).toBe(join(dir, "ggml-base.en.bin"));
    // A missing path is left to the file checks, which name it.
    expect(await resolveModelFile("/elsewhere/x.bin", "whisper", dir)).toBe("/elsewhere/x.bin");
    await expect(resolveModelFile("small.en", "whisper", dir)).rejects.toMatchObject({
      code: "MODEL_NOT_FOUND",
      hint: expect.stringContaining("roleplay models pull whisper:small.en"),
    });
    await expect(resolveModelFile("piper:en_GB-alba-medium", "piper", dir)).rejects.toMatchObject({
      code: "MODEL_NOT_DOWNLOADED",
      hint: expect.stringContaining("roleplay models pull piper:en_GB-alba-medium"),
    });
  });
});

describe("before loading an LLM: does it fit in memory?", () => {
  it("one clear error with a smaller quantisation, a smaller model and a smaller context as the way out", async () => {
    const file = join(tmp.dir, "Big-Model-Q8_0.gguf");
    writeTinyGguf(file);
    const err = await assertLlmFits(file, { contextSize: 4096, freeMemory: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err).toMatchObject({ code: "MODEL_TOO_LARGE", message: "Big-Model-Q8_0.gguf does not fit in memory." });
    const hint = (err as ModelFileError).hint ?? "";
    expect(hint).toMatch(/Q4_K_M instead of Q8_0/);
    expect(hint).toMatch(/smaller llm\.contextSize/);
    expect(await assertLlmFits(file, { contextSize: 512, freeMemory: 8e9 })).toMatchObject({ fits: true });
  });
});
