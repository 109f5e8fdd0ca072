/**
 * An ID3v2 text frame listing one value a hundred thousand times (ID3v2.4 parts its values at NUL) is cut to its
 * first values before music-metadata reads it: it took ~6 s for 100,000 values of one 1.4 MB frame, so a frame of a
 * few million (well inside the 64 MB a tag may hold) ran past the reading thread's limit and the file lost all its
 * tags. Only tags over WALK_FROM_BYTES are walked (a book's text alone never fills one; cover art is passed over by
 * its frame header), so an ordinary file costs nothing.
 */
import { lazyRegExp } from "../domain/lazy-regexp.js";
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
 * TXXX) of over MAX_PARSED_VALUES values cut to its first ones (a TXXX keeps its description too), and one key's
 * frames past the first `readValues` (text, comments, links) or MAX_PARSED_VALUES (any other) left out, or null when
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
  const repeats = new Map<string, number>();
  let at = 10;
  for (; at + 10 <= end && bytes[at] !== 0; ) {
    const id = bytes.toString("latin1", at, at + 4);
    const size = major === 4 ? syncsafeAt(bytes, at + 4) : bytes.readUInt32BE(at + 4);
    const next = at + 10 + size;
    if (next > end) break;
    // Compressed, encrypted or unsynchronised frames (format flags) are left as they are.
    const plain = (bytes[at + 9] & (major === 4 ? 0x0f : 0xc0)) === 0;
    // One key's frames past the first ones (100,000 TXXX:SERIES frames took ~3 s, a million would pass the thread's
    // limit) are left out; chapters and other frames a book may hold hundreds of keep more.
    const key = id === "TXXX" || id === "WXXX" ? `${id}:${frameDescription(bytes.subarray(at + 10, next))}` : id;
    const seen = (repeats.get(key) ?? 0) + 1;
    repeats.set(key, seen);
    if (seen > (TEXT_FRAME().test(id) ? readValues : MAX_PARSED_VALUES)) {
      at = next;
      continue;
    }
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
  for (const [key, count] of repeats) {
    const kept = TEXT_FRAME().test(key.slice(0, 4)) ? readValues : MAX_PARSED_VALUES;
    if (count > kept) notes.push(`its ${shownId(key)} frame is repeated ${count} times, over the ${kept} shelfwise reads; the first ${kept} were read`);
  }
  if (notes.length === 0) return null;
  if (notes.length > MAX_NOTES) notes.splice(MAX_NOTES, notes.length - MAX_NOTES, `and ${notes.length - MAX_NOTES} more frames cut the same way`);
  const body = Buffer.concat(out);
  const header = Buffer.from(bytes.subarray(0, 10));
  header[5] &= ~0x10;
  writeSyncsafe(header, 6, body.length);
  return { tag: Buffer.concat([header, body]), notes };
}

const MAX_NOTES = 10;
/** Frames a book's tags are read from: text, user text, comments, links. */
const TEXT_FRAME = lazyRegExp(() => /^(?:T[A-Z0-9]{3}|COMM|W[A-Z0-9]{3})$/u);

/** A TXXX or WXXX frame's description, as music-metadata names the frame by it (`TXXX:SERIES`); cut to 64 characters. */
function frameDescription(data: Buffer): string {
  if (data.length < 2) return "";
  const wide = data[0] === 1 || data[0] === 2;
  let end = 1;
  if (wide) {
    while (end + 1 < data.length && end < 1 + 130 && (data[end] !== 0 || data[end + 1] !== 0)) end += 2;
    return decodeId3Text(data.subarray(1, end), data[0]);
  }
  while (end < data.length && end < 1 + 64 && data[end] !== 0) end++;
  return data.toString(data[0] === 3 ? "utf8" : "latin1", 1, end);
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

/** An ID3v2 text of `encoding` (0 Latin-1, 1 UTF-16 with a byte-order mark, 2 UTF-16BE, 3 UTF-8); a mark overrides 2. */
export function decodeId3Text(bytes: Buffer, encoding: number): string {
  if (encoding === 3) return bytes.toString("utf8");
  if (encoding === 0) return bytes.toString("latin1");
  let body = bytes;
  let bigEndian = encoding === 2;
  if (body.length >= 2 && ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff))) {
    bigEndian = body[0] === 0xfe;
    body = body.subarray(2);
  }
  const even = Buffer.from(body.subarray(0, body.length & ~1));
  if (bigEndian) even.swap16();
  return even.toString("utf16le");
}
