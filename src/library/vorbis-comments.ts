/**
 * A Vorbis comment list (FLAC's VORBIS_COMMENT block, Ogg's comment header) that the file's end cut: the comments
 * that are whole before the cut, and the list written again with only them, for music-metadata to parse. music-
 * metadata reads a cut list as no tags at all (FLAC), or keeps the comment the cut went through as if it were whole,
 * so an album cut to "The Way of Ki" would be read as the title (Ogg).
 */
import { MAX_TAG_VALUES, tooManyValuesNote } from "./value-bounds.js";

/**
 * Comments kept from a list: real files have a few dozen (a few hundred with chapter names). Comments with no "KEY="
 * are passed over uncounted: each costs 4 bytes, and music-metadata took 6 s over 65,536 empty ones.
 */
export const MAX_CUT_COMMENTS = 4096;
/**
 * Comments walked at most: a list's count is the file's word (4 billion), and 64 MB of Ogg pages hold 16 million
 * empty comments. This many fill a FLAC block's 16 MB and are walked in well under a second, far past any real list.
 */
const MAX_WALKED_COMMENTS = 1 << 22;

export interface CutCommentList {
  vendor: Buffer;
  /** Each kept comment's bytes ("KEY=value"), without its length. */
  comments: Buffer[];
  /** How many comments the list said it holds. */
  claimed: number;
  /** How many whole comments the list holds (kept or not), as far as it was walked. */
  held: number;
  /** What the bounds left out of the whole comments, as the warnings say it. */
  notes: string[];
  /** The comment whose length runs past the data (the cut, or a length a crafted list lies with): its place, from 1. */
  overrun?: { index: number; length: number };
}

/**
 * The whole comments of the list at `offset` in `data`, each key's first MAX_TAG_VALUES (a key repeated 200,000
 * times took music-metadata ~1.5 s, 2 million ~50 s and 1.4 GB, all but 64 cut after the parse anyway) and
 * MAX_CUT_COMMENTS in all: a comment whose length runs past the data is the one the cut went through (or a lie), and
 * it and everything after it are left out. Null when not even the vendor string is whole.
 */
export function wholeComments(data: Buffer, offset: number): CutCommentList | null {
  if (offset + 4 > data.length) return null;
  const vendorLength = data.readUInt32LE(offset);
  if (vendorLength > data.length - offset - 8) return null;
  let at = offset + 4 + vendorLength;
  const vendor = data.subarray(offset + 4, at);
  const claimed = data.readUInt32LE(at);
  at += 4;
  const comments: Buffer[] = [];
  // Each key's first comment (for its name in a warning) and count.
  const perKey = new Map<number, { at: number; count: number }>();
  let held = 0;
  let keyless = 0;
  let overTotal = 0;
  let overrun: CutCommentList["overrun"];
  let lastKey = -1;
  let last: { at: number; count: number } | undefined;
  for (; held < claimed && held < MAX_WALKED_COMMENTS && at + 4 <= data.length; held++) {
    const length = data.readUInt32LE(at);
    if (length > data.length - at - 4) {
      overrun = { index: held + 1, length };
      break;
    }
    at += 4 + length;
    // Once the list is full, the rest is only walked (held, an overrun): a flood of distinct keys costs no map.
    if (comments.length >= MAX_CUT_COMMENTS) {
      overTotal++;
      continue;
    }
    const key = keyHash(data, at - length, length);
    if (key < 0) {
      keyless++;
      continue;
    }
    // A flood repeats one key: the last one's count is at hand.
    let counted = key === lastKey ? last : perKey.get(key);
    if (counted === undefined) perKey.set(key, (counted = { at: at - length, count: 0 }));
    lastKey = key;
    last = counted;
    if (++counted.count > MAX_TAG_VALUES) continue;
    comments.push(data.subarray(at - length, at));
  }
  const notes: string[] = [];
  for (const { at: first, count } of perKey.values()) if (count > MAX_TAG_VALUES && notes.length < MAX_NOTES) notes.push(tooManyValuesNote(keyText(data, first), count));
  if (overTotal > 0) notes.push(`its comments number over the ${MAX_CUT_COMMENTS} shelfwise reads: the first ${MAX_CUT_COMMENTS} were read, ${overTotal} more left out unread`);
  if (keyless > MAX_TAG_VALUES) notes.push(`${keyless} of its comments are no KEY=value (empty or without "="): left out`);
  if (held === MAX_WALKED_COMMENTS && held < claimed) notes.push(`it claims ${claimed} comments; the first ${MAX_WALKED_COMMENTS} were walked, the rest not read`);
  return { vendor, comments, claimed, held, notes, overrun };
}
const MAX_NOTES = 10;

/**
 * The comment's key as a number: FNV-1a over its bytes, ASCII letters upper-cased (music-metadata names a key
 * upper-cased); -1 when it has no "KEY=". A number, not a string, as a list of millions is walked: the string is made
 * once per key (keyText). Two keys of one hash share one count, which cuts a key no sooner than its own 64 values would.
 */
function keyHash(data: Buffer, start: number, length: number): number {
  let end = start + length;
  // Keys are short names: a long comment is searched natively for its "=" (a megabyte of text holding none).
  if (length > SHORT_KEY) {
    const equals = data.subarray(start, end).indexOf(0x3d);
    if (equals < 0) return -1;
    end = start + equals + 1;
  }
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const byte = data[i];
    if (byte === 0x3d) return i === start ? -1 : hash >>> 0;
    hash = Math.imul(hash ^ (byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte), 0x01000193);
  }
  return -1;
}
const SHORT_KEY = 64;

/** The key of the comment at `start`, as a warning names it (shownKey cuts it). */
function keyText(data: Buffer, start: number): string {
  return data.toString("utf8", start, Math.min(data.indexOf(0x3d, start), start + 4096)).toUpperCase();
}

/**
 * Whether a whole list must be written again before the parse: a key over its bound, a comment whose length runs
 * past the list's end (music-metadata reads the bytes after it as its value), a count over what it holds.
 */
export function needsBound(list: CutCommentList): boolean {
  return list.notes.length > 0 || list.overrun !== undefined || list.held < list.claimed;
}

/** What the warnings say of a whole list written again (needsBound). */
export function boundNotes(where: string, list: CutCommentList): string[] {
  const notes = [...list.notes];
  if (list.overrun !== undefined) {
    const after = list.claimed - list.overrun.index;
    notes.unshift(`its ${where}'s comment ${list.overrun.index} claims ${list.overrun.length} bytes, past the end of its list: ${after > 0 ? `it and the ${after} after it were` : "it was"} left out; the ${list.comments.length} before it were read`);
  } else if (list.held < list.claimed && list.held < MAX_WALKED_COMMENTS) notes.unshift(overclaimedNote(where, list));
  return notes;
}

/** The list written again: vendor, count, comments. */
export function commentListBytes(list: Pick<CutCommentList, "vendor" | "comments">): Buffer {
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
  return `its ${where} claims ${list.claimed} comments but holds ${list.held}: those were read`;
}

/** What the warning says of a cut list: how many of its comments were read. */
export function cutCommentsNote(where: string, list: CutCommentList | null): string {
  const read = list === null ? "none of its comments could be read" : `the ${list.comments.length} whole comment${list.comments.length === 1 ? "" : "s"} before the cut ${list.comments.length === 1 ? "was" : "were"} read${list.claimed > list.comments.length ? ` (it claims ${list.claimed})` : ""}`;
  return `the file ends inside its ${where} (cut short, as an interrupted download or copy leaves a file): ${read}`;
}
