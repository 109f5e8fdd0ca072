/**
 * Misreadings reported from real libraries (issues #2, #3, #13), one row each, with the negative rows that keep the
 * common reading of the same shape: a part between a writer and a title, a reader after a part's name, a role with no
 * person in brackets, a famous writer shelved by surname beside a book named for its hero, a title ending with a given
 * name before its writer, and a reader's folder between the writer's and the book's (Author/Narrator/Title).
 */
import { describe, expect, it } from "vitest";
import { check, type Row } from "./path-rows.js";

describe("a part between the writer and the title", () => {
  it.each<Row>([
    ["Brandon Sanderson - Part 1 - The Final Empire", { author: "Brandon Sanderson", title: "The Final Empire (Part 1)", series: undefined, series_num: undefined }],
    ["Stephen King - Part 2 - The Stand", { author: "Stephen King", title: "The Stand (Part 2)", series: undefined }],
    ["Stephen King - Teil 2 - Das letzte Gefecht", { author: "Stephen King", title: "Das letzte Gefecht (Teil 2)", series: undefined }],
    ["Stephen King - Part Two - The Stand (read by Grover Gardner)", { author: "Stephen King", title: "The Stand (Part Two)", narrator: "Grover Gardner", series: undefined }],
    // Negative row: a name that is no person before the part is the book the part divides, its name after it.
    ["The Lord of the Rings - Part 2 - The Two Towers", { author: undefined, title: "The Lord of the Rings (Part 2)", subtitle: "The Two Towers", series: undefined }],
  ])("%s", check);
});

describe("a reader named after a part and its name", () => {
  it.each<Row>([
    ["Stephen King - The Stand - Part 2 - Captain Trips - Grover Gardner", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", narrator: "Grover Gardner", series: undefined }],
    ["Stephen King - The Stand - Part 2 - Grover Gardner", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: undefined, narrator: "Grover Gardner" }],
    ["Stephen King/The Stand - Part 2 - Captain Trips - Grover Gardner", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", narrator: "Grover Gardner" }],
    ["Stephen King/The Stand - Part 2 - Grover Gardner", { author: "Stephen King", title: "The Stand (Part 2)", narrator: "Grover Gardner" }],
    ["J.R.R. Tolkien - The Lord of the Rings - Part 2 - The Two Towers - Rob Inglis", { author: "J.R.R. Tolkien", title: "The Lord of the Rings (Part 2)", subtitle: "The Two Towers", narrator: "Rob Inglis" }],
    ["Stephen King - The Stand - Part 2 - Captain Trips (read by Grover Gardner)", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", narrator: "Grover Gardner" }],
    ["Stephen King - The Stand - Teil 2 - Captain Trips (gelesen von David Nathan)", { author: "Stephen King", title: "The Stand (Teil 2)", narrator: "David Nathan" }],
    // The part glued to the title, or a folder of its own under the book's, named after it.
    ["Stephen King - The Stand Part 2 - Captain Trips", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", series: undefined }],
    ["Stephen King - The Stand, Part 2 - Captain Trips - Grover Gardner", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", narrator: "Grover Gardner", series: undefined }],
    ["Harry Potter Part 1 - The Philosopher's Stone", { author: undefined, title: "Harry Potter (Part 1)", subtitle: "The Philosopher's Stone", series: undefined }],
    ["Stephen King/The Stand/Part 2 - Captain Trips (read by Grover Gardner)", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", narrator: "Grover Gardner", series: undefined }],
    ["J.R.R. Tolkien/Der Herr der Ringe/Teil 1 - Die Gefährten", { author: "J.R.R. Tolkien", title: "Der Herr der Ringe (Teil 1)", subtitle: "Die Gefährten", series: undefined }],
    // Negative row: a part alone under the book's folder is that book.
    ["Stephen King/The Stand/Part 2", { author: "Stephen King", title: "The Stand" }],
    // path-32: a part closing the name, glued or dashed, is the title's part in brackets either way (it was kept as
    // written glued, "The Stand Part 2", so one book read as two titles depending on a dash).
    ["Stephen King - The Stand Part 2", { author: "Stephen King", title: "The Stand (Part 2)" }],
  ])("%s", check);
});

describe("a role with no person in brackets, and readers' roles in other languages", () => {
  it.each<Row>([
    ["Il nome della rosa (Translator)", { title: "Il nome della rosa" }],
    ["Il nome della rosa (Übersetzer)", { title: "Il nome della rosa" }],
    ["Umberto Eco/Der Name der Rose (Übersetzerin)", { author: "Umberto Eco", title: "Der Name der Rose" }],
    ["Umberto Eco - Der Name der Rose (Sprecher)", { author: "Umberto Eco", title: "Der Name der Rose", narrator: undefined }],
    ["Le Petit Prince (traducteur)", { title: "Le Petit Prince" }],
    ["Cien años de soledad (narrador)", { title: "Cien años de soledad" }],
    ["Bieguni (Tłumacz)", { title: "Bieguni" }],
    ["Umberto Eco - Der Name der Rose - Rufus Beck (Sprecher)", { author: "Umberto Eco", title: "Der Name der Rose", narrator: "Rufus Beck" }],
    ["Olga Tokarczuk - Bieguni - Jerzy Trela (lektor)", { author: "Olga Tokarczuk", title: "Bieguni", narrator: "Jerzy Trela" }],
    ["Umberto Eco (Autor) - Der Name der Rose", { author: "Umberto Eco", title: "Der Name der Rose" }],
    // Negative rows: a list of credits stays as written; a translator after a writer is still no writer.
    ["Frank Herbert (Author), Scott Brick (Narrator)", { title: "Frank Herbert (Author), Scott Brick (Narrator)" }],
    ["Leo Tolstoy, Richard Pevear (Translator) - War and Peace", { author: "Leo Tolstoy", title: "War and Peace" }],
  ])("%s", check);
});

describe("a famous writer by surname beside a book named for its hero", () => {
  it.each<Row>([
    ["Twain - Tom Sawyer", { author: "Twain", title: "Tom Sawyer" }],
    ["Mark Twain - Tom Sawyer", { author: "Mark Twain", title: "Tom Sawyer" }],
    ["Tom Sawyer - Mark Twain", { author: "Mark Twain", title: "Tom Sawyer" }],
    ["Tolstoy - Anna Karenina", { author: "Tolstoy", title: "Anna Karenina" }],
    ["Anna Karenina - Tolstoy", { author: "Tolstoy", title: "Anna Karenina" }],
    ["Oliver Twist - Charles Dickens", { author: "Charles Dickens", title: "Oliver Twist" }],
    ["Brontë - Jane Eyre", { author: "Brontë", title: "Jane Eyre" }],
    ["Fontane - Effi Briest", { author: "Fontane", title: "Effi Briest" }],
    ["David Copperfield - Charles Dickens - Richard Armitage", { author: "Charles Dickens", title: "David Copperfield", narrator: "Richard Armitage" }],
    ["Charlotte Brontë/Jane Eyre - Juliet Stevenson", { author: "Charlotte Brontë", title: "Jane Eyre", narrator: "Juliet Stevenson" }],
    // The writer's folder, then the book named with the writer's surname alone, on either side.
    ["Mark Twain/Twain - Tom Sawyer", { author: "Mark Twain", title: "Tom Sawyer", narrator: undefined }],
    ["Mark Twain/Tom Sawyer - Twain", { author: "Mark Twain", title: "Tom Sawyer", narrator: undefined }],
    // Negative rows: a life of the writer by a biographer no list knows as a book keeps the biographer the writer.
    ["Dickens - Peter Ackroyd", { author: "Peter Ackroyd", title: "Dickens" }],
    ["Bill Bryson - Shakespeare", { author: "Bill Bryson", title: "Shakespeare" }],
  ])("%s", check);
});

describe("a title closing with a given name, then its writer", () => {
  it.each<Row>([
    ["Lucky Jim - Kingsley Amis", { author: "Kingsley Amis", title: "Lucky Jim" }],
    ["Kingsley Amis - Lucky Jim", { author: "Kingsley Amis", title: "Lucky Jim" }],
    // Negative rows: a surname written first keeps the rule it had; two full names keep their order.
    ["Fitzek Sebastian - Passagier 23", { author: "Sebastian Fitzek", title: "Passagier 23" }],
    ["Steve Jobs - Walter Isaacson", { author: "Steve Jobs", title: "Walter Isaacson" }],
  ])("%s", check);
});

describe("Author/Narrator/Title: a reader's folder between the writer's and the book", () => {
  it.each<Row>([
    ["Douglas Adams/Stephen Fry/The Hitchhiker's Guide", { author: "Douglas Adams", title: "The Hitchhiker's Guide", narrator: "Stephen Fry", series: undefined, doubtful: ["narrator"] }],
    ["Fiction/Douglas Adams/Stephen Fry/The Hitchhiker's Guide to the Galaxy", { author: "Douglas Adams", narrator: "Stephen Fry", series: undefined }],
    ["J.K. Rowling/Stephen Fry/Harry Potter and the Philosopher's Stone", { author: "J.K. Rowling", narrator: "Stephen Fry", series: undefined }],
    // Marked as a reader's: sure.
    ["Douglas Adams/Stephen Fry (Narrator)/The Hitchhiker's Guide", { author: "Douglas Adams", narrator: "Stephen Fry", series: undefined, doubtful: [] }],
    ["Douglas Adams/read by Stephen Fry/The Hitchhiker's Guide", { author: "Douglas Adams", narrator: "Stephen Fry", series: undefined }],
    ["Walter Moers/gelesen von Dirk Bach/Rumo", { author: "Walter Moers", title: "Rumo", narrator: "Dirk Bach", series: undefined }],
    ["Walter Moers/Dirk Bach (Sprecher)/Rumo", { author: "Walter Moers", title: "Rumo", narrator: "Dirk Bach", series: undefined }],
    // Negative rows: a series hero shelved so, a numbered book, the folder's words in the title: a series.
    ["Lee Child/Jack Reacher/Killing Floor", { author: "Lee Child", series: "Jack Reacher", narrator: undefined }],
    ["Michael Connelly/Harry Bosch/The Black Echo", { author: "Michael Connelly", series: "Harry Bosch", narrator: undefined }],
    ["Lee Child/Jack Reacher/01 - Killing Floor", { series: "Jack Reacher", series_num: "1", narrator: undefined }],
    ["J.K. Rowling/Harry Potter/Harry Potter and the Philosopher's Stone", { series: "Harry Potter", narrator: undefined }],
    ["Terry Goodkind/Sword of Truth/Wizards First Rule", { series: "Sword of Truth", narrator: undefined }],
  ])("%s", check);
});
