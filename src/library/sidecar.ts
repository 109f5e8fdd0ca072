/**
 * Reads the metadata files that sit beside a book's audio: Audiobookshelf
 * `metadata.json` (or the older `metadata.abs`), an OPF (`metadata.opf` preferred, else the first `*.opf`
 * by name), a `book.json` (a downloader's or a script's dump of the store's record: read with metadata.json's
 * rules and the store's own key names, sidecar-abs.ts), `desc.txt` (description only), `reader.txt` (narrators),
 * a release's `.nfo`, an `info.txt` (the same "Key: Value" lines) and a cue sheet (the first of each by name;
 * sidecar-nfo.ts).
 *
 * One claim per field: when several sidecars speak to a field the most
 * specific wins (metadata.json > metadata.abs > OPF > book.json > reader.txt > .nfo > info.txt > .cue), so one
 * source does not vote twice. Description: desc.txt > metadata.json > metadata.abs > OPF > book.json > .nfo >
 * info.txt.
 * Every file is hostile: size-capped, never followed unless a regular file,
 * and any defect becomes a `problems` line, never a throw.
 */
import { isSidecarName } from "./book-detect.js";
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import path from "node:path";
import type { Claim } from "../domain/fields.js";
import { cleanDescription, cleanText, joinNames, readerNames, refineTitleClaims, WRITER_READS } from "./claim-values.js";
import { narratorIn, readerInProse } from "../domain/reader-phrase.js";
import { decodeCp437, decodeEightBit, looksCp437 } from "./eight-bit-text.js";
import { parseAbsMetadata } from "./sidecar-abs.js";
import { parseAbsText } from "./sidecar-abs-text.js";
import { parseOpf, type SidecarResult } from "./sidecar-opf.js";
import { parseCue, parseNfo } from "./sidecar-nfo.js";

export interface Sidecars {
  claims: Claim[];
  description: string | null;
  problems: string[];
}

export const MAX_SIDECAR_BYTES = 1024 * 1024;

/**
 * @param names the sidecar file names in the folder when the caller knows them
 *   (the scanner lists them); otherwise the folder is listed here.
 */
export async function readSidecars(bookFolder: string, names?: readonly string[]): Promise<Sidecars> {
  const problems: string[] = [];
  if (!names) {
    try {
      names = readdirSync(bookFolder);
    } catch (error) {
      return { claims: [], description: null, problems: [`cannot list ${bookFolder}: ${reason(error)}`] };
    }
  }
  names = names.filter(isSidecarName).sort();
  if (names.length === 0) return { claims: [], description: null, problems };
  const listed = names;
  const find = (wanted: string) => listed.find((n) => n.toLowerCase() === wanted);
  const opfName = find("metadata.opf") ?? listed.find((n) => n.toLowerCase().endsWith(".opf"));
  const read = (name: string | undefined) => (name ? readCapped(path.join(bookFolder, name), name, problems) : null);
  const [json, abs, opf, desc, reader] = [read(find("metadata.json")), read(find("metadata.abs")), read(opfName), read(find("desc.txt")), read(find("reader.txt"))];
  const nfoName = listed.find((n) => n.toLowerCase().endsWith(".nfo"));
  const cueName = listed.find((n) => n.toLowerCase().endsWith(".cue"));
  const nfo = nfoName ? readCapped(path.join(bookFolder, nfoName), nfoName, problems, decodeNfo) : null;
  const [cue, bookJson, info] = [read(cueName), read(find("book.json")), read(find("info.txt"))];

  const results: SidecarResult[] = [];
  if (json !== null) {
    const abs = parseWith(() => parseAbsMetadata(json), find("metadata.json")!, problems);
    if (abs) {
      results.push(abs);
      for (const field of abs.ignored) problems.push(`${find("metadata.json")}: ignored "${field}" (unexpected shape)`);
    }
  }
  if (abs !== null) {
    const parsed = parseWith(() => parseAbsText(abs), find("metadata.abs")!, problems);
    if (parsed) results.push(parsed);
  }
  if (opf !== null) {
    const parsed = parseWith(() => parseOpf(opf), opfName!, problems);
    if (parsed) results.push(parsed);
  }
  if (bookJson !== null) {
    const parsed = parseWith(() => parseAbsMetadata(bookJson), find("book.json")!, problems);
    if (parsed) results.push(parsed);
  }
  if (reader !== null) results.push(readerClaims(reader));
  if (nfo !== null) results.push(parseNfo(nfo));
  if (info !== null) results.push(parseNfo(info));
  if (cue !== null) results.push(parseCue(cue));

  const claims = firstPerField(results.flatMap((r) => refineTitleClaims(r.claims)));
  const description = (desc !== null ? cleanDescription(desc) : null) ?? results.map((r) => r.description).find((d) => d) ?? null;
  // "... (Narrated by Scott Brick)" closing a blurb, as Audible's are copied into desc.txt, metadata.json and OPFs:
  // the reader, when no sidecar names one.
  if (description !== null && !claims.some((c) => c.field === "narrator")) {
    const named = readerInProse(description);
    const author = claims.find((c) => c.field === "author")?.value ?? null;
    const readers = named === null ? [] : readerNames([named]).flatMap((name) => (name !== WRITER_READS ? [name] : author !== null ? [author] : []));
    const narrator = joinNames(readers);
    if (narrator !== null) claims.push({ field: "narrator", value: narrator });
  }
  return { claims, description, problems };
}

/**
 * reader.txt: one narrator per line (names may contain commas: "Kramer, Michael"), each line's reader phrase cut
 * ("Gelesen von Rufus Beck"); a line saying the writer reads names no one here, where no writer is known.
 */
function readerClaims(text: string): SidecarResult {
  const lines = text.split(/\r?\n/).map((line) => cleanText(line) ?? "").filter(Boolean);
  const narrator = joinNames(lines.map(narratorIn).filter((name) => name !== WRITER_READS));
  return { claims: narrator ? [{ field: "narrator", value: narrator }] : [], description: null };
}

function firstPerField(claims: Claim[]): Claim[] {
  const seen = new Set<string>();
  return claims.filter((c) => !seen.has(c.field) && seen.add(c.field));
}

function parseWith<T>(parse: () => T, name: string, problems: string[]): T | null {
  try {
    return parse();
  } catch (error) {
    problems.push(`${name}: ${reason(error)}`);
    return null;
  }
}

/**
 * Reads a regular file of at most MAX_SIDECAR_BYTES as text (see decodeText).
 * Sidecars are small (capped at 1 MiB): synchronous reads cost a few
 * microseconds where four thread-pool round trips per file dominated the layer.
 */
function readCapped(file: string, name: string, problems: string[], decode: (bytes: Buffer) => string = decodeText): string | null {
  let fd: number | undefined;
  try {
    // Non-blocking open: a FIFO named metadata.json must not hang the run; fstat then
    // tells what it is without a second path lookup. Never through a symbolic link: a
    // "metadata.json" pointing at ~/.ssh or another user's files must not be read and shown
    // as a book's evidence, and the link's own folder is the only place known to be the book's.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const info = fstatSync(fd);
    if (!info.isFile()) {
      problems.push(`${name}: not a regular file, skipped`);
      return null;
    }
    if (info.size > MAX_SIDECAR_BYTES) {
      problems.push(`${name}: ${info.size} bytes is over the ${MAX_SIDECAR_BYTES}-byte limit, skipped`);
      return null;
    }
    // Read at most the cap even if the file grew since the stat.
    const buffer = Buffer.alloc(Math.min(info.size, MAX_SIDECAR_BYTES));
    const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    return decode(buffer.subarray(0, bytesRead));
  } catch (error) {
    if (reason(error) === "ELOOP") problems.push(`${name}: a symbolic link, not followed (shelfwise reads only the book folder's own files; copy the file there)`);
    else problems.push(`${name}: cannot read (${reason(error)})`);
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** UTF-16 with a BOM, UTF-8 (BOM or not), else Windows-1252 (Notepad's "ANSI", an OPF saved as ISO-8859-1). */
function decodeText(bytes: Buffer): string {
  const utf16 = () => bytes.subarray(2, 2 + ((bytes.length - 2) & ~1));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16().toString("utf16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(utf16()).swap16().toString("utf16le");
  const text = decodeEightBit(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A release's .nfo: scene groups write them in CP437 (DOS's code page: its box art `█▓▒░` and its letters, "Sch\x84tzing"
 * for "Schätzing"), others in Windows-1252 or UTF-8. Read as CP437 when its letters say so (eight-bit-text.ts).
 */
function decodeNfo(bytes: Buffer): string {
  return bytes[0] !== 0xff && bytes[0] !== 0xfe && bytes[0] !== 0xef && looksCp437(bytes) ? decodeCp437(bytes) : decodeText(bytes);
}

function reason(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.message : String(error);
}
