/**
 * path-25: positions past XXXIX and spelled as other languages' ordinals, a year before release tags, and two capitals
 * that spell a word. Each table holds rows that only look like the rule and must keep their old reading.
 */
import { describe, expect, it } from "vitest";
import { readPath } from "../../src/domain/path-analysis.js";
import { parseSeriesNum } from "../../src/domain/series-num.js";
import { check, type Row } from "./path-rows.js";

describe("a roman position past XXXIX after its volume word", () => {
  it.each<Row>([
    ["Erin Hunter/Warriors/Book XLI - The Title", { author: "Erin Hunter", series: "Warriors", series_num: "41", title: "The Title" }],
    ["Author/Series, Book XL - Title", { series: "Series", series_num: "40", title: "Title" }],
    ["Author/Series Book LXXXIX - Title", { series: "Series", series_num: "89", title: "Title" }],
    ["Author/Title (Series, Book XLI)", { series: "Series", series_num: "41", title: "Title" }],
    ["Author/Series, Book XXXIX - Title", { series: "Series", series_num: "39", title: "Title" }],
  ])("%s", check);

  it.each<[string, string | null]>([
    ["Book XLI", "41"], ["Tome xlix", "49"], ["Vol. L", "50"], ["Book LXXXIX", "89"], ["Book XL", "40"], ["#XL", "40"],
    // path-27: bare, a numeral past XXXIX is a word ("XL" a size, "L" a letter, "Liv" a name), no position; up to
    // XXXIX it still counts. (Until path-27 these rows read "41", "49", "50", "89".)
    ["XLI", null], ["xlix", null], ["L", null], ["LXXXIX", null], ["XL", null], ["Liv", null], ["LX", null], ["XXXIX", "39"], ["XIV", "14"],
    // Malformed numerals stay no position.
    ["LL", null], ["XLL", null], ["IL", null], ["VL", null],
  ])("parseSeriesNum(%s)", (value, expected) => expect(parseSeriesNum(value)).toBe(expected));
});

describe("a position written as an ordinal word", () => {
  it.each<Row>([
    ["Jules Verne/Voyages extraordinaires, Tome premier - Le Titre", { series: "Voyages extraordinaires", series_num: "1", title: "Le Titre" }],
    ["Лев Толстой/Война и мир. Книга первая", { author: "Лев Толстой", series: "Война и мир", series_num: "1" }],
    ["Лев Толстой/Война и мир, Книга вторая", { series: "Война и мир", series_num: "2" }],
    ["Carlos Ruiz Zafón/El cementerio, Libro primero - La sombra", { series: "El cementerio", series_num: "1", title: "La sombra" }],
    ["Autor/Die Saga - Erster Band", { series: "Die Saga", series_num: "1" }],
    ["Autor/Die Saga 2 - Zweiter Band - Titel", { series: "Die Saga", series_num: "2", title: "Titel" }],
    ["Author/Series, Book the Third", { series: "Series", series_num: "3" }],
    // English ordinals before "Book" are a title's or subtitle's words.
    ["Ann Author - First Book", { author: "Ann Author", title: "First Book" }],
    ["Terry Goodkind/Sword of Truth/Vol. 2 Stone of Tears - The Second Book", { series_num: "2", title: "Stone of Tears", subtitle: "The Second Book" }],
  ])("%s", check);
});

describe("a year followed only by release tags dates the release", () => {
  it.each<Row>([
    ["Author Name/Title 2012 MP3 64kbps", { author: "Author Name", title: "Title", year: "2012" }],
    ["Author Name - Title 2012 MP3 64kbps", { author: "Author Name", title: "Title", year: "2012" }],
    ["Stephen King/The Stand 1990 Unabridged", { title: "The Stand", year: "1990" }],
    ["Isaac Asimov/Foundation 1951 [MP3]", { title: "Foundation", year: "1951" }],
    // Alone, or as the title itself, the number stays.
    ["Author Name/Title 2012", { title: "Title 2012" }],
    ["George Orwell - 1984 MP3", { author: "George Orwell", title: "1984" }],
    ["Jim Lovell/Apollo 13 MP3", { title: "Apollo 13" }],
  ])("%s", check);
});

describe("two capitals spelling a word are no initials", () => {
  it.each<Row>([
    ["Stephen King - IT Follows", { author: "Stephen King", title: "IT Follows" }],
    ["Stephen King/IT Follows", { author: "Stephen King", title: "IT Follows" }],
    ["IT Follows - Stephen King", { author: "Stephen King", title: "IT Follows" }],
    ["JK Rowling - Harry Potter", { author: "JK Rowling", title: "Harry Potter" }],
    ["CS Lewis/The Silver Chair", { author: "CS Lewis", title: "The Silver Chair" }],
  ])("%s", check);
});

describe("Cyrillic surname first, a known given name second, is turned round (path-25)", () => {
  it.each<Row>([
    ["Лукьяненко Сергей - Ночной дозор", { author: "Сергей Лукьяненко", title: "Ночной дозор" }],
    ["Лукьяненко Сергей/Ночной дозор", { author: "Сергей Лукьяненко", title: "Ночной дозор" }],
    ["Сапковский Анджей - Последнее желание", { author: "Анджей Сапковский" }],
    // Already given name first, or both words given names: as written.
    ["Сергей Лукьяненко - Ночной дозор", { author: "Сергей Лукьяненко", title: "Ночной дозор" }],
    ["Лев Толстой/Анна Каренина", { author: "Лев Толстой", title: "Анна Каренина" }],
    ["Шевченко Тарас - Кобзар", { author: "Тарас Шевченко", title: "Кобзар" }],
    ["Рубина Дина - Белая голубка Кордовы", { author: "Дина Рубина" }],
    // A hero's name as the title, either side, is no writer; a Cyrillic surname first is no reason to swap.
    ["Гоголь Николай - Тарас Бульба", { author: "Николай Гоголь", title: "Тарас Бульба" }],
    ["Тарас Бульба - Гоголь Николай", { author: "Николай Гоголь", title: "Тарас Бульба" }],
    ["Толстой Лев - Анна Каренина", { author: "Лев Толстой", title: "Анна Каренина" }],
    ["Moby Dick - Herman Melville", { author: "Herman Melville", title: "Moby Dick" }],
  ])("%s", check);
});

describe("titled parts beside other titled parts are a series' books (path-25)", () => {
  const panem = ["Teil 1 - Tödliche Spiele", "Teil 2 - Gefährliche Liebe", "Teil 3 - Flammender Zorn"];
  it.each<[string, string[], Record<string, string | undefined>]>([
    ["Suzanne Collins/Die Tribute von Panem/Teil 3 - Flammender Zorn", panem, { series: "Die Tribute von Panem", series_num: "3", title: "Flammender Zorn" }],
    [
      "Suzanne Collins/Die Tribute von Panem - Teil 1 - Tödliche Spiele",
      ["Die Tribute von Panem - Teil 1 - Tödliche Spiele", "Die Tribute von Panem - Teil 2 - Gefährliche Liebe"],
      { series: "Die Tribute von Panem", series_num: "1", title: "Tödliche Spiele" },
    ],
    ["Author/Saga/Partie 02 - Le Titre.mp3", ["Partie 01 - Un autre", "Partie 02 - Le Titre"], { series: "Saga", series_num: "2", title: "Le Titre" }],
    // One book's parts: alone, repeating the book's name, chapters, or no title of their own.
    ["Stephen King/The Stand/Part 2 - Captain Trips", ["Part 2 - Captain Trips"], { series: undefined, title: "The Stand (Part 2)", subtitle: "Captain Trips" }],
    ["Stephen King/The Stand/Part 2 - Captain Trips", ["Part 1 - The Stand", "Part 2 - Captain Trips"], { series: undefined, title: "The Stand (Part 2)" }],
    ["Stephen King/The Stand/The Stand Part 01", ["The Stand Part 01", "The Stand Part 02"], { series: undefined, title: "The Stand (Part 1)" }],
    ["Stephen King/It/It - Part 1 of 2", ["It - Part 1 of 2", "It - Part 2 of 2"], { series: undefined, title: "It (Part 1 of 2)" }],
    ["Author/Book/Part 1 - Chapter 01.mp3", ["Part 1 - Chapter 01", "Part 2 - Chapter 01"], { series: undefined, title: "Book" }],
    // Numbered files named as chapters are tracks of the folder's book; numbered files with distinct titles are books.
    ["Frank Herbert/Dune/Dune - 01 - Chapter 1.mp3", ["Dune - 01 - Chapter 1", "Dune - 02 - Chapter 2"], { series: undefined, series_num: undefined, title: "Dune" }],
    ["Frank Herbert/Dune/Dune - 12 - Kapitel 12.mp3", ["Dune - 11 - Kapitel 11", "Dune - 12 - Kapitel 12"], { series: undefined, title: "Dune" }],
    [
      "Terry Pratchett/Discworld/Discworld - 04 - Mort.mp3",
      ["Discworld - 01 - The Colour of Magic", "Discworld - 02 - The Light Fantastic", "Discworld - 04 - Mort"],
      { series: "Discworld", series_num: "4", title: "Mort" },
    ],
  ])("%s", (path, siblings, expected) => {
    const hints = readPath(path, { isFile: path.endsWith(".mp3"), siblings }).hints as Record<string, string | undefined>;
    expect(Object.fromEntries(Object.keys(expected).map((k) => [k, hints[k]]))).toEqual(expected);
  });
});
