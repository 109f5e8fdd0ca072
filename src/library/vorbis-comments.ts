/**
 * A Vorbis comment list (FLAC's VORBIS_COMMENT block, Ogg's comment header) that the file's end cut: the comments
 * that are whole before the cut, and the list written again with only them, for music-metadata to parse. music-
 * metadata reads a cut list as no tags at all (FLAC), or keeps the comment the cut went through as if it were whole,
 * so an album cut to "The Way of Ki" would be read as the title (Ogg).
 */

/**
 * Comments kept from a cut list: real files have a few dozen (a few hundred with chapter names). Comments with no
 * "KEY=" are passed over uncounted: each costs 4 bytes, and music-metadata took 6 s over 65,536 empty ones.
 */
export const MAX_CUT_COMMENTS = 4096;

export interface CutCommentList {
  vendor: Buffer;
  /** Each whole comment's bytes ("KEY=value"), without its length. */
  comments: Buffer[];
  /** How many comments the list said it holds. */
  claimed: number;
}

/**
 * The whole comments of the list at `offset` in `data`: a comment whose length runs past the data is the one the cut
 * went through, and it and everything after it are left out. Null when not even the vendor string is whole.
 */
export function wholeComments(data: Buffer, offset: number): CutCommentList | null {
  if (offset + 4 > data.length) return null;
  const vendorLength = data.readUInt32LE(offset);
  let at = offset + 4 + vendorLength;
  if (at + 4 > data.length) return null;
  const vendor = data.subarray(offset + 4, at);
  const claimed = data.readUInt32LE(at);
  at += 4;
  const comments: Buffer[] = [];
  for (let seen = 0; seen < claimed && comments.length < MAX_CUT_COMMENTS && at + 4 <= data.length; seen++) {
    const length = data.readUInt32LE(at);
    if (at + 4 + length > data.length) break;
    if (hasKey(data, at + 4, length)) comments.push(data.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { vendor, comments, claimed };
}

/** Whether the comment at `start` begins with a key and "=" (looked for in its first bytes: keys are short names). */
function hasKey(data: Buffer, start: number, length: number): boolean {
  const end = start + Math.min(length, MAX_KEY_BYTES);
  for (let i = start + 1; i < end; i++) if (data[i] === 0x3d) return true;
  return false;
}
const MAX_KEY_BYTES = 256;

/** The list written again: vendor, count, comments. */
export function commentListBytes(list: CutCommentList): Buffer {
  const parts: Buffer[] = [];
  const withLength = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    parts.push(length, bytes);
  };
  withLength(list.vendor);
  const count = Buffer.alloc(4);
  count.writeUInt32LE(list.comments.length);
  parts.push(count);
  for (const comment of list.comments) withLength(comment);
  return Buffer.concat(parts);
}

/** What the warning says of a list that claims more comments than it holds (a whole block, a count a tagger got wrong). */
export function overclaimedNote(where: string, list: CutCommentList): string {
  return `its ${where} claims ${list.claimed} comments but holds ${list.comments.length}: those were read`;
}

/** What the warning says of a cut list: how many of its comments were read. */
export function cutCommentsNote(where: string, list: CutCommentList | null): string {
  const read = list === null ? "none of its comments could be read" : `the ${list.comments.length} whole comment${list.comments.length === 1 ? "" : "s"} before the cut ${list.comments.length === 1 ? "was" : "were"} read${list.claimed > list.comments.length ? ` (it claims ${list.claimed})` : ""}`;
  return `the file ends inside its ${where} (cut short, as an interrupted download or copy leaves a file): ${read}`;
}
