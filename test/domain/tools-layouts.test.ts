/**
 * path-32: layouts as tools and habits write them (Readarr's and LazyLibrarian's "$Author/$Title ($Year)", a writer's
 * folder repeated before a padded number, a track or disc below a life's folder, a part glued to the title, a part of a
 * series named as a trilogy or a cycle) and names holding a text-direction control. Rows marked "(path-32)" were read
 * wrong before path-32; each table holds negative rows that only look like the rule.
 */
import { describe, expect, it } from "vitest";
import { readPath } from "../../src/domain/path-analysis.js";
import { check, type Row } from "./path-rows.js";

describe("a part closing the name is the title's part, glued or dashed", () => {
  it.each<Row>([
    // (path-32)
    ["The Way of Kings Part 1", { title: "The Way of Kings (Part 1)", series: undefined }],
    ["The Way of Kings - Part 1", { title: "The Way of Kings (Part 1)", series: undefined }],
    // (path-32)
    ["Brandon Sanderson - The Way of Kings Part 2", { author: "Brandon Sanderson", title: "The Way of Kings (Part 2)", series: undefined }],
    // (path-32)
    ["Brandon Sanderson/The Way of Kings Part 1", { author: "Brandon Sanderson", title: "The Way of Kings (Part 1)", series: undefined }],
    // (path-32)
    ["Stephen King - The Stand, Part 2", { author: "Stephen King", title: "The Stand (Part 2)" }],
    // (path-32)
    ["Thomas Mann - Der Zauberberg Teil 1", { author: "Thomas Mann", title: "Der Zauberberg (Teil 1)" }],
    // (path-32)
    ["Лев Толстой - Война и мир Часть 2", { author: "Лев Толстой", title: "Война и мир (Часть 2)" }],
    // (path-32)
    ["Stephen King - The Stand Part Two", { author: "Stephen King", title: "The Stand (Part Two)" }],
    ["Thomas Mann - Der Zauberberg (Teil 1)", { author: "Thomas Mann", title: "Der Zauberberg (Teil 1)" }],
    // Negative rows: a word only ending in "part", a part word with no number, a part before the part's name.
    ["Mark Lawrence - Counterpart 2", { title: "Counterpart 2" }],
    ["Mark Lawrence - The Best Part", { title: "The Best Part" }],
    ["Stephen King - The Stand Part 2 - Captain Trips", { title: "The Stand (Part 2)", subtitle: "Captain Trips" }],
    ["Stephen King/The Stand/Part 2", { author: "Stephen King", title: "The Stand" }],
  ])("%s", check);
});

describe("a writer's folder repeated before a number padded to three places", () => {
  it.each<Row>([
    // (path-32)
    ["Lee Child/Lee Child - 001 - Killing Floor", { author: "Lee Child", title: "Killing Floor", series: undefined, series_num: "1" }],
    // (path-32)
    ["Stephen King/Stephen King - 004 - The Shining", { author: "Stephen King", title: "The Shining", series: undefined, series_num: "4" }],
    // (path-32)
    ["Lee Child/Lee Child - 001 - Killing Floor/01.mp3", { author: "Lee Child", title: "Killing Floor", series: undefined }],
    ["Lee Child/Lee Child - 01 - Killing Floor", { author: "Lee Child", title: "Killing Floor", series: undefined, series_num: "1" }],
    // Negative rows: a radio play's hero numbers episodes in a folder of its name; no folder above decides nothing.
    ["Benjamin Blümchen/Benjamin Blümchen - 001 - Als Wetterelefant", { author: undefined, series: "Benjamin Blümchen", series_num: "1", title: "Als Wetterelefant" }],
    ["Hörspiele/John Sinclair/John Sinclair - 001 - Im Nachtclub der Vampire", { author: undefined, series: "John Sinclair", series_num: "1" }],
    ["Die drei Fragezeichen/Die drei Fragezeichen - 012 - Der seltsame Wecker", { author: undefined, series: "Die drei Fragezeichen", series_num: "12" }],
    ["Benjamin Blümchen - 001 - Als Wetterelefant", { author: undefined, series: "Benjamin Blümchen", series_num: "1" }],
  ])("%s", check);
});

describe("a track or a disc below a life's own folder", () => {
  it.each<Row>([
    // (path-32)
    ["Einstein/His Life and Universe/01.mp3", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    // (path-32)
    ["Einstein/His Life and Universe/CD 1", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    // (path-32)
    ["Einstein/His Life and Universe/His Life and Universe.m4b", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    // (path-32)
    ["Einstein - His Life and Universe/01.mp3", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    // (path-32)
    ["Walter Isaacson/Einstein/His Life and Universe/01.mp3", { author: "Walter Isaacson", title: "Einstein", subtitle: "His Life and Universe", series: undefined }],
    // (path-32)
    ["Napoleon/A Life/Disc 2", { author: undefined, title: "Napoleon", subtitle: "A Life" }],
    ["Einstein/His Life and Universe", { author: undefined, title: "Einstein", subtitle: "His Life and Universe" }],
    // Negative rows: one word over another title stays the writer's surname, track or not.
    ["Tolkien/The Hobbit/01.mp3", { author: "Tolkien", title: "The Hobbit" }],
    ["King/The Stand/CD 1", { author: "King", title: "The Stand" }],
  ])("%s", check);
});

describe("the book's folder names its year, reader or id beside a file of its title", () => {
  it.each<Row>([
    // (path-32)
    ["Andy Weir/Project Hail Mary (2021)/Project Hail Mary.m4b", { author: "Andy Weir", title: "Project Hail Mary", year: "2021" }],
    // (path-32)
    ["Stephen King/The Stand (1978)/The Stand.mp3", { author: "Stephen King", title: "The Stand", year: "1978" }],
    // (path-32)
    ["Frank Herbert/Dune [1965]/Dune.m4b", { author: "Frank Herbert", title: "Dune", year: "1965" }],
    ["Andy Weir/Project Hail Mary (2021) [Ray Porter]/Project Hail Mary.m4b", { author: "Andy Weir", title: "Project Hail Mary", year: "2021", narrator: "Ray Porter" }],
    ["Andy Weir/Project Hail Mary (2021)/01.mp3", { author: "Andy Weir", title: "Project Hail Mary", year: "2021" }],
    // Negative rows: a folder with nothing more gives nothing more; a file of another title is its own book.
    ["Andy Weir/Project Hail Mary/Project Hail Mary.m4b", { author: "Andy Weir", title: "Project Hail Mary", year: undefined }],
    ["Andy Weir/Collected (2021)/The Martian.m4b", { title: "The Martian", year: undefined }],
  ])("%s", check);
});

describe("a part of a series named as a trilogy, a cycle or a saga is its place", () => {
  it.each<Row>([
    // (path-32)
    ["Kerstin Gier/Edelstein-Trilogie/Teil 1 - Rubinrot", { author: "Kerstin Gier", title: "Rubinrot", series: "Edelstein-Trilogie", series_num: "1" }],
    // (path-32)
    ["Christopher Paolini/Inheritance Cycle/Part 2 - Eldest", { author: "Christopher Paolini", title: "Eldest", series: "Inheritance Cycle", series_num: "2" }],
    // (path-32)
    ["Kerstin Gier - Edelstein-Trilogie Teil 2 - Saphirblau", { author: "Kerstin Gier", title: "Saphirblau", series: "Edelstein-Trilogie", series_num: "2" }],
    // (path-32)
    ["Kerstin Gier - Rubinrot (Edelstein-Trilogie Teil 1)", { author: "Kerstin Gier", title: "Rubinrot", series: "Edelstein-Trilogie", series_num: "1" }],
    // (path-32)
    ["Eragon (Inheritance Cycle, Part 1)", { title: "Eragon", series: "Inheritance Cycle", series_num: "1" }],
    ["Kerstin Gier - Edelstein-Trilogie 1 - Rubinrot", { author: "Kerstin Gier", title: "Rubinrot", series: "Edelstein-Trilogie", series_num: "1" }],
    // Negative rows: a part of one book stays that book's part.
    ["J.R.R. Tolkien/Der Herr der Ringe/Teil 1 - Die Gefährten", { author: "J.R.R. Tolkien", title: "Der Herr der Ringe (Teil 1)", subtitle: "Die Gefährten", series: undefined }],
    ["Stephen King/The Stand/Part 2 - Captain Trips", { title: "The Stand (Part 2)", subtitle: "Captain Trips", series: undefined }],
  ])("%s", check);
});

describe("a text-direction control in a name reorders nothing the reading shows", () => {
  // "Carrie\u202e3pm.exe" shows as "Carriexe.mp3": the reading keeps the characters in their stored order and drops
  // the control, so what the user sees is what the folder holds ("Carrie3pm.exe"), never the disguise.
  it.each<[path: string, field: "title" | "author", value: string]>([
    ["Stephen King - Carrie\u202e3pm.exe", "title", "Carrie3pm.exe"],
    ["Stephen King\u202e - Carrie", "author", "Stephen King"],
    ["Stephen King/Carrie\u202e4bm.mp3", "title", "Carrie4bm"],
    ["Stephen King - Carrie\u2066x\u2069", "title", "Carriex"],
  ])("%s: %s %s", (path, field, value) => {
    const { hints } = readPath(path);
    expect(hints[field]).toBe(value);
    for (const v of Object.values(hints)) expect(v).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u);
  });
});

describe("a file named with its folder's title and the writer the folders name", () => {
  it.each<Row>([
    // (path-32)
    ["Andy Weir/Project Hail Mary/Project Hail Mary - Andy Weir.m4b", { author: "Andy Weir", title: "Project Hail Mary", series: undefined }],
    // (path-32)
    ["Andy Weir/Project Hail Mary (2021)/Project Hail Mary - Andy Weir.m4b", { author: "Andy Weir", title: "Project Hail Mary", year: "2021", series: undefined }],
    // (path-32)
    ["Terry Pratchett/Mort/Mort - Terry Pratchett - 01.mp3", { author: "Terry Pratchett", title: "Mort", series: undefined, series_num: undefined }],
    ["Andy Weir/Project Hail Mary/Andy Weir - Project Hail Mary.m4b", { author: "Andy Weir", title: "Project Hail Mary", series: undefined }],
    // Negative rows: a series folder's book named after the series stays that series' book.
    ["Terry Pratchett/Discworld/Discworld 01 - The Colour of Magic.mp3", { author: "Terry Pratchett", title: "The Colour of Magic", series: "Discworld", series_num: "1" }],
    ["Isaac Asimov/Foundation/Foundation 01 - Foundation (1951)", { author: "Isaac Asimov", title: "Foundation", series: "Foundation", series_num: "1" }],
  ])("%s", check);
});

describe("a series' place and a full stop before the title, after the writer", () => {
  it.each<Row>([
    // (path-32)
    ["Стивен Кинг - Темная башня 1. Стрелок", { author: "Стивен Кинг", title: "Стрелок", series: "Темная башня", series_num: "1" }],
    // (path-32)
    ["Andrzej Sapkowski - Wiedźmin 1. Ostatnie życzenie", { author: "Andrzej Sapkowski", title: "Ostatnie życzenie", series: "Wiedźmin", series_num: "1" }],
    // (path-32)
    ["Лукьяненко Сергей - Дозоры 1. Ночной дозор [Кирилл Радциг, 2005, 128 kbps, MP3]", { author: "Сергей Лукьяненко", title: "Ночной дозор", series: "Дозоры", series_num: "1", year: "2005", narrator: "Кирилл Радциг" }],
    // (path-32)
    ["Robert Jordan - The Wheel of Time 12. The Gathering Storm", { author: "Robert Jordan", title: "The Gathering Storm", series: "The Wheel of Time", series_num: "12" }],
    ["Акунин Борис - Приключения Эраста Фандорина 01. Азазель", { author: "Борис Акунин", title: "Азазель", series: "Приключения Эраста Фандорина", series_num: "1" }],
    // (path-32) A comma in the full stop's place, as trackers also write it.
    ["Кинг Стивен - Тёмная башня 01, Стрелок [Игорь Князев, 2016, 96 kbps, MP3]", { author: "Стивен Кинг", title: "Стрелок", series: "Тёмная башня", series_num: "1", year: "2016", narrator: "Игорь Князев" }],
    // (path-32)
    ["Agatha Christie - Poirot 1, The Mysterious Affair at Styles", { author: "Agatha Christie", title: "The Mysterious Affair at Styles", series: "Poirot", series_num: "1" }],
    ["Jim Lovell - Apollo 13, The Untold Story", { author: "Jim Lovell", series: undefined }],
    ["Stephen King - 11, 22, 63", { author: "Stephen King", title: "11, 22, 63", series: undefined }],
    // Negative rows: a numbered thing is a title; no writer before it, nothing is read; a version is no series.
    ["Jim Lovell - Apollo 13. The Untold Story", { author: "Jim Lovell", series: undefined }],
    ["Apollo 13. The Movie", { series: undefined }],
    ["Somebody Else - Version 2. Something", { series: undefined }],
  ])("%s", check);
});

describe("lettered parts, a tape's side and a disc before the book's name, below the book's folder", () => {
  it.each<Row>([
    // (path-32)
    ["Stephen King/The Stand/Part A", { author: "Stephen King", title: "The Stand", series: undefined }],
    // (path-32)
    ["Stephen King/The Stand/Part B.mp3", { author: "Stephen King", title: "The Stand", series: undefined }],
    // (path-32)
    ["Stephen King/The Stand/Tape 1 Side A", { author: "Stephen King", title: "The Stand", series: undefined }],
    // (path-32)
    ["Stephen King/The Stand/CD1 - The Stand", { author: "Stephen King", title: "The Stand", subtitle: undefined, series: undefined }],
    // (path-32)
    ["Brandon Sanderson - The Way of Kings, Part 1 of 2", { author: "Brandon Sanderson", title: "The Way of Kings (Part 1 of 2)" }],
    ["Stephen King/The Stand/Side A", { author: "Stephen King", title: "The Stand", series: undefined }],
    ["Stephen King/The Stand/Disc 1 of 2", { author: "Stephen King", title: "The Stand", series: undefined }],
    // Negative rows: a lettered part alone is a name, and so is a letter after another word.
    ["Part A", { title: "Part A" }],
    ["Stephen King/Plan B", { author: "Stephen King", title: "Plan B" }],
  ])("%s", check);
});

describe("a recording's marker in Audiobookshelf's reader braces", () => {
  it.each<Row>([
    // (path-32)
    ["Neil Gaiman/Good Omens {Full Cast}", { author: "Neil Gaiman", title: "Good Omens", variant: "Full Cast", narrator: undefined }],
    // (path-32)
    ["Frank Herbert/Dune {Dramatized}", { author: "Frank Herbert", title: "Dune", variant: "Dramatized", narrator: undefined }],
    // (path-32)
    ["Stephen King - It {Abridged}", { author: "Stephen King", title: "It", edition: "Abridged", narrator: undefined }],
    // Negative rows: a person in braces is the reader, as Audiobookshelf writes it.
    ["Blake Crouch - Dark Matter {Jon Lindstrom}", { title: "Dark Matter", narrator: "Jon Lindstrom", variant: undefined }],
    ["Brandon Sanderson/Mistborn/Vol. 1 - 2006 - The Final Empire {Michael Kramer}", { series_num: "1", year: "2006", title: "The Final Empire", narrator: "Michael Kramer" }],
  ])("%s", check);
});

describe("a series named as a trilogy, a saga or a cycle, in a folder or a dashed piece", () => {
  it.each<Row>([
    // (path-32)
    ["Suzanne Collins/The Hunger Games Trilogy/The Hunger Games", { author: "Suzanne Collins", title: "The Hunger Games", series: "The Hunger Games" }],
    // (path-32)
    ["Brandon Sanderson/The Final Empire - The Mistborn Saga", { author: "Brandon Sanderson", title: "The Final Empire", subtitle: undefined, series: "Mistborn" }],
    // (path-32)
    ["Brandon Sanderson - The Final Empire - Mistborn Trilogy", { author: "Brandon Sanderson", title: "The Final Empire", series: "Mistborn" }],
    // (path-32)
    ["Kerstin Gier/Rubinrot - Edelstein-Trilogie", { author: "Kerstin Gier", title: "Rubinrot", series: "Edelstein-Trilogie" }],
    // (path-32)
    ["Лукьяненко Сергей/Цикл Дозоры/Часть 1 - Ночной дозор", { author: "Сергей Лукьяненко", title: "Ночной дозор", series_num: "1" }],
    // Negative rows: a description or a collection after the title, a series folder's omnibus, a book's own folder.
    ["Terry Pratchett/Mort - A Discworld Novel", { title: "Mort", subtitle: "A Discworld Novel", series: undefined }],
    ["Someone Else/Title - A Family Saga", { title: "Title", subtitle: "A Family Saga", series: undefined }],
    ["Brandon Sanderson/Mistborn/Mistborn Trilogy", { series: "Mistborn", title: "Mistborn Trilogy" }],
    ["Andy Weir/Project Hail Mary/Project Hail Mary.m4b", { title: "Project Hail Mary", series: undefined }],
  ])("%s", check);
});

describe("a file named as its folder's title and a subtitle", () => {
  it.each<Row>([
    // (path-32)
    ["Yuval Noah Harari/Sapiens/Sapiens - A Brief History of Humankind.m4b", { author: "Yuval Noah Harari", title: "Sapiens", subtitle: "A Brief History of Humankind", series: undefined }],
    // (path-32)
    ["Yuval Noah Harari/Sapiens (2014)/Sapiens - A Brief History of Humankind.m4b", { author: "Yuval Noah Harari", title: "Sapiens", subtitle: "A Brief History of Humankind", year: "2014", series: undefined }],
    // (path-32) Libation's underscore for the colon.
    ["Yuval Noah Harari/Sapiens/Sapiens_ A Brief History of Humankind.m4b", { author: "Yuval Noah Harari", title: "Sapiens", subtitle: "A Brief History of Humankind", series: undefined }],
    // (path-32)
    ["Malcolm Gladwell/Outliers/Outliers - The Story of Success.mp3", { author: "Malcolm Gladwell", title: "Outliers", subtitle: "The Story of Success" }],
    // Negative row: a series folder's book named after the series.
    ["Brandon Sanderson/Mistborn/Mistborn - The Final Empire.m4b", { author: "Brandon Sanderson", title: "The Final Empire", series: "Mistborn" }],
  ])("%s", check);
});

describe("a series' place with the count of its books, in brackets", () => {
  it.each<Row>([
    // (path-32)
    ["Robert Jordan - The Eye of the World (Wheel of Time 1 of 14)", { author: "Robert Jordan", title: "The Eye of the World", series: "Wheel of Time", series_num: "1" }],
    // (path-32)
    ["Robert Jordan - The Eye of the World (The Wheel of Time, 1 of 14)", { author: "Robert Jordan", title: "The Eye of the World", series: "The Wheel of Time", series_num: "1" }],
    ["The Eye of the World (Book 1 of 14)", { title: "The Eye of the World", series_num: "1" }],
    // Negative rows: a count alone or after a part's word is one part of a book.
    ["The Eye of the World (Part 1 of 3)", { title: "The Eye of the World (Part 1 of 3)", series: undefined }],
    ["Watchers (Teil 1 von 3)", { title: "Watchers (Teil 1 von 3)", series: undefined }],
  ])("%s", check);
});

describe("a place in brackets counts in the name before the title that is surely no person", () => {
  it.each<Row>([
    // (path-32)
    ["Die drei Fragezeichen - Der seltsame Wecker (Folge 12)", { author: undefined, series: "Die drei Fragezeichen", series_num: "12", title: "Der seltsame Wecker" }],
    // (path-32)
    ["Star Wars - Thrawn (Book 1)", { author: undefined, series: "Star Wars", series_num: "1", title: "Thrawn" }],
    // Negative rows: a person before the title is the writer; one word may be a surname; no place, no series.
    ["Brandon Sanderson - The Well of Ascension (Book 2)", { author: "Brandon Sanderson", series: undefined, series_num: "2" }],
    ["Star Wars - Thrawn", { series: undefined, series_num: undefined }],
  ])("%s", check);
});

describe("a year before a full stop or glued before the brackets closing the name", () => {
  it.each<Row>([
    // (path-32)
    ["Stephen King/1978. The Stand", { author: "Stephen King", title: "The Stand", year: "1978" }],
    // (path-32)
    ["1978. The Stand", { title: "The Stand", year: "1978" }],
    // (path-32)
    ["The Stand 2021 (Frank Muller)", { title: "The Stand", year: "2021", narrator: "Frank Muller" }],
    // (path-32)
    ["Stephen King - The Stand 2021 [Frank Muller] (Unabridged)", { author: "Stephen King", title: "The Stand", year: "2021", narrator: "Frank Muller" }],
    // Negative rows: a year still to come is the title's; a title that is a year; a year closing the name alone.
    ["Blade Runner 2049 (Full Cast)", { title: "Blade Runner 2049", year: undefined }],
    ["George Orwell - 1984 (Simon Prebble)", { author: "George Orwell", title: "1984", year: undefined }],
    ["Mission 2012", { title: "Mission 2012", year: undefined }],
    ["Stephen King/1978 - The Stand", { author: "Stephen King", title: "The Stand", year: "1978" }],
  ])("%s", check);
});

describe("a part in square brackets or padded after its word reads as the plain part", () => {
  it.each<Row>([
    // (path-32)
    ["Stephen King - The Stand [1 of 2]", { author: "Stephen King", title: "The Stand (1 of 2)" }],
    // (path-32)
    ["Stephen King - The Stand [Part 2]", { author: "Stephen King", title: "The Stand (Part 2)" }],
    // (path-32)
    ["Stephen King - The Stand - Part 01 of 12", { author: "Stephen King", title: "The Stand (Part 1 of 12)" }],
    // (path-32)
    ["Thomas Mann - Der Zauberberg Teil 01 von 3", { author: "Thomas Mann", title: "Der Zauberberg (Teil 1 von 3)" }],
    // Negative rows: a count with no part word keeps what it wrote; round brackets stay as they are.
    ["Terry Goodkind - Wizards First Rule - 01 of 20", { title: "Wizards First Rule (01 of 20)" }],
    ["Stephen King - The Stand (1 of 2)", { title: "The Stand (1 of 2)" }],
  ])("%s", check);
});

describe("a numbered sub-series folder under a series folder under the writer's", () => {
  it.each<Row>([
    // (path-32)
    ["Terry Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!", { author: "Terry Pratchett", title: "Guards! Guards!", series: "City Watch", series_num: "1" }],
    // (path-32)
    ["Brandon Sanderson/Cosmere/02 - Stormlight Archive/01 - The Way of Kings", { author: "Brandon Sanderson", title: "The Way of Kings", series: "Stormlight Archive", series_num: "1" }],
    // Negative rows: folders naming no one give no writer; the writer's folder right above still counts.
    ["Fantasy/Discworld/03 - City Watch/01 - Guards! Guards!", { author: undefined, title: "Guards! Guards!", series: "City Watch", series_num: "1" }],
    ["Terry Pratchett/Discworld - Rincewind/01 - The Colour of Magic", { author: "Terry Pratchett", series: "Rincewind", series_num: "1" }],
  ])("%s", check);
});

describe("a disc with a name of its own below the book's folder", () => {
  it.each<Row>([
    // (path-32)
    ["Stephen King/The Stand/CD1 - Bonus Interview", { author: "Stephen King", title: "The Stand", series: undefined, narrator: undefined }],
    // (path-32)
    ["Stephen King/The Stand/Disc 2 - Captain Trips", { author: "Stephen King", title: "The Stand", series: undefined, narrator: undefined }],
    // (path-32)
    ["The Stand/CD 1 - Bonus Interview", { author: undefined, title: "The Stand" }],
    // (path-32)
    ["Stephen King/The Stand (Frank Muller)/CD1 - Bonus Interview", { author: "Stephen King", title: "The Stand", narrator: "Frank Muller" }],
    // Negative row: the disc with the book's name was read so before.
    ["Stephen King/The Stand/CD1 - The Stand", { author: "Stephen King", title: "The Stand", series: undefined }],
  ])("%s", check);
});

describe("a series folder of one word or a number is no writer", () => {
  it.each<Row>([
    // (path-32)
    ["Die drei ???/012/Der Super-Papagei", { author: undefined, series: "Die drei ???", series_num: "12", title: "Der Super-Papagei" }],
    // (path-32)
    ["Hörspiele/TKKG/001/Die Jagd nach den Millionendieben", { author: undefined, series: "TKKG", series_num: "1", title: "Die Jagd nach den Millionendieben" }],
    // (path-32)
    ["Die drei ???/012/Der Super-Papagei.m4b", { author: undefined, series: "Die drei ???", series_num: "12", title: "Der Super-Papagei" }],
    // (path-32)
    ["Robert Jordan/The Wheel of Time/01/The Eye of the World", { author: "Robert Jordan", series: "The Wheel of Time", series_num: "1", title: "The Eye of the World" }],
    // (path-32)
    ["TKKG - Die Jagd nach den Millionendieben (Folge 1)", { author: undefined, series: "TKKG", series_num: "1", title: "Die Jagd nach den Millionendieben" }],
    // (path-32)
    ["Benjamin Blümchen - Als Wetterelefant [Folge 1]", { author: undefined, series: "Benjamin Blümchen", series_num: "1" }],
    // Negative rows: a book's place that is no episode; the writer's own folder above; a year's folder is no position.
    ["Brandon Sanderson - The Final Empire (Book 1)", { author: "Brandon Sanderson", series_num: "1" }],
    ["Sebastian Fitzek/Sebastian Fitzek - Die Therapie (Folge 1)", { author: "Sebastian Fitzek" }],
    ["Stephen King/1978/The Stand", { author: "Stephen King", title: "The Stand", series_num: undefined }],
  ])("%s", check);
});

describe("a file that names nothing of its own is its folder's book, read with the folders a book's folder has", () => {
  it.each<Row>([
    // (path-32)
    ["Terry Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!/01.mp3", { author: "Terry Pratchett", title: "Guards! Guards!", series: "City Watch", series_num: "1" }],
    // (path-32)
    ["Terry Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!/07 - The Night Watch.mp3", { author: "Terry Pratchett", title: "Guards! Guards!", series: "City Watch" }],
    // (path-32)
    ["Die drei ???/012/01.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: undefined }],
    // (path-32)
    ["Hörspiele/TKKG/001/03 von 12.mp3", { author: undefined, series: "TKKG", series_num: "1", title: undefined }],
    // (path-32)
    ["Terry Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!/CD 1", { author: "Terry Pratchett", title: "Guards! Guards!", series: "City Watch" }],
    // (path-32)
    ["Terry Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!/Disc 2/01.mp3", { author: "Terry Pratchett", title: "Guards! Guards!", series: "City Watch" }],
    // (path-32)
    ["Terry Pratchett/Discworld/City Watch/Guards! Guards!/Part 1", { author: "Terry Pratchett", title: "Guards! Guards!", series: "City Watch" }],
    // Audiobookshelf's documented layout: "Audio Track 1.mp3", "Audio File.m4a" name no book.
    // (path-32)
    ["Terry Goodkind/Sword of Truth/Vol 1 - 1994 - Wizards First Rule {Sam Tsoutsouvas}/Audio Track 1.mp3", { author: "Terry Goodkind", title: "Wizards First Rule", series: "Sword of Truth", series_num: "1", year: "1994", narrator: "Sam Tsoutsouvas" }],
    // (path-32)
    ["Terry Goodkind/Heart of Black Ice - Sister of Darkness/Audio File.m4a", { author: "Terry Goodkind", title: "Heart of Black Ice", subtitle: "Sister of Darkness", series: undefined }],
    // (path-32)
    ["Steven Levy/Hackers - Heroes of the Computer Revolution {Mike Chamberlain}/Audio File.m4a", { author: "Steven Levy", title: "Hackers", subtitle: "Heroes of the Computer Revolution", narrator: "Mike Chamberlain", series: undefined }],
    // (path-32)
    ["Stephen King/It/It (1 of 3).mp3", { author: "Stephen King", title: "It", series: undefined }],
    // (path-32)
    ["Stephen King/The Stand/The Stand [02].mp3", { author: "Stephen King", title: "The Stand", series: undefined }],
    ["Stephen King/The Stand/The Stand (1978).mp3", { author: "Stephen King", title: "The Stand", year: "1978" }],
    // Negative rows: the episode's own name in its folder; a whole book's bare number is its place in the series; a
    // file of its own title; a book the file names.
    ["Die drei ???/012 - Der Karpatenhund/01.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: "Der Karpatenhund" }],
    ["Mistborn/01.m4b", { series: "Mistborn", series_num: "1" }],
    ["1945 - Animal Farm/Audiobook.mp3", { title: "Animal Farm", year: "1945" }],
    ["Terry Goodkind/Sword of Truth/Vol 2 - 1995 - Stone of Tears/Audiobook.m4b", { author: "Terry Goodkind", title: "Stone of Tears", series: "Sword of Truth", series_num: "2", year: "1995" }],
    ["Stephen King/The Gunslinger.mp3", { author: "Stephen King", title: "The Gunslinger" }],
    ["Stephen King/The Stand/Track 07.flac", { author: "Stephen King", title: "The Stand", series: undefined }],
    ["Fiction/Terry Pratchett/Discworld/Guards! Guards!/Guards! Guards! 03.mp3", { author: "Terry Pratchett", title: "Guards! Guards!", series: "Discworld" }],
  ])("%s", check);
});

describe("a folder that is only a year dates the book below it, never a writer or a series", () => {
  it.each<Row>([
    // (path-32)
    ["Stephen King/1978/The Stand/01.mp3", { author: "Stephen King", title: "The Stand", series: undefined, year: "1978" }],
    // (path-32)
    ["Stephen King/1978/The Stand", { author: "Stephen King", title: "The Stand", series: undefined, year: "1978" }],
    // (path-32)
    ["Stephen King/(1978)/The Stand.m4b", { author: "Stephen King", title: "The Stand", series: undefined, year: "1978" }],
    // (path-32)
    ["Stephen King/The Dark Tower/1982/1 - The Gunslinger", { author: "Stephen King", series: "The Dark Tower", series_num: "1", title: "The Gunslinger", year: "1982" }],
    // (path-32)
    ["Audiobooks/2021/Andy Weir - Project Hail Mary", { author: "Andy Weir", title: "Project Hail Mary", series: undefined, year: "2021" }],
    // Negative rows: the book's own year wins; a part, a track or the same number below make the folder the book "1984".
    ["Stephen King/1978/The Stand (2011)", { author: "Stephen King", title: "The Stand", year: "2011" }],
    ["George Orwell/1984/Part 1", { author: "George Orwell", title: "1984" }],
    ["George Orwell/1984/01 - Chapter 1.mp3", { author: "George Orwell", title: "1984", year: undefined }],
    ["George Orwell/1984/George Orwell - 1984.m4b", { author: "George Orwell", title: "1984", year: undefined }],
    // A folder named only by its catalogue id (Audible's ASIN) below names no book to date: no year from "1984".
    ["George Orwell/1984/B002V0QK4C", { author: "George Orwell", year: undefined }],
    ["1984/B000000027/book.mp3", { year: undefined }],
  ])("%s", check);
});

describe("a year glued by its full stop to the title", () => {
  it.each<Row>([
    // (path-32)
    ["Stephen King/1978.The Stand", { author: "Stephen King", title: "The Stand", year: "1978" }],
    // (path-32)
    ["Stephen King/1978.The Stand (Frank Muller)/01.mp3", { author: "Stephen King", title: "The Stand", year: "1978", narrator: "Frank Muller" }],
    // (path-32)
    ["1986.It.m4b", { title: "It", year: "1986" }],
    // Negative rows: dotted words are a release's name, no year before a stop; a small letter opens no title.
    ["Stephen King/1978.The.Stand", { author: "Stephen King", year: undefined }],
    ["Stephen King/1978.the stand", { author: "Stephen King", year: undefined }],
    ["Stephen King/1978. The Stand", { author: "Stephen King", title: "The Stand", year: "1978" }],
  ])("%s", check);
});

describe("a disc named as a book of its own below a folder of one word", () => {
  it.each<Row>([
    // (path-32)
    ["Discworld/CD1 - Guards! Guards!/01.mp3", { title: "Guards! Guards!" }],
    // (path-32)
    ["Terry Pratchett/Discworld/CD1 - Guards! Guards!", { author: "Terry Pratchett", series: "Discworld", title: "Guards! Guards!" }],
    // (path-32)
    ["Brandon Sanderson/Mistborn/Disc 2 - The Well of Ascension", { author: "Brandon Sanderson", series: "Mistborn", title: "The Well of Ascension" }],
    // Negative rows: a book of more words holds its discs; a part's or an extra's name is a piece of the folder's book.
    ["Stephen King/The Stand/Disc 2 - Captain Trips", { author: "Stephen King", title: "The Stand", series: undefined }],
    ["Stephen King/Carrie/CD1 - Bonus Interview", { author: "Stephen King", title: "Carrie", series: undefined }],
    ["Stephen King/It/CD1 - Part One", { author: "Stephen King", title: "It", series: undefined }],
    ["Stephen King/Carrie/CD1 - Carrie", { author: "Stephen King", title: "Carrie", series: undefined }],
  ])("%s", check);
});

describe("a file named as its folder, and a folder that is only a book's place (OpenAudible's, Audiobookshelf's)", () => {
  it.each<Row>([
    // (path-32)
    ["Terry Goodkind/Sword of Truth/Wizards First Rule/Wizards First Rule.m4b", { author: "Terry Goodkind", series: "Sword of Truth", title: "Wizards First Rule" }],
    // (path-32)
    ["J.K. Rowling/Wizarding World/Book 1/Harry Potter and the Sorcerer's Stone.mp3", { author: "J.K. Rowling", series: "Wizarding World", series_num: "1", title: "Harry Potter and the Sorcerer's Stone" }],
    // (path-32)
    ["Robert Jordan/The Wheel of Time/Vol 1/The Eye of the World", { author: "Robert Jordan", series: "The Wheel of Time", series_num: "1", title: "The Eye of the World" }],
    // (path-32)
    ["Die drei ???/012/Kapitel 1.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: undefined }],
    // (path-32)
    ["Die drei ???/012/Der Super-Papagei.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: "Der Super-Papagei" }],
    // Negative rows: a part's folder is a piece of one book; a whole book of its own name.
    ["Stephen King/The Stand/Part 1/01.mp3", { author: "Stephen King", title: "The Stand", series: undefined }],
    ["Brandon Sanderson/Mistborn/Mistborn.m4b", { author: "Brandon Sanderson", title: "Mistborn", series_num: undefined }],
  ])("%s", check);
});

describe("Libation's file per chapter repeats its folder's whole name", () => {
  it.each<Row>([
    // (path-32)
    ["Brandon Sanderson/Mistborn/The Final Empire [B002UZMLXM]/The Final Empire [B002UZMLXM] - 01 - Chapter 1.m4b", { author: "Brandon Sanderson", series: "Mistborn", title: "The Final Empire", series_num: undefined }],
    // (path-32)
    ["Brandon Sanderson/The Final Empire [B002UZMLXM]/The Final Empire [B002UZMLXM] - 0001 - Prologue.mp3", { author: "Brandon Sanderson", title: "The Final Empire", series: undefined }],
    // Negative row: a series' folder of no brackets numbers its books.
    ["Mistborn/Mistborn - 01 - The Final Empire.m4b", { series: "Mistborn", series_num: "1", title: "The Final Empire" }],
  ])("%s", check);
});

describe("writers listed the catalogue's way in an author's folder (Audiobookshelf's documented forms)", () => {
  it.each<Row>([
    // (path-32)
    ["Kishimi, Ichiro & Koga, Fumitake/The Courage to Be Disliked", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    // (path-32)
    ["Kishimi, Ichiro, Koga, Fumitake/The Courage to Be Disliked", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    // (path-32)
    ["Kishimi, Ichiro; Koga, Fumitake/The Courage to Be Disliked", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    // Negative rows: the other documented forms were read so before.
    ["Kishimi, Ichiro/The Courage to Be Disliked", { author: "Ichiro Kishimi", title: "The Courage to Be Disliked" }],
    ["Ichiro Kishimi, Fumitake Koga/The Courage to Be Disliked", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    ["Ichiro Kishimi & Fumitake Koga/The Courage to Be Disliked", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
  ])("%s", check);
});

describe("an episode's number below a radio play's folder is its place", () => {
  it.each<Row>([
    // (path-32)
    ["Benjamin Blümchen/001 - Als Wetterelefant", { author: undefined, series: "Benjamin Blümchen", series_num: "1", title: "Als Wetterelefant" }],
    // (path-32)
    ["Bibi Blocksberg/001/Hexen gibt es doch", { author: undefined, series: "Bibi Blocksberg", series_num: "1", title: "Hexen gibt es doch" }],
    // (path-32)
    ["Hörspiele/John Sinclair/Folge 1 - Im Nachtclub der Vampire", { author: undefined, series: "John Sinclair", series_num: "1" }],
    // (path-32)
    ["Benjamin Blümchen/001/01.mp3", { author: undefined, series: "Benjamin Blümchen", series_num: "1" }],
    // (path-32)
    ["Hörspiele/Die drei ???/012/01 - Track.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: undefined }],
    // A hero's folder over books numbered as a writer's are is their series too (ascan50: "Jack Reacher" was the writer).
    ["Jack Reacher/01 - Killing Floor", { author: undefined, series: "Jack Reacher", title: "Killing Floor" }],
    // (path-40, ascan51) Changed: a hero's folder over a name with no number is the series too (was the writer).
    ["Benjamin Blümchen/Als Wetterelefant", { author: undefined, series: "Benjamin Blümchen", title: "Als Wetterelefant" }],
    ["Die drei ???/012 - Der Karpatenhund/CD 1", { author: undefined, series: "Die drei ???", series_num: "12", title: "Der Karpatenhund" }],
  ])("%s", check);
});

describe("a series hero's folder over numbered books keeps their places", () => {
  it.each<Row>([
    // (path-32)
    ["Jack Reacher/01 - Killing Floor", { title: "Killing Floor", series_num: "1" }],
    // (path-32)
    ["Harry Potter/03 - The Prisoner of Azkaban", { title: "The Prisoner of Azkaban", series_num: "3" }],
    // (path-32)
    ["Jack Reacher/02 - Die Trying/01.mp3", { title: "Die Trying", series_num: "2" }],
    // Negative rows: a writer's folder numbering its own shelf; a hero's folder over a name with no number.
    ["Dean Koontz/01 - Watchers", { author: "Dean Koontz", title: "Watchers", series_num: undefined }],
    ["Jack Reacher/Killing Floor", { title: "Killing Floor", series_num: undefined }],
    ["Lee Child/Jack Reacher/01 - Killing Floor", { author: "Lee Child", series: "Jack Reacher", series_num: "1", title: "Killing Floor" }],
  ])("%s", check);
});

describe("a track numbered below a position's folder is a track of that place's book", () => {
  it.each<Row>([
    // (path-32)
    ["Die drei ???/012/01 - Der Karpatenhund - Teil 1.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: "Der Karpatenhund (Teil 1)" }],
    // (path-32)
    ["Hörspiele/Die drei ???/012/02 - Der Karpatenhund.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: "Der Karpatenhund" }],
    // Read so before: a chapter's track below the place names nothing of its own.
    ["Die drei ???/012/03 - Kapitel 3.mp3", { author: undefined, series: "Die drei ???", series_num: "12", title: undefined }],
    // (path-32)
    ["J.K. Rowling/Wizarding World/Book 1/01 - Harry Potter and the Sorcerer's Stone.mp3", { author: "J.K. Rowling", series: "Wizarding World", series_num: "1", title: "Harry Potter and the Sorcerer's Stone" }],
    // Negative rows: the same names below a folder that is no position, or with the position in the folder's name.
    ["Die drei ???/012 - Der Karpatenhund/01 - Der Karpatenhund - Teil 1.mp3", { series: "Die drei ???", series_num: "12", title: "Der Karpatenhund (Teil 1)" }],
    ["Die drei ???/012/Der Karpatenhund.mp3", { series: "Die drei ???", series_num: "12", title: "Der Karpatenhund" }],
  ])("%s", check);
});

describe("\"(by X)\" after a series folder's name names the writer", () => {
  it.each<Row>([
    // (path-32)
    ["Mistborn (by Brandon Sanderson)/Book 1 - The Final Empire", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Final Empire" }],
    // (path-32)
    ["Mistborn (by Brandon Sanderson)/Book 2 - The Well of Ascension/01.mp3", { author: "Brandon Sanderson", series: "Mistborn", series_num: "2", title: "The Well of Ascension" }],
    // (path-32)
    ["Brandon Sanderson/Mistborn (by Brandon Sanderson)/Book 1 - The Final Empire", { author: "Brandon Sanderson", series: "Mistborn" }],
    // (path-32)
    ["The Expanse (by James S. A. Corey)/The Expanse 01 - Leviathan Wakes", { author: "James S. A. Corey", series: "The Expanse", series_num: "1" }],
    // (path-32)
    ["Tolkien/The Hobbit (by J.R.R. Tolkien)", { author: "J.R.R. Tolkien", title: "The Hobbit", narrator: undefined }],
    // (path-32)
    ["Stephen King/The Talisman (by Stephen King and Peter Straub)", { author: "Stephen King & Peter Straub", title: "The Talisman" }],
    // Negative rows: a name in brackets with no "by" under a writer's folder is the reader; brackets with no "by"; the dashed folder naming its writer in brackets was read so before.
    ["Dean Koontz/Watchers (Stephen Fry)", { author: "Dean Koontz", title: "Watchers", narrator: "Stephen Fry" }],
    ["Mistborn (Bybee)/Book 1 - The Final Empire", { series: "Mistborn (Bybee)", series_num: "1" }],
    ["The Dark Tower (by Stephen King) - The Complete Series (read by George Guidall)/Book 2 - The Drawing of the Three", { author: "Stephen King", series: "The Dark Tower", series_num: "2" }],
  ])("%s", check);
});

describe("writers listed \"Surname, Given\" before or after a dash in one name", () => {
  it.each<Row>([
    // (path-32)
    ["Kishimi, Ichiro & Koga, Fumitake - The Courage to Be Disliked", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    // (path-32)
    ["Kishimi, Ichiro & Koga, Fumitake - The Courage to Be Disliked.m4b", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    // (path-32)
    ["Kishimi, Ichiro, Koga, Fumitake - The Courage to Be Disliked", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    // (path-32)
    ["The Courage to Be Disliked - Kishimi, Ichiro; Koga, Fumitake", { author: "Ichiro Kishimi & Fumitake Koga", title: "The Courage to Be Disliked" }],
    // Negative rows: a title with commas and an ampersand; one writer so written was read before.
    ["Lynne Truss - Eats, Shoots & Leaves", { author: "Lynne Truss", title: "Eats, Shoots & Leaves" }],
    ["Kishimi, Ichiro - The Courage to Be Disliked", { author: "Ichiro Kishimi", title: "The Courage to Be Disliked" }],
  ])("%s", check);
});

describe("a writer's folder over one file that names nothing gives no title", () => {
  it.each<Row>([
    // (path-32)
    ["Steven Levy/Audio File.m4a", { author: "Steven Levy", title: undefined }],
    // (path-32)
    ["Steven Levy/01.mp3", { author: "Steven Levy", title: undefined }],
    // (path-32)
    ["Walter Isaacson/Audio Track 1.mp3", { author: "Walter Isaacson", title: undefined }],
    // (path-32)
    ["Audiobooks/Steven Levy/Audio File.m4a", { author: "Steven Levy", title: undefined }],
    // (path-32)
    ["Kishimi, Ichiro & Koga, Fumitake/Audio File.m4a", { author: "Ichiro Kishimi & Fumitake Koga", title: undefined }],
    // Negative rows: a file with a title of its own; a folder that is a book's name, a hero's or a life's one word.
    ["Steven Levy/Hackers.m4a", { author: "Steven Levy", title: "Hackers" }],
    ["Tom Sawyer/Audio File.m4a", { author: undefined, title: "Tom Sawyer" }],
    ["Dune/Audio File.m4a", { author: undefined, title: "Dune" }],
    ["Audiobooks/Tom Sawyer/01.mp3", { author: undefined, title: "Tom Sawyer" }],
    ["Steven Levy/Hackers/Audio File.m4a", { author: "Steven Levy", title: "Hackers" }],
    ["Einstein/Audio File.m4a", { author: undefined, title: "Einstein" }],
  ])("%s", check);
});
