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
import { displayName, isNameParticle, isOneNameWriter, isSurnameFirst, isTitleWord, joinAuthors, nameScore, splitAuthors } from "./person-name.js";
import { GIVEN_NAMES } from "./given-names.js";
import { lazyRegExp } from "./lazy-regexp.js";
import { stripAudioExtension } from "./audio-extensions.js";
import { isCamelName, isCamelRun, isContainerFolder, isJunkBracket, isSceneName, sanitizeSegment, stripJunk, tidy, uncamelName, uncamelPieceName, uncamelRun, unglueName, unsceneName, withoutSceneGroup } from "./path-junk.js";
import { putMarkupBack, setMarkupAside } from "./markup-names.js";
import { isLifeFolder, isLifeSubject, isLifeSubtitle } from "./biography-subject.js";
import { DISC_WORDS, PART_NUMBER, PART_WORDS, PIECE_FOLDER, PIECE_HINT, PIECE_WORDS, SIDE_WORDS } from "./part-words.js";
import { bookOfSeriesPiece, DISC_SUFFIX, PART_LED, PART_ONLY, readBook, SEPARATOR, spelledLead, type BookReading, type Part } from "./book-segment.js";
import { bareSeriesPosition, seriesLeadInTitle, splitSubtitle } from "./subtitle.js";
import { isVariantName, readNameTags, type NameTags } from "./name-tags.js";
import { hasCjk, readCjkVolumes } from "./cjk-names.js";
import { cjkNameScore } from "./cjk-person-names.js";
import { isPlausibleYear } from "./year.js";
import { knownLanguage } from "./normalize.js";
import { isWriter, readerIn, WRITER_READS } from "./reader-phrase.js";
import { HERO_TITLES, SERIES_HEROES, isDetectiveHero } from "./hero-names.js";
import { isKnownReader } from "./known-readers.js";
import { isPenNameOf } from "./pen-names.js";
import { isShelfFolder, withoutGrouping, withoutLeadingShelf } from "./series-shelf.js";
import { FOREIGN_POSITION_WORDS, NUMBER_WORDS as POSITION_NUMBER_WORDS, seriesNumToken } from "./series-num.js";
import { withRomanPosition } from "./roman-series.js";
import { withLongSeriesPosition } from "./long-series.js";
import { isManyWritersName, isNoWriterName } from "./no-writer-names.js";
import { isSeriesNamed, partPlace } from "./series-words.js";
import { withNameCase } from "./name-case.js";
import { isFlatAndClosed, withBalancedBrackets } from "./bracket-balance.js";

export interface PathHints {
  author?: string;
  language?: string;
  edition?: string;
  variant?: string;
  title?: string;
  subtitle?: string;
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
export function analyzePath(relativePath: string, options?: PathOptions): PathHints {
  return readPath(relativePath, options).hints;
}

export interface PathOptions {
  /** The book is a single audio file (strip its extension). */
  isFile?: boolean;
  /**
   * The names beside the book in its folder (audio files without their extension), when the caller has
   * listed it: "The Dark Tower I - The Gunslinger" beside "The Dark Tower V - Wolves of the Calla" shows the
   * numeral is a position (roman-series.ts).
   */
  siblings?: readonly string[];
  /**
   * The folders at the top of the library, in lower case, when the caller has listed them: "Steve Jobs - Walter
   * Isaacson" beside a "Walter Isaacson" folder names its writer last, where the name alone cannot tell.
   */
  topFolders?: ReadonlySet<string>;
}

export interface PathReading {
  hints: PathHints;
  /** Fields read from a shape that also fits another reading: the path layer claims them with less weight. */
  doubtful: readonly (keyof PathHints)[];
}

const BRACKET_CHAR_HINT = /[()[\]{}]/u;
const NOTHING_DOUBTFUL: readonly (keyof PathHints)[] = [];
const YEAR_DOUBTFUL: readonly (keyof PathHints)[] = ["year"];
const TITLE_DOUBTFUL: readonly (keyof PathHints)[] = ["title"];
const YEAR_TITLE_DOUBTFUL: readonly (keyof PathHints)[] = ["year", "title"];

/** analyzePath, plus which of its hints are doubtful. */
export function readPath(relativePath: string, options?: PathOptions): PathReading {
  if (typeof relativePath !== "string") return { hints: {}, doubtful: NOTHING_DOUBTFUL };
  const reading = readCasedPath(relativePath, options);
  const shouted = !HAS_LOWER_LETTER().test(relativePath);
  // "STEPHEN KING - THE STAND", "stephen king/the stand": a name in one case only is given a library's case (name-case.ts).
  for (const field of CASED_FIELDS) {
    const value = reading.hints[field];
    if (value !== undefined) reading.hints[field] = withNameCase(value, field === "author" || field === "narrator" ? "person" : "title", shouted);
  }
  return reading;
}
const CASED_FIELDS = ["author", "narrator", "title", "subtitle", "series"] as const;
const HAS_LOWER_LETTER = lazyRegExp(() => /\p{Ll}/u);

function readCasedPath(relativePath: string, options?: PathOptions): PathReading {
  const aside = setMarkupAside(relativePath);
  if (aside !== null) {
    const reading = readPlainPath(aside.path, options);
    const hints: PathHints = {};
    for (const [field, value] of Object.entries(reading.hints) as [keyof PathHints, string][]) {
      const back = putMarkupBack(value, aside.runs);
      if (back !== "") hints[field] = back.length > MAX_VALUE_CHARS ? back.slice(0, MAX_VALUE_CHARS).replace(HIGH_SURROGATE_END, "") : back;
    }
    return { hints, doubtful: reading.doubtful };
  }
  return readPlainPath(relativePath, options);
}

function readPlainPath(relativePath: string, options?: PathOptions): PathReading {
  if (BRACKET_CHAR_HINT.test(relativePath) && !isFlatAndClosed(relativePath)) relativePath = relativePath.split("/").map(withBalancedBrackets).join("/");
  // "Die drei ???/012/01.mp3", "Author/Series/Vol 1 - 1994 - Title {Reader}/Audio Track 1.mp3" (Audiobookshelf's
  // layout): a file named only by its track's number, or by a word any file could bear, is a piece of its folder's book
  // and says nothing of its own, so the book is read as that folder is, with the whole window of folders above it.
  const folderAt = options?.isFile === true ? trackOnlyFile(relativePath) : -1;
  if (folderAt > 0) {
    const folderReading = readPlainPath(relativePath.slice(0, folderAt), { topFolders: options?.topFolders });
    // "Steve Jobs/Steve Jobs.m4b" (OpenAudible's and AAXtoMP3's "<title>/<title>.m4b"): a file named as its folder
    // makes that folder the book's own, its name the title, never a writer's shelf.
    const namedAsFolder = sameName(stripAudioExtension(relativePath.slice(folderAt + 1)).trim(), cleanFolder(relativePath.slice(relativePath.lastIndexOf("/", folderAt - 1) + 1, folderAt)));
    return namedAsFolder ? folderReading : writerOnly(folderReading, relativePath.slice(0, folderAt));
  }
  // "1984/1984 01.mp3", "George Orwell/1984/1984 - 001.mp3": a track's file named as its folder, then a zero-led number,
  // is a track of the folder's book whatever the title's words (a title of digits alone reads as no series' place).
  if (options?.isFile === true && PADDED_END_HINT.test(stripAudioExtension(relativePath)) && !WHOLE_BOOK_FILE.test(relativePath)) {
    const slash = relativePath.lastIndexOf("/");
    const named = slash > 0 ? NAMED_TRACK().exec(stripAudioExtension(relativePath.slice(slash + 1)).trim()) : null;
    if (named !== null && sameName(named[1], cleanFolder(relativePath.slice(relativePath.lastIndexOf("/", slash - 1) + 1, slash)))) {
      return readPlainPath(relativePath.slice(0, slash), { topFolders: options.topFolders });
    }
  }
  // "The Hobbit/01 - An Unexpected Party.mp3", "The Martian/01 - Sol 6.mp3": a ripper's or a splitter's "<track> -
  // <chapter>" file in a title's folder at the library's root is a chapter of that book, no book 1 of a series named
  // as the folder; a whole book's file (.m4b) there, a folder named as a series of books, a radio play's three-digit
  // episode ("001 - Title.mp3") or a file naming the folder's words again keeps the reading it had.
  if (options?.isFile === true && PADDED_LEAD_HINT.test(relativePath) && !WHOLE_BOOK_FILE.test(relativePath) && PADDED_TRACK_FILE().test(relativePath)) {
    const slash = relativePath.indexOf("/");
    const folder = cleanFolder(relativePath.slice(0, slash));
    if (slash > 0 && slash === relativePath.lastIndexOf("/") && MEANINGFUL_NAME.test(folder) && !sharesWord(relativePath.slice(slash + 1), folder) && !DIGIT.test(folder) && !SEPARATOR.test(folder) && !isSeriesNamed(folder) && !SET_NOUN_END().test(folder) && !SERIES_HEROES.has(folder.toLowerCase()) && nameScore(folder) < 2) {
      return readPlainPath(relativePath.slice(0, slash), { topFolders: options.topFolders });
    }
  }
  // "Terry Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!/01 - The Night Watch.mp3": another file of a book
  // in parts takes no place of the folders above (lastSegments counts a disc's folder the same way), so the writer's
  // folder stays in the window the book's folder would have.
  const track = options?.isFile === true && !WHOLE_BOOK_FILE.test(relativePath);
  const segments = lastSegments(relativePath, MAX_PARENTS + (track ? 2 : 1));
  if (segments.length >= 2 && YEAR_FOLDER_HINT.test(relativePath)) withYearFolderDown(segments, options?.isFile === true);
  // "Die drei ???/012/Der Super-Papagei": a folder that is only a position (never a year's four digits) places the book
  // it holds in the series above, as "Die drei ???/012 - Der Super-Papagei" does; no series "012" of a writer "Die drei ???".
  // "J.K. Rowling/Wizarding World/Book 1/Harry Potter and the Sorcerer's Stone.mp3" (OpenAudible's folders sorted by a
  // book list): a folder that is only a book's word and its number is such a position too, and a file below it named
  // as a book (no track, chapter or part of one) is that book.
  // "Die drei ???/012/01 - Der Karpatenhund - Teil 1.mp3": a file below a position's folder numbered as a track is a
  // track of the book the folder places; its number is the track's, the position is the folder's.
  // A piece named after the title ("- Teil 1") is that track's share of the book; a chapter's or a generic word names
  // nothing, so the folder alone is read ("Die drei ???/012/Kapitel 1.mp3" is read so too).
  let trackOfPosition = false;
  if (options?.isFile === true && segments.length >= 3 && TRACK_LED_FILE.test(segments[segments.length - 1])) {
    const position = segments[segments.length - 2];
    const rest = segments[segments.length - 1].replace(TRACK_LED_FILE, "");
    const restStem = stripAudioExtension(rest).trim();
    if ((POSITION_FOLDER.test(position) || BOOK_POSITION_FOLDER().test(position)) && !DIGIT_LED.test(rest) && MEANINGFUL_NAME.test(restStem)) {
      if (CHAPTER_TRACK().test(restStem) || GENERIC_FILE.test(restStem) || PIECE_FOLDER().test(restStem)) return readPlainPath(segments.slice(0, -1).join("/"), { topFolders: options.topFolders });
      segments[segments.length - 1] = rest;
      trackOfPosition = true;
    }
  }
  for (let i = 0; i < segments.length; i++) if (segments[i].includes(",")) segments[i] = withReversedWriters(segments[i]);
  // "Project Hail Mary/Project Hail Mary - Andy Weir - 01.mp3": a track's number as a dashed piece of a file that
  // names its folder's book is the track's, no series' place; the rest is read as the book's name.
  if (track && segments.length >= 2 && segments[segments.length - 1].includes(" - ")) {
    segments[segments.length - 1] = withoutTrackPiece(segments[segments.length - 1], cleanFolder(segments[segments.length - 2]));
  }
  const ownName = segments[segments.length - 1] ?? "";
  const ownBooklike = (): boolean => options?.isFile !== true || trackOfPosition || WHOLE_BOOK_FILE.test(ownName) || !(CHAPTER_TRACK().test(stripAudioExtension(ownName)) || PIECE_HINT.test(ownName) || GENERIC_FILE.test(stripAudioExtension(ownName)));
  const booklike = segments.length >= 3 && ownBooklike();
  const position = segments.length >= 3 ? segments[segments.length - 2] : "";
  // "Brandon Sanderson/Mistborn #1/The Final Empire.m4b" (Audiobookshelf's "Series #1" folders): the folder names the
  // series and the place of the book it holds, as "Mistborn #1 - The Final Empire" does.
  const hashPosition = segments.length >= 2 ? segments[segments.length - 2] : "";
  // "Brandon Sanderson/Mistborn - 01/The Final Empire.m4b", "The Expanse 01/Leviathan Wakes", "Mistborn, Book 1/The Final
  // Empire": the series and the place written any other way a book's name writes them do the same; a file or folder
  // repeating the series' name ("Dune - 01/Dune.mp3") is that book's piece, read as before.
  // "Mistborn 01/Mistborn 01 - The Final Empire.m4b", "The Expanse 01/The Expanse 01 - Leviathan Wakes.m4b": a name
  // opening with its series' place folder's whole name says all the folder says; the folder is the book's own, never a
  // writer's shelf named "Mistborn 01".
  if (segments.length >= 2 && PLACE_END_HINT.test(hashPosition) && repeatsPlaceFolder(hashPosition, ownName)) segments.splice(segments.length - 2, 1);
  const placeFolder = segments.length >= 2 && ((HASH_HINT.test(hashPosition) && HASH_PLACE_FOLDER().test(hashPosition)) || (PLACE_END_HINT.test(hashPosition) && placeFolderSeries(hashPosition, ownName)));
  const seriesPlaceFolder = placeFolder && !DIGIT_LED.test(ownName) && !HASH_HINT.test(ownName) && ownBooklike();
  if (seriesPlaceFolder || (segments.length >= 3 && booklike && (POSITION_FOLDER.test(position) || BOOK_POSITION_FOLDER().test(position)) && !DIGIT_LED.test(ownName))) {
    const own = segments.pop()!;
    segments[segments.length - 1] = `${segments[segments.length - 1].trim()} - ${own}`;
  }
  if (segments.length > 0) {
    segments[segments.length - 1] = withRomanPosition(segments[segments.length - 1], options?.siblings);
    // "Robert Jordan/The Wheel of Time/IV - The Shadow Rising": a roman numeral alone before the title is the book's
    // place as "Book IV - " is (no writer "IV"); a track's file keeps its own name ("I - Prologue.mp3" is a chapter).
    if (LEAD_ROMAN_HINT.test(segments[segments.length - 1]) && (options?.isFile !== true || WHOLE_BOOK_FILE.test(relativePath))) {
      segments[segments.length - 1] = segments[segments.length - 1].replace(LEAD_ROMAN(), "Book $1 - ");
    }
    if (segments[segments.length - 1].includes(". ")) segments[segments.length - 1] = withStoppedLeadPosition(segments[segments.length - 1]);
    else if (GLUED_YEAR_HINT.test(segments[segments.length - 1])) segments[segments.length - 1] = withGluedLeadYear(segments[segments.length - 1], options?.isFile === true);
    if (options?.isFile === true && options.siblings !== undefined && CHAPTER_HINT.test(segments[segments.length - 1])) {
      segments[segments.length - 1] = withoutChapterTitle(segments[segments.length - 1], options.siblings);
    }
    if (options?.siblings !== undefined && PART_LED_HINT.test(segments[segments.length - 1])) {
      segments[segments.length - 1] = withTitledPartPosition(segments[segments.length - 1], options.siblings, segments[segments.length - 2]);
    }
  }
  const context: ReadContext = { sharedFolder: sharesFolder(segments, options?.siblings), siblings: options?.siblings, topFolders: options?.topFolders };
  const resolved = analyzeSegments(segments, options?.isFile === true, context);
  const certain = resolved.yearDoubtful === true ? (resolved.titleDoubtful === true ? YEAR_TITLE_DOUBTFUL : YEAR_DOUBTFUL) : resolved.titleDoubtful === true ? TITLE_DOUBTFUL : NOTHING_DOUBTFUL;
  const withReader = resolved.narratorDoubtful === true ? [...certain, "narrator" as const] : certain;
  const hints = finish(resolved);
  const doubtful = resolved.authorDoubtful !== undefined && hints.author !== undefined && sameName(hints.author, resolved.authorDoubtful) ? [...withReader, "author" as const] : withReader;
  if (hints.series_num !== undefined && hints.series === undefined && hints.title === undefined && hints.author !== undefined && segments.length > 1) spelledPositionTitle(hints, segments[segments.length - 1], options?.isFile === true);
  if (hints.author !== undefined && segments.length > 2) underManyWriters(hints, segments);
  // "Brandon Sanderson/The Final Empire - The Mistborn Saga", "Rubinrot - Edelstein-Trilogie": a dashed piece after the
  // title named as a series of books (series-words.ts) is the series, no subtitle, as the folder of that name would be.
  if (hints.title !== undefined && SERIES_WORD_HINT.test(hints.title + (hints.subtitle ?? ""))) seriesPiece(hints);
  // "Die drei Fragezeichen - Der seltsame Wecker (Folge 12)", "Star Wars - Thrawn (Book 1)": a place in brackets and,
  // before the title, a name of words that is surely no person (person-name.ts scores it below zero): that name is
  // the series the place counts in. A single word ("Mistborn", "King") may be a surname, so it is left as read.
  if (hints.series === undefined && hints.series_num !== undefined && hints.author === undefined && hints.title !== undefined && hints.title.includes(" - ")) {
    const at = hints.title.indexOf(" - ");
    const lead = hints.title.slice(0, at);
    const rest = hints.title.slice(at + 3);
    if (!rest.includes(" - ") && MEANINGFUL.test(rest) && nameScore(lead) < 0 && !isOneNameWriter(lead)) [hints.series, hints.title] = [lead, rest];
  }
  // "TKKG - Der Schatz in der Drachenhöhle (Folge 1)": an episode in brackets numbers a series named before the title, as
  // "TKKG - Folge 1 - Title" does (book-segment.ts), never a writer's books; a writer's folder of that name above keeps it.
  if (hints.series === undefined && hints.series_num !== undefined && hints.author !== undefined && hints.title !== undefined && EPISODE_HINT.test(segments[segments.length - 1])) {
    episodeSeries(hints, segments);
  }
  // "Yuval Noah Harari/Sapiens/Sapiens_ A Brief History of Humankind.m4b": the title and its subtitle split only now
  // (finish), the folder repeating the title is the book's own, no series, as resolve reads it unsplit.
  if (hints.subtitle !== undefined && hints.series !== undefined && hints.series_num === undefined && hints.title !== undefined && sameName(hints.title, hints.series) && segments.length > 1 && !isSeriesNamed(segments[segments.length - 2])) delete hints.series;
  if (hints.title !== undefined && hints.subtitle === undefined && (isLifeSubtitle(hints.title) || (hints.author !== undefined && isLifeSubtitle(hints.author)))) {
    // "Einstein - His Life and Universe/01.mp3", "Einstein/His Life and Universe/CD 1": a track or a disc below the
    // life's own folder is read as that folder, and its siblings are tracks, no other books of the folder above.
    const at = lifeSegmentAt(segments, isLifeSubtitle(hints.title) ? hints.title : hints.author!);
    const own = at === segments.length - 1 ? options : { ...options, siblings: undefined };
    lifeSubject(hints, segments[at], own);
    if (hints.subtitle === undefined && at > 0) lifeFolder(hints, cleanFolder(segments[at - 1]), own);
  }
  // "Patrick Rothfuss/B002UZMLXM", "9780756404741": a shop's or publisher's id names the book for a catalogue, not
  // for people; the tags or a sidecar give its title, the folders above still name its writer.
  if (hints.title !== undefined && CATALOGUE_ID.test(hints.title)) delete hints.title;
  return { hints, doubtful };
}

/**
 * "Steven Levy/Audio File.m4a" (Audiobookshelf's lone file under its writer): the folder of a file that names
 * nothing, the folder's name surely a person's (a given name the list knows, then a surname), names who wrote the book,
 * never what it is called: the tags or a sidecar give the title. A hero's name ("Tom Sawyer") stays the title.
 */
function writerOnly(reading: PathReading, folderPath: string): PathReading {
  const { hints } = reading;
  const title = hints.title;
  if (title === undefined || hints.author !== undefined || hints.series !== undefined || hints.subtitle !== undefined || hints.series_num !== undefined) return reading;
  // "Audiobooks/Steven Levy/Audio File.m4a": a shelf above that named nothing; the title must be the folder's own name.
  if (!sameName(title, cleanFolder(folderPath.slice(folderPath.lastIndexOf("/") + 1)))) return reading;
  // "Kishimi, Ichiro & Koga, Fumitake/Audio File.m4a": writers listed the catalogue's way are people too.
  const listed = title.includes(",") ? reversedList(title) : null;
  if ((listed === null || listed.length < 2) && (nameScore(title) < 2 || HERO_TITLES.has(title.toLowerCase()) || isLifeSubtitle(title))) return reading;
  const { title: _title, ...rest } = hints;
  // "Steve Jobs/01.mp3" is shaped as "Steven Levy/Audio File.m4a": a life's title folder or a writer's (Audiobookshelf's
  // "only author" book), which nothing here tells apart, so one person's name is claimed as a doubtful writer (half
  // weight, a tag or a sidecar outweighs it). Writers listed the catalogue's way are surely people.
  const doubtful = reading.doubtful.filter((field) => field !== "title");
  if (listed !== null && listed.length >= 2) return { hints: { ...rest, author: joinAuthors(listed) }, doubtful };
  return { hints: { ...rest, author: title }, doubtful: doubtful.includes("author") ? doubtful : [...doubtful, "author"] };
}

const EPISODE_HINT = /folge|episod|odcinek/iu;
const EPISODE_BRACKET = /[([]\s*(?:folge|episode|episodio|épisode|odcinek)\s*\d{1,4}\s*[)\]]/iu;

function episodeSeries(hints: PathHints, segments: readonly string[]): void {
  const own = segments[segments.length - 1];
  const author = hints.author!;
  if (!EPISODE_BRACKET.test(own) || !own.toLowerCase().startsWith(author.toLowerCase()) || !SEPARATOR.test(own.slice(author.length, author.length + 4))) return;
  if (segments.length > 1 && sameName(cleanFolder(segments[segments.length - 2]), author) && nameScore(author) >= 1) return;
  hints.series = author;
  delete hints.author;
}

/**
 * "Einstein - His Life and Universe": the subject of a life and its subtitle, where the one word was read as the
 * writer (or, after a writer, as a series; or swapped behind a subtitle read as a name: "Mozart - Sein Leben").
 */
function lifeSubject(hints: PathHints, own: string, options: PathOptions | undefined): void {
  const title = hints.title!;
  if (hints.author !== undefined && isLifeSubject(hints.author, title, own, options?.siblings, options?.topFolders)) {
    [hints.title, hints.subtitle] = [hints.author, title];
    delete hints.author;
  } else if (hints.author !== undefined && isLifeSubject(title, hints.author, own, options?.siblings, options?.topFolders)) {
    hints.subtitle = hints.author;
    delete hints.author;
  } else if (hints.series !== undefined && hints.series_num === undefined && hints.author !== undefined && isLifeSubject(hints.series, title, own.slice(own.indexOf(hints.series)), options?.siblings, options?.topFolders)) {
    [hints.title, hints.subtitle] = [hints.series, title];
    delete hints.series;
  }
}

/**
 * "Brandon Sanderson/The Final Empire - The Mistborn Saga", "Author - The Final Empire - Mistborn Trilogy", "Kerstin
 * Gier/Rubinrot - Edelstein-Trilogie": a dashed piece after the title named as a series of books (series-words.ts) is
 * the series, never a subtitle or the title (with the title read as a series), as a folder of that name would be.
 */
function seriesPiece(hints: PathHints): void {
  const title = hints.title!;
  if (hints.subtitle !== undefined && hints.series === undefined && isSeriesNamed(hints.subtitle) && !DESCRIPTION_LEAD.test(hints.subtitle)) {
    hints.series = stripSeriesSuffix(hints.subtitle);
    delete hints.subtitle;
  } else if (hints.series !== undefined && hints.series_num === undefined && hints.subtitle === undefined && isSeriesNamed(title) && !DESCRIPTION_LEAD.test(title) && !isSeriesNamed(hints.series) && !sameName(stripSeriesSuffix(title), hints.series)) {
    // "Brandon Sanderson/Mistborn/Mistborn Trilogy" (the series folder's omnibus) stays as read.
    [hints.title, hints.series] = [hints.series, stripSeriesSuffix(title)];
  } else if (hints.series === undefined && hints.subtitle === undefined && title.includes(" - ")) {
    const at = title.lastIndexOf(" - ");
    const piece = title.slice(at + 3);
    if (isSeriesNamed(piece) && !DESCRIPTION_LEAD.test(piece)) [hints.title, hints.series] = [title.slice(0, at), stripSeriesSuffix(piece)];
  }
}
const SERIES_WORD_HINT = /tril|olog|seri|séri|saga|cycl|ciclo|zykl|reihe|chronic|quartet|цикл|сери|сага|трилог/iu;

/** Where the book's own name holding `life` is: the last segment, or the folder above the tracks or discs below it. */
function lifeSegmentAt(segments: readonly string[], life: string): number {
  const text = life.toLowerCase();
  const holds = (i: number) => sanitizeSegment(segments[i]).toLowerCase().includes(text);
  let at = segments.length - 1;
  if (at > 0 && !holds(at) && holds(at - 1)) at -= 1;
  while (at > 0 && holds(at) && holds(at - 1)) at -= 1;
  return at;
}

/** "Einstein/His Life and Universe", "Walter Isaacson/Einstein/His Life and Universe": the folder is the life's subject. */
function lifeFolder(hints: PathHints, folder: string, options: PathOptions | undefined): void {
  const title = hints.title!;
  const read = hints.author !== undefined && sameName(hints.author, folder) ? "author" : hints.series !== undefined && hints.series_num === undefined && sameName(hints.series, folder) ? "series" : undefined;
  if (read !== undefined && isLifeFolder(folder, title, options?.siblings)) {
    delete hints[read];
    [hints.title, hints.subtitle] = [folder, title];
  } else if (hints.author !== undefined && sameName(title, folder) && isLifeFolder(folder, hints.author, options?.siblings)) {
    // "Mozart/Sein Leben": the subtitle was read as a name and swapped behind the folder's word.
    hints.subtitle = hints.author;
    delete hints.author;
  }
}

/**
 * "Various Authors/Star Wars/From a Certain Point of View", "Разные авторы/Антология/Title": below an anthologies'
 * folder (no-writer-names.ts), a folder that names no sure person shelves the books of a series or a collection,
 * never a writer's: it is the series when nothing else is. A person's folder there is still the writer.
 */
function underManyWriters(hints: PathHints, segments: readonly string[]): void {
  const at = segments.findIndex((s, i) => i < segments.length - 2 && isManyWritersName(s));
  if (at < 0 || nameScore(hints.author!) >= 2) return;
  const author = hints.author!;
  if (!segments.slice(at + 1, -1).some((s) => sameName(cleanFolder(s), author))) return;
  if (hints.series === undefined && (hints.title === undefined || !sameName(hints.title, author))) hints.series = author;
  delete hints.author;
}

/**
 * "Борис Акунин/Первая книга", "Stephen King/Book One", "Sebastian Fitzek/Erster Band": a name that is only a position
 * spelled in words, with no series named above it or in it, is the book's title: a position needs a series to count
 * in, and such a name is what the book is called ("Первая книга" is Akunin's). Digits ("Book 1") stay a position.
 */
function spelledPositionTitle(hints: PathHints, own: string, isFile: boolean): void {
  const name = withoutFolderYear(cleanSegment(isFile ? stripAudioExtension(own) : own));
  // The name gave a position and nothing else: with no digit in it, it was spelled in words.
  if (name.length === 0 || DIGIT.test(name)) return;
  hints.title = name;
  delete hints.series_num;
}
const DIGIT = /\d/u;
const POSITION_FOLDER = /^\s*\d{1,3}\s*$/u;
// A book's own word and its number, never a part's or a disc's (those are pieces of one book).
const BOOK_POSITION_FOLDER = lazyRegExp(() => /^\s*(?:book|bk|vol(?:ume)?|band|buch|tome|tomo|libro|livre|deel|del|folge|episode|книга|том)\.?\s*#?\d{1,3}\s*$/iu);

/**
 * Where the folder of a file that names nothing of its own ends (its name a bare track number, "01", "3 of 12", a word
 * any file could bear, "Audio Track 1", "Audio File", "Track 05", or its folder's name again), or -1. A whole-book file's bare number
 * ("Mistborn/01.m4b") is a series' place, not a track, so only a generic word counts for it.
 */
function trackOnlyFile(path: string): number {
  const trimmed = path.replace(TRAILING_SLASHES, "");
  const at = trimmed.lastIndexOf("/");
  if (at <= 0) return -1;
  const stem = stripAudioExtension(trimmed.slice(at + 1)).trim();
  const folder = trimmed.slice(trimmed.lastIndexOf("/", at - 1) + 1, at);
  // "Terry Goodkind/Sword of Truth/Wizards First Rule/Wizards First Rule.m4b": a file named as its folder, nothing more.
  const asFolder = stem.length > 0 && MEANINGFUL.test(stem) && sameName(stem, folder.trim());
  // "Die drei ???/012/Kapitel 1.mp3": a chapter's track too ("Part 1.mp3" keeps its part: pieceOfParent).
  // "Chapter 01 - Ashes.mp3": the chapter's word spells no part's ("Chapter" holds the letters "pt" PIECE_HINT looks for).
  // "Chapter 01 - An Unexpected Party": only a part's or a disc's whole word is a piece ("Party" holds "Part").
  const chapterName = stem.replace(CHAPTER_WORDS, " ");
  // "01 - Prologue.mp3", "02 - Chapter 1.mp3": a track's number before the chapter's word changes nothing, whatever
  // folders the book's own folder has above it ("Brandon Sanderson/Mistborn - 01/The Final Empire/01 - Prologue.mp3").
  const chapterStem = TRACK_LED_FILE.test(stem) ? stem.replace(TRACK_LED_FILE, "") : stem;
  const chapter = !WHOLE_BOOK_FILE.test(trimmed) && !(PIECE_HINT.test(chapterName) && PIECE_WORD().test(chapterName)) && CHAPTER_TRACK().test(chapterStem);
  // "Brandon Sanderson/Mistborn/The Final Empire [B002UZMLXM]/The Final Empire [B002UZMLXM] - 01 - Chapter 1.m4b"
  // (Libation's file per chapter, "<title> [<id>] - <ch#> - <ch title>"): the folder's whole name, its brackets with
  // it, then a chapter's number. A folder with no brackets may be a series ("Mistborn/Mistborn - 01 - Title.m4b").
  const lower = stem.toLowerCase();
  const folderName = folder.trim().toLowerCase();
  const chapterOfFolder = folderName.length > 0 && FOLDER_BRACKETS.test(folderName) && lower.startsWith(folderName) && CHAPTER_NUMBER_AFTER.test(lower.slice(folderName.length));
  // "Audiobook/Andy Weir/Project Hail Mary/Project Hail Mary-01 Chapter 1.mp3" (AAXtoMP3's chapter files, "<title>-<ch#>
  // <ch title>" in a folder of the title): the folder's name, a hyphen glued to the chapter's number, then its title.
  // Only tracks: a book's own .m4b so named may be a series' volume ("Mistborn/Mistborn-01 The Final Empire.m4b").
  const gluedChapter = !WHOLE_BOOK_FILE.test(trimmed) && folderName.length > 0 && lower.startsWith(folderName) && GLUED_CHAPTER_AFTER.test(lower.slice(folderName.length));
  // "1-01 Chapter 1.mp3", "01-01 The Stand.mp3" (a CD ripper's disc-track number), "d1t01.mp3", "The Stand Disc 01
  // Track 01.mp3": a disc's track, its folder's name before it or not, is a piece of the folder's book.
  const afterFolder = folderName.length > 0 && lower.startsWith(folderName) ? stem.slice(folderName.length).replace(LEADING_SEPARATORS, "") : stem;
  const discTrack = !WHOLE_BOOK_FILE.test(trimmed) && DISC_TRACK_LED().test(afterFolder);
  // "The Final Empire/The Final Empire - Chapter 01 - Ashes.mp3": the folder's name, then a chapter's track.
  const chapterOfNamed = !chapter && afterFolder.length < stem.length && !WHOLE_BOOK_FILE.test(trimmed) && CHAPTER_WORD_LED.test(afterFolder) && CHAPTER_TRACK().test(afterFolder);
  // "The Martian/TheMartian-Part01.mp3", "TheMartian_Track03.mp3": a file named by a tool that glues words (the
  // folder's name without its spaces), then a part's or a track's number, is a numbered piece of the folder's book.
  const gluedFolder = folderName.replace(NOT_WORD_CHARS(), "");
  const camelPiece = !WHOLE_BOOK_FILE.test(trimmed) && gluedFolder.length >= 3 && !WHITESPACE.test(stem) && lower.startsWith(gluedFolder) && CAMEL_PIECE_AFTER.test(lower.slice(gluedFolder.length));
  // "Pride and Prejudice/prideandprejudice_01_austen_64kb.mp3" (LibriVox's and archive.org's files: the title's words
  // glued in lower case, the section's number, the writer's surname, the bit rate): a section of the folder's book.
  const libriVoxSection = !WHOLE_BOOK_FILE.test(trimmed) && LIBRIVOX_SECTION().test(stem);
  // "J.R.R. Tolkien/The Hobbit/01 An Unexpected Party.mp3" (iTunes', Music's and Picard's default "<track> <title>" for a
  // ripped CD or a book split by chapters): a padded track number, a space and the chapter's name is a track of the
  // folder's book, never book 1 of a series named for that book. Only a track's file below a folder no person's name and
  // no series' word names, nor a number closes: "Mistborn Saga/01 The Final Empire.mp3", "Brandon Sanderson/01 The Final
  // Empire.mp3", "Harry Potter/Harry Potter 1/01 Harry Potter and the Sorcerer's Stone.mp3" are books.
  const chapterTrack = !WHOLE_BOOK_FILE.test(trimmed) && ITUNES_TRACK_HINT.test(stem) && ITUNES_TRACK().test(stem) && !SPACED_DASH_PIECE.test(stem) && MEANINGFUL.test(folder) && !(PLACE_END_HINT.test(folder) && !PIECE_FOLDER().test(folder.trim())) && !isSeriesNamed(folder) && nameScore(cleanFolder(folder)) < 2;
  // "J.R.R. Tolkien/The Lord of the Rings/The Fellowship of the Ring/01 - A Long-expected Party.mp3": a track's file
  // numbered before its name, three folders down from a writer's (writer, series, book), is a track of the book its
  // folder names; a series' folder is the one above, so this folder is no series of books of their own.
  const deepTrack = !chapterTrack && !WHOLE_BOOK_FILE.test(trimmed) && TRACK_LED_FILE.test(stem) && isDeepBookFolder(trimmed.slice(0, at), folder);
  if (!asFolder && !chapter && !chapterOfNamed && !chapterOfFolder && !gluedChapter && !discTrack && !camelPiece && !libriVoxSection && !chapterTrack && !deepTrack && !(BARE_TRACK.test(stem) && !WHOLE_BOOK_FILE.test(trimmed)) && !GENERIC_FILE.test(stem)) return -1;
  return MEANINGFUL.test(folder) ? at : -1;
}
/** A book's folder below a series' folder below a writer's: "J.R.R. Tolkien/The Lord of the Rings/The Fellowship of the Ring". */
function isDeepBookFolder(folders: string, folder: string): boolean {
  const names = folders.split("/");
  if (names.length < 3) return false;
  const writer = cleanFolder(names[names.length - 3]);
  const book = cleanFolder(folder);
  if (book.length === 0 || DIGIT_LED.test(book) || PLACE_END_HINT.test(book) || HASH_HINT.test(book) || PIECE_HINT.test(book) || isSeriesNamed(book) || nameScore(book) >= 2) return false;
  if (DIGIT_LED.test(cleanFolder(names[names.length - 2]))) return false;
  return nameScore(writer) >= 2 || isOneNameWriter(writer);
}
const TRAILING_SLASHES = /\/+$/u;
const ITUNES_TRACK_HINT = /^\d\d\d? \S/u;
const ITUNES_TRACK = lazyRegExp(() => /^\d{2,3} (?=[\p{Lu}\p{Lt}\p{Lo}])[^/]*\p{L}/u);
const SPACED_DASH_PIECE = /\s+[-–—]\s+/u;

/** The file's name without its one track-number piece, when another piece is the folder's name; else unchanged. */
function withoutTrackPiece(name: string, folder: string): string {
  const stem = stripAudioExtension(name);
  const pieces = stem.split(SPACED_DASH_PIECE).map((p) => p.trim());
  if (pieces.length < 3 || folder.length === 0) return name;
  const numbers = pieces.filter((p) => TRACK_PIECE.test(p));
  if (numbers.length !== 1 || !(TRACK_PIECE.test(pieces[0]) || TRACK_PIECE.test(pieces[pieces.length - 1]))) return name;
  if (!pieces.some((p) => sameName(p, folder))) return name;
  return `${pieces.filter((p) => !TRACK_PIECE.test(p)).join(" - ")}${name.slice(stem.length)}`;
}
const TRACK_PIECE = /^(?:(?:track|tr|chapter|ch|kapitel|piste|pista|traccia)\.?\s*)?\d{1,4}$/iu;
const CHAPTER_WORDS = /chapters?/giu;
// Only a chapter's word: "Part 1" after the folder's name keeps its part (pieceOfParent).
const PIECE_WORD = lazyRegExp(() => new RegExp(String.raw`(?<!\p{L})(?:${PIECE_WORDS}|${DISC_WORDS}|${SIDE_WORDS})(?!\p{L})`, "iu"));
const CHAPTER_WORD_LED = /^(?:chapter|ch\.?|kapitel|chapitre|cap[ií]tulo|capitolo|hoofdstuk|rozdzia[łl]|глава)(?!\p{L})/iu;
const HASH_HINT = /#/u;
const PLACE_END_HINT = /\d\s*$/u;
const PLACE_OWN_LETTER = lazyRegExp(() => /\p{L}/u);
// "Mistborn - 01", "Mistborn - Book 1", "Mistborn, Book 1", "Mistborn Vol. 1", "The Expanse 01": a series' name, then its
// place after a dash, after a book's word, or padded with a zero ("Catch 22", "Apollo 13" are titles). A name closing
// with a number before the dash is a range ("Deathlands Collection 101 - 127"), no place.
const SERIES_PLACE_FOLDER = lazyRegExp(() => /^\s*(\p{L}[^/]*?[\p{L}?!'’)\]])(?:\s+[-–]\s+(?:(?:book|bk|vol(?:ume)?|tome|band|libro)\.?\s*|#\s?)?\d{1,3}|,?\s+(?:book|bk|vol(?:ume)?|tome|band|libro)\.?\s*\d{1,3}|\s+0\d{1,2})\s*$/iu);

function placeFolderSeries(folder: string, own: string): boolean {
  const place = SERIES_PLACE_FOLDER().exec(folder);
  if (place === null) return false;
  const ownName = stripAudioExtension(own).trim().toLowerCase();
  const series = place[1].replace(/[\s,]+$/u, "").toLowerCase();
  // "Dune - 01/Dune.mp3", "Dune - 01/Dune 001.mp3", "Mistborn 01/Mistborn 01 - The Final Empire.m4b": the series' name
  // again with no word of its own, or the folder's whole name again, is the book's own piece ("Harry Potter - 01/Harry
  // Potter and the Philosopher's Stone.mp3" names the book).
  if (ownName.length === 0 || ownName.startsWith(folder.trim().toLowerCase())) return false;
  return !(ownName.startsWith(series) && !PLACE_OWN_LETTER().test(ownName.slice(series.length)));
}
function repeatsPlaceFolder(folder: string, own: string): boolean {
  const name = folder.trim();
  if (!SERIES_PLACE_FOLDER().test(name) && !HASH_PLACE_FOLDER().test(name)) return false;
  const ownName = stripAudioExtension(own).trim();
  return ownName.length > name.length && ownName.slice(0, name.length).toLowerCase() === name.toLowerCase() && DASH_LED.test(ownName.slice(name.length));
}
const LOWER_WORD = lazyRegExp(() => /(?:^|\s)\p{Ll}/u);
const ARTICLE_NOUN = lazyRegExp(() => /^(?:The|A|An)\s+\p{Lu}[\p{Ll}\p{M}'’-]+$/u);
const LONE_WORD = lazyRegExp(() => /^\p{Lu}[\p{Ll}\p{M}'’]+$/u);
// A setting's noun closing a compound ("Mistborn", "Discworld", "Stormlight", "Dragonlance", "Warhammer", "Riftwar"), or
// a noun's ending ("Foundation", "Darkness"); a head of three letters at least keeps "Osborn", "Dwight" out.
const SERIES_COMPOUND = lazyRegExp(() => /^\p{Lu}\p{Ll}{2,}(?:born|world|light|lance|hammer|war|wars|blade|fall|song|star|heart|craft|quest|realm|punk|verse|gate|rift|fire|storm|shadow|dragon|knight|mancer|runner|keep|hold|bound|spire|forge|wing|sea|lands)$|^\p{Lu}\p{Ll}+(?:tion|ness|ity|ism|ology|ment|hood)$/u);
/** `work - name #N`: the work is no person's, writer's or hero's name and no series' own, so `name` is the series. */
function hashClosesSeries(work: string, name: string): boolean {
  const w = work.trim();
  return nameScore(w) < 1 && !PART_WORD_ONLY().test(name.trim()) && !isOneNameWriter(w) && !SERIES_HEROES.has(w.toLowerCase()) && !HERO_TITLES.has(w.toLowerCase()) && !seriesBeforeWork(w, name) && nameScore(name) < 2;
}
/** A lone series' name before a work that names no set of books: "Mistborn" (a compound), "Dune" before "Dune Messiah". */
function seriesBeforeWork(lead: string, work: string): boolean {
  if (isSeriesNamed(work)) return false;
  const name = lead.trim();
  return isSeriesNamed(name) || (LONE_WORD().test(name) && (SERIES_COMPOUND().test(name) || opensWith(work, name)));
}
/** `title` opens with the whole of `name`, then goes on with more words ("Dune Messiah" of "Dune"). */
function opensWith(title: string, name: string): boolean {
  const t = title.trim();
  const n = name.trim();
  return n.length >= 3 && t.length > n.length + 1 && t.slice(0, n.length).toLowerCase() === n.toLowerCase() && t[n.length] === " ";
}
/** Two capitalised words, the first no given name the list knows: "Leviathan Wakes", no "Cormac McCarthy". */
function unknownPairName(text: string): boolean {
  const words = text.trim().split(SPACE_RUN);
  return words.length === 2 && !GIVEN_NAMES.has(words[0].toLowerCase()) && !isKnownReader(text) && !isOneNameWriter(words[1]);
}
/**
 * "Hella Haasse", "Zeno Kalaris", "Bahni Turpin": two or three capitalised words of a person's shape, which no given-name
 * list need know, and with none of a title's marks: no title word, no gerund opening ("Killing Floor") and no plural or
 * verb's "-s" closing ("Leviathan Wakes", "Lightning Strikes"; TITLE_PLURAL_END) unless a known given name opens it ("Douglas Adams").
 */
function personShaped(text: string): boolean {
  const t = text.trim();
  // "Zeno Kalaris & Lindsay Crouse": two readers, each of a person's shape or surely a person.
  if (LIST_JOIN.test(t)) {
    const pieces = t.split(LIST_JOIN);
    return pieces.length >= 2 && pieces.every((p) => nameScore(p) >= 2 || (!LIST_JOIN.test(p) && personShaped(p)));
  }
  if (nameScore(t) < 1 || HERO_TITLES.has(t.toLowerCase()) || SERIES_HEROES.has(t.toLowerCase())) return false;
  const ws = t.split(SPACE_RUN);
  if (ws.length < 2 || ws.length > 3 || ws.some((w) => isTitleWord(w))) return false;
  if (GIVEN_NAMES.has(ws[0].toLowerCase())) return true;
  return !GERUND_END().test(ws[0]) && !TITLE_PLURAL_END().test(ws[ws.length - 1]);
}
const HERO_PLACE = lazyRegExp(() => /^(\p{L}[\p{L}'’. -]*?)\s+0*(\d{1,3})$/u);
const GERUND_END = lazyRegExp(() => /\p{L}{2}ing$/u);
// "Wakes", "Gods", "Ages": no "-is", "-os", "-us", "-as" ("Kalaris", "Davis", "Markos"), which surnames close with.
const TITLE_PLURAL_END = lazyRegExp(() => /(?<![siouay])s$/iu);
const SET_NOUN_END = lazyRegExp(() => /\S\s+(?:files|archives?|legacy|papers|mysteries|adventures|chronicles?|sequence|quartet|casebook|diaries|legends|casefiles)$/iu);
const PADDED_TRACK_FILE = lazyRegExp(() => /\/\s*0\d\s*[-–—.]\s+\p{L}(?:(?!\s[-–—]\s)[^/])*$/u);
const TWO_DIGIT_PLACE_END = lazyRegExp(() => /^\p{L}[^-–—]*\p{L}\s+0[1-9]$/u);
// Cheap tests every name the two patterns below match passes (asked of every file).
const PADDED_END_HINT = /[\s_\-–—]0\d{1,3}$/u;
const PADDED_LEAD_HINT = /\/\s*0\d\D/u;
const NASAB_LED = lazyRegExp(() => /^(?:(?:Ibn|Abu|Abū|Abou)\s+\p{Lu}|(?:Al|El|Ad|An|Ar|As|At|Az|Ash)-\p{Lu}\p{Ll}+$)/u);
const NAMED_TRACK = lazyRegExp(() => /^(\S.*?)(?:\s*[-–—_]\s*|\s+)0\d{1,3}$/u);
const HASH_PLACE_FOLDER = lazyRegExp(() => /^\s*\p{L}[^#/]*?\s#\s?\d{1,3}(?:\.\d{1,2})?\s*$/u);
const LEAD_ROMAN_HINT = /^\s*[IVX]/u;
const LEAD_ROMAN = lazyRegExp(() => /^\s*([IVX]{1,5})\s*[-–—.:]\s+(?=\p{L})/u);
const LIBRIVOX_SECTION = lazyRegExp(() => /^[a-z][a-z\d]*(?:_[a-z\d]+)*?_\d{1,3}(?:-\d{1,3})?_[a-z]+(?:_[a-z]+){0,2}(?:_\d{2,3}kb)?$/u);
const FOLDER_BRACKETS = /[[({][^\])}]*[\])}]/u;
const LEADING_SEPARATORS = /^[\s._–—-]+/u;
const DISC_TRACK_LED = lazyRegExp(() => /^(?:\d{1,2}-\d{2,3}(?=\s|$)|d\d{1,2}\s*t\d{1,3}(?![\p{L}\d])|(?:cd|disc|disk)[\s._-]*\d{1,2}[\s._-]*(?:track|tr|t)[\s._-]*\d{1,3}(?![\p{L}\d]))/iu);
const GLUED_CHAPTER_AFTER = /^-\d{1,4}(?:\s+\S.*)?$/u;
const CAMEL_PIECE_AFTER = /^[-_.]?(?:part|pt|teil|track|tr|chapter|ch|kapitel|cd|dis[ck])?[-_.]?\d{1,4}$/u;
const NOT_WORD_CHARS = lazyRegExp(() => /[^\p{L}\p{N}]+/gu);
const WHITESPACE = /\s/u;
const CHAPTER_NUMBER_AFTER = /^\s*[-–—_]\s*\d{1,4}(?:\s*[-–—_.]\s*\S.*|\s*)$/u;

/**
 * "Stephen King/1978/The Stand", "Stephen King/The Dark Tower/1982/The Gunslinger": a folder that is only a year sorts
 * the books below it by their year and names no writer and no series; it dates the book the folder below it names
 * ("The Stand (1978)"), unless that name has a year of its own. "George Orwell/1984/Part 1", "George Orwell/1984/01 -
 * Part One.mp3": a piece or a track below it, or a name holding the same number, makes the folder the book "1984".
 */
function withYearFolderDown(segments: string[], isFile: boolean): void {
  for (let i = segments.length - 2; i >= 0; i--) {
    const m = YEAR_FOLDER.exec(segments[i]);
    if (m === null || !isPlausibleYear(Number(m[1]))) continue;
    const below = segments[i + 1];
    const last = i + 1 === segments.length - 1;
    if (last && isFile && !WHOLE_BOOK_FILE.test(below)) return;
    if (below.includes(m[1]) || (PIECE_HINT.test(below) && PIECE_FOLDER().test(below)) || !MEANINGFUL_NAME.test(below) || ID_ONLY_NAME().test(below)) return;
    const name = last && isFile ? stripAudioExtension(below) : below;
    const dated = FOUR_DIGITS.test(name) ? below : last && isFile ? `${name} (${m[1]})${below.slice(name.length)}` : `${below} (${m[1]})`;
    segments.splice(i, 2, dated);
    return;
  }
}
/**
 * "Stephen King/1978.The Stand": a year glued by its full stop to a capital opening the title, written as "1978. The
 * Stand" is (book-segment.ts reads the year). A name of dotted words ("1978.The.Stand") is a release's, read with its
 * dots as spaces, so it is left as it is.
 */
function withGluedLeadYear(name: string, isFile: boolean): string {
  const m = GLUED_LEAD_YEAR().exec(name);
  if (m === null || !isPlausibleYear(Number(m[1]))) return name;
  const rest = (isFile ? stripAudioExtension(name) : name).slice(m[0].length);
  return DOTTED_WORD.test(rest) ? name : `${m[1]}. ${name.slice(m[0].length)}`;
}
const GLUED_YEAR_HINT = /^\s*\d{4}\.\S/u;
/** "1984/B002V0QK4C/book.mp3": a folder named only by a catalogue id (an ASIN, an ISBN) names no book, so the year folder above is the book. */
const ID_ONLY_NAME = lazyRegExp(() => /^\s*(?:B0(?=[A-Z]*\d)[0-9A-Z]{8}|97[89]\d{10}|\d{9}[\dX])\s*$/u);
const GLUED_LEAD_YEAR = lazyRegExp(() => /^\s*((?:1[5-9]|20)\d\d)\.(?=[\p{Lu}\p{Lt}\p{Lo}])/u);
const DOTTED_WORD = /\.\p{L}/u;
const YEAR_FOLDER_HINT = /(?:^|\/)\s*[([]?\s*\d{4}\s*[)\]]?\s*\//u;
const YEAR_FOLDER = /^\s*[([]?\s*(\d{4})\s*[)\]]?\s*$/u;
const FOUR_DIGITS = /(?<!\d)\d{4}(?!\d)/u;
const MEANINGFUL_NAME = /\p{L}/u;
const GENERIC_FILE = /^(?:audio|file|track|recording|untitled|aufnahme|datei|fichier|piste|pista|traccia)(?:[\s._-]*(?:file|track|book|recording|datei|piste|pista))?(?:[\s._-]*(?:#\s*)?\d{1,4})?$/iu;

/**
 * "Книга первая. Последнее желание", "Book One. The Final Empire", "Tome 2. Le Titre", "Erster Band. Der Anfang": a
 * position leading the name, parted from the title by a full stop as Russian and Polish libraries write it, reads as
 * the same with a dash ("Книга первая - Последнее желание").
 */
function withStoppedLeadPosition(name: string): string {
  const m = STOPPED_LEAD_POSITION().exec(name);
  return m === null ? name : `${m[1]} - ${name.slice(m[0].length)}`;
}
const STOPPED_LEAD_POSITION = lazyRegExp(() => {
  const words = String.raw`book|volume|vol|tome|${FOREIGN_POSITION_WORDS}`;
  const ordinals = Object.keys(POSITION_NUMBER_WORDS).join("|");
  return new RegExp(String.raw`^((?:${words})\.?\s+(?:\d{1,3}|${ordinals}|[IVXL]{1,7})|(?:${ordinals})\s+(?:${words}))\.\s+(?=[\p{Lu}\p{Lo}\d])`, "iu");
});

/** A whole name that is an Audible ASIN or an ISBN-13. */
const CATALOGUE_ID = /^(?:B0(?=[A-Z]*\d)[0-9A-Z]{8}|97[89]-?\d{10})$/u;

const BLANK = /^\s*$/;
const DISC_HINT = PIECE_HINT;

/** The last `count` meaningful segments, read from the end so deep trees cost nothing extra. */
function lastSegments(path: string, count: number): string[] {
  const segments: string[] = [];
  let end = path.length;
  let counted = 0;
  while (counted < count) {
    // lastIndexOf clamps a negative start to 0, so an empty rest must stop here.
    const start = end > 0 ? path.lastIndexOf("/", end - 1) : -1;
    const segment = path.slice(start + 1, end);
    if (segment !== "." && segment !== ".." && !BLANK.test(segment)) {
      // "Writer/Cosmere/Mistborn/Era 2/Book": a shelf inside a series takes no place of the folders that name someone.
      // "Author/Series/08 - Book/Disc 1/01.mp3": a disc's folder is a piece of the book above it, and takes no place either.
      // "Writer/Cosmere/Mistborn/Mistborn Era 1/01 - Book": the series' name again with its shelf, neither.
      const shelf = isShelfFolder(segment) || (start > 0 && isSeriesShelf(segment, path.slice(path.lastIndexOf("/", start - 1) + 1, start)));
      // "…/01 - Guards! Guards!/CD 1": the book's own disc or part folder neither, so the writer's folder stays in.
      const piece = PIECE_HINT.test(segment) && PIECE_FOLDER().test(segment);
      if (!piece && (segments.length === 0 || !shelf)) counted++;
      segments.unshift(segment);
    }
    if (start < 0) break;
    end = start;
  }
  return segments;
}

/** "Mistborn Era 1" under "Mistborn", "Doctor Who - Season 2" under "Doctor Who": the series above with its shelf. */
function isSeriesShelf(segment: string, parent: string): boolean {
  if (!SHELF_WORD_HINT.test(segment)) return false;
  const series = withoutGrouping(segment);
  return series !== segment && series.length > 0 && series.toLowerCase() === parent.trim().toLowerCase();
}
const SHELF_WORD_HINT = /era|season|arc|phase/iu;

/** What the book's surroundings say, beyond its own path. */
interface ReadContext {
  /** The book's folder holds other books beside it (the siblings say so). */
  sharedFolder: boolean;
  /** The names beside the book (PathOptions.siblings). */
  siblings?: readonly string[];
  /** The one folder above the book names its series, not its writer ("Maddrax/Maddrax 523 - Title"). */
  folderIsSeries?: boolean;
  /** See PathOptions.topFolders. */
  topFolders?: ReadonlySet<string>;
  /** The nearest folder that names something sits right under a genre's ("Fiction/Literary/..."). */
  underGenre?: boolean;
}
const NO_CONTEXT: ReadContext = { sharedFolder: false };

/**
 * The library shelves `name` as a writer: a folder of its own at the top ("Walter Isaacson/"), or a dashed piece that
 * the other books beside this one repeat ("Einstein - Walter Isaacson", "Steve Jobs - Walter Isaacson" in one folder
 * or at the root): a library names one writer across books, never one subject.
 */
function shelvedAsWriter(name: string, context: ReadContext): Shelving {
  const key = name.toLowerCase();
  // The book's own name counts once among the names beside it: a piece must come back in another book's name.
  if ((context.siblings !== undefined && (piecesOf(context.siblings).get(key) ?? 0) >= 2) || (context.topFolders !== undefined && (piecesOf(context.topFolders).get(key) ?? 0) >= 2)) return 2;
  return context.topFolders?.has(key) === true ? 1 : 0;
}
/** 2: other books repeat the name; 1: a folder at the top bears it; 0: nothing says. */
type Shelving = 0 | 1 | 2;

const PIECES = new WeakMap<object, Map<string, number>>();
const OPENING: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** "Steve Jobs - Walter Isaacson [64k] (Dramatized)" without its closing brackets; one step back per bracket, linear. */
function withoutTrailingBrackets(name: string): string {
  let rest = name.trimEnd();
  for (let open = OPENING[rest.slice(-1)]; open !== undefined; open = OPENING[rest.slice(-1)]) {
    const at = rest.lastIndexOf(open);
    if (at < 0) break;
    rest = rest.slice(0, at).trimEnd();
  }
  return rest;
}

const RELEASE_ENDS = new WeakMap<object, Map<string, number>>();
const RELEASE_WORD_SPLIT = /[._ ]+/u;
/** Words no person's name holds, ending or opening a run of a release name's words. */
const NOT_NAME_WORD = /^(?:the|a|an|and|of|und|et|y|le|la|les|el|der|die|das|\d+)$/iu;

/**
 * How many release names (words joined by dots, no spaces) beside the book open or close with each run of three or four
 * words, in lower case; counted once per listing. Runs with a word no name holds are not counted.
 */
function releaseEnds(names: readonly string[]): Map<string, number> {
  let counts = RELEASE_ENDS.get(names);
  if (counts !== undefined) return counts;
  counts = new Map();
  for (const raw of names) {
    if (raw.includes(" ") || !raw.includes(".")) continue;
    const words = raw.split(RELEASE_WORD_SPLIT).filter(Boolean);
    const seen = new Set<string>();
    // Three words and four: two are read by their shape already ("Jack.Reacher.Killing.Floor" beside "Jack.Reacher.Die.
    // Trying" names a series' hero as often as a writer); a third word is what the shape cannot place.
    for (let n = 3; n <= 4 && n < words.length; n++) {
      for (const run of [words.slice(0, n), words.slice(-n)]) {
        if (run.some((w) => NOT_NAME_WORD.test(w))) continue;
        const key = run.join(" ").toLowerCase();
        if (!seen.has(key)) {
          seen.add(key);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
  }
  RELEASE_ENDS.set(names, counts);
  return counts;
}

/** How many of the names open or close with each dashed piece, in lower case; counted once per listing. */
function piecesOf(names: Iterable<string>): Map<string, number> {
  let counts = PIECES.get(names as object);
  if (counts !== undefined) return counts;
  counts = new Map();
  for (const raw of names) {
    if (!raw.includes("-") && !raw.includes("–") && !raw.includes("—")) continue;
    const pieces = withoutTrailingBrackets(raw).split(SEPARATOR);
    if (pieces.length < 2) continue;
    const first = pieces[0].trim().toLowerCase();
    const last = pieces[pieces.length - 1].trim().toLowerCase();
    counts.set(first, (counts.get(first) ?? 0) + 1);
    if (last !== first) counts.set(last, (counts.get(last) ?? 0) + 1);
  }
  PIECES.set(names as object, counts);
  return counts;
}

/** Other books beside this one in its folder: not itself, not a disc or part folder of the same book. */
function sharesFolder(segments: readonly string[], siblings: readonly string[] | undefined): boolean {
  if (siblings === undefined || segments.length < 2) return false;
  const own = stripAudioExtension(segments[segments.length - 1]);
  return siblings.some((name) => name !== own && name !== segments[segments.length - 1] && !PART_ONLY().test(name.trim()) && MEANINGFUL.test(name));
}

interface Resolved extends PathHints {
  /** The title came from "Title #3"; under a series folder of the same name it is no title. */
  hashTitle?: boolean;
  /** The series is a hero's name read beside a person ("Harry Potter - Jim Dale"), the title only repeating it. */
  heroSeries?: boolean;
  /** The series was read from "X - Vol 2 - Y", where X may as well be a title. */
  seriesDetached?: boolean;
  /** Series named before the book's own, with their positions: "Cosmere 1" of "Cosmere 1 - Mistborn 1 - Title". */
  outerSeries?: string[];
  /** See BookReading.yearDoubtful. */
  yearDoubtful?: boolean;
  /** "The Stand - Book 1": a name, then its position as a piece of its own, and no other title. */
  workVolume?: boolean;
  /** The title is a guess another reading would not make ("The Stand" of "The Stand - Book 1" may name a series). */
  titleDoubtful?: boolean;
  /** The reader was read from an unmarked folder between the writer's and the book (readerFolder). */
  narratorDoubtful?: boolean;
  /** A writer read from one word no list knows ("Koontz - Watchers"): a surname or a series' name. */
  authorDoubtful?: string;
}

function analyzeSegments(segments: string[], isFile: boolean, context: ReadContext = NO_CONTEXT): Resolved {
  if (segments.length === 0) return {};
  const own = isFile ? stripAudioExtension(segments[segments.length - 1]) : segments[segments.length - 1];
  // "Watchers/(Dramatized)": a name that is only a recording's tag names no book, so the tag goes whole.
  const tags = readNameTags(own);
  let above: string | null = null;
  let aboveFolder: string | undefined;
  for (let i = segments.length - 2; i >= 0 && above === null; i--) {
    // Genre and "Audiobooks" folders name no one: the folder that matters is the nearest one that names something.
    const folder = cleanFolder(segments[i]);
    if (folder.length > 0) {
      above = sanitizeSegment(segments[i]).toLowerCase();
      aboveFolder = folder;
      // "Fiction/Literary/Colson Whitehead - Title": the folder right under a genre's is as likely a narrower genre.
      if (i > 0 && cleanFolder(segments[i - 1]).length === 0 && isContainerFolder(sanitizeSegment(segments[i - 1]).replace(UNDERSCORES, " ").trim())) context = { ...context, underGenre: true };
    }
  }
  // At the root any person may lead; below a folder only the person that folder starts with ("Adrian Tchaikovsky-Time Series").
  const writerMayLead = (name: string) => isPersonLike(name) && (above === null || above.startsWith(name.toLowerCase()));
  // "Gabriel.Garcia.Marquez.Cien.Anos.de.Soledad" beside a "Gabriel Garcia Marquez" folder: the library names its writer.
  // "Arthur.Conan.Doyle.The.Hound.of.the.Baskervilles" beside "Arthur.Conan.Doyle.A.Study.in.Scarlet": the words two
  // release names beside it open (or close) with, when they read as a person.
  const knownWriter = (name: string) =>
    (aboveFolder !== undefined && sameName(name, aboveFolder)) || context.topFolders?.has(name.toLowerCase()) === true || (context.siblings !== undefined && (releaseEnds(context.siblings).get(name.toLowerCase()) ?? 0) >= 2 && nameScore(name) >= 1);
  const named = withoutNoWriterPiece(withoutYearSpan(cleanSegment(tags.rest, writerMayLead, knownWriter)));
  const cjkShaped = hasCjk(named) ? cjkTitleThenWriter(withoutCjkSetSize(named)) : named;
  const volumes = readCjkVolumes(DISC_HINT.test(cjkShaped) ? cjkShaped.replace(DISC_SUFFIX(), "") : cjkShaped);
  const unshelved = withoutLeadingShelf(volumes.text);
  // "Season 1 - Stephen King": a writer alone after the shelf is no title (as "Stephen King - Season 1", book-segment.ts).
  const plain = unshelved !== volumes.text && !unshelved.includes(" - ") && writerMayLead(unshelved) && nameScore(unshelved) >= 2 ? volumes.text : unshelved;
  // "Perry Rhodan/Perry Rhodan - 2034 - Die Suche": a four-digit position of a very long series (long-series.ts).
  const longSeries = LONG_SERIES_HINT.test(plain) ? withLongSeriesPosition(plain, aboveFolder, context.siblings) : null;
  let cleaned = withoutPositionTotal(longSeries ?? plain);
  if (longSeries !== null) context = { ...context, folderIsSeries: true };
  // "Watchers/Part 1" or "Chapter 01.mp3": a piece of a book, so the folder above names it.
  const parentSegments = segments.slice(0, -1);
  // "The Stand/The Stand Part 01", "The Long Walk/01.mp3", "The Long Walk/01 - Chapter One.mp3": the book's folder
  // name again with a part's or a track's number, or a bare track number: a piece of that book, no series' volume.
  if (parentSegments.length > 0 && aboveFolder !== undefined) {
    const trackFile = isFile && !WHOLE_BOOK_FILE.test(segments[segments.length - 1]);
    const piece = pieceOfParent(cleaned, trackFile, parentSegments, aboveFolder, isFile, trackFile && numberedFolder(context.siblings));
    if (piece !== null) return withTags(piece, tags, parentSegments);
  }
  // "The Hobbit by J.R.R. Tolkien/The Hobbit (Disc 01)" (advplyr/audiobookshelf#1904): a disc named after the book its
  // folder names is that book, whatever else the folder's name says (its writer here, never the disc's).
  if (parentSegments.length > 0 && aboveFolder !== undefined && cleaned !== named && DISC_HINT.test(named) && DISC_SUFFIX().test(named)) {
    const outer = analyzeSegments(parentSegments, false, NO_CONTEXT);
    if (outer.title !== undefined && sameName(cleaned, outer.title)) return withTags(outer, tags, parentSegments);
  }
  // "The Stand/CD1 - The Stand", "The Stand/Disc 2 - The Stand.mp3": a disc, then the book its folder names.
  const discLed = parentSegments.length > 0 && aboveFolder !== undefined && DISC_HINT.test(cleaned) ? DISC_LED().exec(cleaned) : null;
  if (discLed !== null) {
    const outer = analyzeSegments(parentSegments, false, NO_CONTEXT);
    if (outer.title !== undefined && sameName(discLed[1], outer.title)) return withTags(outer, tags, parentSegments);
    // "Discworld/CD1 - Guards! Guards!", "Terry Pratchett/Discworld/CD1 - Guards! Guards!": below a folder of one word
    // (a series, or a writer's surname, as "Tolkien/The Hobbit" reads), a disc named as a book of its own is that book,
    // read as the folder holding it under that name would be; a piece's name or an extra's stays the folder's book.
    if (ONE_WORD.test(aboveFolder!) && !sameName(discLed[1], aboveFolder!) && isBookName(discLed[1])) {
      return analyzeSegments([...parentSegments, discLed[1]], false, context);
    }
    // "Stephen King/The Stand/CD1 - Bonus Interview": a disc is a piece of the book its folder names, whatever the
    // disc's own name after it says (never a title "CD1" read by a reader "Bonus Interview").
    if (outer.title !== undefined) return withTags(outer, tags, parentSegments);
  }
  // "Brandon Sanderson/Mistborn/Mistborn 1 - The Final Empire [B002UZMLXM]/The Final Empire.m4b" (Libation's and
  // OpenAudible's folder per book): a file named with the title its folder's reading gives is that book, read as the
  // folder is (its writer, series and place), never a book of a series named after the folder.
  // "Andy Weir/Project Hail Mary (2021)/Project Hail Mary.m4b" (Readarr's and LazyLibrarian's "$Author/$Title ($Year)"):
  // the folder's name is the title again with a year, a reader or an id; the file says no more than the folder.
  const sameAsFolder = isFile && aboveFolder !== undefined && cleaned.length > 0 && sameName(cleaned, aboveFolder) && FOLDER_EXTRA.test(segments[segments.length - 2]);
  if (sameAsFolder || (isFile && aboveFolder !== undefined && cleaned.length > 0 && !sameName(cleaned, aboveFolder) && aboveFolder.toLowerCase().includes(cleaned.toLowerCase()))) {
    const outer = analyzeSegments(parentSegments, false, NO_CONTEXT);
    if (outer.title !== undefined && sameName(cleaned, outer.title)) return withTags(outer, tags, parentSegments);
  }
  // "Andy Weir/Project Hail Mary/Project Hail Mary - Andy Weir.m4b", "Andy Weir/Project Hail Mary/Andy Weir - Project
  // Hail Mary.mp3": a file named with its folder's title and the writer the folders name is that folder's book, never a
  // series named after the title with the writer for a title.
  if (isFile && aboveFolder !== undefined && cleaned.length > aboveFolder.length + 2 && cleaned.toLowerCase().includes(aboveFolder.toLowerCase())) {
    const at = cleaned.toLowerCase().indexOf(aboveFolder.toLowerCase());
    // "Mort - Terry Pratchett - 01.mp3": a track's number at either end goes with the file, not the name.
    const rest = `${cleaned.slice(0, at)} ${cleaned.slice(at + aboveFolder.length)}`.replace(EDGE_DASHES, "").replace(EDGE_TRACK, "").replace(EDGE_DASHES, "");
    const outer = rest.length > 0 ? analyzeSegments(parentSegments, false, NO_CONTEXT) : undefined;
    if (outer?.author !== undefined && outer.title !== undefined && sameName(outer.title, aboveFolder) && sameName(rest, outer.author)) return withTags(outer, tags, parentSegments);
    // "Yuval Noah Harari/Sapiens/Sapiens - A Brief History of Humankind.m4b": the folder's title, then a description
    // (an article, then "history", "story", "guide"...), is that book and its subtitle, as the name alone reads, never a
    // book "A Brief History of Humankind" of a series "Sapiens".
    if (at === 0 && outer?.title !== undefined && outer.series === undefined && sameName(outer.title, aboveFolder) && ARTICLE_SUBTITLE.test(rest) && (cleaned.charAt(aboveFolder.length) === ":" || SEPARATOR.test(cleaned.slice(aboveFolder.length, aboveFolder.length + 3)))) {
      return withTags({ ...outer, subtitle: rest }, tags, parentSegments);
    }
  }
  const partLed = parentSegments.length > 0 && PIECE_HINT.test(cleaned) ? PART_LED().exec(cleaned) : null;
  // "Kerstin Gier/Edelstein-Trilogie/Teil 1 - Rubinrot": below a folder named as a series of books, a part is one of its
  // books, read as "1 - Rubinrot" is (series-words.ts).
  const seriesPart = partLed !== null && aboveFolder !== undefined && isSeriesNamed(aboveFolder) ? partPlace(partLed[1]) : null;
  if (seriesPart !== null) cleaned = `${seriesPart} - ${partLed![2]}`;
  else if (partLed !== null) {
    // "Stephen King/The Stand/Part 2 - Captain Trips": one part of the book its folder names, then the part's own name;
    // the book's title carries the part ("The Stand (Part 2)"), as "The Stand - Part 2 - Captain Trips" does.
    const outer = analyzeSegments(parentSegments, false, NO_CONTEXT);
    if (outer.title !== undefined && outer.series_num === undefined) {
      const inner = readBook(partLed[2]);
      return withTags({ ...outer, title: `${outer.title} (${partLed[1].replace(/^pt\.?\s*/iu, "Part ")})`, subtitle: inner.parts.map((p) => p.text).filter(Boolean).join(" - ") || undefined, narrator: inner.narrator ?? outer.narrator, year: inner.year ?? outer.year }, tags, parentSegments);
    }
  }
  // "Brandon Sanderson/Mistborn 01.mp3": a file alone right under a sure person's folder, a name and a two-digit place
  // closing it, is a book of its own (a book's tracks lie in the book's folder), so the number is the series' place as
  // in "Mistborn 01.m4b"; a splitter's three-digit track ("Frank Herbert/Dune 001.mp3") stays a track.
  const wholeBook = WHOLE_BOOK_FILE.test(segments[segments.length - 1]) || (parentSegments.length === 1 && TWO_DIGIT_PLACE_END().test(cleaned) && nameScore(cleanFolder(parentSegments[0])) >= 2);
  const book = readBook(PART_ONLY().test(cleaned) || (parentSegments.length > 0 && PIECE_HINT.test(cleaned) && LETTERED_PIECE().test(cleaned)) ? "" : withColonPosition(withNovelSubtitle(withTomeLetter(cleaned, parentSegments.length > 0))), writerMayLead, !isFile ? "folder" : wholeBook ? "book" : "track");
  if (book.parts.length === 0 && book.leadNum === undefined && book.seriesNum === undefined) {
    // "Dean Koontz - Watchers/[MP3]": the book segment is only tags, so its parent names the book.
    const outer = analyzeSegments(parentSegments, false, NO_CONTEXT);
    return withTags({ ...outer, year: book.year ?? outer.year, narrator: book.narrator ?? outer.narrator }, tags, parentSegments);
  }
  const parents: string[] = [];
  // A season, an era or an arc shelves the books of a series, never a writer's: "Doctor Who/Season 2 - The Stone
  // Rose", "Doctor Who/Season 2/The Stone Rose" name the series above, when that folder is no person.
  let shelved = plain !== volumes.text;
  for (const segment of parentSegments) {
    const folder = cleanFolder(segment);
    if (folder.length > 0 && !(parents.length > 0 && isSeriesShelf(segment, parents[parents.length - 1]))) {
      parents.push(folder);
      shelved = plain !== volumes.text;
    } else if (parents.length > 0 && (folder.length > 0 || isShelfFolder(segment))) shelved = true;
  }
  const inner = parents[parents.length - 1];
  if (shelved && parents.length === 1 && nameScore(inner) < 1 && !isOneNameWriter(inner) && cleaned === plain) context = { ...context, folderIsSeries: true };
  // "Benjamin Blümchen/001 - Als Wetterelefant", "John Sinclair/Folge 1 - Title", "Jack Reacher/03 - Tripwire": a series
  // hero (hero-names.ts) over a numbered book or episode is the series it counts in, never a writer of that name (a hero's
  // name is on the list because no writer goes by it).
  // Unnumbered too ("Jack Reacher/Killing Floor", "Hercule Poirot/Murder on the Orient Express"): the hero's folder
  // holds the series' books whether or not the names count them (path-40; the name was a half-weight writer before).
  if (parents.length === 1 && SERIES_HEROES.has(inner.toLowerCase())) context = { ...context, folderIsSeries: true };
  // "Inspector Rebus/01 - Knots and Crosses", "Commissario Brunetti/Death at La Fenice": a detective's rank before the
  // name marks a crime series' hero (hero-names.ts), never a writer, numbered or not.
  if (parents.length === 1 && isDetectiveHero(inner)) context = { ...context, folderIsSeries: true };
  // "Bernard Cornwell - The Arthur series/1 The Winter King": one folder naming author and series reads like two.
  const seriesAbove = inner !== undefined && (parents.length >= 2 || isAuthorDashSeries(inner));
  if (inner !== undefined && !seriesAbove && parents.length === 1) {
    // "Maddrax/Maddrax 523 - Title", "Discworld/Discworld - 01 - Title": the folder's name again, then a position: the
    // folder is the series. People number a series, not a writer: "Lee Child - 01 - Title" keeps its writer, the dash
    // form counts only after a folder that is no person.
    const series = stripSeriesSuffix(inner);
    const rest = afterSeriesPrefix(cleaned, series);
    const after = cleaned.slice(series.length);
    const glued = rest !== null && !DASH_LED.test(after);
    // "Dean Koontz/Dean Koontz 77 Shadow Street": after a sure person's name only a separated number is a position.
    const separated = nameScore(inner) < 2 || SEPARATED_NUMBER.test(after);
    if (rest !== null && POSITION_LED.test(rest) && separated && (glued || nameScore(inner) < 1 || context.folderIsSeries === true)) {
      return withTags(resolve(readBook(rest), parents, volumes.volume, { ...context, folderIsSeries: true }), tags, parentSegments);
    }
  }
  if (inner !== undefined && seriesAbove) {
    // "The Dark Tower/The Dark Tower Book 3 The Waste Lands": the series folder's name leads the book's, then a position.
    const series = stripSeriesSuffix(parents.length >= 2 ? inner : inner.split(SEPARATOR).pop()!);
    const rest = afterSeriesPrefix(cleaned, series) ?? beforeSeriesSuffix(cleaned, series);
    const restBook = rest === null ? null : readBook(rest);
    // "Stephen King/The Shining/The Shining - 01 - Chapter 1.mp3": the folder's name, a track's number and a chapter
    // name no book; the file is a track of the folder's book, never book 1 of a series "The Shining".
    const trackOnly = isFile && restBook !== null && !restBook.parts.some((p) => p.text.length > 0);
    if (restBook !== null && !trackOnly) return withTags(resolve(restBook, parents.slice(-MAX_PARENTS), volumes.volume, context), tags, parentSegments);
    // "The Lord of the Rings/1 The Fellowship of the Ring": under a series folder a bare leading number is the position.
    const bare = BARE_LEAD.exec(cleaned);
    // "Lee Child/Jack Reacher/14 61 Hours": under its writer's folder even a series named for a person is a series.
    const innerIsSeries = nameScore(inner) < 1 || (parents.length >= 2 && nameScore(inner) <= nameScore(parents[parents.length - 2]));
    if (bare !== null && innerIsSeries && book.leadNum === undefined) {
      return withTags(resolve(readBook(`${bare[1]} - ${cleaned.slice(bare[0].length)}`), parents.slice(-MAX_PARENTS), volumes.volume, context), tags, parentSegments);
    }
    // "Discworld/The Shepherd's Crown (41)": a bare number closing the name is its place in the folder's series.
    const closing = innerIsSeries && book.leadNum === undefined && book.seriesNum === undefined ? CLOSING_POSITION.exec(cleaned) : null;
    if (closing !== null && MEANINGFUL.test(cleaned.slice(0, closing.index))) {
      return withTags(resolve(readBook(`${closing[1]} - ${cleaned.slice(0, closing.index)}`), parents.slice(-MAX_PARENTS), volumes.volume, context), tags, parentSegments);
    }
  }
  // "Andy Weir/The Martian/ProjectHailMary-Part01.mp3": a file that is one part or track of a book lies in that book's
  // folder, so a folder whose name shares no word with the file's book is a misnamed book folder, never a series holding
  // it; "Dan Simmons/Hyperion/TheFallOfHyperion-Part01.mp3" names the folder's word and keeps it as the series.
  const pieceParents = isFile && parents.length >= 2 && context.folderIsSeries !== true && PIECE_FILE_HINT.test(cleaned) && PIECE_FILE_END().test(cleaned) && !sharesWord(cleaned, inner!) ? parents.slice(0, -1) : parents;
  return withTags(writerBeforeEpisode(resolve(book, pieceParents.slice(-MAX_PARENTS), volumes.volume, context), cleaned, aboveFolder), tags, parentSegments);
}
const GLUED_PIECE_NUMBER = lazyRegExp(() => new RegExp(String.raw`^(${PART_WORDS})(\d{1,3})`, "iu"));
const PIECE_FILE_HINT = /\d\s*$/u;
const PIECE_FILE_END = lazyRegExp(() => new RegExp(String.raw`(?:^|[\s._(\[-])(?:${PART_WORDS}|${DISC_WORDS}|track|chapter|kapitel|chapitre|piste|pista|traccia)[\s._]*\d{1,4}\s*[)\]]?$`, "iu"));
const LONG_WORD = lazyRegExp(() => /\p{L}{4,}/gu);

/** Whether two names share a word of four letters or more ("The Fall of Hyperion" and "Hyperion"). */
function sharesWord(a: string, b: string): boolean {
  const words = new Set((b.toLowerCase().match(LONG_WORD()) ?? []));
  return (a.toLowerCase().match(LONG_WORD()) ?? []).some((w) => words.has(w));
}

/**
 * "Lee Child/Lee Child - 001 - Killing Floor": a number padded to three places after a name counts a radio play's
 * episodes ("Benjamin Blümchen - 001 - Title", book-segment.ts), but the writer's folder above repeating a sure
 * person's name shows a writer numbering their books, as "Lee Child/Lee Child - 01 - Killing Floor" is read; known
 * series heroes (hero-names.ts) stay the series.
 */
function writerBeforeEpisode(resolved: Resolved, cleaned: string, aboveFolder: string | undefined): Resolved {
  const series = resolved.series;
  if (series === undefined || resolved.author !== undefined || aboveFolder === undefined || resolved.series_num === undefined || !sameName(series, aboveFolder)) return resolved;
  if (!cleaned.toLowerCase().startsWith(series.toLowerCase()) || !PADDED_EPISODE_AFTER.test(cleaned.slice(series.length))) return resolved;
  if (nameScore(series) < 2 || SERIES_HEROES.has(series.toLowerCase())) return resolved;
  const { series: writer, ...rest } = resolved;
  return { ...rest, author: writer };
}
// "Part A", "Disc B", "Tape 1 Side A", "Cassette 2, Side B": pieces of a recording lettered, or a tape with its side;
// below a book's folder they name no book of their own, as "Part 1" and "Side A" do not.
const LETTERED_PIECE = lazyRegExp(
  () => new RegExp(String.raw`^(?:(?:${PIECE_WORDS}|${DISC_WORDS})[\s._-]*[a-h]|(?:tape|cassette|kassette|кассета|касета)[\s._-]*\d{1,2}[\s,._-]*(?:${SIDE_WORDS})[\s._-]*(?:[a-b]|[12]))$`, "iu"),
);
const ONE_WORD = /^\p{L}[\p{L}'’]+$/u;
// A disc's name that says what it holds rather than naming a book: an extra, an interview, the reader's notes.
const EXTRA_WORDS = /\b(?:bonus|interview|extras?|booklet|notes|commentary|afterword|introduction|intro|outro|credits|bonustrack|zusatz|interview)\b/iu;
/** A disc's own name that may be a book's: letters, no piece or track of one ("Part One", "Chapter 3"), no extra. */
function isBookName(name: string): boolean {
  return MEANINGFUL_NAME.test(name) && !CHAPTER_TRACK().test(name) && !PIECE_HINT.test(name) && !EXTRA_WORDS.test(name);
}
const DISC_LED = lazyRegExp(() => new RegExp(String.raw`^(?:${DISC_WORDS})[\s._-]*\d{1,3}(?:\s*(?:of|von|sur|de|\/)\s*\d{1,3})?\s*[-–—:]\s+(\S.*)$`, "iu"));
const EDGE_TRACK = /^\d{1,4}(?=[\s\-–—_.])|(?<=[\s\-–—_])\d{1,4}$/u;
const EDGE_DASHES = /^[\s\-–—_,]+|[\s\-–—_,]+$/gu;
// "A Family Saga" describes; "The Complete Radio Series", "Box Set Trilogy" name a collection of the books, no series.
const DESCRIPTION_LEAD = /^(?:an?|ein|eine|un|une|una|uno)\s|\b(?:complete|collected|box|omnibus|radio|tv|bbc|dramati[sz]ed|komplette|gesamte)\b/iu;
const FOLDER_EXTRA = /[([{]|\d{4}/u;
const PADDED_EPISODE_AFTER = /^\s*[-–—]\s*0\d\d\s*[-–—]/u;

/**
 * "Various Authors - The Best SF of the Year", "Разные авторы - Антология фантастики", "Brilliance Audio - Title",
 * "Unknown - Title": a dashed piece opening or closing the name that stands where a writer would and names none
 * (no-writer-names.ts, or a tagger's "Unknown") is cut, so the rest is read as if the piece were not there; a name
 * that is only such a piece stays whole.
 */
function withoutNoWriterPiece(name: string): string {
  if (!DASH_HINT.test(name)) return name;
  const pieces = name.split(SEPARATOR);
  if (pieces.length < 2) return name;
  const noWriter = (piece: string) => isNoWriterName(piece) || UNKNOWN_WRITER.test(piece.trim());
  let from = 0;
  let to = pieces.length;
  // "The Lord of the Rings - BBC Radio 4 (1981)": the closing piece's brackets (a year, a reader) stay with the name.
  let kept = "";
  if (noWriter(pieces[0])) from = 1;
  else if (noWriter(pieces[pieces.length - 1])) to -= 1;
  else if (CLOSING_BRACKET_END.test(pieces[pieces.length - 1])) {
    const bracketed = CLOSING_BRACKETS.exec(pieces[pieces.length - 1]);
    if (bracketed !== null && bracketed.index > 0 && noWriter(pieces[pieces.length - 1].slice(0, bracketed.index))) {
      to -= 1;
      kept = bracketed[0];
    }
  }
  if (from === 0 && to === pieces.length) return name;
  const m = name.match(SEPARATOR_GLOBAL);
  // Rebuild with the separators that stood between the pieces kept.
  let out = "";
  for (let i = from; i < to; i++) out += i === from ? pieces[i] : `${m?.[i - 1] ?? " - "}${pieces[i]}`;
  return MEANINGFUL.test(out) ? `${out.trim()}${kept}` : name;
}
const DASH_HINT = /[-–—―~|]/u;
const CLOSING_BRACKET_END = /[)\]}]\s*$/u;
const CLOSING_BRACKETS = /(?:\s*[([{][^()[\]{}]*[)\]}])+\s*$/u;
const UNKNOWN_WRITER = /^(?:unknown|unkown|unbekannt|inconnu|desconocido|sconosciuto|onbekend|неизвестен|неизвестный)(?:\s+(?:author|writer|autor|auteur|автор))?$/iu;

// "Mistborn 3 of 7 - The Hero of Ages", "3 of 7 - Title": a position and how many books the series has, before the
// title; a part's "Part 1 of 3" and a closing "Title - 01 of 20" keep their total (book-segment.ts).
const TOTAL_HINT = /\d\s+(?:of|von|sur)\s+\d/iu;
const POSITION_TOTAL = lazyRegExp(() => new RegExp(String.raw`(?<!(?:${PART_WORDS}|${DISC_WORDS}|side|seite|tape)\.?\s*)(?<=^|[\s#])(\d{1,3}(?:\.\d{1,2})?)\s+(?:of|von|sur)\s+\d{1,3}(?=\s*[-–—:.]\s)`, "iu"));

// "#9-Amongst Our Weapons" (Libation's "#<series#>-<title>", rmcrackan/Libation#236): a position glued to the title by a
// hyphen; "[Mistborn -4.5]" (advplyr/audiobookshelf#19): a position after a hyphen inside a series' bracket.
const GLUED_HASH_POSITION = lazyRegExp(() => /(?<=^|\s)#(\d{1,4}(?:\.\d{1,2})?)-(?=\p{L})/u);
const BRACKET_DASH_POSITION = lazyRegExp(() => /([[(][^[\]()]*?\p{L})\s+-\s*(\d{1,3}(?:\.\d{1,2})?)(?=[)\]])/u);

function withoutPositionTotal(name: string): string {
  let out = TOTAL_HINT.test(name) ? name.replace(POSITION_TOTAL(), "$1") : name;
  if (out.includes("#")) out = out.replace(GLUED_HASH_POSITION(), "#$1 - ");
  if (out.includes(" -")) out = out.replace(BRACKET_DASH_POSITION(), "$1 $2");
  return out;
}

// "The Stand Part 01", "The Stand - Pt. 2 of 3 - Captain Trips", "The Stand (Teil 1)": a name, then a part and its number.
const PARENT_PART = lazyRegExp(
  () => new RegExp(String.raw`^(.*?\S)(?:\s*[-–—,:_]\s*|\s+|\s*[([]\s*)((?:${PART_WORDS})\.?\s*(?:${PART_NUMBER})(?:\s*(?:of|von|sur|de|di|\/)\s*\d{1,3})?)\s*[)\]]?(?:\s*[-–—:]\s+(\S.*))?$`, "iu"),
);
// "01", "Track 01", "01 - Chapter One", "01 The Long Walk", "The Long Walk - 01", "001 of 190": a file's track number.
// "It (1 of 3).mp3", "The Stand [02].mp3": a track's number in brackets too, never a year's four digits.
const TRACK_HINT = /^\d|\d$|(?<!\d)\d{1,3}\s*[)\]]$/u;
const BARE_TRACK = /^(?:\d{1,4}(?:\s*(?:of|von|sur|de|\/|-)\s*\d{1,4})?)$/iu;
const LEADING_TRACK = /^\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?(?:\s*[-–—_.):]\s*|\s+)(\S.*)$/iu;
const TRAILING_TRACK = /^(.*?\S)(?:\s*[-–—_,:]\s*|\s+|\s*[([]\s*)\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?\s*[)\]]?$/u;
// What a track holds rather than a book: its chapter, or the book's opening and closing words (English, German, French,
// Spanish, Italian, Dutch, Polish, Russian, Chinese, Japanese).
const CHAPTER_TRACK = lazyRegExp(
  () =>
    /^(?:(?:chapter|ch\.?|kapitel|chapitre|cap[ií]tulo|capitolo|hoofdstuk|rozdzia[łl]|глава|track|titel|piste|pista|traccia|teil|part|parte|partie)(?!\p{L}).*|(?:prologue?|epilogue?|introduction|intro|outro|preface|foreword|afterword|acknowledg[e]?ments|credits|opening credits|end credits|closing credits|vorwort|nachwort|pr[ée]face|pr[óo]logo|ep[íi]logo|prolog|epilog|пролог|эпилог)(?:\s.*)?|第\s*[\d〇零一二三四五六七八九十百千]+\s*[章回话話节節集].*)$/iu,
);

// "Mistborn/Mistborn 01.m4b": a file format that holds a whole book is a book of the series its folder names, no track.
const WHOLE_BOOK_FILE = /\.(?:m4b|aaxc?)$/iu;
// "Dune Messiah - Chapter" left of a track's number: the chapter word goes with the number.
const TRACK_WORD_END = lazyRegExp(() => /(?:\s*[-–—_,:]\s*|\s+)(?:chapter|ch\.?|kapitel|chapitre|cap[ií]tulo|capitolo|hoofdstuk|rozdzia[łl]|глава|track|titel|piste|pista|traccia)$/iu);

const PART_CHAPTER = lazyRegExp(() => new RegExp(String.raw`^(?:${PART_WORDS}|${DISC_WORDS})\.?\s*(?:${PART_NUMBER})\s*[-–—_.,:]?\s*(?:chapter|ch\.?|track|kapitel|chapitre|cap[ií]tulo|capitolo|глава)\s*\d`, "iu"));
// A track's number: one to three digits, or four with a leading zero ("0104"), never a year ("1984 - Title").
const TRACK_NUMBER = /^(?:0\d{1,3}|\d{1,3})(?!\d)(?:\s*(?:of|\/)\s*\d{1,4})?(?:\s*[-–—_.):]\s*|\s+|$)/iu;
const NUMBERED_FOLDERS = new WeakMap<readonly string[], boolean>();

/**
 * The names beside a file (audio stems and folders) are mostly numbered tracks: at least two of them, and at least half,
 * open with a track's number, as the scanner counts a folder of loose files as one book (library/book-detect.ts).
 */
function numberedFolder(siblings: readonly string[] | undefined): boolean {
  if (siblings === undefined || siblings.length < 2) return false;
  const known = NUMBERED_FOLDERS.get(siblings);
  if (known !== undefined) return known;
  let numbered = 0;
  for (const name of siblings) if (TRACK_NUMBER.test(name)) numbered++;
  const answer = numbered >= 2 && numbered * 2 >= siblings.length;
  NUMBERED_FOLDERS.set(siblings, answer);
  return answer;
}

/** Whether a track's name, its number taken off, names the book of its folder: the same name, or ending with it. */
function namesBook(head: string, outer: Resolved, aboveFolder: string): boolean {
  const name = head.replace(TRACK_WORD_END(), "");
  const title = outer.title!;
  if (sameName(name, title) || sameName(name, aboveFolder) || sameName(name, title.replace(PART_IN_TITLE, ""))) return true;
  // "Terry Goodkind - SOT Bk01 - Wizards First Rule 02.mp3" in "Wizards First Rule": the book's name closes the track's.
  const cut = name.length - title.length;
  return cut > 0 && SEPARATOR.test(name.slice(Math.max(0, cut - 4), cut + 1)) && sameName(name.slice(cut), title);
}

/** A piece of the book its folder names (see analyzeSegments), read as that book; null when the name is a book's. */
function pieceOfParent(name: string, isFile: boolean, parentSegments: string[], aboveFolder: string, isFileName: boolean, amongTracks = false): Resolved | null {
  let part: string | undefined;
  let partName: string | undefined;
  let head: string | undefined;
  if (PIECE_HINT.test(name)) {
    const m = PARENT_PART().exec(name);
    // "It/01 - Part One.mp3", "Mistborn/01 - The Final Empire/Part 1 - Chapter 01.mp3": a track's number or a part's
    // chapter names a file of the book its folder names, no part of its title nor a series "Part".
    if (isFile && ((m !== null && BARE_TRACK.test(m[1].trim())) || PART_CHAPTER().test(name))) {
      const outer = analyzeSegments(parentSegments, false, NO_CONTEXT);
      if (outer.title !== undefined) return outer;
    }
    if (m !== null) {
      head = m[1];
      // "Part1", "part1" (American_Gods_Part1.mp3) read "Part 1" as "Part 01" does.
      part = m[2].replace(/^pt\.?\s*/iu, "Part ").replace(/(?<=\s|^[^\d\s]+)0+(?=\d)/u, "").replace(GLUED_PIECE_NUMBER(), (_w: string, word: string, n: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)} ${n}`);
      partName = m[3];
    }
  }
  let track = false;
  let leading = false;
  if (head === undefined && isFile && TRACK_HINT.test(name)) {
    if (BARE_TRACK.test(name)) track = true;
    else {
      const lead = LEADING_TRACK.exec(name);
      // "Guards! Guards!/04 - Sinister Grey Mists.mp3" beside "01 - The Night Watch", "02 - …": a folder of numbered
      // audio files is one book (the scanner's rule, library/book-detect.ts), so each number counts its tracks.
      if (lead !== null && (CHAPTER_TRACK().test(lead[1]) || (amongTracks && TRACK_NUMBER.test(name)))) track = true;
      else {
        leading = lead !== null;
        head = lead?.[1] ?? TRAILING_TRACK.exec(name)?.[1];
      }
    }
  }
  if (!track && head === undefined) return null;
  const outer = analyzeSegments(parentSegments, false, NO_CONTEXT);
  // "Die drei ???/012/01 - Track.mp3": a track of an episode known only by its place is that episode.
  if (outer.title === undefined) return track && outer.series !== undefined && outer.series_num !== undefined ? outer : null;
  // "The Expanse 05 Nemesis Games/11 Alex.mp3": in a folder that is one numbered book of a series, a file's number
  // counts that book's tracks.
  if (!track && !(leading && outer.series_num !== undefined) && !namesBook(head!, outer, aboveFolder)) return null;
  if (part === undefined) return outer;
  // A file's words after its part name a track ("Holly - Pt 01 - 01 of 10.mp3", bookorbit/bookorbit#262), not the part.
  return { ...outer, title: `${outer.title} (${part})`, subtitle: (isFileName ? undefined : partName) ?? outer.subtitle };
}

/**
 * "Mistborn, Book 3: The Hero of Ages", "Brandon Sanderson - Tintenwelt, Band 2: Tintenblut": a series and its position
 * before a colon, as Audible's titles and the folders named after them write it, read as the dashed form is; the
 * tags' rule decides (subtitle.ts: "Apollo 13: The Untold Story", "World War II: A History" stay title and subtitle).
 */
function withColonPosition(name: string): string {
  const colon = name.indexOf(": ");
  if (colon <= 0) return name;
  let start = 0;
  for (const m of name.slice(0, colon).matchAll(SEPARATOR_GLOBAL)) start = m.index + m[0].length;
  const next = SEPARATOR.exec(name.slice(colon + 2));
  const end = next === null ? name.length : colon + 2 + next.index;
  const lead = COLON_POSITION_HINT.test(name.slice(0, colon)) || BRACKET_POSITION_END.test(name.slice(colon + 2, end)) ? seriesLeadInTitle(name.slice(start, end)) : null;
  if (lead === null) return name;
  const tail = name.slice(colon + 2, end).trim();
  // Written back as "Series, Book N - Title", which the dashed reading knows however the position was written
  // ("Star Wars Episode IV: A New Hope"); "Star Wars: Thrawn (Book I)": the bracket holds the series' position.
  const whole = lead.title === tail || (tail.startsWith(lead.title) && BRACKET_POSITION_END.test(tail));
  return whole ? `${name.slice(0, start)}${lead.series}, Book ${lead.num} - ${lead.title}${name.slice(end)}` : name;
}
const COLON_POSITION_HINT = /(?:\d|\b[IVX]{1,6})\s*$/u;
const BRACKET_POSITION_END = /[([]\s*(?:book|bk\.?|vol\.?|volume|#)\s*[\p{L}\p{N}.]{1,9}\s*[)\]]\s*$/iu;
const SEPARATOR_GLOBAL = new RegExp(SEPARATOR.source, `${SEPARATOR.flags}g`);

/** The book segment's own language and edition tags win over those of a folder above it. */
function withTags(resolved: Resolved, tags: NameTags, parents: readonly string[] = []): Resolved {
  if (tags.language !== undefined) resolved.language = tags.language;
  if (tags.edition !== undefined) resolved.edition = tags.edition;
  if (tags.variant !== undefined) resolved.variant = tags.variant;
  for (let i = parents.length - 1; i >= 0; i--) {
    // "German/Stephen King/Es", "DE/Author/Book" (libraries kept per language, kkodecs/livrarr#120): a folder that is
    // only a language's name gives the language of every book below it.
    if (resolved.language === undefined && parents[i].length <= 24) {
      const language = languageFolder(parents[i]);
      if (language !== null) resolved.language = language;
    }
    // "GraphicAudio/Brandon Sanderson/Mistborn": a shelf of one producer's dramatizations names their variant.
    if (resolved.variant === undefined && parents[i].length <= 60 && isVariantName(parents[i])) resolved.variant = parents[i].trim();
    // "Harry Potter (Full-Cast Edition)/01 - Title": what a folder says of its recordings holds for each book in it.
    if (!parents[i].includes("(") && !parents[i].includes("[")) continue;
    const folder = readNameTags(parents[i]);
    resolved.language ??= folder.language;
    resolved.edition ??= folder.edition;
    resolved.variant ??= folder.variant;
  }
  return resolved;
}

// "German", "Deutsch", "Français", "DE", "English Audiobooks", "Hörbücher Deutsch": a language, alone or with a word for books.
const LANGUAGE_FOLDER = lazyRegExp(() => /^(?:(?:audio\s?books?|h(?:ö|oe)rb(?:ü|ue)cher|livres\s+audio|audiolibros|аудиокниги)\s+)?(\p{L}{2,12})(?:\s+(?:audio\s?books?|h(?:ö|oe)rb(?:ü|ue)cher|books))?$/iu);
const TWO_CAPITALS = /^[A-Z]{2}$/u;
function languageFolder(folder: string): string | null {
  const m = LANGUAGE_FOLDER().exec(folder.trim());
  if (m === null) return null;
  const word = m[1];
  if (word.length === 2) return TWO_CAPITALS.test(word) && m[0].length === 2 ? knownLanguage(word, true) : null;
  return word.length >= 4 ? knownLanguage(word) : null;
}

/** "Author - Series" in one folder: a person, a dash, a name. */
function isAuthorDashSeries(folder: string): boolean {
  const pieces = folder.split(SEPARATOR);
  // "Lee Child - Jack Reacher": a series may be named for a person, but it never looks more like one than the writer.
  return pieces.length === 2 && nameScore(pieces[0]) >= 2 && nameScore(pieces[1]) <= nameScore(pieces[0]);
}
const CLOSING_POSITION = /\s*[([](\d{1,3}(?:\.\d)?)[)\]]$/u;
const BARE_LEAD = /^(\d{1,2}(?:\.\d)?)\s+(?=[\p{Lu}\p{N}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])/u;
// "#2034" only as long-series.ts writes a four-digit position: a bare four-digit number after a series' name may be a year.
const PREFIX_POSITION = new RegExp(
  String.raw`^[\s,:;\-–—]*(?:(?:(?:books?|bk|vol(?:ume)?s?|part|tome|no|${FOREIGN_POSITION_WORDS})\.?\s*|#\s*)?(\d{1,3}[-–]\d{1,3}|\d{1,3}(?:\.\d{1,2})?(?![-–]\d))(?!\s+(?:of|von|sur|de)\s+\d)|#(\d{4}))(?:\s*[-–—:.)]\s*|\s+)(?=\S)`,
  "iu",
);
const PART_OF_REST = new RegExp(String.raw`^[\s,:;\-–—]*(?:${PART_WORDS})\.?\s*[\p{L}\p{N}]+\s*(?:of|von|sur|de|di|\/)\s*[\p{L}\p{N}]+\s*$`, "iu");
/** What afterSeriesPrefix returns when a position follows the series' name. */
const POSITION_LED = /^#?\d/u;
const DASH_LED = /^\s*[-–—]/u;
const SEPARATED_NUMBER = /^\s*(?:#\s*)?\d{1,4}(?:\.\d{1,2})?\s*[-–—:.)]/u;
const LONG_SERIES_HINT = /\d{3}/u;

/**
 * "三体 (全四册)", "射雕英雄传 全四卷": "all N volumes", the size of the release, names nothing of the book; only
 * bracketed or closing the name ("全集", a complete works, has no count and stays).
 */
function withoutCjkSetSize(name: string): string {
  return SET_SIZE_HINT.test(name) ? name.replace(CJK_SET_SIZE(), "").trim() || name : name;
}
const SET_SIZE_HINT = /全/u;
const CJK_SET_SIZE = lazyRegExp(() => /\s*(?:[(（[【]\s*全\s*[\d一二两兩三四五六七八九十]{1,3}\s*[册冊巻卷本部集季]\s*[)）\]】]|(?<=\S)\s+全\s*[\d一二两兩三四五六七八九十]{1,3}\s*[册冊巻卷本部集季]$)/gu);

/**
 * "容疑者Xの献身 東野圭吾", "三体 刘慈欣" (release names once their 【オーディオブック】 tag is gone): two pieces in
 * ideographs set apart by one space, the second a person's name as sure as a known family name makes it and the first
 * none, are the title and its writer, as with a dash between them. Anything less sure is left whole.
 */
function cjkTitleThenWriter(name: string): string {
  if (name.includes(" - ")) return name;
  const m = CJK_TWO_PIECES().exec(name);
  if (m === null || !hasCjk(m[1]) || !hasCjk(m[2])) return name;
  return cjkNameScore(m[2]) >= 2 && cjkNameScore(m[1]) <= 0 ? `${m[1]} - ${m[2]}` : name;
}
const CJK_TWO_PIECES = lazyRegExp(() => /^(\S+)\s(\S+)$/u);
/** A word of five letters or more in lower case after the first: "Kruistocht in spijkerbroek", "Män som hatar kvinnor" ("Die drei ???" counts no word so). */
const SENTENCE_CASE_WORD = lazyRegExp(() => /^\S+\s.*(?<![\p{L}'’])\p{Ll}{5,}/u);
const ROMAN_POSITION = /^\s+([IVX]{1,5})\s*[-–—:.]\s*(?=\S)/u;
/** "Mistborn 1", "Mistborn 1-3", "Dune - Book 1 of 6" under its folder: only a position, the title is not in the name. */
// "Part" is no word here: "The Martian/The Martian - Part 1" is a part of one book, kept in its title (book-segment.ts).
const PREFIX_ONLY_POSITION = new RegExp(
  String.raw`^[\s,:;\-–—]*(?:(?:books?|bk|vol(?:ume)?s?|tome|no|${FOREIGN_POSITION_WORDS})\.?\s*|#\s*)?(\d{1,3}[-–]\d{1,3}|\d{1,3}(?:\.\d{1,2})?)(?:\s+(?:of|von|sur|de)\s+\d{1,3})?\s*$`,
  "iu",
);

function afterSeriesPrefix(name: string, series: string): string | null {
  if (!longEnough(series) || name.length <= series.length || name.slice(0, series.length).toLowerCase() !== series.toLowerCase()) return null;
  const after = name.slice(series.length);
  const unshelved = withoutLeadingShelf(after);
  const rest = unshelved === after ? after : ` ${unshelved}`;
  // The series name must end at a word boundary: "Mistborn 1", never "Mistborne"; ideographs have no spaces between words ("三体2").
  if (!/^[\s,:;\-–—#]/u.test(rest) && !(hasCjk(series.slice(-1)) && /^\d/u.test(rest))) return null;
  // "The Martian/The Martian - Part 1 of 3": one part of the book the folder names, kept in its title (book-segment.ts).
  if (PART_OF_REST.test(rest)) return null;
  const m = PREFIX_POSITION.exec(rest);
  if (m) return `${m[1] ?? `#${m[2]}`} - ${rest.slice(m[0].length)}`;
  // "The Dark Tower/The Dark Tower III - The Waste Lands": a capital roman numeral, then a separator.
  const roman = ROMAN_POSITION.exec(rest);
  const romanNum = roman === null ? null : seriesNumToken(roman[1]);
  if (roman !== null && romanNum !== null) return `${romanNum} - ${rest.slice(roman[0].length)}`;
  // "Mistborn/Mistborn Book Three The Hero of Ages": the position spelled, then the title (book-segment.ts).
  const spelled = spelledLead(rest.trimStart());
  if (spelled !== null) return `${spelled.num} - ${spelled.rest}`;
  const only = PREFIX_ONLY_POSITION.exec(rest);
  return only ? only[1] : null;
}

const BARE_NUMBER = /^\d{1,3}(?:\.\d{1,2})?$/u;
const SUFFIX_POSITION = new RegExp(String.raw`^[\s,:;]*(?:(?:book|bk|vol(?:ume)?|part|tome|no|${FOREIGN_POSITION_WORDS})\.?\s*|#\s*)?(\d{1,3}(?:\.\d{1,2})?)$`, "iu");
/** What must stand between a title and the series name after it: a spaced dash, a comma or a colon. */
const SUFFIX_LEAD = /(?:\s+[-–—―~|]+\s*|\s*[-–—―]+\s+|\s*[,:]\s*)$/u;

/**
 * "The Expanse/Leviathan Wakes - The Expanse 1": the series folder's name closes the book's, then a
 * position. A bare number is safe here because the folder names the series ("Catch 22" stays a title).
 */
function beforeSeriesSuffix(name: string, series: string): string | null {
  if (!longEnough(series)) return null;
  const at = name.toLowerCase().lastIndexOf(series.toLowerCase());
  if (at <= 0) return null;
  const m = SUFFIX_POSITION.exec(name.slice(at + series.length));
  if (m === null) return null;
  const head = name.slice(0, at);
  const lead = SUFFIX_LEAD.exec(head);
  if (lead === null) return null;
  const title = head.slice(0, lead.index).trim();
  // "1Q84/01 - 1Q84 Book 1": what stands before the series name is a position, not a title.
  return MEANINGFUL.test(title) && !BARE_NUMBER.test(title) ? `${m[1]} - ${title}` : null;
}

/** Long enough to be matched inside another name: three letters, or two ideographs ("三体"), each a word. */
function longEnough(series: string): boolean {
  return series.length >= 3 || (series.length === 2 && hasCjk(series));
}

/** Author and series folders repeat for every book below them, so their cleaning is remembered. */
const FOLDER_CACHE = new Map<string, string>();
const FOLDER_CACHE_SIZE = 2048;

/** A parent folder's cleaned name, or "" when it only groups books (genre, "Audiobooks", "K"). */
export function cleanFolder(raw: string): string {
  const cached = FOLDER_CACHE.get(raw);
  if (cached !== undefined) return cached;
  // "Deathlands GraphicAudio Collection 101 - 127" (VacantlyCrushing/Shelfarr#6): the dramatization's label inside a series'
  // folder name is no part of the series; the book's own name carries its variant.
  const named = GRAPHIC_AUDIO_WORD.test(raw) ? tidy(raw.replace(GRAPHIC_AUDIO_WORD, " ")) : raw;
  const cleaned = withoutGrouping(personComma(stripCollection(withoutSeriesWords(withoutFolderYear(cleanSegment(readNameTags(named).rest))))));
  // A shelf inside a series ("Era 2") names no one and no series: the folder above it does.
  const folder = isContainerFolder(cleaned) || isShelfFolder(cleaned) ? "" : cleaned;
  if (FOLDER_CACHE.size >= FOLDER_CACHE_SIZE) FOLDER_CACHE.clear();
  FOLDER_CACHE.set(raw, folder);
  return folder;
}

// "Mistborn - Series", "Discworld - The Complete Series", "Dune – Saga": a piece after a dash that only says the folder
// holds a series; the words before it name the series (a piece of its own would be read as a title or a writer).
const SERIES_WORD_PIECE = /\s+[-–—]\s+(?:the\s+)?(?:complete\s+)?(?:series|saga|reihe|serie|série|serien|zyklus|cycle|trilogy|trilogie)$/iu;
// "Cycle de Ewilan", "Le cycle de la Tour sombre", "Ciclo de la Fundación": French, Spanish and Italian write the series'
// word first; the name after it is the series, its article given back ("de la Tour sombre": "La Tour sombre").
const CYCLE_PREFIX = lazyRegExp(() => /^(?:(?:le|el|il|lo)\s+)?(?:cycle|ciclo)\s+(?:(de\s+la|della|de\s+los|de\s+las|des|du|del|dei|degli)\s+|(de\s+l['’]|dell['’])|(?:de|di)\s+|d['’])(?=\p{L})/iu);
const CYCLE_ARTICLES: Record<string, string> = { "de la": "La", della: "La", "de los": "Los", "de las": "Las", des: "Les", du: "Le", del: "El", dei: "I", degli: "Gli" };

function withoutSeriesWords(folder: string): string {
  const piece = SERIES_WORD_PIECE.exec(folder);
  if (piece !== null && MEANINGFUL.test(folder.slice(0, piece.index))) return folder.slice(0, piece.index).trim();
  if (folder.length < 7 || !CYCLE_HINT.test(folder)) return folder;
  const cycle = CYCLE_PREFIX().exec(folder);
  if (cycle === null || cycle[0].length >= folder.length - 1) return folder;
  const rest = folder.slice(cycle[0].length);
  if (cycle[1] !== undefined) return `${CYCLE_ARTICLES[cycle[1].toLowerCase().replace(/\s+/gu, " ")] ?? ""} ${rest}`.trim();
  if (cycle[2] !== undefined) return `L'${rest}`;
  return rest;
}
const CYCLE_HINT = /^(?:[a-z]{1,2}\s+)?(?:cycle|ciclo)\s/iu;

// "The Mistborn Trilogy (2006-2008)", "Discworld Collection [1983-2015]": the years an omnibus's books came out, in
// brackets, say when, not what; the span names no one year, so none is kept (one year in brackets stays the year).
const YEAR_SPAN = /\s*[([]\s*((?:1[5-9]|20)\d\d)\s*[-–]\s*((?:1[5-9]|20)\d\d|\d\d)\s*[)\]](?=\s*(?:[-–—([{]|$))/u;
const YEAR_SPAN_HINT = /\d\d\s*[-–]\s*\d\d/u;
function withoutYearSpan(name: string): string {
  if (!YEAR_SPAN_HINT.test(name)) return name;
  const m = YEAR_SPAN.exec(name);
  if (m === null || m.index === 0) return withoutBareYearSpan(name);
  const last = m[2].length === 2 ? Number(m[1].slice(0, 2) + m[2]) : Number(m[2]);
  return last > Number(m[1]) ? tidy(name.slice(0, m.index) + name.slice(m.index + m[0].length)) : name;
}

/**
 * "Frank Herbert - Dune 1965-1985", "Discworld - 1983-2015": the years a series' books came out, written without the
 * brackets, close the name as "(1965-1985)" does. A span under ten years stays the title's: history names its event
 * so ("Europe 1914-1918", "Stalingrad 1942-1943").
 */
function withoutBareYearSpan(name: string): string {
  const m = BARE_YEAR_SPAN().exec(name);
  if (m === null) return name;
  const [from, to] = [Number(m[1]), Number(m[2])];
  if (to - from < 10 || to - from > 80) return name;
  return tidy(name.slice(0, m.index) + name.slice(m.index + m[0].length));
}
const BARE_YEAR_SPAN = lazyRegExp(() => /(?<=\p{L}[\p{L}'’!?]*)(?:\s+[-–—]\s+|\s+)((?:1[5-9]|20)\d\d)[-–]((?:1[5-9]|20)\d\d)(?=\s*(?:\s[-–—]\s|[([{]|$))/u);

const GRAPHIC_AUDIO_WORD = /(?<=\S\s+)graphic\s?audio(?=\s+\S)/iu;
// "Mistborn (2006-2008)", "Discworld [1983-2015]": the years a series' books came out, bracketed as one year is.
const FOLDER_YEAR = /\s*(?:[([]\s*((?:1[5-9]|20)\d\d)(?:\s*[-–]\s*(?:(?:1[5-9]|20)\d\d|\d\d))?\s*[)\]]|((?:1[5-9]|20)\d\d))$/u;

/**
 * "Dune (1965)" above its files, "N. K. Jemisin 2022" above her books: a year closing a folder's name dates
 * what it holds and is no part of a series or a writer. A bare year stays after what is no person ("Blade Runner 2049").
 */
function withoutFolderYear(folder: string): string {
  const m = FOLDER_YEAR.exec(folder);
  if (m === null || m.index === 0) return folder;
  const rest = tidy(folder.slice(0, m.index));
  return MEANINGFUL.test(rest) && (m[1] !== undefined || nameScore(rest) >= 1) ? rest : folder;
}

const PERSON_COMMA = /^([^,]+),\s+([^,]+)$/u;

/**
 * "Bernard Cornwell, The Arthur series": a person, a comma, then what the folder
 * holds, which reads as "Bernard Cornwell - The Arthur series". A "Last, First"
 * name or a list of people is left alone.
 */
function personComma(folder: string): string {
  const m = folder.includes(",") ? PERSON_COMMA.exec(folder) : null;
  if (m === null || nameScore(m[1]) < 2 || nameScore(m[2]) >= 1 || splitAuthors(folder) !== null) return folder;
  return `${m[1]} - ${m[2]}`;
}

const COLLECTION_WORDS = String.raw`(?:(?:the\s+)?(?:complete|selected|collected|best|essential|great)\s+(?:works|stories|novels|books|collection|of)|(?:the\s+)?works\s+of|collection|collected\s+works|anthology|omnibus|bibliography|box\s*set|library|audiobooks?|books)`;
const COLLECTION_PREFIX = new RegExp(String.raw`^(?:the\s+)?${COLLECTION_WORDS}(?:\s+of|\s*[-–:,])?\s+`, "iu");
const COLLECTION_SUFFIX = new RegExp(String.raw`(?:['’]s)?\s*[-–:,]?\s*(?:the\s+)?${COLLECTION_WORDS}(?:\s*\(\d+\))?$`, "iu");
const TRAILING_COUNT = /\s*[([]\d{1,7}[)\]]$/u;
const COLLECTION_HINT = /works|collect|antholog|omnibus|bibliograph|best|box|librar|books|\d[)\]]$|[集品選选]$/iu;
/** "金庸全集", "東野圭吾作品集", "村上春樹選集": complete or selected works, written after the name without a space. */
const CJK_COLLECTION_SUFFIX = /\s*(?:作品全集|小说全集|小說全集|全集|作品集|文集|选集|選集|合集|作品)$/u;

/**
 * "Stephen King Collection", "The Complete Works of Jane Austen", "Terry
 * Pratchett (1234)": an author folder named for what it holds. The person is
 * the name without the collection words, when what remains reads as a person.
 */
export function stripCollection(folder: string): string {
  if (!COLLECTION_HINT.test(folder)) return folder;
  let rest = hasCjk(folder) ? folder.replace(CJK_COLLECTION_SUFFIX, "") : folder;
  for (let previous = ""; previous !== rest; ) {
    previous = rest;
    rest = tidy(rest.replace(TRAILING_COUNT, "").replace(COLLECTION_SUFFIX, "").replace(COLLECTION_PREFIX, ""));
  }
  return rest !== folder && rest.length > 0 && nameScore(rest) >= 1 ? rest : folder;
}

const UNDERSCORES = /_+/g;
// "Ada Lovelace_The Engine of Change" (weak-head/m4b-maker#35 reads "_" as the field separator): in a name spaced
// between its words, the one underscore glued between two capitalised words parts fields as " - " does;
// "girl_with_all_the_gifts" (no spaces) is words.
// Only between capitalised words ("config_schema nested" stays words).
const GLUED_UNDERSCORE = lazyRegExp(() => /(?<=(?:^|[\s.])\p{Lu}[\p{L}.'’-]*)_(?=\p{Lu}|\d)/gu);
const ANY_GLUED_UNDERSCORE = /(?<=\S)_(?=\S)/gu;

function withUnderscoreField(name: string): string {
  if (!name.includes(" ") || SEPARATOR.test(name)) return name;
  const glued = name.match(ANY_GLUED_UNDERSCORE);
  return glued !== null && glued.length === 1 ? name.replace(GLUED_UNDERSCORE(), " - ") : name;
}
// "11_22_63", "Stephen King - 11_22_63": a piece of numbers alone joined by underscores is a title written with slashes
// ("11/22/63", "24/7") that the disk forbade; words before a number ("Catch_22", "Fahrenheit_451") are only spaced.
const NUMBER_SLASH_PIECE = lazyRegExp(() => /(?<=^|\s[-–—]\s)\d{1,2}(?:_\d{1,4}){1,2}(?=$|\s[-–—]\s|\s[([])/gu);

function withNumberSlashes(name: string): string {
  return name.replace(NUMBER_SLASH_PIECE(), (piece) => piece.replace(UNDERSCORES, "/"));
}
const WHOLE_BRACKET = /^\[([^[\](){}]+)\]$|^\(([^[\](){}]+)\)$/u;
const ONLY_DIGITS = /^\s*\d+\s*$/u;

/** "[Octavia E. Butler]/[Dawn]": a name wholly in brackets is the name, unless it is only a tag ("[MP3]") or a number. */
function unwrapWhole(name: string): string {
  if (name.length < 3 || (name[0] !== "[" && name[0] !== "(")) return name;
  const m = WHOLE_BRACKET.exec(name);
  const content = m === null ? undefined : (m[1] ?? m[2]);
  if (content === undefined || ONLY_DIGITS.test(content) || isJunkBracket(content)) return name;
  // "[Fantasy]", "[English]", "(Dramatized)": a genre, language or recording tag names nothing.
  return stripJunk(name).length === 0 || readNameTags(name).rest.trim() === "" ? name : content;
}

function isPersonLike(name: string): boolean {
  return nameScore(name) >= 1;
}

/**
 * `gluedAuthor` says whether a person's name glued to the rest by a hyphen
 * ("Hannu Rajaniemi-The Quantum Thief") may be read as the author: only a
 * book's own name is asked, since "J.K. Rowling/Harry Potter-The Complete
 * Collection" names a character, not a writer.
 */
export function cleanSegment(raw: string, gluedAuthor?: (name: string) => boolean, knownWriter?: (name: string) => boolean): string {
  const sane = withColons(unwrapWhole(sanitizeSegment(raw)));
  const safe = isCamelName(sane) ? uncamelName(sane) : uncamelPieceName(sane) ?? (isCamelRun(sane) ? uncamelRun(sane) : gluedAuthor !== undefined && sane.includes("-") ? unglueName(sane, gluedAuthor) : sane);
  const scene = isSceneName(safe);
  const named = scene ? withoutSceneGroup(safe) : safe;
  const s = stripJunk(named.includes("_") ? withUnderscoreField(withNumberSlashes(named)).replace(UNDERSCORES, " ") : named);
  // Tags removed from a release name leave its dots doubled ("The.Stand.Unabridged.2008.MP3" -> "The.Stand. .2008."): close them up.
  if (!scene) return s.length < named.length ? releaseYear(named, s) : s;
  const unscened = sceneYear(stripJunk(unsceneName(s.includes(" ") ? s.replace(SCENE_GAP, ".").replace(SCENE_TAIL, "") : s)));
  return gluedAuthor !== undefined ? withDottedAuthor(unscened, knownWriter) : unscened;
}

/**
 * "Dune.Frank.Herbert.MP3", "Frank.Herbert.Dune.2006": a release name with no hyphen between writer and title.
 * Split only when it is clear: a person's name at exactly one end (two words scoring as a full name, or three around an initial)
 * and a rest that reads as no name at all and does not go on with a connecting word ("Harry.Potter.and.the...").
 * "Jack.Reacher.Killing.Floor" (both ends could be names) stays one title.
 */
function withDottedAuthor(name: string, knownWriter?: (name: string) => boolean): string {
  if (name.includes(" - ")) return withDottedPositions(name);
  const year = DOTTED_YEAR_END.exec(name);
  const body = year === null ? name : name.slice(0, year.index);
  const tail = year === null ? "" : name.slice(year.index);
  const positioned = DOTTED_POSITION.exec(body);
  if (positioned !== null) {
    // "Jim.Butcher.Dresden.Files.01.Storm.Front": the writer, the series and its position, then the title.
    // A series may be named for a person ("Jack Reacher"); the writer's name, sure and first, still leads.
    const [, head, num, title] = positioned;
    const headWords = head.split(" ");
    const n = INITIAL_WORD.test(headWords[1]) ? 3 : 2;
    const person = headWords.slice(0, n).join(" ");
    const series = headWords.slice(n).join(" ");
    if (series === "" || nameScore(person) < 2 || nameScore(series) >= 2 || CONNECTOR_START.test(series)) return name;
    return `${person} - ${series} ${num} - ${title}${tail}`;
  }
  // "George.Orwell.1984.2003": a year dotted after a number title dates the release, as after words (sceneYear).
  const numberYear = tail === "" ? NUMBER_THEN_YEAR.exec(body) : null;
  if (numberYear !== null && isPlausibleYear(Number(numberYear[2]))) return withDottedAuthor(`${body.slice(0, numberYear.index)} ${numberYear[1]} (${numberYear[2]})`);
  const words = body.split(" ");
  // "George.Orwell.1984", "Stephen.King.11.22.63": a writer's full name and only a number after it. A release names
  // its book, so the number is the title (not the year it was read as), written as the writer's name then the title.
  const numbered = NUMBER_TITLE_END.exec(body);
  const lead = numbered === null ? body : body.slice(0, numbered.index);
  if ((numbered !== null || tail !== "") && isFullName(lead)) return numbered === null ? `${lead} - ${tail.trim().slice(1, -1)}` : `${lead} - ${numbered[1]}${tail}`;
  // "Ray.Bradbury.Fahrenheit.451", "Joseph.Heller.Catch.22": a title may hold a number; a writer's name never does.
  if (words.length < 3 || !words.every((w) => PLAIN_WORD.test(w) || NUMBER_WORD.test(w))) return name;
  const plain = (from: number, to: number) => words.slice(from, to).every((w) => PLAIN_WORD.test(w));
  if (knownWriter !== undefined) {
    // A writer's folder at the top of the library, or the folder above, spelled by the name's first or last words:
    // the library says where the name ends, which its words alone cannot ("Arthur.Conan.Doyle.The.Hound...").
    for (let n = Math.min(4, words.length - 1); n >= 2; n--) {
      if (plain(0, n) && knownWriter(words.slice(0, n).join(" "))) return `${words.slice(0, n).join(" ")} - ${words.slice(n).join(" ")}${tail}`;
      if (plain(words.length - n, words.length) && knownWriter(words.slice(-n).join(" "))) return `${words.slice(0, -n).join(" ").replace(LAST_INITIAL_DOT, "")}${tail} - ${words.slice(-n).join(" ")}`;
    }
  }
  // "Gabriel.Garcia.Marquez.Cien.Anos.de.Soledad", "...One.Hundred.Years.of.Solitude": a known given name and two
  // capitalised words, then a number word. A title may open with a number; a person's name never holds one.
  if (words.length > 4 && plain(0, 4) && GIVEN_NAMES.has(words[0].toLowerCase()) && NUMBER_WORDS.has(words[3].toLowerCase()) && words.slice(1, 3).every((w) => CAPITAL_WORD.test(w) && !isTitleWord(w) && !isNameParticle(w) && !NUMBER_WORDS.has(w.toLowerCase()))) {
    return `${words.slice(0, 3).join(" ")} - ${words.slice(3).join(" ")}${tail}`;
  }
  // "Percy.Jackson.The.Lightning.Thief": a series' hero (SERIES_HEROES) opening the name, then a title, is the series.
  const hero = words.length > 2 && plain(0, 2) ? words.slice(0, 2).join(" ") : "";
  if (SERIES_HEROES.has(hero.toLowerCase()) && nameScore(words.slice(2).join(" ")) < 1 && !CONNECTOR_START.test(words[2])) return `${hero} - ${words.slice(2).join(" ")}${tail}`;
  const splits: [person: string, rest: string, personFirst: boolean, particled?: boolean][] = [];
  // "Ursula.K.Le.Guin.The.Dispossessed", "The.Dispossessed.Daphne.du.Maurier": a surname's particles (Le, du, van)
  // are words of the name, not its end; a name with them, when it reads as one, is taken whole over a shorter one.
  const leading = particledNameLength(words);
  if (leading !== null && words.length > leading && plain(0, leading)) splits.push([words.slice(0, leading).join(" "), words.slice(leading).join(" "), true, true]);
  const trail = particledNameLength([...words].reverse(), true);
  // "Don.Quijote.de.la.Mancha": read from the end, particles make a name only after a given name or an initial.
  if (trail !== null && words.length > trail && plain(words.length - trail, words.length) && surelyGiven(words[words.length - trail])) {
    splits.push([words.slice(-trail).join(" "), words.slice(0, -trail).join(" ").replace(LAST_INITIAL_DOT, ""), false, true]);
  }
  // "Sapiens_..._Yuval_Noah_Harari": two given names before a surname close the name; "Noah Harari" alone would leave
  // "Yuval" in the title ("The_Martian_Andy_Weir": "Martian" is no given name).
  const doubleGiven = words.length > 3 && plain(words.length - 3, words.length) && GIVEN_NAMES.has(words[words.length - 3].toLowerCase()) && GIVEN_NAMES.has(words[words.length - 2].toLowerCase());
  // "Mary_Ann_Shaffer_The_Guernsey_...": the same at the start; "Mary Ann" alone would open the title with "Shaffer".
  const leadDoubleGiven = words.length > 3 && plain(0, 3) && GIVEN_NAMES.has(words[0].toLowerCase()) && GIVEN_NAMES.has(words[1].toLowerCase()) && CAPITAL_WORD.test(words[2]) && !GIVEN_NAMES.has(words[2].toLowerCase()) && !isTitleWord(words[2]) && !NUMBER_WORDS.has(words[2].toLowerCase());
  for (const n of [2, 3]) {
    if (words.length <= n) continue;
    // Three words only around an initial ("Philip K Dick"): "Stephen King The" would score as a name too.
    if ((n === 2 ? !leadDoubleGiven : INITIAL_WORD.test(words[1]) || leadDoubleGiven) && plain(0, n)) splits.push([words.slice(0, n).join(" "), words.slice(n).join(" "), true]);
    // "World.War.Z.Max.Brooks": the dot after a title's last letter parted it from the writer; it is no initial.
    if ((n === 2 ? !doubleGiven : INITIAL_WORD.test(words[words.length - 2]) || doubleGiven) && plain(words.length - n, words.length)) {
      splits.push([words.slice(-n).join(" "), withKindSubtitle(words.slice(0, -n).join(" ").replace(LAST_INITIAL_DOT, "")), false]);
    }
  }
  // A rest reads as no name when it scores none, or when it could be a name only by its capitals but is no name's
  // size ("Andy.Weir.Project.Hail.Mary": "Hail Mary" at the other end is no sure name). "Killing Floor" is a name's size.
  const noName = (rest: string) => nameScore(rest) <= 0 || (nameScore(rest) < 2 && !isNameSized(rest));
  // "John.le.Carre.Smileys.People": a given name, then a particled surname, is surer than a rest that reads as a name
  // only by its capitals ("Smileys People", no known given name); "Jack.Reacher.Killing.Floor", without one, stays whole.
  const particledOver = (person: string, rest: string, particled?: boolean) => particled === true && surelyGiven(person.split(" ")[0]) && nameScore(rest) < 2;
  // A release name writes its writer given name first: "Project.Hail.Mary", "Dune.Frank.Herbert" hold no "Hail, Mary" or "Dune, Frank".
  // "Percy.Jackson.The.Lightning.Thief": a series' hero opening the name is no writer (SERIES_HEROES).
  const clear = splits.filter(([person, rest, , particled]) => nameScore(person) >= 2 && !SERIES_HEROES.has(person.toLowerCase()) && !isSurnameFirst(person) && (noName(rest) || particledOver(person, rest, particled)) && !CONNECTOR_START.test(rest) && !LOWER_START.test(rest));
  // "Philip.K.Dick.Ubik": "Dick Ubik" could be a name too, but one with an initial is surer; a tie stays unsplit.
  const whole = clear.filter(([, , , particled]) => particled === true);
  const chosen = whole.length > 0 ? whole : clear;
  const best = Math.max(...chosen.map(([person]) => nameScore(person)));
  const surest = chosen.filter(([person]) => nameScore(person) === best);
  if (surest.length !== 1) return name;
  const [person, rest, personFirst] = surest[0];
  // "The.Institute.by.Stephen.King": the writer's "by" goes with the writer.
  return personFirst ? `${person} - ${rest}${tail}` : `${rest.replace(TRAILING_BY, "")}${tail} - ${person}`;
}
const TRAILING_BY = / by$/iu;
// "The_Martian_A_Novel_Andy_Weir", "Educated_A_Memoir_Tara_Westover": the kind of book between the title and a writer
// at the end. "A Novel" goes, as it goes closing a name (path-junk.ts); another kind stays the subtitle, as after a colon.
const KIND_END = lazyRegExp(() => /^(.*\S)\s+(an?\s+(novel|memoir|thriller|mystery|romance|novella|biography|autobiography))$/iu);
function withKindSubtitle(rest: string): string {
  const m = KIND_END().exec(rest);
  if (m === null) return rest;
  return m[3].toLowerCase() === "novel" ? m[1] : `${m[1]}: ${m[2]}`;
}
/**
 * The words of a given name, its initials, one or more particles and a surname, read from the name's start (or from
 * its end, with `reversed` words): null when no particle is there, so the plain sizes decide.
 */
function particledNameLength(words: readonly string[], reversed = false): number | null {
  if (reversed) {
    let i = 1;
    while (i < words.length - 1 && isNameParticle(words[i])) i++;
    if (i === 1) return null;
    while (i < words.length - 1 && i < 6 && INITIAL_WORD.test(words[i])) i++;
    return i + 1;
  }
  let i = 1;
  while (i < words.length && i < 4 && INITIAL_WORD.test(words[i])) i++;
  const particles = i;
  while (i < words.length - 1 && isNameParticle(words[i])) i++;
  return i === particles ? null : i + 1;
}
/** A known given name or an initial: what a person's name opens with, surely. */
function surelyGiven(word: string): boolean {
  return INITIAL_WORD.test(word) || GIVEN_NAMES.has(word.toLowerCase());
}
/**
 * Number words that open titles in the languages shelfwise reads ("One Hundred Years of Solitude", "Cien años de
 * soledad", "Vingt mille lieues", "Tausend", "Mille"): no person's name holds one. Lower case, accents folded too.
 */
const NUMBER_WORDS: ReadonlySet<string> = new Set(
  `one two three four five six seven eight nine ten eleven twelve twenty hundred thousand million
  uno una dos tres cuatro cinco seis siete ocho nueve diez cien ciento mil
  un une deux trois quatre cinq six sept huit neuf dix vingt cent mille
  ein eine zwei drei vier fünf funf sechs sieben acht neun zehn hundert tausend
  due tre quattro sei sette otto nove dieci cento
  um duas quatro cem`.split(/\s+/u).filter(Boolean),
);
const CAPITAL_WORD = /^\p{Lu}[\p{Ll}\p{M}'’-]+$/u;
/** Two words, or three around an initial ("Philip K Dick"): the size of a person's name in a release name. */
function isNameSized(s: string): boolean {
  const words = s.split(" ");
  return words.every((w) => PLAIN_WORD.test(w)) && (words.length === 2 || (words.length === 3 && INITIAL_WORD.test(words[1])));
}
function isFullName(s: string): boolean {
  return isNameSized(s) && nameScore(s) >= 2;
}
/** A number alone, or numbers joined by dots or hyphens ("1984", "11.22.63", "11-22-63"), closing a release name. */
const NUMBER_TITLE_END = / (\d{1,4}(?:[.-]\d{1,4})*)$/u;
/** A number title, then a year: "1984 2003", "1984.2003" (the dots a release name keeps between digits). */
const NUMBER_THEN_YEAR = /(?:^| )(\d{1,4}(?:[.-]\d{1,4})*)[. ]((?:19|20)\d\d)$/u;
const NUMBER_WORD = /^\d{1,4}(?:[.-]\d{1,4})*$/u;
const LAST_INITIAL_DOT = /(?<= \p{Lu})\.$/u;
/** Words, a small number, words: a series' position between its name and the book's title. */
const DOTTED_POSITION = /^(\p{L}[\p{L}'’.]*(?: \p{L}[\p{L}'’.]*){2,}) (\d{1,3}) (\p{Lu}[\p{L}'’]*(?: [\p{L}'’]+)*)$/u;

/**
 * "Brandon.Sanderson-Mistborn.1.The.Final.Empire.2006": after the writer and a hyphen, a release name's words, a
 * small number and capitalised words are a series, its position and the title; no dash can stand between them
 * in a name written with dots.
 */
function withDottedPositions(name: string): string {
  const pieces = name.split(" - ");
  if (pieces.length !== 2 || nameScore(pieces[0]) < 2) return name;
  const year = DOTTED_YEAR_END.exec(pieces[1]);
  const body = year === null ? pieces[1] : pieces[1].slice(0, year.index);
  const m = DOTTED_SERIES_POSITION.exec(body);
  if (m === null || nameScore(m[1]) >= 1) return name;
  return `${pieces[0]} - ${m[1]} ${m[2]} - ${m[3]}${year === null ? "" : pieces[1].slice(year.index)}`;
}
const DOTTED_SERIES_POSITION = /^(\p{Lu}[\p{L}'’]*(?: [\p{L}'’]+)*) (\d{1,3}) (\p{Lu}[\p{L}'’]*(?: [\p{L}'’]+)*)$/u;
const DOTTED_YEAR_END = /\s+\((?:19|20)\d\d\)$/u;
const PLAIN_WORD = /^\p{L}[\p{L}'’]*$|^\p{Lu}\.$/u;
const INITIAL_WORD = /^\p{Lu}\.?$/u;
const CONNECTOR_START = /^(?:and|or|of|in|on|at|to|for|with|from|by|vs|und|et|y|e)\b/iu;
const LOWER_START = /^\p{Ll}/u;

const COLON_STAND_IN = /(?<=[\p{L}\p{N})\]])_(?= \S)|[꞉∶](?=\s)/gu;
const COLON_HINT = /_ |[꞉∶]/u;

/**
 * "Sapiens_ A Brief History of Humankind", "Sapiens꞉ A Brief History": where a colon cannot stand in a file name,
 * Libation, OpenAudible and Windows downloaders write "_" (or a look-alike "꞉", "∶") before the space that
 * follows it. A name with spaces keeps its colon that way; a release name's underscores are its spaces.
 */
function withColons(name: string): string {
  // "10_ 04", "10_04" (audiobookshelf#5036: Ben Lerner's "10:04"): a time or a ratio whose colon a file system refused
  // is that time again, never a series "10" and its book 4.
  const timed = name.includes("_") ? name.replace(COLON_IN_TIME, "$1:$2") : name;
  return COLON_HINT.test(timed) ? timed.replace(COLON_STAND_IN, ":") : timed;
}
const COLON_IN_TIME = /(?<=^|[\s([-])(\d{1,2})_ ?(\d{2})(?=$|[\s)\]])/gu;

const SCENE_GAP = /\s*\.[\s.]*/gu;
const SCENE_TAIL = /\.+$/u;
const CYRILLIC_LETTER = lazyRegExp(() => /\p{Script=Cyrillic}/u);
const SCENE_YEAR_END = /(?<=\p{L}\S*)\s+((?:19|20)\d\d)$/u;

/** "Project.Hail.Mary.2021": a release name dates itself after the title, as "(2021)" would. */
/**
 * "Die Tribute von Panem/Teil 3 - Flammender Zorn" beside "Teil 1 - Tödliche Spiele", "Teil 2 - Gefährliche Liebe": parts
 * that each carry a title of their own, different titles side by side, are a series' books; the parts of one book repeat
 * its name or have none ("The Stand/The Stand Part 01", "It - Part 1 of 2"), and a titled part alone ("The Stand/Part 2 -
 * Captain Trips" with no such siblings) stays a part (book-segment.ts). Read as "Book N", which the series rules take.
 */
function withTitledPartPosition(name: string, siblings: readonly string[], folder: string | undefined): string {
  const own = TITLED_PART().exec(withoutAudioExtension(name));
  if (own === null) return name;
  const [, prefix = "", num, title] = own;
  if (!distinctPartTitle(title, prefix, folder)) return name;
  let others = 0;
  for (const sibling of siblings) {
    const m = TITLED_PART().exec(withoutAudioExtension(sibling));
    if (m === null || m[2] === num || (m[1] ?? "").toLowerCase() !== prefix.toLowerCase()) continue;
    // One sibling repeating the book's name or a chapter's words says these are one book's parts.
    if (!distinctPartTitle(m[3], prefix, folder) || sameName(m[3], title)) return name;
    others++;
  }
  return others === 0 ? name : `${prefix === "" ? "" : `${prefix} - `}Book ${num} - ${title}`;
}
/**
 * "Dune/Dune - 01 - Chapter 1.mp3" beside "Dune - 02 - Chapter 2": numbered files whose titles are chapters are tracks of
 * the folder's book, no series' books ("Discworld - 04 - Mort" beside "Discworld - 01 - The Colour of Magic" still is one):
 * the chapter goes, "Dune - 01" is read as a track of "Dune" is.
 */
function withoutChapterTitle(name: string, siblings: readonly string[]): string {
  const own = NUMBERED_CHAPTER().exec(withoutAudioExtension(name));
  if (own === null) return name;
  const prefix = own[1].toLowerCase();
  for (const sibling of siblings) {
    const m = NUMBERED_CHAPTER().exec(withoutAudioExtension(sibling));
    if (m !== null && m[2] !== own[2] && m[1].toLowerCase() === prefix) return `${own[1]} - ${own[2]}`;
  }
  return name;
}
const CHAPTER_HINT = /chap|ch\.?\s*\d|kapitel|cap[ií]tulo|глава|track/iu;
const NUMBERED_CHAPTER = lazyRegExp(() => /^(\S.*?)\s+[-–—]\s+(\d{1,3})\s+[-–—]\s+(?:chapter|chap\.?|ch\.?|kapitel|chapitre|cap[ií]tulo|глава|track)\s*\d{1,3}\s*$/iu);

function distinctPartTitle(title: string, prefix: string, folder: string | undefined): boolean {
  return !PART_TITLE_CHAPTER().test(title) && !(prefix !== "" && sameName(title, prefix)) && !(folder !== undefined && sameName(title, folder));
}
function withoutAudioExtension(name: string): string {
  return name.replace(AUDIO_EXTENSION_END, "");
}
const PART_LED_HINT = /part|pt|teil|часть|parte/iu;
const TITLED_PART = lazyRegExp(() => /^(?:(\S.*?)\s+[-–—]\s+)?(?:part|pt\.?|teil|partie|parte|часть)\s+0*(\d{1,3})\s*[-–—:.]\s+(\p{L}.*?)\s*$/iu);
/** "Teil 1 - Kapitel 3", "Part 2 - Chapter 01", "Part 1 - 03": a piece of one book. */
const PART_TITLE_CHAPTER = lazyRegExp(() => /^(?:chapter|chap|ch|kapitel|chapitre|cap[ií]tulo|глава|track|disc|cd|side|seite)\b|^\d+$/iu);
const AUDIO_EXTENSION_END = /\.(?:mp3|m4b|m4a|aac|flac|ogg|opus|wma|aax)$/iu;

/**
 * "Title 2012 MP3 64kbps": a year followed only by release tags (a format, a bit rate) dates the release, as in a scene
 * name; "Title 2012" alone keeps its number (a title may end in a year: "Mission 2012").
 */
function releaseYear(named: string, stripped: string): string {
  const m = YEAR_BEFORE_TAGS().exec(named);
  if (m === null || !isPlausibleYear(Number(m[2])) || stripJunk(m[3]) !== "") return stripped;
  const head = stripJunk(m[1]);
  return head === "" ? stripped : `${head} (${m[2]})`;
}
/** Words, a year, then something (the tags, checked by stripJunk); a dash or an opening bracket before the year is no title's end. */
const YEAR_BEFORE_TAGS = lazyRegExp(() => /^(.*[\p{L}\p{N}'’!?.)])\s+((?:19|20)\d\d)[\s,._-]+(\S.*)$/u);

function sceneYear(name: string): string {
  const m = SCENE_YEAR_END.exec(name);
  return m !== null && isPlausibleYear(Number(m[1])) ? `${name.slice(0, m.index)} (${m[1]})` : name;
}

// ---------------------------------------------------------------- folders

interface FolderReading {
  author?: string;
  series?: string;
  /** "Douglas Adams/Stephen Fry/Title": a reader's folder between the writer's and the book. */
  narrator?: string;
  /** The reader's folder was named without a reader's phrase: it may as well be a series named for its hero. */
  narratorDoubtful?: boolean;
  /** Only one folder above the book: "Title/Author" may be swapped. */
  mayBeTitle?: boolean;
}

/**
 * What a series folder adds to the series' name: "Discworld Series", "Discworld (Complete Series)",
 * "Mistborn 1-3", "The Hitchhiker's Guide to the Galaxy (Books 1-5)", "The Wheel of Time [01-14]".
 */
const SERIES_SUFFIX = new RegExp(
  String.raw`\s*(?:[-–,:]\s*)?(?:[([]\s*)?(?:(?:the\s+)?complete(?:\s+(?:series|saga|collection))?|series|saga|collection|reihe|serie|série|zyklus|シリーズ|系列|시리즈|(?:books?|vols?\.?|volumes?)?\s*\d{1,3}\s*[-–]\s*\d{1,3})(?:\s*[)\]])?$`,
  "iu",
);

function readFolders(parents: string[], book: BookReading, volumeOfWork: boolean, folderIsSeries = false): FolderReading {
  if (parents.length === 0) return {};
  // "Mistborn (by Brandon Sanderson)/Book 1 - Title" (orb's series folder): "(by X)" names the writer whoever X is, as it
  // does after a book's title, and the words before it are the series, never a series carrying its writer's name.
  const byWriter = PAREN_BY_HINT.test(parents[parents.length - 1]) ? PAREN_BY().exec(parents[parents.length - 1]) : null;
  if (byWriter !== null && MEANINGFUL.test(byWriter[1]) && MEANINGFUL.test(byWriter[2])) {
    return { author: tidy(byWriter[2]), series: stripSeriesSuffix(tidy(byWriter[1])) };
  }
  if (folderIsSeries && parents.length === 1) return { series: stripSeriesSuffix(parents[0]) };
  const numbered = book.leadNum !== undefined || book.seriesNum !== undefined || book.parts.some((p) => p.num);
  const bookHasSeries = book.series !== undefined || book.parts.some((p) => p.num && p.kind !== "hash" && p.text);
  const inner = parents[parents.length - 1];
  const innerPieces = inner.split(SEPARATOR).map(tidy).filter(Boolean);
  if (innerPieces.length >= 2) {
    const folderBook = readBook(inner);
    const own = assign(folderBook, undefined);
    const series = own.series ?? (numbered && !bookHasSeries ? own.title : undefined);
    // "Terry Pratchett/Discworld - Rincewind/01 - Title": under a writer's folder, a series folder's first piece that is
    // no person is the world the series belongs to, not a writer.
    // "Terry Pratchett/Discworld/03 - City Watch/01 - Title": a numbered sub-series under a series folder; the writer's
    // folder is further up, an outer folder only winning by looking more like a person (as below).
    const outer = parents.length >= 2 ? mostPersonLike(parents.slice(0, -1).map((p) => p.split(SEPARATOR)[0].trim())) : undefined;
    // "Timothy Zahn/Star Wars - Thrawn Trilogy/01 - Title": a folder naming no one leaves the writer's folder its writer.
    const ownPerson = own.author !== undefined && (nameScore(own.author) >= 1 || isOneNameWriter(own.author));
    if (outer !== undefined && !ownPerson && (nameScore(outer) >= 2 || isOneNameWriter(outer))) {
      const named = series ?? own.title;
      return { author: outer, series: named === undefined ? undefined : stripSeriesSuffix(named) };
    }
    // "Terry Pratchett/Discworld - Tiffany Aching/05 - Title": under a writer's folder, a world that is no person then a
    // hero's name is the hero's series, numbered by the books inside; the hero is no writer.
    if (outer !== undefined && ownPerson && numbered && !bookHasSeries && innerPieces.length === 2 && nameScore(outer) >= 2 && nameScore(innerPieces[0]) < 1 && sameName(own.author!, innerPieces[1]) && !sameName(innerPieces[1], outer)) {
      // "Douglas Adams/Hitchhiker's Guide - Stephen Fry/01 - Title": a known audiobook reader there reads the series.
      if (isKnownReader(innerPieces[1])) return { author: outer, series: stripSeriesSuffix(innerPieces[0]), narrator: innerPieces[1] };
      return { author: outer, series: stripSeriesSuffix(innerPieces[1]) };
    }
    // "The Dark Tower (by Stephen King) - The Complete Series (read by George Guidall)": the series folder names its writer.
    return { author: own.author ?? (series !== undefined ? folderBook.parenName : undefined), series: series && stripSeriesSuffix(series) };
  }
  if (parents.length === 1 && numbered && !bookHasSeries && SERIES_BY.test(inner)) {
    // "The Dark Tower by Stephen King/Book 2 - Title": a series folder named with its writer.
    const own = assign(readBook(inner), undefined);
    if (own.author !== undefined && own.title !== undefined && nameScore(own.author) >= 1) return { author: own.author, series: stripSeriesSuffix(own.title) };
  }
  if (parents.length >= 2) {
    const outers = parents.slice(0, -1).map((p) => p.split(SEPARATOR).map(tidy).filter(Boolean)[0] ?? p);
    const innerScore = nameScore(inner);
    const author = mostPersonLike(outers);
    const authorScore = nameScore(author);
    // "Stephen King/Richard Bachman/The Long Walk": a pen name of the writer's folder is the book's writer as published.
    if (outers.some((outer) => isPenNameOf(inner, outer))) return { author: inner };
    if (innerScore >= 1 && innerScore > authorScore) return { author: inner };
    // "Discworld/City Watch/01 - Guards! Guards!.mp3": a lone word at the top shaped as a world's or a series' name
    // (-world, -born, -light: SERIES_COMPOUND) over a series' folder is the world those books belong to, no writer.
    if (authorScore === 0 && outers.length === 1 && LONE_WORD().test(author) && SERIES_COMPOUND().test(author) && !isOneNameWriter(author) && innerScore < 2) return { series: stripSeriesSuffix(inner) };
    const reader = readerFolder(inner, author, book);
    if (reader !== null) return { author, narrator: reader.name, narratorDoubtful: reader.doubtful };
    return { author, series: stripSeriesSuffix(inner) };
  }
  // "金庸/射雕英雄传 (上)": a volume of a work the book names itself, so the folder is its writer.
  if (numbered && !bookHasSeries && !volumeOfWork && nameScore(inner) <= 0) return { series: stripSeriesSuffix(inner) };
  // "The Lord of the Rings/The Fellowship of the Ring", "The Expanse/Leviathan Wakes" (a series' folder at the top, its
  // books' folders inside): a folder surely no person's name (an article or a title's word leads it) is the series,
  // never a writer "The Lord of the Rings", nor a title swapped with the book's name.
  // A surer person's name below it is the writer of a title's folder ("The Hobbit/J.R.R. Tolkien", "The Road/Cormac McCarthy").
  if (!book.authorFirst && SERIES_FOLDER_LEAD().test(inner) && nameScore(inner) < 0 && !isOneNameWriter(inner) && book.parts.length === 1 && nameScore(book.parts[0].text) < 2) return { series: stripSeriesSuffix(inner) };
  // "Dune/Dune Messiah", "Foundation/Foundation and Empire": a folder the book's name opens with holds that series'
  // books, no writer's (a writer's name opens no title of theirs). A hero's folder over another title ("Jack
  // Reacher/03 - Tripwire") stays a half-weight guess at the writer (identification-rules.test.ts); a world's, below.
  const own = book.parts.length === 1 ? book.parts[0].text : "";
  if (!book.authorFirst && own !== "" && nameScore(own) < 2 && nameScore(inner) < 2 && !isOneNameWriter(inner) && opensWith(own, inner)) return { series: stripSeriesSuffix(inner) };
  // "Mistborn/Mistborn - The Final Empire": a lone word shaped as a world's or a series' name (SERIES_COMPOUND) repeated
  // before the title, the same.
  const seriesNamed = LONE_WORD().test(inner) && SERIES_COMPOUND().test(inner) && nameScore(inner) === 0;
  if (!book.authorFirst && seriesNamed && !isOneNameWriter(inner) && book.parts.length === 2 && sameName(book.parts[0].text, inner) && nameScore(book.parts[1].text) < 2) return { series: stripSeriesSuffix(inner) };
  // "Discworld/Mort", "Dragonlance/Dragons of Autumn Twilight": the same folder over a title of its own holds that world's
  // books, as it does over a series' folder ("Discworld/City Watch/..."); no surname is so shaped.
  if (!book.authorFirst && seriesNamed && !isOneNameWriter(inner) && book.parts.length === 1 && nameScore(own) < 2) return { series: stripSeriesSuffix(inner) };
  return { author: inner, mayBeTitle: true };
}

const SERIES_BY = /\s[Bb]y\s+\p{Lu}/u;
const SERIES_FOLDER_LEAD = lazyRegExp(() => /^(?:[Tt]he|[Aa]n?)\s+\p{Lu}/u);
const PAREN_BY_HINT = /\(\s*by\s/iu;
// The whole folder is a name then "(by X)", no dash: "Series (by X) - The Complete Series" is read piece by piece.
const PAREN_BY = lazyRegExp(() => /^([^()\-–—]+?)\s*\(\s*by\s+([^()]+?)\s*\)$/iu);

/** The nearest of the outer folders, unless a further one looks more like a person: outer folders are usually categories. */
function mostPersonLike(outers: readonly string[]): string {
  let author = outers[outers.length - 1];
  let authorScore = nameScore(author);
  for (let i = outers.length - 2; i >= 0; i--) {
    const score = nameScore(outers[i]);
    if (score > authorScore) [author, authorScore] = [outers[i], score];
  }
  return author;
}

/**
 * "Douglas Adams/Stephen Fry/The Hitchhiker's Guide", "Douglas Adams/read by Stephen Fry/...", "Walter Moers/Dirk Bach
 * (Sprecher)/...": the layout some libraries keep (Author/Narrator/Title) puts the reader between the writer and the
 * book. A folder with a reader's phrase or role is the reader, surely. Unmarked, a folder of a full person's name
 * under a writer's (neither the writer, nor a series hero shelved so: hero-names.ts) is read as the reader, doubtfully
 * (the path layer claims it with half weight), when the book's name carries no position and does not repeat the folder's
 * words ("Harry Potter/Harry Potter and the ..."); otherwise the folder is a series, as before. Series named for their
 * hero and shelved unnumbered ("Lee Child/Jack Reacher/Killing Floor") collide with this shape: the known heroes
 * stay series, any other is claimed as a doubtful reader, which a narrator tag outweighs.
 */
function readerFolder(inner: string, author: string, book: BookReading): { name: string; doubtful: boolean } | null {
  const phrased = readerIn(inner);
  const role = phrased === null ? READER_ROLE_FOLDER().exec(inner) : null;
  const marked = phrased ?? role?.[1] ?? null;
  if (marked !== null && marked !== WRITER_READS && nameScore(marked) >= 1) return { name: tidy(marked), doubtful: false };
  if (book.narrator !== undefined || book.leadNum !== undefined || book.seriesNum !== undefined || book.series !== undefined) return null;
  if (book.parts.some((p) => p.num !== undefined)) return null;
  if (nameScore(inner) < 2 || (nameScore(author) < 2 && !isOneNameWriter(author)) || sameName(inner, author)) return null;
  if (SERIES_HEROES.has(inner.toLowerCase()) || HERO_TITLES.has(inner.toLowerCase())) return null;
  const own = book.parts.map((p) => p.text).join(" ");
  const surname = inner.trim().split(SPACE_RUN).pop() ?? inner;
  if (containsWords(own, inner) || containsWords(own, surname) || containsWords(inner, author.trim().split(SPACE_RUN).pop() ?? author)) return null;
  return { name: inner, doubtful: true };
}
const READER_ROLE_FOLDER = lazyRegExp(() => /^(.+?)\s*[([]\s*(?:narrator|reader|sprecher(?:in)?|erz[äa]hler(?:in)?|vorleser(?:in)?|lecteur|lectrice|narrador(?:a)?|lettore|lettrice|voorlezer|lektor(?:ka)?)\s*[)\]]$/iu);

const GLUED_SUFFIX = lazyRegExp(() => /^\p{L}[-–]\p{L}/u);
// "Harry-Potter-Reihe", "Perry-Rhodan-Serie": German hyphenates every word of a name before a compound's last word;
// "Reihe", "Serie" only say "series", so the name is the words before it, written apart again ("Harry Potter").
const GLUED_SERIES_WORD = lazyRegExp(() => /^(\S.*\p{L})[-–](?:reihe|serie|serien)$/iu);
const HYPHENED_NAME = lazyRegExp(() => /^\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)+$/u);
// "Mistborn Trilogy", "The Farseer Trilogy" as a folder (the brief of the one that holds a trilogy's books): the words
// before it name the series; "The Mistborn Saga": one word between "The" and "Saga" is the series' name.
const TRILOGY_SUFFIX = /\s+(?:trilogy|trilogie|duology|tetralogy)$/iu;
const THE_ONE_WORD_SAGA = lazyRegExp(() => /^the\s+(\p{L}[\p{L}'’-]*)\s+saga$/iu);
function stripSeriesSuffix(series: string): string {
  let stripped = series;
  const glued = stripped.length > 6 ? GLUED_SERIES_WORD().exec(stripped) : null;
  if (glued !== null) return HYPHENED_NAME().test(glued[1]) ? glued[1].replace(/-/gu, " ") : glued[1];
  const saga = THE_ONE_WORD_SAGA().exec(stripped);
  if (saga !== null) return ARTICLE_ONLY.test(saga[1]) ? series : saga[1];
  // "Mistborn Series 1-3": one suffix after another.
  for (let i = 0; i < 3; i++) {
    const trilogy = stripped.includes(" - ") ? null : TRILOGY_SUFFIX.exec(stripped);
    const next = trilogy !== null ? stripped.slice(0, trilogy.index).replace(LEADING_THE, "") : stripped.replace(SERIES_SUFFIX, "");
    // "Die Licht-Saga" (Libation#50): a suffix glued by a hyphen is one compound word, the series' own name;
    // "Mistborn - Series", "Mistborn Saga" name the series "Mistborn".
    if (next === stripped || !MEANINGFUL.test(next) || GLUED_SUFFIX().test(stripped.slice(next.length - 1, next.length + 2))) break;
    // "Ender's Saga", "Ender's Series": a possessive needs the word it owns, so the name keeps it.
    if (POSSESSIVE_END.test(next)) break;
    // "Die Saga", "La Saga", "Die Trilogie": an article alone names no series; the folder's whole name does.
    if (ARTICLE_ONLY.test(next.trim())) break;
    stripped = next;
  }
  return stripped;
}
const POSSESSIVE_END = /['’]s$|s['’]$/u;
// English, German, Dutch, French, Spanish, Italian, Portuguese articles, as a whole name.
const ARTICLE_ONLY = /^(?:the|an?|die|der|das|den|dem|des|eine?|de|het|een|la|le|les|l['’]|el|los|las|il|lo|gli|i|un|une|una|uno|o|os|as)$/iu;
// "The Farseer Trilogy": "The" before one word goes with the trilogy's word; "The Lord of the Rings Trilogy" keeps it.
const LEADING_THE = /^the\s+(?=\S+$)/iu;

// ---------------------------------------------------------------- assignment

/** Reads the book's own parts; `folderAuthor` helps tell "Author - Title" from "Series - Title". */
function assign(book: BookReading, folderAuthor: string | undefined, folderSeries?: string, volumeOfWork = false, shelvedAsWriter?: (name: string) => Shelving): Resolved {
  const out: Resolved = { narrator: book.narrator, year: book.year, series: book.series, series_num: book.seriesNum };
  if (book.yearDoubtful === true) out.yearDoubtful = true;
  const parts = book.parts;
  const last = parts.length - 1;
  // "Brandon Sanderson - The Way of Kings - The Stormlight Archive #1": after a sure writer and a title, a name closing
  // with "#N" is the series and its place, as "Title (Series #1)" is; "Title #3" alone stays a title and its place.
  const hashSeries = last >= 2 && parts[last].kind === "hash" && parts[last].text && parts.slice(0, last).every((p) => p.num === undefined) && nameScore(parts[0].text) >= 2;
  // "Blood Song - Raven's Shadow #1", "Anthony Ryan/Blood Song - Raven's Shadow #1": a hash closes a series' name, as in
  // "Title (Series #1)", so after a work that is no one's name the name it closes is the series, with or without a sure
  // writer before them; a writer ("Lee Child - Killing Floor #1"), a hero ("Jack Reacher - Killing Floor #1") or a
  // series' own name ("Mistborn - The Final Empire #1") before it keeps "Title #3" a title and its place.
  const hashAfterWork = last === 1 && parts[1].kind === "hash" && parts[1].text !== "" && parts[0].num === undefined && hashClosesSeries(parts[0].text, parts[1].text);
  const seriesIndex = parts.findIndex((p, i) => p.num !== undefined && (hashSeries || hashAfterWork || !(p.kind === "hash" && i === last)));
  if (seriesIndex === 0 && parts.length === 2 && parts[0].kind === "bare" && PART_WORD_ONLY().test(parts[0].text) && parts[1].num === undefined && MEANINGFUL.test(parts[1].text)) {
    // "Teil 2 - Der Schwarm", "Part 2 - The Stand", "Część 1 - Title" alone: the title's part, as after a writer
    // ("Stephen King - Part 2 - The Stand"), never a series named "Teil" or "Part".
    out.title = `${parts[1].text} (${parts[0].text} ${parts[0].num})`;
    return out;
  }
  if (seriesIndex >= 0) {
    assignAroundSeries(parts, seriesIndex, out, folderAuthor, volumeOfWork);
    return out;
  }
  const texts = parts.map((p) => p.text);
  if (last >= 0 && parts[last].num !== undefined) {
    out.series_num ??= parts[last].num;
    out.hashTitle = true;
  }
  if (texts.length === 1) {
    out.title = texts[0];
    // "Der Schwarm - Teil 2 - Schätzing": the part joins the title before a word that is its writer by surname, as in
    // "Der Schwarm (Teil 2) - Schätzing"; one word after a part is no subtitle of it unless the surname rule refuses it.
    const partThenWord = folderAuthor === undefined && book.authorFirst !== true && texts[0].includes("): ") ? PART_THEN_WORD().exec(texts[0]) : null;
    if (partThenWord !== null && BRACKETED_PART_END().test(partThenWord[1])) {
      const [, title, word] = partThenWord;
      if (nameScore(word) === 0 && loneSurname(word) && articleTitle(title) && nameScore(withoutBracketedPart(title)) < 0) {
        out.author = word;
        out.authorDoubtful = word;
        out.title = title;
      }
    }
  } else if (texts.length === 2) assignPair(texts[0], texts[1], folderAuthor, book.authorFirst === true, out, folderSeries, shelvedAsWriter);
  else if (texts.length === 3) assignTriple(texts[0], texts[1], texts[2], out, folderAuthor, shelvedAsWriter);
  else if (texts.length > 3) {
    out.author = texts[0];
    out.title = texts.slice(1).join(" - ");
  }
  return out;
}

function assignAroundSeries(parts: Part[], k: number, out: Resolved, folderAuthor?: string, volumeOfWork = false): void {
  let inner = k;
  // "Cosmere 1 - Mistborn 1 - The Final Empire": positions in an outer and an inner series; the book belongs to the inner one.
  while (inner + 2 < parts.length && parts[inner + 1].num !== undefined && parts[inner + 1].text) inner++;
  if (inner > k) out.outerSeries = parts.slice(k, inner).map((p) => p.text);
  let marked = parts[inner];
  const before = parts.slice(0, k).map((p) => p.text).filter(Boolean);
  let author = before.join(" - ");
  let after = parts.slice(inner + 1).map((p) => p.text).filter(Boolean);
  if (folderAuthor !== undefined && before.length === 1 && nameScore(author) < 1 && !sameName(author, folderAuthor) && marked.text) {
    // "Timothy Zahn/Star Wars - Thrawn Trilogy 1 - Heir to the Empire": under the writer's folder, a name that is no
    // person before the series is the world the series belongs to, not a writer.
    author = "";
  }
  if (before.length === 2 && after.length > 0 && marked.text && nameScore(before[0]) >= 2 && nameScore(before[1]) < 1 && !isOneNameWriter(before[1]) && !(after.length === 1 && nameScore(after[0]) >= 2)) {
    // "Brandon Sanderson - Cosmere - Mistborn 1 - The Final Empire": a sure writer, then the world the numbered series
    // belongs to (no person), then the series and the title: the world is an outer series, no part of the writer.
    author = before[0];
    out.outerSeries = [before[1], ...(out.outerSeries ?? [])];
  } else if (before.length === 2 && after.length === 1 && marked.text && nameScore(after[0]) >= 2 && nameScore(before[0]) >= 1) {
    // "Robert Jordan - The Eye of the World - Wheel of Time 1 - Michael Kramer & Kate Reading": writer, title, the
    // series closing them, then the readers; the series' place with its word too ("- Mistborn, Book 1 - Michael
    // Kramer", "- Dresden Files, Book 1 - James Marsters").
    author = before[0];
    out.narrator ??= after[0];
    after = [before[1]];
  } else if (before.length === 1 && after.length === 1 && marked.text && nameScore(after[0]) >= 2 && (nameScore(before[0]) < 1 || (nameScore(before[0]) < 2 && (folderAuthor === undefined || !sameName(before[0], folderAuthor))))) {
    // A title may read as a name ("Grave Peril - The Dresden Files Book 3 - James Marsters"): a surer person after the
    // series is the writer or, under another writer's folder, the reader, as after a title no one takes for a name.
    // "Words of Radiance - The Stormlight Archive, Book 2 - Brandon Sanderson": the title, its series, the writer;
    // under the writer's folder another person there is the reader.
    if (folderAuthor === undefined || sameName(after[0], folderAuthor)) author = after[0];
    else {
      author = "";
      out.narrator ??= after[0];
    }
    after = before;
  } else if (before.length === 2 && after.length === 0 && marked.text && marked.kind === "bare" && nameScore(before[1]) >= 2 && nameScore(before[0]) < nameScore(before[1]) && (folderAuthor === undefined || sameName(before[1], folderAuthor))) {
    // "The Final Empire - Brandon Sanderson - Mistborn 1": the title, its writer, then the series closing the name.
    author = before[1];
    after = [before[0]];
  } else if (after.length === 0 && marked.text && before.length > 0) {
    // "Killing Floor - Jack Reacher, Book 1", "Lee Child - Killing Floor - Jack Reacher, Book 1": the position
    // closes the name, so the piece before it is the title unless it is the only piece and reads as the writer.
    const lead = before[0];
    // "Thea Beckman - Kruistocht in spijkerbroek - Deel 2": a name-shaped piece (a given name no list knows) before a
    // work written in sentence case, as titles are outside English, with its volume on its own: the writer and the
    // work. A series in title case ("Storm Front - The Dresden Files - Book 1") keeps the lead a title.
    // "Hella Haasse - Het woud der verwachting Deel 2": the volume glued to the work's name the same.
    const writerBeforeWork = before.length === 1 && nameScore(lead) === 1 && nameScore(marked.text) < 1 && SENTENCE_CASE_WORD().test(marked.text);
    // "Gustave Flaubert - Madame Bovary Tome 2", "Theodor Fontane - Effi Briest Band 1", "Mika Waltari - Sinuhe der Ägypter
    // Band 1": a person's shape (a given name no list knows) before a work of a person's shape too, or named for its hero,
    // with its volume: the root's order is writer first, and a volume belongs to a work, not to a writer. A name for a set
    // of books ("Grave Peril - Dresden Files Book 3") or a surer person ("Killing Floor - Jack Reacher, Book 1") keeps
    // the lead a title.
    const writerBeforeNamedWork = before.length === 1 && nameScore(lead) === 1 && personShaped(lead) && personNamedWork(marked.text);
    // "Tolkien - The Hobbit - Book 1", "Grisham - The Firm - Book 1": one word before a work and its place standing on its
    // own is the writer by surname, as "Tolkien - The Hobbit" is (half weight unless the list knows the writer); a
    // world's compound ("Mistborn - The Final Empire - Book 1") or a word the work opens with is the series' name.
    const surnameBeforeWork = folderAuthor === undefined && before.length === 1 && marked.detached === true && (isOneNameWriter(lead) || (nameScore(lead) === 0 && LONE_WORD().test(lead.trim()) && !SERIES_COMPOUND().test(lead.trim()) && !opensWith(marked.text, lead)));
    if (surnameBeforeWork && !isOneNameWriter(lead)) out.authorDoubtful = lead.trim();
    const leadIsAuthor = folderAuthor !== undefined ? sameName(lead, folderAuthor) : surnameBeforeWork || writerBeforeWork || writerBeforeNamedWork || nameScore(lead) >= (before.length > 1 ? 1 : 2);
    if (before.length > 1 && leadIsAuthor) {
      author = lead;
      after = before.slice(1);
    } else if (before.length === 1 && !leadIsAuthor && !volumeOfWork && folderAuthor === undefined && marked.detached === true && seriesBeforeWork(lead, marked.text)) {
      // "Mistborn - The Final Empire - Book 1", "Dune - Dune Messiah - Book 2", "Stormlight Archive - The Way of Kings -
      // Book 1": a world's compound, a word the work opens with or a name for a set of books leads, so it is the series
      // whose place closes the name, and the work between them the title.
      author = "";
      after = [marked.text];
      marked = { ...marked, text: lead };
    } else if (before.length === 1 && !leadIsAuthor && !volumeOfWork) {
      // "村上春樹 - ノルウェイの森 上" is a volume of the work it names, so the piece before it is the writer.
      author = "";
      after = before;
    }
  }
  if (after.length > 1) {
    // "Series - Book 02 - 2007 - Title": a year among the pieces after the position.
    const year = after.find((p) => BARE_YEAR.test(p));
    if (year !== undefined) {
      out.year ??= year;
      after = after.filter((p) => p !== year);
    }
  }
  let series = marked.text;
  // "Ken Follett - Die Säulen der Erde Band 1 - Rufus Beck": a volume word glued to the work's name closes it as a
  // detached position does, so a surer person after it reads it.
  const closedWork = marked.detached === true || marked.kind === "keyword";
  // "Stephen King - The Dark Tower 1 - Frank Muller": a known reader after a bare place reads it the same.
  if (author && (closedWork || (after.length === 1 && isKnownReader(after[0]))) && after.length === 1 && nameScore(after[0]) >= 2 && nameScore(author) >= 1 && !sameName(after[0], author)) {
    // "Haruki Murakami - 1Q84 - Book 3 - Allison Hiroto": the name closed with its position; a person after it reads it.
    out.narrator ??= after[0];
    after = [];
  } else if (author && after.length === 2 && nameScore(after[1]) >= 2 && nameScore(after[0]) < 2 && (nameScore(author) >= 1 || !marked.text) && !sameName(after[1], author)) {
    // "Robert Jordan - 01 - The Eye of the World - Michael Kramer": a lone place with no series' name reads the same;
    // a writer by surname alone before it ("Jordan - WoT01 - Title - Reader") was read as the writer already.
    // "Timothy Zahn - Star Wars, Book 1 - Heir to the Empire - Marc Thompson": writer, series, title, then its reader.
    out.narrator ??= after[1];
    after = [after[0]];
  }
  if (!author && marked.text && (after.length === 2 || (after.length === 1 && folderAuthor === undefined)) && after.every((p) => nameScore(p) >= 2)) {
    // "Harry Potter and the Sorcerer's Stone, Book 1 - J.K. Rowling - Jim Dale": the writer, then the reader.
    // "Harry Potter und der Stein der Weisen - Band 1 - Rufus Beck": one person known for reading books aloud
    // (known-readers.ts) is the reader alone, as "Black Ops - R.C. Bray" is.
    if (after.length === 1 && isKnownReader(after[0])) out.narrator ??= after[0];
    else author = after[0];
    if (after.length === 2) out.narrator ??= after[1];
    after = [];
  } else if (!author && after.length >= 3 && nameScore(after[after.length - 2]) >= 2 && nameScore(after[after.length - 2]) > nameScore(after[0]) && (nameScore(after[after.length - 1]) >= 2 || (after.length === 3 && (nameScore(after[2]) >= 1 || isKnownReader(after[2]))))) {
    // "Harry Potter 1 - The Philosopher's Stone - J.K. Rowling - Stephen Fry": the title, then writer and reader.
    // "Expanse 1 - Leviathan Wakes - James S.A. Corey - Jefferson Mays": a title of a name's shape ("Leviathan Wakes")
    // before a surer person is still the title, and the name after that person its reader.
    author = after[after.length - 2];
    out.narrator ??= after[after.length - 1];
    after = after.slice(0, -2);
  } else if (!author && after.length > 0) {
    // "The Hunger Games #1 - Suzanne Collins": a trailing person is the author.
    const tail = after[after.length - 1];
    const tailScore = nameScore(tail);
    // "罪と罰 上巻 - ドストエフスキー": after a volume of the work it names, what follows is the writer.
    const workThenWriter = volumeOfWork && series !== "" && after.length === 1;
    // "Effi Briest Band 1 - Theodor Fontane": a work named for its hero, its volume, then a person's shape no given-name
    // list knows is the writer (a hero's work has no title of its own after it).
    const heroWorkThenWriter = after.length === 1 && tailScore === 1 && HERO_TITLES.has(series.trim().toLowerCase()) && personShaped(tail);
    // "Karl May/Winnetou Band 1 - Hans Paetsch": under the writer's folder another sure person closing the name reads it.
    const readerUnderWriter = after.length === 1 && tailScore >= 2 && folderAuthor !== undefined && !sameName(tail, folderAuthor) && !containsWords(tail, folderAuthor) && (nameScore(folderAuthor) >= 2 || isOneNameWriter(folderAuthor)) && !isPenNameOf(tail, folderAuthor);
    if (readerUnderWriter) {
      out.narrator ??= tail;
      after.pop();
    } else if (workThenWriter || heroWorkThenWriter || (tailScore >= 2 && (after.length > 1 || tailScore > nameScore(series)))) {
      author = tail;
      after.pop();
    }
  }
  let title = after[0] ?? "";
  // "Position - Title - Subtitle - anything after": a long name never glues its pieces into one title.
  if (after.length >= 2) out.subtitle = after[1];
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
    // "He Who Fights with Monsters: A LitRPG Adventure: He Who Fights with Monsters, Book 1": title, subtitle, then the
    // series after the last colon.
    const last = series.lastIndexOf(": ");
    if (last > 0) {
      out.subtitle ??= series.slice(0, last).trim();
      series = series.slice(last + 2);
    }
  }
  if (series) {
    out.series ??= series;
    if (marked.detached && title) out.seriesDetached = true;
    if (marked.detached && !title && marked.kind === "keyword") out.workVolume = true;
  }
  if (out.series !== undefined || marked.kind === "keyword" || marked.kind === "hash") out.series_num ??= marked.num;
  if (author) out.author = author;
  if (title) out.title = title;
}

// The given name five letters or more, or written with a letter beyond ASCII: "Eat, Pray - Love" stays a title.
// "Remarque, Erich Maria": a second given name the list knows may follow the first.
const REVERSED_ONE_NAME = lazyRegExp(() => /^(\p{Lu}\p{Ll}{2,}(?:-\p{Lu}\p{Ll}+)?),\s+(\p{Lu}\p{Ll}{4,}|\p{Lu}\p{Ll}*[^\x00-\x7f]\p{Ll}*)(?:\s+(\p{Lu}\p{Ll}{2,}))?$/u);

function assignPair(a: string, b: string, folderAuthor: string | undefined, authorFirst: boolean, out: Resolved, folderSeries?: string, shelvedAsWriter?: (name: string) => Shelving): void {
  if (!authorFirst && SERIES_NOVEL.test(b)) {
    // "Killing Floor - A Jack Reacher Novel": what the book is, after its title; no one's name on either side.
    out.title = a;
    out.subtitle = b;
    return;
  }
  const scoreA = nameScore(a);
  const scoreB = nameScore(b);
  // "The Expanse - Leviathan Wakes", "The Witcher - Sword Destiny": an article and one noun, then two capitalised words
  // of which no given-name list knows the first, is a series and its book's title; a person's name after a title opens
  // with a given name ("The Road - Cormac McCarthy"), and a surer person ("Santino Fontana" is known) keeps it.
  // Under a writer's folder the same shape is a title and its reader ("Stephen King/The Outsider - Zeno Kalaris").
  if (!authorFirst && folderAuthor === undefined && scoreA < 0 && scoreB === 1 && ARTICLE_NOUN().test(a.trim()) && unknownPairName(b)) {
    out.series = a;
    out.title = b;
    out.titleDoubtful = true;
    return;
  }
  // "Great Expectations - Dickens", "Moby Dick - Melville": a writer known by one name (given-names.ts) after a title
  // of a person's shape no given name opens is the writer, as "Dickens - Great Expectations" reads; the title's shape
  // alone made it the writer and the writer the title.
  if (!authorFirst && folderAuthor === undefined && isOneNameWriter(b) && !isOneNameWriter(a) && scoreA === 1 && !GIVEN_NAMES.has(a.trim().split(SPACE_RUN)[0].toLowerCase()) && !SERIES_HEROES.has(a.trim().toLowerCase())) {
    out.author = b.trim();
    out.title = a;
    return;
  }
  // "Jane Eyre - Brontë", "Effi Briest - Fontane": a work known by its hero's name (hero-names.ts), then one word of a
  // surname's shape, is the work and its writer by surname (half weight unless the list knows the writer).
  if (!authorFirst && folderAuthor === undefined && HERO_TITLES.has(a.trim().toLowerCase()) && scoreB === 0 && loneSurname(b) && !HERO_TITLES.has(b.trim().toLowerCase())) {
    out.author = b.trim();
    out.authorDoubtful = b.trim();
    out.title = a;
    return;
  }
  // "Mistborn Trilogy - The Final Empire", "Die Tribute von Panem Saga - Flammender Zorn": a name closing (or opening)
  // with a word for a series of books (series-words.ts) before a title is that series.
  // Without the word, as "The Final Empire - Mistborn Trilogy" reads.
  if (!authorFirst && scoreB < 2 && isSeriesNamed(a) && !isSeriesNamed(b) && MEANINGFUL.test(b)) {
    out.series = stripSeriesSuffix(a);
    out.title = b;
    return;
  }
  // "Lee Child/Jack Reacher - Killing Floor": under a writer's folder, a series' hero (hero-names.ts) before a title that
  // is no surer person is the series the book belongs to, never the writer in the folder's place; at the root too
  // ("Percy Jackson - The Sea of Monsters"): a writer's name opens no title of theirs, and a hero's is no writer's.
  if (!authorFirst && (folderAuthor === undefined || !sameName(a, folderAuthor)) && scoreB < 2 && SERIES_HEROES.has(a.trim().toLowerCase()) && !SERIES_HEROES.has(b.trim().toLowerCase()) && MEANINGFUL.test(b)) {
    out.series = a;
    out.title = b;
    return;
  }
  // "Harry Potter - Jim Dale": a series' hero, then a person, names the series and who made the book, never a writer
  // "Harry Potter": a known reader (known-readers.ts) reads it, so does anyone under a writer's folder; any other person
  // at the root wrote it ("Harry Potter - J.K. Rowling"). No title but the hero's is named, so that is the title.
  // "Harry Potter 1 - Jim Dale": the same with the book's place in the series.
  const heroPlace = authorFirst ? null : HERO_PLACE().exec(a.trim());
  const hero = heroPlace === null ? a.trim() : heroPlace[1];
  if (!authorFirst && SERIES_HEROES.has(hero.toLowerCase()) && (scoreB >= 2 || isKnownReader(b) || personShaped(b)) && !SERIES_HEROES.has(b.trim().toLowerCase())) {
    out.series = hero;
    out.title = a.trim();
    out.heroSeries = true;
    if (heroPlace !== null) out.series_num = String(Number(heroPlace[2]));
    const underWriter = folderAuthor !== undefined && !sameName(a, folderAuthor) && !containsWords(b, folderAuthor);
    if (isKnownReader(b) || underWriter) out.narrator ??= b;
    else out.author = b;
    return;
  }
  // "The Lightning Thief - Percy Jackson": the same after the title, at the root (under a writer's folder, below).
  if (!authorFirst && folderAuthor === undefined && scoreA < 2 && SERIES_HEROES.has(b.trim().toLowerCase()) && !SERIES_HEROES.has(a.trim().toLowerCase()) && MEANINGFUL.test(a)) {
    out.series = b;
    out.title = a;
    return;
  }
  // "Dune - Dune Messiah", "Foundation - Foundation and Empire": a name the title after it opens with is the series the
  // book belongs to, no writer (a writer's name opens no title of theirs).
  if (!authorFirst && folderAuthor === undefined && scoreA < 2 && scoreB < 2 && !isOneNameWriter(a) && opensWith(b, a)) {
    out.series = a;
    out.title = b;
    return;
  }
  // "Mistborn - The Final Empire", "Discworld - Guards! Guards!", "Foundation - The Psychohistorians": one word that no
  // list knows as a writer's, before a title, at the library's root. A compound closing with a setting's noun
  // (-born, -world, -light, -lance) or a noun's ending no surname has (-tion, -ness) names a series; any other lone word
  // ("Koontz", "Sanderson", "Dune") may be a surname and stays the writer, claimed with less weight.
  if (!authorFirst && folderAuthor === undefined && scoreA === 0 && scoreB < 1 && LONE_WORD().test(a.trim()) && !isOneNameWriter(a) && MEANINGFUL.test(b)) {
    // A lone word after it may be the sub-series' or hero's name ("Terry Pratchett/Discworld - Rincewind/"), read after.
    if (SERIES_COMPOUND().test(a.trim()) && !LONE_WORD().test(b.trim())) {
      out.series = a;
      out.title = b;
      return;
    }
    out.authorDoubtful = a.trim();
  }
  // "Expanse - Leviathan Wakes": a lone word, then two capitalised words no given-name list opens or closes, at the
  // root. Writer first is the root's usual order and nothing on the right says a person: the lone word is the writer
  // ("Koontz - Lightning Strikes") or the series, the pair the title; writer and title both claimed with half weight,
  // so a tag or Open Library wins. A given name on the right keeps it the writer ("Watchers - Dean Koontz").
  // A pair of a person's shape ("Oorlog - Hella Haasse", "Tirza - Arnon Grunberg") is the writer after the title, as
  // "Watchers - Dean Koontz" is: a title then its writer is the root's other usual order.
  if (!authorFirst && folderAuthor === undefined && scoreA === 0 && scoreB === 1 && LONE_WORD().test(a.trim()) && !isOneNameWriter(a) && unknownPairName(b) && !personShaped(b) && !GIVEN_NAMES.has(b.trim().split(SPACE_RUN)[1].toLowerCase())) {
    if (SERIES_COMPOUND().test(a.trim())) out.series = a;
    else {
      out.author = a.trim();
      out.authorDoubtful = a.trim();
    }
    out.title = b;
    out.titleDoubtful = true;
    return;
  }
  // "The Dresden Files - Storm Front", "Stormlight Archive - The Way of Kings": a name closing with a word for a set of
  // books (files, archive, chronicles...; series-words.ts's trilogy, saga, cycle are read after, seriesPiece) is the series the title after it belongs to, never its writer, and the
  // title of a person's shape after it is no writer either.
  // Only where a person would be read: two names that are surely no one's ("The Stormlight Archive - The Way of Kings")
  // stay one title as before.
  const setA = scoreA < 2 && SET_NOUN_END().test(a.trim());
  const setB = scoreB < 2 && SET_NOUN_END().test(b.trim());
  if (!authorFirst && setA !== setB && (scoreA >= 0 || scoreB >= 0) && (setA ? scoreB < 2 && !isOneNameWriter(b) && MEANINGFUL.test(b) : scoreA < 2 && !isOneNameWriter(a) && MEANINGFUL.test(a))) {
    // "Storm Front - The Dresden Files": the same after the title.
    out.series = setA ? a : b;
    out.title = setA ? b : a;
    return;
  }
  // "Čapek, Karel - Válka s mloky", "Sienkiewicz, Henryk - Quo vadis": one surname, a comma, one given name, then the
  // book: catalogues' reversed order marks a person whatever the given name, which no list need know.
  const reversed = !authorFirst && scoreA < 1 && scoreB < 1 && a.includes(",") ? REVERSED_ONE_NAME().exec(a.trim()) : null;
  const given = reversed === null ? "" : reversed[3] === undefined ? reversed[2] : `${reversed[2]} ${reversed[3]}`;
  const secondKnown = reversed?.[3] === undefined || GIVEN_NAMES.has(reversed[3].toLowerCase());
  if (reversed !== null && secondKnown && !isTitleWord(reversed[1]) && !isTitleWord(reversed[2]) && MEANINGFUL.test(b) && (folderAuthor === undefined || sameName(`${given} ${reversed[1]}`, folderAuthor))) {
    out.author = `${given} ${reversed[1]}`;
    out.title = b;
    return;
  }
  // "Pratchett & Gaiman - Good Omens": two surnames joined, then a piece that reads as no person, are the writers,
  // never a title like "Romeo & Juliet" (a known given name or a title word on either side keeps it a title). Under
  // a writer's folder naming one of the two, the folder's full name is the writer.
  const pair = !authorFirst && scoreB < 2 ? surnamePair(a) : null;
  if (pair !== null) {
    const folderSurname = folderAuthor?.trim().split(SPACE_RUN).pop()?.toLowerCase();
    if (folderAuthor !== undefined && pair.some((s) => s.toLowerCase() === folderSurname)) {
      out.title = b;
      return;
    }
    // At the root the shape alone decides only when the second piece reads as a title of its own: two or more
    // words, capitalised ("Good Omens", "The Relic"), not one word a tag or a note may be ("Annotated").
    if (folderAuthor === undefined && (TITLE_PIECE().test(b.trim()) || oneWordTitle(b, a, pair) || (shelvedAsWriter !== undefined && shelvedAsWriter(a) > 0))) {
      out.author = a;
      out.title = b;
      return;
    }
  }
  // "Good Omens - Pratchett & Gaiman": the same two surnames after a title that reads as no one's full name.
  const pairAfter = !authorFirst && pair === null && scoreA < 2 ? surnamePair(b) : null;
  if (pairAfter !== null) {
    const folderSurname = folderAuthor?.trim().split(SPACE_RUN).pop()?.toLowerCase();
    // "Relic - Preston & Child": a one-word title as the pair-first form reads it; under a folder naming one of the
    // two, any title ("Lincoln Child/Relic - Preston & Child").
    const folderNamesOne = folderAuthor !== undefined && pairAfter.some((s) => s.toLowerCase() === folderSurname);
    if ((folderAuthor === undefined && (TITLE_PIECE().test(a.trim()) || oneWordTitle(a, b, pairAfter))) || (folderNamesOne && MEANINGFUL.test(a))) {
      if (folderAuthor === undefined) out.author = b;
      out.title = a;
      return;
    }
  }
  if (folderSeries !== undefined && !authorFirst && sameName(a, folderSeries)) {
    // "Mistborn/Mistborn - The Well of Ascension": the series folder's name, then the title.
    out.title = b;
    return;
  }
  if (folderAuthor !== undefined && !authorFirst) {
    // "Mark Twain/Twain - Tom Sawyer", "Mark Twain/Tom Sawyer - Twain": the folder's writer by surname alone; the
    // folder's full name stays the writer.
    if (isFolderSurname(a, folderAuthor) !== isFolderSurname(b, folderAuthor)) {
      out.title = isFolderSurname(a, folderAuthor) ? b : a;
      return;
    }
    if (sameName(a, folderAuthor) && scoreB >= 2 && scoreA < scoreB && !containsWords(b, folderAuthor)) {
      // "Project Hail Mary/Project Hail Mary - Andy Weir.mp3": the folder names the book, a surer person after it
      // wrote it; the folder was only a guess at a writer's.
      out.author = b;
      out.title = a;
    } else if (scoreA === 2 && !containsWords(a, folderAuthor) && !LIST_JOIN.test(a) && (isKnownReader(b) || personShaped(b)) && !containsWords(b, folderAuthor) && (nameScore(folderAuthor) >= 2 || isOneNameWriter(folderAuthor))) {
      // "Stephen King/Billy Summers - Zeno Kalaris": under the writer's folder, a person's shape then another person is a
      // book named for its hero and its reader: a co-writer is shelved with the folder's writer ("Stephen King & Owen
      // King - Sleeping Beauties") and a pen name before a title ("Richard Bachman - Thinner"); half weight, as a tag wins.
      out.title = a;
      out.narrator ??= b;
      out.titleDoubtful = true;
      if (!isKnownReader(b)) out.narratorDoubtful = true;
    } else if (readerBeforeTitle(a, b, scoreA, scoreB, folderAuthor)) {
      // "Douglas Adams/Stephen Fry - The Hitchhiker's Guide to the Galaxy", "Douglas Adams/Stephen Fry - Dirk Gently":
      // under the writer's folder another person before the title is its reader, as after the title ("Title - Reader")
      // it is; a pen name of the folder's writer ("Stephen King/Richard Bachman - Thinner") and a co-writer joined to
      // the folder's name are kept out. Half weight unless a list knows the reader: a co-writer may stand there too.
      out.title = b.trim();
      out.narrator ??= a.trim();
      if (!isKnownReader(a)) out.narratorDoubtful = true;
      if (SERIES_HEROES.has(b.trim().toLowerCase())) {
        out.series ??= b.trim();
        out.heroSeries = true;
      }
    } else if (sameName(a, folderAuthor) || (scoreA >= 2 && scoreA > scoreB)) {
      out.author = a;
      out.title = b;
    } else if (sameName(b, folderAuthor)) {
      out.author = b;
      out.title = a;
    } else if (SERIES_HEROES.has(b.trim().toLowerCase()) && scoreA < 2 && MEANINGFUL.test(a)) {
      // "Lee Child/Killing Floor - Jack Reacher": a series' hero after the title is its series, no reader.
      out.title = a;
      out.series ??= b;
    } else if (scoreB >= 2 && scoreB > scoreA) {
      // "J.K. Rowling/Harry Potter and the Philosopher's Stone - Jim Dale": under a person's folder, another
      // person after the title is its reader; "Stephen King/The Talisman - Stephen King & Peter Straub" names
      // the folder's writer among its authors.
      out.title = a;
      if ((nameScore(folderAuthor) >= 2 || isOneNameWriter(folderAuthor)) && !containsWords(b, folderAuthor)) out.narrator ??= b;
      else out.author = b;
    } else if (scoreA < 0 && scoreB >= 1 && isNameSized(b) && nameScore(folderAuthor) >= 2 && !containsWords(b, folderAuthor)) {
      // "Stephen King/The Institute - Santino Fontana": a name no list knows, after a title that is surely no person,
      // under a folder that names the writer: the folder has the writer, so the person is the reader.
      out.title = a;
      out.narrator ??= b;
    } else if (((scoreA === 0 && LONE_WORD().test(a.trim())) || (scoreA === 1 && !isOneNameWriter(a))) && personShaped(b) && (nameScore(folderAuthor) >= 2 || isOneNameWriter(folderAuthor)) && !containsWords(b, folderAuthor)) {
      // "Stephen King/Misery - Zeno Kalaris", "Stephen King/Pet Sematary - Zeno Kalaris": a title (one word, or words of
      // a name's shape no known given name opens), then a person's shape, under the writer's folder is the title and its
      // reader, the title first as under a writer's folder it is; "Jim Butcher/Dresden - Storm Front" (a hero's surname,
      // then the title) looks the same, so both are claimed with half weight and a tag's reading wins.
      out.title = a;
      out.narrator ??= b;
      out.titleDoubtful = true;
      out.narratorDoubtful = true;
    } else {
      // "Yuval Noah Harari/Sapiens - A Brief History of Humankind": the author is known, so a descriptive
      // second part (three or more words, or led by an article) is the subtitle; "Star Wars - Thrawn" stays whole.
      // "Brandon Sanderson/The Final Empire - Mistborn 1": a name and a small number after the title are its series.
      const closing = scoreA < 2 ? bareSeriesPosition(b) : null;
      if (closing !== null) {
        out.title = a;
        out.series ??= closing.series;
        out.series_num ??= closing.num;
      } else if (SUBTITLE_SHAPE.test(b)) {
        out.title = a;
        out.subtitle = b;
      } else {
        out.title = `${a} - ${b}`;
      }
    }
    return;
  }
  // "The Stand - Grisham", "Het Diner - Pietersen", "Le Petit Prince - Saint-Exupéry": a title opening with an article,
  // then one capitalised word no list knows, at the root, is the book and its writer shelved by surname, as "Dune -
  // Herbert" is for the surnames listed; claimed with half weight, since a lone word may also be a series' or a note's
  // ("The Final Empire - Mistborn", "The Hobbit - Annotated" are kept out).
  // A part in brackets goes with the title on either side ("Der Schwarm - Schätzing (Teil 2)", "Der Schwarm (Teil 2) - Schätzing").
  const bPart = b.endsWith(")") ? BRACKETED_PART_END().exec(b) : null;
  const surnameB = bPart === null ? b : b.slice(0, bPart.index);
  if (!authorFirst && folderAuthor === undefined && nameScore(surnameB) === 0 && loneSurname(surnameB) && articleTitle(a) && nameScore(withoutBracketedPart(a)) < 0) {
    out.author = surnameB.trim();
    out.authorDoubtful = surnameB.trim();
    out.title = bPart === null ? a : `${a.trim()} ${bPart[0].trim()}`;
    return;
  }
  if (!authorFirst && scoreA < 1 && scoreB < 0 && !isOneNameWriter(a) && ARTICLE_SUBTITLE.test(b)) {
    // "Sapiens - A Brief History of Humankind", "Outliers - The Story of Success" (Audible's "Title: Subtitle" with the
    // colon written as a dash): a name that is no person, then an article leading a description, is a title and its
    // subtitle ("King - The Dark Tower" keeps its writer).
    out.title = a;
    out.subtitle = b;
    return;
  }
  if (!authorFirst && scoreA < 0 && scoreB <= 0) {
    // "Star Wars - Thrawn": neither side is a person, so keep both as the title.
    out.title = `${a} - ${b}`;
    return;
  }
  // "白夜行 - 东野圭吾" stays as written: a short title may start with a family name, so only a title's grammar ("ノルウェイの森") swaps.
  // "Steve Jobs - Walter Isaacson": two people's names tie; the one the library shelves as a writer (a writer's folder,
  // or the name its other books repeat: "Einstein - Walter Isaacson" beside it) is the writer.
  // Books repeating a name outweigh its shape ("Alexander Hamilton - Ron Chernow" beside "Grant - Ron Chernow"); one
  // top folder only breaks a tie (a series' folder "Jack Reacher" may stand there too).
  // Repeated by other books, a name less person-like than the other is a title the copies share ("Project Hail Mary
  // (2021) - Andy Weir" beside "Andy Weir - Project Hail Mary"), no writer.
  const repeatedA = !authorFirst && shelvedAsWriter !== undefined && scoreB >= 1 && scoreA >= 1 ? shelvedAsWriter(a) : 0;
  const shelfA = repeatedA === 2 && scoreA < scoreB ? 0 : repeatedA;
  const shelfB = shelfA === 0 && !authorFirst && shelvedAsWriter !== undefined && scoreB >= 1 && scoreA >= 1 ? shelvedAsWriter(b) : 0;
  // Only a name at least as person-like as the other: "Terry Pratchett and Neil Gaiman - Good Omens" beside two other
  // copies of "Good Omens" repeats a title, no writer.
  const shelved = shelfA === 0 && ((shelfB === 2 && scoreB >= scoreA) || (shelfB === 1 && scoreB === scoreA));
  // "Moby Dick - Herman Melville" scored two names alike: a name read surname first loses to one written given name first,
  // the order nearly every folder writes a writer in.
  // Not in Cyrillic, where trackers write every writer surname first ("Гоголь Николай - Тарас Бульба").
  const surnameFirstTie = scoreA === 2 && scoreB === 2 && isSurnameFirst(a) && !isSurnameFirst(b) && !CYRILLIC_LETTER().test(a);
  // "Kinderen van de Rijn - Marga Minco": a name of a person's shape only by a particle between its words ("van de",
  // as Dutch titles join theirs) loses a tie to one a known given name opens.
  const givenFirstTie = scoreA === 2 && scoreB === 2 && particleOnly(a) && !particleOnly(b) && GIVEN_NAMES.has(b.trim().split(SPACE_RUN)[0].toLowerCase());
  // "Hayy ibn Yaqzan - Ibn Tufail", "Kitab al-Hayawan - Al-Jahiz": a name opening with "Ibn", "Abu" or a capitalised
  // "Al-" is a person's (Arabic names in Latin letters); the same particle inside the other piece, lower case, is a
  // hero's name or a title's words.
  const nasabLast = !authorFirst && scoreA < 3 && NASAB_LED().test(b.trim()) && !NASAB_LED().test(a.trim());
  const nasabFirst = !authorFirst && scoreB < 3 && NASAB_LED().test(a.trim()) && !NASAB_LED().test(b.trim());
  const swap = shelved || nasabLast || (!nasabFirst && shelfA === 0 && !authorFirst && ((scoreB >= 1 && scoreB > scoreA) || surnameFirstTie || givenFirstTie || givenLastTie(a, b, scoreA, scoreB)) && !(scoreA >= 1 && scoreB < 3 && hasCjk(a)));
  out.author = swap ? b : a;
  out.title = swap ? a : b;
}

// An article, then a description's noun within four words: "A Brief History of ...", "The Story of ...", "A Novel".
const FAMILY_WORDS: ReadonlySet<string> = new Set(["brüder", "gebrüder", "brothers", "frères", "freres", "hermanos", "fratelli", "broers", "bröderna", "братья", "сестры", "sisters", "schwestern", "sœurs"]);
const ARTICLE_SUBTITLE = /^(?:a|an|the)\s+(?:\S+\s+){0,3}(?:history|histories|story|stories|guide|life|science|memoir|biography|introduction|journey|art|handbook|tale|novel|study|portrait|account|search|quest)\b/iu;

/** Three words or more, no known given name or initial opening them, a lower-case particle inside: "Kinderen van de Rijn". */
/** Under `folderAuthor`'s folder, "Reader - Title": a surely named person who is not the writer, then no person (or a hero). */
function readerBeforeTitle(a: string, b: string, scoreA: number, scoreB: number, folderAuthor: string): boolean {
  if (scoreA < 2 || LIST_JOIN.test(a) || containsWords(a, folderAuthor) || isPenNameOf(a, folderAuthor)) return false;
  if (!(nameScore(folderAuthor) >= 2 || isOneNameWriter(folderAuthor))) return false;
  if (SERIES_HEROES.has(a.trim().toLowerCase()) || HERO_TITLES.has(a.trim().toLowerCase())) return false;
  const hero = SERIES_HEROES.has(b.trim().toLowerCase());
  return (hero || scoreB < 1) && MEANINGFUL.test(b) && !containsWords(b, folderAuthor);
}

/** "Madame Bovary", "Schloss Hubertus", "Sinuhe der Ägypter": a work named for its hero, or of a person's shape, and no set of books. */
function personNamedWork(text: string): boolean {
  const t = text.trim();
  if (HERO_TITLES.has(t.toLowerCase())) return true;
  return nameScore(t) === 1 && !SET_NOUN_END().test(t) && !isSeriesNamed(t) && !SERIES_HEROES.has(t.toLowerCase());
}

const PART_THEN_WORD = lazyRegExp(() => /^(.+\)):\s+(\S+)$/u);
const PART_WORD_ONLY = lazyRegExp(() => new RegExp(String.raw`^(?:${PART_WORDS})\.?$`, "iu"));
const BRACKETED_PART_END = lazyRegExp(() => new RegExp(String.raw`\s*\((?:${PART_WORDS})\.?\s*(?:${PART_NUMBER})(?:\s*(?:of|von|sur|de|di|\/)\s*\d{1,3})?\)$`, "iu"));

/** "The Stand", "Het Diner", "Il nome della rosa": two or more words, an article first (a part in brackets may close it). */
function withoutBracketedPart(text: string): string {
  return text.endsWith(")") ? text.replace(BRACKETED_PART_END(), "") : text;
}

function articleTitle(text: string): boolean {
  const words = withoutBracketedPart(text).trim().split(SPACE_RUN);
  return words.length >= 2 && ARTICLE_ONLY.test(words[0]) && !ARTICLE_ONLY.test(words[1]) && !words.some((w) => DIGIT.test(w));
}

/** "Grisham", "McCarthy", "Saint-Exupéry": one capitalised word shaped as a surname, no series' compound, set, note or title word. */
function loneSurname(text: string): boolean {
  const w = text.trim();
  return (
    LONE_SURNAME().test(w) &&
    !SERIES_COMPOUND().test(w) &&
    !SET_NOUN_END().test(w) &&
    !isSeriesNamed(w) &&
    !isTitleWord(w) &&
    !NOTE_WORDS.has(w.toLowerCase()) &&
    !NUMBER_WORDS.has(w.toLowerCase()) &&
    !ARTICLE_ONLY.test(w) &&
    !SERIES_HEROES.has(w.toLowerCase())
  );
}
const LONE_SURNAME = lazyRegExp(() => /^(?:Mc|Mac|O['’]|D['’])?\p{Lu}[\p{Ll}\p{M}'’]+(?:-\p{Lu}[\p{Ll}\p{M}'’]+)?$/u);

function particleOnly(text: string): boolean {
  const ws = text.trim().split(SPACE_RUN);
  return ws.length >= 3 && !GIVEN_NAMES.has(ws[0].toLowerCase()) && !ws[0].includes(".") && ws.slice(1, -1).some((w) => w === w.toLowerCase() && isNameParticle(w));
}

/** `word` is the surname closing the folder's name of two or more words ("Twain" under "Mark Twain"). */
function isFolderSurname(word: string, folderAuthor: string): boolean {
  const w = word.trim();
  if (w.length < 2 || SPACE_RUN.test(w)) return false;
  const words = folderAuthor.trim().split(SPACE_RUN);
  return words.length >= 2 && words[words.length - 1].toLowerCase() === w.toLowerCase() && nameScore(folderAuthor) >= 1;
}

/**
 * "Lucky Jim - Kingsley Amis": two names that score alike, the first closing with a given name no surname shares ("Jim",
 * after a word that opens no name) and the second not: the first is a title named for its hero, the second the writer.
 */
function givenLastTie(a: string, b: string, scoreA: number, scoreB: number): boolean {
  if (scoreA !== scoreB || scoreA < 1) return false;
  const wordsA = a.trim().split(SPACE_RUN);
  const wordsB = b.trim().split(SPACE_RUN);
  if (wordsA.length !== 2 || wordsB.length < 2) return false;
  const given = (w: string) => GIVEN_NAMES.has(w.toLowerCase());
  return given(wordsA[1]) && !given(wordsA[0]) && !given(wordsB[wordsB.length - 1]) && !isSurnameFirst(a);
}

// A surname ends in a letter: "Kinder- und Hausmärchen" is one elided title, no pair.
// "en" (Dutch), "и" (Russian) join two writers as "and" does ("Ильф и Петров").
const SURNAME_PAIR = lazyRegExp(() => /^(\p{Lu}[\p{Ll}\p{M}'’-]*[\p{Ll}\p{M}])\s+(?:&|and|und|et|y|en|и)\s+(\p{Lu}[\p{Ll}\p{M}'’-]+)$/u);
const SPACE_RUN = /\s+/u;
const TITLE_PIECE = lazyRegExp(() => /^\p{Lu}[\p{L}'’-]*(?:\s+[\p{L}\p{N}'’-]+)+$/u);
/**
 * "Preston & Child - Relic", "Sjöwall & Wahlöö - Roseanna": one capitalised word beside a surname pair is its title
 * when the pair is written with "&" (titles join their words with "and" more often: "North and South - Gaskell"),
 * neither surname is a plural ("Fathers & Sons - Turgenev", "Lords & Ladies"), and the word is no writer known by
 * one name ("Crime & Punishment - Dostoevsky"), no word ending as surnames do ("Jekyll & Hyde - Stevenson", "Gaskell -
 * North & South"), no given name, no title word and no note on the recording or the edition ("Pride & Prejudice -
 * Annotated").
 */
function oneWordTitle(word: string, pairText: string, pair: readonly [string, string]): boolean {
  const w = word.trim();
  return (
    pairText.includes("&") &&
    !pair.some((p) => PLURAL_END.test(p)) &&
    ONE_TITLE_WORD().test(w) &&
    !isOneNameWriter(w) &&
    !SURNAME_END.test(w) &&
    !surelyGiven(w) &&
    !isTitleWord(w) &&
    !NOTE_WORDS.has(w.toLowerCase()) &&
    !NUMBER_WORDS.has(w.toLowerCase())
  );
}
const PLURAL_END = /(?<!s)s$/iu;
const SURNAME_END = /(?:son|sen|ell|ton|ley|ford|worth|stein|berg|ski|sky|ov|ev|enko|ez)$/iu;
const ONE_TITLE_WORD = lazyRegExp(() => /^\p{Lu}[\p{Ll}\p{M}'’-]+$/u);
/** What a last piece says of the recording or the edition, never a title. */
const NOTE_WORDS: ReadonlySet<string> = new Set(
  `annotated illustrated abridged unabridged dramatized dramatised dramatization dramatisation revised expanded updated
  prologue epilogue foreword afterword preface interlude finale coda overture credits
  remastered extended excerpt excerpts sample sampler summary complete uncut original deluxe special retold adapted
  condensed bilingual simplified commentary notes analysis workbook introduction preview trailer bonus extras
  appendix interview interviews unedited uncensored restored reissue rerelease translated translation`.split(/\s+/u).filter(Boolean),
);

/** "Pratchett & Gaiman": two capitalised words joined that neither open a person's name nor are title words. */
function surnamePair(text: string): [string, string] | null {
  const m = SURNAME_PAIR().exec(text.trim());
  if (m === null) return null;
  const words: [string, string] = [m[1], m[2]];
  return words.some((w) => surelyGiven(w) || isTitleWord(w) || NUMBER_WORDS.has(w.toLowerCase())) ? null : words;
}

function assignTriple(a: string, b: string, c: string, out: Resolved, folderAuthor?: string, shelved?: (name: string) => Shelving): void {
  const scoreC = nameScore(c);
  const scoreB = nameScore(b);
  const scoreA = nameScore(a);
  if (scoreA >= 1 && scoreB < 1 && scoreC === 1 && (folderAuthor === undefined || sameName(a, folderAuthor)) && shelved !== undefined && shelved(c) === 2) {
    // "Tomi Adeyemi - Children of Blood and Bone - Bahni Turpin" beside "Tomi Adeyemi - Children of Virtue and Vengeance
    // - Bahni Turpin": a name of a person's shape (no given name shelfwise knows) that other books' names close with is
    // the reader they share; one book's own title never closes another's name.
    out.author = a;
    out.title = b;
    out.narrator ??= c;
    return;
  }
  if (scoreA < 1 && scoreB < 1 && scoreC >= 2) {
    // "Discworld - Mort - Terry Pratchett", "Sapiens - A Brief History of Humankind - Yuval Noah Harari": a
    // person closing the name is no title. Nothing before names anyone, so it is the writer, unless the folder
    // above names another writer: then the reader. (A writer known by one name scores as a person: "Homer".)
    if (folderAuthor === undefined || sameName(c, folderAuthor)) out.author = c;
    else {
      out.author = folderAuthor;
      out.narrator ??= c;
    }
    if (SUBTITLE_TAIL.test(b) || NUMBER_TITLE.test(a)) {
      out.title = a;
      out.subtitle = b;
    } else {
      out.series ??= a;
      out.title = b;
    }
    return;
  }
  if ((scoreA < 1 && scoreB >= 2 && scoreC >= 1) || (scoreB >= 2 && scoreC >= 2 && scoreA >= 0 && scoreA < scoreB && !isOneNameWriter(a))) {
    // "Project Hail Mary - Andy Weir - Ray Porter": a title shaped like a name ("First Last") before two surer people.
    // "The Shining - Stephen King - Campbell Scott": the title, its writer, its reader.
    out.title = a;
    out.author = b;
    out.narrator ??= c;
    return;
  }
  if (nameScore(a) >= 1 && scoreC >= 2 && nameScore(b) < scoreC) {
    // "Stephen King - The Stand - Grover Gardner": a trailing name is the reader.
    out.author = a;
    out.title = b;
    out.narrator ??= c;
    return;
  }
  if (scoreA >= 2 && scoreB < 0 && scoreC === 1 && (folderAuthor === undefined || sameName(a, folderAuthor)) && trailingReader(b, c)) {
    // "Ernest Cline - Ready Player One - Wil Wheaton": after a sure writer, a title of several words that names no set of
    // books, then two or three capitalised words of a person's shape (no given-name list need know "Wil") read it; a
    // series and its book are named so only when the middle is one ("Mistborn"), an article's noun ("The Expanse") or a
    // set's name ("The Dresden Files").
    out.author = a;
    out.title = b;
    out.narrator ??= c;
    return;
  }
  const noWriter = !isOneNameWriter(a) && (folderAuthor !== undefined ? scoreA < 1 && !sameName(a, folderAuthor) : scoreA < 0) && scoreB < 1 && scoreC < 1;
  if (noWriter) {
    // "Star Wars - Thrawn - Alliances", "Steven Levy/Hackers - Heroes of the Computer Revolution - ...": no piece names
    // a person, and the first is no writer (a title's words, or not the folder's writer): the name's own words.
    if (SUBTITLE_TAIL.test(b) || SUBTITLE_SHAPE.test(b) || NUMBER_TITLE.test(a)) {
      out.title = a;
      out.subtitle = `${b} - ${c}`;
    } else {
      out.series ??= a;
      out.title = b;
      out.subtitle = c;
    }
    return;
  }
  out.author = a;
  // "Jordan B. Peterson - 12 Rules for Life - An Antidote to Chaos": a number opening three or more words is a title's
  // ("The 48 Laws of Power", "7 Habits of ..."); series open with their words ("The 39 Clues").
  if (SUBTITLE_TAIL.test(c) || NUMBER_TITLE.test(b) || NUMBER_LED_WORDS.test(b)) {
    // "Daniel C. Dennett - Kinds of Minds - Toward an Understanding of Consciousness",
    // "Brandon Sanderson - Arcanum Unbounded - The Cosmere Collection": the last part explains the one before.
    out.title = b;
    out.subtitle = c;
    return;
  }
  if (scoreA >= 2 && isKnownReader(b) && !isKnownReader(a) && scoreC < 2 && !SERIES_HEROES.has(b.trim().toLowerCase())) {
    // "Stephen King - Frank Muller - The Stand": a person the list knows as a reader between the writer and the title
    // reads it, never a series of that name.
    out.narrator ??= b;
    out.title = c;
    return;
  }
  out.series ??= b;
  out.title = c;
  // "William Gibson - Neuromancer - Robertson Dean", "Andy Weir - Artemis - Rosario Dawson": one word, then a person's
  // shape no given-name list opens, after a sure writer is as often a title and its reader as a series and its book;
  // the title is claimed with less weight, so a tag's or a sidecar's wins.
  if (scoreA >= 2 && LONE_WORD().test(b.trim()) && scoreC === 1 && unknownPairName(c) && !words(c).some((w) => isTitleWord(w))) out.titleDoubtful = true;
}
const words = (text: string): string[] => text.trim().split(SPACE_RUN);

/**
 * A reader's name after a title that reads as no series' name: "Ready Player One - Wil Wheaton", "Children of Blood
 * and Bone - Bahni Turpin" (a middle joined by lower-case words, as "Sword of Truth" is, before a person's shape).
 */
function trailingReader(title: string, person: string): boolean {
  const t = title.trim();
  const words = person.trim().split(SPACE_RUN);
  // A series' name is joined by lower-case words as often as a title is; after one, only a person's shape with none
  // of a title's marks reads ("Children of Blood and Bone - Bahni Turpin", no "Sword of Truth - Wizards First Rule").
  return words.length >= 2 && words.length <= 3 && SPACE_RUN.test(t) && (!LOWER_WORD().test(t) || personShaped(person)) && !ARTICLE_NOUN().test(t) && !SET_NOUN_END().test(t) && !isSeriesNamed(t) && !SUBTITLE_TAIL.test(person) && !HERO_TITLES.has(person.trim().toLowerCase()) && !words.some((w) => isTitleWord(w));
}

/** How subtitles open or close, and series-then-title names ("The Dresden Files - Storm Front") never do. */
const SUBTITLE_TAIL =
  /^an?\s+(?:[\p{L}'’-]+\s+){1,4}(?:novel|novella|thriller|mystery)$|^(?:(?:how|why|toward|towards|inside|beyond)\s|an?\s+(?:brief|short|new|natural|cultural|social|political|personal|practical|illustrated|definitive|history|biography|memoir|novel|guide|journey|study|portrait|handbook|manifesto|meditation)\s|the\s+(?:story|history|life|lives|art|science|birth|rise|fall|making|secret|secrets|truth|untold|true|inside|definitive|complete|collected|essential|ultimate|official|universal|hidden)\s)|\b(?:collection|anthology|omnibus|companion|a\s+novel|a\s+memoir|a\s+history|a\s+biography)$/iu;
/** "A Jack Reacher Novel", "A Mistborn Novel", "An Inspector Rebus Mystery": the kind of book and the series it belongs to. */
const SERIES_NOVEL = /^an?\s+(?:[\p{L}'’-]+\s+){1,4}(?:novel|novella|thriller|mystery)$/iu;
const NOVEL_BRACKET_END = /\s*\((an?\s+(?:[\p{L}'’-]+\s+){1,4}(?:novel|novella|thriller|mystery))\)$/iu;
const NOVEL_HINT = /(?:novel|novella|thriller|mystery)\)$/iu;

/**
 * "Alexandre Dumas - Les Trois Mousquetaires - T1", "Les Trois Mousquetaires/T2 - Vingt ans après": French libraries
 * abbreviate "Tome" to its capital, as the last dashed piece, a whole name, or leading a name below a series' folder;
 * read as the word ("Title T1" glued to the title already is, series-marker.ts). A middle piece ("Marvel - T2 -
 * Judgment Day") is a title's.
 */
function withTomeLetter(name: string, underFolder: boolean): string {
  if (!TOME_LETTER_HINT.test(name)) return name;
  const closing = name.replace(TOME_LETTER_LAST(), "$1Tome $2");
  return underFolder ? closing.replace(TOME_LETTER_LEAD(), "Tome $1") : closing;
}
const TOME_LETTER_HINT = /T\.?\s?\d/u;
const TOME_LETTER_LAST = lazyRegExp(() => /(^|\s[-–—]+\s+)T\.?\s?(\d{1,3})$/u);
const TOME_LETTER_LEAD = lazyRegExp(() => /^T\.?\s?(\d{1,3})(?=\s+[-–—]+\s)/u);

/** "Killing Floor (A Jack Reacher Novel)": the bracket is a subtitle, as "Killing Floor: A Jack Reacher Novel" is. */
function withNovelSubtitle(name: string): string {
  if (!NOVEL_HINT.test(name)) return name;
  const m = NOVEL_BRACKET_END.exec(name);
  return m === null || m.index === 0 ? name : `${name.slice(0, m.index)}: ${m[1]}`;
}

const NUMBER_LED_WORDS = /^(?:the\s+)?\d{1,4}\S*\s+\S+\s+\S/iu;
/** "2034", "17 Carnations", "1776": a title that is (or opens with) a number is never a series name. */
const NUMBER_TITLE = /^\d{1,4}(?:\s+\p{Lu}\S*)?$/u;

/**
 * `volumeOfWork`: the name carried a Chinese, Japanese or Korean volume marker ("第一卷", "上巻"), which
 * numbers the volumes of one work rather than the books of a series.
 */
function resolve(book: BookReading, parents: string[], volumeOfWork: boolean, context: ReadContext): Resolved {
  const folders = readFolders(parents, book, volumeOfWork, context.folderIsSeries === true);
  // "Torrents 2024/Stieg Larsson - The Girl with the Dragon Tattoo": a folder that cannot be a person names no writer
  // to read the book's own name against; the person the name opens with is its writer.
  // "Fiction/Literary/Colson Whitehead - The Underground Railroad", "Nonfiction/Sports/Jeff Benedict and Armen Keteyian -
  // The System": one word no list knows as a writer, right under a genre's folder, is a narrower genre as often; the
  // person the book's own name opens with is its writer. The folder still names the writer when the name has none.
  // Only a name that opens with the person: "Fantasy/Grisham/The Firm - Scott Brick" keeps its writer, and its reader.
  const subGenre =
    context.underGenre === true && parents.length === 1 && folders.author !== undefined && nameScore(folders.author) === 0 && !isOneNameWriter(folders.author) && book.parts.length >= 2 && book.parts[0].text !== "" && nameScore(book.parts[0].text) >= 1;
  const folderWriter = folders.author !== undefined && ((nameScore(folders.author) < 0 && !isOneNameWriter(folders.author)) || subGenre) ? undefined : folders.author;
  const out = assign(book, folderWriter, folders.series, volumeOfWork, (name) => shelvedAsWriter(name, context));
  if (out.author === undefined && folderWriter === undefined && out.title !== undefined && book.series !== undefined && book.seriesNum !== undefined && book.parts.length === 1 && nameScore(out.title) >= 2) {
    // "Brandon Sanderson - [Mistborn 4.5]": a person and a bracketed series' position, no title: the person wrote it.
    out.author = out.title;
    out.title = undefined;
  }
  // "Travis Baldree - Legends & Lattes (2022) [Travis Baldree]": named again as the reader, the name before the title is
  // the writer reading his own book, as "Neil Gaiman - Norse Mythology [Neil Gaiman]" is.
  const readsOwn = out.author !== undefined && out.narrator !== undefined && sameName(out.author, out.narrator);
  if (out.author !== undefined && out.author !== folderWriter && out.title !== undefined && book.authorFirst !== true && !readsOwn && isKnownReader(out.author)) {
    // "Black Ops - R.C. Bray", "R.C. Bray - Black Ops": a person known for reading books aloud named beside the title
    // is its reader, as in brackets ("Black Ops (R.C. Bray)"); the folder above still names the writer.
    out.narrator ??= out.author;
    out.author = folderWriter;
  }
  if (out.title === undefined && out.series_num !== undefined && out.series !== undefined && out.series.includes(", ")) {
    // "The Final Empire, Mistborn Book 1", "..., Mistborn, Book 1": Audible's "Title: Series, Book 1" with a comma where
    // the colon could not stand. A series' name holds no comma before more words; a person before it ("King, Stephen")
    // is a writer.
    const m = TITLE_COMMA_SERIES().exec(out.series);
    if (m !== null && nameScore(m[1]) < 1 && !isOneNameWriter(m[1]) && nameScore(out.series) < 2) [out.title, out.series] = [m[1], m[2]];
  }
  const outerFolder =
    folders.series !== undefined &&
    (out.outerSeries?.some((o) => sameName(o, folders.series!)) === true ||
      // "Perry Rhodan/Perry Rhodan Neo #100 - Title": the book names a series of its own under the one its folder names.
      (context.folderIsSeries === true && out.series !== undefined && out.series.toLowerCase().startsWith(`${folders.series.toLowerCase()} `)));
  if (folders.series !== undefined && out.series !== undefined && !sameName(out.series, folders.series) && !outerFolder) {
    // A parent series folder outranks a series read from the book's own name:
    // "Farseer/Assassin's Apprentice - Volume 1" is a title and a position, not a series of its own.
    if (out.title === undefined) out.title = out.series;
    else if (out.seriesDetached && out.subtitle === undefined) {
      // Audiobookshelf's "Title - volume 9 - Subtitle" under its series folder.
      out.subtitle = out.title;
      out.title = out.series;
    }
    out.series = folders.series;
  }
  const ownAuthor = out.author !== undefined;
  if (!ownAuthor && folders.author !== undefined && out.title !== undefined && containsWords(out.title, folders.author)) {
    // "Harry Potter/Harry Potter and the Goblet of Fire", "Sherlock Holmes/The Adventures of Sherlock Holmes":
    // a folder whose name the title repeats is the series or character, not the writer.
    out.series ??= folders.series ?? folders.author;
    folders.author = undefined;
    folders.mayBeTitle = false;
  }
  if (!ownAuthor && folders.author !== undefined && folders.series === undefined && out.series !== undefined && sameName(out.series, folders.author)) {
    // "Doctor Who/Doctor Who - Season 2 - The Stone Rose": the book names the folder as its series, so the folder is that series.
    folders.author = undefined;
    folders.mayBeTitle = false;
  }
  out.author ??= folders.author;
  out.series ??= folders.series;
  if (folders.narrator !== undefined && out.narrator === undefined) {
    out.narrator = folders.narrator;
    if (folders.narratorDoubtful === true) out.narratorDoubtful = true;
  }
  // "Jack Reacher/01 - Killing Floor", "Harry Potter/03 - Title": a series hero's folder (hero-names.ts) over books it
  // numbers counts them in the hero's series; who the folder names stays the guess path-structure.ts weighs, the
  // position stays. A writer's folder ("Dean Koontz/01 - Watchers") may number only its own shelf, so it keeps none.
  const folderCounts = !ownAuthor && out.author !== undefined && out.author === folders.author && out.title !== undefined && SERIES_HEROES.has(out.author.toLowerCase());
  if (out.series_num === undefined && book.leadNum !== undefined && (out.series !== undefined || book.leadExplicit || folderCounts)) {
    out.series_num = book.leadNum;
    // "Harry Hole/03 - The Redbreast": a place needs the series it counts in, or the profile has nothing to put it
    // in; the hero's folder is that series, whoever it also guesses as the writer.
    if (folderCounts && out.series === undefined) out.series = out.author;
  }
  // "Tolstoy/Anna Karenina": a writer known by one name is the writer of what the folder holds; "Ron Chernow/Alexander
  // Hamilton" beside his other books: a folder of several books is a writer's, never one book's title folder.
  const folderIsWriter = folders.author !== undefined && (isOneNameWriter(folders.author) || context.sharedFolder);
  if (!ownAuthor && folders.mayBeTitle && !folderIsWriter && out.title && out.series_num === undefined && book.parts.length === 1) {
    const titleScore = nameScore(out.title);
    const folderScore = nameScore(folders.author ?? "");
    // Short Chinese, Japanese and Korean titles may start with a family name ("白夜行"): only a folder that cannot be a person gives way.
    // "Goscinny et Uderzo/Astérix le Gaulois", "Goscinny en Uderzo/Asterix de Galliër": two surnames joined are the
    // writers, unless the name below is surely a person's, opening with a given name the list knows or with initials
    // ("Romeo and Juliet/William Shakespeare", "Max und Moritz/Wilhelm Busch" still swap).
    // "Hänsel und Gretel/Brüder Grimm": a family's word leads a writers' name as a given name does.
    const lead = out.title.trim().split(SPACE_RUN)[0];
    const writersPair = titleScore < 3 && folders.author !== undefined && surnamePair(folders.author) !== null && !surelyGiven(lead) && !FAMILY_WORDS.has(lead.toLowerCase());
    if (titleScore >= 1 && titleScore > folderScore && !writersPair && !(folderScore >= 0 && titleScore < 3 && hasCjk(out.title))) {
      // "Shards of Earth/Adrian Tchaikovsky"
      const author = out.title;
      out.title = folders.author;
      out.author = author;
    }
  }
  if (book.parenName !== undefined) {
    // "Dean Koontz/Watchers (Stephen Fry)": a name in parentheses after the title, with the author known, is the reader.
    // "Black Ops (R.C. Bray)": with no writer named, the person is the writer ("Watchers (Dean Koontz)") unless known
    // for reading books aloud (known-readers.ts); "(by X)" names the writer whoever X is.
    if (out.author === undefined && book.parenNameBy !== true && out.title !== undefined && isKnownReader(book.parenName)) out.narrator ??= book.parenName;
    else if (out.author === undefined) out.author = book.parenName;
    // "Tolkien/The Hobbit (by J.R.R. Tolkien)": the book's own "(by X)" names its writer over the folder's guess, never a reader.
    else if (book.parenNameBy === true && !ownAuthor) out.author = book.parenName;
    else if (book.parenNameLast === true && !sameName(out.author, book.parenName)) out.narrator ??= book.parenName;
    // "Andy Weir (R.C. Bray) - The Martian", "Stephen King (Steven Weber) - It": a person in parentheses right after the
    // writer's name, before the dash, is the reader, as in square brackets there; a pen name of the writer is none.
    else if (book.parenNameAfter !== undefined && sameName(book.parenNameAfter, out.author) && !sameName(out.author, book.parenName) && !isPenNameOf(book.parenName, out.author)) out.narrator ??= book.parenName;
  }
  // "Brent Weeks - Die Licht-Saga 01 - Schwarzes Prisma (Bodo Primus)" (Libation#50): with the writer, a series and its
  // position named, a person's name in parentheses closing the title is the reader, whatever given names the lists know.
  const person = book.parenName === undefined ? book.parenPerson : undefined;
  if (person !== undefined && out.author !== undefined && out.series !== undefined && out.series_num !== undefined && out.narrator === undefined && out.title !== undefined && out.title.endsWith(`(${person})`) && !sameName(out.author, person)) {
    const bare = out.title.slice(0, -person.length - 2).trim();
    if (bare !== "") {
      out.title = bare;
      out.narrator = person;
    }
  }
  // "Stephen King/It/It - Part 1 of 2": one part of the book the folder names is no book of a series "It".
  // "girl_with_all_the_gifts/001-190 - The Girl with All the Gifts.mp3" (vavallee/bindery#2547): the same, its article
  // dropped by the folder's name.
  // "Suzanne Collins/The Hunger Games Trilogy/The Hunger Games": a folder named as a series of books (series-words.ts) is
  // that series, though its first book shares its name.
  if (out.series !== undefined && out.series_num === undefined && out.title !== undefined && (sameName(out.title, out.series) || sameName(out.title.replace(PART_IN_TITLE, ""), out.series) || sameName(out.title.replace(LEADING_ARTICLE, ""), out.series.replace(LEADING_ARTICLE, ""))) && !(parents.length > 0 && isSeriesNamed(parents[parents.length - 1])) && !(out.heroSeries === true && SERIES_HEROES.has(out.series.toLowerCase()))) {
    // "Andy Weir/Project Hail Mary/Project Hail Mary.m4b": the folder is the book's own, not a series; a series' hero
    // read beside a person ("Harry Potter - Jim Dale") stays the series though no other title is named.
    out.series = undefined;
  }
  // "Der Mann ohne Eigenschaften. Band 1. Teil 1": the volume's word numbered the series, no file's count of parts.
  if (out.series !== undefined && out.title !== undefined && book.volumePart !== true && PART_IN_TITLE.test(out.title) && sameName(out.title.replace(PART_IN_TITLE, ""), out.series)) {
    // "Project Hail Mary/01 - Project Hail Mary - Part 1.mp3": the file's number counts the book's parts, no series'
    // books; the folder is the book's own.
    out.series = undefined;
    out.series_num = undefined;
  }
  if (out.hashTitle && out.title !== undefined && out.series !== undefined && sameName(out.title, out.series)) {
    out.title = undefined;
  }
  if (out.series !== undefined && out.series === folders.series && out.author !== undefined && sameName(out.series, out.author)) {
    // "Georgia Bragg/How They Croaked/Georgia Bragg/How They Croaked.mp3" (a tool's doubled nesting, Listenarrs/Listenarr#308):
    // a folder repeating the writer's name between the writer and the book is no series.
    out.series = undefined;
    out.series_num = undefined;
  }
  if (out.series_num !== undefined) workVolume(out, volumeOfWork);
  if (out.title === undefined && out.workVolume === true && out.series !== undefined && folders.series === undefined) {
    // "Stephen King - The Stand - Book 1", "Pierre Bottero - La Quête d'Ewilan - Tome 2", "Leo Tolstoy/War and Peace -
    // Volume II": the name numbered as a piece of its own is what a user calls the book; it may as well be a series
    // whose books have titles of their own ("Mistborn - Book Two"), so it is claimed as a doubtful title and the tags'
    // or a sidecar's title outweighs it.
    out.title = out.series;
    out.titleDoubtful = true;
  }
  if (out.series !== undefined) out.series = withoutGrouping(withoutSeriesWord(out.series));
  return out;
}

const DIGIT_LED = /^\p{N}/u;
const TRACK_LED_FILE = /^\s*\d{1,3}\s*[-–—_.]\s*(?=\S)/u;
const LEADING_ARTICLE = /^(?:the|an?)\s+/iu;
const TITLE_COMMA_SERIES = lazyRegExp(() => /^([^,]*\p{L}[^,]*),\s+(\p{Lu}[^,]*)$/u);
/** "(Part 1)", "(Part 1 of 2)" as book-segment.ts keeps a part in the title. */
const PART_IN_TITLE = /\s*\((?:part|teil|partie|parte)\s[^()]*\)$/iu;
const SERIES_WORD_END = /[\s,]+(?:series|reihe|serie|série|zyklus)$/iu;

/** "(Discworld Series, Book 1)", "Jack Reacher Series 01": the word "Series" is no part of the series' name, as in a folder. */
function withoutSeriesWord(series: string): string {
  const rest = series.replace(SERIES_WORD_END, "");
  return rest !== series && MEANINGFUL.test(rest) ? rest : series;
}

/**
 * "射雕英雄传 第一卷", "ノルウェイの森 (上)", "1Q84 Book 1": the volumes of one work share its name as their
 * title, and the work names the series that keeps them apart. "Harry Potter Book 3" names a series whose
 * books have titles of their own, which the name does not give; a name that opens with a number is a
 * title, never a series name alone ("1Q84", "2001").
 */
function workVolume(out: Resolved, volumeOfWork: boolean): void {
  // "天龙八部/01", "ソードアート・オンライン 1": Chinese, Japanese and Korean catalogues title each volume with the work's name.
  if (out.title === undefined && out.series !== undefined && (volumeOfWork || DIGIT_LED.test(out.series) || hasCjk(out.series))) out.title = out.series;
  else if (volumeOfWork && out.series === undefined && out.title !== undefined) out.series = out.title;
}

// ---------------------------------------------------------------- output

const NON_WORD = /[^\p{L}\p{N}]+/gu;
const BARE_YEAR = /^(?:1[89]|20)\d\d$/u;
const SUBTITLE_SHAPE = /^(?:(?:a|an|the)\s|\S+\s+\S+\s+\S)/iu;

/** `words` appear in `text` as whole words, case-insensitively ("Harry Potter" in "Harry Potter and the ..."). */
function containsWords(text: string, words: string): boolean {
  const w = words.toLowerCase().replace(NON_WORD, " ").trim();
  // "Dean Koontz's Frankenstein" names its author.
  const t = ` ${text.toLowerCase().replace(POSSESSIVE_S, "").replace(NON_WORD, " ")} `;
  return w.length > 0 && w.includes(" ") && t.includes(` ${w} `);
}

const POSSESSIVE_S = /\S+['’]s\b/gu;
const NAME_KEYS = new Map<string, string>();

function nameKey(s: string): string {
  let key = NAME_KEYS.get(s);
  if (key === undefined) {
    key = displayName(s).toLowerCase().replace(NON_WORD, "");
    if (NAME_KEYS.size >= 4096) NAME_KEYS.clear();
    NAME_KEYS.set(s, key);
  }
  return key;
}

export function sameName(a: string, b: string): boolean {
  return a === b || nameKey(a) === nameKey(b);
}

const MEANINGFUL = /[\p{L}\p{N}]/u;
const HIGH_SURROGATE_END = /[\uD800-\uDBFF]$/;

const HINT_FIELDS = ["author", "title", "subtitle", "series", "series_num", "year", "narrator", "language", "edition", "variant"] as const;

function authorDisplay(raw: string): string {
  const list = splitAuthors(raw);
  if (list !== null && list.length > 0) return joinAuthors(list);
  // "Goscinny et Uderzo", "Ильф и Петров": two surnames joined are shown as any list of writers is ("Goscinny & Uderzo");
  // Spanish "y" also joins a double surname ("Ortega y Gasset"), kept as written.
  const pair = PAIR_WORD_HINT.test(raw) ? surnamePair(raw) : null;
  if (pair !== null && !SPANISH_Y.test(raw)) return joinAuthors(pair);
  // "Funke, Cornelia - Tintenwelt 1 - Tintenherz": read as the writer already, "Surname, Given" of two single words is
  // one person written the catalogue's way, whether or not the given name is one shelfwise knows.
  const reversed = displayName(raw) === raw ? SURNAME_COMMA_GIVEN.exec(raw.trim()) : null;
  if (reversed === null && displayName(raw) === raw && raw.includes(",")) {
    const listed = reversedList(raw);
    if (listed !== null) return joinAuthors(listed);
  }
  return reversed !== null && !isTitleWord(reversed[1]) && !isTitleWord(reversed[2]) ? `${reversed[2]} ${reversed[1]}` : displayName(raw);
}
/**
 * "Kishimi, Ichiro & Koga, Fumitake", "Kishimi, Ichiro, Koga, Fumitake" (Audiobookshelf's documented author folders):
 * writers each written "Surname, Given" of single words, listed by "&" or ";" or by commas alone in pairs.
 */
function reversedList(raw: string): string[] | null {
  const groups = raw.trim().split(LIST_JOIN);
  const words = groups.length > 1 ? groups : raw.trim().split(COMMA_SPLIT);
  const names: string[] = [];
  if (groups.length > 1) {
    for (const group of groups) {
      const m = SURNAME_COMMA_GIVEN.exec(group.trim());
      if (m === null || isTitleWord(m[1]) || isTitleWord(m[2])) return null;
      names.push(`${m[2]} ${m[1]}`);
    }
    return names;
  }
  if (words.length < 4 || words.length % 2 !== 0 || words.length > 12) return null;
  for (let i = 0; i < words.length; i += 2) {
    const [surname, given] = [words[i].trim(), words[i + 1].trim()];
    if (!ONE_NAME_WORD.test(surname) || !ONE_NAME_WORD.test(given) || isTitleWord(surname) || isTitleWord(given)) return null;
    names.push(`${given} ${surname}`);
  }
  return names;
}
/**
 * "Kishimi, Ichiro & Koga, Fumitake - The Courage to Be Disliked" (Audiobookshelf's author list in a file's or a
 * folder's name): a dashed piece listing writers the catalogue's way is written as people are ("Ichiro Kishimi &
 * Fumitake Koga"), so it reads as the writers it names, as the same list does as a folder of its own.
 */
function withReversedWriters(segment: string): string {
  const pieces = segment.split(DASH_PIECE);
  if (pieces.length < 2) return segment;
  for (const at of [0, pieces.length - 1]) {
    const piece = at === pieces.length - 1 ? stripAudioExtension(pieces[at]) : pieces[at];
    const names = piece.includes(",") ? reversedList(piece) : null;
    if (names === null || names.length < 2) continue;
    return segment.replace(piece, joinAuthors(names));
  }
  return segment;
}
const DASH_PIECE = /\s+[-–—]\s+/u;
const LIST_JOIN = /\s*(?:&|;|\s(?:and|und|et)\s)\s*/u;
const COMMA_SPLIT = /\s*,\s*/u;
const ONE_NAME_WORD = /^\p{Lu}[\p{Ll}\p{M}'’-]+$/u;
/**
 * "[Kramer, Michael; Reading, Kate]": readers listed the catalogue's way (a semicolon between reversed names) read
 * "Michael Kramer, Kate Reading", the way a list of readers is kept as written otherwise.
 */
function narratorDisplay(raw: string): string {
  const list = raw.includes(";") ? splitAuthors(raw) : null;
  return list !== null && list.length > 1 ? list.join(", ") : displayName(raw);
}
const PAIR_WORD_HINT = /\s(?:&|and|und|et|y|en|и)\s/u;
const SPANISH_Y = /\sy\s/u;
const SURNAME_COMMA_GIVEN = /^(\p{Lu}[\p{Ll}\p{M}'’-]+),\s*(\p{Lu}[\p{Ll}\p{M}'’-]+)$/u;


/**
 * "Hobbit, The", "Sword of Truth, The", "Tweeling, De": a library sorted by title writes the leading article last, as
 * catalogues and players' sort fields do; the name is "The Hobbit".
 */
function withLeadingArticle(name: string | undefined): string | undefined {
  if (name === undefined || !name.includes(",")) return name;
  const m = TRAILING_ARTICLE.exec(name);
  return m === null ? name : `${m[2]} ${m[1]}`;
}
const TRAILING_ARTICLE = /^(\S.*?\S),\s+(The|An?|Der|Das|Le|La|Les|El|Los|Las|Il|De|Het)$/u;

const BOOK_OF_HINT = /\s(?:of|in)\s/iu;
const LEAD_THE = /^the\s+/iu;
function finish(resolved: Resolved): PathHints {
  if (resolved.narrator !== undefined && isWriter(resolved.narrator)) resolved.narrator = resolved.author;
  resolved.title = withLeadingArticle(resolved.title);
  resolved.series = withLeadingArticle(resolved.series);
  if (resolved.title !== undefined && resolved.subtitle === undefined) {
    const split = splitSubtitle(resolved.title);
    if (split !== null) [resolved.title, resolved.subtitle] = split;
  }
  // "The Eye of the World_ Book One of The Wheel of Time.m4b": the subtitle only places the book in its series.
  // "Stormlight Archive/The Way of Kings_ Book One of the Stormlight Archive.m4b": the series folder above names the
  // same series, with its article or without; a place read from "01 - " is the same place.
  if (resolved.subtitle !== undefined && BOOK_OF_HINT.test(resolved.subtitle)) {
    const of = bookOfSeriesPiece(resolved.subtitle);
    const sameSeries = of !== null && (resolved.series === undefined || sameName(resolved.series.replace(LEAD_THE, ""), of.series.replace(LEAD_THE, "")));
    if (of !== null && sameSeries && (resolved.series_num === undefined || resolved.series_num === of.num)) {
      resolved.series ??= of.series;
      resolved.series_num = of.num;
      resolved.subtitle = undefined;
    }
  }
  const hints: PathHints = {};
  for (const field of HINT_FIELDS) {
    const raw = resolved[field];
    if (raw === undefined) continue;
    let value = tidy(field === "author" ? authorDisplay(raw) : field === "narrator" ? narratorDisplay(raw) : raw);
    if (value.length > MAX_VALUE_CHARS) value = value.slice(0, MAX_VALUE_CHARS).replace(HIGH_SURROGATE_END, "").trim();
    if (MEANINGFUL.test(value)) hints[field] = value;
  }
  return hints;
}
