/**
 * The part of an MP4 file (m4b, m4a, aax) that its tags need, copied into a
 * small buffer for music-metadata to parse: ftyp, and moov with its movie and
 * track headers, sample descriptions and tag items. Left out: the audio
 * (mdat), the sample tables, cover art and boxes no tag reader looks at.
 *
 * Why not hand music-metadata the file: it reads every box of moov into
 * memory and turns the sample tables into arrays, one entry per ~23 ms of
 * audio, to compute a duration shelfwise never asks for. A 10-hour m4b cost
 * ~0.5 s and ~120 MB per tag read, a 50-hour one ~4.5 s and ~275 MB; a
 * crafted 60 MB table ~6 s and ~430 MB, several of them enough to exhaust
 * the heap with a few reads in flight. Cover art is read whole and thrown
 * away (`skipCovers` only skips the decoding): twenty 60 MB covers took 6 s,
 * and one over 64 MB made music-metadata refuse the whole file, tags included.
 * Here only box headers are read to find the tags, and only small boxes are
 * copied: a tag read of any MP4 reads a few KB.
 */
import type { FileHandle } from "node:fs/promises";
import { MAX_TAG_VALUES, tooManyValuesNote } from "./value-bounds.js";
import { WindowReader } from "./window-reader.js";

export interface Mp4TagBoxes {
  /** ftyp + the reduced moov (and a top-level meta, where a file has one), sizes rewritten. */
  bytes: Buffer;
  /** Tag items left out because they are too large to be text worth reading, and a moov cut by the file's end. */
  dropped: string[];
}

/** Largest tag item value copied (a long description is a few KB; this is text, not art). */
export const MAX_MP4_ITEM_BYTES = 1024 * 1024;
/** Largest total copied: what is over it is left out, item by item. */
const MAX_COPIED_BYTES = 8 * 1024 * 1024;
/** Largest header box copied (mvhd, tkhd, stsd: real ones are under 1 KB). */
const MAX_HEADER_BOX_BYTES = 64 * 1024;
/** Boxes looked at: a real file has a few dozen; a crafted one with millions of tiny boxes is refused. */
const MAX_BOXES = 20_000;
const MAX_DEPTH = 12;

/** Containers walked, with what each keeps: a nested container, a box copied as it is, or a table emptied. */
type Keep = "walk" | "copy" | "empty-table" | "keys";
const KEEP: Record<string, Record<string, Keep>> = {
  "": { ftyp: "copy", moov: "walk", meta: "walk" },
  moov: { mvhd: "copy", trak: "walk", udta: "walk", meta: "walk" },
  trak: { tkhd: "copy", mdia: "walk" },
  mdia: { mdhd: "copy", hdlr: "copy", minf: "walk" },
  minf: { stbl: "walk" },
  // music-metadata expects these four in every track; empty, they say nothing and cost nothing.
  stbl: { stsd: "copy", stts: "empty-table", stsc: "empty-table", stsz: "empty-table", stco: "empty-table" },
  udta: { meta: "walk" },
  meta: { hdlr: "copy", keys: "keys", ilst: "walk" },
};

/** The payload of each emptied table: version and flags, (stsz: sample size 0,) no entries. */
const EMPTY_TABLES: Record<string, Buffer> = {
  stts: Buffer.alloc(8),
  stsc: Buffer.alloc(8),
  stco: Buffer.alloc(8),
  stsz: Buffer.alloc(12),
};

/** Names an MP4 file can start with (ftyp first in every file made this century; QuickTime's older ones). */
const FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"]);

class MalformedMp4 extends Error {}

/**
 * The tag-bearing boxes of the MP4 file open in `handle`, or null when the
 * file does not start like an MP4 (a mislabelled MP3: the caller parses it
 * the usual way). Throws, naming the box, when a box that holds tags is cut
 * short or does not fit its parent.
 */
export async function readMp4TagBoxes(handle: FileHandle, fileSize: number): Promise<Mp4TagBoxes | null> {
  const reader = new WindowReader(handle, fileSize);
  const first = await reader.bytes(0, 8);
  if (first.length < 8 || !FIRST_BOXES.has(first.toString("latin1", 4, 8))) return null;
  const walk: Walk = { reader, boxes: 0, copied: 0, tracks: 0, dropped: [], items: 0 };
  try {
    const top = await children(walk, "", 0, fileSize, 0, true);
    if (walk.cut !== undefined) {
      // Cut before any tag item: nothing of the file can be read, and it stays refused as a truncated file.
      if (walk.items === 0) throw new MalformedMp4(walk.cut);
      walk.dropped.push(`${walk.cut.replace(/ \(a truncated file\)$/u, "")} (cut short: an interrupted download?): the tags before the cut were read`);
    }
    // No moov: an MP4 without one has no track and no tags. A box before it running past the file's end (an mdat
    // cut by an interrupted download of a file whose moov comes last, or a size that lies) read as an untagged
    // book, with nothing said; it is a file that cannot be read, and the book's next file is tried.
    if (!top.some((box) => box.toString("latin1", 4, 8) === "moov")) {
      throw new MalformedMp4(walk.overran === undefined ? "no moov box (where an MP4 file's tracks and tags are)" : `${walk.overran} (a truncated or damaged file), and no moov box (where its tags are) comes before`);
    }
    return { bytes: Buffer.concat(top), dropped: walk.dropped };
  } catch (error) {
    if (error instanceof MalformedMp4) throw new Error(`malformed MP4: ${error.message}`);
    throw error;
  }
}

interface Walk {
  reader: WindowReader;
  boxes: number;
  copied: number;
  /** Sample descriptions copied so far: a track that adds none is left out. */
  tracks: number;
  dropped: string[];
  /** The key names of the meta box being walked, when it names its items by key (QuickTime's mdta `keys`). */
  keys?: string[];
  /** Tag items copied. */
  items: number;
  /** How the file's end cut the moov (or top-level meta) box, when it did: what it holds before the cut is read. */
  cut?: string;
  /** A top-level box other than those holding tags that runs past the file's end (the audio of a download cut short). */
  overran?: string;
}

interface BoxHeader {
  name: string;
  start: number;
  /** Where the payload starts (after an 8- or 16-byte header). */
  payload: number;
  end: number;
  /** Cut by the file's end: `end` is the file's end, and the box is read up to it. */
  cut?: boolean;
}

/**
 * The kept boxes between `start` and `end`, each rebuilt with its size. At
 * the top level a box cut short by the end of the file is passed over
 * (an interrupted download's mdat) unless it is one the tags live in.
 */
async function children(walk: Walk, parent: string, start: number, end: number, depth: number, top = false, cut = false): Promise<Buffer[]> {
  if (depth > MAX_DEPTH) throw new MalformedMp4(`boxes nested deeper than ${MAX_DEPTH} inside ${parent}`);
  const keep = KEEP[parent];
  const out: Buffer[] = [];
  for (let at = start; at < end; ) {
    if (++walk.boxes > MAX_BOXES) throw new MalformedMp4(`more than ${MAX_BOXES} boxes; not a real audio file`);
    const box = await header(walk.reader, at, end, parent, top, cut);
    if (box === null) break;
    // A box of the file's top level inside a cut box: the size was a lie over a whole file, not a download cut short.
    if (cut && TOP_ONLY.has(box.name)) throw new MalformedMp4(walk.cut ?? `a ${box.name} box inside ${parent}`);
    if (box.cut && top) walk.cut = `the ${box.name} box claims ${box.claimed} bytes but the file ends ${end - box.start} bytes after its start (a truncated file)`;
    if (box.overran !== undefined) walk.overran = `the ${printable(box.name)} box claims ${box.overran} bytes but the file ends ${end - box.start} bytes after its start`;
    at = box.end;
    const what = parent === "ilst" ? "item" : keep?.[box.name];
    // A track the cut went through may lack the tables music-metadata wants: left out (its tags are in udta).
    if (box.cut && box.name === "trak") break;
    if (what === "walk") {
      const tracks = walk.tracks;
      const skip = box.name === "meta" ? await metaPrefix(walk.reader, box) : 0;
      const prefix = skip > 0 ? await walk.reader.bytes(box.payload, skip) : Buffer.alloc(0);
      if (box.name === "meta") walk.keys = undefined;
      const inner = await children(walk, box.name, box.payload + skip, box.end, depth + 1, false, box.cut === true);
      // music-metadata fails on a track without its header or sample description: such a track is left out.
      if (box.name === "trak" && (walk.tracks === tracks || !inner.some((b) => b.toString("latin1", 4, 8) === "tkhd"))) continue;
      out.push(rebuilt(box.name, [prefix, ...inner]));
    } else if (what === "item") {
      const item = await tagItem(walk, box);
      if (item) {
        out.push(item);
        walk.items++;
      }
    } else if (what === "keys") {
      walk.keys = await mdtaKeys(walk.reader, box);
    } else if (what === "empty-table") {
      out.push(rebuilt(box.name, [EMPTY_TABLES[box.name]]));
    } else if (what === "copy" && box.end - box.payload <= MAX_HEADER_BOX_BYTES) {
      walk.copied += box.end - box.start;
      if (walk.copied > MAX_COPIED_BYTES) throw new MalformedMp4(`over ${megabytes(MAX_COPIED_BYTES)} of headers; not a real audio file`);
      if (box.name === "stsd") walk.tracks++;
      out.push(rebuilt(box.name, [await walk.reader.bytes(box.payload, box.end - box.payload)]));
    }
  }
  return out;
}

/**
 * One ilst item (`©nam`, `----` with mean/name/data): copied when small, left
 * out with a note when its value is too large to be text; cover art is never
 * read.
 */
async function tagItem(walk: Walk, box: BoxHeader): Promise<Buffer | null> {
  if (box.name === "covr") return null;
  const size = box.end - box.payload;
  if (size > MAX_MP4_ITEM_BYTES || walk.copied + size > MAX_COPIED_BYTES) {
    const label = box.name.replace(/[^\x20-\x7e\u00a9]/g, "?");
    walk.dropped.push(`its ${label} tag holds ${megabytes(size)}, over the ${megabytes(MAX_MP4_ITEM_BYTES)} shelfwise reads; left out`);
    return null;
  }
  walk.copied += size;
  const read = await walk.reader.bytes(box.payload, size);
  const payload = size > MAX_TAG_VALUES * DATA_HEADER ? boundedData(read, box.name, walk.dropped) : read;
  const index = walk.keys === undefined ? 0 : Buffer.from(box.name, "latin1").readUInt32BE(0);
  const key = index > 0 ? walk.keys?.[index - 1] : undefined;
  return key === undefined ? rebuilt(box.name, [payload]) : keyedItem(key, payload);
}

/** A `data` atom's header, type and locale: the least one takes. */
const DATA_HEADER = 16;

/**
 * An item's children with its `data` atoms cut to the first MAX_TAG_VALUES: music-metadata reads every one as a value
 * (40,000 in one 1 MB ©cmt took it ~1.5 s, eight such items, within the bytes copied, past the reading thread's
 * limit), and all but the first 64 are cut after the parse anyway. Only items too large to hold fewer are walked.
 */
function boundedData(payload: Buffer, name: string, notes: string[]): Buffer {
  let data = 0;
  let cutAt = -1;
  let at = 0;
  let key = name;
  let mean = "";
  for (; at + 8 <= payload.length; ) {
    const size = payload.readUInt32BE(at);
    // A child that does not fit is music-metadata's to refuse, as it would without the bound.
    if (size < 8 || size > payload.length - at) return payload;
    const child = payload.toString("latin1", at + 4, at + 8);
    if (child === "data" && ++data === MAX_TAG_VALUES + 1) cutAt = at;
    else if (child === "mean" && size >= 12) mean = payload.toString("utf8", at + 12, at + Math.min(size, 12 + 64));
    else if (child === "name" && size >= 12 && name === "----") key = `----:${mean}:${payload.toString("utf8", at + 12, at + Math.min(size, 12 + 64))}`;
    at += size;
  }
  if (cutAt < 0) return payload;
  notes.push(tooManyValuesNote(key.replace(/[^\x20-\x7e\u00a9]/gu, "?"), data));
  // What follows the data atoms kept (more data, or a name after them) is left out: a real item has name before data.
  return payload.subarray(0, cutAt);
}

/**
 * QuickTime's metadata, as `ffmpeg -movflags use_metadata_tags` writes every `-metadata` key (and iPhones and
 * cameras theirs): a `keys` box names the keys, and each ilst item is named by its key's 1-based index. music-
 * metadata reads only iTunes-named items, so such a file gave no tags at all. The keys are read here, and each item
 * handed over as its iTunes atom ("title" as ©nam) or, for any other key ("narrator", "series"), as a freeform
 * `----:com.apple.iTunes:<key>` item, which the claim rules read as they read the same keys elsewhere.
 */
async function mdtaKeys(reader: WindowReader, box: BoxHeader): Promise<string[] | undefined> {
  if (box.end - box.payload > MAX_HEADER_BOX_BYTES) return undefined;
  const bytes = await reader.bytes(box.payload, box.end - box.payload);
  if (bytes.length < 8) return undefined;
  const count = bytes.readUInt32BE(4);
  const keys: string[] = [];
  for (let at = 8; keys.length < count && at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(at);
    if (size < 8 || at + size > bytes.length) break;
    keys.push(bytes.toString("utf8", at + 8, at + size));
    at += size;
  }
  return keys;
}

function keyedItem(key: string, payload: Buffer): Buffer {
  const name = key.replace(QUICKTIME_KEY_PREFIX, "");
  const atom = ITUNES_ATOM_OF_KEY.get(name.toLowerCase());
  if (atom !== undefined) return rebuilt(atom, [payload]);
  const flags = Buffer.alloc(4);
  return rebuilt("----", [rebuilt("mean", [flags, Buffer.from("com.apple.iTunes", "latin1")]), rebuilt("name", [flags, Buffer.from(name, "utf8")]), payload]);
}
const QUICKTIME_KEY_PREFIX = /^com\.apple\.quicktime\./u;
/** ffmpeg's metadata keys (and QuickTime's own) for what iTunes atoms hold; music-metadata names these by the atom. */
const ITUNES_ATOM_OF_KEY: ReadonlyMap<string, string> = new Map([
  ["title", "©nam"],
  ["displayname", "©nam"],
  ["artist", "©ART"],
  ["album_artist", "aART"],
  ["albumartist", "aART"],
  ["album", "©alb"],
  ["composer", "©wrt"],
  ["date", "©day"],
  ["year", "©day"],
  ["creationdate", "©day"],
  ["genre", "©gen"],
  ["comment", "©cmt"],
  ["description", "desc"],
  ["synopsis", "ldes"],
  ["grouping", "©grp"],
  ["copyright", "cprt"],
]);

/** A box made anew from its parts: the 32-bit size always fits what is kept. */
function rebuilt(name: string, parts: Buffer[]): Buffer {
  const head = Buffer.alloc(8);
  head.write(name, 4, 4, "latin1");
  const whole = Buffer.concat([head, ...parts]);
  whole.writeUInt32BE(whole.length, 0);
  return whole;
}

/**
 * A meta box is a full box (4 bytes of version and flags before its children)
 * in MP4 files and a plain container in QuickTime ones; as music-metadata
 * does, it is a plain container when its first child is a `hdlr`.
 */
async function metaPrefix(reader: WindowReader, box: BoxHeader): Promise<number> {
  if (box.end - box.payload < 8) return 0;
  const peek = await reader.bytes(box.payload, 8);
  return peek.toString("latin1", 4, 8) === "hdlr" ? 0 : 4;
}

/** Boxes only ever at a file's top level: met inside a box, that box's size was a lie. */
const TOP_ONLY = new Set(["ftyp", "moov", "mdat"]);

/**
 * The box at `at`. Inside a box the file's end cut (`cut`), a container the cut went through is walked to the
 * file's end too (moov/udta/meta/ilst), and any other box the cut went through ends the walk: what it held is gone.
 */
async function header(reader: WindowReader, at: number, end: number, parent: string, top: boolean, cut = false): Promise<(BoxHeader & { claimed?: number; overran?: string }) | null> {
  const where = parent === "" ? "at the top of the file" : `inside ${parent}`;
  if (end - at < 8) {
    if (top || cut) return null;
    throw new MalformedMp4(`${end - at} stray bytes ${where}`);
  }
  const head = await reader.bytes(at, 16);
  const name = head.toString("latin1", 4, 8);
  let size = head.readUInt32BE(0);
  let payload = at + 8;
  // As the file says it (a 64-bit size past what a number holds exactly is shown as written).
  let claimed = String(size);
  if (size === 1) {
    if (head.length < 16) {
      if (cut) return null;
      throw new MalformedMp4(`the ${name} box is cut short (a truncated file)`);
    }
    const large = head.readBigUInt64BE(8);
    size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large);
    claimed = large.toString();
    payload = at + 16;
  } else if (size === 0) {
    size = end - at;
  }
  if (size < payload - at) throw new MalformedMp4(`the ${name} box ${where} claims ${size} bytes, less than its own header`);
  if (at + size > end) {
    // The last box of a cut-off download: what it held is gone, what came before is whole.
    if (top && !KEEP[""][name]) return { name, start: at, payload, end, overran: claimed };
    // The box holding the tags cut (an interrupted download of a file whose moov is at its end, as most are before
    // "fast start"): walked to the file's end, for the tag items whole before the cut.
    if (top && name !== "ftyp") return { name, start: at, payload, end, cut: true, claimed: size };
    if (top) throw new MalformedMp4(`the ${name} box claims ${size} bytes but the file ends ${end - at} bytes after its start (a truncated file)`);
    if (cut) return KEEP[parent]?.[name] === "walk" ? { name, start: at, payload, end, cut: true } : null;
    throw new MalformedMp4(`the ${name} box ${where} claims ${size} bytes, more than is left of ${parent} (${end - at})`);
  }
  return { name, start: at, payload, end: at + size };
}

/** A box name as a message shows it: the file chose its four bytes. */
function printable(name: string): string {
  return name.replace(/[^\x20-\x7e\u00a9]/gu, "?");
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round(bytes / (1024 * 1024))} MB`;
}
