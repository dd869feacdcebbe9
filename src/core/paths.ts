import { homedir } from "node:os";
import { join } from "node:path";

/** XDG base directories (with the usual fallbacks), for config, data, state and cache. */
export function xdgDirs(env: NodeJS.ProcessEnv = process.env): {
  config: string;
  data: string;
  state: string;
  cache: string;
} {
  const home = env.HOME ?? homedir();
  const pick = (name: string, fallback: string): string => {
    const value = env[name];
    return value && value.startsWith("/") ? value : join(home, fallback);
  };
  return {
    config: join(pick("XDG_CONFIG_HOME", ".config"), "roleplay"),
    data: join(pick("XDG_DATA_HOME", ".local/share"), "roleplay"),
    state: join(pick("XDG_STATE_HOME", ".local/state"), "roleplay"),
    cache: join(pick("XDG_CACHE_HOME", ".cache"), "roleplay"),
  };
}
