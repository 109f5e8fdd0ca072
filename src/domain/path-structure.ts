/**
 * How much a book's folder structure says about it. A conventional layout is
 * real evidence: an author folder whose name reads as a person and that holds
 * several books, a series folder of numbered books, the same shape across the
 * whole library. The path layer's weight for a book grows with each of these
 * (from 40 for a lone folder name up to 75), and the basis names them so the
 * status reason can say why a book was trusted.
 *
 * Pure: the caller lists folders (path-layer.ts) and passes summaries in, so
 * the result depends on the library on disk, never on batch boundaries.
 */
import { counted } from "./plural.js";
import { SOURCE_WEIGHTS } from "./fields.js";
import { isContainerFolder, sanitizeSegment, stripJunk } from "./path-junk.js";
import { stripAudioExtension } from "./audio-extensions.js";
import { cleanFolder, cleanSegment, sameName, stripCollection, type PathHints } from "./path-analysis.js";
import { isOneNameWriter, nameScore } from "./person-name.js";
import { SEPARATOR } from "./book-segment.js";
import { FOREIGN_POSITION_WORDS } from "./series-num.js";
import { SERIES_HEROES } from "./hero-names.js";

/** What one folder's entries look like; each count is worked out on first use, once per folder. */
export interface FolderSummary {
  /** Entries that may be books or groups of books (folders, audio files). */
  readonly entries: number;
  /** Entries whose name reads as a person (author folders). */
  readonly persons: number;
  /** Entries whose name starts with or carries a series position ("01 - Title", "Book 2 - Title"). */
  readonly numbered: number;
  /** Entries named "Person - Title" or "Title - Person". */
  readonly personDashed: number;
}

export const MAX_PATH_WEIGHT = 75;
const MIN_CONSISTENT_ENTRIES = 3;
const CONSISTENT_SHARE = 0.6;
/** "01 - Title", "Book 2 - Title", "Vol. 3 Title", "Title #4", "Series 05 - Title": a position somewhere in the name. */
/** "01 - Title", "Book 2 - Title": a position opening the name; four digits ("2001 - A Space Odyssey") are a title or a year. */
const LEADING_POSITION = /^\s*(?:(?:book|bk|vol(?:ume)?|#)\.?\s*)?\d{1,3}(?:\.\d{1,2})?(?!\d)/iu;
const POSITION = new RegExp(
  String.raw`^\s*(?:(?:book|bk|vol(?:ume)?|part|tome|${FOREIGN_POSITION_WORDS}|#)\.?\s*)?\d{1,4}(?:\.\d{1,2})?(?!\d)|(?:\bbook|\bbk|\bvol(?:ume)?|\b(?:${FOREIGN_POSITION_WORDS})|#)\.?\s*\d|\s0\d(?:\.\d)?\b`,
  "iu",
);

class LazySummary implements FolderSummary {
  readonly entries: number;
  #names: string[];
  #persons?: number;
  #numbered?: number;
  #personDashed?: number;

  constructor(names: string[]) {
    this.#names = names;
    this.entries = names.length;
  }

  get persons(): number {
    return (this.#persons ??= this.#names.filter((name) => nameScore(stripCollection(cleanSegment(name))) >= 1).length);
  }

  get numbered(): number {
    return (this.#numbered ??= this.#names.filter((name) => POSITION.test(name)).length);
  }

  get personDashed(): number {
    return (this.#personDashed ??= this.#names.filter((name) => {
      const pieces = cleanSegment(name).split(SEPARATOR);
      return pieces.length >= 2 && (nameScore(pieces[0].trim()) >= 2 || nameScore(pieces[pieces.length - 1].trim()) >= 2);
    }).length);
  }
}

/** Summarise a folder's entry names (already filtered to folders and audio files). */
export function summarizeFolder(names: readonly string[]): FolderSummary {
  const kept: string[] = [];
  for (const raw of names) {
    // Raw names: cleaning is left to the counts that need it (most folders are asked only for `numbered`).
    const name = stripAudioExtension(raw).trim();
    if (name.length > 0 && !isContainerFolder(name)) kept.push(name);
  }
  return new LazySummary(kept);
}

export interface PathEvidence {
  weight: number;
  /** Human-readable reasons, empty when the structure adds nothing. */
  basis: string[];
  /** The author may as well be a series' hero: the path layer claims it with half the weight. */
  doubtfulAuthor?: boolean;
}

/**
 * segments: the book's path under its library root, split on "/".
 * folder(i): the summary of the folder made of the first i segments (0 = the library root), when known.
 */
export function pathEvidence(
  segments: readonly string[],
  hints: PathHints,
  folder: (depth: number) => FolderSummary | undefined,
  isFile = false,
): PathEvidence {
  const base: number = SOURCE_WEIGHTS.path;
  const basis: string[] = [];
  const n = segments.length;
  if (n === 0 || hints.author === undefined || hints.title === undefined) return { weight: base, basis };
  let weight = base;
  const rawBook = segments[n - 1];
  const bookName = isFile ? stripAudioExtension(rawBook) : rawBook;
  const authorScore = nameScore(hints.author);
  if (authorScore < 1) return { weight: base, basis };
  // "Jack Reacher/Echo Burning": a series' hero (hero-names.ts) read as the writer is only a guess however the shelf
  // looks; the folders around it lend it no trust (numbered books there read as the hero's series).
  if (SERIES_HEROES.has(hints.author.trim().toLowerCase())) return { weight: base, basis: ["a series' hero's name read as the writer"] };

  // Which parent folder named the author, if any.
  let authorDepth = -1;
  // "Lee Child - Jack Reacher/14 61 Hours": the folder names the author and the series at once.
  let authorAndSeries = false;
  for (let j = n - 2; j >= 0; j--) {
    const cleaned = cleanFolder(segments[j]);
    if (cleaned.length > 0 && sameName(cleaned, hints.author)) {
      authorDepth = j;
      break;
    }
    const pieces = cleaned.split(SEPARATOR);
    if (pieces.length === 2 && hints.series !== undefined && sameName(pieces[0].trim(), hints.author) && sameName(pieces[1].trim(), hints.series)) {
      authorDepth = j;
      authorAndSeries = true;
      break;
    }
  }
  if (authorDepth >= 0 && authorDepth === n - 2 && !authorAndSeries && LEADING_POSITION.test(bookName)) {
    // "Jack Reacher/01 - Killing Floor", "Harry Bosch/02 - The Black Ice": numbered books right inside a person-named
    // folder are a character's series as often as a writer's books ("Lee Child/01 - Killing Floor" looks the same).
    // Writers' folders number their books inside a series folder; here the name is only a guess at the writer.
    const own = folder(authorDepth + 1);
    if (own !== undefined && own.numbered >= 2 && own.numbered >= own.entries * CONSISTENT_SHARE) {
      return { weight: base, basis: ["numbered books directly in a person-named folder (a writer or a series' hero)"] };
    }
  }
  if (authorDepth >= 0) {
    weight += authorScore >= 2 ? 10 : 5;
    basis.push(authorAndSeries ? "folder named for author and series" : "person-named author folder");
    const own = folder(authorDepth + 1);
    if (own !== undefined && own.entries >= 2) {
      weight += 10;
      basis.push(`holding ${counted(own.entries, "book")}`);
    }
    // "Fantasy/Michelle Obama/Becoming": a genre folder with few authors in it; the library above it shows the layout.
    let levelDepth = authorDepth;
    let level = folder(levelDepth);
    while ((level === undefined || level.entries < MIN_CONSISTENT_ENTRIES) && levelDepth > 0 && isContainerFolder(cleanSegment(segments[levelDepth - 1]))) {
      levelDepth--;
      level = folder(levelDepth);
    }
    if (level !== undefined && level.entries >= MIN_CONSISTENT_ENTRIES && level.persons >= level.entries * CONSISTENT_SHARE) {
      weight += 10;
      basis.push(`${level.persons}/${level.entries} ${levelDepth === authorDepth ? "sibling" : "library"} folders are authors`);
    }
    if (hints.series !== undefined && (authorDepth < n - 2 || authorAndSeries)) {
      const series = folder(n - 1);
      if (series !== undefined && series.numbered >= 2 && series.numbered >= series.entries * CONSISTENT_SHARE) {
        weight += 5;
        basis.push(`${series.numbered} numbered books in the series folder`);
      }
    }
  } else {
    // "Person - Title" named in the book's own folder: consistent when its siblings share the shape.
    // "Steve Jobs - Walter Isaacson": when the title reads as a person too, which is the author is a guess.
    if (authorScore < 2 || nameScore(hints.title) >= 2) return { weight: base, basis };
    weight += 5;
    basis.push("person-named author in the name");
    const level = folder(n - 1);
    // Only "Author - Title" in that order: a name read the other way round ("Title - Author") was a guess.
    const authorFirst = sameName(cleanSegment(bookName).split(SEPARATOR)[0]?.trim() ?? "", hints.author);
    if (authorFirst && level !== undefined && level.entries >= MIN_CONSISTENT_ENTRIES && level.personDashed >= level.entries * CONSISTENT_SHARE) {
      weight += 10;
      basis.push(`${level.personDashed}/${level.entries} sibling names are "Author - Title"`);
    } else if (authorScore < 3 && hints.series === undefined && ARTICLE_LED.test(hints.title)) {
      // "Percy Jackson - The Lightning Thief", "Percy.Jackson.The.Lightning.Thief", "Sherlock Holmes - A Study in
      // Scarlet": a series named for its hero, then the book's own title, reads as "Stephen King - The Stand" does.
      // Alone, with no sibling names showing the writer-first convention, the name is only a guess at the writer:
      // any source naming the writer (Open Library's 45 too) outvotes it. Initials ("J.K. Rowling") are a writer's,
      // and so is a name before a series of its own ("Brandon Sanderson - Mistborn 01 - The Final Empire").
      const evidence = finishWeight(weight, bookName, basis);
      return { ...evidence, basis: [...evidence.basis, "a person's name before a title led by an article may name a series' hero"], doubtfulAuthor: true };
    }
  }
  return finishWeight(weight, bookName, basis);
}

const ARTICLE_LED = /^(?:the|a|an)\s/iu;

/** The clean-name step every reading ends with, within the path's bounds. */
function finishWeight(weight: number, bookName: string, basis: string[]): PathEvidence {
  let w = weight;
  if (isCleanName(bookName)) {
    w += 5;
    basis.push("clean name");
  } else {
    w -= 5;
  }
  return { weight: Math.max(SOURCE_WEIGHTS.path, Math.min(MAX_PATH_WEIGHT, w)), basis };
}

const RELEASE_DOT = /\p{L}{2}\.\p{L}/u;

/** Nothing had to be cut from the book's name: no tags, no release-style dots or underscores. */
function isCleanName(name: string): boolean {
  const safe = sanitizeSegment(name);
  if (RELEASE_DOT.test(safe) || safe.includes("_")) return false;
  return stripJunk(safe) === safe.trim();
}

/**
 * The weight the path's author claim gets: half the path's weight when the name does not read as a person
 * ("Warhammer 40k/Horus Rising", "Star Wars/Heir to the Empire", "Discworld/Mort", "The Expanse/Leviathan Wakes":
 * a franchise, world or series folder above the book), so any source naming a writer outvotes it without a close
 * conflict, and the book, never more sure than its author (confidence.ts), asks for a look. A writer known by one
 * name ("Homer", "Tolstoy") reads as a person.
 */
export function pathAuthorWeight(author: string, weight: number): number {
  return nameScore(author) >= 1 || isOneNameWriter(author) ? weight : Math.round(weight / 2);
}
