/**
 * A word the user typed, quoted inside a message that refuses it. Quoted as
 * JSON writes a string, so a line break shows as `\n` instead of breaking the
 * message over two lines, and cut: `book 1 --set "$TITLE"` with a 100 KB
 * value once echoed all of it back to the terminal.
 */
const MAX_SHOWN = 60;

/** `text` quoted, cut after `max` characters (a folder path deserves more than a word: give it 4096). */
export function quotedInput(text: string, max = MAX_SHOWN): string {
  const chars = [...text];
  if (chars.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, max).join("") + "…")} (${chars.length.toLocaleString("en-US")} characters)`;
}
