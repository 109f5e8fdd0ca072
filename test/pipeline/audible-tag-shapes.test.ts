/**
 * Tags as Audible downloads, Libation, OpenAudible, inAudible/AAXtoMP3 and m4b-tool write them, read through the
 * real pipeline (real files, real SQLite). The folder is only an ASIN, which names no title, so each row's fields
 * come from its tags.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeM4b, writeMp3, type FixtureTags } from "../../fixtures/audio.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { fieldsByTopFolder } from "../support/identify-builtin.js";

type Row = { name: string; folder?: string; format?: "mp3" | "m4b"; tags: FixtureTags; extra?: Record<string, string>; sidecars?: Record<string, string>; want: Record<string, string | null> };

const opf = (title: string, extra = "") =>
  `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf"><metadata><dc:title>${title}</dc:title><dc:creator opf:role="aut">Stephen King</dc:creator>${extra}</metadata></package>`;

const ROWS: Row[] = [
  // A series' name and position before the colon; a title after it.
  { name: "dark-tower-3", tags: { album: "The Dark Tower III: The Waste Lands", artist: "Stephen King" }, want: { series: "The Dark Tower", series_num: "3", title: "The Waste Lands", subtitle: null } },
  { name: "expanse-1", tags: { album: "The Expanse 1: Leviathan Wakes", artist: "James S. A. Corey" }, want: { series: "The Expanse", series_num: "1", title: "Leviathan Wakes" } },
  { name: "thrawn", tags: { album: "Star Wars: Thrawn (Book I)", artist: "Timothy Zahn" }, want: { series: "Star Wars", series_num: "1", title: "Thrawn" } },
  { name: "mistborn-dash", tags: { album: "Mistborn 3 - The Hero of Ages", artist: "Brandon Sanderson" }, want: { series: "Mistborn", series_num: "3", title: "The Hero of Ages" } },
  // Numbers and rulers that are titles stay titles.
  { name: "world-war", tags: { album: "World War II: A History", artist: "Antony Beevor" }, want: { title: "World War II", series: null } },
  { name: "richard", tags: { album: "Richard III: The King in the Car Park", artist: "Philippa Langley" }, want: { title: "Richard III", series: null } },
  { name: "1984", tags: { album: "1984", artist: "George Orwell" }, want: { title: "1984", series: null, series_num: null, year: null } },
  { name: "catch", tags: { album: "Catch-22", artist: "Joseph Heller" }, want: { title: "Catch-22", series: null, series_num: null } },
  { name: "apollo", tags: { album: "Apollo 13: The Untold Story", artist: "Jim Lovell" }, want: { title: "Apollo 13", series: null } },
  // Audible's title forms.
  { name: "final-empire", format: "m4b", tags: { album: "The Final Empire: Mistborn, Book 1", artist: "Brandon Sanderson" }, want: { title: "The Final Empire", series: "Mistborn", series_num: "1" } },
  { name: "way-of-kings", format: "m4b", tags: { album: "The Way of Kings (The Stormlight Archive, Book 1)", artist: "Brandon Sanderson" }, want: { title: "The Way of Kings", series: "The Stormlight Archive", series_num: "1" } },
  { name: "circe", format: "m4b", tags: { album: "Circe: A Novel", artist: "Madeline Miller" }, want: { title: "Circe", series: null } },
  { name: "sapiens", format: "m4b", tags: { album: "Sapiens: A Brief History of Humankind", artist: "Yuval Noah Harari" }, want: { title: "Sapiens", subtitle: "A Brief History of Humankind", series: null } },
  { name: "eye-of-world", format: "m4b", tags: { album: "The Eye of the World, Book 1", artist: "Robert Jordan", series: "The Wheel of Time", series_part: "1" }, want: { title: "The Eye of the World", series: "The Wheel of Time", series_num: "1" } },
  { name: "hail-mary", format: "m4b", tags: { album: "Project Hail Mary (Unabridged)", artist: "Andy Weir" }, want: { title: "Project Hail Mary" } },
  // iTunes grouping and movement tags (Audible, Libation).
  { name: "grouping", format: "m4b", tags: { album: "Words of Radiance", artist: "Brandon Sanderson", grouping: "The Stormlight Archive, Book 2" }, want: { title: "Words of Radiance", series: "The Stormlight Archive", series_num: "2" } },
  { name: "movement", format: "m4b", tags: { album: "Abaddon's Gate", artist: "James S. A. Corey", series: "The Expanse", series_part: "3" }, want: { title: "Abaddon's Gate", series: "The Expanse", series_num: "3" } },
  { name: "mvnm", tags: { album: "Abaddon's Gate", artist: "James S. A. Corey" }, extra: { MVNM: "The Expanse", MVIN: "3" }, want: { series: "The Expanse", series_num: "3" } },
  { name: "txxx-series", tags: { album: "Guards! Guards!", artist: "Terry Pratchett" }, extra: { "TXXX:series": "Discworld", "TXXX:series-part": "8" }, want: { series: "Discworld", series_num: "8", title: "Guards! Guards!" } },
  // People.
  { name: "composer-narrator", format: "m4b", tags: { album: "Project Hail Mary", album_artist: "Andy Weir", artist: "Andy Weir", composer: "Ray Porter" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  { name: "artist-semicolon", tags: { album: "Project Hail Mary", album_artist: "Andy Weir", artist: "Andy Weir; Ray Porter" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  { name: "artist-slash", tags: { album: "Project Hail Mary", album_artist: "Andy Weir", artist: "Andy Weir / Ray Porter" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  { name: "comment-narrated", tags: { album: "Project Hail Mary", artist: "Andy Weir", comment: "A lone astronaut must save the earth. (Narrated by Ray Porter)" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  { name: "comment-initials", tags: { album: "Project Hail Mary", artist: "Andy Weir", comment: "Narrated by J. K. Simmons. A lone astronaut." }, want: { narrator: "J. K. Simmons" } },
  { name: "comment-prose", tags: { album: "Project Hail Mary", artist: "Andy Weir", comment: "A tale narrated by a dog. Read by millions of fans." }, want: { narrator: null } },
  { name: "artist-writer-reader", tags: { album: "Project Hail Mary", artist: "Andy Weir, Ray Porter", composer: "Ray Porter" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  { name: "artist-writer-reader-tag", format: "m4b", tags: { album: "Project Hail Mary", artist: "Andy Weir; Ray Porter", narrator: "Ray Porter" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  // "Author, Narrator" as the only artist with nothing naming the reader: the folder's writer settles it; two writers
  // the folder names both, or no folder naming anyone, keep the list.
  { name: "artist-list-path", folder: "Andy Weir/Project Hail Mary", tags: { album: "Project Hail Mary", artist: "Andy Weir, Ray Porter" }, want: { author: "Andy Weir" } },
  { name: "artist-list-two-writers", folder: "Terry Pratchett & Neil Gaiman/Good Omens", tags: { album: "Good Omens", artist: "Terry Pratchett, Neil Gaiman" }, want: { author: "Terry Pratchett & Neil Gaiman" } },
  // "A / B" (ID3v2.3's way of listing artists) alone reads as "A, B" does.
  { name: "artist-slash-alone", tags: { album: "The Talisman", artist: "Stephen King / Peter Straub" }, want: { author: "Stephen King & Peter Straub", narrator: null } },
  { name: "artist-slash-path", folder: "Andy Weir/Project Hail Mary", tags: { album: "Project Hail Mary", artist: "Andy Weir / Ray Porter" }, want: { author: "Andy Weir" } },
  { name: "artist-list-alone", tags: { album: "Good Omens", artist: "Terry Pratchett, Neil Gaiman" }, want: { author: "Terry Pratchett & Neil Gaiman" } },
  // "Series: Title" with no series tag: the series another source names (here the folders) is the words before the
  // colon, so the title is what follows; with no source naming a series the colon splits title and subtitle.
  { name: "colon-series-from-path", folder: "Brandon Sanderson/Mistborn/The Final Empire", tags: { album: "Mistborn: The Final Empire", artist: "Brandon Sanderson" }, want: { title: "The Final Empire", subtitle: null, series: "Mistborn" } },
  { name: "colon-series-numbered-path", folder: "Brandon Sanderson/Mistborn/Book 1", tags: { album: "Mistborn: The Final Empire", artist: "Brandon Sanderson" }, want: { title: "The Final Empire", subtitle: null, series: "Mistborn", series_num: "1" } },
  // The book's own folder named for the words before the colon, a book's title after it: the folder names the series.
  { name: "colon-series-folder-title", folder: "Brandon Sanderson/Mistborn", tags: { album: "Mistborn: The Final Empire", artist: "Brandon Sanderson" }, want: { title: "The Final Empire", subtitle: null, series: "Mistborn" } },
  { name: "colon-subtitle-folder-title", folder: "Yuval Noah Harari/Sapiens", tags: { album: "Sapiens: A Brief History of Humankind", artist: "Yuval Noah Harari" }, want: { title: "Sapiens", subtitle: "A Brief History of Humankind", series: null } },
  { name: "colon-no-series", tags: { album: "Mistborn: The Final Empire", artist: "Brandon Sanderson" }, want: { title: "Mistborn", subtitle: "The Final Empire", series: null } },
  // Rippers' albums named like folders, with the writer as a dashed piece; a series and number closing the album.
  { name: "album-writer-first", tags: { album: "Andy Weir - Project Hail Mary", artist: "Andy Weir" }, want: { author: "Andy Weir", title: "Project Hail Mary" } },
  { name: "album-writer-last", tags: { album: "Project Hail Mary - Andy Weir", artist: "Andy Weir" }, want: { title: "Project Hail Mary" } },
  { name: "album-no-writer", tags: { album: "Star Wars - Thrawn", artist: "Timothy Zahn" }, want: { title: "Star Wars - Thrawn", series: null } },
  { name: "album-series-dash", tags: { album: "The Final Empire - Mistborn 1", artist: "Brandon Sanderson" }, want: { title: "The Final Empire", series: "Mistborn", series_num: "1" } },
  { name: "album-apollo-dash", tags: { album: "Lost Moon - Apollo 13", artist: "Jim Lovell" }, want: { title: "Lost Moon - Apollo 13", series: null } },
  // "Author - Narrator" as the only artist reads as "Author; Narrator" does.
  { name: "artist-dash", tags: { album: "Project Hail Mary", artist: "Andy Weir - Ray Porter" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  // Two writers there ("Stephen King - Peter Straub"): a folder naming both, or a blurb naming someone else the reader, says so.
  { name: "artist-dash-co-writers-path", folder: "Stephen King & Peter Straub/The Talisman", tags: { album: "The Talisman", artist: "Stephen King - Peter Straub" }, want: { author: "Stephen King & Peter Straub", narrator: null } },
  // Tags naming the first writer alone, a folder naming both: the folder's pair.
  { name: "artist-one-co-writer-folder", folder: "Stephen King & Peter Straub/The Talisman", tags: { album: "The Talisman", artist: "Stephen King" }, want: { author: "Stephen King & Peter Straub", narrator: null } },
  { name: "artist-dash-co-writers-blurb", tags: { album: "The Talisman", artist: "Stephen King - Peter Straub", comment: "A boy crosses America. (Narrated by Frank Muller)" }, want: { author: "Stephen King & Peter Straub", narrator: "Frank Muller" } },
  { name: "artist-dash-reader-path", folder: "Andy Weir/Project Hail Mary", tags: { album: "Project Hail Mary", artist: "Andy Weir - Ray Porter" }, want: { author: "Andy Weir", narrator: "Ray Porter" } },
  { name: "co-authors", tags: { album: "Good Omens", artist: "Terry Pratchett, Neil Gaiman", composer: "Martin Jarvis" }, want: { author: "Terry Pratchett & Neil Gaiman", narrator: "Martin Jarvis" } },
  // Without a series, nothing says what ", Book 1" counts: it stays.
  { name: "book-no-series", tags: { album: "The Eye of the World, Book 1", artist: "Robert Jordan" }, want: { title: "The Eye of the World, Book 1", series: null } },
  // A subtitle that is the series and its position is the series (Libation, Audiobookshelf copy Audible's).
  { name: "subtitle-series", format: "m4b", tags: { album: "The Final Empire", artist: "Brandon Sanderson" }, extra: { "----:SUBTITLE": "Mistborn, Book 1" }, want: { title: "The Final Empire", subtitle: null, series: "Mistborn", series_num: "1" } },
  { name: "subtitle-novel", format: "m4b", tags: { album: "Circe", artist: "Madeline Miller" }, extra: { "----:SUBTITLE": "A Novel" }, want: { title: "Circe", subtitle: "A Novel", series: null } },
  // Sidecars read the same shapes.
  { name: "abs-subtitle-series", tags: {}, sidecars: { "metadata.json": JSON.stringify({ title: "The Way of Kings", subtitle: "The Stormlight Archive, Book 1", authors: ["Brandon Sanderson"] }) }, want: { title: "The Way of Kings", subtitle: null, series: "The Stormlight Archive", series_num: "1" } },
  { name: "abs-series-and-subtitle", tags: {}, sidecars: { "metadata.json": JSON.stringify({ title: "Words of Radiance", subtitle: "The Stormlight Archive, Book 2", authors: ["Brandon Sanderson"], series: [{ name: "The Stormlight Archive", sequence: "2" }] }) }, want: { title: "Words of Radiance", subtitle: null, series: "The Stormlight Archive", series_num: "2" } },
  { name: "opf-roman-lead", tags: {}, sidecars: { "metadata.opf": opf("The Dark Tower III: The Waste Lands") }, want: { author: "Stephen King", title: "The Waste Lands", series: "The Dark Tower", series_num: "3", subtitle: null } },
  { name: "opf-book-suffix", tags: {}, sidecars: { "metadata.opf": opf("The Gunslinger, Book 1", '<meta name="calibre:series" content="The Dark Tower"/><meta name="calibre:series_index" content="1"/>') }, want: { title: "The Gunslinger", series: "The Dark Tower", series_num: "1" } },
  { name: "opf-world-war", tags: {}, sidecars: { "metadata.opf": opf("World War II: A History") }, want: { title: "World War II", subtitle: "A History", series: null } },
  { name: "title-only-lead", format: "m4b", tags: { title: "The Expanse 2 - Caliban's War", artist: "James S. A. Corey" }, want: { title: "Caliban's War", series: "The Expanse", series_num: "2" } },
  { name: "artist-sorted", tags: { album: "Project Hail Mary", artist: "Weir, Andy" }, want: { author: "Andy Weir" } },
  // An album dated "(1978)" as folders are; a series' position in another language, after a full stop too.
  { name: "album-year", tags: { album: "The Stand (1978)", artist: "Stephen King" }, want: { title: "The Stand", year: "1978" } },
  { name: "album-tom", tags: { album: "Wiedźmin. Tom 1. Ostatnie życzenie", artist: "Andrzej Sapkowski" }, want: { title: "Ostatnie życzenie", series: "Wiedźmin", series_num: "1" } },
  { name: "album-band", tags: { album: "Tintenwelt, Band 2: Tintenblut", artist: "Cornelia Funke" }, want: { title: "Tintenblut", series: "Tintenwelt", series_num: "2" } },
  { name: "reissue", tags: { album: "Dune", artist: "Frank Herbert", year: "2019-05-14" }, extra: { TDOR: "1965" }, want: { year: "1965" } },
  { name: "lang-name", format: "m4b", tags: { album: "Der Schwarm", artist: "Frank Schätzing", language: "German" }, want: { language: "de" } },
  { name: "lang-de", tags: { album: "Der Schwarm", artist: "Frank Schätzing", language: "de" }, want: { language: "de" } },
  // Plex's ordering (mp3tag's Audible source): the album sort names the series when it ends with the album.
  { name: "album-sort", tags: { album: "The Final Empire", artist: "Brandon Sanderson" }, extra: { TSOA: "Mistborn 1 - The Final Empire" }, want: { title: "The Final Empire", series: "Mistborn", series_num: "1" } },
  { name: "album-sort-m4b", format: "m4b", tags: { album: "The Final Empire", artist: "Brandon Sanderson" }, extra: { soal: "Mistborn, Book 1: The Final Empire" }, want: { title: "The Final Empire", series: "Mistborn", series_num: "1" } },
  { name: "album-sort-other", tags: { album: "The Final Empire", artist: "Brandon Sanderson" }, extra: { TSOA: "Final Empire 2 - Other" }, want: { series: null } },
  { name: "artist-sort-only", format: "m4b", tags: { album: "Project Hail Mary" }, extra: { soar: "Weir, Andy" }, want: { author: "Andy Weir" } },
  // The series tag and the album's series may differ by an article; "Book One of the Series" counts in it.
  { name: "article-series", format: "m4b", tags: { album: "Leviathan Wakes: Expanse, Book 1", artist: "James S. A. Corey", series: "The Expanse", series_part: "1" }, want: { title: "Leviathan Wakes", series: "The Expanse", series_num: "1" } },
  { name: "book-one-of", format: "m4b", tags: { album: "The Way of Kings: Book One of the Stormlight Archive", artist: "Brandon Sanderson" }, want: { title: "The Way of Kings", series: "Stormlight Archive", series_num: "1", subtitle: null } },
  { name: "book-of-tagged", tags: { album: "Wolves of the Calla (Book 5 of The Dark Tower)", artist: "Stephen King", series: "The Dark Tower" }, want: { title: "Wolves of the Calla", series: "The Dark Tower", series_num: "5" } },
  { name: "book-of-three", tags: { album: "A Tale: Book Two of Three", artist: "Some Writer" }, want: { series: null } },
  { name: "title-unabridged", format: "m4b", tags: { title: "Project Hail Mary (Unabridged)", artist: "Andy Weir" }, want: { title: "Project Hail Mary" } },
  { name: "grouping-hash", format: "m4b", tags: { album: "The Well of Ascension", artist: "Brandon Sanderson", grouping: "Mistborn, Book #2" }, want: { series: "Mistborn", series_num: "2" } },
  { name: "desc-narrated", tags: {}, sidecars: { "metadata.json": JSON.stringify({ title: "Dune", authors: ["Frank Herbert"], description: "Set on the desert planet Arrakis. (Narrated by Scott Brick)" }) }, want: { narrator: "Scott Brick" } },
  { name: "opf-desc-narrated", tags: {}, sidecars: { "metadata.opf": opf("It", "<dc:description>A town haunted. Read by Steven Weber.</dc:description>") }, want: { narrator: "Steven Weber" } },
  { name: "desc-txt-narrated", tags: { album: "Dune", artist: "Frank Herbert" }, sidecars: { "desc.txt": "Set on the desert planet Arrakis.\n\nNarrated by Scott Brick" }, want: { narrator: "Scott Brick" } },
  { name: "franchise-series", format: "m4b", tags: { album: "Star Wars: Thrawn (Book I)", artist: "Timothy Zahn", series: "Star Wars: Thrawn", series_part: "1" }, want: { title: "Thrawn", series: "Star Wars: Thrawn", series_num: "1" } },
  { name: "chapter-dash", tags: { album: "Part 1 - The Fellowship", artist: "J. R. R. Tolkien" }, want: { series: null } },
  { name: "desc-read-by-author", tags: {}, sidecars: { "metadata.json": JSON.stringify({ title: "On Writing", authors: ["Stephen King"], description: "A memoir of the craft. (Read by the author)" }) }, want: { narrator: "Stephen King" } },
  { name: "comment-read-by-author", tags: { album: "On Writing", artist: "Stephen King", comment: "A memoir of the craft. Read by the author." }, want: { narrator: "Stephen King" } },
  // Dates and languages.
  { name: "date-iso", format: "m4b", tags: { album: "The Martian", artist: "Andy Weir", year: "2014-02-11T00:00:00Z" }, want: { year: "2014" } },
  { name: "lang-eng", tags: { album: "The Martian", artist: "Andy Weir", language: "eng" }, want: { language: "en" } },
  { name: "lang-deu", format: "m4b", tags: { album: "Der Schwarm", artist: "Frank Schätzing", language: "deu" }, want: { language: "de" } },
];

let tmp: string;
const got = new Map<string, Record<string, string | null>>();

beforeAll(async () => {
  tmp = makeTempDir("audible-tag-shapes");
  const root = path.join(tmp, "library");
  ROWS.forEach((row, i) => {
    const dir = path.join(root, row.name, row.folder ?? `B0${String(i).padStart(8, "0")}`.slice(0, 10).replace(/^B0/, "B0"));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, row.format === "m4b" ? "book.m4b" : "book.mp3");
    if (row.format === "m4b") writeM4b(file, row.tags, { extra: row.extra });
    else writeMp3(file, row.tags, { extra: row.extra });
    for (const [name, text] of Object.entries(row.sidecars ?? {})) fs.writeFileSync(path.join(dir, name), text);
  });
  for (const [name, fields] of await fieldsByTopFolder(root, path.join(tmp, "shelfwise.db"))) got.set(name, fields);
});
afterAll(() => removeTempDir(tmp));

describe("Audible-shaped tags", () => {
  it.each(ROWS.map((row) => [row.name, row] as const))("%s", (name, row) => {
    const fields = got.get(name);
    expect(fields, "the scan found the book").toBeDefined();
    expect(Object.fromEntries(Object.keys(row.want).map((k) => [k, fields![k] ?? null]))).toEqual(row.want);
  });
});
