/**
 * The text of an ID3v2 tag's genre frame (TCON, v2.2's TCO) as the file holds it, for id3-genre.ts to read by the
 * spec: music-metadata hands over only its own reading of it. One read of the tag's first FIRST_WINDOW bytes, where
 * taggers write their text frames, and one of GENRE_WINDOW when the frame is not whole in them (text frames come
 * before cover art in what taggers write); null whenever the frame is not read plainly there (an
 * unsynchronised v2.2/v2.3 tag, a compressed or encrypted frame, a frame past the window): music-metadata's reading
 * is kept.
 */
import type { FileHandle } from "node:fs/promises";
import { decodeId3Text } from "./id3-value-bound.js";
import { syncsafeAt } from "./syncsafe.js";

const FIRST_WINDOW = 4096;
const GENRE_WINDOW = 64 * 1024;

/** The genre frame's text of the ID3v2.`major` tag that starts the file, or null. */
export async function id3GenreText(handle: FileHandle, major: number): Promise<string | null> {
  const head = Buffer.alloc(10);
  const { bytesRead } = await handle.read(head, 0, 10, 0);
  if (bytesRead < 10 || head.toString("latin1", 0, 3) !== "ID3" || head[3] !== major) return null;
  // v2.2 and v2.3 unsynchronise the tag whole: its bytes are not the frames' as they stand.
  if (major < 4 && (head[5] & 0x80) !== 0) return null;
  const tagSize = syncsafeAt(head, 6);
  for (const window of [FIRST_WINDOW, GENRE_WINDOW]) {
    const size = Math.min(tagSize, window);
    const tag = Buffer.alloc(size);
    const { bytesRead: got } = await handle.read(tag, 0, size, 10);
    const text = genreFrameText(tag.subarray(0, got), major, (head[5] & 0x40) !== 0);
    if (text !== null || size === tagSize) return text;
  }
  return null;
}

function genreFrameText(tag: Buffer, major: number, extended: boolean): string | null {
  let at = 0;
  if (extended && major >= 3) {
    if (tag.length < 4) return null;
    // v2.3's extended header size leaves out its own 4 bytes; v2.4's (syncsafe) counts them.
    at = major === 3 ? 4 + tag.readUInt32BE(0) : syncsafeAt(tag, 0);
  }
  const headLength = major === 2 ? 6 : 10;
  const wanted = major === 2 ? "TCO" : "TCON";
  while (at + headLength <= tag.length && tag[at] !== 0) {
    const id = tag.toString("latin1", at, at + wanted.length);
    const size = major === 4 ? syncsafeAt(tag, at + 4) : major === 3 ? tag.readUInt32BE(at + 4) : tag.readUIntBE(at + 3, 3);
    const end = at + headLength + size;
    if (end > tag.length) return null;
    if (id === wanted) return frameText(tag.subarray(at + headLength, end), major, major === 2 ? 0 : tag.readUInt16BE(at + 8));
    at = end;
  }
  return null;
}

function frameText(data: Buffer, major: number, flags: number): string | null {
  let body = data;
  if (major === 3) {
    if ((flags & 0xc0) !== 0) return null; // compressed, encrypted
    if ((flags & 0x20) !== 0) body = body.subarray(1); // grouping identity
  } else if (major === 4) {
    if ((flags & 0x0c) !== 0) return null; // compressed, encrypted
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
