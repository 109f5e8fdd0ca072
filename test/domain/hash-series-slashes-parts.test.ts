/**
 * path-40 (ascan52): the path layer's misses after ascan51, each a class with its negative rows.
 * Only the fields a row names are compared; "doubtful" lists the fields claimed with half weight.
 */
import { describe, it } from "vitest";
import { check, type Row } from "./path-rows.js";

describe("a name closed by '#N' after a work is the series, with or without a writer before them", () => {
  it.each<Row>([
    ["Blood Song - Raven's Shadow #1", { author: undefined, title: "Blood Song", series: "Raven's Shadow", series_num: "1" }],
    ["Anthony Ryan/Blood Song - Raven's Shadow #1", { author: "Anthony Ryan", title: "Blood Song", series: "Raven's Shadow", series_num: "1" }],
    ["Anthony Ryan/Blood Song - Raven's Shadow #1.m4b", { author: "Anthony Ryan", title: "Blood Song", series: "Raven's Shadow", series_num: "1" }],
    ["Red Rising - Red Rising Saga #1", { title: "Red Rising", series: "Red Rising Saga", series_num: "1" }],
    // Negative rows: a writer, a hero, a series' own name or a part before the hash keep their readings.
    ["Lee Child - Killing Floor #1", { author: "Lee Child", title: "Killing Floor", series: undefined, series_num: "1" }],
    ["Jack Reacher - Killing Floor #1", { title: "Killing Floor", series: "Jack Reacher", series_num: "1" }],
    ["Mistborn - The Final Empire #1", { title: "The Final Empire", series: "Mistborn", series_num: "1" }],
    ["Dresden Files - Storm Front #1", { title: "Storm Front", series: "Dresden Files", series_num: "1" }],
    ["Stephen King/The Stand - Part #2", { series: undefined }],
    ["The Stand #3", { title: "The Stand", series_num: "3" }],
  ])("%s", check);
});

describe("numbers joined by underscores are a title written with slashes", () => {
  it.each<Row>([
    ["Stephen King - 11_22_63", { author: "Stephen King", title: "11/22/63" }],
    ["Stephen King/11_22_63", { author: "Stephen King", title: "11/22/63" }],
    ["Stephen King/11_22_63.m4b", { author: "Stephen King", title: "11/22/63" }],
    ["Stephen King - 11_22_63 (2011)", { author: "Stephen King", title: "11/22/63", year: "2011" }],
    // Negative rows: words before a number are only spaced; a track's file stays a track.
    ["Ray Bradbury - Fahrenheit_451", { author: "Ray Bradbury", title: "Fahrenheit 451" }],
    ["Joseph Heller - Catch_22", { author: "Joseph Heller", title: "Catch 22" }],
    ["Joseph_Heller_-_Catch_22", { title: "Catch 22" }],
  ])("%s", check);
});

describe("a series and its place, then a known reader, names no title", () => {
  it.each<Row>([
    ["Stephen King/The Dark Tower 1 - Frank Muller", { author: "Stephen King", title: undefined, series: "The Dark Tower", series_num: "1", narrator: "Frank Muller" }],
    ["Stephen King - The Dark Tower 1 - Frank Muller", { author: "Stephen King", title: undefined, series: "The Dark Tower", series_num: "1", narrator: "Frank Muller" }],
    ["The Dark Tower 1 - Frank Muller", { series: "The Dark Tower", series_num: "1", narrator: "Frank Muller" }],
    // Negative rows: one word and a number is a title ("Passagier 23"), so is one before a writer.
    ["Fitzek Sebastian/Passagier 23 - Simon Jäger", { title: "Passagier 23", narrator: "Simon Jäger", series: undefined }],
    ["Catch 22 - Joseph Heller", { author: "Joseph Heller", title: "Catch 22" }],
  ])("%s", check);
});

describe("a lone series' name before a work and its detached place is the series", () => {
  it.each<Row>([
    ["Mistborn - The Final Empire - Book 1", { author: undefined, title: "The Final Empire", series: "Mistborn", series_num: "1" }],
    ["Dune - Dune Messiah - Book 2", { title: "Dune Messiah", series: "Dune", series_num: "2" }],
    ["Discworld - Guards! Guards! - Book 8", { title: "Guards! Guards!", series: "Discworld", series_num: "8" }],
    // Negative rows: a title before a name for a set of books, a writer by surname.
    ["Storm Front - The Dresden Files - Book 1", { title: "Storm Front", series: "The Dresden Files", series_num: "1" }],
    ["Tolkien - The Hobbit - Book 1", { author: "Tolkien", title: "The Hobbit" }],
  ])("%s", check);
});

describe("a title, its part on its own, then a writer by surname", () => {
  it.each<Row>([
    ["Der Schwarm - Teil 2 - Schätzing", { author: "Schätzing", title: "Der Schwarm (Teil 2)", subtitle: undefined, doubtful: ["author"] }],
    ["The Stand - Part 2 - Grisham", { author: "Grisham", title: "The Stand (Part 2)", subtitle: undefined }],
    // Negative rows: a word a title uses, a writer's folder above, a full name.
    ["The Stand - Part 2 - Finale", { author: undefined, title: "The Stand (Part 2)", subtitle: "Finale" }],
    ["Stephen King/The Stand - Part 2 - Finale", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Finale" }],
    ["Der Schwarm - Teil 2 - Frank Schätzing", { author: "Frank Schätzing", title: "Der Schwarm (Teil 2)" }],
  ])("%s", check);
});

describe("a name in one case only is given a library's case", () => {
  it.each<Row>([
    ["STEPHEN KING - THE STAND", { author: "Stephen King", title: "The Stand" }],
    ["stephen king/the stand", { author: "Stephen King", title: "The Stand" }],
    ["WATCHERS - DEAN KOONTZ", { author: "Dean Koontz", title: "Watchers" }],
    ["J.R.R. TOLKIEN - THE LORD OF THE RINGS", { author: "J.R.R. Tolkien", title: "The Lord of the Rings" }],
    ["tim o'brien - the things they carried", { author: "Tim O'Brien", title: "The Things They Carried" }],
    ["ROBERT MCDONALD - THE FBI FILES", { author: "Robert McDonald", title: "The FBI Files" }],
    ["guillermo del toro - the strain", { author: "Guillermo del Toro", title: "The Strain" }],
    ["stephen king/the dark tower ii - the drawing of the three", { title: "The Dark Tower II", subtitle: "The Drawing of the Three" }],
    // Negative rows: mixed case, one word in capitals beside mixed case, a code, a script without case, markup.
    ["Stephen King/IT", { title: "IT" }],
    ["Marvel/X-MEN", { title: "X-MEN" }],
    ["TKKG - FOLGE 1 - DIE JAGD", { series: "TKKG", title: "Die Jagd" }],
    ["JOE HILL - NOS4A2", { author: "Joe Hill", title: "NOS4A2" }],
    ["bell hooks - All About Love", { title: "All About Love" }],
    ["Daniel Kehlmann - Die Vermessung der Welt", { author: "Daniel Kehlmann", title: "Die Vermessung der Welt" }],
    ["東野圭吾 - 容疑者Xの献身", { title: "容疑者Xの献身" }],
  ])("%s", check);
});
