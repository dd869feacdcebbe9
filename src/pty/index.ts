// Importing this module loads @xterm/headless (pure JS); node-pty is only loaded by PtyChild.start().
export { PtyChild, type PtyChildOptions, type PtyDataListener, type PtyExit, type PtyExitListener } from "./child.js";
export { PtySpawnError } from "./errors.js";
export { keySequence, sanitizeTyped, TerminalModes, type PtyKey } from "./keys.js";
export { NewOutputCollector, speakableLine } from "./output-speech.js";
export { killAllChildrenSync } from "./reaper.js";
export { PtyScreen, type PtyScreenOptions, type ScreenRun, type ScreenSnapshot } from "./screen.js";
export type { CellStyle } from "./style.js";
