/** Names the macros stand for. */
export interface MacroNames {
  char: string;
  user: string;
}

const MACRO = /\{\{\s*(char|user)\s*\}\}|<(bot|user)>/gi;

/** Replace `{{char}}`, `{{user}}` (any case) and the legacy `<BOT>` / `<USER>`. */
export function substituteMacros(text: string, names: MacroNames): string {
  return text.replace(MACRO, (_match, curly: string | undefined, legacy: string | undefined) => {
    const which = (curly ?? legacy ?? "").toLowerCase();
    return which === "user" ? names.user : names.char;
  });
}
