import { describe, expect, it } from "vitest";
import { readerInProse } from "../../src/domain/reader-phrase.js";
import { bareSeriesPosition, sameSeriesName, seriesInTitle, seriesLeadInTitle } from "../../src/domain/subtitle.js";

describe("seriesLeadInTitle: a series' name and position before the book's own title", () => {
  it.each<[string, { series: string; num: string; title: string }]>([
    ["The Dark Tower III: The Waste Lands", { series: "The Dark Tower", num: "3", title: "The Waste Lands" }],
    ["The Expanse 1: Leviathan Wakes", { series: "The Expanse", num: "1", title: "Leviathan Wakes" }],
    ["Mistborn 3 - The Hero of Ages", { series: "Mistborn", num: "3", title: "The Hero of Ages" }],
    ["Mistborn 03: The Hero of Ages", { series: "Mistborn", num: "3", title: "The Hero of Ages" }],
    ["Mistborn, Book 3: The Hero of Ages", { series: "Mistborn", num: "3", title: "The Hero of Ages" }],
    ["Discworld #8 - Guards! Guards!", { series: "Discworld", num: "8", title: "Guards! Guards!" }],
    ["Star Wars Episode IV: A New Hope", { series: "Star Wars", num: "4", title: "A New Hope" }],
    ["Star Wars: Thrawn (Book I)", { series: "Star Wars", num: "1", title: "Thrawn" }],
    ["Mistborn: The Final Empire (Book 1)", { series: "Mistborn", num: "1", title: "The Final Empire" }],
    // German albums put a full stop after the position.
    ["Die Tribute von Panem 1. Tödliche Spiele", { series: "Die Tribute von Panem", num: "1", title: "Tödliche Spiele" }],
    ["Eragon 1. Das Vermächtnis der Drachenreiter", { series: "Eragon", num: "1", title: "Das Vermächtnis der Drachenreiter" }],
  ])("%j", (text, want) => {
    expect(seriesLeadInTitle(text)).toEqual(want);
  });

  // Rulers, wars and numbered things have the same shape; titles that are numbers have none of it.
  it.each([
    "World War II: A History",
    "Richard III: The King in the Car Park",
    "King Henry V: The Life of the King",
    "Apollo 13: The Untold Story",
    "Apollo 13 - The Untold Story",
    "Chapter 1 - The Boy Who Lived",
    "Part 2 - The Two Towers",
    "Area 51: An Uncensored History",
    "Fahrenheit 451 - A Novel",
    "2001: A Space Odyssey",
    "1984",
    "Catch-22: A Novel",
    "Book 3: The Hero of Ages",
    "Sapiens: A Brief History of Humankind",
    "The Way of Kings (Part 1)",
    "Apollo 13. The Untold Story",
    "Chapter 1. The Boy Who Lived",
    "Fahrenheit 451. A Novel",
  ])("%j names no series", (text) => {
    expect(seriesLeadInTitle(text)).toBeNull();
  });
});

describe("readerInProse: a reader named in a description or comment", () => {
  it.each<[string, string | null]>([
    ["A lone astronaut must save the earth. (Narrated by Ray Porter)", "Ray Porter"],
    ["Narrated by J. K. Simmons. A lone astronaut.", "J. K. Simmons"],
    ["The epic continues.\nRead by Kate Reading and Michael Kramer", "Kate Reading and Michael Kramer"],
    ["An epic - performed by Jim Dale", "Jim Dale"],
    ["A tale narrated by a dog.", null],
    ["A memoir of the craft. (Read by the author)", "the author"],
    ["Loved and read by millions of fans.", null],
    ["No reader named here.", null],
    // The phrases of other languages, as German, French, Spanish, Dutch and Swedish shops write their blurbs.
    ["Ungekürzte Lesung. Gelesen von Rufus Beck.", "Rufus Beck"],
    ["Ein Schwarm erhebt sich. Es liest: David Nathan", "David Nathan"],
    ["Es liest David Nathan (ungekürzt)", "David Nathan"],
    ["Sprecher: Rufus Beck und Anna Thalbach.", "Rufus Beck und Anna Thalbach"],
    ["Un roman culte. Lu par Guillaume Gallienne.", "Guillaume Gallienne"],
    ["Novela. Narrado por José Ferrer y Ana Pérez.", "José Ferrer y Ana Pérez"],
    ["Een klassieker. Voorgelezen door Jeroen Krabbé.", "Jeroen Krabbé"],
    ["En thriller. Läst av Stellan Skarsgård.", "Stellan Skarsgård"],
    ["Ein Krimi. Es liest der Autor.", "the author"],
    // Polish, Czech and Russian blurbs: "czyta", "čte", "читает", names joined by "i", "и".
    ["Powieść. Czytają Krzysztof Gosztyła i Anna Nowak.", "Krzysztof Gosztyła i Anna Nowak"],
    ["Skvělý román. Čte Jiří Lábus.", "Jiří Lábus"],
    ["Роман о вампирах. Читает Александр Клюквин", "Александр Клюквин"],
    // Negative rows: the phrase in prose, followed by no name.
    ["Ein Buch, gelesen von vielen Menschen.", null],
    ["Das Buch wird gelesen von Millionen", null],
    ["Le roman lu par des millions de lecteurs", null],
    ["Une histoire (narré par un chien) étrange", null],
  ])("%j", (text, want) => {
    expect(readerInProse(text)).toBe(want);
  });
});

describe("seriesInTitle: a position counted in a named series", () => {
  it.each<[string, { series: string; num: string; title: string } | null]>([
    ["The Way of Kings: Book One of the Stormlight Archive", { title: "The Way of Kings", series: "Stormlight Archive", num: "1" }],
    ["Wolves of the Calla (Book 5 of The Dark Tower)", { title: "Wolves of the Calla", series: "The Dark Tower", num: "5" }],
    ["Dune, Book 1 of the Dune Chronicles", { title: "Dune", series: "Dune Chronicles", num: "1" }],
    // "of Three", "of 3": a count, no series.
    ["A Tale: Book Two of Three", null],
    ["A Tale (Book 2 of 3)", null],
    ["Part One of the Story", null],
    // After a colon, a name and a small number with no position word (Audible's German titles, Libation's and
    // OpenAudible's file names), and the position words of other languages.
    ["Tintenherz: Tintenwelt 1", { title: "Tintenherz", series: "Tintenwelt", num: "1" }],
    ["Leviathan Wakes: Expanse 1", { title: "Leviathan Wakes", series: "Expanse", num: "1" }],
    ["Gardens of the Moon: Malazan Book of the Fallen 1", { title: "Gardens of the Moon", series: "Malazan Book of the Fallen", num: "1" }],
    ["Harry Potter à l'école des sorciers: Harry Potter 1", { title: "Harry Potter à l'école des sorciers", series: "Harry Potter", num: "1" }],
    ["Cold Days: Dresden Files 14.5", { title: "Cold Days", series: "Dresden Files", num: "14.5" }],
    ["Tintentod: Tintenwelt, Band 3", { title: "Tintentod", series: "Tintenwelt", num: "3" }],
    ["La sombra del viento: El cementerio de los libros olvidados, Libro 1", { title: "La sombra del viento", series: "El cementerio de los libros olvidados", num: "1" }],
    ["Chrzest ognia: Wiedźmin, Tom 5", { title: "Chrzest ognia", series: "Wiedźmin", num: "5" }],
    ["Tintentod (Tintenwelt, Band 3)", { title: "Tintentod", series: "Tintenwelt", num: "3" }],
    ["Tintenherz - Tintenwelt, Band 1", { title: "Tintenherz", series: "Tintenwelt", num: "1" }],
    ["Tintenherz (Tintenwelt 1)", { title: "Tintenherz", series: "Tintenwelt", num: "1" }],
    ["Ancillary Justice (Imperial Radch 01)", { title: "Ancillary Justice", series: "Imperial Radch", num: "1" }],
    ["The Way of Kings (Part 1)", null],
    ["Der Schwarm (Teil 2)", null],
    ["Dune (1965)", null],
    ["Apollo 13 (Film Tie-In)", null],
    ["Stephen King - The Dark Tower", null],
    ["Stephen King - The Dark Tower, Book 1", null],
    // Negative rows: a part of one book, a shelf, a thing counted, a position word with no name, a number not at the end.
    ["Der Schwarm: Teil 2", null],
    ["Dune: Part 2", null],
    ["Sherlock: Series 3", null],
    ["Doctor Who: Season 2", null],
    ["Mission: Apollo 11", null],
    ["Blink: Day 3", null],
    ["Rocky: Round 2", null],
    ["Le Trône de fer: Tome 1", null],
    ["Star Wars: Episode 4", null],
    ["The Pacific: World War 2", null],
    ["Apollo 13: The Untold Story", null],
    ["Catch-22: 50th Anniversary Edition", null],
    ["Warhammer: 40,000", null],
    ["History: 1914", null],
  ])("%j", (text, want) => {
    expect(seriesInTitle(text)).toEqual(want);
  });

  it.each<[string, { series: string; num: string } | null]>([
    ["Tintenwelt 1", { series: "Tintenwelt", num: "1" }],
    ["Harry Hole 5", { series: "Harry Hole", num: "5" }],
    ["Malazan Book of the Fallen 1", { series: "Malazan Book of the Fallen", num: "1" }],
    ["Teil 2", null],
    ["Season 2", null],
    ["Apollo 13", null],
    ["World War 2", null],
    // A name closing with "War" is a series unless it is the war itself.
    ["Old Man's War 1", { series: "Old Man's War", num: "1" }],
    ["The Great War 1", null],
    ["War 2", null],
    ["Tome 1", null],
    ["A Novel", null],
    ["1984", null],
  ])("a subtitle %j names a series' position: %j", (text, want) => {
    expect(bareSeriesPosition(text)).toEqual(want);
  });

  it("one series with or without its article", () => {
    expect(sameSeriesName("The Expanse", "Expanse")).toBe(true);
    expect(sameSeriesName("the Stormlight Archive", "The Stormlight Archive")).toBe(true);
    expect(sameSeriesName("The Expanse", "The Dark Tower")).toBe(false);
    // A franchise and its series.
    expect(sameSeriesName("Star Wars", "Star Wars: Thrawn")).toBe(true);
    expect(sameSeriesName("Star", "Star Wars")).toBe(false);
  });
});

describe("series in titles: long hostile names in linear time", () => {
  // Each name made a pattern read on from every place to the name's end: at 220,000 characters they took from 3 s
  // (dashes, colons) to a minute (letters and dashes with no space). They take milliseconds; the bound is for a
  // loaded machine.
  const SIZE = 220_000;
  const long = (piece: string, end = "") => piece.repeat(Math.ceil(SIZE / piece.length)) + end;
  it.each<[string, string, (text: string) => unknown]>([
    ["lead: letters and dashes", long("a—"), seriesLeadInTitle],
    ["lead: words", long("A B "), seriesLeadInTitle],
    ["lead: positions before a line break", long("a 1 - ", "\n"), seriesLeadInTitle],
    ["after: spaced dashes", long("a - "), seriesInTitle],
    ["after: colons", long("a: b "), seriesInTitle],
  ])("%s", (_, text, read) => {
    const start = performance.now();
    read(text);
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it("reads a position after the first of several colons as before", () => {
    expect(seriesInTitle("Star Wars: Thrawn: Alliances, Book 2")).toEqual({ title: "Star Wars", series: "Thrawn: Alliances", num: "2" });
    expect(seriesInTitle("Thrawn:Alliances: Star Wars, Book 2")).toEqual({ title: "Thrawn:Alliances", series: "Star Wars", num: "2" });
    expect(seriesInTitle("Line\nbreak: Series, Book 2")).toBeNull();
    expect(seriesLeadInTitle("Mistborn 3 - The Hero\nof Ages")).toBeNull();
  });
});
