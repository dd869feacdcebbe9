import type { IBufferCell } from "@xterm/headless";

/** The style of a cell, with only the attributes that are on. */
export interface CellStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}

/** The 16 ANSI colours under the names chalk (and so Ink's <Text color>) knows. */
const ANSI16 = [
  "black",
  "red",
  "green",
  "yellow",
  "blue",
  "magenta",
  "cyan",
  "white",
  "blackBright",
  "redBright",
  "greenBright",
  "yellowBright",
  "blueBright",
  "magentaBright",
  "cyanBright",
  "whiteBright",
] as const;

/** A palette index as a colour Ink accepts: a name for 0-15, "ansi256(n)" above (the user's palette either way). */
export function paletteColor(index: number): string {
  return ANSI16[index] ?? `ansi256(${index})`;
}

export function rgbColor(value: number): string {
  return `#${(value & 0xffffff).toString(16).padStart(6, "0")}`;
}

export function cellStyle(cell: IBufferCell): CellStyle {
  const s: CellStyle = {};
  if (cell.isFgRGB()) s.fg = rgbColor(cell.getFgColor());
  else if (cell.isFgPalette()) s.fg = paletteColor(cell.getFgColor());
  if (cell.isBgRGB()) s.bg = rgbColor(cell.getBgColor());
  else if (cell.isBgPalette()) s.bg = paletteColor(cell.getBgColor());
  if (cell.isBold()) s.bold = true;
  if (cell.isDim()) s.dim = true;
  if (cell.isItalic()) s.italic = true;
  if (cell.isUnderline()) s.underline = true;
  if (cell.isInverse()) s.inverse = true;
  if (cell.isStrikethrough()) s.strikethrough = true;
  return s;
}

export function styleKey(s: CellStyle): string {
  const flags = [s.bold, s.dim, s.italic, s.underline, s.inverse, s.strikethrough].map((f) => (f ? 1 : 0)).join("");
  return `${s.fg ?? ""}|${s.bg ?? ""}|${flags}`;
}
