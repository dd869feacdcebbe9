import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commandsSlash,
  formatCommandList,
  formatCommandSummary,
  testUtterance,
} from "../../src/cli/commands/commands.js";
import { cliEnv, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/env.js";

const tmp = tempDir("roleplay-commands-");
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  env = cliEnv(join(tmp.dir, "home"));
});
afterAll(() => tmp.cleanup());

type CommandsConfig = Parameters<typeof testUtterance>[1];
const config = (commands: Partial<CommandsConfig["commands"]> = {}): CommandsConfig => ({
  commands: { enabled: true, wakePhrase: null, phrases: {}, ...commands },
});

describe("roleplay commands (built CLI)", () => {
  it('commands test "send it" --json → {"command":"send"}; "send me a poem" → null', async () => {
    const yes = await runCli(["commands", "test", "send it", "--json"], { env });
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout)).toEqual({ command: "send" });
    const no = await runCli(["commands", "test", "send me a poem", "--json"], { env });
    expect(JSON.parse(no.stdout)).toEqual({ command: null });
  });

  it("lists every command with its phrases", async () => {
    const r = await runCli(["commands"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/send\s+Send the draft/);
    expect(r.stdout).toContain("“send it”");
    expect(r.stdout).toContain("“be quiet”");
    expect(r.stdout).toMatch(/interrupt\s+Press Ctrl\+C in the child/);
    const json = await runCli(["commands", "--json"], { env });
    const body = JSON.parse(json.stdout) as { commands: Array<{ name: string; phrases: string[] }> };
    expect(body.commands.find((c) => c.name === "stop")?.phrases).toContain("quiet");
  });

  it("uses the config: custom phrases and the wake phrase", async () => {
    const custom = cliEnv(join(tmp.dir, "home2"), {
      ROLEPLAY_COMMANDS_PHRASES: JSON.stringify({ send: ["envoyer"] }),
      ROLEPLAY_COMMANDS_WAKE_PHRASE: "hey roleplay",
    });
    const run = async (words: string) =>
      JSON.parse((await runCli(["commands", "test", words, "--json"], { env: custom })).stdout) as unknown;
    expect(await run("Hey roleplay, envoyer!")).toEqual({ command: "send" });
    expect(await run("send")).toEqual({ command: null });
    const list = await runCli(["commands"], { env: custom });
    expect(list.stdout).toContain("“envoyer”");
    expect(list.stdout).toContain("Wake phrase: “hey roleplay”");
  });
});

describe("testUtterance", () => {
  it("explains what an utterance would do", () => {
    expect(testUtterance("Send!", config())).toMatchObject({ command: "send" });
    expect(testUtterance("Stop, stop!", config()).explanation).toContain("×2");
    const poem = testUtterance("send me a poem", config());
    expect(poem.command).toBeNull();
    expect(poem.explanation).toContain("sent to the character");
  });

  it("child commands count only as in `roleplay wrap` (--child)", () => {
    const plain = testUtterance("Yes.", config());
    expect(plain.command).toBeNull();
    expect(plain.explanation).toContain("--child");
    expect(testUtterance("Yes.", config(), { child: true }).command).toBe("yes");
    expect(testUtterance("interrupt", config(), { child: true }).command).toBe("interrupt");
  });

  it("honours the wake phrase and commands.enabled", () => {
    const wake = config({ wakePhrase: "hey roleplay" });
    expect(testUtterance("send", wake).explanation).toContain("wake phrase");
    expect(testUtterance("hey role play, send it", wake).command).toBe("send");
    expect(testUtterance("send", config({ enabled: false }))).toMatchObject({ command: null });
  });

  it("lists unknown names in commands.phrases and removals with !", () => {
    const c = config({ phrases: { sned: ["x"], send: ["!submit", "fire"] } });
    const text = formatCommandList(c);
    expect(text).toContain("Ignored in commands.phrases (not a command): sned");
    expect(text).toContain("“fire”");
    expect(testUtterance("submit", c).command).toBeNull();
  });
});

describe("/commands", () => {
  const fakeApp = () => {
    const shown: Array<{ title: string; body: string }> = [];
    return { shown, app: { showPanel: (title: string, body: string) => shown.push({ title, body }) } };
  };

  it("shows one line per command; with words, tests them", async () => {
    const slash = commandsSlash(config(), { child: true }).commands!;
    const { shown, app } = fakeApp();
    // The handler only uses showPanel.
    await slash.run("", app as never, { app: app as never });
    await slash.run("press enter", app as never, { app: app as never });
    expect(shown[0]?.body.split("\n").some((l) => /^send\s+“send”/.test(l))).toBe(true);
    expect(shown[0]?.body).toMatch(/^interrupt\s/m);
    expect(shown[1]?.body).toContain("→ send");
  });

  it("the summary fits the width it is given", () => {
    for (const line of formatCommandSummary(config(), { width: 60, child: true }).split("\n").slice(1)) {
      expect(line.length).toBeLessThanOrEqual(60);
    }
  });
});
