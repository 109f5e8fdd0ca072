/**
 * Output of a plugin's that is not text (an image, a compressed body, a struct dumped to stdout): decoded as
 * UTF-8 it was a run of U+FFFD and escapes in its log, `plugins test`'s output and a crash's reason, which read
 * as a broken shelfwise. Said as what it is instead, with its size. A line of text in another encoding (a
 * Latin-1 `café`) is not binary: one byte in eight or more must be no part of a character, or one a NUL.
 */
import { isUtf8 } from "node:buffer";

/** How a run of binary output is said, in the log and in a reason. */
export function binaryOutputWords(bytes: number): string {
  return `binary output (${bytes} bytes)`;
}

/** `bytes` (a line, without its newline) is binary output. */
export function isBinaryOutput(bytes: Buffer): boolean {
  if (bytes.length === 0 || isUtf8(bytes)) return false;
  if (bytes.includes(0)) return true;
  return replacements(bytes.toString("utf8")) * 8 >= bytes.length;
}

/** The bytes a decoded line held when it is binary output (each U+FFFD one byte that was no character); null when it is text. */
export function binaryLineBytes(line: string): number | null {
  const bad = replacements(line);
  if (bad === 0) return null;
  const bytes = Buffer.byteLength(line) - 2 * bad;
  return line.includes("\0") || bad * 8 >= bytes ? bytes : null;
}

function replacements(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\ufffd"); at >= 0; at = text.indexOf("\ufffd", at + 1)) count++;
  return count;
}
