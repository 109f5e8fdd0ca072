/**
 * Text that arrives as 8-bit bytes without a reliable encoding label: sidecar
 * files written by Windows tools (reader.txt, desc.txt, an OPF saved as
 * ISO-8859-1) and ID3 frames marked Latin-1, which many taggers fill with
 * UTF-8 bytes or Windows-1252. Read naively, "José" becomes "Jos\uFFFD" and
 * "Saint-Exupéry" becomes "Saint-ExupÃ©ry": wrong evidence that splits a
 * field's votes and ends up in folder names.
 */
import { isUtf8 } from "node:buffer";

/** Windows-1252 characters for bytes 0x80..0x9F (the five it leaves undefined map to themselves, as browsers do). */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const C1_CONTROL = /[\u0080-\u009f]/g;
const EIGHT_BIT = /[\u0080-\u00ff]/;
const WIDE = /[^\u0000-\u00ff]/;

/**
 * Bytes as text: UTF-8 when they are valid UTF-8, else line by line, each line
 * UTF-8 when it is valid UTF-8 and Windows-1252 (a superset of Latin-1 for
 * text) when not, so one pasted Latin-1 line does not garble a UTF-8 file.
 */
export function decodeEightBit(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString("utf8");
  let text = "";
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline + 1;
    const line = bytes.subarray(start, end);
    text += isUtf8(line) ? line.toString("utf8") : line.toString("latin1").replace(C1_CONTROL, cp1252Char);
    start = end;
  }
  return text;
}

/**
 * Repairs a string a Latin-1 decoder produced: UTF-8 bytes read as Latin-1
 * ("CafÃ©") become the text they encode; C1 control characters (which Latin-1
 * text never means) become their Windows-1252 characters (0x92 is "’").
 * Text with any character above U+00FF did not come from a Latin-1 decoder
 * and is returned as it is, as is text that is plain ASCII.
 */
export function repairLatin1Text(text: string): string {
  if (!EIGHT_BIT.test(text) || WIDE.test(text)) return text;
  const bytes = Buffer.from(text, "latin1");
  // Bytes >= 0x80 that form valid UTF-8 are almost never meant as Latin-1 ("Ã©" is not a name).
  if (isUtf8(bytes)) return bytes.toString("utf8");
  return text.replace(C1_CONTROL, cp1252Char);
}

function cp1252Char(c: string): string {
  return CP1252_HIGH[c.charCodeAt(0) - 0x80];
}
