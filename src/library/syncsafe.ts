/** ID3v2's "syncsafe" integers: 28 bits in four bytes whose top bit is always clear, so no size reads as a frame sync. */
export function syncsafeAt(bytes: Buffer, at: number): number {
  return ((bytes[at] & 0x7f) << 21) | ((bytes[at + 1] & 0x7f) << 14) | ((bytes[at + 2] & 0x7f) << 7) | (bytes[at + 3] & 0x7f);
}

export function writeSyncsafe(bytes: Buffer, at: number, value: number): void {
  bytes[at] = (value >>> 21) & 0x7f;
  bytes[at + 1] = (value >>> 14) & 0x7f;
  bytes[at + 2] = (value >>> 7) & 0x7f;
  bytes[at + 3] = value & 0x7f;
}
