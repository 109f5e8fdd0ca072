/**
 * Reads a book's embedded tags with music-metadata and turns them into claims
 * (conventions in tag-claims.ts). Only tags are read: no duration scan, no
 * cover art, so a book costs one small header read (two when a multi-file
 * book's track title needs a second file to tell a book title from a chapter).
 * What a file may make music-metadata read is bounded: MP4 files are handed
 * over as their tag boxes only (mp4-tag-boxes.ts), Ogg files as their first
 * pages (ogg-pages.ts), and an ID3v2 tag over MAX_ID3_TAG_BYTES is refused.
 */
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { parseBuffer, parseFile, parseStream, type IAudioMetadata } from "music-metadata";
import { audioExtension } from "../domain/audio-extensions.js";
import type { Claim } from "../domain/fields.js";
import { repairLatin1Text } from "./eight-bit-text.js";
import { readMp4TagBoxes } from "./mp4-tag-boxes.js";
import { MAX_OGG_BYTES, MAX_OGG_PAGES, oggHead } from "./ogg-pages.js";
import { indexNative, nativeText, tagClaims, titleNeedsSecondFile, type SecondFile } from "./tag-claims.js";

export interface BookTags {
  /** The read file's tags flattened to short strings (plugins see it as `book.tags`). */
  raw: Record<string, string>;
  claims: Claim[];
  /** Files passed over because they could not be read (a truncated download, a zero-byte leftover). */
  warnings: string[];
}

/**
 * Files tried before a book's tags count as unreadable: a broken first file
 * (an interrupted copy, a zero-byte leftover, no read permission) must not
 * cost a 40-file book all its tag evidence, and a folder of broken files must
 * not cost a parse per file.
 */
export const MAX_TAG_READ_ATTEMPTS = 5;

const MAX_RAW_KEYS = 64;
const MAX_RAW_VALUE = 500;
/** Common fields that are not text worth handing to plugins. */
const SKIPPED_COMMON = new Set(["picture", "lyrics"]);

/**
 * Reads the first file that parses, in playback order; each file passed over
 * is a warning. Throws the first file's error (naming it) when none of the
 * first MAX_TAG_READ_ATTEMPTS files can be read as audio.
 */
export async function readBookTags(audioFiles: string[], sizes?: readonly number[]): Promise<BookTags> {
  if (audioFiles.length === 0) return { raw: {}, claims: [], warnings: [] };
  const failures: Error[] = [];
  let meta: IAudioMetadata | undefined;
  let notes: string[] = [];
  let at = 0;
  for (; at < Math.min(audioFiles.length, MAX_TAG_READ_ATTEMPTS); at++) {
    try {
      ({ meta, notes } = await readTags(audioFiles[at], sizes?.[at]));
      break;
    } catch (error) {
      failures.push(error as Error);
    }
  }
  if (!meta) {
    if (failures.length === 1) throw failures[0];
    throw new Error(`${failures[0].message} (and ${failures.length - 1} more of the book's files could not be read either)`);
  }
  const multiFile = audioFiles.length > 1;
  const next = audioFiles[at + 1];
  const native = indexNative(meta);
  const second = multiFile && next !== undefined && titleNeedsSecondFile(meta, native) ? await readSecondTitle(next) : undefined;
  const warnings = failures.map((f) => `${f.message}; tags taken from ${path.basename(audioFiles[at])}`);
  for (const note of notes) warnings.push(`${audioFiles[at]}: ${note}`);
  return { raw: flattenTags(meta), claims: tagClaims(meta, native, multiFile, second), warnings };
}

const PARSE_OPTIONS = { duration: false, skipCovers: true } as const;

/** What music-metadata reads as MP4 or Ogg by the file's extension (parseFile's own rule). */
const MP4_EXTENSIONS = new Set(["m4b", "m4a", "aax", "mp4", "m4p"]);
const OGG_EXTENSIONS = new Set(["ogg", "oga", "opus", "spx"]);

async function readTags(file: string, knownSize?: number): Promise<{ meta: IAudioMetadata; notes: string[] }> {
  let meta: IAudioMetadata;
  let notes: string[] = [];
  try {
    const extension = audioExtension(file) ?? path.extname(file).slice(1).toLowerCase();
    const container = MP4_EXTENSIONS.has(extension) ? "mp4" : OGG_EXTENSIONS.has(extension) ? "ogg" : undefined;
    if (container) ({ meta, notes } = await readBounded(file, container));
    else {
      await checkHeader(file, knownSize);
      meta = await parseFile(file, PARSE_OPTIONS);
    }
  } catch (error) {
    throw new Error(`cannot read tags of ${file}: ${describe(error)}`);
  }
  // music-metadata returns an empty result for noise it cannot place; that is a broken file, not an untagged one.
  if (!meta.format.container && meta.format.tagTypes.length === 0) {
    throw new Error(`cannot read tags of ${file}: not a recognisable audio file (no audio stream or tags found)`);
  }
  repairTagText(meta);
  return { meta, notes };
}

/**
 * MP4 and Ogg files are handed to music-metadata as only the part that holds
 * their tags (mp4-tag-boxes.ts, ogg-pages.ts say what each costs otherwise).
 * A file named so with something else inside (MP3s renamed .m4b so players
 * file them as audiobooks) is parsed as what its bytes are: parseFile would
 * pick the parser by the name, a stream without a path is sniffed.
 */
async function readBounded(file: string, container: "mp4" | "ogg"): Promise<{ meta: IAudioMetadata; notes: string[] }> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error("not a regular file");
    if (container === "mp4") {
      const boxes = await readMp4TagBoxes(handle, stats.size);
      if (boxes) return { meta: await parseBuffer(boxes.bytes, { mimeType: "audio/mp4", size: boxes.bytes.length }, PARSE_OPTIONS), notes: boxes.dropped };
    } else {
      const head = await oggHead(handle, stats.size);
      if (head) {
        const meta = await parseStream(head.stream, { mimeType: "audio/ogg" }, PARSE_OPTIONS);
        const notes = head.cut() && meta.format.tagTypes.length === 0 ? [`no tags in its first ${MAX_OGG_PAGES} Ogg pages (${MAX_OGG_BYTES / (1024 * 1024)} MB), where tags are; the rest is not read`] : [];
        return { meta, notes };
      }
    }
    await checkId3Size(handle);
    const stream = handle.createReadStream({ start: 0, autoClose: false });
    try {
      return { meta: await parseStream(stream, undefined, PARSE_OPTIONS), notes: [] };
    } finally {
      stream.destroy();
    }
  } finally {
    await handle.close();
  }
}

/**
 * ID3 frames marked Latin-1 often hold UTF-8 or Windows-1252 bytes (many
 * taggers write them so); music-metadata reads them as Latin-1, so the text is
 * repaired before anything reads it (claims, the raw tags plugins see).
 */
function repairTagText(meta: IAudioMetadata): void {
  const common = meta.common as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(common)) {
    if (typeof value === "string") common[key] = repairLatin1Text(value);
    else if (Array.isArray(value)) common[key] = value.map((v: unknown) => (typeof v === "string" ? repairLatin1Text(v) : v));
  }
  for (const tags of Object.values(meta.native)) {
    for (const tag of tags) {
      const value: unknown = tag.value;
      if (typeof value === "string") tag.value = repairLatin1Text(value);
      else if (value && typeof value === "object" && "text" in value && typeof value.text === "string") {
        (value as { text: string }).text = repairLatin1Text(value.text);
      }
    }
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
async function checkHeader(file: string, knownSize: number | undefined): Promise<void> {
  if (knownSize !== undefined && knownSize <= MAX_ID3_TAG_BYTES) return;
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw new Error("not a regular file");
    await checkId3Size(handle);
  } finally {
    await handle.close();
  }
}

async function checkId3Size(handle: FileHandle): Promise<void> {
  const header = Buffer.alloc(10);
  const { bytesRead } = await handle.read(header, 0, 10, 0);
  if (bytesRead < 10 || header.toString("latin1", 0, 3) !== "ID3") return;
  const size = ((header[6] & 0x7f) << 21) | ((header[7] & 0x7f) << 14) | ((header[8] & 0x7f) << 7) | (header[9] & 0x7f);
  if (size > MAX_ID3_TAG_BYTES) {
    const mb = (n: number) => Math.round(n / (1024 * 1024));
    throw new Error(`its ID3v2 tag claims ${mb(size)} MB, over the ${mb(MAX_ID3_TAG_BYTES)} MB shelfwise reads; re-save the tags with a tag editor`);
  }
}

/** The confirming read is best effort: a broken second file just confirms nothing. */
async function readSecondTitle(file: string): Promise<SecondFile | undefined> {
  try {
    const { meta } = await readTags(file);
    return { title: meta.common.title?.trim() || null };
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Common (format-independent) names first, e.g. `title`, `albumartist`,
 * `movementIndex`; then native ids verbatim (`TXXX:SERIES`, `©nrt`, `NARRATOR`)
 * for anything custom. Bounded: a hostile file cannot flood the store.
 */
export function flattenTags(meta: IAudioMetadata): Record<string, string> {
  const raw: Record<string, string> = {};
  let count = 0;
  const put = (key: string, value: string | null) => {
    if (value === null || count >= MAX_RAW_KEYS || key in raw) return;
    const text = value.replace(/\u0000/g, "").trim();
    if (!text) return;
    raw[key] = text.length > MAX_RAW_VALUE ? text.slice(0, MAX_RAW_VALUE) : text;
    count++;
  };
  for (const [key, value] of Object.entries(meta.common)) {
    if (!SKIPPED_COMMON.has(key)) put(key, commonText(value));
  }
  // Repeated native ids (multi-value frames) are joined, like the common arrays.
  const native = new Map<string, string[]>();
  for (const tags of Object.values(meta.native)) {
    for (const tag of tags) {
      const text = nativeText(tag.value);
      if (text !== null) native.set(tag.id, [...(native.get(tag.id) ?? []), text]);
    }
  }
  for (const [id, values] of native) put(id, values.join("; "));
  return raw;
}

function commonText(value: unknown): string | null {
  if (Array.isArray(value)) {
    const texts = value.map(commonText).filter((v): v is string => v !== null);
    return texts.length ? texts.join("; ") : null;
  }
  if (value && typeof value === "object" && "no" in value) {
    const { no, of } = value as { no: number | null; of: number | null };
    if (no === null) return null;
    return of === null ? String(no) : `${no}/${of}`;
  }
  if (typeof value === "boolean") return value ? "1" : "0";
  return nativeText(value);
}
