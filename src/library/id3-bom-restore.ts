/**
 * An ID3v2 tag whose UTF-16 text has no byte-order mark and is big-endian (utf16-byte-order.ts says who writes so),
 * given its marks back: music-metadata read every such string little-endian, and mending the values it gave
 * afterwards (unswapUtf16) left what it had made of them wrong. A TXXX frame's description came back swapped, so
 * TXXX:SERIES was "TXXX:匀䔀刀䤀䔀匀" and its series lost; a year, track, disc or MVIN position ("2006", "1") was read
 * as no number; a value of one or two characters ("1" as a title or position, "Li" as a name) is too short to tell
 * swapped on its own. Once one value of the tag reads swapped, every UTF-16 string without a mark in the tag is
 * marked big-endian (the tagger wrote them all alike) and the tag parsed again, so the parser's own rules read it.
 */
import { syncsafeAt, writeSyncsafe } from "./syncsafe.js";

/** Frames whose UTF-16 strings are marked here: text frames (one string), and those with a description before it. */
const DESCRIBED = new Set(["TXXX", "TXX", "COMM", "COM", "USLT", "ULT"]);
/** Of those, the ones with a three-letter language before the description. */
const WITH_LANGUAGE = new Set(["COMM", "COM", "USLT", "ULT"]);
const BOM_BE = Buffer.from([0xfe, 0xff]);
const FRAME_ID = /^[A-Z0-9]+$/u;

/**
 * The tag (header and frames, `tag` as the file holds it) with a big-endian mark before each UTF-16 string that has
 * none, its frame and tag sizes made right; null when it holds none or cannot be walked as it stands (unsynchronised,
 * an extended header). Frames compressed, encrypted or unsynchronised on their own are copied as they are.
 */
export function restoreUtf16Marks(tag: Buffer): Buffer | null {
  const major = tag[3];
  if (tag.length < 10 || tag.toString("latin1", 0, 3) !== "ID3" || major < 2 || major > 4 || (tag[5] & 0xc0) !== 0) return null;
  const headLength = major === 2 ? 6 : 10;
  const idLength = major === 2 ? 3 : 4;
  const out: Buffer[] = [Buffer.from(tag.subarray(0, 10))];
  let marked = 0;
  let at = 10;
  while (at + headLength <= tag.length && FRAME_ID.test(tag.toString("latin1", at, at + idLength))) {
    const id = tag.toString("latin1", at, at + idLength);
    const length = major === 2 ? tag.readUIntBE(at + 3, 3) : major === 4 ? syncsafeAt(tag, at + 4) : tag.readUInt32BE(at + 4);
    if (at + headLength + length > tag.length) break;
    const data = tag.subarray(at + headLength, at + headLength + length);
    // v2.3's second flag byte 0xe0 and v2.4's 0x0f hold compression, encryption, unsynchronisation and length fields.
    const formatFlags = major === 3 ? tag[at + 9] & 0xe0 : major === 4 ? tag[at + 9] & 0x0f : 0;
    const fixed = formatFlags === 0 && data[0] === 1 && (id[0] === "T" || id === "MVNM" || id === "MVIN" || id === "GRP1" || DESCRIBED.has(id)) ? marked16(id, data) : null;
    if (fixed === null) out.push(tag.subarray(at, at + headLength + length));
    else {
      marked++;
      const head = Buffer.from(tag.subarray(at, at + headLength));
      if (major === 2) head.writeUIntBE(fixed.length, 3, 3);
      else if (major === 4) writeSyncsafe(head, 4, fixed.length);
      else head.writeUInt32BE(fixed.length, 4);
      out.push(head, fixed);
    }
    at += headLength + length;
  }
  if (marked === 0) return null;
  out.push(tag.subarray(at));
  const rebuilt = Buffer.concat(out);
  writeSyncsafe(rebuilt, 6, rebuilt.length - 10);
  return rebuilt;
}

/** A UTF-16 frame's data with a big-endian mark before each string that has none; null when each has one. */
function marked16(id: string, data: Buffer): Buffer | null {
  const parts: Buffer[] = [data.subarray(0, 1)];
  let at = 1;
  if (WITH_LANGUAGE.has(id)) {
    parts.push(data.subarray(1, 4));
    at = 4;
  }
  let added = false;
  const mark = (start: number) => {
    if (start + 1 < data.length && ((data[start] === 0xff && data[start + 1] === 0xfe) || (data[start] === 0xfe && data[start + 1] === 0xff))) return;
    if (start >= data.length) return;
    parts.push(BOM_BE);
    added = true;
  };
  if (DESCRIBED.has(id)) {
    let end = at;
    while (end + 1 < data.length && (data[end] !== 0 || data[end + 1] !== 0)) end += 2;
    mark(at);
    parts.push(data.subarray(at, Math.min(end + 2, data.length)));
    at = Math.min(end + 2, data.length);
  }
  mark(at);
  parts.push(data.subarray(at));
  return added ? Buffer.concat(parts) : null;
}


