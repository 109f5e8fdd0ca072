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
import { isContainerFolder, isSceneName, sanitizeSegment, stripAudioExtension, stripJunk, tidy, unsceneName } from "./path-junk.js";
import { findMarker, normalizeNum, type MarkerKind } from "./series-marker.js";

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
  try {
    return finish(analyzeSegments(lastSegments(relativePath, MAX_PARENTS + 1), options?.isFile === true));
  } catch {
    // Hints are optional evidence read from hostile names: a defect here must
    // cost this book its path hints, never the scan.
    return {};
  }
}

const BLANK = /^\s*$/;

/** The last `count` meaningful segments, read from the end so deep trees cost nothing extra. */
function lastSegments(path: string, count: number): string[] {
  const segments: string[] = [];
  let end = path.length;
  while (end >= 0 && segments.length < count) {
    const start = path.lastIndexOf("/", end - 1);
    const segment = path.slice(start + 1, end);
    if (segment !== "." && segment !== ".." && !BLANK.test(segment)) segments.unshift(segment);
    if (start < 0) break;
    end = start;
  }
  return segments;
}

interface Part {
  text: string;
  num?: string;
  kind?: MarkerKind;
}

/** What one book segment says on its own, before its parent folders are weighed. */
interface BookReading {
  parts: Part[];
  narrator?: string;
  year?: string;
  /** From "(Mistborn #1)" or "[Mistborn, Book 1]". */
  series?: string;
  seriesNum?: string;
  /** "01 - Title": a position if a series is known, else a track number. */
  leadNum?: string;
  /** Lead number written with "Book"/"Vol"/"#": a position even without a series. */
  leadExplicit?: boolean;
  /** "(Stephen King)": a name in parentheses, used as author when nothing better exists. */
  parenName?: string;
  /** "Title by Author": parts[0] is the author, never swap. */
  authorFirst?: boolean;
}

interface Resolved {
  author?: string;
  title?: string;
  series?: string;
  series_num?: string;
  year?: string;
  narrator?: string;
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
  const s = stripJunk(safe.replace(UNDERSCORES, " "));
  return scene ? stripJunk(unsceneName(s)) : s;
}

// ---------------------------------------------------------------- book segment

const SEPARATOR = /\s+[-–—―~|]+\s*|\s*[-–—―]+\s+/u;
const BRACKET_GROUP = /[[({]([^[\](){}]*)[\])}]/gu;
const LEADING_BRACKET = /^[[{]([^[\](){}]*)[\]}]\s*/u;
const NARRATED_BY = /^(?:(?:narrated|read|performed|voiced)\s+by\b|narrators?\s*[:\-–]|narr\.:?)\s*(.+)$/iu;
const NARRATION_HINT = /by|narr/i;
const PART_WORD = /^(?:part|pt|disc|disk|cd|chapter|ch|track|take|season|episode)\.?$/iu;
const PART_ONLY = /^(?:part|pt|disc|disk|cd|chapter|track)\.?\s*\d{1,3}$/iu;
const DASH_IN_BRACKETS = /\s+[-–—]+\s+/gu;
const KEPT_DASH = /\u0000/g;
const HAS_BRACKET = /[[({]/;
const NARRATED_INLINE = /^(.+?)[\s,]+(?:narrated|read|performed)\s+by\s+(.+)$/iu;
const YEAR_IN_BRACKETS = /^\s*((?:1[89]|20)\d\d)\s*$/u;
const BARE_YEAR = /^(?:1[89]|20)\d\d$/u;
const WRITTEN_BY = /^(.+?),?\s+[Bb]y\s+(.+)$/u;
const PURE_LEAD = /^(?:(?:book|bk|vol(?:ume)?|tome)\.?\s*(\d{1,4}(?:\.\d{1,2})?)|#\s*(\d{1,4}(?:\.\d{1,2})?)|(\d{1,3}(?:\.\d{1,2})?))$/iu;
const LEAD_PREFIX = /^(?:(?:book|bk|vol(?:ume)?)\.?\s*(\d{1,3}(?:\.\d{1,2})?)[\s.:)]+|#\s*(\d{1,3}(?:\.\d{1,2})?)[\s.:)]+|(0\d{0,2})[\s.)]+|(\d{1,3})[.)]\s+)(?=\S)/iu;

function readBook(text: string): BookReading {
  const reading: BookReading = { parts: [] };
  let s = text;
  const bracketed = HAS_BRACKET.test(s);
  if (bracketed) {
    s = extractBrackets(s, reading);
    const leading = LEADING_BRACKET.exec(s);
    if (leading) s = `${leading[1]} - ${s.slice(leading[0].length)}`;
    // A dash inside "(Author's Text - 10th Anniversary)" separates nothing.
    s = s.replace(BRACKET_GROUP, (group: string) => group.replace(DASH_IN_BRACKETS, "\u0000"));
    s = tidy(s);
  }
  let pieces: string[] = [];
  for (const piece of s.split(SEPARATOR)) {
    const kept = tidy(bracketed ? piece.replace(KEPT_DASH, " - ") : piece);
    if (kept.length > 0) pieces.push(kept);
  }
  pieces = takeNarrator(pieces, reading);
  if (pieces.length === 1) pieces = splitWrittenBy(pieces[0], reading);
  pieces = takeYear(pieces, reading);
  pieces = takeLeadNumber(pieces, reading);
  reading.parts = markParts(pieces, reading.authorFirst === true);
  return reading;
}

/** Pulls narrator, year, series and names out of (), [] and {}; returns the rest. */
function extractBrackets(text: string, reading: BookReading): string {
  return text.replace(BRACKET_GROUP, (whole: string, content: string, offset: number) => {
    const inner = tidy(content);
    const narrated = NARRATED_BY.exec(inner);
    if (narrated) {
      reading.narrator ??= tidy(narrated[1]);
      return " ";
    }
    const year = YEAR_IN_BRACKETS.exec(inner);
    if (year) {
      reading.year ??= year[1];
      return " ";
    }
    const marker = findMarker(inner, true);
    if (marker && !PART_WORD.test(marker.prefix)) {
      if (marker.prefix) reading.series ??= marker.prefix;
      reading.seriesNum ??= marker.num;
      return " ";
    }
    const score = nameScore(inner);
    // "[Dean Koontz] Watchers" names the author; "[ABB] Watchers" is a release tag.
    if (offset === 0 && whole[0] !== "(") return score >= 2 ? whole : " ";
    if (whole[0] === "(") {
      if (score < 2) return whole;
      reading.parenName ??= inner;
      return " ";
    }
    if (score >= 1) reading.narrator ??= inner;
    return " ";
  });
}

function takeNarrator(pieces: string[], reading: BookReading): string[] {
  if (!pieces.some((p) => NARRATION_HINT.test(p))) return pieces;
  const out: string[] = [];
  for (const piece of pieces) {
    const whole = NARRATED_BY.exec(piece);
    if (whole) {
      reading.narrator ??= tidy(whole[1]);
      continue;
    }
    const inline = NARRATED_INLINE.exec(piece);
    if (inline) {
      reading.narrator ??= tidy(inline[2]);
      out.push(tidy(inline[1]));
      continue;
    }
    out.push(piece);
  }
  return out;
}

function splitWrittenBy(piece: string, reading: BookReading): string[] {
  const by = WRITTEN_BY.exec(piece);
  if (!by || nameScore(by[2]) < 1) return [piece];
  reading.authorFirst = true;
  return [tidy(by[2]), tidy(by[1])];
}

/**
 * "2018 - Title" and "Author - Title - 2018" carry a year; "George Orwell - 1984"
 * and "1984 - George Orwell" carry a title.
 */
function takeYear(pieces: string[], reading: BookReading): string[] {
  if (pieces.length < 2) return pieces;
  const first = pieces[0];
  if (BARE_YEAR.test(first) && !(pieces.length === 2 && nameScore(pieces[1]) >= 1)) {
    reading.year ??= first;
    pieces = pieces.slice(1);
  }
  const lastIndex = pieces.length - 1;
  if (lastIndex > 0 && BARE_YEAR.test(pieces[lastIndex]) && !(lastIndex === 1 && nameScore(pieces[0]) >= 1)) {
    reading.year ??= pieces[lastIndex];
    pieces = pieces.slice(0, lastIndex);
  }
  return pieces;
}

function takeLeadNumber(pieces: string[], reading: BookReading): string[] {
  if (pieces.length === 0) return pieces;
  const pure = PURE_LEAD.exec(pieces[0]);
  if (pure) {
    reading.leadNum = normalizeNum(pure[1] ?? pure[2] ?? pure[3]);
    reading.leadExplicit = pure[3] === undefined;
    return pieces.slice(1);
  }
  const prefix = LEAD_PREFIX.exec(pieces[0]);
  if (prefix) {
    reading.leadNum = normalizeNum(prefix[1] ?? prefix[2] ?? prefix[3] ?? prefix[4]);
    reading.leadExplicit = prefix[1] !== undefined || prefix[2] !== undefined;
    return [pieces[0].slice(prefix[0].length), ...pieces.slice(1)];
  }
  return pieces;
}

/** Finds series positions; a lone "01"/"Book 2" piece belongs to the piece before it. */
function markParts(pieces: string[], authorFirst: boolean): Part[] {
  const parts: Part[] = [];
  const lastIndex = pieces.length - 1;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    const pure = i > 0 ? PURE_LEAD.exec(piece) : null;
    const prev = parts[parts.length - 1];
    if (pure && prev && prev.num === undefined) {
      const num = normalizeNum(pure[1] ?? pure[2] ?? pure[3]);
      // "Dean Koontz - Book 2 - Watchers": a position, but a person is no series.
      if (nameScore(prev.text) >= 2) parts.push({ text: "", num, kind: "keyword" });
      else Object.assign(prev, { num, kind: "keyword" });
      continue;
    }
    const middle = i > 0 && i < lastIndex;
    const firstOfMore = i === 0 && lastIndex > 0 && !authorFirst && nameScore(pieces[1]) < 1;
    const marker = authorFirst && i === 0 ? null : findMarker(piece, middle || firstOfMore);
    parts.push(marker ? { text: marker.prefix, num: marker.num, kind: marker.kind } : { text: piece });
  }
  return parts;
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
