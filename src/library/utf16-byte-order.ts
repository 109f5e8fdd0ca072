/**
 * ID3v2 text in UTF-16 with no byte-order mark, written big-endian (some Windows taggers and hardware rippers omit
 * the BOM the frame's encoding 1 requires): music-metadata reads it little-endian, so "Victor Hugo" came back as
 * "嘀椀挀琀漀爀 䠀甀最漀", every character's two bytes swapped. Such a value is read with its bytes swapped back when
 * that makes every character one of the scripts tags are written in (Latin, Greek, Cyrillic, Armenian, general
 * punctuation) and the value as read is not already so. A real CJK value swaps to such characters only when every one
 * of its characters has a low byte of 0x00-0x05 or 0x20: values of three characters or more are swapped, so a lone
 * "一" (U+4E00) stays.
 */

const MIN_CHARS = 3;

/** Characters of the scripts a swapped value must read as: Latin to Armenian, and general punctuation. */
function plausible(code: number): boolean {
  return (code >= 0x20 && code < 0x0530) || (code >= 0x2000 && code <= 0x206f) || code === 0x09;
}

export function unswapUtf16(value: string): string {
  let clean = true;
  for (let i = 0; i < value.length; i++) {
    if (!plausible(value.charCodeAt(i))) {
      clean = false;
      break;
    }
  }
  if (clean || value.length < MIN_CHARS) return value;
  const codes = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const swapped = ((code & 0xff) << 8) | (code >>> 8);
    if (!plausible(swapped)) return value;
    codes[i] = swapped;
  }
  return String.fromCharCode(...codes);
}
