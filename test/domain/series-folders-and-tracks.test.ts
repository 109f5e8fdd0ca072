/**
 * path-24: folders that say "series" around the series' name, numbered tracks among their siblings, a surname in
 * capitals after the title, positions spelled out with no separator, and discs named after their book. Rows cite
 * where a shape comes from:
 * - BINDERY#1240: "Terry Pratchett/Guards! Guards!/04 - Sinister Grey Mists.mp3" beside "01 - …", "02 - …".
 * - ABS#930: advplyr/audiobookshelf#930 ("SCOTT CARD Orson": catalogues' surname in capitals).
 * - ABS#1904: advplyr/audiobookshelf#1904 ("Book Name by Author/Book Name (Disc 01)/Track 01.mp3").
 * - ORB: alexander-bruun.github.io/orb library docs ("Series Name (by Author) - Subtitle (read by Narrator)/Book 1 - Title/01 - Chapter Title.mp3").
 * - ABS#4146: advplyr/audiobookshelf#4146 ("Frank Herbert/Dune/Dune Messiah").
 * The other rows are the same shapes as libraries in other languages write them.
 */
import { describe, expect, it } from "vitest";
import { readPath, type PathHints } from "../../src/domain/path-analysis.js";
import { check, type Row } from "./path-rows.js";

type SiblingRow = [path: string, siblings: string[], expected: PathHints];

function checkAmong(path: string, siblings: string[], expected: PathHints): void {
  const { hints } = readPath(path, { isFile: /\.(?:mp3|m4b|m4a|flac|ogg|opus)$/i.test(path), siblings });
  const got = hints as Record<string, string | undefined>;
  expect(Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]))).toEqual(expected);
}

const GUARDS = ["01 - The Night Watch", "02 - Summoning", "03 - Dragons", "04 - Sinister Grey Mists", "05 - End"];

describe("a numbered audio file among numbered siblings is a track of its folder's book (BINDERY#1240)", () => {
  it.each<SiblingRow>([
    ["Terry Pratchett/Guards! Guards!/04 - Sinister Grey Mists.mp3", GUARDS, { author: "Terry Pratchett", title: "Guards! Guards!", series: undefined, series_num: undefined }],
    ["Terry Pratchett/Guards! Guards!/04. Sinister Grey Mists.mp3", ["01. The Night Watch", "02. Summoning", "04. Sinister Grey Mists"], { author: "Terry Pratchett", title: "Guards! Guards!", series: undefined }],
    ["Terry Pratchett/Guards! Guards!/004 Sinister Grey Mists.mp3", ["001 The Night Watch", "002 Summoning", "004 Sinister Grey Mists"], { title: "Guards! Guards!", series_num: undefined }],
    ["Сергей Лукьяненко/Ночной дозор/03 - Свой среди чужих.mp3", ["01 - Своя судьба", "02 - Чужой среди своих", "03 - Свой среди чужих"], { author: "Сергей Лукьяненко", title: "Ночной дозор", series: undefined }],
    ["Sebastian Fitzek/Die Therapie/02 - Das Haus am Meer.flac", ["01 - Prolog", "02 - Das Haus am Meer", "03 - Berlin"], { author: "Sebastian Fitzek", title: "Die Therapie", series: undefined }],
    ["Frank Herbert/Dune Messiah (1969)/12 - The Emperor.mp3", ["01 - Prologue", "12 - The Emperor", "13 - The Guild"], { author: "Frank Herbert", title: "Dune Messiah", year: "1969", series: undefined }],
    // Negative rows: the same name with no numbered siblings, beside one other number only, or a whole book's file.
    ["Terry Pratchett/Guards! Guards!/04 - Sinister Grey Mists.mp3", [], { series: "Guards! Guards!", series_num: "4", title: "Sinister Grey Mists" }],
    ["Terry Pratchett/Guards! Guards!/04 - Sinister Grey Mists.mp3", ["04 - Sinister Grey Mists", "Extras", "Notes"], { series: "Guards! Guards!", series_num: "4" }],
    ["Terry Pratchett/Discworld/04 - Mort.m4b", ["01 - The Colour of Magic", "02 - The Light Fantastic", "04 - Mort"], { series: "Discworld", series_num: "4", title: "Mort" }],
    // A year leading every name is no track's number.
    ["Terry Pratchett/Discworld/1987 - Mort.mp3", ["1983 - The Colour of Magic", "1986 - The Light Fantastic", "1987 - Mort"], { title: "Mort", year: "1987" }],
  ])("%s among %j", checkAmong);
});

describe("a track's or a disc's name below the book's folder names that book", () => {
  it.each<Row>([
    ["Stephen King/1986 - It/01 - Part One.mp3", { author: "Stephen King", title: "It", year: "1986", series: undefined }],
    ["George Orwell/1984/01 - Part One.mp3", { author: "George Orwell", title: "1984", series: undefined, series_num: undefined }],
    ["Brandon Sanderson/Mistborn/01 - The Final Empire/Part 1 - Chapter 01.mp3", { author: "Brandon Sanderson", title: "The Final Empire", series: "Mistborn", series_num: "1" }],
    ["Terry Pratchett/Discworld/08 - Guards! Guards!/Disc 1/01 - Track 1.mp3", { author: "Terry Pratchett", title: "Guards! Guards!", series: "Discworld", series_num: "8" }],
    ["Terry Pratchett/Discworld/08 - Guards! Guards!/CD 2/07.mp3", { author: "Terry Pratchett", title: "Guards! Guards!", series: "Discworld" }],
    ["The Hobbit by J.R.R. Tolkien/The Hobbit (Disc 01)", { author: "J.R.R. Tolkien", title: "The Hobbit" }],
    ["The Hobbit by J.R.R. Tolkien/The Hobbit - CD1", { author: "J.R.R. Tolkien", title: "The Hobbit" }],
    ["Audiobooks/The Dark Tower (by Stephen King) - The Complete Series (read by George Guidall)/Book 1 - The Gunslinger/01 - Chapter Title.mp3", { author: "Stephen King", series: "The Dark Tower", series_num: "1", title: "The Gunslinger" }],
    // Negative rows: a part with its own name after the book's folder stays the title's part; a part alone is the book's.
    ["Stephen King/The Stand/Part 2 - Captain Trips", { title: "The Stand (Part 2)", subtitle: "Captain Trips" }],
    ["Stephen King/The Stand/The Stand CD 01", { title: "The Stand", author: "Stephen King" }],
  ])("%s", check);
});

describe("a folder saying 'series' around a name names the series by that name", () => {
  it.each<Row>([
    ["Brandon Sanderson/Mistborn - Series/01 - The Final Empire", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", title: "The Final Empire" }],
    ["Brandon Sanderson/Mistborn Series/01 - The Final Empire", { series: "Mistborn", series_num: "1" }],
    ["Brandon Sanderson/Mistborn (Series)/01 - The Final Empire", { series: "Mistborn", series_num: "1" }],
    ["Terry Pratchett/Discworld - The Complete Series/01 - The Colour of Magic", { author: "Terry Pratchett", series: "Discworld", series_num: "1" }],
    ["Brandon Sanderson/The Mistborn Saga/01 - The Final Empire", { series: "Mistborn", series_num: "1", title: "The Final Empire" }],
    ["Brandon Sanderson/Mistborn Trilogy/01 - The Final Empire", { series: "Mistborn", series_num: "1" }],
    ["Robin Hobb/The Farseer Trilogy/02 - Royal Assassin", { author: "Robin Hobb", series: "Farseer", series_num: "2", title: "Royal Assassin" }],
    ["Suzanne Collins/The Hunger Games Trilogy/01 - The Hunger Games", { series: "The Hunger Games", series_num: "1" }],
    ["Kim Stanley Robinson/Mars Trilogy/1 - Red Mars", { series: "Mars", series_num: "1", title: "Red Mars" }],
    ["J.K. Rowling/Harry-Potter-Reihe/02 - Die Kammer des Schreckens", { author: "J.K. Rowling", series: "Harry Potter", series_num: "2" }],
    ["Andreas Eschbach/Perry-Rhodan-Serie/01 - Der Techno-Mond", { series: "Perry Rhodan", series_num: "1" }],
    ["Markus Heitz/Die Zwerge - Reihe/01 - Die Zwerge", { author: "Markus Heitz", series: "Die Zwerge", series_num: "1" }],
    ["Pierre Bottero/Cycle de Ewilan/01 - D'un monde à l'autre", { author: "Pierre Bottero", series: "Ewilan", series_num: "1", title: "D'un monde à l'autre" }],
    ["Isaac Asimov/Le Cycle de Fondation/01 - Fondation", { author: "Isaac Asimov", series: "Fondation", series_num: "1" }],
    ["Stephen King/Le cycle de la Tour sombre/01 - Le Pistolero", { series: "La Tour sombre", series_num: "1", title: "Le Pistolero" }],
    ["Isaac Asimov/Cycle des Robots/01 - Les Cavernes d'acier", { series: "Les Robots", series_num: "1" }],
    ["Isaac Asimov/Ciclo de la Fundación/01 - Fundación", { series: "La Fundación", series_num: "1" }],
    ["Pierre Bottero/La Quête d'Ewilan - Cycle/01 - D'un monde à l'autre", { series: "La Quête d'Ewilan", series_num: "1" }],
    // Negative rows: a series' word that is part of its name ("Die Licht-Saga", "Earthsea Cycle", "The Wheel of Time
    // Saga" of more than one word), "Series" opening the name, a "-Saga" glued on, the word alone.
    ["Brent Weeks/Die Licht-Saga/01 - Schwarzes Prisma", { series: "Die Licht-Saga", series_num: "1" }],
    ["Ursula K. Le Guin/Earthsea Cycle/01 - A Wizard of Earthsea", { series: "Earthsea Cycle", series_num: "1" }],
    ["Lemony Snicket/A Series of Unfortunate Events/01 - The Bad Beginning", { series: "A Series of Unfortunate Events", series_num: "1" }],
    ["Santiago Posteguillo/Trilogía de Escipión/01. Africanus - El hijo del cónsul", { series: "Trilogía de Escipión", series_num: "1" }],
    ["Robin Hobb - Farseer Trilogy 01 - Assassin's Apprentice", { series: "Farseer Trilogy", series_num: "1" }],
    ["Frank Herbert/Dune/Dune Messiah", { author: "Frank Herbert", series: "Dune", title: "Dune Messiah" }],
  ])("%s", check);
});

describe("a surname in capitals after the title is the writer (ABS#930)", () => {
  it.each<Row>([
    ["Ender's Game - CARD Orson Scott", { author: "Orson Scott Card", title: "Ender's Game" }],
    ["Ender's Game - CARD Orson Scott/Ender's Game.m4b", { author: "Orson Scott Card", title: "Ender's Game" }],
    ["Xenocide - SCOTT CARD Orson", { author: "Orson Scott Card", title: "Xenocide" }],
    ["Le Petit Prince - SAINT-EXUPÉRY Antoine", { title: "Le Petit Prince" }],
    // Negative rows: capitals with no given name after them are a title's.
    ["Stephen King - CUJO", { author: "Stephen King" }],
    ["Orson Welles - WAR of the Worlds Orson", { author: "Orson Welles" }],
    ["LOST Horizon", { author: undefined }],
  ])("%s", check);
});

describe("a position spelled out or in roman numerals leads the title with no separator", () => {
  it.each<Row>([
    ["Brandon Sanderson/Mistborn/Book Three The Hero of Ages", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Brandon Sanderson/Mistborn/Book III The Hero of Ages", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Brandon Sanderson/Mistborn/Volume Two The Well of Ascension", { series: "Mistborn", series_num: "2", title: "The Well of Ascension" }],
    ["Brandon Sanderson/Mistborn/Mistborn Book Three The Hero of Ages", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Stephen King/The Dark Tower/Book I The Gunslinger", { series: "The Dark Tower", series_num: "1", title: "The Gunslinger" }],
    ["Maurice Druon/Les Rois maudits/Tome IV La Loi des mâles", { series: "Les Rois maudits", series_num: "4", title: "La Loi des mâles" }],
    // Negative rows: "I" before a word that opens no title's phrase, number words in lower case, a word alone.
    ["Book I Love", { title: "Book I Love", series_num: undefined }],
    ["Stephen King/book three the hero", { series_num: undefined }],
    ["Book Two", { series_num: "2" }],
  ])("%s", check);
});

describe("omnibus spans, writer-read tags and readers after a series' place", () => {
  it.each<Row>([
    // A bracketed span of years names no one year and is no part of the title.
    ["Brandon Sanderson/The Final Empire (2006-2008)", { author: "Brandon Sanderson", title: "The Final Empire", year: undefined }],
    ["Brandon Sanderson - The Mistborn Trilogy (2006-2008) [Michael Kramer]", { title: "The Mistborn Trilogy", narrator: "Michael Kramer", year: undefined }],
    ["Terry Pratchett/The Discworld Collection (1983-2015)", { author: "Terry Pratchett", title: "The Discworld Collection" }],
    ["J.R.R. Tolkien - The Lord of the Rings (1954-55)", { author: "J.R.R. Tolkien", title: "The Lord of the Rings" }],
    // Negative rows: one year stays the year; a span going backwards or opening the name, or words after it, stay.
    ["Tolkien - The Lord of the Rings (1954)", { title: "The Lord of the Rings", year: "1954" }],
    ["The Years (2010-2005)", { title: "The Years (2010-2005)" }],
    ["Stephen King/Skeleton Crew (1985) (1968-1985 stories)", { title: "Skeleton Crew (1968-1985 stories)", year: "1985" }],
    // A list of positions is the range from the first to the last.
    ["Haruki Murakami - 1Q84 (Book 1, 2 & 3)", { author: "Haruki Murakami", title: "1Q84", series: undefined, series_num: "1-3" }],
    ["Douglas Adams - The Hitchhikers Guide (Books 1, 2, 3, 4 and 5)", { title: "The Hitchhikers Guide", series_num: "1-5" }],
    // Shops' tags for the writer's own reading.
    ["Neil Gaiman - Norse Mythology (Author Narrated)", { author: "Neil Gaiman", title: "Norse Mythology", narrator: "Neil Gaiman" }],
    ["Neil Gaiman - Norse Mythology [Author-Read]", { title: "Norse Mythology", narrator: "Neil Gaiman" }],
    // A title that may read as a name, its series and place, then a surer person: the writer, or the reader under
    // another writer's folder.
    ["Jim Butcher/Grave Peril - The Dresden Files Book 3 - 2001 - James Marsters", { author: "Jim Butcher", title: "Grave Peril", series: "The Dresden Files", series_num: "3", year: "2001", narrator: "James Marsters" }],
    ["Grave Peril - The Dresden Files Book 3 - 2001 - Jim Butcher", { author: "Jim Butcher", title: "Grave Peril", series: "The Dresden Files", series_num: "3" }],
    ["Jim Butcher/Storm Front - Dresden Files 1 - Jim Butcher", { author: "Jim Butcher", title: "Storm Front", narrator: undefined }],
    // Negative row: a sure writer first keeps the place of writer.
    ["Lee Child - Jack Reacher 01 - Killing Floor", { author: "Lee Child", title: "Killing Floor", series: "Jack Reacher" }],
  ])("%s", check);
});

describe("'Surname, Given - Title' is the writer whatever the given name, and a possessive keeps its series word", () => {
  it.each<Row>([
    ["Čapek, Karel - Válka s mloky", { author: "Karel Čapek", title: "Válka s mloky" }],
    ["Sienkiewicz, Henryk - Quo vadis", { author: "Henryk Sienkiewicz", title: "Quo vadis" }],
    ["Hašek, Jaroslav - Osudy dobrého vojáka Švejka", { author: "Jaroslav Hašek", title: "Osudy dobrého vojáka Švejka" }],
    ["Karel Čapek/Čapek, Karel - Válka s mloky", { author: "Karel Čapek", title: "Válka s mloky" }],
    // Negative rows: a person after the comma's pair, another writer's folder, a known reversed name as before.
    ["Paris, Texas - Wim Wenders", { title: "Paris, Texas" }],
    ["Stephen King/Čapek, Karel - Válka s mloky", { author: "Stephen King" }],
    ["Bulgakov, Mikhail - The Master and Margarita", { author: "Mikhail Bulgakov", title: "The Master and Margarita" }],
    ["Orson Scott Card/Ender's Saga/01 - Ender's Game", { author: "Orson Scott Card", series: "Ender's Saga", series_num: "1" }],
    ["Brandon Sanderson/Mistborn Saga/01 - The Final Empire", { series: "Mistborn", series_num: "1" }],
  ])("%s", check);
});

describe("Nordic readers, a series' '#N' after the writer and the title, a recording's length as the last field", () => {
  it.each<Row>([
    ["Jo Nesbø - Panserhjerte (lest av Kim Haugen)", { author: "Jo Nesbø", title: "Panserhjerte", narrator: "Kim Haugen" }],
    ["Jo Nesbø - Snømannen (opplest av Kim Haugen)", { title: "Snømannen", narrator: "Kim Haugen" }],
    ["Jussi Adler-Olsen - Kvinden i buret (indlæst af Torben Sekov)", { author: "Jussi Adler-Olsen", title: "Kvinden i buret", narrator: "Torben Sekov" }],
    ["Sofi Oksanen - Puhdistus (lukija: Krista Kosonen)", { title: "Puhdistus", narrator: "Krista Kosonen" }],
    ["Brandon Sanderson - The Way of Kings - The Stormlight Archive #1", { author: "Brandon Sanderson", title: "The Way of Kings", series: "The Stormlight Archive", series_num: "1" }],
    ["Stephen King - The Stand - Unabridged - 48 Hours", { author: "Stephen King", title: "The Stand", series: undefined, series_num: undefined }],
    ["John Grisham - The Firm - 12 Hours and 5 Minutes", { author: "John Grisham", title: "The Firm" }],
    // Negative rows: "Title #3" alone, a writer and one piece, a title that is a length.
    ["Brandon Sanderson - Mistborn #1", { author: "Brandon Sanderson", title: "Mistborn", series_num: "1" }],
    ["Stephen King - 24 Hours", { author: "Stephen King", title: "24 Hours" }],
    ["Jo Nesbø - Lest av alle", { title: "Lest av alle", narrator: undefined }],
  ])("%s", check);
});

describe("a folder that is only a language's name gives the language of the books below it (kkodecs/livrarr#120)", () => {
  it.each<Row>([
    ["German/Stephen King/Es", { author: "Stephen King", title: "Es", language: "de" }],
    ["Deutsch/Stephen King - Es", { author: "Stephen King", title: "Es", language: "de" }],
    ["DE/Stephen King/Es", { author: "Stephen King", language: "de" }],
    ["EN/Brandon Sanderson/Mistborn/01 - The Final Empire", { author: "Brandon Sanderson", series: "Mistborn", series_num: "1", language: "en" }],
    ["Français/Stephen King/Ça", { author: "Stephen King", title: "Ça", language: "fr" }],
    ["English Audiobooks/Stephen King/It", { author: "Stephen King", language: "en" }],
    ["Hörbücher Deutsch/Stephen King/Es", { language: "de" }],
    ["Russian/Лев Толстой/Война и мир", { author: "Лев Толстой", title: "Война и мир", language: "ru" }],
    // The book's own tag wins; no language folder, no language; a title that is a language's name names no folder's.
    ["German/Stephen King/Es [English]", { language: "en" }],
    ["Audiobooks/Stephen King/It", { author: "Stephen King", language: undefined }],
    ["Bill Bryson/English", { author: "Bill Bryson", title: "English", language: undefined }],
    ["De/Stephen King/It", { language: undefined }],
  ])("%s", check);
});

describe("a hero's series folder under its world, and a reader after a series' '#N'", () => {
  it.each<Row>([
    ["Terry Pratchett/Discworld - Tiffany Aching/05 - The Shepherd's Crown", { author: "Terry Pratchett", series: "Tiffany Aching", series_num: "5", title: "The Shepherd's Crown" }],
    ["Frank Herbert/Dune Chronicles - Scott Brick/01 - Dune", { author: "Frank Herbert", series: "Dune Chronicles", series_num: "1", narrator: "Scott Brick" }],
    ["Terry Pratchett - The Shepherd's Crown - Discworld #41 - Tony Robinson", { author: "Terry Pratchett", title: "The Shepherd's Crown", series: "Discworld", series_num: "41", narrator: "Tony Robinson" }],
    // Negative rows: a world and no person; the hero's folder under no writer's.
    ["Terry Pratchett/Discworld - Rincewind/01 - The Colour of Magic", { author: "Terry Pratchett", series: "Rincewind", series_num: "1" }],
    ["Discworld - Tiffany Aching/05 - The Shepherd's Crown", { series_num: "5", title: "The Shepherd's Crown" }],
  ])("%s", check);
});
