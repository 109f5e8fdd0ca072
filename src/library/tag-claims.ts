/**
 * Maps one parsed file's tags (music-metadata) to field claims, following the
 * conventions audiobook taggers actually use (Audible/Libation, Audiobookshelf,
 * mp3tag, Mp3tag/foobar "audiobook" presets, iTunes M4B):
 *
 * - title: the album is the book (tracks are chapters), so album wins; the
 *   track title only counts when there is no album, it does not look like a
 *   chapter, and (multi-file books) the second file's title agrees. An album
 *   naming the series ("Mistborn", "Mistborn 3", "Mistborn, Book 3") loses to a
 *   sensible track title; one with a position is never claimed as the title.
 * - author: album artist, else artist. Composer only when an explicit narrator
 *   tag exists and composer differs from it (then composer is the writer),
 *   also when the artist is that narrator (the file credits its reader as artist).
 * - narrator: an explicit narrator tag (TXXX:NARRATOR, ©nrt, NARRATOR,
 *   PERFORMER, READER...), else the composer unless it equals the author,
 *   else a track artist that differs from the album artist (bragibooks puts
 *   the reader there; the mp3tag Audible source writes "Author, Narrator").
 * - subtitle: TIT3 / SUBTITLE.
 * - series: explicit tags (SERIES, MVNM/©mvn movement name) with their part
 *   (SERIES-PART, MVIN/©mvi), else a grouping like "Series, Book 2" / "Series #2"
 *   (a grouping without a number is often a genre, so it is not trusted).
 */
import type { IAudioMetadata } from "music-metadata";
import { DASH_MAY_NAME_WRITER, LIST_MAY_NAME_READER, type Claim } from "../domain/fields.js";
import { checkClaim } from "../domain/garbage.js";
import { DISC_SUFFIX } from "../domain/part-words.js";
import { readBook } from "../domain/book-segment.js";
import { analyzePath } from "../domain/path-analysis.js";
import { bareSeriesPosition, sameSeriesName, seriesInTitle, seriesLeadInTitle } from "../domain/subtitle.js";
import { mayNameReader as mayHoldReaderPhrase, readerIn, readerInProse } from "../domain/reader-phrase.js";
import { readNameTags } from "../domain/name-tags.js";
import { nameScore, splitAuthors } from "../domain/person-name.js";
import { FOREIGN_POSITION_WORDS, parseSeriesNum } from "../domain/series-num.js";
import { isKnownReader } from "../domain/known-readers.js";
import { isNoWriterName } from "../domain/no-writer-names.js";
import { lazyRegExp } from "../domain/lazy-regexp.js";
import { cleanText, joinNames, normalizeSeriesNum, parseYear, positionBesideTitle, readerNames, refineTitleClaims, splitSeries, WRITER_READS } from "./claim-values.js";

/** Native tag values keyed by a normalized name: "TXXX:Series-Part" and "----:com.apple.iTunes:SERIES_PART" both become "SERIESPART". */
export type NativeIndex = Map<string, string[]>;

// TPE3 ("conductor/performer refinement") last: some taggers' audiobook presets put the reader there, and a book has no conductor.
const NARRATOR_KEYS = ["NARRATOR", "NARRATORS", "NARRATEDBY", "©NRT", "READER", "READBY", "PERFORMER", "TPE3"];
// TVSH (MP4's show name) last: some rippers and AudiobookTagger put the series there, and a book has no show.
const SERIES_KEYS = ["SERIES", "SERIESNAME", "SERIESTITLE", "MVNM", "©MVN", "MOVEMENTNAME", "TVSH"];
// PART is tone's (TXXX:PART, ----:PART, Vorbis PART), and Audiobookshelf reads it as the series' place: it holds
// "2.1" where tone's MVIN / ©mvi, whole numbers only, are left empty, so it comes before them. BOOKNUMBER ("TXXX:BOOK
// NUMBER", Mp3tag users' field) and VOLUME name the place outright; TVES (MP4's episode number, where AudiobookTagger
// writes the series' index beside its name in the grouping) last, as a show's episode may be a chapter's number.
const SERIES_PART_KEYS = ["SERIESPART", "SERIESINDEX", "SERIESNUMBER", "SERIESNUM", "SERIESSEQUENCE", "SERIESPOSITION", "PART", "BOOKNUMBER", "BOOKNUM", "VOLUME", "MVIN", "©MVI", "MOVEMENT", "TVES"];
const LANGUAGE_KEYS = ["LANGUAGE", "TLAN"];
const AUTHOR_KEYS = ["AUTHOR", "AUTHORS", "BOOKAUTHOR"];

/** What the caller learned from a second file of the same book, when it read one. */
export interface SecondFile {
  title: string | null;
}

export function indexNative(meta: IAudioMetadata): NativeIndex {
  const index: NativeIndex = new Map();
  for (const [format, tags] of Object.entries(meta.native)) {
    for (const tag of tags) {
      const value = nativeText(tag.value);
      // ASF's (WMA's) "Author" is its artist field, whoever the artist is (the reader, under WM/AlbumArtist's writer),
      // not an AUTHOR tag naming the writer; music-metadata gives it as the artist already.
      if (value === null || (format === "asf" && tag.id === "Author")) continue;
      const key = normalizeKey(tag.id);
      const list = index.get(key);
      if (list) list.push(value);
      else index.set(key, [value]);
      // A comment with a description ("Narrator", "Series", as Mp3tag users name them) is read as a TXXX frame so
      // described would be; the usual ones (iTunNORM, "ID3v1 Comment") name nothing read here.
      const descriptor = (tag.id === "COMM" || tag.id === "COM") && tag.value !== null && typeof tag.value === "object" ? (tag.value as { descriptor?: unknown }).descriptor : undefined;
      if (typeof descriptor === "string" && descriptor.trim() !== "") {
        const described = normalizeKey(descriptor);
        if (described !== "" && described !== key) {
          const same = index.get(described);
          if (same === undefined) index.set(described, [value]);
          else same.push(value);
        }
      }
    }
  }
  return index;
}

export function normalizeKey(id: string): string {
  let key = id;
  if (/^TXX?X?:/i.test(key)) key = key.slice(key.indexOf(":") + 1);
  else if (key.startsWith("----:")) key = key.slice(key.indexOf(":", 5) + 1 || 5);
  return key.toUpperCase().replace(/[^A-Z0-9©]/g, "");
}

/** A tag value as text when it is text-like (strings, numbers, {text}); null for pictures and binary. */
export function nativeText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (value && typeof value === "object" && "text" in value && typeof (value as { text: unknown }).text === "string") {
    return (value as { text: string }).text;
  }
  return null;
}

/** @param fileName the read file's name, to tell a title tag that only repeats it. */
export function tagClaims(meta: IAudioMetadata, native: NativeIndex, multiFile: boolean, second?: SecondFile, fileName?: string): Claim[] {
  const claims: Claim[] = [];
  const add = (field: Claim["field"], value: string | null) => {
    if (value) claims.push({ field, value });
  };
  const tagged = withAlbumArtistKey(meta.common, native);
  const overDrive = overDriveCredit(tagged, native);
  const credited = withoutArtistReaders(withSlashArtist(overDrive?.common ?? tagged));
  if (overDrive !== null) credited.readers.push(overDrive.reader);
  const byReader = withoutReaderAlbumArtist(credited.common, native);
  if (byReader.reader !== null) credited.readers.push(byReader.reader);
  const common = withoutFileNameTitle(byReader.common, fileName);
  const first = (keys: string[]) => firstClean(keys.flatMap((k) => native.get(k) ?? []));

  // Every value of the first narrator tag: "Michael Kramer" and "Kate Reading" as two NARRATOR comments, a v2.4
  // frame's NUL-separated values or a v2.3 frame's "/" (music-metadata splits both) are two readers.
  // Readers an artist names with a reader phrase ("Read by Scott Brick") count as a narrator tag when none is set.
  const narratorValues = allOfFirst([...NARRATOR_KEYS.map((k) => native.get(k) ?? []), credited.readers]);
  // "Narrated by Ray Porter", "Lu par Bernard Giraudeau", "Ray Porter; Kate Reading": the readers, as folder names
  // and sidecars read them. "the Author", "gelesen vom Autor": the writer reads the book; the name is the author's,
  // once it is known. Tested before person(), which rejects a bare "Author" as a placeholder.
  const readers = readerNames(narratorValues);
  const readByAuthor = readers.includes(WRITER_READS);
  const otherReaders = people(readers.filter((r) => r !== WRITER_READS));
  const explicitNarrator = readByAuthor ? null : otherReaders;
  const composer = joinNames(allOfFirst([common.composer ?? []]));
  // "Read by Jim Dale" in the composer names the reader, never the writer.
  const composerWriter = composer !== null && readerIn(composer) === null ? composer : null;
  // Without an artist, the sort names ("Weir, Andy") still name the writer.
  // "Andy Weir - Ray Porter" as the only artist, nothing else naming anyone: the writer, then the reader.
  // An AUTHOR tag (Vorbis and Opus comments, TXXX:AUTHOR, ----:AUTHOR, as audiobook presets write them) names the
  // writer outright: the artist, which may be the reader or "Author, Narrator", is then no writer's credit.
  const authorTag = people(AUTHOR_KEYS.flatMap((k) => native.get(k) ?? []));
  const dashedArtist = authorTag === null && explicitNarrator === null && composer === null && cleanText(common.albumartist) === null ? writerDashReader(common.artist) : null;
  // "Stephen King - Peter Straub" with "Read by Frank Muller" in the blurb: the reader is someone else, so both are writers.
  const blurbReader = dashedArtist === null ? null : proseNarrator(common, native, dashedArtist.writer);
  const coWriters = dashedArtist !== null && blurbReader !== null && !samePerson(blurbReader, dashedArtist.reader) && !samePerson(blurbReader, dashedArtist.writer);
  const dashed = coWriters ? null : dashedArtist;
  const artist = authorTag ?? (coWriters ? joinNames([dashedArtist!.writer, dashedArtist!.reader]) : null) ?? dashed?.writer ?? people(common.albumartists ?? [common.albumartist]) ?? people(common.artists ?? [common.artist]) ?? person(common.albumartistsort) ?? person(common.artistsort);
  // The narrator tag names the artist and a composer names someone else: the file credits its reader as
  // the artist (some rippers and shops do) and the writer as the composer.
  const readerAsArtist = authorTag === null && artist !== null && explicitNarrator !== null && composerWriter !== null && samePerson(artist, explicitNarrator) && !samePerson(composerWriter, explicitNarrator);
  const author = readerAsArtist
    ? person(composerWriter)
    : (artist ?? (explicitNarrator && composerWriter && !samePerson(composerWriter, explicitNarrator) ? person(composerWriter) : null));
  // With the writer reading, the composer is no narrator: it is the writer when no artist is tagged.
  const selfAuthor = readByAuthor && author === null && composerWriter !== null ? person(composerWriter) : author;
  const narrator = readByAuthor
    ? joinNames([selfAuthor, otherReaders].filter((n): n is string => n !== null))
    : explicitNarrator ?? (composer && !(author && samePerson(composer, author)) ? readersIn(composer, selfAuthor) : null) ?? dashed?.reader ?? artistAsNarrator(common, author) ?? (authorTag !== null ? readerBesideAuthorTag(common, authorTag) : null) ?? proseNarrator(common, native, selfAuthor);

  const series = seriesClaim(common, native, multiFile ? null : cleanAlbum(common.title));
  const title = bookTitle(common, series?.series ?? null, multiFile, second, author, series?.albumOnly === true ? series.title : undefined);
  // "Catch-22 (50th Anniversary Edition)", "Dune [German]": what the album says of the recording, as a folder's
  // name says it (domain/name-tags.ts), is no part of the title.
  const recording = title !== null && (title.includes("(") || title.includes("[")) ? readNameTags(title) : null;
  // "Dune (Dramatized)", "The Way of Kings (GraphicAudio)": the recording's variant, as a folder's name says it.
  const recordingTitle = recording !== null && (recording.edition !== undefined || recording.language !== undefined || recording.variant !== undefined) ? cleanText(recording.rest) : title;
  // "The Stand (1978)": an album dated as folders are; the year is no part of the title.
  const dated = recordingTitle !== null && recordingTitle.endsWith(")") ? ALBUM_YEAR_END.exec(recordingTitle) : null;
  const albumYear = dated !== null && dated.index > 0 && parseYear(dated[1]) !== null ? dated[1] : null;
  const ownTitle = albumYear !== null ? cleanText(recordingTitle!.slice(0, dated!.index)) : recordingTitle;
  add("title", ownTitle);
  add("edition", recording?.edition ?? null);
  add("variant", recording?.variant ?? null);
  add("subtitle", firstClean(common.subtitle ?? []));
  const authorClaim = withoutReaders(selfAuthor, narrator);
  if (authorClaim !== null && narrator === null && mayNameReader(common, authorClaim)) claims.push({ field: "author", value: authorClaim, basis: LIST_MAY_NAME_READER });
  else if (dashed !== null && authorClaim === dashed.writer && narrator === dashed.reader) {
    // "Andy Weir - Ray Porter" or "Stephen King - Peter Straub": another source naming both as authors settles it (profile.ts).
    claims.push({ field: "author", value: authorClaim, basis: DASH_MAY_NAME_WRITER }, { field: "narrator", value: narrator, basis: DASH_MAY_NAME_WRITER });
  } else {
    add("author", authorClaim);
    add("narrator", narrator);
  }
  add("series", series?.series ?? null);
  add("series_num", series?.num ?? null);
  // A reissue's date ("2019-05-14T00:00:00Z" in ©day/TDRC) beside the original release year (TDOR, ORIGINALDATE):
  // the book's year is its first, as folders date it ("1986 - It").
  // YEAR: the Vorbis and Opus comment many taggers write beside or instead of DATE, which music-metadata leaves native.
  const released = parseYear(common.year) ?? parseYear(common.date) ?? parseYear(common.releasedate) ?? parseYear(first(["YEAR", "RELEASEYEAR"])) ?? copyrightYear(common, native);
  const original = parseYear(common.originalyear) ?? parseYear(common.originaldate);
  // The album's own "(1978)" dates the book as the folders do: an original year like the tags' own.
  const earliest = original ?? albumYear;
  add("year", earliest !== null && (released === null || Number(earliest) <= Number(released)) ? earliest : released);
  add("language", cleanText(common.language) ?? first(LANGUAGE_KEYS) ?? recording?.language ?? null);
  // A subtitle tag "Mistborn, Book 1" is the series, as in sidecars (claim-values.ts).
  return refineTitleClaims(claims);
}

/**
 * The year a copyright or publisher tag gives when no date tag does: Audible converters (Libation, OpenAudible,
 * inAudible) and OverDrive write "©2019 Author;(P)2019 Publisher" to `cprt` / TCOP, "(P) 2019 Publisher" and
 * "℗ 2019" to the publisher's tags. The earliest year in it (the text's copyright before the recording's), as the
 * tags' original year counts over a release date. A publisher's tag gives a year only beside a copyright sign or
 * word ("Podium Publishing 1984 Ltd" names none); a copyright tag's years count anywhere in it.
 */
function copyrightYear(common: IAudioMetadata["common"], native: NativeIndex): string | null {
  const copyright = [common.copyright, ...(native.get("COPYRIGHT") ?? []), ...(native.get("TCOP") ?? []), ...(native.get("CPRT") ?? [])];
  const publisher = [...(common.label ?? []), ...(common.publisher ?? []), ...(native.get("PUBLISHER") ?? []), ...(native.get("TPUB") ?? []), ...(native.get("©PUB") ?? [])];
  let earliest: string | null = null;
  const take = (text: unknown, marked: boolean) => {
    if (typeof text !== "string" || text.length > MAX_COPYRIGHT_CHARS) return;
    const pattern = marked ? MARKED_YEAR() : ANY_YEAR();
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const year = parseYear(m[1]);
      if (year !== null && (earliest === null || Number(year) < Number(earliest))) earliest = year;
    }
  };
  for (const text of copyright) take(text, false);
  if (earliest === null) for (const text of publisher) take(text, true);
  return earliest;
}
const MAX_COPYRIGHT_CHARS = 300;
const ANY_YEAR = lazyRegExp(() => /(?<!\d)(\d{4})(?!\d)/gu);
const MARKED_YEAR = lazyRegExp(() => /(?:[©℗Ⓒⓟ]|\([CcPp]\)|\bcopyright\b|\bphonographic\b)\s*(?:copyright\s*)?(\d{4})(?!\d)/giu);

/**
 * Whether bookTitle would look at a second file of a multi-file book: only
 * when the title may come from the track title, that is a track title that
 * is no chapter name, and no album or an album that names the series
 * ("Mistborn 3"). Any other book costs one file's read, as before.
 */
export function titleNeedsSecondFile(meta: IAudioMetadata, native: NativeIndex): boolean {
  const common = meta.common;
  const title = cleanText(common.title);
  if (title === null || looksLikeChapter(title, true)) return false;
  const album = bookAlbum(common.album);
  if (!album) return true;
  const series = seriesClaim(common, native)?.series ?? null;
  return series !== null && namesSeries(album, series);
}

function bookTitle(common: IAudioMetadata["common"], series: string | null, multiFile: boolean, second?: SecondFile, author?: string | null, albumOnlyTitle?: string): string | null {
  let album = bookAlbum(common.album);
  // "Dune (Unabridged)" as the track title of a file with no album: the release's words go as an album's do.
  const title = cleanAlbum(common.title);
  const secondTitle = second === undefined ? undefined : cleanAlbum(second.title);
  const titleUsable = title !== null && !looksLikeChapter(title, multiFile) && (!multiFile || !second || secondTitle === title);
  // An album that is the artist's name ("Stephen King" by Stephen King) is a tagger's filler, not the book.
  if (album && author && (samePerson(album, author) || samePerson(album.replace(AUTHOR_FILLER, ""), author))) album = null;
  // "Andy Weir - Project Hail Mary", "Project Hail Mary - Andy Weir": rippers name the album as the folder, with its
  // writer; the artist's name as a dashed piece of its own is no part of the title.
  if (album && author && ALBUM_DASH.test(album)) album = withoutWriterPiece(album, author);
  // "Dune, Book 1" as the album, nothing else naming the series: a track title that is no chapter is the book's own
  // title; else the book is known by its series' name, as the path layer reads "Война и мир. Том 1".
  if (album && series && albumOnlyTitle !== undefined) return titleUsable && (!multiFile || secondTitle === title) ? title! : albumOnlyTitle;
  // "Mistborn: The Final Empire" with the series Mistborn: the series, then the book's own title.
  if (album && series) {
    // "The Dark Tower III: The Waste Lands", "Star Wars: Thrawn (Book I)": the series and its position lead.
    const lead = seriesInTitle(album) ?? seriesLeadInTitle(album);
    if (lead !== null && sameSeriesName(lead.series, series)) return lead.title;
    const own = afterSeries(album, series);
    if (own) return own;
    // "The Eye of the World, Book 1" with the series tagged: the position is the series', not the title's. Without a
    // series the words stay, as nothing says what they count.
    // "Tintenblut, Band 2", "L'Assassin du roi (Tome 2)", "Книга 3. Сумеречный дозор" the same in other languages.
    const beside = namesSeries(album, series) ? null : positionBesideTitle(album);
    if (beside !== null && beside.title.toLowerCase() !== series.toLowerCase()) return beside.title;
  }
  if (album) {
    // "Mistborn" or "Mistborn 3" / "Mistborn, Book 3" as the album names the series, not the book: a track title
    // that is no chapter (a single file's, or one the second file repeats) is the book's title then.
    // An album that is the series name alone may still be the title ("Dune" of the Dune series); one with a
    // position ("Mistborn 3") never is.
    const albumIsSeries = series !== null && namesSeries(album, series);
    if (albumIsSeries && titleUsable && (!multiFile || secondTitle === title)) return title!;
    return albumIsSeries && album.toLowerCase() !== series!.toLowerCase() ? null : album;
  }
  // Without an album, a multi-file book's track title is only the book title
  // when a second file confirms it (otherwise it is a chapter name).
  if (!titleUsable || (multiFile && !second)) return null;
  return title;
}

/**
 * "album_artist" as a Vorbis or Opus comment (the name scripts passing ffmpeg's key through mutagen or a tagger's
 * raw field editor write; Vorbis names are any case) or TXXX:ALBUM_ARTIST: the album artist, which music-metadata
 * reads only as ALBUMARTIST or "ALBUM ARTIST". Without it the reader in ARTIST was taken for the writer.
 */
function withAlbumArtistKey(common: IAudioMetadata["common"], native: NativeIndex): IAudioMetadata["common"] {
  if (cleanText(common.albumartist) !== null) return common;
  const albumArtist = firstClean(native.get("ALBUMARTIST") ?? []);
  return albumArtist === null ? common : { ...common, albumartist: albumArtist };
}

/**
 * OverDrive's MP3 parts (marked by their "OverDrive MediaMarkers" TXXX frame, the chapter list) credit
 * "Author; Narrator" in TPE1 with no album artist or narrator tag: two names there are the writer, then the reader.
 * Any other count is left to the general rules, as nothing says where the writers end.
 */
function overDriveCredit(common: IAudioMetadata["common"], native: NativeIndex): { common: IAudioMetadata["common"]; reader: string } | null {
  if (!native.has("OVERDRIVEMEDIAMARKERS") || cleanText(common.albumartist) !== null || NARRATOR_KEYS.some((k) => native.has(k))) return null;
  const artists = (common.artists ?? [common.artist]).flatMap((a) => (typeof a === "string" ? a.split(";") : [])).map((a) => a.trim()).filter(Boolean);
  if (artists.length !== 2 || person(artists[0]) === null || person(artists[1]) === null) return null;
  return { common: { ...common, artist: artists[0], artists: [artists[0]] }, reader: artists[1] };
}

/**
 * "Scott Brick" as the album artist and the narrator tag, "Frank Herbert" as the artist: Plex-minded taggers that
 * file books by their reader put the reader in the album artist. The narrator tag says who that is, so the artist
 * is the writer. Without a narrator tag the album artist stays the writer (the usual way, bragibooks' and mp3tag's),
 * unless every name in it is a professional reader's (known-readers.ts) and the artist's are none: "Scott Brick" over
 * "Frank Herbert" is the same filing with the narrator tag left out, and the album artist comes back as the reader.
 */
function withoutReaderAlbumArtist(common: IAudioMetadata["common"], native: NativeIndex): { common: IAudioMetadata["common"]; reader: string | null } {
  const albumArtist = cleanText(common.albumartist);
  const artist = person(common.artist);
  if (albumArtist === null || artist === null || samePerson(albumArtist, artist)) return { common, reader: null };
  // "LibriVox", "Audible Studios", "Various Artists" as the album artist over a person as the artist (LibriVox's own
  // files, publishers' rips): the album artist names no writer, so the artist is the writer, never the reader.
  if ((isNoWriterName(albumArtist) || LIBRIVOX().test(albumArtist)) && !isNoWriterName(artist)) return { common: { ...common, albumartist: undefined, albumartists: undefined }, reader: null };
  const narrators = NARRATOR_KEYS.flatMap((k) => native.get(k) ?? []);
  const readers = readerNames(narrators);
  const dropped = { ...common, albumartist: undefined, albumartists: undefined };
  if (readers.some((reader) => samePerson(reader, albumArtist))) return { common: dropped, reader: null };
  if (readers.length > 0 || !allKnownReaders(albumArtist) || (splitAuthors(artist) ?? [artist]).some(isKnownReader)) return { common, reader: null };
  return { common: dropped, reader: albumArtist };
}

/**
 * LibriVox's own album artist: the project, its volunteers or readers. Kept here, not among the publishers
 * (no-writer-names.ts), which the path layer shares: its folder and file names have rules of their own (path-junk.ts).
 */
const LIBRIVOX = lazyRegExp(() => /^librivox(?:\.org)?(?:\s+(?:volunteers?|readers?|community|recordings?))?$/iu);

function allKnownReaders(names: string): boolean {
  const list = splitAuthors(names) ?? [names];
  return list.length > 0 && list.every(isKnownReader);
}

/**
 * "Stephen King / Peter Straub" as the only artist: taggers writing ID3v2.3 part two artists with a slash, as others
 * write "Andy Weir, Ray Porter"; both readings (two writers, or writer and reader) stay open the same way.
 */
function withSlashArtist(common: IAudioMetadata["common"]): IAudioMetadata["common"] {
  const artist = typeof common.artist === "string" && common.artist.includes("/") && (common.artists?.length ?? 0) <= 1 ? ARTIST_SLASH.exec(common.artist.trim()) : null;
  if (artist === null || cleanText(common.albumartist) !== null) return common;
  const [a, b] = [artist[1].trim(), artist[2].trim()];
  if (nameScore(a) < 1 || nameScore(b) < 1 || person(a) === null || person(b) === null) return common;
  return { ...common, artist: `${a}, ${b}`, artists: [`${a}, ${b}`] };
}
const ARTIST_SLASH = /^([^/,;&]+?)\s+\/\s+([^/,;&]+)$/u;

/**
 * An artist or album artist that names its reader with a reader phrase: "Read by Scott Brick" alone is the reader,
 * never the writer; "Frank Herbert - read by Scott Brick", "Frank Herbert (Narrated by Scott Brick)", "Frank
 * Herbert; gelesen von Rufus Beck" are the writer, then the reader (domain/reader-phrase.ts's phrases, every
 * language). The readers come back apart, for the narrator; the values left are the writers'.
 */
function withoutArtistReaders(common: IAudioMetadata["common"]): { common: IAudioMetadata["common"]; readers: string[] } {
  const readers: string[] = [];
  let out = common;
  for (const field of ["artist", "albumartist"] as const) {
    const value = common[field];
    // The phrase test first: nearly every artist holds none, and it is the cheapest look.
    if (typeof value !== "string" || !mayHoldReaderPhrase(value)) continue;
    const text = cleanText(value);
    const split = text === null ? null : writerThenReader(text);
    if (split === null) continue;
    readers.push(split.reader);
    if (out === common) out = { ...common };
    out[field] = split.writer ?? undefined;
    out[field === "artist" ? "artists" : "albumartists"] = split.writer === null ? undefined : [split.writer];
  }
  return { common: out, readers };
}

/** "Read by X" (no writer) or "Writer - read by X" / "Writer (read by X)" / "Writer, read by X"; null without a phrase. */
function writerThenReader(text: string): { writer: string | null; reader: string } | null {
  const whole = readerIn(text);
  if (whole !== null) return { writer: null, reader: whole };
  for (const m of text.matchAll(CREDIT_BREAK)) {
    const rest = text.slice(m.index + m[0].length).replace(CLOSING_BRACKET, "");
    const reader = readerIn(rest);
    const writer = cleanText(text.slice(0, m.index));
    if (reader !== null && writer !== null) return { writer, reader };
  }
  return null;
}
const CREDIT_BREAK = /\s+[-–—]\s+|\s*[,;/]\s*|\s*[([]\s*/gu;
const CLOSING_BRACKET = /\s*[)\]]\s*$/u;

/**
 * A title tag that repeats its file's name ("01 - Leviathan Wakes.mp3", or "01 - Leviathan Wakes" in
 * "01 - Leviathan Wakes.mp3"), as converters and bulk taggers fill an empty title: the name says it, and the path
 * layer reads a name (track number, writer, series) better than a title tag is read. A clean name the title
 * repeats ("Leviathan Wakes" in "Leviathan Wakes.m4b") stays: it is the title either way.
 */
function withoutFileNameTitle(common: IAudioMetadata["common"], fileName: string | undefined): IAudioMetadata["common"] {
  const title = fileName === undefined ? null : cleanText(common.title)?.toLowerCase();
  if (title === null || title === undefined) return common;
  const name = fileName!.toLowerCase();
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return title === name || (title === stem && TRACK_LEAD.test(stem)) ? { ...common, title: undefined } : common;
}
const TRACK_LEAD = /^\d{1,4}\s*[-–._)\s]/u;

const ALBUM_DASH = /\s[-–—]\s/u;
const ALBUM_YEAR_END = /\s*\(((?:1[5-9]|20)\d\d)\)$/u;
const ARTIST_DASH = /^([^-–—,;&/]+?)\s+[-–—]\s+([^-–—,;/]+)$/u;

/**
 * "Andy Weir - Ray Porter": an artist of two people's names set apart by a spaced dash (writers are listed with "&"
 * or ","): the writer, then the reader, as "Author; Narrator" and "Author / Narrator" read. Both must be sure names.
 */
function writerDashReader(value: unknown): { writer: string; reader: string } | null {
  const text = cleanText(value);
  const m = text === null ? null : ARTIST_DASH.exec(text);
  if (m === null) return null;
  const [writer, reader] = [m[1].trim(), m[2].trim()];
  return nameScore(writer) >= 2 && nameScore(reader) >= 2 && person(writer) !== null && person(reader) !== null ? { writer, reader } : null;
}

/** The album without a first or last dashed piece that is the writer's name; unchanged when nothing is left. */
function withoutWriterPiece(album: string, author: string): string {
  const pieces = album.split(ALBUM_DASH).map((p) => p.trim());
  const names = splitAuthors(author) ?? [author];
  const isWriter = (piece: string) => samePerson(piece, author) || names.some((name) => samePerson(piece, name));
  if (pieces.length >= 2 && isWriter(pieces[0])) return pieces.slice(1).join(" - ");
  if (pieces.length >= 2 && isWriter(pieces[pieces.length - 1])) return pieces.slice(0, -1).join(" - ");
  return album;
}

/** "Stephen King Audiobooks", "Stephen King - Audiobook": an album that is the artist's name with a filler word. */
const AUTHOR_FILLER = /\s*[-–:]?\s*(?:audio\s?books?|collection|books)\s*$/iu;
// The position words of claim-values.ts's POSITION_SUFFIX: "Дозоры, Часть 2 - Дневной дозор", "Tintenwelt, Band 2 - Tintenblut".
const TAG_POSITION_WORDS = String.raw`(?:book|bk|vol|volume|tome|${FOREIGN_POSITION_WORDS}|часть)\.?\s*#?|#`;
const AFTER_SERIES = new RegExp(String.raw`^\s*(?:[:\-–—]|[,.]?\s*(?:${TAG_POSITION_WORDS})\s*\d{1,3}(?:\.\d{1,2})?\s*[:\-–—.])\s*(?=\S)`, "iu");

/** The book's own title after its series' name ("Mistborn: The Final Empire", "Mistborn, Book 1 - The Final Empire"), or null. */
function afterSeries(album: string, series: string): string | null {
  if (album.length <= series.length || album.slice(0, series.length).toLowerCase() !== series.toLowerCase()) return null;
  const rest = album.slice(series.length);
  const m = AFTER_SERIES.exec(rest);
  return m ? cleanText(rest.slice(m[0].length)) : null;
}

const SERIES_POSITION_TAIL = new RegExp(String.raw`^[\s,.:\-–(#]*(?:(?:${TAG_POSITION_WORDS}|part|no\.)\s*#?\s*)?\d{1,4}(?:\.\d{1,3})?\)?$`, "iu");

const LEAD_POSITION = new RegExp(String.raw`^[\s,.:\-–(#]*(?:(?:${TAG_POSITION_WORDS})\s*)?(\d{1,3}(?:\.\d{1,2})?)(?![\d.,])`, "iu");

/** "Mistborn, Book 3", "De kleine kapitein, Deel 5", "Дозоры, Часть 2 - Дневной дозор": the position after the series' name, or null. */
function positionAfterSeries(album: string, series: string): string | null {
  const m = LEAD_POSITION.exec(album.slice(series.length));
  return m === null ? null : normalizeSeriesNum(m[1]);
}

/** "Mistborn", "Mistborn 3", "Mistborn, Book 3", "Mistborn #3" against the series "Mistborn". */
function namesSeries(album: string, series: string): boolean {
  const a = album.toLowerCase();
  const s = series.toLowerCase();
  if (a === s) return true;
  return a.startsWith(s) && SERIES_POSITION_TAIL.test(a.slice(s.length));
}

/** "(Unabridged)", and the same in German, French, Spanish and Dutch: "(Ungekürzt)", "(Version intégrale)", "(Íntegro)", "(Onverkort)". */
const UNABRIDGED_SUFFIX =
  /\s*[([]\s*(?:unabridged|ungek(?:ü|ue|u)rzte?(?:\s+(?:lesung|fassung|ausgabe))?|(?:version\s+|texte\s+)?int[ée]grale?|(?:versi[óo]n\s+)?[íi]ntegr[oa]|onverkort(?:e\s+versie)?)\s*[)\]]\s*$/iu;

/**
 * "Book (Unabridged)", "Book, Disc 2", "Book [CD 1]", "Livre - Disque 2 sur 3" -> "Book": the suffixes name a release or
 * a disc, not the book. The disc words are the scanner's and path analysis's (domain/part-words.ts).
 */
export function cleanAlbum(value: unknown): string | null {
  const text = cleanText(value);
  if (!text) return null;
  let stripped = text;
  for (let previous = ""; previous !== stripped; ) {
    previous = stripped;
    stripped = stripped.replace(UNABRIDGED_SUFFIX, "").replace(DISC_SUFFIX(), "");
  }
  return cleanText(stripped);
}

/**
 * The album as the book's title, or null when it cannot be one ("Unknown Album", "Audiobooks", "Track 01": what
 * the title check refuses), so the track title gets its turn as it does without an album.
 */
function bookAlbum(value: unknown): string | null {
  const album = cleanAlbum(value);
  return album !== null && checkClaim("title", album).ok ? album : null;
}

const CHAPTER_WORDS = "chapter|ch|track|part|pt|disc|disk|cd|kapitel|chapitre|cap[ií]tulo|hoofdstuk|teil|section|episode";
const NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\\d+|[ivxlc]+";
const CHAPTER_WORD_RE = new RegExp(
  `^(?:(?:${CHAPTER_WORDS})\\.?\\s*(?:${NUMBER_WORDS})\\b|(?:prologue|epilogue|introduction|intro|opening credits|end credits|preface|foreword|afterword)\\s*\\d*$)`,
  "i",
);
const NUMBERED_RE = /^\d{1,3}(?:\s*[-._:)]\s*.*)?$/;

/**
 * "Chapter 01", "Track 3", "Prologue" are per-file names, not a book title;
 * so are "01 - The Storm" and "12" among several files. A lone file keeps a
 * numbered title ("11.22.63" is a novel), but not a bare zero-padded number
 * ("01", "001": a ripper's track number, no book's name).
 */
export function looksLikeChapter(text: string, multiFile = true): boolean {
  const t = text.trim();
  return CHAPTER_WORD_RE.test(t) || CJK_CHAPTER_RE.test(t) || PADDED_NUMBER_RE.test(t) || (multiFile && NUMBERED_RE.test(t));
}
const PADDED_NUMBER_RE = /^0\d{1,3}$/;

/** "第001集", "第一章 僕", "第3話", "제1화", "序章", "终章": an episode or chapter of a Chinese, Japanese or Korean reading. */
const CJK_CHAPTER_RE = /^(?:[第제]\s*[\d〇零一二三四五六七八九十百千]+\s*[集章回話话节節講讲화장](?:\s|$)|(?:序章|终章|終章|楔子|尾声|尾聲|前言|后记|後記|あとがき|まえがき|プロローグ|エピローグ)(?:\s|$))/u;

/**
 * The album as a series and its explicit position with nothing else ("Dune, Book 1", "Dune #1", "Война и мир. Том 1"):
 * one piece of the path layer's segment reading (book-segment.ts) numbered by a position word, "#" or a leading zero,
 * and the path layer's whole reading numbering it too ("Uncle Tom 1", "1984", "Catch-22" stay titles there).
 */
function albumSeriesOnly(album: string): { series: string; num: string; title: string; albumOnly: true } | null {
  // A colon leaves "Le Trône de fer: Tome 1" to the subtitle rule (subtitle.ts), which keeps it title and subtitle;
  // brackets and a slash say more than a series and its place.
  if (album === "" || album.length > MAX_ALBUM_READ || !ALBUM_POSITION_HINT.test(album) || ALBUM_MORE.test(album)) return null;
  const reading = readBook(album);
  const [part] = reading.parts;
  if (reading.parts.length !== 1 || part.num === undefined || part.kind === undefined || part.kind === "bare") return null;
  if (analyzePath(album).series_num !== part.num) return null;
  const series = cleanText(part.text);
  return series !== null && checkClaim("series", series).ok && bareSeriesPosition(`${series} 1`) !== null ? { series, num: part.num, title: series, albumOnly: true } : null;
}

/**
 * "The Expanse 1" as the album of a lone file titled "Leviathan Wakes" (©nam beside ©alb, as Audible converters and
 * taggers fill both): a name and a bare one- or two-digit number are the series and its place when the track title is
 * a book's own, no chapter, and shares no word of that name. Without such a title the album stays the title, as
 * "Catch 22", "Apollo 13" are ("Catch-22" titling the file shares the name, so it stays too).
 */
function albumSeriesBesideTitle(album: string, title: string): { series: string; num: string; title: string; albumOnly: true } | null {
  if (album === "" || album.length > MAX_ALBUM_READ || ALBUM_MORE.test(album) || looksLikeChapter(title, false)) return null;
  const m = ALBUM_BARE_NUMBER().exec(album);
  if (m === null) return null;
  const series = cleanText(m[1]);
  if (series === null || !checkClaim("series", series).ok || bareSeriesPosition(`${series} 1`) === null) return null;
  const words = (text: string) => new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2 && !NAME_FILLER.has(w)));
  const titleWords = words(title);
  if ([...words(series)].some((w) => titleWords.has(w)) || title.includes(m[2])) return null;
  return { series, num: String(Number(m[2])), title: series, albumOnly: true };
}
const ALBUM_BARE_NUMBER = lazyRegExp(() => /^(\p{L}[^\d]*?\p{L})\s+0?(\d{1,2})$/u);
const NAME_FILLER = new Set(["the", "and", "der", "die", "das", "les", "una", "und"]);
const ALBUM_MORE = /[:/()[\]{}]/u;
// Spares the path layer's reading on albums with no number at all.
const ALBUM_POSITION_HINT = /\d|\b[IVXLC]+$/u;
const MAX_ALBUM_READ = 300;

/**
 * @param ownTitle a single file's track title: beside it an album that is a name and a bare number ("The Expanse 1")
 * is the series and its place (a lone file's title is the book's own when it is no chapter).
 */
function seriesClaim(common: IAudioMetadata["common"], native: NativeIndex, ownTitle: string | null = null): { series: string; num: string | null; title?: string; albumOnly?: true } | null {
  const explicit = firstClean([...SERIES_KEYS.flatMap((k) => native.get(k) ?? []), ...(common.movement ? [common.movement] : [])]);
  if (explicit) {
    const split = splitSeries(explicit);
    if (!split) return null;
    const part = seriesPart(common, native);
    if (part !== undefined || split.num !== null) return { series: split.series, num: part ?? split.num };
    // "Wolves of the Calla (Book 5 of The Dark Tower)" with only the series' name tagged: the album numbers it.
    const album = cleanAlbum(common.album) ?? "";
    const inAlbum = seriesInTitle(album) ?? seriesLeadInTitle(album);
    if (inAlbum !== null && sameSeriesName(inAlbum.series, split.series)) return { series: split.series, num: inAlbum.num };
    // "Tintenblut, Band 2", "The Eye of the World, Book 1" beside the series tagged: the album's position is the series'.
    if (namesSeries(album, split.series) || afterSeries(album, split.series) !== null) return { series: split.series, num: positionAfterSeries(album, split.series) };
    // "Dune Chronicles, Book 1" in the grouping (©grp, TIT1: OpenAudible's and inAudible's series field) beside the
    // series tagged without its part: the grouping's position is the tagged series' when it names that series.
    const grouping = (cleanText(common.grouping) ?? firstClean(native.get("CONTENTGROUP") ?? []))?.split(";")[0];
    const fromGrouping = grouping ? splitSeries(grouping) : null;
    if (fromGrouping?.num && sameSeriesName(fromGrouping.series, split.series)) return { series: split.series, num: fromGrouping.num };
    const beside = positionBesideTitle(album);
    return { series: split.series, num: beside !== null && beside.title.toLowerCase() !== split.series.toLowerCase() ? beside.num : null };
  }
  // "Series, Book 2; Other Series #5": only the first entry, and only with a number ("The Expanse 1" as a subtitle
  // reads it: subtitle.ts says which names with a number are no series), or with the part tagged beside it (m4b-tool,
  // AudiobookTagger and mp3tag presets write the series to the grouping, its place to ©mvi / MVIN / SERIES-PART).
  // Mp3tag writes the grouping (ID3's TIT1) to Vorbis and APE comments as CONTENTGROUP, which music-metadata leaves native.
  const grouping = (cleanText(common.grouping) ?? firstClean(native.get("CONTENTGROUP") ?? []))?.split(";")[0];
  const fromGrouping = grouping ? splitSeries(grouping) : null;
  if (fromGrouping?.num) return fromGrouping;
  const bareGrouping = grouping ? bareSeriesPosition(grouping) : null;
  if (bareGrouping !== null) return bareGrouping;
  const taggedPart = fromGrouping ? seriesPart(common, native) : undefined;
  if (fromGrouping && taggedPart !== undefined && !genreLike(fromGrouping.series, common.genre)) return { series: fromGrouping.series, num: taggedPart };
  // "The Final Empire: Mistborn, Book 1" as the album (Audible's title form).
  // "The Dark Tower III: The Waste Lands", "Mistborn 3 - The Hero of Ages" (subtitle.ts says which are no series).
  const album = cleanAlbum(common.album) ?? "";
  const inTitle = seriesInTitle(album) ?? seriesLeadInTitle(album);
  if (inTitle !== null) return { series: inTitle.series, num: inTitle.num };
  // "Dune, Book 1", "Война и мир. Том 1", "Dune #1": an album that is only a series and its position, read as the path
  // layer reads a folder so named (a position word, "#" or a leading zero; "Catch-22", "Fahrenheit 451" and "1984"
  // carry none and stay titles).
  const only = albumSeriesOnly(album);
  if (only !== null) return only;
  const bare = ownTitle !== null ? albumSeriesBesideTitle(album, ownTitle) : null;
  if (bare !== null) return bare;
  // Plex's way (mp3tag's Audible source): the album sort "Mistborn 1 - The Final Empire" orders a series' books. Only
  // a sort that ends with the album's own title is trusted, as a sort may hold anything.
  const sorted = cleanText(common.albumsort);
  const bySort = sorted !== null && album !== "" ? seriesLeadInTitle(sorted) : null;
  return bySort !== null && bySort.title.toLowerCase() === album.toLowerCase() ? { series: bySort.series, num: bySort.num } : null;
}

/**
 * A grouping that is the genre ("Audiobook", "Science Fiction", the genre tag's own words): what the person check
 * refuses as placeholders and genre words ("Fiction", "Audiobooks") is no series either.
 */
function genreLike(grouping: string, genres: readonly string[] | undefined): boolean {
  const lower = grouping.toLowerCase();
  return (genres ?? []).some((genre) => genre.toLowerCase() === lower) || !checkClaim("series", grouping).ok || !checkClaim("author", grouping).ok;
}

/** The series' place as tagged apart from its name (SERIES-PART, MVIN, ©mvi), or undefined. */
function seriesPart(common: IAudioMetadata["common"], native: NativeIndex): string | undefined {
  return [...SERIES_PART_KEYS.flatMap((k) => native.get(k) ?? []), common.movementIndex?.no ?? null].map(partTagNum).find((n) => n !== null) ?? undefined;
}

/**
 * A place tag's value ("3", "0003", "3/12", "Book 3 of 12", "3.5"), or a Roman numeral alone or after a position word
 * ("III", "Book IV"): in a tag that holds only the place, it is the place, where in a title it may be a word.
 */
function partTagNum(value: unknown): string | null {
  const num = normalizeSeriesNum(value);
  if (num !== null || typeof value !== "string" || value.length > 40) return num;
  const roman = ROMAN_PLACE().exec(value.trim());
  // Upper-case only: "iv", "mix" or "Liv" alone are words before they are numbers.
  return roman === null || roman[1] !== roman[1].toUpperCase() ? null : parseSeriesNum(roman[1], {});
}
const ROMAN_PLACE = lazyRegExp(() => /^(?:(?:book|vol\.?|volume|part|no\.?|#)\s*)?([ivxlc]{1,7})(?:\s+of\s+[ivxlc\d]+)?$/iu);

/**
 * With an album artist (the author) present, a different track artist is the
 * reader: bragibooks writes the narrator there, and the mp3tag Audible source
 * writes "Author, Narrator". Without an album artist the artist is the author.
 */
function artistAsNarrator(common: IAudioMetadata["common"], author: string | null): string | null {
  const albumArtist = person(common.albumartist);
  const artist = cleanText(common.artist);
  if (!albumArtist || !artist || samePerson(albumArtist, artist) || (author !== null && samePerson(author, artist))) return null;
  // "Author, Narrator", "Author; Narrator", "Author / Narrator": the writer first, then the readers.
  const lower = artist.toLowerCase();
  if (lower.startsWith(albumArtist.toLowerCase())) {
    const sep = WRITER_THEN_READERS.exec(artist.slice(albumArtist.length));
    if (sep !== null) return readersIn(artist.slice(albumArtist.length + sep[0].length), author);
  }
  // "Douglas Preston, Lincoln Child" against album artist "Douglas Preston & Lincoln Child": the same authors.
  if (artist.toLowerCase().replace(NON_WORD, "") === albumArtist.toLowerCase().replace(NON_WORD, "")) return null;
  if (artist.toLowerCase().includes(albumArtist.toLowerCase())) return null;
  return readersIn(artist, author);
}

/**
 * An AUTHOR tag (the writer, outright) beside an artist naming someone else, with nothing else naming the reader: the
 * artist is the reader, as audiobook presets that write AUTHOR fill ARTIST ("Scott Brick" beside AUTHOR "Frank
 * Herbert"; "Frank Herbert, Scott Brick" the writer then the reader). An artist listing the writer among others
 * joined as co-writers are ("Terry Pratchett & Neil Gaiman") names no reader; so does an album artist that is the
 * writer, whose artist artistAsNarrator has read. The album artist gets the same look when the artist is the writer.
 */
function readerBesideAuthorTag(common: IAudioMetadata["common"], author: string): string | null {
  for (const field of [common.artist, common.albumartist]) {
    const value = cleanText(field);
    if (value === null || samePerson(value, author)) continue;
    const writers = splitAuthors(author) ?? [author];
    const lower = value.toLowerCase();
    const lead = writers.find((w) => lower.startsWith(w.toLowerCase()));
    if (lead !== undefined) {
      const sep = WRITER_THEN_READERS.exec(value.slice(lead.length));
      return sep === null ? null : readersIn(value.slice(lead.length + sep[0].length), author);
    }
    if (writers.some((w) => lower.includes(w.toLowerCase()))) return null;
    return readersIn(value, author);
  }
  return null;
}

/**
 * "Andy Weir, Ray Porter" (or "; ", " / ") as the artist, with Ray Porter the composer or narrator tag: Audible and
 * the taggers that copy it credit writer and reader in one artist. The readers are no writers; a writer reading
 * their own book ("Stephen King" read by Stephen King) keeps the name, as someone must have written it.
 */
function withoutReaders(author: string | null, narrator: string | null): string | null {
  if (author === null || narrator === null) return author;
  const names = splitAuthors(author) ?? [author];
  if (names.length < 2) return author;
  const readers = splitAuthors(narrator) ?? [narrator];
  const kept = names.filter((name) => !readers.some((reader) => samePerson(reader, name)));
  return kept.length === 0 || kept.length === names.length ? author : joinNames(kept);
}

/**
 * "Andy Weir, Ray Porter" as the only artist, with no album artist and nothing naming the reader: Audible's credit
 * of writer and reader, or two writers ("Terry Pratchett, Neil Gaiman"). The tags alone cannot tell; the claim says
 * so, and another source naming the first person alone settles it at merge time (domain/profile.ts).
 */
function mayNameReader(common: IAudioMetadata["common"], author: string): boolean {
  if (cleanText(common.albumartist) !== null || (common.artists?.length ?? 0) > 1) return false;
  const artist = cleanText(common.artist);
  if (artist === null || artist !== author || !(ONE_COMMA.test(artist) || ONE_SEMICOLON.test(artist))) return false;
  const names = splitAuthors(artist);
  return names !== null && names.length === 2;
}
/** Exactly one comma and no other list word: "Last, First" is one person, which splitAuthors tells apart. */
const ONE_COMMA = /^[^,;&/]+,[^,;&/]+$/u;
/**
 * One semicolon, as OverDrive's "Author; Narrator" and Mp3tag's list joiner write two names ("Andy Weir; Ray Porter",
 * "Weir, Andy; Porter, Ray"): as open as the comma's pair.
 */
const ONE_SEMICOLON = /^[^;&/]+;[^;&/]+$/u;

/** "(Narrated by Ray Porter)" closing a comment or description, as Audible's and OpenAudible's blurbs end. */
function proseNarrator(common: IAudioMetadata["common"], native: NativeIndex, author: string | null): string | null {
  const texts = [...(common.comment ?? []).map((c) => nativeText(c)), ...(common.description ?? []), ...DESCRIPTION_KEYS.flatMap((k) => native.get(k) ?? [])];
  for (const text of texts) {
    // A comment that is only the credit ("Narrator: Scott Brick", "Read by Scott Brick") names the reader as a tag does.
    const named = typeof text !== "string" ? null : (readerInProse(text) ?? (text.length <= SHORT_CREDIT && !text.includes("\n") ? readerIn(text.trim()) : null));
    const readers = named === null ? null : readersIn(named, author);
    if (readers !== null) return readers;
  }
  return null;
}
const DESCRIPTION_KEYS = ["COMMENT", "COMM", "©CMT", "DESC", "LDES", "DESCRIPTION"];
/** Longest comment read as a credit line alone: a name or two after the phrase. */
const SHORT_CREDIT = 120;

/**
 * A composer or track artist taken for the reader, cleaned as a narrator tag is ("Read by Jim Dale", "Gelesen von
 * Rufus Beck", "Jim Dale; Stephen Fry": domain/reader-phrase.ts); "Read by the author" names the writer, once known.
 */
function readersIn(value: string, author: string | null): string | null {
  const readers = readerNames([value]).flatMap((r) => (r !== WRITER_READS ? [r] : author !== null ? [author] : []));
  return people(readers);
}
const NON_WORD = /[^\p{L}\p{N}]+|and/gu;
const WRITER_THEN_READERS = /^\s*(?:,|;|\/|\s-)\s*(?=\S)/u;

/** A tag naming a person; placeholders ("Various Artists", "Unknown", a genre) are refused here so the next tag gets its turn. */
function person(value: unknown): string | null {
  const text = cleanText(value);
  return text && checkClaim("author", text).ok ? text : null;
}

/** Several artists (ID3v2.4 NUL-separated, v2.3 "/"-separated) become one "A & B" value. */
function people(values: readonly unknown[]): string | null {
  return joinNames(values.map(person).filter((v): v is string => v !== null));
}

function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The clean values of the first list holding any. */
function allOfFirst(lists: readonly (readonly unknown[])[]): string[] {
  for (const list of lists) {
    const values = list.map((v) => cleanText(v)).filter((v): v is string => v !== null);
    if (values.length > 0) return values;
  }
  return [];
}

function firstClean(values: readonly unknown[]): string | null {
  for (const v of values) {
    const text = cleanText(v);
    if (text) return text;
  }
  return null;
}
