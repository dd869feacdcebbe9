import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { listDevices, parseCardList, parsePcmList } from "../../src/audio/devices.js";
import { tempDir } from "../helpers/env.js";

const CARDS = `**** List of CAPTURE Hardware Devices ****
card 0: PCH [HDA Intel PCH], device 0: ALC3246 Analog [ALC3246 Analog]
  Subdevices: 1/1
  Subdevice #0: subdevice #0
card 2: Webcam [USB Webcam C270], device 0: USB Audio [USB Audio]
  Subdevices: 1/1
`;
const PCMS = `null
    Discard all samples (playback) or generate zero samples (capture)
default
    Default ALSA Output (currently PulseAudio Sound Server)
sysdefault:CARD=PCH
    HDA Intel PCH, ALC3246 Analog
    Default Audio Device
`;

const tmp = tempDir("roleplay-devices-");
afterAll(() => tmp.cleanup());
let savedPath: string | undefined;
beforeEach(() => {
  savedPath = process.env.PATH;
});
afterEach(() => {
  process.env.PATH = savedPath;
});

function fakeAlsa(name: string, script: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const prog of ["arecord", "aplay"]) {
    writeFileSync(join(dir, prog), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, prog), 0o755);
  }
  return dir;
}

describe("device lists", () => {
  it("parses cards (-l) as plughw ids", () => {
    expect(parseCardList(CARDS, "input")).toEqual([
      { id: "plughw:0,0", name: "HDA Intel PCH - ALC3246 Analog", kind: "input", source: "hw", isDefault: false },
      { id: "plughw:2,0", name: "USB Webcam C270 - USB Audio", kind: "input", source: "hw", isDefault: false },
    ]);
  });

  it("parses PCM names (-L), skipping null and marking default", () => {
    const pcms = parsePcmList(PCMS, "output");
    expect(pcms.map((d) => d.id)).toEqual(["default", "sysdefault:CARD=PCH"]);
    expect(pcms[0]).toMatchObject({ isDefault: true, name: "Default ALSA Output (currently PulseAudio Sound Server)" });
    expect(pcms[1]!.name).toBe("HDA Intel PCH, ALC3246 Analog, Default Audio Device");
  });

  it("explains missing programs", async () => {
    process.env.PATH = join(tmp.dir, "nothing");
    const list = await listDevices();
    expect(list.inputs).toEqual([]);
    expect(list.outputs).toEqual([]);
    expect(list.notes).toEqual([
      "arecord not found: install alsa-utils to list input devices",
      "aplay not found: install alsa-utils to list output devices",
    ]);
  });

  it("explains a machine without a sound card", async () => {
    process.env.PATH = fakeAlsa(
      "nocard",
      `[ "$1" = "-l" ] && echo "\${0##*/}: device_list:274: no soundcards found..." >&2; exit 0`,
    );
    const list = await listDevices();
    expect(list.inputs).toEqual([]);
    expect(list.notes).toEqual(["no sound card found by arecord", "no sound card found by aplay"]);
  });

  it("lists inputs and outputs from both listings, without duplicates", async () => {
    const cards = join(tmp.dir, "cards.txt");
    const pcms = join(tmp.dir, "pcms.txt");
    writeFileSync(cards, CARDS);
    writeFileSync(pcms, PCMS + "plughw:0,0\n    duplicate\n");
    process.env.PATH = fakeAlsa(
      "cards",
      `if [ "$1" = "-l" ]; then while IFS= read -r l; do echo "$l"; done < ${cards}; else while IFS= read -r l; do echo "$l"; done < ${pcms}; fi`,
    );
    const list = await listDevices();
    expect(list.inputs.map((d) => d.id)).toEqual(["default", "sysdefault:CARD=PCH", "plughw:0,0", "plughw:2,0"]);
    expect(list.outputs.every((d) => d.kind === "output")).toBe(true);
    expect(list.notes).toEqual([]);
  });

  it("reports a failing program without throwing", async () => {
    process.env.PATH = fakeAlsa("broken", `echo "arecord: something broke" >&2; exit 3`);
    const list = await listDevices();
    expect(list.inputs).toEqual([]);
    expect(list.notes[0]).toMatch(/arecord failed: arecord: something broke/);
  });

  it("works on this machine (tier 1: no sound card needed)", async () => {
    process.env.PATH = savedPath;
    const list = await listDevices();
    expect(Array.isArray(list.inputs) && Array.isArray(list.outputs) && Array.isArray(list.notes)).toBe(true);
  });
});
