/**
 * Reads a book's embedded tags and turns them into claims (conventions in
 * tag-claims.ts). Only tags are read (file-tags.ts): no duration scan, no
 * cover art, so a book costs one small header read (two when a multi-file
 * book's track title needs a second file to tell a book title from a chapter).
 */
import path from "node:path";
import type { IAudioMetadata } from "music-metadata";
import type { Claim } from "../domain/fields.js";
import type { FileTags } from "./file-tags.js";
import { terminalSafe } from "../domain/terminal-safe.js";
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
/** Reads one file's tags: inline (readFileTags), or through the worker pool (tag-reader-pool.ts). */
export type FileTagReader = (file: string, knownSize?: number) => Promise<FileTags>;

/**
 * An inline read. The parsers (music-metadata, ~160 KB of code) load on the first inline read: a command
 * whose reads go through the threads (tag-reader-pool.ts), or that reads none, never parses them.
 */
export const readFileTagsInline: FileTagReader = async (file, knownSize) => (await import("./file-tags.js")).readFileTags(file, knownSize);

export async function readBookTags(audioFiles: string[], sizes?: readonly number[], readTags: FileTagReader = readFileTagsInline): Promise<BookTags> {
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
  const second = multiFile && next !== undefined && titleNeedsSecondFile(meta, native) ? await readSecondTitle(next, readTags) : undefined;
  const warnings = failures.map((f) => `${f.message}; tags taken from ${path.basename(audioFiles[at])}`);
  for (const note of notes) warnings.push(`${audioFiles[at]}: ${note}`);
  return { raw: flattenTags(meta), claims: tagClaims(meta, native, multiFile, second, path.basename(audioFiles[at])), warnings };
}

/** The confirming read is best effort: a broken second file just confirms nothing. */
async function readSecondTitle(file: string, readTags: FileTagReader): Promise<SecondFile | undefined> {
  try {
    const { meta } = await readTags(file);
    return { title: meta.common.title?.trim() || null };
  } catch {
    return undefined;
  }
}


/**
 * Common (format-independent) names first, e.g. `title`, `albumartist`,
 * `movementIndex`; then native ids verbatim (`TXXX:SERIES`, `©nrt`, `NARRATOR`)
 * for anything custom. Bounded: a hostile file cannot flood the store.
 */
export function flattenTags(meta: IAudioMetadata): Record<string, string> {
  const raw: Record<string, string> = {};
  let count = 0;
  const put = (name: string, value: string | null) => {
    // Keys and values are the file's bytes: escape sequences, bidi overrides and other controls are shown as the
    // CLI shows them (domain/terminal-safe.ts: "\e", "\u202e", "\n"), so a plugin that logs or prints them, or
    // compares them, gets text that acts on nothing (docs/plugins.md).
    const key = terminalSafe(name);
    if (value === null || count >= MAX_RAW_KEYS || key in raw) return;
    const text = terminalSafe(value.replace(/\u0000/g, "").trim());
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
      if (text === null) continue;
      // Pushed, not copied: a file of 100,000 frames of one id made copying each list quadratic (minutes).
      const list = native.get(tag.id);
      if (list === undefined) native.set(tag.id, [text]);
      else list.push(text);
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
