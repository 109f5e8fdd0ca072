/**
 * U+FFFD in a tag's text: music-metadata decodes a frame marked UTF-8 (ID3v2.4's encoding 3, every Vorbis comment,
 * MP4's text atoms) as UTF-8 even when a tagger wrote Windows-1252 or another code page into it, and a UTF-16 frame
 * with a lone surrogate (a tagger that cut a pair in two) the same way, so "Les Misérables" read "Les Mis\uFFFDrables":
 * a visible broken character in titles, names and folder names. The decoded text no longer says what the bytes were;
 * the tag's bytes still do. The value's intact runs are found in them, and the bytes between those runs read as
 * 8-bit text (eight-bit-text.ts) or, for a lone surrogate, dropped. A value whose bytes cannot be found keeps its
 * U+FFFD: a guess would be worse evidence than a visible gap.
 */
import { isUtf8 } from "node:buffer";
import type { IAudioMetadata } from "music-metadata";
import { latin1CodePage, mendBrokenUtf8, type CyrillicCodePage } from "./eight-bit-text.js";

const REPLACEMENT = "\uFFFD";
/** Places one value's first intact run is tried at: a short run ("A" in "A\uFFFD") can occur all over a large tag. */
const MAX_TRIES = 256;
/** Bytes a broken character at a value's start or end is looked for in (a code page's character is one byte). */
const MAX_EDGE_BYTES = 16;

/** Longer text is left out of the tags anyway (file-tags.ts's MAX_TAG_TEXT_CHARS): not worth a search. */
const MAX_VALUE_CHARS = 64 * 1024;

let utf8: TextDecoder | undefined;

/** Whether any of the file's tag text holds U+FFFD: the only files whose tag bytes are read again. */
export function hasReplacementChar(meta: IAudioMetadata): boolean {
  for (const tags of Object.values(meta.native)) {
    for (const tag of tags) {
      const text = textOf(tag.value);
      if (text !== undefined && text.includes(REPLACEMENT)) return true;
    }
  }
  return false;
}

/** Mends every U+FFFD in the file's tag text (native and common) that `raw`, the bytes its tags were read from, explains. */
export function mendReplacementChars(meta: IAudioMetadata, raw: Buffer): void {
  // The code page the file's other text shows (a Latin-1 frame read as Windows-1251, a whole value mended so) reads
  // its broken bytes too: "\xdf" alone is "Я" in a Russian tagger's file, not "ß".
  let codePage: CyrillicCodePage | null = null;
  for (const tags of Object.values(meta.native)) {
    for (const tag of tags) {
      const text = textOf(tag.value);
      if (codePage === null && text !== undefined && !text.includes(REPLACEMENT)) codePage = latin1CodePage(text);
    }
  }
  const readings = new Map<string, { text: string; codePage: CyrillicCodePage | null } | null>();
  const read = (value: string) => {
    if (value.length > MAX_VALUE_CHARS || !value.includes(REPLACEMENT) || readings.has(value)) return;
    const reading = mendValue(value, raw, codePage);
    readings.set(value, reading);
    codePage ??= reading?.codePage ?? null;
  };
  for (const tags of Object.values(meta.native)) for (const tag of tags) read(textOf(tag.value) ?? "");
  // Values read as Windows-1252 before a later one showed the file's code page are read again in it.
  if (codePage !== null) for (const [value, reading] of readings) if (reading !== null && reading.codePage === null) readings.set(value, mendValue(value, raw, codePage));
  const mend = (value: string): string => {
    read(value);
    return readings.get(value)?.text ?? value;
  };
  for (const tags of Object.values(meta.native)) {
    for (const tag of tags) {
      const value: unknown = tag.value;
      if (typeof value === "string") tag.value = mend(value);
      else if (value && typeof value === "object" && "text" in value && typeof value.text === "string") (value as { text: string }).text = mend(value.text);
    }
  }
  const common = meta.common as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(common)) {
    if (typeof value === "string") common[key] = mend(value);
    else if (Array.isArray(value)) {
      common[key] = value.map((v: unknown) => {
        if (typeof v === "string") return mend(v);
        if (v && typeof v === "object" && "text" in v && typeof v.text === "string") return { ...v, text: mend(v.text) };
        return v;
      });
    }
  }
}

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "text" in value && typeof value.text === "string") return value.text;
  return undefined;
}

/** The value as its bytes say, or null when they are not found. */
function mendValue(value: string, raw: Buffer, codePage: CyrillicCodePage | null): { text: string; codePage: CyrillicCodePage | null } | null {
  // Alternating intact runs and U+FFFD runs: split with a capture keeps both, intact runs at even indexes.
  const parts = value.split(/(\uFFFD+)/u);
  const utf8Parts = utf8Reading(parts, raw);
  if (utf8Parts !== null) return mendBrokenUtf8(utf8Parts, codePage);
  const text = utf16Reading(parts, raw, false) ?? utf16Reading(parts, raw, true);
  return text === null ? null : { text, codePage: null };
}

type Piece = { bytes: Buffer; valid: boolean };

/**
 * The value's bytes, UTF-8 with 8-bit ones among them, in its valid and broken runs. Found by its longest intact run
 * first: a short first run ("D" of "D\uFFFDj\uFFFD vu") occurs all over cover art stored before the text.
 */
function utf8Reading(parts: string[], raw: Buffer): Piece[] | null {
  const intact = parts.filter((_, i) => i % 2 === 0).map((p) => Buffer.from(p, "utf8"));
  const longest = intact.reduce((a, b) => (b.length > a.length ? b : a));
  const firstLength = intact.find((b) => b.length > 0)?.length ?? 0;
  if (longest.length <= firstLength) return utf8ReadingIn(parts, raw);
  const margin = intact.reduce((sum, b) => sum + b.length, 0) + 4 * parts.reduce((sum, p, i) => sum + (i % 2 === 1 ? p.length : 0), 0) + MAX_EDGE_BYTES;
  let tries = 0;
  for (let hit = raw.indexOf(longest); hit >= 0 && tries < MAX_TRIES; hit = raw.indexOf(longest, hit + 1), tries++) {
    const found = utf8ReadingIn(parts, raw.subarray(Math.max(0, hit - margin), hit + longest.length + margin));
    if (found !== null) return found;
  }
  return null;
}

function utf8ReadingIn(parts: string[], raw: Buffer): Piece[] | null {
  const intact = parts.map((p, i) => (i % 2 === 0 ? Buffer.from(p, "utf8") : null));
  const anchor = intact.findIndex((b) => b !== null && b.length > 0);
  if (anchor < 0) {
    const whole = wholeBrokenValue(raw, parts[1].length);
    return whole === null ? null : [{ bytes: whole, valid: false }];
  }
  const first = intact[anchor]!;
  let tries = 0;
  for (let hit = raw.indexOf(first); hit >= 0 && tries < MAX_TRIES; hit = raw.indexOf(first, hit + 1), tries++) {
    const pieces: Piece[] = [{ bytes: first, valid: true }];
    // A broken run before the first intact one (anchor 2: the value starts with U+FFFD).
    if (anchor === 2) {
      const gap = edgeGap(raw, hit, parts[1].length, -1);
      if (gap === null) continue;
      pieces.unshift({ bytes: gap, valid: false });
    }
    let at = hit + first.length;
    let ok = true;
    for (let i = anchor + 1; i < parts.length && ok; i += 2) {
      const next = intact[i + 1];
      if (next === undefined || next === null || next.length === 0) {
        const gap = edgeGap(raw, at, parts[i].length, 1);
        if (gap === null) ok = false;
        else pieces.push({ bytes: gap, valid: false });
        break;
      }
      const found = nextIntact(raw, at, next, parts[i].length);
      if (found < 0) ok = false;
      else {
        pieces.push({ bytes: raw.subarray(at, found), valid: false }, { bytes: next, valid: true });
        at = found + next.length;
      }
    }
    if (ok) return pieces;
  }
  return null;
}

/**
 * Whether a tag's value starts at `at`: after an ID3v2.4 text frame's header and its UTF-8 encoding byte, a Vorbis
 * comment's "KEY=", an MP4 data atom's type and locale. Cover art's bytes (a run after any NUL) are no value.
 */
function valueStartsAt(raw: Buffer, at: number): boolean {
  if (at >= 11 && raw[at - 1] === 0x03 && ID3_TEXT_FRAME.test(raw.toString("latin1", at - 11, at - 7))) return true;
  if (at >= 2 && raw[at - 1] === 0x3d && VORBIS_KEY_END.test(raw.toString("latin1", at - 2, at - 1))) return true;
  return at >= 12 && raw.toString("latin1", at - 12, at - 8) === "data";
}
const ID3_TEXT_FRAME = /^T[A-Z0-9]{3}$/u;
const VORBIS_KEY_END = /^[A-Za-z0-9_ -]$/u;

/**
 * A value with no intact character to find it by (a single Cyrillic word: "Солярис" in Windows-1251): the run of bytes
 * over 0x7F, right where a value starts (valueStartsAt), that UTF-8 decodes to exactly its `count` U+FFFD. Only one such run
 * (whatever it repeats) counts: two different ones leave the value as it is.
 */
function wholeBrokenValue(raw: Buffer, count: number): Buffer | null {
  let found: Buffer | null = null;
  for (let at = 0; at < raw.length; ) {
    if (raw[at] < 0x80) {
      at++;
      continue;
    }
    let end = at;
    while (end < raw.length && raw[end] >= 0x80) end++;
    const run = raw.subarray(at, end);
    if (run.length >= count && run.length <= count * 4 && valueStartsAt(raw, at) && brokenRun(run, count)) {
      if (found !== null && !found.equals(run)) return null;
      found = run;
    }
    at = end;
  }
  return found;
}

/** Where `next` starts after a run of bytes at `at` that UTF-8 decodes to exactly `count` U+FFFD, or -1. */
function nextIntact(raw: Buffer, at: number, next: Buffer, count: number): number {
  // Bytes a decoder turns into U+FFFD are all over 0x7F: the gap ends at the first byte that is not, or before.
  let end = at;
  while (end < raw.length && raw[end] >= 0x80 && end - at < count * 4) end++;
  for (let start = at + 1; start <= end; start++) {
    if (raw.subarray(start, start + next.length).equals(next) && brokenRun(raw.subarray(at, start), count)) return start;
  }
  return -1;
}

/** The shortest run of bytes before (-1) or after (1) `at` that UTF-8 decodes to exactly `count` U+FFFD. */
function edgeGap(raw: Buffer, at: number, count: number, direction: 1 | -1): Buffer | null {
  // The whole run of bytes over 0x7F there being valid UTF-8 says the U+FFFD is the tag's own ("EF BF BD").
  let run = 0;
  while (run < MAX_EDGE_BYTES && (direction === 1 ? raw[at + run] : raw[at - 1 - run]) >= 0x80) run++;
  if (isUtf8(direction === 1 ? raw.subarray(at, at + run) : raw.subarray(at - run, at))) return null;
  for (let length = 1; length <= Math.min(MAX_EDGE_BYTES, count * 4); length++) {
    const gap = direction === 1 ? raw.subarray(at, at + length) : raw.subarray(Math.max(0, at - length), at);
    if (gap.length < length || gap[direction === 1 ? length - 1 : 0] < 0x80) return null;
    if (brokenRun(gap, count)) return gap;
  }
  return null;
}

/** Whether `bytes` are what a UTF-8 decoder made `count` U+FFFD of: not valid UTF-8 (a tag may spell U+FFFD itself). */
function brokenRun(bytes: Buffer, count: number): boolean {
  return !isUtf8(bytes) && (utf8 ??= new TextDecoder("utf-8")).decode(bytes) === REPLACEMENT.repeat(count);
}

/** The value read from UTF-16 bytes with lone surrogates among them, which are dropped: they stand for no character. */
function utf16Reading(parts: string[], raw: Buffer, bigEndian: boolean): string | null {
  const encode = (text: string) => {
    const bytes = Buffer.from(text, "utf16le");
    return bigEndian ? bytes.swap16() : bytes;
  };
  const runs = parts.map((p, i) => (i % 2 === 0 ? encode(p) : Buffer.alloc(p.length * 2)));
  const anchor = runs.findIndex((b, i) => i % 2 === 0 && b.length > 0);
  if (anchor < 0) return null;
  const before = runs.slice(0, anchor).reduce((sum, b) => sum + b.length, 0);
  let tries = 0;
  for (let hit = raw.indexOf(runs[anchor]); hit >= 0 && tries < MAX_TRIES; hit = raw.indexOf(runs[anchor], hit + 1), tries++) {
    let at = hit - before;
    if (at < 0) continue;
    let ok = true;
    for (let i = 0; i < runs.length && ok; i++) {
      const bytes = raw.subarray(at, at + runs[i].length);
      if (bytes.length < runs[i].length) ok = false;
      else if (i % 2 === 0) ok = bytes.equals(runs[i]);
      else for (let u = 0; u < bytes.length && ok; u += 2) ok = isSurrogate(bigEndian ? bytes.readUInt16BE(u) : bytes.readUInt16LE(u));
      at += runs[i].length;
    }
    if (ok) return parts.filter((_, i) => i % 2 === 0).join("");
  }
  return null;
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}
