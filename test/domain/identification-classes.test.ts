/**
 * One table per class of real-world naming from issue 13, each with rows that
 * follow the rule and negative rows that only look like it. Rows are written
 * from how libraries are named in practice (Audiobookshelf's documented
 * {Author}/{Series}/{Vol N - YEAR - Title {Narrator}} layout, Libation and
 * OpenAudible exports, tracker release names, "Last, First" shelves).
 */
import { describe, expect, it } from "vitest";
import { analyzePath, stripCollection, type PathHints } from "../../src/domain/path-analysis.js";
import { stripJunk } from "../../src/domain/path-junk.js";
import { joinAuthors, splitAuthors } from "../../src/domain/person-name.js";
import { splitSubtitle } from "../../src/domain/subtitle.js";
import { checkClaim } from "../../src/domain/garbage.js";
import { emptyProfile, mergeSource, resolveProfile } from "../../src/domain/profile.js";

type Row = [path: string, expected: PathHints];

/** Only the fields a row names are compared, so a row says what it is about. */
function check(path: string, expected: PathHints): void {
  const got = analyzePath(path, { isFile: /\.(?:mp3|m4b)$/i.test(path) }) as Record<string, string | undefined>;
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]));
  expect(picked).toEqual(expected);
}

describe("author folders named with collection words", () => {
  it.each<Row>([
    ["Stephen King Collection/The Stand", { author: "Stephen King", title: "The Stand" }],
    ["Isaac Asimov - Complete Works/Foundation", { author: "Isaac Asimov", title: "Foundation" }],
    ["The Complete Works of Jane Austen/Emma", { author: "Jane Austen", title: "Emma" }],
    ["Works of Charles Dickens/Bleak House", { author: "Charles Dickens", title: "Bleak House" }],
    ["Best of Roald Dahl/Matilda", { author: "Roald Dahl", title: "Matilda" }],
    ["Agatha Christie Omnibus/Death on the Nile", { author: "Agatha Christie", title: "Death on the Nile" }],
    ["Philip K. Dick Anthology/Ubik", { author: "Philip K. Dick", title: "Ubik" }],
    ["Arthur Conan Doyle Bibliography/The Lost World", { author: "Arthur Conan Doyle", title: "The Lost World" }],
    ["Selected Works of Oscar Wilde/The Picture of Dorian Gray", { author: "Oscar Wilde", title: "The Picture of Dorian Gray" }],
    ["Terry Pratchett (12345)/Mort", { author: "Terry Pratchett", title: "Mort" }],
    ["Brandon Sanderson [1234]/Cosmere/Elantris", { author: "Brandon Sanderson", series: "Cosmere", title: "Elantris" }],
    ["Neil Gaiman's Collection/Coraline", { author: "Neil Gaiman", title: "Coraline" }],
  ])("%s", check);

  // Negative rows: collection words whose rest is no person stay as they are.
  it.each<[string, string]>([
    ["The Complete Collection", "The Complete Collection"],
    ["Best of Me", "Best of Me"],
    ["Short Story Collection", "Short Story Collection"],
    ["Discworld Collection", "Discworld Collection"],
    ["Dean Koontz", "Dean Koontz"],
    ["Collected Works", "Collected Works"],
  ])("stripCollection(%j) keeps %j", (folder, kept) => {
    expect(stripCollection(folder)).toBe(kept);
  });
});

describe('"Last, First" author folders and author lists', () => {
  it.each<Row>([
    ["Le Guin, Ursula K./A Wizard of Earthsea", { author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" }],
    ["de Balzac, Honoré/Père Goriot", { author: "Honoré de Balzac", title: "Père Goriot" }],
    ["Pratchett, Terry/Mort", { author: "Terry Pratchett", title: "Mort" }],
    ["Pratchett, Terry/Discworld/04 - Mort", { author: "Terry Pratchett", series: "Discworld", series_num: "4", title: "Mort" }],
    ["Pratchett, Terry; Gaiman, Neil/Good Omens", { author: "Terry Pratchett & Neil Gaiman", title: "Good Omens" }],
    ["Preston, Douglas & Child, Lincoln/Relic", { author: "Douglas Preston & Lincoln Child", title: "Relic" }],
    ["Terry Pratchett & Neil Gaiman/Good Omens", { author: "Terry Pratchett & Neil Gaiman", title: "Good Omens" }],
    ["Douglas Preston and Lincoln Child - Relic", { author: "Douglas Preston & Lincoln Child", title: "Relic" }],
    ["Koontz, Dean/Watchers", { author: "Dean Koontz", title: "Watchers" }],
    ["van Gogh, Vincent/Letters", { author: "Vincent van Gogh", title: "Letters" }],
    ["Harry Potter/Harry Potter and the Goblet of Fire", { author: undefined, series: "Harry Potter", title: "Harry Potter and the Goblet of Fire" }],
    ["Sherlock Holmes/The Adventures of Sherlock Holmes", { author: undefined, series: "Sherlock Holmes" }],
    ["Dean Koontz/Dean Koontz's Frankenstein", { author: "Dean Koontz", title: "Dean Koontz's Frankenstein" }],
    // Negative rows: a "Last, First" folder is never swapped into the title.
    ["Tolkien, J.R.R./The Hobbit", { author: "J.R.R. Tolkien", title: "The Hobbit" }],
    ["Pride and Prejudice - Jane Austen", { author: "Jane Austen", title: "Pride and Prejudice" }],
  ])("%s", check);

  it.each<[string, string[] | null]>([
    ["Pratchett, Terry; Gaiman, Neil", ["Terry Pratchett", "Neil Gaiman"]],
    ["Preston, Douglas, Child, Lincoln", ["Douglas Preston", "Lincoln Child"]],
    ["Douglas Preston, Lincoln Child", ["Douglas Preston", "Lincoln Child"]],
    ["Le Guin, Ursula K.", ["Ursula K. Le Guin"]],
    ["Terry Pratchett & Terry Pratchett", ["Terry Pratchett"]],
    ["Pratchett, Terry & Terry Pratchett", ["Terry Pratchett"]],
    ["Martin Luther King, Jr.", ["Martin Luther King, Jr."]],
    ["Krzysztof Gosztyła i Anna Nowak", ["Krzysztof Gosztyła", "Anna Nowak"]],
    ["Кирилл Радциг и Ольга Шорохова", ["Кирилл Радциг", "Ольга Шорохова"]],
    // Negative rows: titles with list words or commas are no author list.
    ["Pride and Prejudice", null],
    ["Eat, Pray, Love", null],
    ["Sherlock Holmes, Book 1", null],
    ["Harry Potter and the Goblet of Fire", null],
  ])("splitAuthors(%j)", (text, list) => {
    expect(splitAuthors(text)).toEqual(list);
  });

  it("keeps the list in the profile, with `author` the display form", () => {
    const profile = mergeSource(emptyProfile(), "embedded_tags", 80, [{ field: "author", value: "Pratchett, Terry; Gaiman, Neil" }, { field: "title", value: "Good Omens" }]);
    const fields = resolveProfile(profile).fields;
    expect(fields.author.value).toBe("Terry Pratchett & Neil Gaiman");
    expect(fields.authors.value).toBe("Terry Pratchett; Neil Gaiman");
    expect(joinAuthors(["A B", "C D", "E F"])).toBe("A B, C D & E F");
  });
});

describe("title junk is cleaned, wherever it stands", () => {
  it.each<Row>([
    ["Dean Koontz/Watchers 64k", { author: "Dean Koontz", title: "Watchers" }],
    ["Dean Koontz/Watchers 128kbps VBR", { title: "Watchers" }],
    ["Dean Koontz/Watchers {512mb}", { title: "Watchers" }],
    ["Dean Koontz/Watchers [1.2 GB]", { title: "Watchers" }],
    ["Dean Koontz/Watchers 12h 30m", { title: "Watchers" }],
    ["Dean Koontz/Watchers 03.15.22", { title: "Watchers" }],
    ["Dean Koontz/Watchers -Unabridged-", { title: "Watchers" }],
    ["Dean Koontz/Watchers (Audiobook)", { title: "Watchers" }],
    ["Dean Koontz/Watchers (Horror)", { title: "Watchers" }],
    ["Dean Koontz/Watchers (2345678)", { title: "Watchers" }],
    ["Dean Koontz/Watchers [B00ABC1234]", { title: "Watchers" }],
    ["Dean Koontz/Watchers v01", { title: "Watchers" }],
    ["Dean Koontz/Watchers by Dean Koontz", { author: "Dean Koontz", title: "Watchers" }],
    ["Dean Koontz/Watchers www.somesite.example", { title: "Watchers" }],
    ["www.somesite.example - Dean Koontz - Watchers", { author: "Dean Koontz", title: "Watchers" }],
    ["Dean Koontz/Watchers-PRiSM", { title: "Watchers" }],
    ["Dean Koontz/Watchers [multi]", { title: "Watchers" }],
    ["Stephen King/The Stand (Complete & Uncut)", { title: "The Stand" }],
    // Negative rows: numbers, dots and hyphens that belong to the title.
    ["Stephen King/11.22.63", { title: "11.22.63" }],
    ["Joseph Heller/Catch-22", { title: "Catch-22" }],
    ["Marvel/X-MEN", { title: "X-MEN" }],
    ["Andy Weir/The Martian (Dramatized)", { title: "The Martian" }],
    ["Ray Bradbury/Fahrenheit 451", { title: "Fahrenheit 451" }],
    ["George Orwell/1984 (1949)", { title: "1984", year: "1949" }],
  ])("%s", check);

  it.each<[string, string]>([
    ["Some Title www.somesite.example", "Some Title"],
    ["https://tracker.example/t/123 Some Title", "Some Title"],
    ["Some Title [www.abc.example]", "Some Title"],
    ["Some Title (Unabridged) [64k]", "Some Title"],
    ["Some Title 128kbps", "Some Title"],
    ["Some Title-PRiSM", "Some Title"],
  ])("a tag %j is cleaned to %j, not rejected", (raw, clean) => {
    expect(checkClaim("title", raw)).toEqual({ ok: true, value: clean });
  });
});

describe("year and volume prefixes; the parent series folder wins", () => {
  it.each<Row>([
    ["Dean Koontz/1987 - Watchers", { author: "Dean Koontz", title: "Watchers", year: "1987" }],
    ["Terry Goodkind/Sword of Truth/Vol 1 - 1994 - Wizards First Rule {Sam Tsoutsouvas}", { author: "Terry Goodkind", series: "Sword of Truth", series_num: "1", year: "1994", title: "Wizards First Rule", narrator: "Sam Tsoutsouvas" }],
    ["Terry Goodkind/Sword of Truth/Vol 2 - 1995 - Stone of Tears", { series: "Sword of Truth", series_num: "2", year: "1995", title: "Stone of Tears" }],
    ["Brandon Sanderson/Mistborn/Vol. 2 - 2007 - The Well of Ascension - A Mistborn Novel {Michael Kramer}", { series: "Mistborn", series_num: "2", year: "2007", title: "The Well of Ascension", subtitle: "A Mistborn Novel", narrator: "Michael Kramer" }],
    ["James S. A. Corey/The Expanse/Book 3 - Abaddon's Gate", { series: "The Expanse", series_num: "3", title: "Abaddon's Gate" }],
    ["Stephen King/The Dark Tower/The Dark Tower Book 3 The Waste Lands", { series: "The Dark Tower", series_num: "3", title: "The Waste Lands" }],
    ["Terry Pratchett/Discworld/Discworld 05 Sourcery", { series: "Discworld", series_num: "5", title: "Sourcery" }],
    ["Robin Hobb/Farseer/Assassin's Apprentice - Volume 1", { series: "Farseer", series_num: "1", title: "Assassin's Apprentice" }],
    ["Tana French/Dublin Murder Squad/Vol. 4 - 2012 - Broken Harbor", { series: "Dublin Murder Squad", series_num: "4", year: "2012", title: "Broken Harbor" }],
    ["Robert Jordan/The Wheel of Time/The Eye of the World (Wheel of Time #1)", { series: "The Wheel of Time", series_num: "1", title: "The Eye of the World" }],
    ["Andy Weir - 2014 - The Martian", { author: "Andy Weir", year: "2014", title: "The Martian", series: undefined }],
    ["Stephen King - 2011 - 11.22.63", { author: "Stephen King", year: "2011", title: "11.22.63", series: undefined }],
    ["J.R.R. Tolkien/The Lord of the Rings/1 The Fellowship of the Ring", { series: "The Lord of the Rings", series_num: "1", title: "The Fellowship of the Ring" }],
    ["Dennis E. Taylor/Bobiverse/1. We Are Legion (We Are Bob)", { series: "Bobiverse", series_num: "1", title: "We Are Legion (We Are Bob)" }],
    // Negative rows: a year that is the title, a number that is part of the title.
    ["George Orwell/1984", { title: "1984" }],
    ["Stephen King/1922", { title: "1922" }],
    ["Jordan B. Peterson/12 Rules for Life", { title: "12 Rules for Life" }],
    ["Jim Lovell/Apollo 13", { title: "Apollo 13" }],
  ])("%s", check);
});

describe("subtitles are their own field", () => {
  it.each<Row>([
    ["Yuval Noah Harari/Sapiens - A Brief History of Humankind", { title: "Sapiens", subtitle: "A Brief History of Humankind" }],
    ["Yuval Noah Harari/Sapiens: A Brief History of Humankind", { title: "Sapiens", subtitle: "A Brief History of Humankind" }],
    ["Steven Levy/Hackers - Heroes of the Computer Revolution {Mike Chamberlain}", { title: "Hackers", subtitle: "Heroes of the Computer Revolution", narrator: "Mike Chamberlain" }],
    ["Walter Isaacson/Einstein - His Life and Universe", { title: "Einstein", subtitle: "His Life and Universe" }],
    ["Terry Goodkind/Heart of Black Ice - Sister of Darkness", { title: "Heart of Black Ice", subtitle: "Sister of Darkness" }],
    ["Malcolm Gladwell/Outliers - The Story of Success (2008)", { title: "Outliers", subtitle: "The Story of Success", year: "2008" }],
    // Negative rows: a dash that separates author and title, or series and title, or a short second part.
    ["Timothy Zahn/Star Wars - Thrawn", { title: "Star Wars - Thrawn", subtitle: undefined }],
    ["Dean Koontz - Watchers", { author: "Dean Koontz", title: "Watchers" }],
    ["Watchers - Dean Koontz", { author: "Dean Koontz", title: "Watchers" }],
    ["Brandon Sanderson/Mistborn/Mistborn - The Well of Ascension", { series: "Mistborn", title: "The Well of Ascension" }],
    ["Joseph Heller/Catch-22", { title: "Catch-22" }],
    ["Jean-Luc Picard/The Autobiography", { title: "The Autobiography" }],
  ])("%s", check);

  it.each<[string, [string, string] | null]>([
    ["Sapiens: A Brief History of Humankind", ["Sapiens", "A Brief History of Humankind"]],
    ["Dune : Part One", ["Dune", "Part One"]],
    ["Book 1: The Final Empire", null],
    ["Vol. 2: Stone of Tears", null],
    ["Re:Zero", null],
    ["12:01", null],
    [": leading colon", null],
  ])("splitSubtitle(%j)", (title, split) => {
    expect(splitSubtitle(title)).toEqual(split);
  });

  it("every source's title splits the same way, so the path and the tags agree", () => {
    let profile = mergeSource(emptyProfile(), "path", 40, [{ field: "title", value: "Sapiens" }, { field: "subtitle", value: "A Brief History of Humankind" }]);
    profile = mergeSource(profile, "embedded_tags", 80, [{ field: "title", value: "Sapiens: A Brief History of Humankind" }]);
    const fields = resolveProfile(profile).fields;
    expect([fields.title.value, fields.title.sources]).toEqual(["Sapiens", ["path", "embedded_tags"]]);
    expect(fields.subtitle.value).toBe("A Brief History of Humankind");
  });
});

describe("long and composite names", () => {
  it.each<Row>([
    [
      "Brandon Sanderson - Mistborn - Book 02 - 2007 - The Well of Ascension - A Mistborn Novel (Unabridged) [Michael Kramer] {64k} www.example-tracker.org - 12h 30m",
      { author: "Brandon Sanderson", series: "Mistborn", series_num: "2", year: "2007", title: "The Well of Ascension", subtitle: "A Mistborn Novel", narrator: "Michael Kramer" },
    ],
    [
      "Incoming/Robert Jordan - The Wheel of Time Book 4 - The Shadow Rising (1992) [Kate Reading, Michael Kramer] (Unabridged) [MP3 64kbps]",
      { author: "Robert Jordan", series: "The Wheel of Time", series_num: "4", year: "1992", title: "The Shadow Rising", narrator: "Kate Reading, Michael Kramer" },
    ],
    [
      "James S. A. Corey - The Expanse 01 - Leviathan Wakes - Jefferson Mays - 2011 - 20h 55m - 128k - Retail",
      { author: "James S. A. Corey", series: "The Expanse", series_num: "1", title: "Leviathan Wakes" },
    ],
    ["George R.R. Martin - A Song of Ice and Fire 01 - A Game of Thrones (Unabridged) {Roy Dotrice}", { author: "George R.R. Martin", series: "A Song of Ice and Fire", series_num: "1", title: "A Game of Thrones", narrator: "Roy Dotrice" }],
    ["Dean Koontz - Odd Thomas 02 - Forever Odd - Narrated by David Aaron Baker - 2005", { author: "Dean Koontz", series: "Odd Thomas", series_num: "2", title: "Forever Odd", narrator: "David Aaron Baker", year: "2005" }],
    [`Terry Pratchett - Discworld 04 - Mort - ${"Extended Release Notes ".repeat(8).trim()}`, { author: "Terry Pratchett", series: "Discworld", series_num: "4", title: "Mort" }],
    ["Audiobooks/Fantasy/Brandon Sanderson/The Stormlight Archive/Book 01 - 2010 - The Way of Kings {Michael Kramer, Kate Reading}", { author: "Brandon Sanderson", series: "The Stormlight Archive", series_num: "1", year: "2010", title: "The Way of Kings", narrator: "Michael Kramer, Kate Reading" }],
    ["Stephen King - The Stand - Grover Gardner", { author: "Stephen King", title: "The Stand", narrator: "Grover Gardner" }],
    // Negative rows: several dashes that are one title or no author.
    ["Peter David - Spider-Man - Down These Mean Streets", { author: "Peter David", series: "Spider-Man", title: "Down These Mean Streets" }],
    ["Star Wars - Thrawn", { title: "Star Wars - Thrawn" }],
  ])("%s", check);

  it("a 200+ byte name never glues the author into the title", () => {
    const name = "Ursula K. Le Guin - Earthsea Cycle 01 - A Wizard of Earthsea - The First Book of Earthsea (1968) [Rob Inglis] (Unabridged) {MP3 64kbps 180MB} www.audio-tracker.example - RG Audiobooks Release 2024 Edition";
    expect(Buffer.byteLength(name)).toBeGreaterThan(200);
    const hints = analyzePath(name);
    expect([hints.author, hints.title, hints.series, hints.series_num]).toEqual(["Ursula K. Le Guin", "A Wizard of Earthsea", "Earthsea Cycle", "1"]);
    expect(hints.title).not.toContain("Le Guin");
  });
});

describe("narrators in names", () => {
  it.each<Row>([
    ["Dean Koontz/Watchers {Kirby Heyborne}", { title: "Watchers", narrator: "Kirby Heyborne" }],
    ["Dean Koontz/Watchers [Kirby Heyborne]", { title: "Watchers", narrator: "Kirby Heyborne" }],
    ["Dean Koontz/Watchers (Narrated by Kirby Heyborne)", { title: "Watchers", narrator: "Kirby Heyborne" }],
    ["Dean Koontz/Watchers read by Kirby Heyborne", { title: "Watchers", narrator: "Kirby Heyborne" }],
    ["Dean Koontz/Watchers - Read by Kirby Heyborne", { title: "Watchers", narrator: "Kirby Heyborne" }],
    ["Douglas Adams/The Hitchhiker's Guide to the Galaxy (Stephen Fry)", { title: "The Hitchhiker's Guide to the Galaxy", narrator: "Stephen Fry" }],
    ["Andy_Weir_-_The_Martian_(2014)_[R.C._Bray]", { author: "Andy Weir", title: "The Martian", year: "2014", narrator: "R.C. Bray" }],
    ["Dean Koontz/Watchers (Performed by Kirby Heyborne)", { title: "Watchers", narrator: "Kirby Heyborne" }],
    ["Dean Koontz - Watchers (1987) [Kirby Heyborne] 64k", { author: "Dean Koontz", title: "Watchers", narrator: "Kirby Heyborne", year: "1987" }],
    // Negative rows: brackets and parentheses that name no reader.
    ["Robert Galbraith (J.K. Rowling) - The Cuckoo's Calling", { author: "Robert Galbraith", title: "The Cuckoo's Calling", narrator: undefined }],
    ["Dean Koontz/Watchers [MP3]", { title: "Watchers", narrator: undefined }],
    ["Dean Koontz/Watchers (Dramatized)", { narrator: undefined }],
    ["[ABB] Dan Simmons - Hyperion", { author: "Dan Simmons", title: "Hyperion", narrator: undefined }],
    ["Stand by Me", { title: "Stand by Me", narrator: undefined }],
  ])("%s", check);
});
