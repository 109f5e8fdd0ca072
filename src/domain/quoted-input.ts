/**
 * A word the user typed, quoted inside a message that refuses it. Quoted as
 * JSON writes a string, so a line break shows as `\n` instead of breaking the
 * message over two lines, and cut: `book 1 --set "$TITLE"` with a 100 KB
 * value once echoed all of it back to the terminal.
 */
const MAX_SHOWN = 60;

/**
 * Invisible format characters (zero-width space and joiners, soft hyphen, BOM, direction marks): JSON writes
 * them as they are, so `--set ti<U+200B>tle=x` was refused as `unknown field "title"`. In a word being refused,
 * the difference is the point: shown as `\u200b`.
 */
const INVISIBLE = /\p{Cf}/gu;

/** `text` quoted, cut after `max` characters (a folder path deserves more than a word: give it 4096). */
export function quotedInput(text: string, max = MAX_SHOWN): string {
  const chars = [...text];
  if (chars.length <= max) return quoted(text);
  return `${quoted(chars.slice(0, max).join("") + "…")} (${chars.length.toLocaleString("en-US")} characters)`;
}

function quoted(text: string): string {
  return JSON.stringify(text).replace(INVISIBLE, (ch) => {
    const code = ch.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
