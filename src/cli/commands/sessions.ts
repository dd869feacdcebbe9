import { Option, type Command } from "commander";
import type { ResolvedConfig } from "../../config/schema.js";
import type { SessionStore } from "../../sessions/index.js";
import { StorageError } from "../../core/errors.js";
import { prepare, type GlobalFlags } from "../context.js";
import { usageExit } from "./usage-exit.js";

/** Open the configured database (read even when `sessions.enabled` is false: old sessions stay listable). */
async function withStore<T>(
  cmd: Command,
  run: (store: SessionStore, config: ResolvedConfig) => Promise<T> | T,
  options: { noticeToStderr?: boolean } = {},
): Promise<T> {
  const loaded = await prepare(cmd.optsWithGlobals<GlobalFlags>());
  const { openSessionStore } = await import("../../sessions/index.js");
  const store = await openSessionStore(loaded.config.sessions.database);
  if (!store.persistent) {
    // A listing from an empty stand-in would look like "no sessions": say what is wrong instead.
    store.close();
    throw new StorageError(
      "SESSIONS_UNREADABLE",
      `cannot read the session database ${loaded.config.sessions.database}`,
      {
        hint: `${(store.notice ?? "It could not be opened.").replace(/\s*This conversation goes on in memory;.*$/, "")} Nothing in it was changed.`,
      },
    );
  }
  try {
    if (options.noticeToStderr && store.notice) process.stderr.write(`roleplay: ${store.notice}\n`);
    return await run(store, loaded.config);
  } finally {
    store.close();
  }
}

/** A character's id from its name (or the name as given, for a character no longer installed). */
async function characterId(name: string): Promise<string> {
  const { findCharacter, slugify } = await import("../../characters/index.js");
  try {
    return (await findCharacter(name)).id;
  } catch {
    return slugify(name);
  }
}

/** The display name of a stored character id, when the character can still be found. */
async function characterName(id: string): Promise<string | undefined> {
  const { findCharacter } = await import("../../characters/index.js");
  try {
    return (await findCharacter(id)).name;
  } catch {
    return undefined;
  }
}

async function speakerNames(store: SessionStore, id: string, config: ResolvedConfig) {
  const { findSession } = await import("../../sessions/index.js");
  const session = findSession(store, id);
  const name = config.characterName ?? (await characterName(session.character));
  return { session, names: { user: config.userName, ...(name ? { character: name } : {}) } };
}

const out = (text: string): void => {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
};

/** `roleplay sessions list [--character NAME] | show ID | export ID --format md|json | rm ID | search WORDS...`. */
export function registerSessions(program: Command): void {
  const sessions = program
    .command("sessions")
    .description("saved conversations: list, show, export, remove, search")
    .exitOverride(usageExit);

  sessions
    .command("list")
    .description("saved conversations, most recent first")
    .option("-c, --character <name>", "only this character's")
    .option("-n, --limit <n>", "at most this many", (v) => Number.parseInt(v, 10))
    .action(async (opts: { character?: string; limit?: number }, cmd: Command) => {
      const name = opts.character ?? cmd.optsWithGlobals<GlobalFlags>().character;
      const character = name ? await characterId(name) : undefined;
      const { sessionsList } = await import("../../sessions/index.js");
      await withStore(cmd, (store) =>
        out(sessionsList(store, { ...(character ? { character } : {}), ...(opts.limit ? { limit: opts.limit } : {}) })),
      );
    });

  sessions
    .command("show")
    .description("a conversation as a transcript")
    .argument("<id>", "session id (or an unambiguous prefix)")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { sessionsShow } = await import("../../sessions/index.js");
      await withStore(
        cmd,
        async (store, config) => {
          const { session, names } = await speakerNames(store, id, config);
          out(sessionsShow(store, session.id, names));
        },
        { noticeToStderr: true },
      );
    });

  sessions
    .command("export")
    .description("a conversation as Markdown or JSON, on stdout")
    .argument("<id>", "session id (or an unambiguous prefix)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["md", "json"]).default("md"))
    .action(async (id: string, opts: { format: "md" | "json" }, cmd: Command) => {
      const { exportFrom } = await import("../../sessions/index.js");
      await withStore(
        cmd,
        async (store, config) => {
          const { session, names } = await speakerNames(store, id, config);
          out(exportFrom(store, session.id, opts.format, names));
        },
        { noticeToStderr: true },
      );
    });

  sessions
    .command("rm")
    .alias("remove")
    .description("delete a conversation")
    .argument("<id>", "session id (or an unambiguous prefix)")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const { sessionsRemove } = await import("../../sessions/index.js");
      await withStore(cmd, (store) => out(sessionsRemove(store, id)), { noticeToStderr: true });
    });

  sessions
    .command("search")
    .description("find messages containing every word (prefix match), newest first")
    .argument("<words...>", "words to search for")
    .option("-n, --limit <n>", "at most this many hits", (v) => Number.parseInt(v, 10))
    .action(async (words: string[], opts: { limit?: number }, cmd: Command) => {
      const { sessionsSearch } = await import("../../sessions/index.js");
      await withStore(cmd, (store) =>
        out(sessionsSearch(store, words.join(" "), opts.limit ? { limit: opts.limit } : {})),
      );
    });
}
