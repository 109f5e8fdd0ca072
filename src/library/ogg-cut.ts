/**
 * An Ogg file (Opus, Vorbis, Speex) whose comment header the file's end cuts: music-metadata reads no tags from it
 * when the cut falls in its first page, and otherwise keeps the comment the cut went through as if it were whole. Its
 * whole comments (vorbis-comments.ts) are written again as a short Ogg stream music-metadata parses.
 */
import type { FileHandle } from "node:fs/promises";
import { oggHeaderPackets, oggPages } from "./ogg-pages.js";
import { boundNotes, commentListBytes, cutCommentsNote, needsBound, overclaimedNote, wholeComments } from "./vorbis-comments.js";
import type { WindowReader } from "./window-reader.js";

export interface OggCut {
  /** The identification header and the whole comments (none, when none is whole) as an Ogg stream. */
  bytes: Buffer;
  note: string;
}

/** The comment header's magic by the codec's identification header, and what follows the list (Vorbis' framing bit). */
function commentLayout(id: Buffer): { magic: Buffer; after: Buffer } | null {
  const text = id.toString("latin1", 0, 8);
  if (text === "OpusHead") return { magic: Buffer.from("OpusTags", "latin1"), after: Buffer.alloc(0) };
  if (text.startsWith("\u0001vorbis")) return { magic: Buffer.from("\u0003vorbis", "latin1"), after: Buffer.from([1]) };
  if (text === "Speex   ") return { magic: Buffer.alloc(0), after: Buffer.alloc(0) };
  if (text.startsWith("\u0080theora")) return { magic: Buffer.from("\u0081theora", "latin1"), after: Buffer.alloc(0) };
  // Ogg FLAC keeps its comments in a FLAC metadata block: not read again here.
  return null;
}

/**
 * The cut comment header's whole comments, or null when the header is whole (or its codec is not one read here).
 * `afterError`: music-metadata refused the file, and a whole header claiming more comments than it holds (the parser
 * reads past it and throws) is read as far as it goes.
 */
export async function oggCutComments(handle: FileHandle, fileSize: number, afterError = false): Promise<OggCut | null> {
  const packets = await oggHeaderPackets(handle, fileSize);
  if (packets === null || (packets.complete && !afterError)) return null;
  const layout = commentLayout(packets.id);
  if (layout === null) return null;
  const hasMagic = packets.comments.length >= layout.magic.length && packets.comments.subarray(0, layout.magic.length).equals(layout.magic);
  const list = hasMagic ? wholeComments(packets.comments, layout.magic.length) : null;
  if (packets.complete && (list === null || list.held >= list.claimed)) return null;
  const note = packets.complete ? overclaimedNote("comment header", list!) : hasMagic ? [cutCommentsNote("comment header", list), ...(list?.notes ?? [])].join("; ") : "the file ends before its comment header (cut short, as an interrupted download or copy leaves a file): it holds no tags";
  // With no comment to keep, an empty list: what the parser made of the cut bytes is no tag.
  const kept = list ?? { vendor: Buffer.alloc(0), comments: [] };
  return { bytes: oggPages([packets.id, Buffer.concat([layout.magic, commentListBytes(kept), layout.after])], packets.serial), note };
}

/**
 * The first stream's comment header bounded before music-metadata parses it, as flac-cut.ts flacCommentsBounded does a
 * FLAC's: 64 MB of pages may list 16 million comments (200,000 of one key took the parse ~1.5 s, a few million past
 * the reading thread's limit: every tag lost), or a comment whose length runs past the header (read with the pages
 * after it as its value). Such a header is written again with the comments wholeComments keeps, as a short Ogg stream;
 * null when it needs nothing, is cut short (oggCutComments' case) or is no codec read here. `reader` is oggHead's, so
 * a usual file's header pages cost no second read.
 */
export async function oggCommentsBounded(handle: FileHandle, fileSize: number, reader: WindowReader): Promise<{ bytes: Buffer; notes: string[] } | null> {
  const packets = await oggHeaderPackets(handle, fileSize, reader);
  if (packets === null || !packets.complete) return null;
  const layout = commentLayout(packets.id);
  if (layout === null || packets.comments.length < layout.magic.length || !packets.comments.subarray(0, layout.magic.length).equals(layout.magic)) return null;
  const list = wholeComments(packets.comments, layout.magic.length);
  if (list === null || !needsBound(list)) return null;
  return { bytes: oggPages([packets.id, Buffer.concat([layout.magic, commentListBytes(list), layout.after])], packets.serial), notes: boundNotes("comment header", list) };
}

/**
 * An Ogg FLAC stream (FLAC's Ogg mapping: `flac --ogg`, `ffmpeg -c:a flac x.oga`) as the native FLAC header it
 * carries: music-metadata reads such a stream's first page (STREAMINFO) and no other, so its comments, the next
 * packet (a VORBIS_COMMENT block, first after STREAMINFO as the mapping requires), gave no tags. Their whole comments
 * are written after "fLaC" and the STREAMINFO block for the FLAC parser; a block the file's end cut, or claiming more
 * comments than it holds, gives those whole, with a note. Null when the stream is not Ogg FLAC or has no comments.
 */
export async function oggFlacHeader(handle: FileHandle, fileSize: number): Promise<{ bytes: Buffer; note: string | null } | null> {
  const packets = await oggHeaderPackets(handle, fileSize);
  if (packets === null || packets.id.toString("latin1", 0, 5) !== "\u007fFLAC" || packets.id.toString("latin1", 9, 13) !== "fLaC") return null;
  const streamInfo = Buffer.from(packets.id.subarray(13, 13 + 4 + 34));
  const block = packets.comments;
  if (streamInfo.length < 38 || (streamInfo[0] & 0x7f) !== 0 || block.length < 4 || (block[0] & 0x7f) !== 4) return null;
  const list = wholeComments(block, 4);
  const notes = !packets.complete ? [cutCommentsNote("comment block", list), ...(list?.notes ?? [])] : list !== null && needsBound(list) ? boundNotes("comment block", list) : [];
  const note = notes.length === 0 ? null : notes.join("; ");
  const bytes = commentListBytes(list ?? { vendor: Buffer.alloc(0), comments: [] });
  const head = Buffer.from([0x84, 0, 0, 0]);
  head.writeUIntBE(Math.min(bytes.length, 0xffffff), 1, 3);
  streamInfo[0] = 0;
  return { bytes: Buffer.concat([Buffer.from("fLaC", "latin1"), streamInfo, head, bytes]), note };
}
