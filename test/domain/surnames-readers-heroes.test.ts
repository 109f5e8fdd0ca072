/**
 * path-40 (ascan51): shapes of real folder names the path layer read wrong, each a class with its negative rows.
 * Only the fields a row names are compared; "doubtful" lists the fields claimed with half weight.
 */
import { describe, it } from "vitest";
import { check, type Row } from "./path-rows.js";

describe("a title opening with an article, then a writer by surname alone", () => {
  it.each<Row>([
    ["Het Diner - Pietersen", { author: "Pietersen", title: "Het Diner", doubtful: ["author"] }],
    ["The Stand - Grisham", { author: "Grisham", title: "The Stand" }],
    ["Le Petit Prince - Saint-Exupéry", { author: "Saint-Exupéry", title: "Le Petit Prince" }],
    ["The Road - McCarthy", { author: "McCarthy", title: "The Road" }],
    ["Il nome della rosa - Eco", { author: "Eco", title: "Il nome della rosa" }],
    ["Der Vorleser - Schlink", { author: "Schlink", title: "Der Vorleser" }],
    // One word before a work and its place on its own: the writer by surname.
    // (The title named by the work's volume stays doubtful, as "Stephen King - The Firm - Book 1" reads.)
    ["Tolkien - The Hobbit - Book 1", { author: "Tolkien", title: "The Hobbit", series_num: "1", doubtful: ["title"] }],
    ["Grisham - The Firm - Book 1", { author: "Grisham", title: "The Firm", series_num: "1", doubtful: ["title", "author"] }],
    // A part in brackets on either side goes with the title.
    ["Der Schwarm - Schätzing (Teil 2)", { author: "Schätzing", title: "Der Schwarm (Teil 2)" }],
    ["Der Schwarm (Teil 2) - Schätzing", { author: "Schätzing", title: "Der Schwarm (Teil 2)" }],
    ["Het Diner - Pietersen [Hans Kesting]", { author: "Pietersen", title: "Het Diner", narrator: "Hans Kesting" }],
    // A work known by its hero's name, then a surname; a writer known by one name after a title of a person's shape.
    ["Jane Eyre - Bronte", { author: "Bronte", title: "Jane Eyre" }],
    ["Great Expectations - Dickens", { author: "Dickens", title: "Great Expectations" }],
    ["Moby Dick - Melville", { author: "Melville", title: "Moby Dick" }],
    // Negative rows: a series' compound, a note, a piece of the book, a world's name, a language: no writer.
    ["The Final Empire - Mistborn", { author: undefined }],
    ["The Colour of Magic - Discworld", { author: undefined }],
    ["The Hobbit - Annotated", { author: undefined }],
    ["The Wheel of Time - Prologue", { author: undefined }],
    ["The Stand - Epilogue", { author: undefined }],
    ["The Stand - Deutsch", { author: undefined, title: "The Stand", language: "de" }],
    // Under a writer's folder the folder names the writer ("Mark Twain/Tom Sawyer - Twain" as before).
    ["Mark Twain/Tom Sawyer - Twain", { author: "Mark Twain", title: "Tom Sawyer" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("under a writer's folder, a reader before the title", () => {
  it.each<Row>([
    ["Douglas Adams/Stephen Fry - Dirk Gently", { author: "Douglas Adams", title: "Dirk Gently", narrator: "Stephen Fry", doubtful: ["narrator"] }],
    ["Douglas Adams/Dirk Gently - Stephen Fry", { author: "Douglas Adams", title: "Dirk Gently", narrator: "Stephen Fry" }],
    ["Douglas Adams/Stephen Fry - The Hitchhiker's Guide to the Galaxy", { author: "Douglas Adams", title: "The Hitchhiker's Guide to the Galaxy", narrator: "Stephen Fry" }],
    ["Terry Pratchett/Nigel Planer - Mort", { author: "Terry Pratchett", title: "Mort", narrator: "Nigel Planer" }],
    ["Douglas Adams/Stephen Fry - Dirk Gently (2012)", { author: "Douglas Adams", title: "Dirk Gently", narrator: "Stephen Fry", year: "2012" }],
    // A known reader is claimed at full weight.
    ["Stephen King/Frank Muller - The Stand", { author: "Stephen King", title: "The Stand", narrator: "Frank Muller", doubtful: [] }],
    // Between writer and title at the root, a reader the list knows reads it, no series of that name.
    ["Stephen King - Frank Muller - The Stand", { author: "Stephen King", title: "The Stand", narrator: "Frank Muller", series: undefined }],
    // Negative rows: a pen name of the folder's writer, the folder's writer again, a series' hero.
    ["Stephen King/Richard Bachman - Thinner", { author: "Richard Bachman", title: "Thinner", narrator: undefined }],
    ["Stephen King/Stephen King - The Stand", { author: "Stephen King", title: "The Stand", narrator: undefined }],
    ["Lee Child/Jack Reacher - Killing Floor", { author: "Lee Child", series: "Jack Reacher", title: "Killing Floor", narrator: undefined }],
    ["Lee Child - Jack Reacher - Killing Floor", { author: "Lee Child", series: "Jack Reacher", title: "Killing Floor", narrator: undefined }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("volume words after a title, and titles of a person's shape before them", () => {
  it.each<Row>([
    // A part glued to the title is the title's part in every language part-words.ts lists (Polish too).
    ["Der Schwarm Teil 2", { title: "Der Schwarm (Teil 2)", series: undefined }],
    ["Wiedźmin Część 1", { title: "Wiedźmin (Część 1)", series: undefined }],
    ["Andrzej Sapkowski - Wiedźmin Część 1", { author: "Andrzej Sapkowski", title: "Wiedźmin (Część 1)" }],
    // A volume word is the series' place.
    ["Die Säulen der Erde Band 1", { series: "Die Säulen der Erde", series_num: "1" }],
    ["De Kronieken van Narnia Deel 4", { series: "De Kronieken van Narnia", series_num: "4" }],
    ["Los Pilares de la Tierra Libro 2", { series: "Los Pilares de la Tierra", series_num: "2" }],
    ["Tome 3 - Les Misérables", { title: "Les Misérables", series_num: "3" }],
    // A writer of a person's shape no given-name list knows before a work of a person's shape or named for its hero.
    ["Theodor Fontane - Effi Briest Band 1", { author: "Theodor Fontane", series: "Effi Briest", series_num: "1", title: undefined }],
    ["Gustave Flaubert - Madame Bovary Tome 2", { author: "Gustave Flaubert", series: "Madame Bovary", series_num: "2" }],
    ["Mika Waltari - Sinuhe der Ägypter Band 1", { author: "Mika Waltari", series: "Sinuhe der Ägypter", series_num: "1" }],
    ["Ludwig Ganghofer - Schloss Hubertus Band 2", { author: "Ludwig Ganghofer", series: "Schloss Hubertus", series_num: "2" }],
    ["Effi Briest Band 1 - Theodor Fontane", { author: "Theodor Fontane", series: "Effi Briest", series_num: "1", title: undefined }],
    // A part word leading the name alone is the title's part, never a series "Teil" or "Part".
    ["Teil 2 - Der Schwarm", { title: "Der Schwarm (Teil 2)", series: undefined }],
    ["Part 2 - The Stand", { title: "The Stand (Part 2)", series: undefined, series_num: undefined }],
    ["Część 1 - Ostatnie życzenie", { title: "Ostatnie życzenie (Część 1)", series: undefined }],
    // Under the writer's folder a sure person after the volume reads it.
    ["Karl May/Winnetou Band 1 - Hans Paetsch", { author: "Karl May", series: "Winnetou", series_num: "1", narrator: "Hans Paetsch" }],
    ["J.K. Rowling/Harry Potter and the Goblet of Fire, Book 4 - Jim Dale", { author: "J.K. Rowling", title: "Harry Potter and the Goblet of Fire", narrator: "Jim Dale" }],
    // A reader after the volume glued to the work.
    ["Ken Follett - Die Säulen der Erde Band 1 - Rufus Beck", { author: "Ken Follett", series: "Die Säulen der Erde", series_num: "1", narrator: "Rufus Beck", title: undefined }],
    // Negative rows: the folder's writer again after the volume; a title before a set of books, a title of many
    // words, a surer person as the series.
    ["Karl May/Winnetou Band 1 - Karl May", { author: "Karl May", narrator: undefined }],
    ["Grave Peril - Dresden Files Book 3", { author: undefined, title: "Grave Peril", series: "Dresden Files", series_num: "3" }],
    ["Red Seas Under Red Skies - Gentleman Bastard Book 2", { author: undefined, title: "Red Seas Under Red Skies", series: "Gentleman Bastard", series_num: "2" }],
    ["Killing Floor - Jack Reacher Book 1", { author: undefined, title: "Killing Floor", series: "Jack Reacher", series_num: "1" }],
    ["Robert Galbraith - Cormoran Strike Band 1 - Der Ruf des Kuckucks", { author: "Robert Galbraith", title: "Der Ruf des Kuckucks", series: "Cormoran Strike", narrator: undefined }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("a title, then its series and the book's place", () => {
  it.each<Row>([
    ["Blood Song - Raven's Shadow Book 1", { author: undefined, title: "Blood Song", series: "Raven's Shadow", series_num: "1" }],
    ["Anthony Ryan - Blood Song - Raven's Shadow Book 1", { author: "Anthony Ryan", title: "Blood Song", series: "Raven's Shadow", series_num: "1" }],
    ["Blood Song - Raven's Shadow Book 1 - Steven Brand", { author: "Steven Brand", title: "Blood Song", series: "Raven's Shadow" }],
    // "Title, Book N" before people only: the title and its place as alone, the people after it.
    ["Harry Potter and the Goblet of Fire, Book 4 - J.K. Rowling", { author: "J.K. Rowling", title: "Harry Potter and the Goblet of Fire", series_num: "4" }],
    ["Harry Potter and the Goblet of Fire, Book 4 - J.K. Rowling - Jim Dale", { author: "J.K. Rowling", title: "Harry Potter and the Goblet of Fire", narrator: "Jim Dale" }],
    // Negative row: a title after the place keeps the series' reading.
    ["Mistborn, Book 1 - The Final Empire", { title: "The Final Empire", series: "Mistborn", series_num: "1" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("a series' hero's folder over unnumbered books is the series", () => {
  it.each<Row>([
    ["Jack Reacher/Killing Floor", { author: undefined, series: "Jack Reacher", title: "Killing Floor", series_num: undefined }],
    ["Hercule Poirot/Murder on the Orient Express", { author: undefined, series: "Hercule Poirot", title: "Murder on the Orient Express" }],
    ["Sherlock Holmes/A Study in Scarlet", { author: undefined, series: "Sherlock Holmes", title: "A Study in Scarlet" }],
    ["Jack Reacher/Killing Floor/01.mp3", { author: undefined, series: "Jack Reacher", title: "Killing Floor" }],
    ["Jack Reacher/Lee Child - Killing Floor", { author: "Lee Child", series: "Jack Reacher", title: "Killing Floor" }],
    // Negative rows: a writer's folder above the hero's; a work named for its hero holding its own discs.
    ["Lee Child/Jack Reacher/Killing Floor", { author: "Lee Child", series: "Jack Reacher", title: "Killing Floor" }],
    ["Peter Pan/CD1", { title: "Peter Pan", series: undefined }],
    ["Stephen King/The Stand", { author: "Stephen King", series: undefined }],
  ])("%s", (path, expected) => check(path, expected));
});
