/**
 * Text that arrives as 8-bit bytes without a reliable encoding label: sidecar
 * files written by Windows tools (reader.txt, desc.txt, an OPF saved as
 * ISO-8859-1) and ID3 frames marked Latin-1, which many taggers fill with
 * UTF-8 bytes or Windows-1252. Read naively, "José" becomes "Jos\uFFFD" and
 * "Saint-Exupéry" becomes "Saint-ExupÃ©ry": wrong evidence that splits a
 * field's votes and ends up in folder names.
 */
import { isUtf8 } from "node:buffer";
import { lazyRegExp } from "../domain/lazy-regexp.js";

/** Windows-1252 characters for bytes 0x80..0x9F (the five it leaves undefined map to themselves, as browsers do). */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const C1_CONTROL = /[\u0080-\u009f]/g;
const EIGHT_BIT_OR_CP1252 = /[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;
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

/** CP437 (DOS, the code page of scene .nfo files) for bytes 0x80..0xFF. */
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

export function decodeCp437(bytes: Buffer): string {
  let text = "";
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  return text;
}

/**
 * Whether 8-bit bytes that are not UTF-8 are CP437 rather than Windows-1252: where a byte over 0x7F sits inside a
 * word (an ASCII letter on each side), CP437's letters are 0x80..0xA5 ("Sch\x84tzing") and Windows-1252's
 * 0xC0..0xFF ("Sch\xe4tzing", which CP437 would make box art). Without a letter inside a word, box art
 * (0xB0..0xDF) outnumbering every other byte over 0x7F says CP437.
 */
export function looksCp437(bytes: Buffer): boolean {
  if (isUtf8(bytes)) return false;
  let dos = 0;
  let windows = 0;
  let art = 0;
  let other = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte < 0x80) continue;
    if (i > 0 && i + 1 < bytes.length && isAsciiLetter(bytes[i - 1]) && isAsciiLetter(bytes[i + 1])) {
      if (byte <= 0xa5) dos++;
      else if (byte >= 0xc0) windows++;
    } else if (byte >= 0xb0 && byte <= 0xdf) art++;
    else other++;
  }
  return dos > windows || (dos === 0 && windows === 0 && art > 0 && art >= other);
}

function isAsciiLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/**
 * Repairs a string a Latin-1 or Windows-1252 decoder produced: UTF-8 bytes
 * read as one of them ("CafÃ©", "Enderâ€™s", "ÐœÐ°ÑÑ‚ÐµÑ€") become the text
 * they encode; C1 control characters (which Latin-1 text never means) become
 * their Windows-1252 characters (0x92 is "’"). Text with a character neither
 * decoder makes did not come from one and is returned as it is, as is text
 * that is plain ASCII. Bytes that form valid UTF-8 with a character beyond
 * ASCII are almost never meant as 8-bit text ("Ã©" is not a name), and text
 * that does not map back to valid UTF-8 ("Ender’s", "naïve") is left alone.
 */
export function repairLatin1Text(text: string): string {
  return repairLatin1(text).text;
}

/** What repairLatin1 read text a Latin-1 decoder made as: UTF-8 (once, or encoded twice over), or another code page. */
export type Latin1Repair = "utf-8" | "utf-8 twice" | CyrillicCodePage | "shift_jis";

/**
 * repairLatin1Text, saying what the text was read as (null when it was left as it is, or had only C1 control
 * characters made Windows-1252's). UTF-8 encoded twice ("CafÃƒÂ©": a tagger that read UTF-8 as Latin-1 and saved
 * it as UTF-8) is undone as often as it was done, up to MAX_UTF8_ROUNDS, each round only while the bytes are valid
 * UTF-8 beyond ASCII, which 8-bit text that means itself ("Müller", "Ærø") never is.
 */
export function repairLatin1(text: string): { text: string; from: Latin1Repair | null } {
  if (!EIGHT_BIT_OR_CP1252.test(text)) return { text, from: null };
  const bytes = cp1252Bytes(text);
  if (bytes === null) return { text, from: null };
  if (isUtf8(bytes)) {
    let repaired = bytes.toString("utf8");
    let rounds = 1;
    for (; rounds < MAX_UTF8_ROUNDS && EIGHT_BIT_OR_CP1252.test(repaired); rounds++) {
      const again = cp1252Bytes(repaired);
      if (again === null || !isUtf8(again)) break;
      repaired = again.toString("utf8");
    }
    return { text: repaired, from: rounds > 1 ? "utf-8 twice" : "utf-8" };
  }
  const cyrillic = cyrillicReading(bytes);
  if (cyrillic !== null) return { text: cyrillic.text, from: cyrillic.codePage };
  const japanese = shiftJisText(bytes);
  if (japanese !== null) return { text: japanese, from: "shift_jis" };
  return { text: text.replace(C1_CONTROL, cp1252Char), from: null };
}
/** Rounds of UTF-8 read as Latin-1 undone at most: three is more than any tool chain seen did. */
const MAX_UTF8_ROUNDS = 3;

/**
 * Shift-JIS bytes read as Latin-1 ("\u0091º\u008fã\u008ft\u008e÷" for 村上春樹): Japanese Windows taggers and rippers
 * wrote their code page into frames marked Latin-1 as Russian ones wrote theirs. Taken when the bytes are valid
 * Shift-JIS and every word reads wholly Japanese (kana, kanji, full-width forms) or wholly ASCII, with two Japanese
 * characters or more: Western text's accented letters fall on kanji inside ASCII words ("Gérard" is "G駻ard") or on
 * half-width kana ("Ü"), which this never takes, and lone accented letters are mostly not valid Shift-JIS at all.
 */
function shiftJisText(bytes: Buffer): string | null {
  let text: string;
  try {
    text = (shiftJis ??= new TextDecoder("shift_jis", { fatal: true })).decode(bytes);
  } catch {
    return null;
  }
  let japanese = 0;
  for (const word of text.split(NOT_LETTER())) {
    if (word === "" || ASCII_WORD.test(word)) continue;
    if (!JAPANESE_WORD().test(word)) return null;
    japanese += word.length;
  }
  return japanese >= 2 ? text : null;
}
let shiftJis: TextDecoder | undefined;
// Hiragana, katakana (full-width, with its prolonged sound mark), kanji and the iteration mark; not half-width kana.
const JAPANESE_WORD = lazyRegExp(() => /^[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff々〆]+$/u);

/** A Cyrillic code page 8-bit tag text is read in (see cyrillicReading). */
export type CyrillicCodePage = "windows-1251" | "ibm866";

/**
 * 8-bit bytes that are not valid UTF-8 as text: Windows-1251 or CP866 when they read as Cyrillic words (see
 * cyrillicReading) or when `codePage` (the one the file's other tags were read in) says so, else Windows-1252. `parts`
 * are the bytes' runs that are valid UTF-8 ("Les Mis", "rables") and the runs that are not ("\xe9"): the valid runs
 * stay UTF-8, so "Café \xe9t\xe9" keeps its "é" and mends the rest. Says which Cyrillic code page it read, if one.
 */
export function mendBrokenUtf8(parts: { bytes: Buffer; valid: boolean }[], codePage?: CyrillicCodePage | null): { text: string; codePage: CyrillicCodePage | null } {
  // Valid UTF-8 beyond ASCII beside the broken bytes says the tagger wrote Unicode: those bytes are no code page's.
  const ascii = parts.every((p) => !p.valid || p.bytes.every((b) => b < 0x80));
  const cyrillic = ascii ? cyrillicReading(Buffer.concat(parts.map((p) => p.bytes))) : null;
  if (cyrillic !== null) return cyrillic;
  const broken = (bytes: Buffer) => (codePage ? decoder(codePage).decode(bytes) : bytes.toString("latin1").replace(C1_CONTROL, cp1252Char));
  return { text: parts.map((p) => (p.valid ? p.bytes.toString("utf8") : broken(p.bytes))).join(""), codePage: codePage ?? null };
}

/** The Cyrillic code page repairLatin1Text reads text a Latin-1 decoder made in, or null when it reads none. */
export function latin1CodePage(text: string): CyrillicCodePage | null {
  if (!EIGHT_BIT_OR_CP1252.test(text)) return null;
  const bytes = cp1252Bytes(text);
  if (bytes === null || isUtf8(bytes)) return null;
  return cyrillicReading(bytes)?.codePage ?? null;
}

function decoder(codePage: CyrillicCodePage): TextDecoder {
  return codePage === "windows-1251" ? (cp1251 ??= new TextDecoder("windows-1251")) : (cp866 ??= new TextDecoder("ibm866"));
}

/**
 * Windows-1251 bytes read as Latin-1 ("Âîéíà è ìèð", "Ëåâ Òîëñòîé"): Russian, Ukrainian and Bulgarian taggers
 * wrote their code page into frames marked Latin-1 for two decades; DOS-era rippers and ID3v1 editors wrote CP866
 * ("\u0082®©\u00ad\u00a0 ¨ ¬¨à"). A code page counts when it makes every word wholly Cyrillic or wholly ASCII
 * and some word three Cyrillic letters or more: Western text read right mixes accented letters into ASCII words
 * ("Schätzing", "Où", "AÑO"), which this never takes. Each code page's letters can fall on the other's rarer
 * letters ("Сергей" in CP866 is "‘ҐаЈҐ©" in Windows-1251), so when both count, the reading with more of Cyrillic's
 * commonest letters wins.
 */
function cyrillicReading(bytes: Buffer): { text: string; codePage: CyrillicCodePage } | null {
  const windows = cyrillicWords(decoder("windows-1251").decode(bytes));
  const dos = cyrillicWords(decoder("ibm866").decode(bytes));
  if (windows === null && dos === null) return null;
  if (dos === null || (windows !== null && commonLetters(dos) <= commonLetters(windows))) return { text: windows!, codePage: "windows-1251" };
  return { text: dos, codePage: "ibm866" };
}

function cyrillicWords(text: string): string | null {
  let cyrillicWord = false;
  for (const word of text.split(NOT_LETTER())) {
    if (word === "" || ASCII_WORD.test(word)) continue;
    if (!CYRILLIC_WORD().test(word)) return null;
    if (word.length >= 3) cyrillicWord = true;
  }
  return cyrillicWord ? text : null;
}

/** Russian's, Ukrainian's and Bulgarian's fifteen commonest letters, three in four of their text. */
const COMMON_CYRILLIC = new Set("оеаинтсрвлкмдпуОЕАИНТСРВЛКМДПУ");
function commonLetters(text: string): number {
  let count = 0;
  for (const c of text) if (COMMON_CYRILLIC.has(c)) count++;
  return count;
}
let cp1251: TextDecoder | undefined;
let cp866: TextDecoder | undefined;
const ASCII_WORD = /^[A-Za-z]+$/;
const NOT_LETTER = lazyRegExp(() => /[^\p{L}]+/u);
const CYRILLIC_WORD = lazyRegExp(() => /^\p{Script=Cyrillic}+$/u);

/** The bytes a Windows-1252 (or Latin-1) decoder read `text` from, or null when it holds a character neither makes. */
function cp1252Bytes(text: string): Buffer | null {
  if (!WIDE.test(text)) return Buffer.from(text, "latin1");
  const bytes = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0xff) bytes[i] = code;
    else {
      const at = CP1252_HIGH.indexOf(text[i]);
      if (at < 0) return null;
      bytes[i] = 0x80 + at;
    }
  }
  return bytes;
}

function cp1252Char(c: string): string {
  return CP1252_HIGH[c.charCodeAt(0) - 0x80];
}
