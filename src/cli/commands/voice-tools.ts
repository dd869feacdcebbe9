import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";
import { prepare, type GlobalFlags } from "../context.js";
import { resolvePersona } from "../persona.js";
import { onTerminate } from "../signals.js";
import { voiceSpec } from "../speech.js";

function clock(ms: number): string {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, "0")}:${(s - m * 60).toFixed(2).padStart(5, "0")}`;
}

/** `roleplay transcribe file.wav`: each utterance the endpointer finds, with its times and text. */
async function transcribe(file: string, opts: { json?: boolean }, flags: GlobalFlags): Promise<void> {
  const { config } = await prepare(flags);
  if (!config.asr.model) {
    throw new UsageError("NO_ASR_MODEL", "no whisper model configured", {
      hint: "Pass --asr-model path/to/ggml-model.bin or set asr.model (see `roleplay models pull whisper:base.en`).",
    });
  }
  const [{ createWavSource }, { SileroVad }, { listen }, { WhisperTranscriber }, { cleanTranscript }] =
    await Promise.all([
      import("../../audio/wav-source.js"),
      import("../../vad/silero.js"),
      import("../../vad/listen.js"),
      import("../../asr/whisper.js"),
      import("../../asr/filter.js"),
    ]);
  const source = await createWavSource(file, { realtime: false });
  const vad = await SileroVad.load(config.vad.model ? { modelPath: config.vad.model } : {});
  const whisper = await WhisperTranscriber.load(config.asr.model, {
    language: config.asr.language,
    ...(config.asr.initialPrompt ? { initialPrompt: config.asr.initialPrompt } : {}),
    sizeAudioContext: config.asr.sizeAudioContext,
  });
  const abort = new AbortController();
  const release = onTerminate(async () => abort.abort());
  let count = 0;
  try {
    const events = listen(
      source,
      vad,
      {
        threshold: config.vad.threshold,
        minSpeechMs: config.vad.minSpeechMs,
        preRollMs: config.vad.preRollMs,
        silenceMs: config.vad.silenceMs,
        maxUtteranceMs: config.vad.maxUtteranceMs,
      },
      abort.signal,
    );
    for await (const e of events) {
      if (e.type !== "speech-end") continue;
      const res = await whisper.transcribe(e.audio, { signal: abort.signal });
      const text = cleanTranscript(res.text, { speechMs: e.endMs - e.speechStartMs });
      if (!text) continue;
      count++;
      const line = opts.json
        ? JSON.stringify({ startMs: Math.round(e.speechStartMs), endMs: Math.round(e.endMs), text })
        : `[${clock(e.speechStartMs)} → ${clock(e.endMs)}] ${text}`;
      process.stdout.write(line + "\n");
    }
    if (count === 0 && !opts.json) process.stderr.write("roleplay: no speech found\n");
  } finally {
    release();
    await whisper.dispose();
    await vad.dispose();
    await source.dispose();
  }
}

/** `roleplay say "text"`: speak with the configured voice, to the speaker or a WAV file. */
async function say(words: string[], flags: GlobalFlags): Promise<void> {
  const text = words.join(" ").trim();
  if (!text) throw new UsageError("EMPTY_TEXT", "nothing to say", { hint: 'roleplay say "Hello there"' });
  const loaded = await prepare(flags);
  const config = loaded.config;
  const persona = await resolvePersona(config).catch(() => undefined);
  const spec = voiceSpec(config, persona, loaded.sources);
  if (spec.engine === "none")
    throw new UsageError("NO_VOICE", "speech is off (tts.engine is none)", {
      hint: "Use --voice espeak or a Piper voice.",
    });
  const [{ createTtsEngine }, { openPlaybackSink }, { ClauseChunker }] = await Promise.all([
    import("../../tts/engine.js"),
    import("../../audio/playback.js"),
    import("../../tts/chunker.js"),
  ]);
  const engine = await createTtsEngine(spec);
  const output = config.audio.output === "none" ? "speaker" : config.audio.output;
  const sink = await openPlaybackSink({
    output,
    ...(config.audio.outputDevice ? { device: config.audio.outputDevice } : {}),
    sampleRate: engine.sampleRate,
    onNotice: (m) => process.stderr.write(`roleplay: ${m}\n`),
  });
  if (sink.kind === "null") {
    await sink.close();
    await engine.dispose();
    throw new UsageError("NO_AUDIO_OUTPUT", "no audio output device to speak on", {
      hint: "Write the speech to a file with --audio-out said.wav, or check `roleplay devices`.",
    });
  }
  const abort = new AbortController();
  const release = onTerminate(async () => {
    abort.abort();
    sink.clear();
    await sink.close();
  });
  try {
    const chunker = new ClauseChunker({ actions: config.tts.actions });
    for (const chunk of [...chunker.push(text), ...chunker.flush()]) {
      sink.write(await engine.synthesize(chunk, { signal: abort.signal }), engine.sampleRate);
    }
    // A speaker plays in real time; a file is written at once when the sink closes.
    if (sink.kind === "speaker") await sink.whenIdle(abort.signal);
  } finally {
    release();
    await sink.close();
    await engine.dispose();
  }
}

export function registerVoiceTools(program: Command): void {
  program
    .command("transcribe <file>")
    .description("print each utterance in a WAV file with its start/end time and text")
    .addHelpText("after", "\nUses the global options too: --asr-model path/to/ggml-model.bin, --language CODE.")
    .option("--json", "one JSON object per line: startMs, endMs, text")
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) =>
      transcribe(file, opts, cmd.optsWithGlobals<GlobalFlags>()),
    );
  program
    .command("say <text...>")
    .description("speak text with the configured voice (--audio-out file.wav to record it)")
    .addHelpText(
      "after",
      "\nUses the global options too: --voice espeak[:name]|path/to/voice.onnx, --audio-out file.wav, -c CHARACTER.",
    )
    .action(async (words: string[], _opts: unknown, cmd: Command) => say(words, cmd.optsWithGlobals<GlobalFlags>()));
}
