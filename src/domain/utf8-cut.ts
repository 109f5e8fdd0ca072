/**
 * Cutting UTF-8 bytes where a character starts, never inside one: a cut by byte count decoded the broken
 * character as U+FFFD, which a reason or a shown line then carried (and a secret holding it went unmatched).
 */

/** The longest start of `bytes` no longer than `max` bytes that ends on a character boundary. */
export function utf8Head<T extends Uint8Array>(bytes: T, max: number): T {
  if (bytes.length <= max) return bytes;
  let end = Math.max(0, max);
  // Back over continuation bytes (10xxxxxx) to the start of the character the cut fell in.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end) as T;
}

/** The shortest end of `bytes` no longer than `max` bytes that starts on a character boundary. */
export function utf8Tail<T extends Uint8Array>(bytes: T, max: number): T {
  if (bytes.length <= max) return bytes;
  let start = bytes.length - Math.max(0, max);
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start) as T;
}

/** At most `max` UTF-16 units of `text`, never half of a surrogate pair (an emoji cut in two was U+FFFD once encoded). */
export function textHead(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = max > 0 ? text.charCodeAt(max - 1) : 0;
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}
