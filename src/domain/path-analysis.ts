/**
 * Reads author, title, series, year and narrator hints from a book's path
 * under its library root. Pure and total: any string in, hints out.
 *
 * Structures understood (after junk is stripped from every segment):
 *   Author/Title, Author/Series/01 - Title, Genre/Author/Series/Title,
 *   Author - Title, Title - Author, Title/Author, Author - Series 01 - Title,
 *   Series, Book 2 - Title, Title #3, Title (Series #3), Title by Author,
 *   Title (Narrated by X), Title [X], Title {X}, Title (2018), 2018 - Title.
 */
import { displayName, nameScore } from "./person-name.js";
import { stripAudioExtension } from "./audio-extensions.js";
import { isContainerFolder, isSceneName, sanitizeSegment, stripJunk, tidy, unsceneName } from "./path-junk.js";
import { PART_ONLY, readBook, SEPARATOR, type BookReading, type Part } from "./book-segment.js";

export interface PathHints {
  author?: string;
  title?: string;
  series?: string;
  series_num?: string;
  year?: string;
  narrator?: string;
}

const MAX_VALUE_CHARS = 500;
/** Genre/Author/Series/Book is the deepest structure read; higher folders say nothing. */
const MAX_PARENTS = 3;

/**
 * relativePath: the book's path under its library root, '/'-separated, e.g.
 * "Dean Koontz/Watchers" or "The Great Gatsby Full Audiobook.m4b".
 * isFile: the book is a single audio file (strip its extension).
 */
export function analyzePath(relativePath: string, options?: { isFile?: boolean }): PathHints {
  if (typeof relativePath !== "string") return {};
  return finish(analyzeSegments(lastSegments(relativePath, MAX_PARENTS + 1), options?.isFile === true));
}

const BLANK = /^\s*$/;

/** The last `count` meaningful segments, read from the end so deep trees cost nothing extra. */
function lastSegments(path: string, count: number): string[] {
  const segments: string[] = [];
  let end = path.length;
  while (segments.length < count) {
    // lastIndexOf clamps a negative start to 0, so an empty rest must stop here.
    const start = end > 0 ? path.lastIndexOf("/", end - 1) : -1;
    const segment = path.slice(start + 1, end);
    if (segment !== "." && segment !== ".." && !BLANK.test(segment)) segments.unshift(segment);
    if (start < 0) break;
    end = start;
  }
  return segments;
}

interface Resolved extends PathHints {
  /** The title came from "Title #3"; under a series folder of the same name it is no title. */
  hashTitle?: boolean;
}

function analyzeSegments(segments: string[], isFile: boolean): Resolved {
  if (segments.length === 0) return {};
  const last = segments[segments.length - 1];
  const cleaned = cleanSegment(isFile ? stripAudioExtension(last) : last);
  // "Watchers/Part 1" or "Chapter 01.mp3": a piece of a book, so the folder above names it.
  const book = readBook(PART_ONLY.test(cleaned) ? "" : cleaned);
  const parentSegments = segments.slice(0, -1);
  if (book.parts.length === 0 && book.leadNum === undefined && book.seriesNum === undefined) {
    // "Dean Koontz - Watchers/[MP3]": the book segment is only tags, so its parent names the book.
    const outer = analyzeSegments(parentSegments, false);
    return { ...outer, year: book.year ?? outer.year, narrator: book.narrator ?? outer.narrator };
  }
  const parents: string[] = [];
  for (const segment of parentSegments) {
    const folder = cleanFolder(segment);
    if (folder.length > 0) parents.push(folder);
  }
  return resolve(book, parents.slice(-MAX_PARENTS));
}

/** Author and series folders repeat for every book below them, so their cleaning is remembered. */
const FOLDER_CACHE = new Map<string, string>();
const FOLDER_CACHE_SIZE = 2048;

/** A parent folder's cleaned name, or "" when it only groups books (genre, "Audiobooks", "K"). */
function cleanFolder(raw: string): string {
  const cached = FOLDER_CACHE.get(raw);
  if (cached !== undefined) return cached;
  const cleaned = cleanSegment(raw);
  const folder = isContainerFolder(cleaned) ? "" : cleaned;
  if (FOLDER_CACHE.size >= FOLDER_CACHE_SIZE) FOLDER_CACHE.clear();
  FOLDER_CACHE.set(raw, folder);
  return folder;
}

const UNDERSCORES = /_+/g;

function cleanSegment(raw: string): string {
  const safe = sanitizeSegment(raw);
  const scene = isSceneName(safe);
  const s = stripJunk(safe.includes("_") ? safe.replace(UNDERSCORES, " ") : safe);
  return scene ? stripJunk(unsceneName(s)) : s;
}

// ---------------------------------------------------------------- folders

interface FolderReading {
  author?: string;
  series?: string;
  /** Only one folder above the book: "Title/Author" may be swapped. */
  mayBeTitle?: boolean;
}

const SERIES_SUFFIX = /\s+(?:series|saga|complete series|collection)$/iu;

function readFolders(parents: string[], book: BookReading): FolderReading {
  if (parents.length === 0) return {};
  const numbered = book.leadNum !== undefined || book.seriesNum !== undefined || book.parts.some((p) => p.num);
  const bookHasSeries = book.series !== undefined || book.parts.some((p) => p.num && p.kind !== "hash" && p.text);
  const inner = parents[parents.length - 1];
  const innerPieces = inner.split(SEPARATOR).map(tidy).filter(Boolean);
  if (innerPieces.length >= 2) {
    const own = assign(readBook(inner), undefined);
    const series = own.series ?? (numbered && !bookHasSeries ? own.title : undefined);
    return { author: own.author, series: series && stripSeriesSuffix(series) };
  }
  if (parents.length >= 2) {
    const outers = parents.slice(0, -1).map((p) => p.split(SEPARATOR).map(tidy).filter(Boolean)[0] ?? p);
    const innerScore = nameScore(inner);
    let author = outers[outers.length - 1];
    let authorScore = nameScore(author);
    for (let i = outers.length - 2; i >= 0; i--) {
      // Outer folders are usually categories: one only wins by looking more like a person.
      const score = nameScore(outers[i]);
      if (score > authorScore) [author, authorScore] = [outers[i], score];
    }
    if (innerScore >= 1 && innerScore > authorScore) return { author: inner };
    return { author, series: stripSeriesSuffix(inner) };
  }
  if (numbered && !bookHasSeries && nameScore(inner) <= 0) return { series: stripSeriesSuffix(inner) };
  return { author: inner, mayBeTitle: true };
}

function stripSeriesSuffix(series: string): string {
  const stripped = series.replace(SERIES_SUFFIX, "");
  return stripped.length > 0 ? stripped : series;
}

// ---------------------------------------------------------------- assignment

/** Reads the book's own parts; `folderAuthor` helps tell "Author - Title" from "Series - Title". */
function assign(book: BookReading, folderAuthor: string | undefined): Resolved {
  const out: Resolved = { narrator: book.narrator, year: book.year, series: book.series, series_num: book.seriesNum };
  const parts = book.parts;
  const last = parts.length - 1;
  const seriesIndex = parts.findIndex((p, i) => p.num !== undefined && !(p.kind === "hash" && i === last));
  if (seriesIndex >= 0) {
    assignAroundSeries(parts, seriesIndex, out);
    return out;
  }
  const texts = parts.map((p) => p.text);
  if (last >= 0 && parts[last].num !== undefined) {
    out.series_num ??= parts[last].num;
    out.hashTitle = true;
  }
  if (texts.length === 1) out.title = texts[0];
  else if (texts.length === 2) assignPair(texts[0], texts[1], folderAuthor, book.authorFirst === true, out);
  else if (texts.length === 3) assignTriple(texts[0], texts[1], texts[2], out);
  else if (texts.length > 3) {
    out.author = texts[0];
    out.title = texts.slice(1).join(" - ");
  }
  return out;
}

function assignAroundSeries(parts: Part[], k: number, out: Resolved): void {
  const marked = parts[k];
  let author = parts.slice(0, k).map((p) => p.text).filter(Boolean).join(" - ");
  const after = parts.slice(k + 1).map((p) => p.text).filter(Boolean);
  let series = marked.text;
  if (!author && after.length > 0) {
    // "The Hunger Games #1 - Suzanne Collins": a trailing person is the author.
    const tail = after[after.length - 1];
    const tailScore = nameScore(tail);
    if (tailScore >= 2 && (after.length > 1 || tailScore > nameScore(series))) {
      author = tail;
      after.pop();
    }
  }
  let title = after.join(" - ");
  if (!title && marked.kind === "hash") {
    title = series;
    series = "";
    out.hashTitle = true;
  }
  const colon = series.indexOf(": ");
  if (!title && colon > 0) {
    // Audible style "The Final Empire: Mistborn, Book 1".
    title = series.slice(0, colon);
    series = series.slice(colon + 2);
  }
  if (series) out.series ??= series;
  if (out.series !== undefined || marked.kind === "keyword" || marked.kind === "hash") out.series_num ??= marked.num;
  if (author) out.author = author;
  if (title) out.title = title;
}

function assignPair(a: string, b: string, folderAuthor: string | undefined, authorFirst: boolean, out: Resolved): void {
  const scoreA = nameScore(a);
  const scoreB = nameScore(b);
  if (folderAuthor !== undefined && !authorFirst) {
    if (sameName(a, folderAuthor) || (scoreA >= 2 && scoreA > scoreB)) {
      out.author = a;
      out.title = b;
    } else if (sameName(b, folderAuthor) || (scoreB >= 2 && scoreB > scoreA)) {
      out.author = b;
      out.title = a;
    } else {
      out.title = `${a} - ${b}`;
    }
    return;
  }
  if (!authorFirst && scoreA < 0 && scoreB <= 0) {
    // "Star Wars - Thrawn": neither side is a person, so keep both as the title.
    out.title = `${a} - ${b}`;
    return;
  }
  const swap = !authorFirst && scoreB >= 1 && scoreB > scoreA;
  out.author = swap ? b : a;
  out.title = swap ? a : b;
}

function assignTriple(a: string, b: string, c: string, out: Resolved): void {
  const scoreC = nameScore(c);
  if (nameScore(a) >= 1 && scoreC >= 2 && nameScore(b) < scoreC) {
    // "Stephen King - The Stand - Grover Gardner": a trailing name is the reader.
    out.author = a;
    out.title = b;
    out.narrator ??= c;
    return;
  }
  out.author = a;
  out.series ??= b;
  out.title = c;
}

function resolve(book: BookReading, parents: string[]): Resolved {
  const folders = readFolders(parents, book);
  const out = assign(book, folders.author);
  const ownAuthor = out.author !== undefined;
  out.author ??= folders.author;
  out.series ??= folders.series;
  if (out.series_num === undefined && book.leadNum !== undefined && (out.series !== undefined || book.leadExplicit)) {
    out.series_num = book.leadNum;
  }
  if (!ownAuthor && folders.mayBeTitle && out.title && out.series_num === undefined && book.parts.length === 1) {
    const titleScore = nameScore(out.title);
    if (titleScore >= 1 && titleScore > nameScore(folders.author ?? "")) {
      // "Shards of Earth/Adrian Tchaikovsky"
      const author = out.title;
      out.title = folders.author;
      out.author = author;
    }
  }
  if (out.author === undefined && book.parenName !== undefined) out.author = book.parenName;
  if (out.series !== undefined && out.series_num === undefined && out.title !== undefined && sameName(out.title, out.series)) {
    // "Andy Weir/Project Hail Mary/Project Hail Mary.m4b": the folder is the book's own, not a series.
    out.series = undefined;
  }
  if (out.hashTitle && out.title !== undefined && out.series !== undefined && sameName(out.title, out.series)) {
    out.title = undefined;
  }
  return out;
}

// ---------------------------------------------------------------- output

const NON_WORD = /[^\p{L}\p{N}]+/gu;

function sameName(a: string, b: string): boolean {
  const key = (s: string): string => displayName(s).toLowerCase().replace(NON_WORD, "");
  return key(a) === key(b);
}

const MEANINGFUL = /[\p{L}\p{N}]/u;
const HIGH_SURROGATE_END = /[\uD800-\uDBFF]$/;

const HINT_FIELDS = ["author", "title", "series", "series_num", "year", "narrator"] as const;

function finish(resolved: Resolved): PathHints {
  const hints: PathHints = {};
  for (const field of HINT_FIELDS) {
    const raw = resolved[field];
    if (raw === undefined) continue;
    let value = tidy(field === "author" || field === "narrator" ? displayName(raw) : raw);
    if (value.length > MAX_VALUE_CHARS) value = value.slice(0, MAX_VALUE_CHARS).replace(HIGH_SURROGATE_END, "").trim();
    if (MEANINGFUL.test(value)) hints[field] = value;
  }
  return hints;
}
