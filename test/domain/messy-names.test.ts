/**
 * Classes of real-world names that were misread: a year-sized number opening a title, writers known by
 * one name, Chinese and Japanese author lists, shelves inside a series (eras, seasons, arcs), and the
 * torrent, NAS and Audible-export spellings around them. Each table has negative rows: names of the
 * same shape that must keep the old reading. Only the fields a row names are compared.
 */
import { describe, expect, it } from "vitest";
import { analyzePath, readPath, type PathHints } from "../../src/domain/path-analysis.js";
import { nameScore, splitAuthors } from "../../src/domain/person-name.js";
import { isNumberTitle } from "../../src/domain/number-titles.js";
import { withRomanPosition } from "../../src/domain/roman-series.js";
import { emptyProfile, mergeSource, resolveProfile } from "../../src/domain/profile.js";
import { foldPeople } from "../../src/domain/normalize.js";

type Row = [path: string, expected: PathHints];

function check(path: string, expected: PathHints): void {
  const got = analyzePath(path, { isFile: /\.(?:mp3|m4b)$/i.test(path) }) as Record<string, string | undefined>;
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]));
  expect(picked).toEqual(expected);
}

describe("a year-sized number that opens the title is no year", () => {
  it.each<Row>([
    ["Arthur C. Clarke/2001 - A Space Odyssey", { author: "Arthur C. Clarke", title: "2001: A Space Odyssey", year: undefined }],
    ["Arthur C. Clarke/2010 - Odyssey Two", { author: "Arthur C. Clarke", title: "2010: Odyssey Two", year: undefined }],
    ["Arthur C. Clarke - 2001 - A Space Odyssey", { author: "Arthur C. Clarke", title: "2001: A Space Odyssey", year: undefined }],
    ["2001 - A Space Odyssey - Arthur C. Clarke", { author: "Arthur C. Clarke", title: "2001: A Space Odyssey", year: undefined }],
    ["Arthur C. Clarke/Space Odyssey/01 - 2001 - A Space Odyssey", { series: "Space Odyssey", series_num: "1", title: "2001: A Space Odyssey", year: undefined }],
    ["Arthur C. Clarke/2001 - A Space Odyssey (1968) {Dan Stevens}", { title: "2001: A Space Odyssey", year: "1968", narrator: "Dan Stevens" }],
    // The words speak of the number as a year, or call the book a novel.
    ["Mark Kurlansky/1968 - The Year That Rocked the World", { author: "Mark Kurlansky", title: "1968: The Year That Rocked the World", year: undefined }],
    ["Jay Winik/1944 - FDR and the Year That Changed History", { title: "1944: FDR and the Year That Changed History", year: undefined }],
    ["Charles Emmerson/1913 - In Search of the World Before the Great War", { title: "In Search of the World Before the Great War", year: "1913" }],
    ["Morgan Llywelyn/1916 - A Novel of the Irish Rebellion", { title: "1916: A Novel of the Irish Rebellion", year: undefined }],
    // Words opening in lower case in a cased name go on from the number.
    ["Arthur C. Clarke/2001 - a Space Odyssey", { title: "2001: a Space Odyssey", year: undefined }],
    // A well-known title is written alike whatever its number, so the books of one series match.
    ["Arthur C. Clarke/2061 - Odyssey Three", { title: "2061: Odyssey Three", year: undefined }],
    ["Arthur C. Clarke/3001 - The Final Odyssey", { title: "3001: The Final Odyssey", year: undefined }],
    ["Eric Flint/1634 - The Galileo Affair", { title: "1634: The Galileo Affair", year: undefined }],
    // Numbers that cannot be years were titles already, and are joined to their words as tags write them
    // ("2034: A Novel of the Next World War"): the profile never splits a number before a colon, so a path
    // reading of title "2034" and subtitle "A Novel..." disagreed with the tags on the title.
    ["Elliot Ackerman - 2034 - A Novel of the Next World War", { title: "2034: A Novel of the Next World War", subtitle: undefined, year: undefined }],
    ["Elliot Ackerman/2034 - A Novel of the Next World War", { author: "Elliot Ackerman", title: "2034: A Novel of the Next World War", subtitle: undefined }],
    ["2034 - A Novel of the Next World War - Elliot Ackerman", { author: "Elliot Ackerman", title: "2034: A Novel of the Next World War" }],
    ["Charles C. Mann/1491 - New Revelations of the Americas Before Columbus", { title: "1491: New Revelations of the Americas Before Columbus", year: undefined }],
    ["Marc Morris/1066 - The Year of the Conquest", { title: "1066: The Year of the Conquest", year: undefined }],
    // A person after the number is the writer or reader, never the rest of the title.
    ["1491 - Charles C. Mann", { author: "Charles C. Mann", title: "1491" }],
    ["Elliot Ackerman/2034", { author: "Elliot Ackerman", title: "2034" }],
    ["George Orwell/1984", { author: "George Orwell", title: "1984", year: undefined }],
    ["Stephen King/11.22.63", { author: "Stephen King", title: "11.22.63" }],
    ["Stephen King/11-22-63", { author: "Stephen King", title: "11-22-63" }],
    ["Ray Bradbury/Fahrenheit 451", { author: "Ray Bradbury", title: "Fahrenheit 451", series_num: undefined }],
    ["Joseph Heller/Catch-22", { author: "Joseph Heller", title: "Catch-22", series_num: undefined }],
    ["Kurt Vonnegut/Slaughterhouse-Five", { author: "Kurt Vonnegut", title: "Slaughterhouse-Five" }],
    // Negative rows: the Audiobookshelf "YEAR - Title" convention keeps its year.
    ["Stephen King/1986 - It", { author: "Stephen King", title: "It", year: "1986" }],
    ["1986 - It", { title: "It", year: "1986" }],
    ["Stephen King/1982 - Different Seasons", { title: "Different Seasons", year: "1982" }],
    ["Anthony Burgess/1962 - A Clockwork Orange", { title: "A Clockwork Orange", year: "1962" }],
    ["George R.R. Martin/1996 - A Game of Thrones", { title: "A Game of Thrones", year: "1996" }],
    ["Terry Goodkind/Sword of Truth/Vol 1 - 1994 - Wizards First Rule {Sam Tsoutsouvas}", { series_num: "1", year: "1994", title: "Wizards First Rule" }],
    ["1945 - Animal Farm", { title: "Animal Farm", year: "1945" }],
    ["Andy Weir - 2014 - The Martian", { author: "Andy Weir", title: "The Martian", year: "2014" }],
  ])("%s", check);

  it("path and tags agree on a number-led title, so neither lowers the other's confidence", () => {
    const path = analyzePath("Elliot Ackerman/2034 - A Novel of the Next World War");
    let profile = mergeSource(emptyProfile(), "path", 40, [{ field: "title", value: path.title! }, ...(path.subtitle ? [{ field: "subtitle" as const, value: path.subtitle }] : [])]);
    profile = mergeSource(profile, "embedded_tags", 80, [{ field: "title", value: "2034: A Novel of the Next World War" }]);
    const fields = resolveProfile(profile).fields;
    expect(fields.title.value).toBe("2034: A Novel of the Next World War");
    expect(fields.title.confidence).toBe(100);
  });

  it.each<[string, string[]]>([
    // "YEAR - A Title" has the shape of "2001 - A Space Odyssey": the year is kept but doubtful.
    ["Anthony Burgess/1962 - A Clockwork Orange", ["year"]],
    ["1996 - An Instance of the Fingerpost", ["year"]],
    ["Stephen King/1986 - It", []],
    ["Terry Goodkind/Sword of Truth/Vol 1 - 1994 - A Wizards First Rule", []],
    ["Anthony Burgess/A Clockwork Orange (1962)", []],
    ["Arthur C. Clarke/2001 - A Space Odyssey", []],
  ])("readPath(%j) doubts %j", (path, doubtful) => {
    expect(readPath(path).doubtful).toEqual(doubtful);
  });

  it.each<[string, string, boolean]>([
    ["2001", "A Space Odyssey", true],
    ["2001", "A Space Odyssey (Unabridged)", true],
    ["1968", "The Year That Rocked the World", true],
    ["1916", "A Novel of the Irish Rebellion", true],
    ["2001", "a Space Odyssey", true],
    ["1986", "It", false],
    ["1962", "A Clockwork Orange", false],
    ["2001", "A Space Station", false],
    ["1986", "it", false],
    ["2001", "", false],
  ])("isNumberTitle(%j, %j) is %j", (num, words, expected) => {
    expect(isNumberTitle(num, words)).toBe(expected);
  });
});

describe("writers known by one name", () => {
  it.each<Row>([
    ["Homer - The Odyssey - Ian McKellen", { author: "Homer", title: "The Odyssey", narrator: "Ian McKellen", series: undefined }],
    ["Homer/The Iliad - Robert Fagles", { author: "Homer", title: "The Iliad", narrator: "Robert Fagles" }],
    ["Homer - The Iliad (trans. Robert Fagles) {Derek Jacobi}", { author: "Homer", title: "The Iliad", narrator: "Derek Jacobi" }],
    ["Virgil - The Aeneid", { author: "Virgil", title: "The Aeneid" }],
    ["The Aeneid - Virgil", { author: "Virgil", title: "The Aeneid" }],
    ["Plato - The Republic", { author: "Plato", title: "The Republic" }],
    ["Plato - The Republic - Read by Frederick Davidson", { author: "Plato", title: "The Republic", narrator: "Frederick Davidson" }],
    ["The Republic by Plato", { author: "Plato", title: "The Republic" }],
    ["Voltaire - Candide", { author: "Voltaire", title: "Candide" }],
    ["Candide - Voltaire", { author: "Voltaire", title: "Candide" }],
    ["Voltaire - Candide (Unabridged)", { author: "Voltaire", title: "Candide" }],
    ["Sappho - Poems and Fragments", { author: "Sappho", title: "Poems and Fragments" }],
    ["Moliere - Tartuffe", { author: "Moliere", title: "Tartuffe" }],
    ["Molière - Le Misanthrope - Richard Wilbur", { author: "Molière", title: "Le Misanthrope", narrator: "Richard Wilbur" }],
    ["Aristotle - Nicomachean Ethics", { author: "Aristotle", title: "Nicomachean Ethics" }],
    ["Ovid/Metamorphoses", { author: "Ovid", title: "Metamorphoses" }],
    ["Sophocles - Oedipus Rex - Michael Sheen", { author: "Sophocles", title: "Oedipus Rex", narrator: "Michael Sheen" }],
    ["Sun Tzu - The Art of War", { author: "Sun Tzu", title: "The Art of War" }],
    ["Confucius - The Analects", { author: "Confucius", title: "The Analects" }],
    // Writers shelved by surname alone.
    ["Orwell - 1984", { author: "Orwell", title: "1984", year: undefined }],
    ["1984 - Orwell", { author: "Orwell", title: "1984", year: undefined }],
    ["Tolkien - The Hobbit - Andy Serkis", { author: "Tolkien", title: "The Hobbit", narrator: "Andy Serkis" }],
    ["Classics/Homer/The Odyssey (Emily Wilson translation) {Claire Danes}", { author: "Homer", title: "The Odyssey", narrator: "Claire Danes" }],
    // Negative rows: a single word that is no known writer stays what its place says.
    ["Discworld - Mort - Terry Pratchett", { author: "Terry Pratchett", series: "Discworld", title: "Mort" }],
    // A surname alone before a series and its title is the writer ("Author - Series - Title"): one word cannot tell a
    // surname from a series, and this shape is the common one ("Discworld - Mort - Unseen" reads Discworld as writer).
    ["Pratchett - Discworld - Mort", { author: "Pratchett", series: "Discworld", title: "Mort" }],
    ["Sanderson - Mistborn - The Final Empire", { author: "Sanderson", series: "Mistborn", title: "The Final Empire" }],
    ["Terry Pratchett/Discworld - Mort - Nigel Planer", { author: "Terry Pratchett", series: "Discworld", title: "Mort", narrator: "Nigel Planer" }],
    ["Sapiens - A Brief History of Humankind - Yuval Noah Harari", { author: "Yuval Noah Harari", title: "Sapiens", subtitle: "A Brief History of Humankind" }],
    ["Dean Koontz/Watchers", { author: "Dean Koontz", title: "Watchers" }],
    ["Watchers - Dean Koontz", { author: "Dean Koontz", title: "Watchers" }],
    // Biographies named for a writer known by one name: the full name is the writer.
    ["Dickens - Peter Ackroyd", { author: "Peter Ackroyd", title: "Dickens" }],
    ["Shakespeare - Bill Bryson", { author: "Bill Bryson", title: "Shakespeare" }],
    ["Bill Bryson - Shakespeare", { author: "Bill Bryson", title: "Shakespeare" }],
  ])("%s", check);

  // A person's shape (1), below a full name with a known given name (2), so a biography named for its subject
  // still reads as the subject's title by the full name after it.
  it.each<[string, number]>([
    ["Homer", 1],
    ["Voltaire", 1],
    ["Molière", 1],
    ["Sun Tzu", 1],
    ["HOMER", 1],
    ["homer", 1],
    ["Watchers", 0],
    ["Discworld", 0],
    ["Homeric", 0],
  ])("nameScore(%j) is %j", (text, score) => {
    expect(nameScore(text)).toBe(score);
  });
});

describe("Chinese and Japanese author lists", () => {
  it.each<[string, string[] | null]>([
    ["鲁迅、周作人", ["鲁迅", "周作人"]],
    ["鲁迅，周作人", ["鲁迅", "周作人"]],
    ["鲁迅,周作人", ["鲁迅", "周作人"]],
    ["东野圭吾 & 王蕴洁", ["东野圭吾", "王蕴洁"]],
    ["东野圭吾、王蕴洁、东野圭吾", ["东野圭吾", "王蕴洁"]],
    ["東野圭吾、著", null],
    ["村上春樹・柴田元幸", ["村上春樹", "柴田元幸"]],
    ["村上春樹、Jay Rubin", ["村上春樹", "Jay Rubin"]],
    ["김영하、한강", ["김영하", "한강"]],
    // Negative rows: one foreign name written out, titles, a title's grammar.
    ["アガサ・クリスティー", null],
    ["斯蒂芬·金", null],
    ["ハリー・ポッター", null],
    ["ノルウェイの森、海辺のカフカ", null],
    ["三体", null],
  ])("splitAuthors(%j)", (text, list) => {
    const got = splitAuthors(text);
    if (list === null) expect(got === null || got.length === 1).toBe(true);
    else expect(got).toEqual(list);
  });

  it.each<Row>([
    ["鲁迅、周作人/兄弟", { author: "鲁迅 & 周作人", title: "兄弟" }],
    ["鲁迅、周作人 - 兄弟", { author: "鲁迅 & 周作人", title: "兄弟" }],
    ["东野圭吾、王蕴洁 - 白夜行", { author: "东野圭吾 & 王蕴洁", title: "白夜行" }],
    ["村上春樹・柴田元幸/翻訳夜話", { author: "村上春樹 & 柴田元幸", title: "翻訳夜話" }],
    ["村上春樹・柴田元幸 - 翻訳夜話", { author: "村上春樹 & 柴田元幸", title: "翻訳夜話" }],
    ["アガサ・クリスティー/オリエント急行の殺人", { author: "アガサ・クリスティー", title: "オリエント急行の殺人" }],
    ["斯蒂芬·金/闪灵", { author: "斯蒂芬·金", title: "闪灵" }],
    ["刘慈欣/三体", { author: "刘慈欣", title: "三体" }],
  ])("%s", check);

  it("keeps the list in the profile whichever separator a source used", () => {
    let profile = mergeSource(emptyProfile(), "path", 40, [{ field: "author", value: "鲁迅 & 周作人" }]);
    profile = mergeSource(profile, "embedded_tags", 80, [{ field: "author", value: "鲁迅、周作人" }, { field: "title", value: "兄弟" }]);
    const fields = resolveProfile(profile).fields;
    expect(fields.author.value).toBe("鲁迅 & 周作人");
    expect(fields.authors.value).toBe("鲁迅; 周作人");
    // Both sources said the same people: no conflict.
    expect(fields.author.confidence).toBe(100);
    expect(foldPeople("周作人、鲁迅")).toBe(foldPeople("鲁迅 & 周作人"));
  });
});

describe("a shelf inside a series (era, season, arc) is no series and no position", () => {
  it.each<Row>([
    ["Brandon Sanderson/Mistborn/Era 2/01 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn/Era 2/Book 05 - Shadows of Self", { author: "Brandon Sanderson", series: "Mistborn", series_num: "5", title: "Shadows of Self" }],
    ["Brandon Sanderson/Mistborn/Era 1/03 - The Hero of Ages", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Brandon Sanderson/Mistborn/Era Two/The Bands of Mourning", { series: "Mistborn", series_num: undefined, title: "The Bands of Mourning" }],
    ["Brandon Sanderson/Mistborn/The Second Era/Shadows of Self", { series: "Mistborn", title: "Shadows of Self" }],
    ["Brandon Sanderson/Mistborn Era 2/The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: undefined, title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn Era 2/01 - The Alloy of Law", { series: "Mistborn", series_num: "1", title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn (Era 2)/The Alloy of Law", { series: "Mistborn", title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn - Era Two/The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", title: "The Alloy of Law" }],
    ["Brandon Sanderson - Mistborn Era 2/01 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1" }],
    ["Brandon Sanderson - Mistborn Era 2 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: undefined, title: "The Alloy of Law" }],
    ["Brandon Sanderson - Mistborn Era 2 - Book 1 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Alloy of Law" }],
    // A shelf takes no place of the folders above it, may carry a name, and may lead the book's own name.
    ["Brandon Sanderson/Cosmere/Mistborn/Era 2/04 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: "4", title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn Saga/Era 2 - Wax and Wayne/01 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn/Mistborn Era 2 - 01 - The Alloy of Law", { series: "Mistborn", series_num: "1", title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn/Era 2 - Book 1 - The Alloy of Law", { series: "Mistborn", series_num: "1", title: "The Alloy of Law", subtitle: undefined }],
    ["Brandon Sanderson - Mistborn - Era 2 - Book 1 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn/Book 4 - The Alloy of Law (Era 2, Book 1)", { series: "Mistborn", series_num: "4", title: "The Alloy of Law" }],
    ["Mistborn Era 2 - The Alloy of Law", { series: "Mistborn", series_num: undefined, title: "The Alloy of Law" }],
    ["Brandon Sanderson/Mistborn Era 2 - The Alloy of Law", { author: "Brandon Sanderson", series: "Mistborn", title: "The Alloy of Law", subtitle: undefined }],
    ["The Alloy of Law (Mistborn Era 2, Book 1)", { series: "Mistborn", series_num: "1", title: "The Alloy of Law" }],
    ["The Alloy of Law (Era 2, Book 1)", { series: undefined, series_num: undefined, title: "The Alloy of Law" }],
    ["Doctor Who - Season 2 - The Stone Rose", { series: "Doctor Who", title: "The Stone Rose" }],
    // A season shelves a series' books, never a writer's: the folder above that names no person is the series.
    ["Doctor Who/Season 2 - The Stone Rose", { author: undefined, series: "Doctor Who", title: "The Stone Rose" }],
    ["Doctor Who/Season 2/The Stone Rose", { author: undefined, series: "Doctor Who", title: "The Stone Rose" }],
    ["Doctor Who/Doctor Who - Season 2 - The Stone Rose", { author: undefined, series: "Doctor Who", title: "The Stone Rose" }],
    ["Star Wars/Season 1 - Dark Lord", { author: undefined, series: "Star Wars", title: "Dark Lord" }],
    ["Stephen King/Season 1 - The Stand", { author: "Stephen King", title: "The Stand" }],
    ["Homer/Season 1 - The Iliad", { author: "Homer", title: "The Iliad" }],
    // A writer and a shelf alone: the writer is no title, the shelf names what the folder holds (as "Stephen King/Season 1").
    ["Stephen King - Season 1", { author: "Stephen King", title: "Season 1", series: undefined }],
    ["Stephen King/Stephen King - Season 1", { author: "Stephen King", title: "Season 1" }],
    ["Season 1 - Stephen King", { author: "Stephen King", title: "Season 1" }],
    // Under another writer's folder the name before the shelf is a series named for a person, no writer.
    ["Lee Child/Jack Reacher - Season 2", { author: "Lee Child", title: "Jack Reacher" }],
    ["Brandon Sanderson/Mistborn Era 2", { author: "Brandon Sanderson", title: "Mistborn Era 2", series_num: undefined }],
    ["Big Finish/Doctor Who/Season 2/03 - The Stone Rose", { series: "Doctor Who", series_num: "3", title: "The Stone Rose" }],
    ["Pirateaba/The Wandering Inn/Arc 1/Volume 1 - The Wandering Inn", { author: "Pirateaba", series: "The Wandering Inn", series_num: "1" }],
    ["Dirk Maggs/The Hitchhiker's Guide to the Galaxy/Phase 2/01 - The Secondary Phase", { series: "The Hitchhiker's Guide to the Galaxy", series_num: "1" }],
    // Negative rows: titles with a shelf's words; "Cycle", "Trilogy", "Saga" close series names.
    ["Douglas Coupland - Generation X", { author: "Douglas Coupland", title: "Generation X" }],
    ["Neal Shusterman/Arc of a Scythe/01 - Scythe", { series: "Arc of a Scythe", series_num: "1", title: "Scythe" }],
    ["Terry Pratchett/Discworld/12 - Witches Abroad - Season of Mists", { series: "Discworld", series_num: "12", title: "Witches Abroad" }],
    ["N. K. Jemisin/The Broken Earth/01 - The Fifth Season", { series: "The Broken Earth", series_num: "1", title: "The Fifth Season" }],
    ["N. K. Jemisin - The Broken Earth 1 - The Fifth Season", { series: "The Broken Earth", series_num: "1", title: "The Fifth Season" }],
    ["N. K. Jemisin/The Fifth Season", { author: "N. K. Jemisin", title: "The Fifth Season" }],
    ["Vivaldi/The Four Seasons", { title: "The Four Seasons" }],
    // Negative rows: "Cycle", "Trilogy", "Saga" close series names; a number after them is a position.
    ["Ursula K. Le Guin/Earthsea Cycle/01 - A Wizard of Earthsea", { series: "Earthsea Cycle", series_num: "1", title: "A Wizard of Earthsea" }],
    ["Ursula K. Le Guin - Earthsea Cycle 01 - A Wizard of Earthsea", { series: "Earthsea Cycle", series_num: "1", title: "A Wizard of Earthsea" }],
    ["Christopher Paolini/Inheritance Cycle/01 - Eragon", { series: "Inheritance Cycle", series_num: "1", title: "Eragon" }],
    ["Robin Hobb - Farseer Trilogy 01 - Assassin's Apprentice", { series: "Farseer Trilogy", series_num: "1", title: "Assassin's Apprentice" }],
    ["Brandon Sanderson/Mistborn/Mistborn 2 - The Well of Ascension", { series: "Mistborn", series_num: "2", title: "The Well of Ascension" }],
  ])("%s", check);
});

describe("torrent, NAS and Audible-export names", () => {
  it.each<Row>([
    // Audible exports: "Author - Series N - Title (Unabridged)".
    ["Brandon Sanderson - Mistborn 1 - The Final Empire (Unabridged)", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Final Empire" }],
    ["Brandon Sanderson - The Stormlight Archive 2 - Words of Radiance (Unabridged)", { series: "The Stormlight Archive", series_num: "2", title: "Words of Radiance" }],
    ["Frank Herbert - Dune Messiah (Dune Chronicles, Book 2) (Unabridged)", { author: "Frank Herbert", series: "Dune Chronicles", series_num: "2", title: "Dune Messiah" }],
    // "[Series 03] Title".
    ["Brandon Sanderson/[Mistborn 03] The Hero of Ages", { author: "Brandon Sanderson", series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["[The Expanse 01] Leviathan Wakes", { series: "The Expanse", series_num: "1", title: "Leviathan Wakes" }],
    ["Jim Butcher - [Dresden Files 01] - Storm Front (2000) {James Marsters}", { author: "Jim Butcher", series: "Dresden Files", series_num: "1", title: "Storm Front", year: "2000", narrator: "James Marsters" }],
    // "Title (Book 3 of Series)".
    ["James S. A. Corey/Leviathan Wakes (Book 1 of The Expanse)", { author: "James S. A. Corey", series: "The Expanse", series_num: "1", title: "Leviathan Wakes" }],
    ["Brandon Sanderson/The Hero of Ages (Book 3 of Mistborn)", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Robin Hobb - Royal Assassin (Book Two of the Farseer Trilogy)", { author: "Robin Hobb", series: "The Farseer Trilogy", series_num: "2", title: "Royal Assassin" }],
    ["Robin Hobb - Royal Assassin - Book Two of the Farseer Trilogy", { author: "Robin Hobb", series: "The Farseer Trilogy", series_num: "2", title: "Royal Assassin" }],
    ["Frank Herbert - Dune (Part One of Three)", { author: "Frank Herbert", series: undefined }],
    ["Frank Herbert - Dune (Book 1 in the Series)", { author: "Frank Herbert", title: "Dune", series: undefined, series_num: "1" }],
    ["Stephen King - The Wind Through the Keyhole (Book 4.5 of The Dark Tower)", { series: "The Dark Tower", series_num: "4.5", title: "The Wind Through the Keyhole" }],
    ["Dean Koontz/Watchers (Book 2 of 3)", { title: "Watchers", series_num: "2" }],
    // Roman numerals.
    ["Brandon Sanderson/Mistborn Book III - The Hero of Ages", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Robert Jordan/The Wheel of Time/Book III - The Dragon Reborn", { series: "The Wheel of Time", series_num: "3", title: "The Dragon Reborn" }],
    ["Stephen King/The Dark Tower/The Dark Tower I - The Gunslinger", { series: "The Dark Tower", series_num: "1", title: "The Gunslinger" }],
    ["Stephen King/The Dark Tower/The Dark Tower IV - Wizard and Glass", { series: "The Dark Tower", series_num: "4", title: "Wizard and Glass" }],
    ["Joe Abercrombie - The First Law Book III - Last Argument of Kings", { series: "The First Law", series_num: "3", title: "Last Argument of Kings" }],
    // Half positions.
    ["Brandon Sanderson/Mistborn/Vol. 2.5 - The Eleventh Metal", { series: "Mistborn", series_num: "2.5", title: "The Eleventh Metal" }],
    ["Stephen King/The Dark Tower/The Dark Tower 4.5 - The Wind Through the Keyhole", { series: "The Dark Tower", series_num: "4.5", title: "The Wind Through the Keyhole" }],
    // Years in brackets, anywhere.
    ["Dean Koontz - Watchers [1987]", { author: "Dean Koontz", title: "Watchers", year: "1987" }],
    ["Stephen King/(1978) The Stand", { title: "The Stand", year: "1978" }],
    ["Stephen King/[1978] The Stand", { title: "The Stand", year: "1978" }],
    ["Andy Weir - (2021) Project Hail Mary", { title: "Project Hail Mary", year: "2021" }],
    // Readers in braces, brackets, parentheses and words.
    ["Andy Weir - Project Hail Mary {Ray Porter}", { author: "Andy Weir", title: "Project Hail Mary", narrator: "Ray Porter" }],
    ["Andy Weir - Project Hail Mary [2021] [Ray Porter] [64k]", { title: "Project Hail Mary", year: "2021", narrator: "Ray Porter" }],
    ["Andy Weir - Project Hail Mary - Read by Ray Porter", { title: "Project Hail Mary", narrator: "Ray Porter" }],
    ["Stephen King - The Stand, read by Grover Gardner", { title: "The Stand", narrator: "Grover Gardner" }],
    ["Stephen King - The Stand (Read By Grover Gardner)", { title: "The Stand", narrator: "Grover Gardner" }],
    ["J.K. Rowling - Harry Potter and the Philosopher's Stone (Stephen Fry) [2000] [MP3 320kbps]", { author: "J.K. Rowling", title: "Harry Potter and the Philosopher's Stone", year: "2000", narrator: "Stephen Fry" }],
    ["Harry Potter 1 - The Philosopher's Stone - J.K. Rowling - Stephen Fry", { author: "J.K. Rowling", series: "Harry Potter", series_num: "1", title: "The Philosopher's Stone", narrator: "Stephen Fry" }],
    // ASINs, formats, bitrates, release tags.
    ["Andy Weir - Project Hail Mary (2021) [B08G9PRS1K]", { title: "Project Hail Mary", year: "2021" }],
    ["Andy Weir - Project Hail Mary MP3 320kbps", { author: "Andy Weir", title: "Project Hail Mary" }],
    ["Andy Weir - Project Hail Mary 64k", { author: "Andy Weir", title: "Project Hail Mary" }],
    ["Andy Weir - Project Hail Mary (Retail)", { author: "Andy Weir", title: "Project Hail Mary" }],
    ["Andy Weir - Project Hail Mary - Retail", { author: "Andy Weir", title: "Project Hail Mary", series: undefined }],
    ["Stephen King - The Stand - Chaptered", { author: "Stephen King", title: "The Stand", series: undefined }],
    ["Stephen King - The Stand {Grover Gardner} [Retail] [M4B]", { title: "The Stand", narrator: "Grover Gardner" }],
    ["Stephen King - The Stand [Complete & Uncut] (1990) [Grover Gardner] [MP3 64k]", { title: "The Stand", year: "1990", narrator: "Grover Gardner" }],
    ["Andy Weir - Project Hail Mary (narrated by Ray Porter) 128k VBR", { title: "Project Hail Mary", narrator: "Ray Porter" }],
    ["Stephen King - The Stand - 48h 20m", { title: "The Stand" }],
    // Release names: dots for spaces, the year after the title.
    ["Andy.Weir.-.Project.Hail.Mary.2021.MP3", { author: "Andy Weir", title: "Project Hail Mary", year: "2021" }],
    ["Stephen.King.-.The.Stand.Unabridged.2008.MP3.VBR", { author: "Stephen King", title: "The Stand", year: "2008" }],
    ["Ridley.Scott.-.Blade.Runner.2049", { title: "Blade Runner 2049", year: undefined }],
    ["Stephen King - The Stand - Unabridged - MP3 - 320", { author: "Stephen King", title: "The Stand", series: undefined, series_num: undefined }],
    ["Stephen King - The Stand (1978) [Unabridged] [Audiobook] [English] [MP3@64kbps]", { title: "The Stand", year: "1978", language: "en" }],
    ["Stephen King - The Stand (2008) [64 kbps, 48h 20m, Grover Gardner]", { title: "The Stand", year: "2008", narrator: "Grover Gardner" }],
    // Roles written after the names; two people in brackets after the title.
    ["Stephen King - The Stand - Grover Gardner (Narrator)", { author: "Stephen King", title: "The Stand", narrator: "Grover Gardner", series: undefined }],
    ["Stephen King (Author) - The Stand", { author: "Stephen King", title: "The Stand" }],
    ["The Stand [Stephen King] [Grover Gardner]", { author: "Stephen King", title: "The Stand", narrator: "Grover Gardner" }],
    ["Stephen King - The Stand [Grover Gardner]", { author: "Stephen King", title: "The Stand", narrator: "Grover Gardner" }],
    // audible-cli names its files "Title-CODEC_RATE_BITRATE".
    ["Andy Weir/Project_Hail_Mary-AAX_44_128.m4b", { author: "Andy Weir", title: "Project Hail Mary", subtitle: undefined }],
    ["Andy Weir/Project_Hail_Mary-LC_128_44100_stereo.m4b", { author: "Andy Weir", title: "Project Hail Mary", subtitle: undefined }],
    ["Andy Weir/Project Hail Mary-AAX_22_64.m4b", { author: "Andy Weir", title: "Project Hail Mary" }],
    // NAS layouts.
    ["Audiobooks/Fantasy/Brandon Sanderson/Mistborn/01 The Final Empire", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Final Empire" }],
    ["Jim Butcher/Dresden Files/01_Storm_Front", { author: "Jim Butcher", series: "Dresden Files", series_num: "1", title: "Storm Front" }],
    // Negative rows: words that look like tags but are titles.
    ["Kazuo Ishiguro - Klara and the Sun", { title: "Klara and the Sun" }],
    ["Tom Wolfe - The Retail Apocalypse", { author: "Tom Wolfe", title: "The Retail Apocalypse" }],
    ["Retail - Stephen King", { author: "Stephen King", title: "Retail" }],
  ])("%s", check);
});

describe("a roman numeral after a series' name, with no series folder", () => {
  // "World War II - A History" has the shape of "The Dark Tower V - Wolves of the Calla": only a sibling
  // numbering the same words differently shows the words are a series.
  const darkTower = ["The Dark Tower I - The Gunslinger", "The Dark Tower II - The Drawing of the Three", "The Dark Tower V - Wolves of the Calla", "It"];
  const kings = ["Henry IV, Part 1", "Henry V", "Richard III", "Richard II"];
  const history = ["World War II - A History", "The Second World War", "World War II - A History (Abridged)"];
  it.each<[path: string, siblings: readonly string[] | undefined, expected: PathHints]>([
    ["Stephen King/The Dark Tower V - Wolves of the Calla", darkTower, { author: "Stephen King", series: "The Dark Tower", series_num: "5", title: "Wolves of the Calla", subtitle: undefined }],
    ["Stephen King/The Dark Tower I - The Gunslinger", darkTower, { series: "The Dark Tower", series_num: "1", title: "The Gunslinger" }],
    ["Stephen King/The Dark Tower II - The Drawing of the Three", darkTower, { series: "The Dark Tower", series_num: "2", title: "The Drawing of the Three" }],
    ["Stephen King/The Dark Tower V: Wolves of the Calla.m4b", darkTower, { series: "The Dark Tower", series_num: "5", title: "Wolves of the Calla" }],
    ["Stephen King/The Dark Tower V - Wolves of the Calla (2003) {George Guidall}", darkTower, { series: "The Dark Tower", series_num: "5", title: "Wolves of the Calla", year: "2003", narrator: "George Guidall" }],
    ["Joe Abercrombie/The First Law III - Last Argument of Kings", ["The First Law I - The Blade Itself", "The First Law III - Last Argument of Kings"], { series: "The First Law", series_num: "3", title: "Last Argument of Kings" }],
    // A series folder named it already: the siblings change nothing.
    ["Stephen King/The Dark Tower/The Dark Tower IV - Wizard and Glass", darkTower, { series: "The Dark Tower", series_num: "4", title: "Wizard and Glass" }],
    // Alone, several words before the numeral with no ruler, given name or war among them are a series too.
    ["Stephen King/The Dark Tower V - Wolves of the Calla", undefined, { series: "The Dark Tower", series_num: "5", title: "Wolves of the Calla", subtitle: undefined }],
    ["Stephen King/The Dark Tower V - Wolves of the Calla", ["The Dark Tower V - Wolves of the Calla", "It"], { series: "The Dark Tower", series_num: "5", title: "Wolves of the Calla" }],
    ["Audiobooks/Stephen King - The Dark Tower V - Wolves of the Calla", undefined, { author: "Stephen King", series: "The Dark Tower", series_num: "5", title: "Wolves of the Calla" }],
    ["Steven Erikson/Malazan Book of the Fallen III - Memories of Ice", undefined, { series: "Malazan Book of the Fallen", series_num: "3", title: "Memories of Ice" }],
    ["Nicholas Meyer/Star Trek II - The Wrath of Khan", undefined, { series: "Star Trek", series_num: "2", title: "The Wrath of Khan" }],
    // Negative rows: whole titles, rulers named with their title or given name, wars and councils, alone or not.
    ["Robert K. Massie/Tsar Nicholas II - The Last of the Romanovs", undefined, { title: "Tsar Nicholas II", series: undefined, series_num: undefined }],
    ["George Weigel/Pope John Paul II - Witness to Hope", undefined, { title: "Pope John Paul II", series: undefined, series_num: undefined }],
    ["David Starkey/King Henry VIII - Man and Monarch", undefined, { title: "King Henry VIII", series: undefined, series_num: undefined }],
    ["John Röhl/Kaiser Wilhelm II - A Concise Life", undefined, { title: "Kaiser Wilhelm II", series: undefined, series_num: undefined }],
    ["Robert Lacey/Queen Elizabeth II - A Portrait", undefined, { title: "Queen Elizabeth II", series: undefined, series_num: undefined }],
    ["Max Hastings/The Second World War II - All Hell Let Loose", undefined, { series: undefined, series_num: undefined }],
    ["Antony Beevor/World War II - A History", undefined, { title: "World War II", subtitle: "A History", series: undefined, series_num: undefined }],
    ["Jerry Izenberg/Super Bowl XL - The Game", undefined, { series: undefined, series_num: undefined }],
    ["Philippa Gregory/Richard III - The King in the Car Park", undefined, { title: "Richard III", series: undefined, series_num: undefined }],
    ["William Shakespeare/Richard III", kings, { author: "William Shakespeare", title: "Richard III", series: undefined, series_num: undefined }],
    ["William Shakespeare/Henry V", kings, { title: "Henry V", series: undefined, series_num: undefined }],
    ["Chris Skidmore/Richard III - Brother, Protector, King", ["Richard II - The Deposition", "Richard III - Brother, Protector, King"], { series: undefined, series_num: undefined }],
    ["Antony Beevor/World War II", history, { title: "World War II", series: undefined, series_num: undefined }],
    ["Antony Beevor/World War II - A History", history, { title: "World War II", subtitle: "A History", series: undefined, series_num: undefined }],
    ["Sylvester Stallone/Rocky II", ["Rocky", "Rocky II", "Rocky III"], { title: "Rocky II", series: undefined, series_num: undefined }],
    // "Book III" names its position already.
    ["Brandon Sanderson/Mistborn Book III - The Hero of Ages", ["Mistborn Book I - The Final Empire"], { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
  ])("%s beside %j", (path, siblings, expected) => {
    const got = analyzePath(path, { isFile: /\.(?:mp3|m4b)$/i.test(path), siblings }) as Record<string, string | undefined>;
    expect(Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]))).toEqual(expected);
  });

  it.each<[name: string, siblings: string[], expected: string]>([
    ["The Dark Tower V - Wolves of the Calla", ["The Dark Tower I - The Gunslinger"], "The Dark Tower Book 5 - Wolves of the Calla"],
    ["the dark tower III - The Waste Lands", ["The Dark Tower I - The Gunslinger"], "the dark tower Book 3 - The Waste Lands"],
    ["Richard III - The King in the Car Park", ["Richard II - The Deposition"], "Richard III - The King in the Car Park"],
    ["Elizabeth II - Her Life", ["Elizabeth I - Her Life"], "Elizabeth II - Her Life"],
    ["Star Wars V - The Empire Strikes Back", ["Star Wars IV - A New Hope"], "Star Wars Book 5 - The Empire Strikes Back"],
    ["Richard III", ["Richard II"], "Richard III"],
    ["Henry V - The Life", ["Henry V - The Life"], "Henry V - The Life"],
    ["World War II - A History", ["World War II - A History (Abridged)", "Hitler - A Life"], "World War II - A History"],
    ["Mistborn Vol. III - The Hero of Ages", ["Mistborn Vol. I - The Final Empire"], "Mistborn Vol. III - The Hero of Ages"],
    ["The Dark Tower IIII - Wrong", ["The Dark Tower I - The Gunslinger"], "The Dark Tower IIII - Wrong"],
  ])("withRomanPosition(%j, %j) is %j", (name, siblings, expected) => {
    expect(withRomanPosition(name, siblings)).toBe(expected);
  });
});
