/**
 * The guided first run of `roleplay` (the TUI), before Ink mounts: with no LLM configured and none
 * in the models folder (or a configured reference not downloaded yet), offer the recommended set,
 * download it with progress on stderr, use it for this run and offer to save it in the user's
 * config file. Headless runs never download: they get a clear error with the same advice.
 */
import { createInterface } from "node:readline";
import type { LoadedConfig, Source } from "../config/load.js";
import type { ResolvedConfig } from "../config/schema.js";
import { DownloadError, errorMessage, isAbortError } from "../core/errors.js";
import { getLogger } from "../core/log.js";
import type { FirstRunPlan, MissingModel, PullRecommendedResult } from "../models/first-run.js";
import { formatBytes } from "../models/progress.js";
import { isModelRef, resolveHubEndpoint } from "../models/refs.js";
import { reportError } from "./errors.js";
import { abortOnTerminate } from "./signals.js";
import { saveUserSettings, userConfigFile } from "./user-config.js";

const log = getLogger("first-run");

type Key = keyof PullRecommendedResult["configUpdates"];

export interface FirstRunIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

const voiceIn = (c: ResolvedConfig): boolean => !["none", "off"].includes(c.audio.input);
const speechOut = (c: ResolvedConfig): boolean => c.audio.output !== "none" && c.tts.engine !== "none";
const userSet = (loaded: LoadedConfig, key: string): boolean =>
  (loaded.sources.get(key)?.kind ?? "default") !== "default";

/** Set a model setting in the loaded config (and where it came from, so it wins over a character's voice). */
function apply(loaded: LoadedConfig, updates: PullRecommendedResult["configUpdates"], source: Source): void {
  const c = loaded.config;
  for (const [key, value] of Object.entries(updates) as [Key, string | undefined][]) {
    if (value === undefined) continue;
    if (key === "model") c.model = value;
    else if (key === "asr.model") c.asr.model = value;
    else if (key === "tts.voice") c.tts.voice = value;
    else if (value === "piper") c.tts.engine = "piper";
    loaded.sources.set(key, source);
  }
}

/**
 * Models in the folder that the config does not name yet are used (a Piper voice only when the
 * user did not choose the engine). Returns one notice per model adopted.
 */
export async function adoptFoundModels(loaded: LoadedConfig): Promise<string[]> {
  const { planFirstRun } = await import("../models/first-run.js");
  const plan = await planFirstRun(loaded.config, loaded.config.models.dir);
  const updates: PullRecommendedResult["configUpdates"] = {};
  for (const f of plan.found) {
    if (f.kind === "piper") {
      if (userSet(loaded, "tts.engine")) continue;
      updates["tts.engine"] = "piper";
    }
    updates[f.configKey] = f.path;
  }
  apply(loaded, updates, { kind: "user", file: loaded.config.models.dir });
  const notices = plan.found
    .filter((f) => updates[f.configKey] !== undefined)
    .map((f) => `using ${f.path} from the models folder (set ${f.configKey} to choose another)`);
  for (const n of notices) log.info(n);
  return notices;
}

/** What to offer: the LLM when none is set up, plus what this run would use; configured paths are left to the checks. */
function offerOf(plan: FirstRunPlan, loaded: LoadedConfig): MissingModel[] {
  const c = loaded.config;
  const usable = plan.missing.filter((m) => {
    if (m.reason === "not-found" && !(m.configured && isModelRef(m.configured))) return false;
    if (m.kind === "whisper") return voiceIn(c);
    if (m.kind === "piper") return speechOut(c) && (m.required || !userSet(loaded, "tts.engine"));
    return true;
  });
  if (usable.some((m) => m.kind === "llm")) return usable;
  return usable.filter((m) => m.required);
}

const TITLE = { llm: "Language model", whisper: "Speech recognition", piper: "Voice" } as const;

function describeOffer(offer: readonly MissingModel[], dir: string): string {
  const rows = offer.map((m) => {
    const size = m.pull.sizeBytes ? formatBytes(m.pull.sizeBytes) : "";
    const note = m.required ? "" : "  (optional: espeak-ng speaks without it)";
    const named = m.configured ? `  (${m.configKey}: ${m.configured})` : "";
    return `  ${TITLE[m.kind].padEnd(19)} ${m.pull.title.padEnd(34)} ${size.padStart(7)}${note}${named}`;
  });
  const total = offer.reduce((n, m) => n + (m.pull.sizeBytes ?? 0), 0);
  const head = offer.some((m) => m.kind === "llm" && m.reason === "not-configured")
    ? "Welcome to roleplay. No language model is set up yet; the recommended set is:"
    : "These configured models are not downloaded yet:";
  return [head, ...rows, `They go to ${dir}${total ? ` (about ${formatBytes(total)} in all)` : ""}.`].join("\n") + "\n";
}

/** Ask a yes/no question on the terminal; Enter means yes. Resolves undefined on Ctrl+C. */
function ask(io: FirstRunIo, question: string): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.input, output: io.output, terminal: io.input.isTTY === true });
    let answered = false;
    const done = (v: boolean | undefined): void => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(v);
    };
    rl.on("SIGINT", () => done(undefined));
    rl.on("close", () => done(false));
    rl.question(question, (a) => done(/^\s*(y|yes)?\s*$/i.test(a)));
  });
}

function pullCommands(offer: readonly MissingModel[]): string {
  return `roleplay models pull ${offer.map((m) => m.pull.ref).join(" ")}`;
}

/**
 * Run the first run when it is needed. Returns an exit code to stop with (2: declined, offline or
 * cannot ask; 130: interrupted), or undefined to go on with the (updated) loaded config.
 */
export async function runFirstRun(
  loaded: LoadedConfig,
  flags: { yes?: boolean; verbose?: boolean },
  io: FirstRunIo = { input: process.stdin, output: process.stderr },
): Promise<{ exitCode?: number; notices: string[] }> {
  const notices = await adoptFoundModels(loaded);
  const config = loaded.config;
  const dir = config.models.dir;
  const { planFirstRun, pullRecommended, offlineInstructions } = await import("../models/first-run.js");
  const language = config.asr.language === "auto" ? undefined : config.asr.language;
  const plan = await planFirstRun(config, dir, language ? { language } : {});
  const offer = offerOf(plan, loaded);
  if (offer.length === 0) return { notices };
  // With a language model in place the chat can start: missing voice models are a notice (voice
  // input or output says why it is off), downloaded only when --yes asks for them.
  if (!offer.some((m) => m.kind === "llm") && flags.yes !== true) {
    return {
      notices: [
        ...notices,
        `not downloaded yet: ${offer.map((m) => m.pull.title).join(", ")} — \`${pullCommands(offer)}\`, or start with --yes`,
      ],
    };
  }
  const write = (s: string): boolean => io.output.write(s);
  const endpoint = resolveHubEndpoint({ config: config.models.hfEndpoint });
  write(describeOffer(offer, dir));

  let accepted = flags.yes === true;
  if (!accepted) {
    if (io.input.isTTY !== true) {
      write(`Run \`roleplay --yes\` to download them, or \`${pullCommands(offer)}\`.\n\n`);
      write(offlineInstructions(offer, dir, { endpoint }) + "\n");
      return { exitCode: 2, notices };
    }
    const answer = await ask(io, "Download them now? [Y/n] ");
    if (answer === undefined) return { exitCode: 130, notices };
    accepted = answer;
  }
  if (!accepted) {
    write(`Nothing downloaded. Later: \`${pullCommands(offer)}\`, or \`roleplay --yes\`.\n\n`);
    write(offlineInstructions(offer, dir, { endpoint }) + "\n");
    return { exitCode: 2, notices };
  }

  const { createProgressRenderer } = await import("../models/progress.js");
  const progress = createProgressRenderer(io.output);
  const work = abortOnTerminate();
  let result: PullRecommendedResult;
  try {
    result = await pullRecommended({
      plan: { ...plan, missing: offer, found: [] },
      yes: true,
      endpoint,
      signal: work.signal,
      onModel: (m) => {
        progress.finish();
        write(`Downloading ${m.pull.title}…\n`);
      },
      onProgress: (p) => progress.update(p),
    });
  } catch (err) {
    progress.finish();
    if (work.signal.aborted || isAbortError(err)) {
      write("Download interrupted; start roleplay again to resume it.\n");
      return { exitCode: 130, notices };
    }
    if (err instanceof DownloadError && err.code === "DOWNLOAD_NETWORK") {
      write(`roleplay: ${err.message}\n\n${offlineInstructions(offer, dir, { endpoint })}\n`);
      return { exitCode: 2, notices };
    }
    return { exitCode: reportError(err, { verbose: Boolean(flags.verbose) }), notices };
  } finally {
    progress.finish();
    work.settled();
  }

  const updates = result.configUpdates;
  const file = userConfigFile();
  const save = flags.yes === true || (await ask(io, `Save them in ${file} for the next runs? [Y/n] `)) === true;
  let source: Source = { kind: "flag", name: "first run" };
  if (save) {
    try {
      await saveUserSettings(file, updates as Record<string, string>);
      source = { kind: "user", file };
      write(`Saved in ${file}.\n`);
    } catch (err) {
      write(`roleplay: could not save the config (${errorMessage(err)}); the models are used for this run.\n`);
    }
  }
  apply(loaded, updates, source);
  write("Starting…\n");
  return { notices };
}
