/**
 * A FLAC file whose metadata blocks the file's end cuts (an interrupted download or copy): music-metadata reads a
 * cut VORBIS_COMMENT block as no tags and says nothing. The blocks are walked here to find the cut; a cut comment
 * block gives its whole comments (vorbis-comments.ts), written again as a short FLAC music-metadata parses.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { boundNotes, commentListBytes, cutCommentsNote, needsBound, wholeComments } from "./vorbis-comments.js";
import { syncsafeAt } from "./syncsafe.js";
import { WindowReader } from "./window-reader.js";

/** Blocks walked: real files have a handful; a crafted file of a million empty padding blocks stops here. */
const MAX_FLAC_BLOCKS = 4096;
const BLOCK_NAMES = ["STREAMINFO", "PADDING", "APPLICATION", "SEEKTABLE", "VORBIS_COMMENT", "CUESHEET", "PICTURE"];
const STREAMINFO = 0;
const FIRST_BLOCKS_WINDOW = 4096;
const VORBIS_COMMENT = 4;

export interface FlacCut {
  /** A FLAC of the stream info and the cut comment block's whole comments, or null when the comments were not the cut block. */
  bytes: Buffer | null;
  note: string;
}

/**
 * Where the file's end cuts its metadata blocks, or null when they end whole (or it is no FLAC this walk reads).
 * `afterError`: music-metadata refused the file, and a whole comment block claiming more comments than it holds (its
 * count a tagger got wrong, or a crafted one: the parser reads past the block and throws) is read as far as it goes.
 */
export async function flacCutShort(file: string, afterError = false): Promise<FlacCut | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    const reader = new WindowReader(handle, stats.size);
    let at = 0;
    const id3 = await reader.bytes(0, 10);
    // An ID3v2 tag before "fLaC" (some taggers add one): its size in syncsafe digits, a footer when flagged.
    if (id3.length === 10 && id3.toString("latin1", 0, 3) === "ID3") at = 10 + (((id3[6] & 0x7f) << 21) | ((id3[7] & 0x7f) << 14) | ((id3[8] & 0x7f) << 7) | (id3[9] & 0x7f)) + (id3[5] & 0x10 ? 10 : 0);
    if ((await reader.bytes(at, 4)).toString("latin1") !== "fLaC") return null;
    at += 4;
    let streamInfo: Buffer | null = null;
    let sawComments = false;
    for (let blocks = 0; blocks < MAX_FLAC_BLOCKS; blocks++) {
      const header = await reader.bytes(at, 4);
      if (header.length < 4) return { bytes: null, note: `the file ends inside its FLAC metadata (cut short, as an interrupted download or copy leaves a file)${sawComments ? "" : ": it holds no tags before the cut"}` };
      const type = header[0] & 0x7f;
      const length = header.readUIntBE(1, 3);
      const available = stats.size - at - 4;
      if (length > available) {
        if (type === VORBIS_COMMENT) {
          const list = wholeComments(Buffer.from(await reader.bytes(at + 4, available)), 0);
          const note = [cutCommentsNote("FLAC comment block", list), ...(list?.notes ?? [])].join("; ");
          if (list === null || streamInfo === null) return { bytes: null, note };
          return { bytes: flacWith(streamInfo, commentListBytes(list)), note };
        }
        const name = BLOCK_NAMES[type] ?? `type ${type}`;
        return { bytes: null, note: `the file ends inside its FLAC ${name} block, which claims ${length} bytes where ${available} are left (cut short, as an interrupted download or copy leaves a file)${sawComments ? "; its tags, before the cut, were read" : ": it holds no tags before the cut"}` };
      }
      if (type === STREAMINFO && streamInfo === null) streamInfo = Buffer.from(await reader.bytes(at + 4, length));
      if (type === VORBIS_COMMENT && afterError && streamInfo !== null) {
        const list = wholeComments(Buffer.from(await reader.bytes(at + 4, length)), 0);
        if (list !== null && needsBound(list)) return { bytes: flacWith(streamInfo, commentListBytes(list)), note: boundNotes("FLAC comment block", list).join("; ") };
      }
      if (type === VORBIS_COMMENT) sawComments = true;
      at += 4 + length;
      if (header[0] & 0x80) return null;
    }
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * A FLAC's comment block bounded before music-metadata parses it: a block (up to 16 MB) may list millions of comments
 * of one key or of none (2 million took the parse ~50 s and 1.4 GB, past the reading thread's limit, and the file lost
 * every tag), or a comment whose length runs past the block (music-metadata reads the bytes after it, audio included,
 * as its value). Such a block is written again with the comments wholeComments keeps, in a FLAC of the stream info
 * and that block alone; null when the block needs nothing (the file is parsed as it is), or the blocks are cut short
 * (flacCutShort's case). Walks the block headers before it: one read of the file's first 4 KB for a usual file.
 */
export async function flacCommentsBounded(file: string): Promise<{ bytes: Buffer; notes: string[] } | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    // A usual file's blocks before its comments (stream info, a seek table) fit in one small read.
    const reader = new WindowReader(handle, stats.size, FIRST_BLOCKS_WINDOW);
    // An ID3v2 tag before "fLaC" (some taggers add one) is passed over as flacCutShort does: its comments were unbounded.
    const id3 = await reader.bytes(0, 10);
    let at = id3.length === 10 && id3.toString("latin1", 0, 3) === "ID3" ? 10 + syncsafeAt(id3, 6) + (id3[5] & 0x10 ? 10 : 0) : 0;
    if ((await reader.bytes(at, 4)).toString("latin1") !== "fLaC") return null;
    at += 4;
    let streamInfo: Buffer | null = null;
    for (let blocks = 0; blocks < MAX_FLAC_BLOCKS; blocks++) {
      const header = await reader.bytes(at, 4);
      if (header.length < 4) return null;
      const type = header[0] & 0x7f;
      const length = header.readUIntBE(1, 3);
      if (length > stats.size - at - 4) return null;
      if (type === STREAMINFO && streamInfo === null) streamInfo = Buffer.from(await reader.bytes(at + 4, length));
      if (type === VORBIS_COMMENT) {
        const list = streamInfo === null ? null : wholeComments(await reader.bytes(at + 4, length), 0);
        if (list === null || !needsBound(list)) return null;
        return { bytes: flacWith(streamInfo!, commentListBytes(list)), notes: boundNotes("FLAC comment block", list) };
      }
      if (header[0] & 0x80) return null;
      at += 4 + length;
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** A FLAC of the stream info and one comment block, with no audio: what music-metadata needs to read the comments. */
function flacWith(streamInfo: Buffer, comments: Buffer): Buffer {
  return Buffer.concat([Buffer.from("fLaC", "latin1"), blockHeader(STREAMINFO, false, streamInfo.length), streamInfo, blockHeader(VORBIS_COMMENT, true, comments.length), comments]);
}

function blockHeader(type: number, last: boolean, length: number): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(length);
  header[0] = (last ? 0x80 : 0) | type;
  return header;
}
