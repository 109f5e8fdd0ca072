/**
 * An ID3v2 text frame listing one value a hundred thousand times (ID3v2.4 parts its values at NUL) is cut to its
 * first values before music-metadata reads it: it took ~6 s for 100,000 values of one 1.4 MB frame, so a frame of a
 * few million (well inside the 64 MB a tag may hold) ran past the reading thread's limit and the file lost all its
 * tags. Only tags over WALK_FROM_BYTES are walked (a book's text alone never fills one; cover art is passed over by
 * its frame header), so an ordinary file costs nothing.
 */
import { syncsafeAt, writeSyncsafe } from "./syncsafe.js";

/** A tag this large may hold such a frame; smaller tags cannot make the parser slow and are not walked. */
export const WALK_FROM_BYTES = 64 * 1024;

export interface BoundedId3 {
  /** The tag rebuilt with its long frames cut (header, frames, no footer). */
  tag: Buffer;
  notes: string[];
}

/**
 * Values a frame keeps for the parser: ~0.6 s of music-metadata's time. The claim rules read only the first
 * MAX_TAG_VALUES of them (file-tags.ts cuts the rest after the parse, as it does for a shorter list).
 */
export const MAX_PARSED_VALUES = 10_000;
/** Values all cut frames of one tag keep for the parser; frames cut past it keep the `readValues` read. */
const MAX_PARSED_IN_TAG = 20_000;

/**
 * The ID3v2.3 or v2.4 tag at the start of `bytes` (the tag whole, header included) with every text frame (T***,
 * TXXX) of over MAX_PARSED_VALUES values cut to its first ones (a TXXX keeps its description too), or null when
 * none is over (or the tag is unsynchronised, has an extended header, or cannot be walked: it is read as it is).
 * `readValues` is how many values are read in the end, as the notes say.
 */
export function boundId3Values(bytes: Buffer, readValues: number): BoundedId3 | null {
  let budget = MAX_PARSED_IN_TAG;
  if (bytes.length < 10 || bytes.toString("latin1", 0, 3) !== "ID3") return null;
  const major = bytes[3];
  if ((major !== 3 && major !== 4) || (bytes[5] & 0xc0) !== 0) return null;
  const end = Math.min(bytes.length, 10 + syncsafeAt(bytes, 6));
  const out: Buffer[] = [];
  const notes: string[] = [];
  let at = 10;
  for (; at + 10 <= end && bytes[at] !== 0; ) {
    const id = bytes.toString("latin1", at, at + 4);
    const size = major === 4 ? syncsafeAt(bytes, at + 4) : bytes.readUInt32BE(at + 4);
    const next = at + 10 + size;
    if (next > end) break;
    // Compressed, encrypted or unsynchronised frames (format flags) are left as they are.
    const plain = (bytes[at + 9] & (major === 4 ? 0x0f : 0xc0)) === 0;
    const keep = budget >= MAX_PARSED_VALUES ? MAX_PARSED_VALUES : readValues;
    const cut = plain && id.startsWith("T") && size > MAX_PARSED_VALUES ? cutValues(bytes.subarray(at + 10, next), MAX_PARSED_VALUES, id === "TXXX" ? keep + 1 : keep) : null;
    if (cut === null) out.push(bytes.subarray(at, next));
    else {
      const head = Buffer.from(bytes.subarray(at, at + 10));
      if (major === 4) writeSyncsafe(head, 4, cut.data.length);
      else head.writeUInt32BE(cut.data.length, 4);
      out.push(head, cut.data);
      const description = id === "TXXX" ? `TXXX:${cut.description}` : id;
      budget -= keep;
      notes.push(`its ${shownId(description)} frame holds ${cut.count - (id === "TXXX" ? 1 : 0)} values, over the ${readValues} shelfwise reads; the first ${readValues} were read`);
    }
    at = next;
  }
  if (notes.length === 0) return null;
  const body = Buffer.concat(out);
  const header = Buffer.from(bytes.subarray(0, 10));
  header[5] &= ~0x10;
  writeSyncsafe(header, 6, body.length);
  return { tag: Buffer.concat([header, body]), notes };
}

/**
 * A frame's text cut after its `keep`-th value; null when it holds no more than `over`. Parts are counted by the
 * frame's encoding's NUL.
 */
function cutValues(data: Buffer, over: number, keep: number): { data: Buffer; count: number; description: string } | null {
  const wide = data[0] === 1 || data[0] === 2;
  const step = wide ? 2 : 1;
  let parts = 1;
  let cutAt = -1;
  let firstNul = -1;
  for (let i = 1; i + step <= data.length; i += step) {
    if (data[i] !== 0 || (wide && data[i + 1] !== 0)) continue;
    // A terminator closing the frame starts no value.
    if (i + step >= data.length) break;
    if (firstNul < 0) firstNul = i;
    parts++;
    if (parts === keep + 1) cutAt = i;
  }
  if (parts <= over || cutAt < 0) return null;
  const description = firstNul < 0 ? "" : wide ? "" : data.toString("latin1", 1, Math.min(firstNul, 41));
  return { data: data.subarray(0, cutAt), count: parts, description };
}

function shownId(id: string): string {
  return id.replace(/[\p{Cc}\p{Cf}]/gu, "?").slice(0, 45);
}
