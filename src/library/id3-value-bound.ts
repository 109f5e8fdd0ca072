/**
 * An ID3v2 text frame listing one value a hundred thousand times (ID3v2.4 parts its values at NUL) is cut to its
 * first values before music-metadata reads it: it took ~6 s for 100,000 values of one 1.4 MB frame, so a frame of a
 * few million (well inside the 64 MB a tag may hold) ran past the reading thread's limit and the file lost all its
 * tags. Only tags over WALK_FROM_BYTES are walked (a book's text alone never fills one; cover art is passed over by
 * its frame header), so an ordinary file costs nothing.
 */
import { lazyRegExp } from "../domain/lazy-regexp.js";
import { inflateBudget, unwrapFrame } from "./id3-frame-inflate.js";
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
 * Text frames a tag keeps in all past the standard ones (TXXX and WXXX of any description, COMM, text frames of ids
 * no version defines): 500,000 distinct TXXX names (a 10 MB tag) took music-metadata ~6 s and 460 MB. Taggers write a
 * few dozen; foobar2000's and Mp3tag's with every MusicBrainz and ReplayGain field, under two hundred.
 */
export const MAX_TEXT_FRAMES_IN_TAG = 4096;
/** Other frames (chapters, pictures, lyrics, private data, unknown ids) a tag keeps in all. */
export const MAX_OTHER_FRAMES_IN_TAG = 10_000;
/**
 * Bytes of frames other than pictures a tag keeps in all: the parser makes strings and objects of them (a 64 MB tag of
 * 16 KB TXXX values, hundreds of MB of heap). A book's text, a long description and lyrics included, is under 1 MB;
 * each value past MAX_TAG_TEXT_CHARS (file-tags.ts) is left out after the parse anyway.
 */
export const MAX_FRAME_BYTES_IN_TAG = 16 * 1024 * 1024;
const PICTURE_FRAME = new Set(["APIC", "PIC"]);

/**
 * The ID3v2 tag at the start of `bytes` (the tag whole, header included) as music-metadata can read it and in what
 * it costs to read:
 * - every text frame (T***, TXXX) of over MAX_PARSED_VALUES values cut to its first ones (a TXXX keeps its
 *   description too), and one key's frames past the first `readValues` (text, comments, links) or MAX_PARSED_VALUES
 *   (any other) left out;
 * - text frames past MAX_TEXT_FRAMES_IN_TAG (the standard ids not counted, so frames written first cannot push the
 *   title out) and other frames past MAX_OTHER_FRAMES_IN_TAG left out;
 * - an ID3v2.2 or v2.3 tag's unsynchronisation undone (music-metadata reads the tag's bytes as they are: a UTF-16
 *   mark FF FE, written FF 00 FE, and every frame after it were misread, as in iTunes' ID3v2.2 tags with art), and an
 *   extended header taken out (it only says what the tag was checked or restricted with; music-metadata skips a
 *   fixed 10 bytes for one).
 * - a compressed frame inflated (id3-frame-inflate.ts), its flags cleared: music-metadata read its bytes as text.
 * Null when none of this applies or the tag cannot be walked (compressed ID3v2.2): it is read as it is. `readValues`
 * is how many values are read in the end, as the notes say.
 */
export function boundId3Values(bytes: Buffer, readValues: number): BoundedId3 | null {
  let budget = MAX_PARSED_IN_TAG;
  const plainTag = plainId3(bytes);
  if (plainTag === null) return null;
  const { major, body, changed } = plainTag;
  const wide = major !== 2;
  const headLength = wide ? 10 : 6;
  const out: Buffer[] = [];
  const notes: string[] = [];
  const repeats = new Map<string, number>();
  let textFrames = 0;
  let otherFrames = 0;
  let textLeftOut = 0;
  let otherLeftOut = 0;
  let keptBytes = 0;
  let bytesLeftOut = 0;
  const inflations = inflateBudget();
  let inflated = 0;
  let at = 0;
  for (; at + headLength <= body.length && body[at] !== 0; ) {
    const id = body.toString("latin1", at, at + (wide ? 4 : 3));
    const size = major === 4 ? syncsafeAt(body, at + 4) : major === 3 ? body.readUInt32BE(at + 4) : body.readUIntBE(at + 3, 3);
    const next = at + headLength + size;
    if (next > body.length) break;
    let frame = body.subarray(at, next);
    let data = body.subarray(at + headLength, next);
    let frameSize = size;
    // Encrypted or unsynchronised frames (format flags) are left as they are; compressed ones inflated where they
    // inflate (id3-frame-inflate.ts; those that do not are left out after the parse, with a note).
    let plain = !wide || (body[at + 9] & (major === 4 ? 0x0f : 0xc0)) === 0;
    if (wide && (body[at + 9] & (major === 4 ? 0x08 : 0x80)) !== 0) {
      const unwrapped = unwrapFrame(major, body[at + 9], data, inflations);
      if (!("why" in unwrapped)) {
        data = unwrapped.data;
        frameSize = data.length;
        const head = Buffer.from(body.subarray(at, at + headLength));
        head[9] = 0;
        if (major === 4) writeSyncsafe(head, 4, frameSize);
        else head.writeUInt32BE(frameSize, 4);
        frame = Buffer.concat([head, data]);
        plain = true;
        inflated++;
      }
    }
    const text = TEXT_FRAME().test(id);
    const counted = text ? !STANDARD_TEXT_FRAMES.has(id) : true;
    // Past the tag's bound a frame is left out before its description is read: the walk of 500,000 stays ~0.1 s.
    if (counted && (text ? textFrames >= MAX_TEXT_FRAMES_IN_TAG : otherFrames >= MAX_OTHER_FRAMES_IN_TAG)) {
      if (text) textLeftOut++;
      else otherLeftOut++;
      at = next;
      continue;
    }
    const user = id === "TXXX" || id === "WXXX" || id === "TXX" || id === "WXX";
    // One key's frames past the first ones (100,000 TXXX:SERIES frames took ~3 s, a million would pass the thread's
    // limit) are left out; chapters and other frames a book may hold hundreds of keep more.
    const key = user ? `${id}:${frameDescription(data)}` : id;
    const seen = (repeats.get(key) ?? 0) + 1;
    repeats.set(key, seen);
    if (seen > (text ? readValues : MAX_PARSED_VALUES)) {
      at = next;
      continue;
    }
    // Pictures are passed over by the parser (skipCovers); every other frame's bytes become its objects and strings.
    if (!PICTURE_FRAME.has(id)) {
      if (keptBytes + frameSize > MAX_FRAME_BYTES_IN_TAG) {
        bytesLeftOut++;
        at = next;
        continue;
      }
      keptBytes += frameSize;
    }
    if (counted && text) textFrames++;
    else if (counted) otherFrames++;
    const keep = budget >= MAX_PARSED_VALUES ? MAX_PARSED_VALUES : readValues;
    const userText = id === "TXXX" || id === "TXX";
    const cut = plain && id.startsWith("T") && frameSize > MAX_PARSED_VALUES ? cutValues(data, MAX_PARSED_VALUES, userText ? keep + 1 : keep) : null;
    if (cut === null) out.push(frame);
    else {
      const head = Buffer.from(frame.subarray(0, headLength));
      if (major === 4) writeSyncsafe(head, 4, cut.data.length);
      else if (major === 3) head.writeUInt32BE(cut.data.length, 4);
      else head.writeUIntBE(cut.data.length, 3, 3);
      out.push(head, cut.data);
      const description = userText ? `${id}:${cut.description}` : id;
      budget -= keep;
      notes.push(`its ${shownId(description)} frame holds ${cut.count - (userText ? 1 : 0)} values, over the ${readValues} shelfwise reads; the first ${readValues} were read`);
    }
    at = next;
  }
  for (const [key, count] of repeats) {
    const kept = TEXT_FRAME().test(key.slice(0, wide ? 4 : 3)) ? readValues : MAX_PARSED_VALUES;
    if (count > kept) notes.push(`its ${shownId(key)} frame is repeated ${count} times, over the ${kept} shelfwise reads; the first ${kept} were read`);
  }
  if (notes.length > MAX_NOTES) notes.splice(MAX_NOTES, notes.length - MAX_NOTES, `and ${notes.length - MAX_NOTES} more frames cut the same way`);
  // Said after the cut notes, which are cut to MAX_NOTES: these two say what the tag as a whole lost.
  if (textLeftOut > 0) notes.push(`its ID3v2 tag holds ${MAX_TEXT_FRAMES_IN_TAG + textLeftOut} user-defined or unknown text frames, over the ${MAX_TEXT_FRAMES_IN_TAG} shelfwise reads; the first ${MAX_TEXT_FRAMES_IN_TAG} were read, ${textLeftOut} more left out unread`);
  if (otherLeftOut > 0) notes.push(`its ID3v2 tag holds ${MAX_OTHER_FRAMES_IN_TAG + otherLeftOut} frames other than text, over the ${MAX_OTHER_FRAMES_IN_TAG} shelfwise reads; the first ${MAX_OTHER_FRAMES_IN_TAG} were read, ${otherLeftOut} more left out unread`);
  if (bytesLeftOut > 0) notes.push(`its ID3v2 frames other than pictures hold over the ${MAX_FRAME_BYTES_IN_TAG / (1024 * 1024)} MB shelfwise reads; ${bytesLeftOut === 1 ? "the frame" : `${bytesLeftOut} frames`} past it left out unread`);
  if (notes.length === 0 && !changed && inflated === 0) return null;
  const rebuilt = notes.length === 0 && inflated === 0 ? [body] : out;
  const length = rebuilt.reduce((sum, part) => sum + part.length, 0);
  const header = Buffer.from(bytes.subarray(0, 10));
  // The footer is not rebuilt; the extended header is out and ID3v2.2's and v2.3's unsynchronisation undone.
  header[5] &= ~0xd0;
  writeSyncsafe(header, 6, length);
  return { tag: Buffer.concat([header, ...rebuilt]), notes };
}

/**
 * The frames of the ID3v2 tag at the start of `bytes` as a parser can walk them: an ID3v2.2 or v2.3 tag's
 * unsynchronisation undone (v2.4 marks it frame by frame, which music-metadata reads; a v2.4 header's flag alone is
 * undone in v24Resynced), an extended header taken out.
 * Null for what cannot be walked: no tag, an unknown version, a compressed ID3v2.2 tag, an extended header that
 * does not fit.
 */
export function plainId3(bytes: Buffer): { major: number; body: Buffer; changed: boolean } | null {
  if (bytes.length < 10 || bytes.toString("latin1", 0, 3) !== "ID3") return null;
  const major = bytes[3];
  const flags = bytes[5];
  if (major !== 2 && major !== 3 && major !== 4) return null;
  // ID3v2.2's second flag is compression, which no scheme was ever given for.
  if (major === 2 && (flags & 0x40) !== 0) return null;
  let body = bytes.subarray(10, Math.min(bytes.length, 10 + syncsafeAt(bytes, 6)));
  let changed = false;
  if (major !== 4 && (flags & 0x80) !== 0) {
    body = withoutUnsync(body);
    changed = true;
  }
  if (major !== 2 && (flags & 0x40) !== 0) {
    if (body.length < 6) return null;
    // ID3v2.3 counts the extended header's size without its own 4 bytes, ID3v2.4 (in syncsafe digits) with them.
    const extended = major === 3 ? 4 + body.readUInt32BE(0) : syncsafeAt(body, 0);
    if (extended < 6 || extended > body.length) return null;
    body = body.subarray(extended);
    changed = true;
  }
  if (major === 4 && (flags & 0x80) !== 0) {
    body = v24Resynced(body);
    changed = true;
  }
  return { major, body, changed };
}

/**
 * An ID3v2.4 tag whose header says every frame is unsynchronised: v2.4 marks it frame by frame too (flag 0x02), which
 * music-metadata reads, but some taggers set the header's flag alone, and the frames' UTF-16 marks (FF FE, written
 * FF 00 FE) and every frame after them were misread. Each such frame's data is resynchronised and its size made the
 * data's. A tag whose frames do not walk so was unsynchronised whole, frame headers included, as ID3v2.3 does (the
 * sizes those of the frames before the scheme): it is undone whole. A tag that walks neither way is left as it is.
 */
function v24Resynced(body: Buffer): Buffer {
  const frames = v24Frames(body);
  if (frames !== null) {
    const out: Buffer[] = [];
    for (const { at, next } of frames) {
      const head = Buffer.from(body.subarray(at, at + 10));
      // Compressed, encrypted or length-indicated frames keep their bytes, marked for the parser to resynchronise.
      if ((head[9] & 0x0d) !== 0) {
        head[9] |= 0x02;
        out.push(head, body.subarray(at + 10, next));
        continue;
      }
      const data = withoutUnsync(body.subarray(at + 10, next));
      head[9] &= ~0x02;
      writeSyncsafe(head, 4, data.length);
      out.push(head, data);
    }
    return Buffer.concat(out);
  }
  const whole = withoutUnsync(body);
  return v24Frames(whole) === null ? body : whole;
}

/** The frames of an ID3v2.4 tag's body as its sizes place them, up to its padding; null when one does not fit. */
function v24Frames(body: Buffer): { at: number; next: number }[] | null {
  const frames: { at: number; next: number }[] = [];
  let at = 0;
  for (; at + 10 <= body.length && body[at] !== 0; ) {
    if (!V24_FRAME_ID.test(body.toString("latin1", at, at + 4))) return null;
    const next = at + 10 + syncsafeAt(body, at + 4);
    if (next > body.length) return null;
    frames.push({ at, next });
    at = next;
  }
  return frames.length === 0 || body.subarray(at).some((byte) => byte !== 0) ? null : frames;
}
const V24_FRAME_ID = /^[A-Z0-9]{4}$/u;

/** Bytes with every 0x00 that follows a 0xFF taken out (ID3v2's unsynchronisation, undone). */
function withoutUnsync(bytes: Buffer): Buffer {
  let at = bytes.indexOf(0xff);
  if (at < 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  let from = 0;
  for (; at >= 0 && at + 1 < bytes.length; at = bytes.indexOf(0xff, at + 1)) {
    if (bytes[at + 1] !== 0) continue;
    length += bytes.copy(out, length, from, at + 1);
    from = at + 2;
    at++;
  }
  length += bytes.copy(out, length, from);
  return out.subarray(0, length);
}

/** The text frames ID3v2.2 to v2.4 define (and iTunes' grouping), read however many other text frames a tag holds. */
const STANDARD_TEXT_FRAMES = new Set(
  (
    "TALB TBPM TCOM TCON TCOP TDAT TDLY TENC TEXT TFLT TIME TIT1 TIT2 TIT3 TKEY TLAN TLEN TMED TOAL TOFN TOLY TOPE TORY TOWN TPE1 TPE2 TPE3 TPE4 " +
    "TPOS TPUB TRCK TRDA TRSN TRSO TSIZ TSRC TSSE TYER TDRC TDOR TDRL TDTG TDEN TSOA TSOP TSOT TSST TMOO TIPL TMCL TPRO TSO2 TSOC TCMP TCAT " +
    "TDES TGID TKWD GRP1 TAL TBP TCM TCO TCR TDA TDY TEN TFT TIM TKE TLA TLE TMT TOA TOF TOL TOR TOT TP1 TP2 TP3 TP4 TPA TPB TRC TRD TRK TSI TSS " +
    "TT1 TT2 TT3 TXT TYE TCP TS2 TSA TSC TSP TST"
  ).split(" "),
);

const MAX_NOTES = 10;
/** Frames a book's tags are read from: text, user text, comments, links. */
const TEXT_FRAME = lazyRegExp(() => /^(?:T[A-Z0-9]{2,3}|COMM?|W[A-Z0-9]{2,3})$/u);

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
