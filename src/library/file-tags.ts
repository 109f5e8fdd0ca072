/**
 * One audio file's tags, read with music-metadata and bounded in what a file
 * can make it read: MP4 files are handed over as their tag boxes only
 * (mp4-tag-boxes.ts), Ogg files as their first pages (ogg-pages.ts), an
 * ID3v2 tag over MAX_ID3_TAG_BYTES is refused, and text over
 * MAX_TAG_TEXT_CHARS is left out. What no bound here catches (a parser that
 * spins on a crafted file) the worker that runs this stops
 * (tag-reader-pool.ts).
 */
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import { parseBlob, parseBuffer, parseFile, parseStream, type IAudioMetadata } from "music-metadata";
import { audioExtension } from "../domain/audio-extensions.js";
import { APE_HEADER_READERS, apeOverBound } from "./ape-bound.js";
import { repairLatin1, repairLatin1Text, type Latin1Repair } from "./eight-bit-text.js";
import { terminalSafe } from "../domain/terminal-safe.js";
import { unswapUtf16 } from "./utf16-byte-order.js";
import { restoreUtf16Marks } from "./id3-bom-restore.js";
import { flacCommentsBounded, flacCutShort } from "./flac-cut.js";
import { oggCommentsBounded, oggCutComments, oggFlacHeader } from "./ogg-cut.js";
import { WindowReader } from "./window-reader.js";
import { readMp4TagBoxes } from "./mp4-tag-boxes.js";
import { hasReplacementChar, mendReplacementChars } from "./replacement-chars.js";
import { MAX_OGG_BYTES, MAX_OGG_PAGES, oggHead } from "./ogg-pages.js";
import { syncsafeAt, writeSyncsafe } from "./syncsafe.js";
import { withSyncsafeFrameSizes } from "./id3-v24-sizes.js";
import { riffTagChunkCut } from "./riff-chunks.js";
import { riffTagsBounded } from "./riff-tags.js";
import { asfHeaderBounded } from "./asf-header.js";
import { isNoGenre, readGenreText } from "./id3-genre.js";
import { type Id3FrameScan, scanId3Frames, scanId3Tag } from "./id3-genre-frame.js";
import { SNIFFED_MIME, sniffContainer, type Sniffed, type SniffedContainer } from "./content-sniff.js";
import { boundId3Values, decodeId3Text, WALK_FROM_BYTES } from "./id3-value-bound.js";
import { MAX_TAG_VALUES, shownKey, tooManyValuesNote } from "./value-bounds.js";

export { MAX_TAG_VALUES };

/**
 * A fresh options object for each parse: music-metadata writes into the one it is given (the APEv2 footer it found at
 * the file's end, `apeHeader`), so one object shared by reads in flight at once (a thread reads two files, a layer
 * several books) gave one file's APEv2 tag's place to another's parse: a foobar2000 or Mp3tag tag lost, or another
 * file's tag read at this one's offset.
 */
const parseOptions = () => ({ duration: false, skipCovers: true });

/** APEv2 items read at most: real tags hold a few dozen (foobar2000's with ReplayGain and lyrics, under a hundred). */
export const MAX_APE_ITEMS = 1000;

/**
 * parseOptions() for a read of the whole file, where music-metadata finds an APEv2 tag at the end and writes its
 * footer into the options (the footer says how many items and bytes the tag holds): an APEv2 tag of 40,000 items
 * (a crafted file) took music-metadata and the claim rules ~10 s of a thread's 30 s, a few more items the whole
 * file. The footer is bounded as it is written: its first MAX_APE_ITEMS items are read, with a note. Its bytes need
 * no bound of their own: sizes past the file fail the parse (withoutBrokenApe), cover art is skipped, not read, and
 * text over MAX_TAG_TEXT_CHARS is left out. Checked where the parser puts it, so a clean file costs no read of its own.
 */
function wholeFileOptions(notes: string[], apeFooter?: unknown) {
  let found: unknown = apeFooter === undefined ? undefined : boundedApe(apeFooter, notes);
  return {
    ...parseOptions(),
    get apeHeader() {
      return found;
    },
    set apeHeader(header: unknown) {
      if (apeFooter === undefined) found = boundedApe(header, notes);
    },
  };
}

/**
 * An APEv2 tag of exactly 131 bytes with its header, last in the file: its header's "APETAGEX" puts "TAG" 128 bytes
 * from the end, where music-metadata takes it for an ID3v1 tag ("EX\xd0\x07..." as the title) and then looks for the
 * APEv2 footer before it, finding none. Read again with the footer handed over. Null when the file is not so.
 */
async function apeTakenForId3v1(file: string, meta: IAudioMetadata, notes: string[]): Promise<IAudioMetadata | null> {
  const title = meta.native.ID3v1?.find((tag) => tag.id === "title")?.value;
  if (typeof title !== "string" || !title.startsWith("EX")) return null;
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  let footer: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    if (size < APE_AS_ID3V1) return null;
    const tail = Buffer.alloc(APE_AS_ID3V1);
    await handle.read(tail, 0, APE_AS_ID3V1, size - APE_AS_ID3V1);
    const footerAt = APE_AS_ID3V1 - APE_FOOTER;
    if (tail.toString("latin1", 0, 8) !== "APETAGEX" || tail.toString("latin1", footerAt, footerAt + 8) !== "APETAGEX" || tail.readUInt32LE(footerAt + 12) !== footerAt) return null;
    footer = tail.subarray(footerAt);
  } finally {
    await handle.close();
  }
  // As music-metadata's own footer search gives it: the footer, and where the items start (the tag's size counts the footer, not the header).
  const header = { footer: { ID: "APETAGEX", version: footer.readUInt32LE(8), size: footer.readUInt32LE(12), fields: footer.readUInt32LE(16), flags: {} }, offset: size - footer.readUInt32LE(12) };
  return parseFile(file, wholeFileOptions(notes, header));
}

function boundedApe(header: unknown, notes: string[]): unknown {
  const footer = (header as { footer?: { fields?: unknown } } | undefined)?.footer;
  if (footer === undefined || typeof footer.fields !== "number") return header;
  if (footer.fields <= MAX_APE_ITEMS) return header;
  notes.push(`its APEv2 tag at the end holds ${footer.fields} items, over the ${MAX_APE_ITEMS} shelfwise reads; the first ${MAX_APE_ITEMS} were read`);
  return { ...(header as object), footer: { ...footer, fields: MAX_APE_ITEMS } };
}

const EMPTY_FILE = "the file is empty (0 bytes: an interrupted copy or download?); copy it again from where it came from";

/** The container music-metadata reads a file as by its extension (parseFile's own rule), for those content-sniff.ts tells apart. */
const NAMED_CONTAINER: Record<string, SniffedContainer> = { m4b: "mp4", m4a: "mp4", aax: "mp4", mp4: "mp4", m4p: "mp4", ogg: "ogg", oga: "ogg", opus: "ogg", spx: "ogg", flac: "flac", mp3: "mpeg", mp2: "mpeg", wav: "wav", wave: "wav", wma: "asf", asf: "asf" };
/** The extension whose readings (file-tags.ts' own, keyed by it) a misnamed file's bytes call for. */
const SNIFFED_EXTENSION: Record<SniffedContainer, string> = { mp4: "m4b", ogg: "ogg", flac: "flac", mpeg: "mp3", wav: "wav", asf: "wma" };

/**
 * What the file's bytes are (nothing said for a file that is no regular file: checkHeader and readBounded refuse it)
 * and the container they say, told from the name's; an MP4 or Ogg file has its tags read through the same open
 * (readBounded), which was one open more for each of them when the sniff had its own.
 */
async function sniffAndBound(handle: FileHandle, named: string) {
  const stats = await handle.stat();
  // Each parser said something of its own of no bytes ("Failed to determine audio format", "End-Of-Stream").
  if (stats.isFile() && stats.size === 0) throw new Error(EMPTY_FILE);
  const sniffed: Sniffed = stats.isFile() ? await sniffContainer(handle) : { container: null, head: Buffer.alloc(0) };
  const content = sniffed.container;
  // The bytes decide over the name (content-sniff.ts): a name that says one of the containers told apart and bytes
  // that say another are read as the bytes say; a name that says something else (WAV, APE) keeps its parser.
  const byName = NAMED_CONTAINER[named] ?? null;
  const misnamed = byName !== null && content !== null && content !== byName ? content : null;
  const container = content === "mp4" || content === "ogg" ? content : misnamed === null && (byName === "mp4" || byName === "ogg") ? byName : undefined;
  const bounded = container === undefined ? undefined : await readBounded(handle, stats, container);
  return { head: sniffed.head, misnamed, bounded, stats };
}

/**
 * The whole file parsed through the handle the sniff opened (an MP3 was opened twice, once to sniff and once more by
 * parseFile): by the parser its name says, or, for a file whose name says another container than its bytes, by the
 * parser of what its bytes are. The file is handed over as a Blob read where the parser asks: a stream (as a
 * misnamed file was handed over before) has no end to look at, so an MP3 named .m4b lost its APEv2 tag at the end
 * (foobar2000's, Mp3tag's), and with it every value only that tag held. A name no container here is told by (.ape,
 * .aiff) is read by parseFile, as music-metadata picks its parser.
 */
async function parseWhole(file: string, handle: FileHandle, size: number, options: ReturnType<typeof wholeFileOptions>, mimeType: string | undefined): Promise<IAudioMetadata> {
  if (mimeType === undefined) return parseFile(file, options);
  return parseBlob(handleBlob(handle, 0, size, mimeType), options);
}

/**
 * Bytes `start` to `end` of an open file as the Blob music-metadata reads (its size, type and slice(); the slice's
 * arrayBuffer() read when the parser asks): openAsBlob opens the file again.
 */
function handleBlob(handle: FileHandle, start: number, end: number, type: string): Blob {
  const size = end - start;
  const at = (offset: number | undefined, fallback: number) => start + Math.max(0, Math.min(size, offset ?? fallback));
  const blob = {
    size,
    type,
    slice: (from?: number, to?: number) => handleBlob(handle, at(from, 0), at(to, size), type),
    arrayBuffer: async () => {
      // Read straight into the buffer handed back: the parser makes many small reads (an APEv2 tag's items).
      const buffer = new ArrayBuffer(size);
      const bytes = new Uint8Array(buffer);
      let filled = 0;
      for (let read = -1; read !== 0 && filled < size; filled += read) ({ bytesRead: read } = await handle.read(bytes, filled, size - filled, start + filled));
      return filled === size ? buffer : buffer.slice(0, filled);
    },
  };
  return blob as unknown as Blob;
}

/** One file's tags, and what was left out of them. */
export interface FileTags {
  meta: IAudioMetadata;
  /** Said about the file (a tag too large to read), shown as warnings. */
  notes: string[];
}

/**
 * Reads one audio file's tags. Throws, naming the file, when it cannot be read
 * as audio. Runs anywhere: in the tag-reader worker (tag-reader-pool.ts) or
 * inline.
 */
export async function readFileTags(file: string, knownSize?: number): Promise<FileTags> {
  let meta: IAudioMetadata;
  let notes: string[] = [];
  let handle: FileHandle | undefined;
  try {
    const named = audioExtension(file) ?? path.extname(file).slice(1).toLowerCase();
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const { head, misnamed, bounded: read, stats } = await sniffAndBound(handle, named);
    const extension = misnamed === null ? named : SNIFFED_EXTENSION[misnamed];
    const byName = NAMED_CONTAINER[extension];
    const wholeMime = misnamed !== null ? SNIFFED_MIME[misnamed] : byName === undefined ? undefined : SNIFFED_MIME[byName];
    let raw: Buffer | undefined;
    // The ID3v2 tag as it was read when it was rebuilt with its long frames cut (id3-value-bound.ts).
    let id3Tag: Buffer | undefined;
    // The ID3v2 tag's frames walked (id3-genre-frame.ts), from the bytes id3ValuesBounded read when it read them.
    let id3Scan: Id3FrameScan | null | undefined;
    if (read) ({ meta, notes, raw } = read);
    else {
      checkHeader(stats, head, knownSize);
      try {
        const apeContainer = APE_HEADER_READERS[extension];
        const bounded = apeContainer === undefined ? null : await apeOverBound(file, MAX_APE_ITEMS, MAX_ID3_TAG_BYTES);
        const flacBound = extension === "flac" ? await flacCommentsBounded(file) : null;
        const wavBound = extension === "wav" || extension === "wave" ? await riffTagsBounded(handle, stats.size) : null;
        const asfBound = extension === "wma" || extension === "asf" ? await asfHeaderBounded(handle, stats.size) : null;
        const id3Walk = bounded === null && flacBound === null ? await id3ValuesBounded(file, head, false) : null;
        id3Scan = id3Walk?.scan;
        const id3Cut = id3Walk?.cut ?? null;
        if (flacBound !== null) {
          meta = await parseBuffer(flacBound.bytes, { mimeType: "audio/flac", size: flacBound.bytes.length }, parseOptions());
          notes.push(...flacBound.notes);
        } else if (asfBound !== null) {
          meta = await parseBuffer(asfBound.bytes, { mimeType: "audio/ms-asf", size: asfBound.bytes.length }, parseOptions());
          notes.push(...asfBound.notes);
        } else if (wavBound !== null) {
          meta = await parseBuffer(wavBound.bytes, { mimeType: "audio/wav", size: wavBound.bytes.length }, parseOptions());
          notes.push(...wavBound.notes);
        } else if (id3Cut !== null) {
          ({ meta, tag: id3Tag } = id3Cut);
          notes.push(...id3Cut.notes);
        } else if (bounded === null) meta = await parseWhole(file, handle, stats.size, wholeFileOptions(notes), wholeMime);
        else {
          // The WavPack parser reads a tag that starts its bytes (the others want their audio's header first).
          const read = await parseBuffer(bounded.tag, { mimeType: "audio/wavpack", size: bounded.tag.length }, parseOptions());
          meta = { ...read, format: { ...read.format, container: apeContainer } };
          notes.push(bounded.note);
        }
        if (meta.format.tagTypes.includes("ID3v1") && !meta.format.tagTypes.includes("APEv2")) meta = (await apeTakenForId3v1(file, meta, notes)) ?? meta;
      } catch (error) {
        const cut = ID3_PAST_END.test(describe(error)) ? await id3PastEnd(file) : OUT_OF_BOUNDS.test(describe(error)) ? await flacRepaired(file) : null;
        const repaired = cut ?? (await withoutBrokenApe(file));
        if (repaired === null) throw error;
        ({ meta, notes } = repaired);
      }
      // Checked only when the read found nothing to name the book by: one more 10-byte read for those files alone.
      if (!meta.common.title && !meta.common.album && !meta.common.artist) meta = (await misreadId3(file)) ?? meta;
      // Checked only where music-metadata met a frame it could not place (one scan of its warnings for the others).
      if (meta.quality.warnings.some((w) => w.message.startsWith(V24_BAD_FRAME))) {
        const plainSizes = await v24PlainSizesRead(file);
        if (plainSizes !== null) {
          meta = plainSizes.meta;
          for (const note of plainSizes.notes) if (!notes.includes(note)) notes.push(note);
        }
      }
      if (meta.quality.warnings.some((w) => w.message === ID3_CUT_SHORT)) await dropOverrunFrame(file, meta);
      // music-metadata sets a FLAC's bitrate from the bytes after its metadata blocks once it has walked them all:
      // none (a comment block cut, or stream info that gives no length) or none above zero (a cover block skipped past
      // the file's end) has the blocks walked again here, to find where the file's end cut them. Whole files cost nothing.
      if (meta.format.container === "FLAC" && !((meta.format.bitrate ?? 0) > 0)) {
        const cut = await flacCutShort(file);
        if (cut !== null) {
          if (cut.bytes !== null) meta = await parseBuffer(cut.bytes, { mimeType: "audio/flac", size: cut.bytes.length }, parseOptions());
          notes.push(cut.note);
        }
      }
      if (meta.format.container === "WAVE") {
        const cut = await riffTagChunkCut(file);
        if (cut !== null) notes.push(cut);
      }
      // Only MPEG and AAC streams with no ID3v2 tag at their start are looked at the end of: one 138-byte read.
      if ((meta.format.container === "MPEG" || meta.format.container === "ADTS") && !meta.format.tagTypes.some((t) => t.startsWith("ID3v2"))) meta = (await appendedId3(file, meta)) ?? meta;
    }
    if ((meta.format.container === "MPEG" || meta.format.container === "ADTS") && hasSwappedUtf16(meta)) meta = (await withUtf16Marks(file, meta)) ?? meta;
    const id3Major = [4, 3, 2].find((n) => meta.native[`ID3v2.${n}`] !== undefined);
    if (id3Major !== undefined) {
      id3Scan ??= await scanId3Frames(handle, id3Major, MAX_ID3_TAG_BYTES).catch(() => null);
      if (id3Scan?.major !== id3Major) id3Scan = null;
      // Compressed frames that inflate: the tag read again with them inflated (id3-value-bound.ts), unless it was so read.
      if (id3Scan !== null && id3Scan.inflated.length > 0 && id3Tag === undefined) {
        const again = await id3ValuesBounded(file, head, true).catch(() => null);
        if (again?.cut != null) {
          ({ meta, tag: id3Tag } = again.cut);
          for (const note of again.cut.notes) if (!notes.includes(note)) notes.push(note);
        } else id3Scan = { ...id3Scan, unreadable: [...id3Scan.unreadable, ...id3Scan.inflated.map((id) => ({ id, why: "compressed" }))] };
      }
    }
    describeV22Txx(meta);
    if (hasRepeatedTxxx(meta)) await rejoinTxxxSlashes(file, meta, id3Tag);
    rejoinSlashedName(meta);
    splitV24SlashedNames(meta);
    if (id3Scan != null) scanId3(id3Scan, meta, notes);
    // Only a value holding U+FFFD costs a second read of the tag's bytes (clean files pay one scan of their values).
    if (hasReplacementChar(meta)) {
      const bytes = raw ?? (await headBytes(file).catch(() => null));
      if (bytes !== null) mendReplacementChars(meta, bytes);
      if (bytes !== null && !OWN_REPLACEMENT.some((own) => bytes.includes(own))) dropCutCharacters(meta);
    }
  } catch (error) {
    throw new Error(`cannot read tags of ${file}: ${describe(error)}`);
  } finally {
    await handle?.close();
  }
  // music-metadata returns an empty result for noise it cannot place; that is a broken file, not an untagged one.
  if (!meta.format.container && meta.format.tagTypes.length === 0) {
    throw new Error(`cannot read tags of ${file}: not a recognisable audio file (no audio stream or tags found)`);
  }
  dropNoGenre(meta);
  repairTagText(meta, notes);
  dropHugeText(meta, notes);
  dropLongLists(meta, notes);
  return { meta, notes };
}

/**
 * MP4 and Ogg files are handed to music-metadata as only the part that holds
 * their tags (mp4-tag-boxes.ts, ogg-pages.ts say what each costs otherwise).
 * A file named so with something else inside (MP3s renamed .m4b so players
 * file them as audiobooks) is parsed as what its bytes are: parseFile would
 * pick the parser by the name, a stream without a path is sniffed.
 */
async function readBounded(handle: FileHandle, stats: Stats, container: "mp4" | "ogg"): Promise<FileTags & { raw?: Buffer }> {
  if (!stats.isFile()) throw new Error("not a regular file");
  if (container === "mp4") {
    const boxes = await readMp4TagBoxes(handle, stats.size);
    if (boxes) return { meta: await parseBuffer(boxes.bytes, { mimeType: "audio/mp4", size: boxes.bytes.length }, parseOptions()), notes: boxes.dropped, raw: boxes.bytes };
  } else {
    const reader = new WindowReader(handle, stats.size);
    const bounded = await oggCommentsBounded(handle, stats.size, reader);
    if (bounded !== null) return { meta: await parseBuffer(bounded.bytes, { mimeType: "audio/ogg", size: bounded.bytes.length }, parseOptions()), notes: bounded.notes };
    const head = await oggHead(handle, stats.size, reader);
    if (head) {
      try {
        let meta: IAudioMetadata;
        try {
          meta = await parseStream(head.stream, { mimeType: "audio/ogg" }, parseOptions());
        } catch (error) {
          // A comment header claiming more comments than it holds sends the parser past its end: read what it holds.
          const repaired = await oggCutComments(handle, stats.size, true);
          if (repaired === null) throw error;
          return { meta: await parseBuffer(repaired.bytes, { mimeType: "audio/ogg", size: repaired.bytes.length }, parseOptions()), notes: [repaired.note] };
        }
        const flac = meta.format.tagTypes.length === 0 ? await oggFlacHeader(handle, stats.size) : null;
        if (flac !== null) {
          const read = await parseBuffer(flac.bytes, { mimeType: "audio/flac", size: flac.bytes.length }, parseOptions());
          return { meta: { ...read, format: { ...read.format, container: meta.format.container ?? read.format.container } }, notes: flac.note === null ? [] : [flac.note] };
        }
        const notes = head.cut() && meta.format.tagTypes.length === 0 ? [`no tags in its first ${MAX_OGG_PAGES} Ogg pages (${MAX_OGG_BYTES / (1024 * 1024)} MB), where tags are; the rest is not read`] : [];
        // Pages that ran out before the stream's last page: the comment header may be what the file's end cut.
        const cut = head.endedEarly() ? await oggCutComments(handle, stats.size) : null;
        if (cut !== null) {
          meta = await parseBuffer(cut.bytes, { mimeType: "audio/ogg", size: cut.bytes.length }, parseOptions());
          notes.push(cut.note);
        }
        return { meta, notes };
      } finally {
        head.stream.destroy();
      }
    }
  }
  const header = Buffer.alloc(10);
  await handle.read(header, 0, 10, 0);
  checkId3Size(header);
  const stream = handle.createReadStream({ start: 0, autoClose: false });
  try {
    return { meta: await parseStream(stream, undefined, parseOptions()), notes: [] };
  } finally {
    stream.destroy();
  }
}

/**
 * ID3v2.2's user text frame (TXX, as iTunes' and old rippers' ID3v2.2 tags hold SERIES, NARRATOR, AUTHOR) parted
 * into its description and value as ID3v2.3's TXXX is: music-metadata reads it as a plain text frame, one value
 * "SERIES\0Dune Chronicles" under "TXX", so no series, narrator or writer was read from it.
 */
function describeV22Txx(meta: IAudioMetadata): void {
  for (const tag of meta.native["ID3v2.2"] ?? []) {
    if (tag.id !== "TXX" || typeof tag.value !== "string") continue;
    const nul = tag.value.indexOf("\0");
    if (nul < 0) continue;
    tag.id = `TXX:${tag.value.slice(0, nul).replace(/^\ufeff/u, "")}`;
    // A UTF-16 value's own byte-order mark, decoded as a character after the description's.
    tag.value = tag.value.slice(nul + 1).replace(/^\ufeff/u, "");
  }
}

/** ID3v2.3's and v2.2's name frames, which music-metadata parts at "/" (their list separator), with the common names each gives. */
const SLASHED_NAME_FRAMES: Record<string, readonly string[]> = {
  TPE1: ["artist", "artists"],
  TP1: ["artist", "artists"],
  TPE2: ["albumartist", "albumartists"],
  TP2: ["albumartist", "albumartists"],
  TCOM: ["composer"],
  TCM: ["composer"],
};
const ONE_TOKEN = /^\S+$/u;

/**
 * A name with a slash of its own ("AC/DC", "N/A") in an ID3v2.3 name frame, which music-metadata parted into names
 * ("AC", "DC") as it parts "Terry Pratchett/Neil Gaiman": such parts are one name again when each is one word and one
 * is two characters at most, as no writer's or reader's name is; parts that are names (two words, or longer single
 * names: "Moebius/Jodorowsky") stay a list.
 */
function rejoinSlashedName(meta: IAudioMetadata): void {
  for (const format of ["ID3v2.3", "ID3v2.2"]) {
    const tags = meta.native[format];
    if (tags === undefined) continue;
    for (const [id, fields] of Object.entries(SLASHED_NAME_FRAMES)) {
      const first = tags.findIndex((tag) => tag.id === id);
      if (first < 0) continue;
      let end = first;
      while (end < tags.length && tags[end].id === id) end++;
      const parts = tags.slice(first, end).map((tag) => tag.value);
      if (parts.length < 2 || !parts.every((p) => typeof p === "string" && ONE_TOKEN.test(p)) || !parts.some((p) => (p as string).length <= 2)) continue;
      const joined = parts.join("/");
      tags.splice(first, end - first, { id, value: joined });
      const common = meta.common as unknown as Record<string, unknown>;
      for (const field of fields) {
        const value = common[field];
        if (Array.isArray(value)) common[field] = value.every((v) => parts.includes(v)) ? [joined] : value;
        else if (typeof value === "string" && parts.includes(value)) common[field] = joined;
      }
    }
  }
}

/** ID3v2.4's name frames, with the common fields each gives: the list and, where there is one, the single value. */
const V24_NAME_FRAMES: Record<string, [list: string, single?: string]> = { TPE1: ["artists", "artist"], TPE2: ["albumartists", "albumartist"], TCOM: ["composer"] };
const TWO_WORDS = /^\S+(?:\s+\S+)+$/u;

/**
 * Names an ID3v2.4 name frame lists with "/" ("Terry Pratchett/Neil Gaiman", as Mp3tag and others write lists in
 * either version): v2.4 parts a frame's values at NUL only, so they were one writer. When every part is a name of two
 * words or more they are spelled "A / B", the list an ID3v2.3 frame gives, which the name readings part and judge
 * (two writers, or a writer and the reader the folders tell apart); "AC/DC", "N/A" and "Moebius/Jodorowsky" stay one.
 * The native frame keeps its one value: a frame per name read as two writers where the folders named one.
 */
function splitV24SlashedNames(meta: IAudioMetadata): void {
  const tags = meta.native["ID3v2.4"];
  if (tags === undefined) return;
  const common = meta.common as unknown as Record<string, unknown>;
  for (const tag of tags) {
    const fields = V24_NAME_FRAMES[tag.id];
    const parts = fields !== undefined && typeof tag.value === "string" && tag.value.includes("/") ? tag.value.split("/").map((p) => p.trim()) : null;
    if (parts === null || !parts.every((p) => TWO_WORDS.test(p))) continue;
    const spelled = parts.join(" / ");
    const [list, single] = fields!;
    const values = common[list];
    if (Array.isArray(values)) common[list] = values.map((v) => (v === tag.value ? spelled : v));
    if (single !== undefined && common[single] === tag.value) common[single] = spelled;
  }
}

/**
 * The ID3v2 tag's frames as walked (id3-genre-frame.ts), for what music-metadata's values cannot tell:
 * - its genre frame read again from its text by the spec (id3-genre.ts): "(12)(Audiobook)" was read as "Other" and
 *   "Sci-Fi (Hard)" as "Sci-Fi"; an ID3v2.3 or v2.2 one parting its values with NUL (v2.4's way) has each read, with a
 *   note that the tag mixes versions;
 * - an encrypted frame, or a compressed one that does not inflate within bounds (music-metadata reads its bytes as
 *   text, a title "\0\0dx\x9c..."), left out, with a note.
 */
function scanId3(scan: Id3FrameScan, meta: IAudioMetadata, notes: string[]): void {
  const major = [4, 3, 2].find((n) => meta.native[`ID3v2.${n}`] !== undefined);
  if (major === undefined) return;
  const format = `ID3v2.${major}`;
  const genreId = major === 2 ? "TCO" : "TCON";
  const unreadable = new Map(scan.unreadable.map(({ id, why }) => [id, why]));
  if (unreadable.size > 0) {
    const dropped = meta.native[format].filter((tag) => unreadable.has(tag.id)).map((tag) => nativeValue(tag.value));
    meta.native[format] = meta.native[format].filter((tag) => !unreadable.has(tag.id));
    const common = meta.common as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(common)) {
      if (dropped.includes(value)) delete common[key];
      else if (Array.isArray(value) && value.some((v) => dropped.includes(v))) common[key] = value.filter((v) => !dropped.includes(v));
    }
    for (const [id, why] of unreadable) {
      notes.push(why === "encrypted" ? `its ${shownKey(id)} frame is encrypted, which shelfwise does not read (no tagger in use writes such frames): left out` : `its ${shownKey(id)} frame is ${why}: left out`);
    }
  }
  const tags = meta.native[format];
  if (scan.genre === null || unreadable.has(genreId) || !tags.some((tag) => tag.id === genreId)) return;
  const genres = readGenreText(scan.genre);
  if (major < 4 && scan.genre.includes("\u0000")) {
    notes.push(`its ID3v2.${major} ${genreId} frame parts its values with NUL, as ID3v2.4 does: the tag mixes versions; each value was read`);
  }
  const at = tags.findIndex((tag) => tag.id === genreId);
  const others = tags.filter((tag) => tag.id !== genreId);
  others.splice(at, 0, ...genres.map((value) => ({ id: genreId, value })));
  meta.native[format] = others;
  if (genres.length > 0) meta.common.genre = genres;
  else delete meta.common.genre;
}

/** Native ids that hold a genre, lower-cased: ID3v2's, ID3v1's (music-metadata's "genre"), MP4's, Vorbis' and APE's, ASF's, RIFF INFO's. */
const GENRE_IDS = new Set(["tcon", "tco", "genre", "\u00a9gen", "wm/genre", "ignr"]);

/** "Other" (ID3v1's genre 12, in any tag that copied it) names no genre: no evidence of one for the claims or plugins. */
function dropNoGenre(meta: IAudioMetadata): void {
  if (meta.common.genre?.some(isNoGenre)) {
    const genres = meta.common.genre.filter((genre) => !isNoGenre(genre));
    if (genres.length > 0) meta.common.genre = genres;
    else delete meta.common.genre;
  }
  for (const [format, tags] of Object.entries(meta.native)) {
    if (tags.some((tag) => GENRE_IDS.has(tag.id.toLowerCase()) && typeof tag.value === "string" && isNoGenre(tag.value))) {
      meta.native[format] = tags.filter((tag) => !(GENRE_IDS.has(tag.id.toLowerCase()) && typeof tag.value === "string" && isNoGenre(tag.value)));
    }
  }
}

function hasRepeatedTxxx(meta: IAudioMetadata): boolean {
  return ["ID3v2.3", "ID3v2.2"].some((format) => {
    const tags = meta.native[format];
    return tags !== undefined && tags.some((tag, i) => i > 0 && tag.id === tags[i - 1].id && tag.id.startsWith("TXX"));
  });
}

/**
 * music-metadata parts every ID3v2.3 and v2.2 TXXX value at "/" (Picard's way of flattening lists), so
 * TXXX:SERIES "Fate/Zero" came back as "Fate" and "Zero", and "N/A" as the series "N", and a TXXX:DESCRIPTION
 * ended at its first slash. Only names are listed so ("Terry Pratchett/Neil Gaiman" in TXXX:AUTHOR): the parts of
 * any other TXXX frame are one value again. Which entries came from one frame is read off the tag's own frames (a
 * walk of their headers): two TXXX:SERIES frames ("Mistborn", then "Cosmere") are two values, the first the series,
 * never "Mistborn/Cosmere". A tag that cannot be walked (unsynchronised, an extended header, not at the start) has
 * the adjacent parts of one id joined, as before the walk.
 */
async function rejoinTxxxSlashes(file: string, meta: IAudioMetadata, tagBytes?: Buffer): Promise<void> {
  const frames = await txxxFrameParts(file, tagBytes).catch(() => null);
  for (const format of ["ID3v2.3", "ID3v2.2"]) {
    const tags = meta.native[format];
    if (tags === undefined) continue;
    const txxx = tags.filter((tag) => tag.id.startsWith("TXX"));
    const walked = frames !== null && frames.major === Number(format.slice(-1)) && frames.parts.reduce((sum, p) => sum + p.count, 0) === txxx.length ? frames.parts : null;
    const out: typeof tags = [];
    let frame = -1;
    let left = 0;
    let lastFrame = -1;
    for (const tag of tags) {
      let thisFrame = -1;
      if (walked !== null && tag.id.startsWith("TXX")) {
        if (left === 0) left = walked[++frame].count;
        left--;
        thisFrame = frame;
      }
      const last = out[out.length - 1];
      const adjacent = last !== undefined && tag.id === last.id && tag.id.startsWith("TXX");
      const join = walked !== null ? adjacent && thisFrame === lastFrame && walked[thisFrame].slash : adjacent;
      if (join && typeof tag.value === "string" && typeof last!.value === "string" && !TXXX_NAME_LIST.test(tag.id)) {
        out[out.length - 1] = { id: last!.id, value: `${last!.value}/${tag.value}` };
      } else out.push(tag);
      lastFrame = thisFrame;
    }
    meta.native[format] = out;
  }
}

/** Each TXXX frame of the file's ID3v2.3 or v2.2 tag, in order: how many values music-metadata made of it, and whether by "/". */
async function txxxFrameParts(file: string, tagBytes?: Buffer): Promise<{ major: number; parts: { count: number; slash: boolean }[] } | null> {
  const handle = tagBytes === undefined ? await open(file, constants.O_RDONLY | constants.O_NONBLOCK) : null;
  try {
    const header = Buffer.alloc(10);
    const { bytesRead } = handle === null ? { bytesRead: tagBytes!.copy(header, 0, 0, 10) } : await handle.read(header, 0, 10, 0);
    const major = header[3];
    if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3" || (major !== 2 && major !== 3) || (header[5] & 0xc0) !== 0) return null;
    const size = syncsafeAt(header, 6);
    if (size > MAX_ID3_TAG_BYTES) return null;
    const tag = handle === null ? tagBytes!.subarray(10, 10 + size) : Buffer.alloc(size);
    const got = handle === null ? tag.length : (await handle.read(tag, 0, size, 10)).bytesRead;
    const headLength = major === 2 ? 6 : 10;
    const parts: { count: number; slash: boolean }[] = [];
    for (let at = 0; at + headLength <= got && tag[at] !== 0; ) {
      const id = tag.toString("latin1", at, at + (major === 2 ? 3 : 4));
      const length = major === 2 ? tag.readUIntBE(at + 3, 3) : tag.readUInt32BE(at + 4);
      const data = tag.subarray(at + headLength, Math.min(got, at + headLength + length));
      if (id === "TXXX" || id === "TXX") parts.push(txxxParts(data));
      at += headLength + length;
    }
    return { major, parts };
  } finally {
    await handle?.close();
  }
}

/** How music-metadata parts one TXXX frame's value: at NULs when it holds any past its end, else at "/". */
function txxxParts(data: Buffer): { count: number; slash: boolean } {
  const encoding = data[0];
  const wide = encoding === 1 || encoding === 2;
  let at = 1;
  // The description ends at its terminator: one NUL byte, or two on a UTF-16 unit's boundary.
  if (wide) {
    while (at + 1 < data.length && (data[at] !== 0 || data[at + 1] !== 0)) at += 2;
    at += 2;
  } else {
    while (at < data.length && data[at] !== 0) at++;
    at += 1;
  }
  const value = decodeId3Text(data.subarray(Math.min(at, data.length)), encoding).replace(/\u0000+$/u, "");
  const nuls = value.split("\u0000").length;
  return nuls > 1 ? { count: nuls, slash: false } : { count: value.split("/").length, slash: true };
}

/** TXXX descriptions whose values are people's names, which a "/" lists. */
const TXXX_NAME_LIST = /^TXXX?:(?:.*(?:author|narrat|reader|read.?by|performer|artist|composer|writer|sprecher|vorleser))/iu;

/**
 * ID3 frames marked Latin-1 often hold UTF-8 or Windows-1252 bytes (many
 * taggers write them so); music-metadata reads them as Latin-1, so the text is
 * repaired before anything reads it (claims, the raw tags plugins see). Each
 * kind of repair is said once in `notes` (a warning on the layer's evidence,
 * shown on the book's page), naming the tags and one value before and after:
 * a repair is a guess the owner can check, and the tag editor is where it is
 * fixed for good.
 */
function repairTagText(meta: IAudioMetadata, notes: string[]): void {
  // Only ID3v2 has UTF-16 text (utf16-byte-order.ts): the common values are swapped back only when it is read.
  const id3 = meta.format.tagTypes.some((t) => t.startsWith("ID3v2"));
  const repair = id3 ? (text: string) => repairLatin1Text(unswapUtf16(text)) : repairLatin1Text;
  const common = meta.common as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(common)) {
    if (typeof value === "string") common[key] = repair(value);
    else if (Array.isArray(value)) common[key] = value.map((v: unknown) => (typeof v === "string" ? repair(v) : v));
  }
  const repaired = new Map<Latin1Repair, { keys: Set<string>; before: string; after: string; onlyId3v1: boolean }>();
  const fixNative = (format: string, id: string, text: string): string => {
    const own = format.startsWith("ID3v2") ? unswapUtf16(text) : text;
    const { text: after, from } = repairLatin1(own);
    if (from !== null) {
      const seen = repaired.get(from);
      if (seen === undefined) repaired.set(from, { keys: new Set([shownKey(id)]), before: own, after, onlyId3v1: format === "ID3v1" });
      else {
        seen.keys.add(shownKey(id));
        seen.onlyId3v1 &&= format === "ID3v1";
      }
    }
    return after;
  };
  for (const [format, tags] of Object.entries(meta.native)) {
    for (const tag of tags) {
      const value: unknown = tag.value;
      if (typeof value === "string") tag.value = fixNative(format, tag.id, value);
      else if (value && typeof value === "object" && "text" in value && typeof value.text === "string") {
        (value as { text: string }).text = fixNative(format, tag.id, value.text);
      }
    }
  }
  for (const [from, { keys, before, after, onlyId3v1 }] of repaired) notes.push(repairNote(from, [...keys], before, after, onlyId3v1));
}

const REPAIRED_AS: Record<Latin1Repair, string> = {
  "utf-8": "UTF-8 text read as Latin-1 or Windows-1252",
  "utf-8 twice": "UTF-8 text encoded twice over (read as Latin-1 and saved as UTF-8 again)",
  "windows-1251": "Windows-1251 (Cyrillic) text marked as Latin-1",
  ibm866: "CP866 (DOS Cyrillic) text marked as Latin-1",
  shift_jis: "Shift-JIS (Japanese) text marked as Latin-1",
};
const MAX_KEYS_NAMED = 5;
const MAX_SAMPLE_CHARS = 60;

function repairNote(from: Latin1Repair, keys: string[], before: string, after: string, onlyId3v1: boolean): string {
  const named = keys.length > MAX_KEYS_NAMED ? `${keys.slice(0, MAX_KEYS_NAMED).join(", ")} and ${keys.length - MAX_KEYS_NAMED} more` : keys.join(", ");
  const sample = (text: string) => `"${terminalSafe(text.length > MAX_SAMPLE_CHARS ? `${text.slice(0, MAX_SAMPLE_CHARS)}…` : text)}"`;
  return `its ${named} tag${keys.length > 1 ? "s" : ""} held ${REPAIRED_AS[from]}: read as ${sample(after)}, not ${sample(before)}; ${onlyId3v1 ? "ID3v1 cannot hold UTF-8 (Latin-1 only): re-save the tags as ID3v2 with a tag editor" : "re-save the tags as UTF-8"} to keep it so`;
}

/**
 * The file's tags read from its ID3v2 tag as id3-value-bound.ts bounds, unsynchronises and inflates it (`cut`, null
 * when it needs none of that: then the file is read as it is), and its frames walked from the same bytes (`scan`).
 * Null when the tag is small and plain and not `always` (a tag whose compressed frames inflate is read so).
 * What follows the tag is the audio's first frames only: an APEv2 or ID3v1 tag at the end of such a file is not read.
 */
async function id3ValuesBounded(file: string, head: Buffer, always: boolean): Promise<{ cut: { meta: IAudioMetadata; tag: Buffer; notes: string[] } | null; scan: Id3FrameScan | null } | null> {
  // The sniff's first bytes say whether there is anything to walk: most files are not opened again.
  if (head.length < 10 || head.toString("latin1", 0, 3) !== "ID3") return null;
  const headSize = syncsafeAt(head, 6);
  if ((!always && headSize <= WALK_FROM_BYTES && (head[5] & 0xc0) === 0) || headSize > MAX_ID3_TAG_BYTES) return null;
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) return null;
    const header = Buffer.alloc(10);
    const { bytesRead } = await handle.read(header, 0, 10, 0);
    if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3") return null;
    const size = syncsafeAt(header, 6);
    // An unsynchronised tag (a v2.4 one by its header's flag) and an extended header are read as id3-value-bound.ts makes them, whatever their size.
    const misread = (header[5] & 0xc0) !== 0;
    if ((!always && size <= WALK_FROM_BYTES && !misread) || size > MAX_ID3_TAG_BYTES) return null;
    const bytes = Buffer.alloc(10 + size + AUDIO_AFTER_TAG);
    let filled = 0;
    for (let read = -1; read !== 0 && filled < bytes.length; filled += read) ({ bytesRead: read } = await handle.read(bytes, filled, bytes.length - filled, filled));
    if (filled < 10 + size) return null;
    const tagBytes = bytes.subarray(0, 10 + size);
    // The frames walked from the bytes read here: the walk needs no read of its own.
    const scan = scanId3Tag(tagBytes);
    const cut = boundId3Values(tagBytes, MAX_TAG_VALUES);
    if (cut === null) return { cut: null, scan };
    const rebuilt = Buffer.concat([cut.tag, bytes.subarray(10 + size + ((header[5] & 0x10) !== 0 ? 10 : 0), filled)]);
    return { cut: { meta: await parseBuffer(rebuilt, { mimeType: "audio/mpeg", size: rebuilt.length }, parseOptions()), tag: cut.tag, notes: cut.notes }, scan };
  } finally {
    await handle.close();
  }
}

/**
 * Largest ID3v2 tag read. music-metadata holds a whole ID3v2 tag in memory
 * and decodes its frames: a crafted 256 MB tag (the format's maximum) took
 * 14 s and 870 MB of memory for one file, and a few read at once could
 * exhaust memory and kill the run. Real tags, cover art included, are a few MB.
 */
export const MAX_ID3_TAG_BYTES = 64 * 1024 * 1024;

/**
 * Refuses what must not reach the parser: anything but a regular file (a FIFO
 * that replaced a file after the scan would block a read forever) and an
 * oversized ID3v2 tag. Only files whose size is unknown or above the tag cap
 * are opened here; a smaller file cannot hold a larger tag.
 */
function checkHeader(stats: Stats, head: Buffer, knownSize: number | undefined): void {
  if (!stats.isFile()) throw new Error("not a regular file");
  if (knownSize !== undefined && knownSize <= MAX_ID3_TAG_BYTES) return;
  checkId3Size(head);
}

/**
 * The file's tags read again from its ID3v2 tag as music-metadata cannot read it, or null when there is nothing
 * to read again:
 * - an extended header: music-metadata skips a fixed 10 bytes for one, which is right only for ID3v2.3's CRC-less
 *   header; ID3v2.4's 6-byte one and ID3v2.3's 14-byte one (with a CRC, as iTunes and some Windows taggers write)
 *   left every frame misread. The header only says what the tag was checked or restricted with: it is taken out.
 * - an APEv2 tag before the ID3v2 tag (some MP3Gain and foobar2000 versions wrote the APE tag with its header at the
 *   file's start): the ID3v2 tag after it is not looked for. It is read where it is.
 */
async function misreadId3(file: string): Promise<IAudioMetadata | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) return null;
    const header = Buffer.alloc(32);
    let { bytesRead } = await handle.read(header, 0, 32, 0);
    let start = 0;
    // APEv2's header: "APETAGEX", version, the tag's size without this 32-byte header, items, flags.
    if (bytesRead === 32 && header.toString("latin1", 0, 8) === "APETAGEX" && (header.readUInt32LE(20) & 0x20000000) !== 0) {
      start = 32 + header.readUInt32LE(12);
      ({ bytesRead } = await handle.read(header, 0, 10, start));
    }
    const major = header[3];
    if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3" || (major !== 3 && major !== 4)) return null;
    const extendedFlag = (header[5] & 0x40) !== 0;
    if (!extendedFlag && start === 0) return null;
    const size = syncsafeAt(header, 6);
    if (size > MAX_ID3_TAG_BYTES) return null;
    // The tag and the audio after it: the parser wants a frame or two to know the file for an MPEG one.
    const bytes = Buffer.alloc(size + AUDIO_AFTER_TAG);
    let filled = 0;
    for (let read = -1; read !== 0 && filled < bytes.length; filled += read) ({ bytesRead: read } = await handle.read(bytes, filled, bytes.length - filled, start + 10 + filled));
    if (filled < 6) return null;
    // ID3v2.3 counts the extended header's size without its own 4 bytes, ID3v2.4 (in syncsafe digits) with them.
    const extended = !extendedFlag ? 0 : major === 3 ? 4 + bytes.readUInt32BE(0) : syncsafeAt(bytes, 0);
    if (extendedFlag && (extended < 6 || extended > Math.min(size, filled))) return null;
    const rebuilt = Buffer.concat([header.subarray(0, 10), bytes.subarray(extended, filled)]);
    rebuilt[5] &= ~0x40;
    writeSyncsafe(rebuilt, 6, size - extended);
    return await parseBuffer(rebuilt, { mimeType: "audio/mpeg", size: rebuilt.length }, parseOptions());
  } catch {
    // The first read's answer stands: this one only ever adds what it could not see.
    return null;
  } finally {
    await handle.close();
  }
}
const AUDIO_AFTER_TAG = 16 * 1024;

/**
 * An ID3v2.4 tag appended to the stream's end (its "3DI" footer last, or just before an ID3v1 tag), as the standard
 * allows and some taggers and streaming rippers write it: music-metadata reads ID3v2 only at the start, so such a file
 * gave its ID3v1 tag at best (30 characters, no narrator or series). Read where it is, then its values over the
 * ID3v1 tag's; null when there is none.
 */
async function appendedId3(file: string, first: IAudioMetadata): Promise<IAudioMetadata | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size < 20) return null;
    const tail = Buffer.alloc(Math.min(138, stats.size));
    await handle.read(tail, 0, tail.length, stats.size - tail.length);
    const footerAt = [tail.length - 10, tail.length - 138].find((at) => at >= 0 && tail.toString("latin1", at, at + 3) === "3DI" && tail[at + 3] === 4);
    if (footerAt === undefined) return null;
    const size = syncsafeAt(tail, footerAt + 6);
    const start = stats.size - tail.length + footerAt - size - 10;
    if (size > MAX_ID3_TAG_BYTES || start < 0) return null;
    const tag = Buffer.alloc(10 + size);
    const { bytesRead } = await handle.read(tag, 0, tag.length, start);
    if (bytesRead < tag.length || tag.toString("latin1", 0, 4) !== "ID3\u0004") return null;
    // The parser wants a frame or two of audio after the tag to know the stream; the footer it does not know.
    const audio = Buffer.alloc(Math.min(AUDIO_AFTER_TAG, start));
    await handle.read(audio, 0, audio.length, 0);
    tag[5] &= ~0x10;
    const found = await parseBuffer(Buffer.concat([tag, audio]), { mimeType: "audio/mpeg", size: tag.length + audio.length }, parseOptions());
    if (!found.format.tagTypes.some((t) => t.startsWith("ID3v2"))) return null;
    const common = found.common as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(first.common)) {
      const own = common[key];
      if (own === undefined || own === null || (Array.isArray(own) && own.length === 0) || (typeof own === "object" && own !== null && "no" in own && (own as { no: unknown }).no === null)) common[key] = value;
    }
    return { ...found, format: { ...first.format, tagTypes: [...new Set([...first.format.tagTypes, ...found.format.tagTypes])] }, native: { ...first.native, ...found.native }, quality: first.quality };
  } catch {
    // The first read's answer stands: this one only ever adds what it could not see.
    return null;
  } finally {
    await handle.close();
  }
}

/** Whether a value (or TXXX description) of the file's ID3v2 tag reads as big-endian UTF-16 taken for little-endian. */
function hasSwappedUtf16(meta: IAudioMetadata): boolean {
  const swapped = (text: unknown) => typeof text === "string" && unswapUtf16(text) !== text;
  return Object.entries(meta.native).some(
    ([format, tags]) => format.startsWith("ID3v2") && tags.some((tag) => swapped(tag.id.slice(tag.id.indexOf(":") + 1)) || swapped(tag.value) || swapped((tag.value as { text?: unknown } | null)?.text)),
  );
}

/**
 * The file's ID3v2 tag (at its start) read again with its unmarked UTF-16 strings marked big-endian
 * (id3-bom-restore.ts), its values over the first read's; null when the tag cannot be so read (the first read stands).
 */
async function withUtf16Marks(file: string, first: IAudioMetadata): Promise<IAudioMetadata | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const header = Buffer.alloc(10);
    const { bytesRead } = await handle.read(header, 0, 10, 0);
    if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3") return null;
    const size = syncsafeAt(header, 6);
    if (size > MAX_ID3_TAG_BYTES) return null;
    const tag = Buffer.alloc(10 + size + AUDIO_AFTER_TAG);
    let filled = 0;
    for (let read = -1; read !== 0 && filled < tag.length; filled += read) ({ bytesRead: read } = await handle.read(tag, filled, tag.length - filled, filled));
    if (filled < 10 + size) return null;
    const rebuilt = restoreUtf16Marks(tag.subarray(0, 10 + size));
    if (rebuilt === null) return null;
    // The parser wants a frame or two of audio after the tag to know the stream.
    const bytes = Buffer.concat([rebuilt, tag.subarray(10 + size, filled)]);
    const found = await parseBuffer(bytes, { mimeType: "audio/mpeg", size: bytes.length }, parseOptions());
    if (!found.format.tagTypes.some((t) => t.startsWith("ID3v2"))) return null;
    const common = found.common as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(first.common)) common[key] ??= value;
    return { ...found, format: first.format, native: { ...first.native, ...found.native }, quality: first.quality };
  } catch {
    // The first read's answer stands: this one only ever mends what it read.
    return null;
  } finally {
    await handle.close();
  }
}

/** Bytes read past an ID3v2 tag (or from the start, without one) for the tags a U+FFFD is looked up in: Ogg's and FLAC's comments come first. */
const HEAD_BYTES = 4 * 1024 * 1024;
/** Bytes read at the file's end for the same (an appended ID3v2.4 tag, an APEv2 tag). */
const TAIL_BYTES = 1024 * 1024;

/** The start of the file where its tags are: its ID3v2 tag (bounded as parsing it is) and HEAD_BYTES after it. */
async function headBytes(file: string): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return Buffer.alloc(0);
    const header = Buffer.alloc(10);
    const { bytesRead } = await handle.read(header, 0, 10, 0);
    const id3 = bytesRead === 10 && header.toString("latin1", 0, 3) === "ID3" ? 10 + Math.min(syncsafeAt(header, 6), MAX_ID3_TAG_BYTES) : 0;
    const bytes = Buffer.alloc(Math.min(stats.size, id3 + HEAD_BYTES));
    let filled = 0;
    for (let read = -1; read !== 0 && filled < bytes.length; filled += read) ({ bytesRead: read } = await handle.read(bytes, filled, bytes.length - filled, filled));
    if (stats.size <= filled) return bytes.subarray(0, filled);
    // Tags at the end (an appended ID3v2.4 tag, APEv2) are looked for in the file's last bytes; a newline between the
    // two reads keeps a run of bytes from spanning them.
    const tail = Buffer.alloc(Math.min(stats.size - filled, TAIL_BYTES));
    const { bytesRead: got } = await handle.read(tail, 0, tail.length, stats.size - tail.length);
    return Buffer.concat([bytes.subarray(0, filled), Buffer.from("\n"), tail.subarray(0, got)]);
  } finally {
    await handle.close();
  }
}

/**
 * A U+FFFD that ends a value after mending is a character its bytes cut short: a UTF-16 value of an odd byte count
 * (its last byte half a unit: "Dune\uFFFD"), a UTF-8 value cut inside a character by a field's length. It is dropped:
 * it stood in titles and names, splitting their votes from the same value read clean elsewhere. Only in a file whose
 * bytes hold no U+FFFD of their own (UTF-8's, or UTF-16's either way round): one a tagger wrote is the tag's text.
 */
function dropCutCharacters(meta: IAudioMetadata): void {
  const trim = (value: unknown) => (typeof value === "string" && value.endsWith("\ufffd") ? value.replace(/\ufffd+$/u, "") : value);
  const common = meta.common as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(common)) {
    if (typeof value === "string") common[key] = trim(value);
    else if (Array.isArray(value)) common[key] = value.map(trim);
  }
  for (const tags of Object.values(meta.native)) {
    for (const tag of tags) {
      const value: unknown = tag.value;
      if (typeof value === "string") tag.value = trim(value);
      else if (value && typeof value === "object" && "text" in value && typeof value.text === "string") (value as { text: string }).text = trim(value.text) as string;
    }
  }
}

const OWN_REPLACEMENT = [Buffer.from("\ufffd", "utf8"), Buffer.from([0xfd, 0xff]), Buffer.from([0xff, 0xfd])];

/** music-metadata's error (a DataView's) when a FLAC comment block's count sends it past the block's end. */
const OUT_OF_BOUNDS = /outside the bounds/u;

/** A FLAC whose comment block claims more comments than it holds: the comments it holds (flac-cut.ts). */
async function flacRepaired(file: string): Promise<FileTags | null> {
  const repaired = await flacCutShort(file, true);
  if (repaired === null || repaired.bytes === null) return null;
  return { meta: await parseBuffer(repaired.bytes, { mimeType: "audio/flac", size: repaired.bytes.length }, parseOptions()), notes: [repaired.note] };
}

/**
 * A file music-metadata refused whose end holds an APEv2 tag (foobar2000's and Mp3tag's, before an ID3v1 tag or not):
 * a tag or item size past the tag's end (a broken tagger, a crafted file) makes the whole file fail, its ID3v2 tag
 * included. The file is read again as a stream, which music-metadata cannot look at the end of: the tags at its start
 * and its audio, the APEv2 tag left out with a warning. Null when there is no APEv2 tag at the end (the error stands).
 */
async function withoutBrokenApe(file: string): Promise<FileTags | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return null;
    const tail = Buffer.alloc(Math.min(APE_FOOTER + ID3V1, stats.size));
    await handle.read(tail, 0, tail.length, stats.size - tail.length);
    if (![tail.length - APE_FOOTER, tail.length - APE_FOOTER - ID3V1].some((at) => at >= 0 && tail.toString("latin1", at, at + 8) === "APETAGEX")) return null;
    const stream = handle.createReadStream({ start: 0, autoClose: false });
    try {
      const meta = await parseStream(stream, { size: stats.size }, parseOptions());
      return { meta, notes: ["its APEv2 tag at the end claims sizes past its end (a broken or crafted tag): left out; the file's other tags were read"] };
    } catch {
      return null;
    } finally {
      stream.destroy();
    }
  } finally {
    await handle.close();
  }
}
const APE_FOOTER = 32;
const ID3V1 = 128;
/** The size of an APEv2 tag with header whose "TAG" (in "APETAGEX") falls where an ID3v1 tag starts. */
const APE_AS_ID3V1 = ID3V1 + 3;

/** music-metadata's error for an ID3v2 tag whose size runs past the file's end (a download or copy cut short). */
const FRAME_ID = /^[A-Z0-9]{3,4}$/u;
const ID3_PAST_END = /^ID3v2 tag size \d+ exceeds remaining file size/u;

/**
 * An ID3v2 tag whose size runs past the file's end: music-metadata refuses the whole file, though the frames before
 * the cut are whole. They are read; the frame the cut went through is not (its value is cut, or swallowed the bytes
 * after it). The tag is read from the file as it is, so a lying size costs no more than the file's bytes; a file over
 * the ID3 cap, or a tag with no whole frame, stays refused. Null when there is nothing to read.
 */
async function id3PastEnd(file: string): Promise<FileTags | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size - 10 > MAX_ID3_TAG_BYTES) return null;
    const header = Buffer.alloc(10);
    const { bytesRead } = await handle.read(header, 0, 10, 0);
    const major = header[3];
    if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3" || major < 2 || major > 4) return null;
    const claimed = syncsafeAt(header, 6);
    const tag = Buffer.alloc(Math.max(0, Math.min(claimed, stats.size - 10)));
    let filled = 0;
    for (let read = -1; read !== 0 && filled < tag.length; filled += read) ({ bytesRead: read } = await handle.read(tag, filled, tag.length - filled, 10 + filled));
    let end = filled;
    // Unsynchronised or extended tags are not walked (their bytes are not the frames' as they stand): only cut.
    if ((header[5] & 0xc0) === 0) {
      const headLength = major === 2 ? 6 : 10;
      end = 0;
      while (end + headLength <= filled && FRAME_ID.test(tag.toString("latin1", end, end + (major === 2 ? 3 : 4)))) {
        const length = major === 2 ? tag.readUIntBE(end + 3, 3) : major === 4 ? syncsafeAt(tag, end + 4) : tag.readUInt32BE(end + 4);
        if (end + headLength + length > filled) break;
        end += headLength + length;
      }
    }
    if (end === 0) return null;
    const rebuilt = Buffer.concat([header, tag.subarray(0, end)]);
    writeSyncsafe(rebuilt, 6, end);
    const meta = await parseBuffer(rebuilt, { mimeType: "audio/mpeg", size: rebuilt.length }, parseOptions());
    if (!meta.format.tagTypes.some((t) => t.startsWith("ID3v2"))) return null;
    return { meta, notes: [`its ID3v2 tag claims ${claimed} bytes but the file ends after ${filled} (cut short?): the frames before the cut were read`] };
  } finally {
    await handle.close();
  }
}

/** music-metadata's warning when the tag's frames do not end where the tag does. */
const ID3_CUT_SHORT = "Illegal ID3v2 tag length";
const V24_BAD_FRAME = "Invalid ID3v2.4 frame-header-ID";

/**
 * The file's tags read again from its ID3v2.4 tag with the frame sizes written as plain numbers made syncsafe
 * (id3-v24-sizes.ts), or null when its tag has none such. The tag is bounded as any other (id3-value-bound.ts).
 */
async function v24PlainSizesRead(file: string): Promise<{ meta: IAudioMetadata; notes: string[] } | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) return null;
    const header = Buffer.alloc(10);
    const { bytesRead } = await handle.read(header, 0, 10, 0);
    if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3" || header[3] !== 4) return null;
    const size = syncsafeAt(header, 6);
    if (size > MAX_ID3_TAG_BYTES) return null;
    const bytes = Buffer.alloc(10 + size + AUDIO_AFTER_TAG);
    let filled = 0;
    for (let read = -1; read !== 0 && filled < bytes.length; filled += read) ({ bytesRead: read } = await handle.read(bytes, filled, bytes.length - filled, filled));
    if (filled < 10 + size) return null;
    const fixed = withSyncsafeFrameSizes(bytes.subarray(0, 10 + size));
    if (fixed === null) return null;
    // The cut's notes are the file's: what it left out of a tag over 64 KB is said as for any other.
    const cut = boundId3Values(fixed, MAX_TAG_VALUES);
    const rebuilt = Buffer.concat([cut?.tag ?? fixed, bytes.subarray(10 + size + ((header[5] & 0x10) !== 0 ? 10 : 0), filled)]);
    return { meta: await parseBuffer(rebuilt, { mimeType: "audio/mpeg", size: rebuilt.length }, parseOptions()), notes: cut?.notes ?? [] };
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * A frame claiming more bytes than its tag holds (a 4 GB size, a tag cut short by a tagger that crashed): music-
 * metadata takes the rest of the tag as its value, so a title read "ALB\0\0\0\5DuneTPE1\0\0\0\x0eFrank Herbert",
 * the frames after it swallowed. Such a frame is the last one read; it is dropped, with what it gave the common
 * names. Only when the frames, walked here, show one overrunning: a few stray bytes after the last frame raise the
 * same warning and cost nothing.
 */
async function dropOverrunFrame(file: string, meta: IAudioMetadata): Promise<void> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  let overrun: string | null = null;
  try {
    const header = Buffer.alloc(10);
    const { bytesRead } = await handle.read(header, 0, 10, 0);
    const major = header[3];
    // Unsynchronised or extended tags are not walked: their bytes are not the frames' as they stand.
    if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3" || (major !== 3 && major !== 4) || (header[5] & 0xc0) !== 0) return;
    const size = syncsafeAt(header, 6);
    if (size > MAX_ID3_TAG_BYTES) return;
    const frameHead = Buffer.alloc(10);
    for (let at = 0; at + 10 <= size; ) {
      const { bytesRead: got } = await handle.read(frameHead, 0, 10, 10 + at);
      if (got < 10 || frameHead[0] === 0) break;
      const length = major === 4 ? syncsafeAt(frameHead, 4) : frameHead.readUInt32BE(4);
      if (at + 10 + length > size) {
        overrun = frameHead.toString("latin1", 0, 4);
        break;
      }
      at += 10 + length;
    }
  } finally {
    await handle.close();
  }
  const tags = meta.native[`ID3v2.${major(meta)}`];
  if (overrun === null || tags === undefined) return;
  let first = tags.length;
  while (first > 0 && tags[first - 1].id.startsWith(overrun)) first--;
  const dropped = tags.slice(first).map((tag) => nativeValue(tag.value));
  // A lying size over intact text and zero padding ("Frank Herbert\0\0\0") is kept: only swallowed frame headers
  // (their sizes and flags are control bytes) say the value is not the frame's own.
  if (!dropped.some((value) => typeof value === "string" && SWALLOWED_HEADER.test(value))) return;
  tags.splice(first);
  const common = meta.common as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(common)) {
    if (dropped.includes(value)) delete common[key];
    else if (Array.isArray(value) && value.some((v) => dropped.includes(v))) common[key] = value.filter((v) => !dropped.includes(v));
  }
}

const SWALLOWED_HEADER = /[\u0000-\u0008\u000e-\u001f\ufffd]/u;

function major(meta: IAudioMetadata): string {
  return meta.format.tagTypes.find((t) => t.startsWith("ID3v2."))?.slice(6) ?? "";
}

function nativeValue(value: unknown): unknown {
  return value && typeof value === "object" && "text" in value ? (value as { text: unknown }).text : value;
}



function checkId3Size(header: Buffer): void {
  if (header.length < 10 || header.toString("latin1", 0, 3) !== "ID3") return;
  const size = syncsafeAt(header, 6);
  if (size > MAX_ID3_TAG_BYTES) {
    const mb = (n: number) => Math.round(n / (1024 * 1024));
    throw new Error(`its ID3v2 tag claims ${mb(size)} MB, over the ${mb(MAX_ID3_TAG_BYTES)} MB shelfwise reads; re-save the tags with a tag editor`);
  }
}

/**
 * Longest text value kept (a long description is a few thousand characters).
 * A 60 MB title took the claim rules two seconds, and nothing that long is a
 * title, a name or a series.
 */
export const MAX_TAG_TEXT_CHARS = 64 * 1024;

function dropHugeText(meta: IAudioMetadata, notes: string[]): void {
  const huge = (value: unknown) => typeof value === "string" && value.length > MAX_TAG_TEXT_CHARS;
  const note = (key: string, length: number) => notes.push(`its ${key} tag holds ${Math.round(length / 1024)} K characters of text, over the ${MAX_TAG_TEXT_CHARS / 1024} K shelfwise reads; left out`);
  const common = meta.common as unknown as Record<string, unknown>;
  // A common field is one of the native tags under another name ("title" is TIT2): said once, by the native tag's
  // name; a common field's own note only when no native tag was noted.
  const before = notes.length;
  const commonNotes: [string, number][] = [];
  for (const [key, value] of Object.entries(common)) {
    if (huge(value)) {
      commonNotes.push([key, (value as string).length]);
      delete common[key];
    } else if (Array.isArray(value) && value.some(huge)) {
      common[key] = value.filter((v) => !huge(v));
    }
  }
  for (const [format, tags] of Object.entries(meta.native)) {
    if (!tags.some((tag) => huge(tag.value) || huge((tag.value as { text?: unknown } | null)?.text))) continue;
    meta.native[format] = tags.filter((tag) => {
      const text = typeof tag.value === "string" ? tag.value : (tag.value as { text?: unknown } | null)?.text;
      if (!huge(text)) return true;
      if (!notes.some((n) => n.includes(` ${shownKey(tag.id)} tag `))) note(shownKey(tag.id), (text as string).length);
      return false;
    });
  }
  if (notes.length === before) for (const [key, length] of commonNotes) note(key, length);
}

const PARSE_CUT_NOTE = /^its .* frame holds \d+ values, over the /u;

function dropLongLists(meta: IAudioMetadata, notes: string[]): void {
  // A frame cut before the parse (id3-value-bound.ts) was noted with the count the file holds: no second note for it.
  const cutBefore = notes.some((n) => PARSE_CUT_NOTE.test(n));
  const note = (key: string, count: number) => cutBefore || notes.push(tooManyValuesNote(key, count));
  const common = meta.common as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(common)) {
    if (Array.isArray(value) && value.length > MAX_TAG_VALUES) {
      note(key, value.length);
      common[key] = value.slice(0, MAX_TAG_VALUES);
    }
  }
  for (const [format, tags] of Object.entries(meta.native)) {
    if (tags.length <= MAX_TAG_VALUES) continue;
    const seen = new Map<string, number>();
    for (const tag of tags) seen.set(tag.id, (seen.get(tag.id) ?? 0) + 1);
    const over = [...seen].filter(([, count]) => count > MAX_TAG_VALUES);
    if (over.length === 0) continue;
    for (const [id, count] of over) if (!notes.some((n) => n.startsWith(`its ${shownKey(id)} tag holds`))) note(id, count);
    const kept = new Map<string, number>();
    meta.native[format] = tags.filter((tag) => {
      const n = (kept.get(tag.id) ?? 0) + 1;
      kept.set(tag.id, n);
      return n <= MAX_TAG_VALUES;
    });
  }
}


function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
