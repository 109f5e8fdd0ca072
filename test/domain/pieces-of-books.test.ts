/**
 * A book's pieces named after the book (path-22; names that catalogues and stores write their own way: path-23): part folders repeating their book's folder name, track files inside a
 * book's folder, and the other shapes other organizers' bug reports show. Rows cite where a shape comes from:
 * - LM#143: deucebucket/library-manager#143 ("R.C. Bray - Ground State" read R.C. Bray as the writer).
 * - SHELFARR#6: VacantlyCrushing/Shelfarr#6 ("Deathlands 08 - Ice and Fire-018.mp3", "The Expanse 05 Nemesis Games/11 Alex.mp3").
 * - ABS#930: advplyr/audiobookshelf#930 ("03 - Xenocide - SCOTT CARD Orson - ISBN 9781593974794/Xenocide 001.mp3").
 * - ABS#19: advplyr/audiobookshelf#19 ("Brandon Sanderson - [Mistborn -4.5]").
 * - LIBATION#236: rmcrackan/Libation#236 (template "#<series#>-<title short>": "#9-Amongst Our Weapons").
 * - SUBMUSIC#67: memen45/SubMusic#67 (an Audiobookshelf library: "Wizards First Rule/Terry Goodkind - SOT Bk01 - Wizards First Rule 02.mp3").
 * - OA#817: openaudible/openaudible#817 ("[last], [first] - [year] - [title]/[track] - [chapter title].mp3").
 * - NARRATORR: docs.narratorr.dev folder-format presets ("{title} - pt{trackNumber:00}", "... - {trackNumber:000}").
 * - ORB: alexander-bruun.github.io/orb library docs ("Book 1 - Title/01 - Chapter Title.mp3").
 * - BOOKORBIT#262: bookorbit/bookorbit#262 ("Holly (2023)/Pt 01/Stephen King - Holly - Holly - Pt 01 - 01 of 10.mp3").
 * - FORGE#21: juanra/audiobook-forge#21 ("My Book/CD1/01.mp3").
 * - M4BMAKER#35: weak-head/m4b-maker#35 (an underscore parts author and title: "Ada Lovelace_The Engine of Change").
 * - SHELFPLAYER#386: rasmuslos/ShelfPlayer#386 (the same book twice, "(R.C. Bray)" and "(Wil Wheaton)" after the title).
 * - LIBATION#50: rmcrackan/Libation#50 ("Brent Weeks - Die Licht-Saga 01 - Schwarzes Prisma (Bodo Primus).m4b").
 * - LIBATION#644: rmcrackan/Libation#644 ("J.K. Rowling/Harry Potter and the Sorcerer's Stone, Book 1").
 * - ABS#5036: advplyr/audiobookshelf#5036 ("Ben Lerner - 10_ 04": the colon of "10:04" replaced by an underscore).
 * The other rows are the same shapes in the languages the part words cover.
 */
import { describe, it } from "vitest";
import { check, type Row } from "./path-rows.js";

describe("a folder repeating its book's name with a part is that book's part, no series volume", () => {
  it.each<Row>([
    ["Stephen King/The Stand/The Stand Part 01", { author: "Stephen King", title: "The Stand (Part 1)", series: undefined, series_num: undefined }],
    ["Stephen King/The Stand/The Stand Part 1", { author: "Stephen King", title: "The Stand (Part 1)", series: undefined, series_num: undefined }],
    ["Stephen King/The Stand/The Stand Pt. 01", { author: "Stephen King", title: "The Stand (Part 1)", series: undefined, series_num: undefined }],
    ["Stephen King/The Stand/The Stand - Part 2 - Captain Trips", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", series: undefined }],
    ["Stephen King/The Stand/The Stand CD 01", { author: "Stephen King", title: "The Stand", series: undefined, series_num: undefined }],
    ["Stephen King/The Stand/The Stand Disc 1", { author: "Stephen King", title: "The Stand", series: undefined, series_num: undefined }],
    ["Stephen King/It (1986)/It Part 1 of 2", { author: "Stephen King", title: "It (Part 1 of 2)", year: "1986", series: undefined }],
    ["Sebastian Fitzek/Die Therapie/Die Therapie Teil 01", { author: "Sebastian Fitzek", title: "Die Therapie (Teil 1)", series: undefined, series_num: undefined }],
    ["J.R.R. Tolkien/Der Herr der Ringe/Der Herr der Ringe Teil 1 - Die Gefährten", { title: "Der Herr der Ringe (Teil 1)", subtitle: "Die Gefährten", series: undefined }],
    ["Alexandre Dumas/Les Trois Mousquetaires/Les Trois Mousquetaires Partie 1", { author: "Alexandre Dumas", title: "Les Trois Mousquetaires (Partie 1)", series: undefined }],
    ["Gabriel García Márquez/Cien años de soledad/Cien años de soledad Parte 2", { title: "Cien años de soledad (Parte 2)", series: undefined }],
    // A series folder's name then a position is still a series' book.
    ["Stephen King/The Dark Tower/The Dark Tower 3 - The Waste Lands", { series: "The Dark Tower", series_num: "3", title: "The Waste Lands" }],
  ])("%s", check);
});

describe("a track inside a book's folder is that book, no series volume", () => {
  it.each<Row>([
    ["Stephen King/The Long Walk/01.mp3", { author: "Stephen King", title: "The Long Walk", series: undefined, series_num: undefined }],
    ["Stephen King/The Long Walk/01 - Chapter One.mp3", { author: "Stephen King", title: "The Long Walk", series: undefined, series_num: undefined }],
    ["Stephen King/The Long Walk/Track 01.mp3", { author: "Stephen King", title: "The Long Walk", series: undefined, series_num: undefined }],
    ["Stephen King/The Long Walk/The Long Walk - 01.mp3", { author: "Stephen King", title: "The Long Walk", series: undefined, series_num: undefined }],
    ["Frank Herbert/Dune/001 - Dune.mp3", { author: "Frank Herbert", title: "Dune", series: undefined, series_num: undefined }],
    ["Frank Herbert/Dune/Dune - 001 of 045.mp3", { author: "Frank Herbert", title: "Dune", series: undefined, series_num: undefined }],
    ["Frank Herbert/Dune/01 - Prologue.mp3", { author: "Frank Herbert", title: "Dune", series: undefined, series_num: undefined }],
    ["Frank Herbert/Dune Messiah/Dune Messiah - Chapter 01.mp3", { title: "Dune Messiah", series: undefined, series_num: undefined }],
    ["Стругацкие/Пикник на обочине/01 - Глава 1.mp3", { title: "Пикник на обочине", series: undefined, series_num: undefined }],
    ["刘慈欣/三体/01.mp3", { author: "刘慈欣", title: "三体", series: undefined, series_num: undefined }],
    ["Patrick Rothfuss/The Name of the Wind/The Name of the Wind CD1/01.mp3", { author: "Patrick Rothfuss", title: "The Name of the Wind", series: undefined }],
    // OA#817, ORB
    ["King, Stephen - 1978 - The Stand/01 - Chapter One.mp3", { author: "Stephen King", title: "The Stand", year: "1978", series: undefined, series_num: undefined }],
    ["Terry Goodkind/Sword of Truth/Book 1 - Wizards First Rule/01 - Chapter Title.mp3", { title: "Wizards First Rule", series: "Sword of Truth", series_num: "1" }],
    // SHELFARR#6: the book's own folder name again, then the track.
    ["James_Axler-Deathlands_Series_0-100/Deathlands 08 - Ice and Fire/Deathlands 08 - Ice and Fire-018.mp3", { title: "Ice and Fire", series: "Deathlands", series_num: "8" }],
    ["James S. A. Corey - The Expanse Series/The Expanse 05 Nemesis Games/11 Alex.mp3", { title: "Nemesis Games", series: "The Expanse", series_num: "5" }],
    // SUBMUSIC#67: the writer, a series code, then the book's name and the track.
    ["Terry Goodkind/Sword of Truth/Wizards First Rule/Terry Goodkind - SOT Bk01 - Wizards First Rule 02.mp3", { author: "Terry Goodkind", title: "Wizards First Rule", series: "Sword of Truth" }],
    // NARRATORR's Plex preset.
    ["Terry Goodkind/Wizards First Rule/Wizards First Rule - pt01.mp3", { author: "Terry Goodkind", title: "Wizards First Rule (Part 1)", series: undefined }],
    // BOOKORBIT#262: a part's track, its count no subtitle; FORGE#21: a disc folder's track.
    ["Stephen King/Holly (2023)/Pt 01/Stephen King - Holly - Holly - Pt 01 - 01 of 10.mp3", { author: "Stephen King", title: "Holly (Part 1)", subtitle: undefined, year: "2023", series: undefined }],
    ["Stephen King/Holly (2023)/Stephen King - Holly - Holly - Pt 00 - 02 of 02 - Dedication.mp3", { author: "Stephen King", title: "Holly (Part 0)", subtitle: undefined, series: undefined, series_num: undefined }],
    ["Author/My Book/CD2/01.mp3", { author: "Author", title: "My Book", series: undefined, series_num: undefined }],
    // A whole-book file under a series folder stays the series' book.
    ["Brandon Sanderson/Mistborn/01 - The Final Empire.m4b", { series: "Mistborn", series_num: "1", title: "The Final Empire" }],
    ["Brandon Sanderson/Mistborn/Mistborn 01.m4b", { series: "Mistborn", series_num: "1" }],
  ])("%s", check);
});

describe("readers, positions and ids other organizers misread", () => {
  it.each<Row>([
    // LM#143 and the brief: a known reader after a dash, either side of the title.
    ["Black Ops - R.C. Bray", { author: undefined, title: "Black Ops", narrator: "R.C. Bray" }],
    ["R.C. Bray - Ground State", { author: undefined, title: "Ground State", narrator: "R.C. Bray" }],
    ["Scott Brick - Dune", { author: undefined, title: "Dune", narrator: "Scott Brick" }],
    ["Mark Greaney/Gray Man/Black Ops - R.C. Bray", { author: "Mark Greaney", title: "Black Ops", narrator: "R.C. Bray" }],
    // SHELFPLAYER#386 (two narrations told apart by the reader in brackets): a known reader whose given name no list
    // holds is still the reader; an unknown one stays in the title.
    ["Andy Weir/The Martian (Bahni Turpin)", { author: "Andy Weir", title: "The Martian", narrator: "Bahni Turpin" }],
    ["The Martian (Bahni Turpin)", { author: undefined, title: "The Martian", narrator: "Bahni Turpin" }],
    ["Andy Weir/The Martian (Xe Sands)", { title: "The Martian (Xe Sands)", narrator: undefined }],
    // A writer named with "by" stays the writer, whoever it is.
    ["The Martian by R.C. Bray", { author: "R.C. Bray", title: "The Martian" }],
    // "N of M": the position, not the total.
    ["Brandon Sanderson/Mistborn/Mistborn 3 of 7 - The Hero of Ages", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Brandon Sanderson - Mistborn 3 of 7 - The Hero of Ages", { author: "Brandon Sanderson", series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Brandon Sanderson/Mistborn/3 of 7 - The Hero of Ages", { series: "Mistborn", series_num: "3", title: "The Hero of Ages" }],
    ["Terry Goodkind - Wizards First Rule - 01 of 20", { title: "Wizards First Rule (01 of 20)", series: undefined }],
    // LIBATION#236
    ["Ben Aaronovitch/Rivers of London Series/#9-Amongst Our Weapons", { author: "Ben Aaronovitch", series: "Rivers of London", series_num: "9", title: "Amongst Our Weapons" }],
    ["Ben Aaronovitch - Rivers of London #9-Amongst Our Weapons", { author: "Ben Aaronovitch", series: "Rivers of London", series_num: "9", title: "Amongst Our Weapons" }],
    // ABS#19
    ["Brandon Sanderson - [Mistborn -4.5]", { author: "Brandon Sanderson", series: "Mistborn", series_num: "4.5", title: undefined }],
    ["Brandon Sanderson - [Mistborn 4.5]", { author: "Brandon Sanderson", series: "Mistborn", series_num: "4.5", title: undefined }],
    // M4BMAKER#35: one underscore between spaced words parts the fields; a name of underscores only is words.
    ["Ada Lovelace_The Engine of Change", { author: "Ada Lovelace", title: "The Engine of Change" }],
    ["Ada Lovelace_The Engine of Change (1833)", { author: "Ada Lovelace", title: "The Engine of Change", year: "1833" }],
    // (ascan52) all lower case is given a title's case (name-case.ts).
    ["girl_with_all_the_gifts", { author: undefined, title: "Girl with All the Gifts" }],
    // ABS#930
    ["Orson Scott Card - Xenocide - ISBN 9781593974794", { author: "Orson Scott Card", title: "Xenocide", series: undefined }],
    ["Orson Scott Card - Xenocide ISBN: 978-1-59397-479-4", { author: "Orson Scott Card", title: "Xenocide" }],
  ])("%s", check);
});

describe("a surname in capitals then the given names is the writer (ABS#930)", () => {
  it.each<Row>([
    ["SCOTT CARD Orson/Ender's Game", { author: "Orson Scott Card", title: "Ender's Game" }],
    ["SCOTT CARD Orson - Ender's Game", { author: "Orson Scott Card", title: "Ender's Game" }],
    ["03 - Xenocide - SCOTT CARD Orson - ISBN 9781593974794/Xenocide 001.mp3", { author: "Orson Scott Card", title: "Xenocide" }],
    ["Xenocide - SCOTT CARD Orson", { author: "Orson Scott Card", title: "Xenocide" }],
    ["KING Stephen/It", { author: "Stephen King", title: "It" }],
    ["TOLKIEN J.R.R./The Hobbit", { author: "J.R.R. Tolkien", title: "The Hobbit" }],
    ["TOLKIEN J.R.R. - The Hobbit", { author: "J.R.R. Tolkien", title: "The Hobbit" }],
    ["LE GUIN Ursula K./A Wizard of Earthsea", { author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" }],
    ["GARCÍA MÁRQUEZ Gabriel/Cien años de soledad", { author: "Gabriel García Márquez", title: "Cien años de soledad" }],
    // Abbreviations in capitals are no surname.
    ["FBI Files/The Case", { author: "FBI Files" }],
  ])("%s", check);
});

describe("a person's name in parentheses after a writer, a series and its position is the reader (LIBATION#50)", () => {
  it.each<Row>([
    ["Brent Weeks - Die Licht-Saga 01 - Schwarzes Prisma (Bodo Primus).m4b", { author: "Brent Weeks", series: "Die Licht-Saga", series_num: "1", title: "Schwarzes Prisma", narrator: "Bodo Primus" }],
    ["Brent Weeks/Die Licht-Saga/01 - Schwarzes Prisma (Bodo Primus).m4b", { author: "Brent Weeks", series: "Die Licht-Saga", series_num: "1", title: "Schwarzes Prisma", narrator: "Bodo Primus" }],
    ["Brent Weeks - Die Licht-Saga 01 - Schwarzes Prisma (Bodo Primus) [2010].m4b", { title: "Schwarzes Prisma", narrator: "Bodo Primus", year: "2010" }],
    // "-Reihe" is German's "series" glued on by the compound's hyphens, no name of its own (path-24): "Harry Potter", as
    // "Harry Potter Reihe" or "Harry Potter - Reihe" read; "-Saga" above stays, a word of the series' name.
    ["J.K. Rowling/Harry-Potter-Reihe/01 - Der Stein der Weisen.m4b", { series: "Harry Potter", series_num: "1", title: "Der Stein der Weisen" }],
    // Without a series and its position the shape does not say it; a series' own suffix spaced off still goes.
    ["Andy Weir - The Martian (Bodo Primus)", { title: "The Martian (Bodo Primus)", narrator: undefined }],
    ["Brent Weeks - Lightbringer 01 - The Black Prism (Red Edition).m4b", { title: "The Black Prism (Red Edition)", narrator: undefined }],
    ["Brandon Sanderson/Mistborn Saga/01 - The Final Empire.m4b", { series: "Mistborn", series_num: "1" }],
  ])("%s", check);
});

describe("'Title, Book N' closing a name gives the book's place; the title stays the title (LIBATION#644)", () => {
  it.each<Row>([
    ["J.K. Rowling/Harry Potter and the Sorcerer's Stone, Book 1", { author: "J.K. Rowling", title: "Harry Potter and the Sorcerer's Stone", series: undefined, series_num: "1" }],
    ["J.K. Rowling - Harry Potter and the Sorcerer's Stone, Book 1", { author: "J.K. Rowling", title: "Harry Potter and the Sorcerer's Stone", series: undefined, series_num: "1" }],
    ["J.K. Rowling/Harry Potter/Harry Potter and the Sorcerer's Stone, Book 1", { title: "Harry Potter and the Sorcerer's Stone", series: "Harry Potter", series_num: "1" }],
    ["Rick Riordan/Percy Jackson and the Lightning Thief, Book 1", { title: "Percy Jackson and the Lightning Thief", series: undefined, series_num: "1" }],
    ["Cornelia Funke/Tintenherz und die Reise der Drachen, Band 1", { title: "Tintenherz und die Reise der Drachen", series: undefined, series_num: "1" }],
    // A series' name, or a title then a series, keeps its series.
    ["Stephen King - The Dark Tower, Book 1", { series: "The Dark Tower", series_num: "1" }],
    ["Rick Riordan - The Lightning Thief - Percy Jackson and the Olympians, Book 1", { title: "The Lightning Thief", series: "Percy Jackson and the Olympians", series_num: "1" }],
  ])("%s", check);
});

describe("a time or ratio whose colon became an underscore stays the title (ABS#5036)", () => {
  it.each<Row>([
    ["Ben Lerner - 10_ 04", { author: "Ben Lerner", title: "10:04", series: undefined, series_num: undefined }],
    ["Ben Lerner - 10_04", { author: "Ben Lerner", title: "10:04", series: undefined, series_num: undefined }],
    ["Ben Lerner/10_ 04", { author: "Ben Lerner", title: "10:04", series: undefined, series_num: undefined }],
    ["Ben Lerner/10_04/10_04.m4b", { author: "Ben Lerner", title: "10:04", series: undefined }],
    ["Elmore Leonard/3_10 to Yuma", { author: "Elmore Leonard", title: "3:10 to Yuma", series: undefined }],
    ["George Orwell - 1984_ A Novel", { author: "George Orwell", title: "1984", series: undefined }],
    // Underscores between a series and its numbers still part them.
    ["Deathlands_08_12", { series: "Deathlands", series_num: "8" }],
  ])("%s", check);
});

// ascan32: elisions, an article before a series word, a part after a full stop, a count of pieces closing the name.
describe("a hyphen glued to a word before a conjunction is an elision, no separator", () => {
  it.each<Row>([
    ["Brüder Grimm/Kinder- und Hausmärchen", { author: "Brüder Grimm", title: "Kinder- und Hausmärchen" }],
    ["Ein- und Ausgang", { author: undefined, title: "Ein- und Ausgang" }],
    ["Jan Jansen/Natur- en milieu", { author: "Jan Jansen", title: "Natur- en milieu" }],
    ["Brüder Grimm - Kinder- und Hausmärchen", { author: "Brüder Grimm", title: "Kinder- und Hausmärchen" }],
    // A spaced dash still separates.
    ["Brüder Grimm - Hausmärchen", { author: "Brüder Grimm", title: "Hausmärchen" }],
  ])("%s", check);
});

describe("an article before a series word alone is no series name: the folder's whole name is", () => {
  it.each<Row>([
    ["Wolfgang Hohlbein/Die Saga/Band 1 - Der Anfang", { author: "Wolfgang Hohlbein", series: "Die Saga", series_num: "1", title: "Der Anfang" }],
    ["Die Trilogie/Band 2 - Titel", { series: "Die Trilogie", series_num: "2", title: "Titel" }],
    ["Jean Dupont/La Saga/Tome 1 - Titre", { series: "La Saga", series_num: "1", title: "Titre" }],
    ["Jane Doe/The Saga/Book 1 - Title", { series: "The Saga", series_num: "1", title: "Title" }],
    ["Jane Doe/The Saga/1 - Title", { series: "The Saga", series_num: "1", title: "Title" }],
  ])("%s", check);
});

describe("a part after a full stop, or a count of pieces closing the name, is a piece of a split book", () => {
  it.each<Row>([
    ["Фёдор Достоевский/Братья Карамазовы. Часть 1", { author: "Фёдор Достоевский", title: "Братья Карамазовы (Часть 1)", series: undefined }],
    ["Jane Doe/Title. Part 1", { author: "Jane Doe", title: "Title (Part 1)", series: undefined }],
    ["Jean Dupont/Titre. Partie 1", { author: "Jean Dupont", title: "Titre (Partie 1)", series: undefined }],
    ["Hans Meier/Titel. Teil 1", { author: "Hans Meier", title: "Titel (Teil 1)", series: undefined }],
    ["Stephen King/The Stand. Part 2 - Captain Trips", { author: "Stephen King", title: "The Stand (Part 2)", subtitle: "Captain Trips", series: undefined }],
    ["Terry Goodkind/Wizard's First Rule 1 of 3", { author: "Terry Goodkind", title: "Wizard's First Rule (1 of 3)", series: undefined, series_num: undefined }],
    ["Terry Goodkind/Wizard's First Rule Part 1 of 3", { author: "Terry Goodkind", title: "Wizard's First Rule (Part 1 of 3)", series: undefined }],
    ["Hans Meier/Der Titel Teil 1 von 3", { author: "Hans Meier", title: "Der Titel (Teil 1 von 3)", series: undefined }],
    // A book's count stays the series' place; a part's count stays with its part.
    ["Dean Koontz/Watchers (Book 2 of 3)", { title: "Watchers", series_num: "2" }],
    ["Brandon Sanderson - The Way of Kings - Part 2 of 3", { author: "Brandon Sanderson", title: "The Way of Kings (Part 2 of 3)" }],
  ])("%s", check);
});
