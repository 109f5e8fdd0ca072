/**
 * What the frame headers of the ID3v2 tag that starts a file say that music-metadata does not hand over: the genre
 * frame's text as the file holds it (TCON, v2.2's TCO), for id3-genre.ts to read by the spec, and which frames are
 * compressed or encrypted (music-metadata reads their bytes as text: a title "\0\0dx\x9c..." or "慧扲条�"). One read
 * of the tag's first FIRST_WINDOW bytes, where taggers write their text frames, and one of GENRE_WINDOW when the
 * genre frame is not whole in them; frames past the window are not looked at, and an unsynchronised v2.2/v2.3 tag
 * not at all (its bytes are not the frames' as they stand): music-metadata's reading is kept.
 */
import type { FileHandle } from "node:fs/promises";
import { decodeId3Text } from "./id3-value-bound.js";
import { syncsafeAt } from "./syncsafe.js";

const FIRST_WINDOW = 4096;
const GENRE_WINDOW = 64 * 1024;
const FRAME_ID = /^[A-Z0-9]{3,4}$/u;

export interface Id3FrameScan {
  /** The genre frame's text, or null when it was not found or not read plainly. */
  genre: string | null;
  /** Frames whose bytes are not their text, and why. */
  unreadable: { id: string; why: "compressed" | "encrypted" }[];
}

/** The ID3v2.`major` tag that starts the file scanned; `genre` says whether its genre frame is wanted. */
export async function scanId3Frames(handle: FileHandle, major: number, genre: boolean): Promise<Id3FrameScan | null> {
  const head = Buffer.alloc(10);
  const { bytesRead } = await handle.read(head, 0, 10, 0);
  if (bytesRead < 10 || head.toString("latin1", 0, 3) !== "ID3" || head[3] !== major) return null;
  // v2.2 and v2.3 unsynchronise the tag whole: its bytes are not the frames' as they stand.
  if (major < 4 && (head[5] & 0x80) !== 0) return null;
  const tagSize = syncsafeAt(head, 6);
  let scan: Id3FrameScan | null = null;
  for (const window of [FIRST_WINDOW, GENRE_WINDOW]) {
    const size = Math.min(tagSize, window);
    const tag = Buffer.alloc(size);
    const { bytesRead: got } = await handle.read(tag, 0, size, 10);
    scan = walkFrames(tag.subarray(0, got), major, (head[5] & 0x40) !== 0);
    if (!genre || scan.genre !== null || size === tagSize) return scan;
  }
  return scan;
}

function walkFrames(tag: Buffer, major: number, extended: boolean): Id3FrameScan {
  const scan: Id3FrameScan = { genre: null, unreadable: [] };
  let at = 0;
  if (extended && major >= 3) {
    if (tag.length < 4) return scan;
    // v2.3's extended header size leaves out its own 4 bytes; v2.4's (syncsafe) counts them.
    at = major === 3 ? 4 + tag.readUInt32BE(0) : syncsafeAt(tag, 0);
  }
  const headLength = major === 2 ? 6 : 10;
  const genreId = major === 2 ? "TCO" : "TCON";
  while (at + headLength <= tag.length && tag[at] !== 0) {
    const id = tag.toString("latin1", at, at + (major === 2 ? 3 : 4));
    // Not a frame's id: padding that does not start with zeros, or sizes misread (iTunes' plain v2.4 sizes).
    if (!FRAME_ID.test(id)) break;
    const size = major === 4 ? syncsafeAt(tag, at + 4) : major === 3 ? tag.readUInt32BE(at + 4) : tag.readUIntBE(at + 3, 3);
    const end = at + headLength + size;
    if (end > tag.length) break;
    const flags = major === 2 ? 0 : tag.readUInt16BE(at + 8);
    const why = unreadableWhy(major, flags);
    if (why !== null) scan.unreadable.push({ id, why });
    else if (id === genreId) scan.genre = frameText(tag.subarray(at + headLength, end), major, flags);
    at = end;
  }
  return scan;
}

function unreadableWhy(major: number, flags: number): "compressed" | "encrypted" | null {
  if (major === 3) return (flags & 0x80) !== 0 ? "compressed" : (flags & 0x40) !== 0 ? "encrypted" : null;
  if (major === 4) return (flags & 0x08) !== 0 ? "compressed" : (flags & 0x04) !== 0 ? "encrypted" : null;
  return null;
}

function frameText(data: Buffer, major: number, flags: number): string | null {
  let body = data;
  if (major === 3 && (flags & 0x20) !== 0) body = body.subarray(1); // grouping identity
  if (major === 4) {
    if ((flags & 0x40) !== 0) body = body.subarray(1);
    if ((flags & 0x01) !== 0) body = body.subarray(4); // data length indicator
    if ((flags & 0x02) !== 0) body = resync(body);
  }
  if (body.length === 0) return null;
  return decodeId3Text(body.subarray(1), body[0]).replace(/\u0000+$/u, "");
}

/** A frame's unsynchronisation undone: each FF 00 was FF. */
function resync(bytes: Buffer): Buffer {
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    out[n++] = bytes[i];
    if (bytes[i] === 0xff && bytes[i + 1] === 0) i++;
  }
  return out.subarray(0, n);
}
