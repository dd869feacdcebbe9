import { z } from "zod";

/**
 * The configuration schema. Every setting has a default (or is optional), so `configSchema.parse({})`
 * yields the complete default config; config/default.yaml documents the same values (a test keeps
 * the two in sync). Objects are strict: an unknown key is an error with a "did you mean".
 * A `.describe()` text is what an error message says was expected.
 */

const auto = z.literal("auto");
const ms = (def: number) => z.number().int().min(0).default(def);
const positiveInt = () => z.number().int().min(1);
/** A path or a model reference (hf:..., whisper:..., piper:..., https://...). */
const pathOrRef = () => z.string().min(1).describe("a file path or a model reference such as hf:user/repo/file.gguf");
const path = () => z.string().min(1).describe("a file path");

export const llmSchema = z
  .strictObject({
    contextSize: z.union([positiveInt(), auto]).default(4096),
    threads: z.union([positiveInt(), auto]).default("auto"),
    gpuLayers: z.union([z.number().int().min(0), auto, z.literal("max")]).default("auto"),
    temperature: z.number().min(0).max(2).default(0.8),
    topP: z.number().min(0).max(1).default(0.95),
    maxTokens: positiveInt().default(512),
    seed: z.number().int().min(0).optional(),
  })
  .prefault({});

export const asrSchema = z
  .strictObject({
    model: pathOrRef().optional(),
    language: z
      .string()
      .regex(/^(auto|[a-z]{2,3})$/)
      .default("auto")
      .describe('"auto" or a language code such as "en"'),
    initialPrompt: z.string().optional(),
    threads: z.union([positiveInt(), auto]).default("auto"),
    sizeAudioContext: z.boolean().default(true),
  })
  .prefault({});

export const vadSchema = z
  .strictObject({
    model: pathOrRef().optional(),
    threshold: z.number().min(0).max(1).default(0.5),
    minSpeechMs: ms(250),
    preRollMs: ms(300),
    silenceMs: ms(500),
    maxUtteranceMs: positiveInt().default(30000),
  })
  .prefault({});

export const audioSchema = z
  .strictObject({
    input: z.string().min(1).default("mic").describe('"mic", "none" or the path of a WAV file'),
    inputDevice: z.string().min(1).optional(),
    output: z.string().min(1).default("speaker").describe('"speaker", "none" or the path of a WAV file to write'),
    outputDevice: z.string().min(1).optional(),
    mode: z.enum(["hands-free", "push-to-talk"]).default("hands-free"),
    headphones: z.boolean().default(false),
    bargeIn: z
      .strictObject({
        enabled: z.boolean().default(true),
        minSpeechMs: ms(300),
      })
      .prefault({}),
    recorder: z.enum(["auto", "sox", "arecord"]).default("auto"),
  })
  .prefault({});

export const ttsSchema = z
  .strictObject({
    engine: z.enum(["espeak", "piper", "none"]).default("espeak"),
    voice: z.string().min(1).optional(),
    speaker: z.union([z.number().int().min(0), z.string().min(1)]).optional(),
    speed: z.number().min(0.1).max(10).default(1),
    actions: z.enum(["skip", "speak"]).default("skip"),
  })
  .prefault({});

export const commandsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    wakePhrase: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe('a phrase such as "hey roleplay", or null for none'),
    phrases: z
      .record(z.string(), z.array(z.string().min(1)))
      .default({})
      .describe('a mapping of command names to lists of phrases, e.g. send: ["send", "go"]'),
  })
  .prefault({});

export const ptySchema = z
  .strictObject({
    speak: z.enum(["off", "new-output"]).default("off"),
    killGraceMs: ms(2000),
  })
  .prefault({});

export const sessionsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    database: path().optional(),
  })
  .prefault({});

export const modelsSchema = z
  .strictObject({
    dir: path().optional(),
    hfEndpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("an http(s) URL such as https://huggingface.co"),
  })
  .prefault({});

export const logSchema = z
  .strictObject({
    level: z.enum(["debug", "info", "warn", "error"]).default("info"),
    file: path().optional(),
    metricsFile: path().optional(),
  })
  .prefault({});

export const uiSchema = z
  .strictObject({
    fps: z.number().int().min(1).max(120).default(30),
    theme: z.enum(["auto", "dark", "light", "mono"]).default("auto"),
  })
  .prefault({});

export const configSchema = z.strictObject({
  model: pathOrRef().optional(),
  character: z.string().min(1).default("wren").describe("a character name or the path of a character file"),
  characterName: z.string().min(1).optional(),
  userName: z.string().min(1).default("User"),
  systemPrompt: z.string().optional(),
  llm: llmSchema,
  asr: asrSchema,
  vad: vadSchema,
  audio: audioSchema,
  tts: ttsSchema,
  commands: commandsSchema,
  pty: ptySchema,
  sessions: sessionsSchema,
  models: modelsSchema,
  log: logSchema,
  ui: uiSchema,
});

/** The validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** What a config file, env var or flag may set: any subset of the settings. */
export type ConfigInput = DeepPartial<z.input<typeof configSchema>>;

export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * The config after loading: the paths that default into the XDG folders are filled in.
 */
export type ResolvedConfig = Config & {
  sessions: Config["sessions"] & { database: string };
  models: Config["models"] & { dir: string };
  log: Config["log"] & { file: string; metricsFile: string };
};

/** The complete default config (what config/default.yaml documents). */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
