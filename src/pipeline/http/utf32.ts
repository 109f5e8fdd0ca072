/**
 * UTF-32, which TextDecoder does not know (the WHATWG Encoding Standard left it out): JSON may be sent in it
 * (RFC 4627 3 lists it), and such an answer failed as "invalid JSON" starting with "\u0000\u0000\u0000{".
 */

/** "utf-32le" or "utf-32be" by a byte order mark or by where JSON's first ASCII character's zeros fall; else undefined. */
export function utf32Charset(bytes: Buffer): "utf-32le" | "utf-32be" | undefined {
  if (bytes.length < 4) return undefined;
  const [a, b, c, d] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  if (a === 0 && b === 0 && ((c === 0xfe && d === 0xff) || (c === 0 && d !== 0))) return "utf-32be";
  if (c === 0 && d === 0 && ((a === 0xff && b === 0xfe) || (a !== 0 && b === 0))) return "utf-32le";
  return undefined;
}

/** Whether a charset name is UTF-32's (with or without its byte order). */
export function isUtf32Name(name: string): boolean {
  return /^(?:utf-?32|ucs-?4)(?:-?(?:le|be))?$/i.test(name);
}

/**
 * `bytes` read as UTF-32 (a leading byte order mark dropped, as TextDecoder drops UTF-8's and UTF-16's); a unit
 * that is no code point (a surrogate, above U+10FFFF, a cut last unit) becomes U+FFFD, and `bad` is its offset.
 */
export function decodeUtf32(bytes: Buffer, littleEndian: boolean): { text: string; bad: number } {
  let bad = -1;
  const parts: string[] = [];
  let units: number[] = [];
  let at = 0;
  const first = bytes.length >= 4 ? (littleEndian ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0)) : -1;
  if (first === 0xfeff) at = 4;
  for (; at + 4 <= bytes.length; at += 4) {
    const unit = littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
    if (unit > 0x10ffff || (unit >= 0xd800 && unit <= 0xdfff)) {
      if (bad < 0) bad = at;
      units.push(0xfffd);
    } else units.push(unit);
    if (units.length === 8192) {
      parts.push(String.fromCodePoint(...units));
      units = [];
    }
  }
  if (at < bytes.length) {
    if (bad < 0) bad = at;
    units.push(0xfffd);
  }
  parts.push(String.fromCodePoint(...units));
  return { text: parts.join(""), bad };
}
