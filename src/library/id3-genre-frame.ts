/**
 * What the frame headers of the ID3v2 tag that starts a file say that music-metadata does not hand over: the genre
 * frame's text as the file holds it (TCON, v2.2's TCO), for id3-genre.ts to read by the spec, which frames are
 * encrypted or compressed past reading (music-metadata reads their bytes as text: a title "\0\0dx\x9c..." or
 * "慧扲条�"), and how many compressed frames inflate (id3-frame-inflate.ts), for the tag to be read again with them
 * inflated. The whole tag is walked, to MAX_ID3_TAG_BYTES, as id3-value-bound.ts makes it plain (an unsynchronised
 * v2.2/v2.3 tag resynchronised, an extended header taken out): a frame past the first 64 KB, after cover art, is
 * seen as one before it.
 */
import type { FileHandle } from "node:fs/promises";
import { inflateBudget, unwrapFrame } from "./id3-frame-inflate.js";
import { decodeId3Text, plainId3 } from "./id3-value-bound.js";
import { syncsafeAt } from "./syncsafe.js";

/** Bytes of the genre frame's text read: a genre list is a few dozen bytes, a crafted one 64 MB. */
const GENRE_BYTES = 64 * 1024;
/** Frames named in the scan as unreadable: each one gets its note. */
const MAX_UNREADABLE = 20;
const FRAME_ID = /^[A-Z0-9]{3,4}$/u;

export interface Id3FrameScan {
  /** The tag's version (3 for ID3v2.3): what it says holds for music-metadata's reading of that version alone. */
  major: number;
  /** The genre frame's text, or null when it was not found or not read plainly. */
  genre: string | null;
  /** Frames whose bytes are not their text, and why ("encrypted", "compressed and inflates past ..."). */
  unreadable: { id: string; why: string }[];
  /** Compressed frames that inflate (their ids): the tag is read again with them inflated (id3-value-bound.ts). */
  inflated: string[];
}

/** The ID3v2.`major` tag that starts the file scanned; null when it does not start with one of `major`. */
export async function scanId3Frames(handle: FileHandle, major: number, maxTagBytes: number): Promise<Id3FrameScan | null> {
  const head = Buffer.alloc(10);
  const { bytesRead } = await handle.read(head, 0, 10, 0);
  if (bytesRead < 10 || head.toString("latin1", 0, 3) !== "ID3" || head[3] !== major) return null;
  const size = syncsafeAt(head, 6);
  if (size > maxTagBytes) return null;
  const tag = Buffer.alloc(10 + size);
  let filled = 0;
  for (let read = -1; read !== 0 && filled < tag.length; filled += read) ({ bytesRead: read } = await handle.read(tag, filled, tag.length - filled, filled));
  return scanId3Tag(tag.subarray(0, filled));
}

/** The ID3v2 tag at the start of `bytes` (header included) scanned; null when it cannot be walked. */
export function scanId3Tag(bytes: Buffer): Id3FrameScan | null {
  const plain = plainId3(bytes);
  return plain === null ? null : walkFrames(plain.body, plain.major);
}

function walkFrames(tag: Buffer, major: number): Id3FrameScan {
  const scan: Id3FrameScan = { major, genre: null, unreadable: [], inflated: [] };
  const budget = inflateBudget();
  let at = 0;
  const headLength = major === 2 ? 6 : 10;
  const genreId = major === 2 ? "TCO" : "TCON";
  while (at + headLength <= tag.length && tag[at] !== 0) {
    const id = tag.toString("latin1", at, at + (major === 2 ? 3 : 4));
    // Not a frame's id: padding that does not start with zeros, or sizes misread (iTunes' plain v2.4 sizes).
    if (!FRAME_ID.test(id)) break;
    const size = major === 4 ? syncsafeAt(tag, at + 4) : major === 3 ? tag.readUInt32BE(at + 4) : tag.readUIntBE(at + 3, 3);
    const end = at + headLength + size;
    if (end > tag.length) break;
    const flags = major === 2 ? 0 : tag[at + 9];
    const data = tag.subarray(at + headLength, end);
    const compressed = (major === 3 && (flags & 0x80) !== 0) || (major === 4 && (flags & 0x08) !== 0);
    // Only the genre frame and compressed ones are read: the others' text is music-metadata's.
    if (compressed || (flags & (major === 3 ? 0x40 : 0x04)) !== 0 || id === genreId) {
      const unwrapped = major === 2 ? { data, inflated: false } : unwrapFrame(major, flags, data, budget);
      if ("why" in unwrapped) {
        if (scan.unreadable.length < MAX_UNREADABLE) scan.unreadable.push({ id, why: unwrapped.why });
      } else {
        if (unwrapped.inflated && scan.inflated.length < MAX_UNREADABLE) scan.inflated.push(id);
        if (id === genreId) scan.genre = frameText(unwrapped.data);
      }
    }
    at = end;
  }
  return scan;
}

function frameText(data: Buffer): string | null {
  if (data.length === 0) return null;
  return decodeId3Text(data.subarray(1, GENRE_BYTES), data[0]).replace(/\u0000+$/u, "");
}
