/**
 * ID3v2.4 tags whose frame sizes are written as plain 32-bit numbers, as ID3v2.3's are, not in the syncsafe digits
 * v2.4 asks for (iTunes and several taggers of its time wrote them so): read as syncsafe, any frame of over 127 bytes
 * (a description, a long title) ends in the wrong place and music-metadata drops it and every frame after it ("Invalid
 * ID3v2.4 frame-header-ID"), the title and writer often among them. Each frame's size is read the way that lands on
 * the next frame (TagLib and Mutagen read such tags the same way).
 */
import { syncsafeAt, writeSyncsafe } from "./syncsafe.js";

/**
 * The ID3v2.4 tag at the start of `tag` (header included) with every frame size that was a plain number written
 * again in syncsafe digits; null when no size needed it (or the tag is none to walk: another version, an extended
 * header or unsynchronisation, which id3-value-bound.ts takes out first).
 */
export function withSyncsafeFrameSizes(tag: Buffer): Buffer | null {
  if (tag.length < 10 || tag.toString("latin1", 0, 3) !== "ID3" || tag[3] !== 4 || (tag[5] & 0xc0) !== 0) return null;
  const end = Math.min(tag.length, 10 + syncsafeAt(tag, 6));
  const out = Buffer.from(tag.subarray(0, end));
  let changed = false;
  for (let at = 10; at + 10 <= end && isFrameId(out, at); ) {
    const syncsafe = syncsafeAt(out, at + 4);
    const plain = out.readUInt32BE(at + 4);
    if (plain === syncsafe) {
      at += 10 + syncsafe;
      continue;
    }
    // A size byte of 0x80 or over is no syncsafe digit; else the size whose end starts a frame (or the tag's end) wins.
    const highBit = (out[at + 4] | out[at + 5] | out[at + 6] | out[at + 7]) & 0x80;
    const usePlain = highBit !== 0 || (!landsWell(out, at + 10 + syncsafe, end) && landsWell(out, at + 10 + plain, end));
    if (!usePlain) {
      at += 10 + syncsafe;
      continue;
    }
    if (at + 10 + plain > end) break;
    writeSyncsafe(out, at + 4, plain);
    changed = true;
    at += 10 + plain;
  }
  return changed ? out : null;
}

function landsWell(tag: Buffer, at: number, end: number): boolean {
  if (at === end) return true;
  if (at > end || at + 10 > end) return false;
  // Padding (zeros to the tag's end) or another frame.
  return tag[at] === 0 || isFrameId(tag, at);
}

function isFrameId(tag: Buffer, at: number): boolean {
  for (let i = at; i < at + 4; i++) {
    const c = tag[i];
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}
