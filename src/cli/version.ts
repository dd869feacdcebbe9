declare const __ROLEPLAY_VERSION__: string | undefined;

/** Set at build time by tsup; "dev" when running from source. */
export const VERSION: string = typeof __ROLEPLAY_VERSION__ === "string" ? __ROLEPLAY_VERSION__ : "dev";
