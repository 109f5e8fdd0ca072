/**
 * A WAV file's tag chunks (RIFF `LIST` INFO, `id3 `) read by shelfwise and handed to music-metadata as a small WAV of
 * its header chunks and tag chunks: the parser reads a chunk whole into memory and steps over the audio by the size
 * its header claims, so
 * - a `data` chunk whose size runs past the file's end (0xFFFFFFFF, as encoders write while streaming; a download cut
 *   short) ended the parse there: the LIST and id3 chunks after the audio were never read, without a word. Its tags
 *   are looked for in the file's last TAIL_BYTES: a tag chunk whose chunks run on to the file's end;
 * - an id3 chunk over MAX_ID3_CHUNK_BYTES or a LIST over MAX_LIST_BYTES (a size field of 4 GB in a file that large)
 *   was read whole. Such a chunk is left out, with a note.
 * One 8-byte read per chunk header, MAX_CHUNKS at most.
 */
import type { FileHandle } from "node:fs/promises";

const MAX_CHUNKS = 1000;
/** Tags after the audio sit at the file's end: how far back from it they are looked for. */
const TAIL_BYTES = 1024 * 1024;
/** RIFF INFO items are short text; a LIST of other kinds (adtl: a label per cue) a few hundred KB at most. */
export const MAX_LIST_BYTES = 16 * 1024 * 1024;
/** The bound file-tags.ts puts on an ID3v2 tag (MAX_ID3_TAG_BYTES): cover art included. */
const MAX_ID3_CHUNK_BYTES = 64 * 1024 * 1024;
/** Other chunks kept for the parser (fmt, fact, CSET: a few dozen bytes); larger ones (audio, junk, padding) are not. */
const MAX_OTHER_BYTES = 4096;
const TAG_CHUNK = /^(?:LIST|id3 |ID3 )$/u;
const CHUNK_ID = /^[\x20-\x7e]{4}$/u;

export interface RiffTags {
  /** A WAV of the file's own header and tag chunks, for the parser. */
  bytes: Buffer;
  notes: string[];
}

/** The WAV at `handle` (`size` bytes) as its tag chunks, or null when it is no RIFF WAVE file. */
export async function riffTagsBounded(handle: FileHandle, size: number): Promise<RiffTags | null> {
  const head = Buffer.alloc(12);
  const { bytesRead } = await handle.read(head, 0, 12, 0);
  if (bytesRead < 12 || head.toString("latin1", 0, 4) !== "RIFF" || head.toString("latin1", 8, 12) !== "WAVE") return null;
  const kept: Buffer[] = [];
  const notes: string[] = [];
  let data: Buffer | null = null;
  const chunk = Buffer.alloc(8);
  let at = 12;
  for (let seen = 0; at + 8 <= size && seen < MAX_CHUNKS; seen++) {
    const { bytesRead: got } = await handle.read(chunk, 0, 8, at);
    if (got < 8) break;
    const id = chunk.toString("latin1", 0, 4);
    const length = chunk.readUInt32LE(4);
    const end = at + 8 + length;
    if (end > size && !TAG_CHUNK.test(id)) {
      // The audio (or whatever runs on) claims more than the file holds: its tags, if any, are at the end.
      if (id === "data") data = Buffer.from(chunk);
      const tail = await tagsAtEnd(handle, at + 8, size);
      if (tail !== null) kept.push(...(await readChunks(handle, tail, size, notes)));
      break;
    }
    if (id === "data") data = Buffer.from(chunk);
    else kept.push(...(await readChunks(handle, at, Math.min(end + (length % 2), size), notes, 1)));
    at = end + (length % 2);
  }
  // The audio's chunk header goes last, its size as claimed: the parser ends there, having read every tag before it.
  const body = Buffer.concat([Buffer.from("WAVE", "latin1"), ...kept, ...(data === null ? [] : [data])]);
  const riff = Buffer.from("RIFF\0\0\0\0", "latin1");
  riff.writeUInt32LE(Math.min(0xffffffff, body.length + (data === null ? 0 : data.readUInt32LE(4))), 4);
  return { bytes: Buffer.concat([riff, body]), notes };
}

/** Chunks from `from` up to `to` (the first `limit` of them), each read whole when it is a tag or a small header chunk. */
async function readChunks(handle: FileHandle, from: number, to: number, notes: string[], limit = MAX_CHUNKS): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const chunk = Buffer.alloc(8);
  for (let at = from, n = 0; at + 8 <= to && n < limit; n++) {
    const { bytesRead } = await handle.read(chunk, 0, 8, at);
    if (bytesRead < 8) break;
    const id = chunk.toString("latin1", 0, 4);
    const length = chunk.readUInt32LE(4);
    const bound = id === "LIST" ? MAX_LIST_BYTES : id === "id3 " || id === "ID3 " ? MAX_ID3_CHUNK_BYTES : MAX_OTHER_BYTES;
    // A chunk cut by the file's end is read as far as it goes (riff-chunks.ts says what it lost): a size field of
    // 4 GB costs no more than the bytes the file holds.
    const held = Math.min(length + (length % 2), to - at - 8);
    if (held > bound) {
      if (TAG_CHUNK.test(id)) notes.push(`its ${id.trim()} chunk (tags) holds ${held} bytes, over the ${bound} shelfwise reads of one: left out unread`);
    } else {
      const whole = Buffer.alloc(8 + held);
      const { bytesRead: got } = await handle.read(whole, 0, whole.length, at);
      out.push(got === whole.length ? whole : whole.subarray(0, got));
    }
    at += 8 + length + (length % 2);
  }
  return out;
}

/**
 * Where the tag chunks after an audio chunk of unknown length start: the first LIST INFO or id3 chunk in the file's
 * last TAIL_BYTES from which whole chunks run on to the file's end. Null when there is none.
 */
async function tagsAtEnd(handle: FileHandle, audioStart: number, size: number): Promise<number | null> {
  const start = Math.max(audioStart, size - TAIL_BYTES);
  const tail = Buffer.alloc(size - start);
  const { bytesRead } = await handle.read(tail, 0, tail.length, start);
  const bytes = tail.subarray(0, bytesRead);
  for (let i = 0; i + 8 <= bytes.length; i++) {
    const id = bytes.toString("latin1", i, i + 4);
    if (!TAG_CHUNK.test(id)) continue;
    if (id === "LIST" && bytes.toString("latin1", i + 8, i + 12) !== "INFO") continue;
    if (runsToEnd(bytes, i)) return start + i;
  }
  return null;
}

function runsToEnd(bytes: Buffer, from: number): boolean {
  let at = from;
  for (let n = 0; n < MAX_CHUNKS && at + 8 <= bytes.length; n++) {
    if (!CHUNK_ID.test(bytes.toString("latin1", at, at + 4))) return false;
    const length = bytes.readUInt32LE(at + 4);
    at += 8 + length + (length % 2);
  }
  // The last chunk may leave out its pad byte.
  return at === bytes.length || at === bytes.length + 1;
}
