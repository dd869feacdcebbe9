import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type PlaybackEvent,
  createSpeakerSink,
  openPlaybackSink,
  probeOutputDevice,
} from "../../src/audio/playback.js";
import { resolveSpeakerModule } from "../../src/audio/probe.js";
import { tempDir } from "../helpers/env.js";

const hasSpeaker = resolveSpeakerModule() !== undefined;
/** The null ALSA device of test/fixtures (vitest.config.ts sets it for tests). */
const nullAlsa = new URL("../fixtures/asound-null.conf", import.meta.url).pathname;

describe("output device probe", () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it("returns ok:false (and this process lives on) when ALSA has no default device", async () => {
    const conf = join(dir, "asound-empty.conf");
    writeFileSync(conf, "# no devices at all\n");
    const r = await probeOutputDevice({ env: { ...process.env, ALSA_CONFIG_PATH: conf } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/audio output|speaker module/);
  });

  it("returns ok:false for a device that does not exist", async () => {
    const r = await probeOutputDevice({ device: "hw:97,0", env: { ...process.env, ALSA_CONFIG_PATH: nullAlsa } });
    expect(r.ok).toBe(false);
  });

  it.skipIf(!hasSpeaker)("returns ok:true with the null ALSA device", async () => {
    expect(await probeOutputDevice({ env: { ...process.env, ALSA_CONFIG_PATH: nullAlsa } })).toEqual({ ok: true });
  });
});

describe.skipIf(!hasSpeaker || process.env.ALSA_CONFIG_PATH !== nullAlsa)(
  "speaker sink on the null ALSA device",
  () => {
    it("plays, clears and closes without crashing", async () => {
      const notices: string[] = [];
      const sink = await createSpeakerSink({ onNotice: (m) => notices.push(m), leadMs: 40 });
      expect(sink.kind).toBe("speaker");
      const events: PlaybackEvent[] = [];
      sink.onPlayed = (e) => events.push(e);
      sink.write(new Float32Array(2205).fill(0.1), 22050); // 100 ms
      sink.write(new Float32Array(1600).fill(0.1), 16000); // 100 ms at another rate
      expect(sink.pendingMs).toBeGreaterThan(150);
      await sink.whenIdle();
      expect(events.filter((e) => e.type === "end").map((e) => e.seq)).toEqual([0, 1]);

      sink.write(new Float32Array(22050 * 5).fill(0.1), 22050);
      sink.clear();
      // Only what the device already has (about the lead) still plays.
      expect(sink.pendingMs).toBeLessThan(200);
      await sink.whenIdle();
      await sink.close();
      expect(notices).toEqual([]);
    });

    it("openPlaybackSink picks the speaker when the probe passes", async () => {
      const sink = await openPlaybackSink({ output: "speaker" });
      expect(sink.kind).toBe("speaker");
      await sink.close();
    });
  },
);

describe("openPlaybackSink", () => {
  it("falls back to text only, with one notice, when no device works", async () => {
    const dir = tempDir();
    const saved = process.env.ALSA_CONFIG_PATH;
    try {
      const conf = join(dir.dir, "asound-empty.conf");
      writeFileSync(conf, "\n");
      process.env.ALSA_CONFIG_PATH = conf;
      const notices: string[] = [];
      const sink = await openPlaybackSink({ output: "speaker", onNotice: (m) => notices.push(m) });
      expect(sink.kind).toBe("null");
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/text only/);
      await sink.close();
    } finally {
      process.env.ALSA_CONFIG_PATH = saved;
      dir.cleanup();
    }
  });

  it("gives a null sink for none and a WAV sink for a path", async () => {
    const none = await openPlaybackSink({ output: "none" });
    expect(none.kind).toBe("null");
    await none.close();
    const dir = tempDir();
    try {
      const wav = await openPlaybackSink({ output: join(dir.dir, "out.wav") });
      expect(wav.kind).toBe("wav");
      await wav.close();
    } finally {
      dir.cleanup();
    }
  });
});

describe("speaker sink when the device fails mid-run", () => {
  it("falls back to silence with one notice and keeps time", async () => {
    const { Writable } = await import("node:stream");
    const { SpeakerSink } = await import("../../src/audio/playback-speaker.js");
    let writes = 0;
    const device = Object.assign(
      new Writable({
        write(_chunk, _enc, cb) {
          writes++;
          cb(writes > 5 ? new Error("device unplugged") : null);
        },
      }),
      { close: () => undefined },
    );
    const notices: string[] = [];
    const sink = new SpeakerSink(device, { onNotice: (m) => notices.push(m), leadMs: 40, sliceMs: 10 });
    sink.write(new Float32Array(22050 * 0.3).fill(0.1), 22050);
    await sink.whenIdle();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/device unplugged/);
    expect(sink.kind).toBe("null");
    sink.write(new Float32Array(2205).fill(0.1), 22050);
    expect(sink.pendingMs).toBeGreaterThan(50);
    await sink.whenIdle();
    await sink.close();
  });
});
