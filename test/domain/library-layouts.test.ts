/**
 * Folder layouts of real libraries that the path layer misread: one-word writer folders above titles that
 * look like names, four-digit positions of very long series, one series folder above numbered books,
 * and the words other languages use for a position, a reader and an unabridged recording. Each table
 * has negative rows: names of the same shape that must keep their reading.
 */
import { describe, expect, it } from "vitest";
import { analyzePath, type PathHints } from "../../src/domain/path-analysis.js";
import { nameScore } from "../../src/domain/person-name.js";

type Row = [path: string, expected: PathHints];
type SiblingRow = [path: string, siblings: readonly string[] | undefined, expected: PathHints];

function check(path: string, expected: PathHints, siblings?: readonly string[]): void {
  const got = analyzePath(path, { isFile: /\.(?:mp3|m4b)$/i.test(path), siblings }) as Record<string, string | undefined>;
  expect(Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]))).toEqual(expected);
}

describe("a writer's folder above a title that reads as a name", () => {
  it.each<Row>([
    // A ruler's name and number has no surname: no writer ("Richard III" is a play, a biography, a king).
    ["Shakespeare/Richard III", { author: "Shakespeare", title: "Richard III" }],
    ["Shakespeare/Richard II", { author: "Shakespeare", title: "Richard II" }],
    ["Shakespeare/Henry IV", { author: "Shakespeare", title: "Henry IV" }],
    ["Marlowe/Edward II", { author: "Marlowe", title: "Edward II" }],
    // A writer known by one name is the writer of what its folder holds, even of a novel named for a person.
    ["Tolstoy/Anna Karenina", { author: "Tolstoy", title: "Anna Karenina" }],
    ["Dickens/Oliver Twist", { author: "Dickens", title: "Oliver Twist" }],
    ["Dickens/David Copperfield", { author: "Dickens", title: "David Copperfield" }],
    ["Cervantes/Don Quixote", { author: "Cervantes", title: "Don Quixote" }],
    ["Charles Dickens/Oliver Twist", { author: "Charles Dickens", title: "Oliver Twist" }],
    // Negative rows: the title folder above its writer still swaps.
    ["Shards of Earth/Adrian Tchaikovsky", { author: "Adrian Tchaikovsky", title: "Shards of Earth" }],
    ["Project Hail Mary/Andy Weir", { author: "Andy Weir", title: "Project Hail Mary" }],
    ["Watchers/Dean Koontz", { author: "Dean Koontz", title: "Watchers" }],
  ])("%s", (path, expected) => check(path, expected));

  it.each<[name: string, max: number]>([
    ["Richard III", 0],
    ["George IV", 0],
  ])("%s scores at most %d as a person", (name, max) => {
    expect(nameScore(name)).toBeLessThanOrEqual(max);
  });

  it.each<[name: string, min: number]>([
    // Negative rows: a surname before the suffix is a person.
    ["Robert Graves III", 1],
    ["Martin Luther King Jr.", 1],
    ["John Smith II", 1],
  ])("%s still scores at least %d", (name, min) => {
    expect(nameScore(name)).toBeGreaterThanOrEqual(min);
  });

  it.each<SiblingRow>([
    // A folder holding several books is no book's title folder: a biography named for its subject stays a title.
    ["Ron Chernow/Alexander Hamilton", ["Alexander Hamilton", "Grant", "Washington - A Life"], { author: "Ron Chernow", title: "Alexander Hamilton" }],
    ["Walter Isaacson/Benjamin Franklin", ["Benjamin Franklin", "Steve Jobs"], { author: "Walter Isaacson", title: "Benjamin Franklin" }],
    // Negative rows: a title folder holds its writer's folder alone (or beside its disc folders).
    ["Project Hail Mary/Andy Weir", ["Andy Weir"], { author: "Andy Weir", title: "Project Hail Mary" }],
  ])("%s beside %j", (path, siblings, expected) => check(path, expected, siblings));
});

describe("a series folder above books that carry its name and a position", () => {
  it.each<Row>([
    // One folder, the series' name again in the book's, then a position: the folder is the series, not a writer.
    ["Maddrax/Maddrax 523 - Der Titel", { author: undefined, series: "Maddrax", series_num: "523", title: "Der Titel" }],
    ["TKKG/TKKG 200 - Gefährliche Gerüchte", { author: undefined, series: "TKKG", series_num: "200", title: "Gefährliche Gerüchte" }],
    ["Discworld/Discworld 01 - The Colour of Magic", { author: undefined, series: "Discworld", series_num: "1", title: "The Colour of Magic" }],
    ["Discworld/Discworld - 01 - The Colour of Magic", { author: undefined, series: "Discworld", series_num: "1", title: "The Colour of Magic" }],
    ["Jack Reacher/Jack Reacher 01 - Killing Floor", { author: undefined, series: "Jack Reacher", series_num: "1", title: "Killing Floor" }],
    ["Perry Rhodan Neo/Perry Rhodan Neo 100 - Die Stunde des Smilers", { author: undefined, series: "Perry Rhodan Neo", series_num: "100", title: "Die Stunde des Smilers" }],
    ["Audiobooks/Maddrax/Maddrax 523 - Der Titel", { author: undefined, series: "Maddrax", series_num: "523", title: "Der Titel" }],
    // Negative rows: a writer's folder above "Writer - Title" or "Writer - 01 - Title" keeps its writer; a title
    // that opens with a number after the writer's name is no position.
    ["Dean Koontz/Dean Koontz 77 Shadow Street", { series_num: undefined }],
    ["Stephen King/Stephen King - It", { author: "Stephen King", title: "It", series: undefined }],
    ["Lee Child/Lee Child - 01 - Killing Floor", { author: "Lee Child", title: "Killing Floor" }],
    ["Dean Koontz/Dean Koontz - 1987 - Watchers", { author: "Dean Koontz", title: "Watchers", year: "1987" }],
    ["Discworld/01 - The Colour of Magic", { series: "Discworld", series_num: "1", title: "The Colour of Magic" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("four-digit positions of very long series", () => {
  const rhodan = ["Perry Rhodan - 1499 - Die Macht der Ennox", "Perry Rhodan - 1500 - Die Ennox", "Perry Rhodan - 2034 - Die Suche"];
  const christie = ["Agatha Christie - 1920 - The Mysterious Affair at Styles", "Agatha Christie - 1926 - The Murder of Roger Ackroyd"];
  it.each<SiblingRow>([
    // A number no year can be, under the series' folder: Perry Rhodan 2034, Jerry Cotton 3100.
    ["Perry Rhodan/Perry Rhodan - 2034 - Die Suche", undefined, { author: undefined, series: "Perry Rhodan", series_num: "2034", title: "Die Suche", subtitle: undefined, year: undefined }],
    ["Perry Rhodan/Perry Rhodan 2034 - Die Suche", undefined, { author: undefined, series: "Perry Rhodan", series_num: "2034", title: "Die Suche" }],
    ["Perry Rhodan/2034 - Die Suche", ["2033 - Die Flucht", "2034 - Die Suche"], { author: undefined, series: "Perry Rhodan", series_num: "2034", title: "Die Suche" }],
    ["Jerry Cotton/Jerry Cotton - 3100 - Der Titel", undefined, { author: undefined, series: "Jerry Cotton", series_num: "3100", title: "Der Titel" }],
    ["Perry Rhodan/Perry Rhodan - 0999 - Die Suche", undefined, { series: "Perry Rhodan", series_num: "999", title: "Die Suche" }],
    ["Science Fiction/Perry Rhodan/Perry Rhodan - 2034 - Die Suche.mp3", undefined, { series: "Perry Rhodan", series_num: "2034", title: "Die Suche" }],
    // A number a year could be: only siblings numbered past any year show the folder counts positions.
    ["Perry Rhodan/Perry Rhodan - 1500 - Die Ennox", rhodan, { author: undefined, series: "Perry Rhodan", series_num: "1500", title: "Die Ennox", year: undefined }],
    ["Perry Rhodan/Perry Rhodan Erstauflage - 1500 - Die Ennox", ["Perry Rhodan Erstauflage - 2500 - Title"], { series: "Perry Rhodan Erstauflage", series_num: "1500", title: "Die Ennox" }],
    ["Perry Rhodan/Perry Rhodan Book 2034 - Die Suche", undefined, { series: "Perry Rhodan", series_num: "2034", title: "Die Suche" }],
    ["Perry Rhodan/Perry Rhodan Band 2034 - Die Suche", undefined, { series: "Perry Rhodan", series_num: "2034", title: "Die Suche" }],
    ["Perry Rhodan/Perry Rhodan Neo - 2034 - Title", undefined, { author: undefined, series: "Perry Rhodan Neo", series_num: "2034", title: "Title" }],
    ["Perry Rhodan/Perry Rhodan - 2034 - Die Suche (2000) [Josef Tratnik]", undefined, { series: "Perry Rhodan", series_num: "2034", title: "Die Suche", year: "2000", narrator: "Josef Tratnik" }],
    // Negative rows: years.
    ["Perry Rhodan/Perry Rhodan - 1500 - Die Ennox", undefined, { series_num: undefined }],
    ["Agatha Christie/Agatha Christie - 1920 - The Mysterious Affair at Styles", christie, { author: "Agatha Christie", title: "The Mysterious Affair at Styles", year: "1920", series_num: undefined }],
    ["Jack Reacher/Jack Reacher - 1997 - Killing Floor", ["Jack Reacher - 1998 - Die Trying"], { title: "Killing Floor", year: "1997", series_num: undefined }],
    ["Dean Koontz/1987 - Watchers", ["1986 - Strangers", "1987 - Watchers"], { author: "Dean Koontz", title: "Watchers", year: "1987" }],
    // No folder names the series: "2034 - A Novel of the Next World War" is a title.
    ["Elliot Ackerman/2034 - A Novel of the Next World War", undefined, { author: "Elliot Ackerman", title: "2034: A Novel of the Next World War", series_num: undefined }],
    ["Elliot Ackerman/Elliot Ackerman - 2034 - A Novel of the Next World War", undefined, { author: "Elliot Ackerman", series_num: undefined }],
  ])("%s beside %j", (path, siblings, expected) => check(path, expected, siblings));
});

describe("positions, readers and unabridged tags in other languages", () => {
  it.each<Row>([
    // German "Band"/"Bd."/"Folge", French "Tome"/"Livre", Spanish and Italian "Tomo"/"Libro", Dutch "Deel"/"Boek", "Buch".
    ["Kai Meyer - Die Sturmkönige Band 2 - Wunschkrieg", { author: "Kai Meyer", series: "Die Sturmkönige", series_num: "2", title: "Wunschkrieg" }],
    ["Kai Meyer - Die Sturmkönige - Band 2 - Wunschkrieg", { author: "Kai Meyer", series: "Die Sturmkönige", series_num: "2", title: "Wunschkrieg" }],
    ["Astrid Lindgren - Pippi Langstrumpf Bd. 2 - Pippi geht an Bord", { author: "Astrid Lindgren", series: "Pippi Langstrumpf", series_num: "2", title: "Pippi geht an Bord" }],
    ["Die drei Fragezeichen - Folge 125 - Feuermond", { series: "Die drei Fragezeichen", series_num: "125", title: "Feuermond" }],
    ["Die drei Fragezeichen/Folge 125 - Feuermond", { series: "Die drei Fragezeichen", series_num: "125", title: "Feuermond" }],
    ["Carlos Ruiz Zafón - El cementerio de los libros olvidados - Libro 2 - El juego del ángel", { author: "Carlos Ruiz Zafón", series: "El cementerio de los libros olvidados", series_num: "2", title: "El juego del ángel" }],
    ["Laura Gallego - Memorias de Idhún Tomo 1 - La Resistencia", { author: "Laura Gallego", series: "Memorias de Idhún", series_num: "1", title: "La Resistencia" }],
    ["Paul Biegel - Deel 2 - De kleine kapitein", { author: "Paul Biegel", series_num: "2", title: "De kleine kapitein", series: undefined }],
    ["Tonke Dragt/De brief voor de koning (Deel 1)", { author: "Tonke Dragt", title: "De brief voor de koning", series_num: "1", series: undefined }],
    ["Cornelia Funke/Reckless/Buch 2 - Lebendige Schatten", { series: "Reckless", series_num: "2", title: "Lebendige Schatten" }],
    ["Pierre Bottero/La Quête d'Ewilan/Livre 3 - L'Île du destin", { series: "La Quête d'Ewilan", series_num: "3", title: "L'Île du destin" }],
    // Readers: "gelesen von", "Sprecher", "lu par", "narrado por", "leído por", "letto da", "voorgelezen door".
    ["Sebastian Fitzek - Das Paket (gelesen von Simon Jäger)", { author: "Sebastian Fitzek", title: "Das Paket", narrator: "Simon Jäger" }],
    ["Sebastian Fitzek - Das Paket - Gelesen von Simon Jäger", { author: "Sebastian Fitzek", title: "Das Paket", narrator: "Simon Jäger" }],
    ["Sebastian Fitzek - Das Paket [Sprecher: Simon Jäger]", { author: "Sebastian Fitzek", title: "Das Paket", narrator: "Simon Jäger" }],
    ["Marc Levy - Et si c'était vrai (Lu par Rachel Arditi)", { author: "Marc Levy", title: "Et si c'était vrai", narrator: "Rachel Arditi" }],
    ["Carlos Ruiz Zafón - La sombra del viento (Narrado por Juan Magraner)", { author: "Carlos Ruiz Zafón", title: "La sombra del viento", narrator: "Juan Magraner" }],
    ["Isabel Allende - La casa de los espíritus (leído por Marina Bernal)", { title: "La casa de los espíritus", narrator: "Marina Bernal" }],
    ["Elena Ferrante - L'amica geniale (letto da Anna Bonaiuto)", { title: "L'amica geniale", narrator: "Anna Bonaiuto" }],
    ["Herman Koch - Het diner (voorgelezen door Kees Prins)", { author: "Herman Koch", title: "Het diner", narrator: "Kees Prins" }],
    // Unabridged is what an audiobook is; a shortened reading is the "Abridged" edition; a radio play is a variant.
    ["Sebastian Fitzek - Das Paket (Ungekürzt)", { author: "Sebastian Fitzek", title: "Das Paket", edition: undefined }],
    ["Sebastian Fitzek - Das Paket (ungekürzte Lesung)", { title: "Das Paket", edition: undefined }],
    ["Andreas Eschbach - Das Jesus-Video (gekürzte Lesung)", { title: "Das Jesus-Video", edition: "Abridged" }],
    ["Andreas Eschbach - Das Jesus-Video [gekürzt]", { title: "Das Jesus-Video", edition: "Abridged" }],
    ["Joël Dicker - La Vérité sur l'affaire Harry Quebert (Version intégrale)", { title: "La Vérité sur l'affaire Harry Quebert" }],
    ["Albert Camus - L'Étranger (Texte intégral)", { title: "L'Étranger" }],
    ["Carlos Ruiz Zafón - La sombra del viento (Íntegro)", { title: "La sombra del viento" }],
    ["Herman Koch - Het diner (Onverkort)", { title: "Het diner" }],
    // The writer as a piece of its own after the title.
    ["Dune - by Frank Herbert", { author: "Frank Herbert", title: "Dune" }],
    ["Die Therapie - von Sebastian Fitzek", { author: "Sebastian Fitzek", title: "Die Therapie" }],
    ["L'Étranger - par Albert Camus - Lu par Raphaël Enthoven", { author: "Albert Camus", title: "L'Étranger", narrator: "Raphaël Enthoven" }],
    ["Dune (1965) - by Frank Herbert - Read by Scott Brick", { author: "Frank Herbert", title: "Dune", year: "1965", narrator: "Scott Brick" }],
    // Negative row: "by" before no one's name is the title's word.
    ["Stand - by Me", { title: "by Me" }],
    // Negative rows: the same words inside a title, or no number after them.
    ["Stephen E. Ambrose - Band of Brothers", { author: "Stephen E. Ambrose", title: "Band of Brothers", series_num: undefined }],
    ["Paulo Coelho - El libro de los sueños", { title: "El libro de los sueños", series_num: undefined }],
    ["Ursula Poznanski - Folge dem Licht", { title: "Folge dem Licht", series_num: undefined }],
    ["Ian McEwan - Lu par hasard", { title: "Lu par hasard", narrator: undefined }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("release names and book parts", () => {
  it.each<Row>([
    // A release group closing a scene name after its year or format: "-SCENE", "-ABEE" name no title.
    ["Brandon.Sanderson-The.Way.of.Kings.2010.AUDIOBOOK.MP3-SCENE", { author: "Brandon Sanderson", title: "The Way of Kings", series: undefined }],
    ["Brandon_Sanderson-The_Way_Of_Kings-(Unabridged)-2010-ABEE", { author: "Brandon Sanderson", title: "The Way Of Kings", year: "2010", series: undefined }],
    ["Andy.Weir-The.Martian.2014.MP3.64KBPS-XYZ", { author: "Andy Weir", title: "The Martian", year: "2014" }],
    ["Stephen_King-The_Stand-2008-UNABRIDGED-AUDIOBOOK-GRP", { author: "Stephen King", title: "The Stand", year: "2008" }],
    // Negative rows: a last field that is the title.
    ["Stephen.King-It", { author: "Stephen King", title: "It" }],
    ["Andy.Weir-Artemis", { author: "Andy Weir", title: "Artemis" }],
    ["George.Orwell-1984", { author: "George Orwell", title: "1984" }],
    // "Title - Part 1" is one piece of a book split over folders, kept in the title as "Title (Part 1)" is.
    ["Brandon Sanderson - The Way of Kings - Part 1", { author: "Brandon Sanderson", title: "The Way of Kings (Part 1)", series: undefined }],
    ["Brandon Sanderson - The Way of Kings - Part 2 of 3", { author: "Brandon Sanderson", title: "The Way of Kings (Part 2 of 3)", series: undefined }],
    ["Brandon Sanderson/The Way of Kings - Pt 2", { author: "Brandon Sanderson", title: "The Way of Kings (Part 2)", series: undefined }],
    ["Sebastian Fitzek/Die Therapie/Teil 1", { author: "Sebastian Fitzek", title: "Die Therapie", series: undefined }],
    ["Sebastian Fitzek/Die Therapie/Teil 2 von 3", { author: "Sebastian Fitzek", title: "Die Therapie", series: undefined }],
    ["Carlos Ruiz Zafón/La sombra del viento/Parte 1", { title: "La sombra del viento", series: undefined }],
    ["Victor Hugo/Les Misérables/Partie 2", { title: "Les Misérables", series: undefined }],
    ["Sebastian Fitzek - Die Therapie - Teil 1", { author: "Sebastian Fitzek", title: "Die Therapie (Teil 1)", series: undefined }],
    // The scanner's piece words (part-words.ts): discs, tapes, sides and roman parts in other languages.
    ["Victor Hugo/Les Misérables/Partie II", { author: "Victor Hugo", title: "Les Misérables", series: undefined }],
    ["Carlos Ruiz Zafón/La sombra del viento/Disco 1 de 3", { title: "La sombra del viento", series: undefined }],
    ["Harry Mulisch/De aanslag/Schijf 2", { title: "De aanslag", series: undefined }],
    ["Sebastian Fitzek/Die Therapie/Kassette 1", { author: "Sebastian Fitzek", title: "Die Therapie", series: undefined }],
    ["Stephen King/The Stand/Tape 3/Side B", { author: "Stephen King", title: "The Stand", series: undefined }],
    ["J.R.R. Tolkien - Le Hobbit - Disque 1", { author: "J.R.R. Tolkien", title: "Le Hobbit", series: undefined }],
    // Negative rows: the part is the title's own word, or the name holds nothing else.
    ["Dean Koontz/Watchers/Part 1", { author: "Dean Koontz", title: "Watchers" }],
    ["Dean Koontz - Watchers (Part 1)", { author: "Dean Koontz", title: "Watchers (Part 1)" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("series words in other languages, franchises before a series", () => {
  it.each<Row>([
    ["Sebastian Fitzek - Die Therapie - Hörbuch", { author: "Sebastian Fitzek", title: "Die Therapie", series: undefined }],
    ["Sebastian Fitzek - Die Therapie (Hörbuch)", { author: "Sebastian Fitzek", title: "Die Therapie" }],
    // A radio play is the recording's variant, as "(Dramatized)" is: no part of the title (path-27).
    ["Die drei Fragezeichen - Folge 125 - Feuermond (Hörspiel)", { title: "Feuermond", variant: "Hörspiel" }],
    // French "T1" for "Tome 1", glued to its number.
    ["Maurice Druon - Les Rois maudits T1 - Le Roi de fer", { author: "Maurice Druon", series: "Les Rois maudits", series_num: "1", title: "Le Roi de fer" }],
    ["Fred Vargas - Adamsberg T03 - L'homme à l'envers", { author: "Fred Vargas", series: "Adamsberg", series_num: "3", title: "L'homme à l'envers" }],
    // A series folder named with "Trilogía", "Trilogie", "Reihe", "Zyklus", "Saga" is no person, whatever its particles.
    ["Santiago Posteguillo/Trilogía de Escipión/01. Africanus - El hijo del cónsul", { author: "Santiago Posteguillo", series: "Trilogía de Escipión", series_num: "1" }],
    ["Markus Heitz/Die Zwerge Reihe/01 - Die Zwerge", { author: "Markus Heitz", series: "Die Zwerge", series_num: "1", title: "Die Zwerge" }],
    ["Wolfgang Hohlbein/Chronik der Unsterblichen/01 - Am Abgrund", { author: "Wolfgang Hohlbein", series: "Chronik der Unsterblichen", series_num: "1", title: "Am Abgrund" }],
    // A franchise before the series under its writer's folder names no writer.
    ["Timothy Zahn/Star Wars - Thrawn Trilogy 1 - Heir to the Empire", { author: "Timothy Zahn", series: "Thrawn Trilogy", series_num: "1", title: "Heir to the Empire" }],
    ["Dan Abnett/Warhammer 40,000 - Horus Heresy 01 - Horus Rising", { author: "Dan Abnett", series: "Horus Heresy", series_num: "1", title: "Horus Rising" }],
    // Negative rows: the writer before the series, in the folder's name or another's.
    ["Timothy Zahn/Timothy Zahn - Thrawn Trilogy 1 - Heir to the Empire", { author: "Timothy Zahn", series: "Thrawn Trilogy", series_num: "1" }],
    ["Star Wars/Timothy Zahn - Thrawn Trilogy 1 - Heir to the Empire", { author: "Timothy Zahn", series: "Thrawn Trilogy", series_num: "1" }],
    ["Sammelband/Lee Child - Jack Reacher 01 - Killing Floor", { author: "Lee Child", series: "Jack Reacher", series_num: "1" }],
    ["Marvel - T2 - Judgment Day", { series_num: undefined }],
    // "Series" closing a series' name in the book's own name goes, as it does from a folder's.
    ["Terry Pratchett - The Colour of Magic (Discworld Series Book 1)", { series: "Discworld", series_num: "1", title: "The Colour of Magic" }],
    ["Terry Pratchett - Discworld Series 01 - The Colour of Magic", { series: "Discworld", series_num: "1", title: "The Colour of Magic" }],
    ["Killing Floor (Jack Reacher Series, Book 1)", { series: "Jack Reacher", series_num: "1", title: "Killing Floor" }],
    ["Ken Follett - Kingsbridge Reihe 1 - Die Säulen der Erde", { series: "Kingsbridge", series_num: "1" }],
    // Negative rows: "Series" opening the name, or the whole name.
    ["Lemony Snicket - A Series of Unfortunate Events 01 - The Bad Beginning", { series: "A Series of Unfortunate Events", series_num: "1" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("a title's colon as tools write it where a colon cannot stand", () => {
  it.each<Row>([
    // Libation, OpenAudible and Windows downloaders write "Title: Subtitle" as "Title_ Subtitle"; some use "꞉" or "∶".
    ["Yuval Noah Harari/Sapiens_ A Brief History of Humankind [B00ICN066A]", { author: "Yuval Noah Harari", title: "Sapiens", subtitle: "A Brief History of Humankind" }],
    ["Yuval Noah Harari - Sapiens_ A Brief History of Humankind (2015)", { author: "Yuval Noah Harari", title: "Sapiens", subtitle: "A Brief History of Humankind", year: "2015" }],
    ["Sapiens꞉ A Brief History of Humankind", { title: "Sapiens", subtitle: "A Brief History of Humankind" }],
    ["Sapiens∶ A Brief History of Humankind", { title: "Sapiens", subtitle: "A Brief History of Humankind" }],
    ["The Final Empire_ Mistborn, Book 1", { title: "The Final Empire", series: "Mistborn", series_num: "1" }],
    ["Brandon Sanderson/Mistborn_ The Final Empire [B002UZMLXM]", { author: "Brandon Sanderson", title: "Mistborn", subtitle: "The Final Empire" }],
    // Negative rows: underscores for spaces, a release name.
    ["Andy_Weir_-_Project_Hail_Mary", { author: "Andy Weir", title: "Project Hail Mary" }],
    ["Jim Butcher/Dresden Files/01_Storm_Front", { title: "Storm Front", series_num: "1" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("writer, reader and numbers around a title", () => {
  it.each<Row>([
    // The title, then two people: writer and reader, whatever the title's own shape.
    ["Killing Floor - Lee Child - Dick Hill - 1997", { author: "Lee Child", title: "Killing Floor", narrator: "Dick Hill", year: "1997", series: undefined }],
    ["Gone Girl - Gillian Flynn - Julia Whelan", { author: "Gillian Flynn", title: "Gone Girl", narrator: "Julia Whelan" }],
    ["Project Hail Mary - Andy Weir - Ray Porter", { author: "Andy Weir", title: "Project Hail Mary", narrator: "Ray Porter" }],
    // A zero-padded number glued to the title after the writer reads as "Writer - 01 - Title".
    ["Lee Child - 01 Killing Floor", { author: "Lee Child", title: "Killing Floor", series_num: "1" }],
    ["Lee Child - 01. Killing Floor", { author: "Lee Child", title: "Killing Floor", series_num: "1" }],
    // "Read by the Author": the reader is the writer, by name.
    ["Michelle Obama - Becoming (Read by the Author)", { author: "Michelle Obama", title: "Becoming", narrator: "Michelle Obama" }],
    ["Trevor Noah - Born a Crime - Narrated by Author", { author: "Trevor Noah", title: "Born a Crime", narrator: "Trevor Noah" }],
    ["Michelle Obama/Becoming [Narrator: the author]", { author: "Michelle Obama", narrator: "Michelle Obama" }],
    ["Hape Kerkeling - Ich bin dann mal weg (gelesen vom Autor)", { author: "Hape Kerkeling", title: "Ich bin dann mal weg", narrator: "Hape Kerkeling" }],
    ["Becoming (Read by the Author)", { author: undefined, title: "Becoming", narrator: undefined }],
    // "Read by: X" with a colon, as tags write it too (domain/reader-phrase.ts is one list for both).
    ["Brandon Sanderson - Oathbringer [Read by: Kate Reading]", { author: "Brandon Sanderson", title: "Oathbringer", narrator: "Kate Reading" }],
    ["Andy Weir - Project Hail Mary (Narrated by: Ray Porter)", { author: "Andy Weir", title: "Project Hail Mary", narrator: "Ray Porter" }],
    ["Michelle Obama - Becoming (Read by the Author herself)", { author: "Michelle Obama", title: "Becoming", narrator: "Michelle Obama" }],
    // Negative rows: writer, title, reader; and a title that opens with its number.
    ["Stephen King - The Stand - Grover Gardner", { author: "Stephen King", title: "The Stand", narrator: "Grover Gardner" }],
    ["Ray Bradbury - 451 Fahrenheit", { author: "Ray Bradbury", title: "451 Fahrenheit" }],
    ["Jordan B. Peterson - 12 Rules for Life", { author: "Jordan B. Peterson", title: "12 Rules for Life" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("shelves inside a writer's folder, broadcasters and pen names", () => {
  it.each<Row>([
    // A writer's books sorted by kind: "Novellas", "Standalones", "Other Books" are shelves, never a series.
    ["Stephen King/Novellas/Different Seasons", { author: "Stephen King", title: "Different Seasons", series: undefined }],
    ["Brandon Sanderson/Standalones/Elantris", { author: "Brandon Sanderson", title: "Elantris", series: undefined }],
    ["Brandon Sanderson/Standalone Novels/Warbreaker", { author: "Brandon Sanderson", title: "Warbreaker", series: undefined }],
    ["Neil Gaiman/Other Books/Coraline", { author: "Neil Gaiman", title: "Coraline", series: undefined }],
    ["Terry Pratchett/Non-Series/Strata", { author: "Terry Pratchett", title: "Strata", series: undefined }],
    // A broadcaster in brackets is no series and no position.
    ["Neil Gaiman - Good Omens (with Terry Pratchett) [BBC Radio 4]", { author: "Neil Gaiman", title: "Good Omens", series: undefined, series_num: undefined }],
    ["Douglas Adams - The Hitchhiker's Guide to the Galaxy (BBC Radio)", { title: "The Hitchhiker's Guide to the Galaxy", series: undefined }],
    // A pen name in brackets after the writer: the writer stays, the pen name goes.
    ["Stephen King (as Richard Bachman) - Thinner", { author: "Stephen King", title: "Thinner" }],
    ["Stephen King - Thinner (writing as Richard Bachman)", { author: "Stephen King", title: "Thinner" }],
    // Negative rows: a series folder under the writer, and a title with "as".
    ["Stephen King/The Dark Tower/The Gunslinger", { series: "The Dark Tower", title: "The Gunslinger" }],
    ["William Faulkner - As I Lay Dying", { author: "William Faulkner", title: "As I Lay Dying" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("a franchise number is not a bit rate", () => {
  it.each<Row>([
    // A bare "Nk" is a bit rate only at a rate encoders offer (32..320); "40k" is Warhammer's millennium.
    ["Dan Abnett/Warhammer 40k - Horus Rising", { author: "Dan Abnett", title: "Warhammer 40k - Horus Rising" }],
    ["Warhammer 40k/Horus Rising", { title: "Horus Rising" }],
    ["Dan Abnett - Warhammer 40K - Eisenhorn", { author: "Dan Abnett", title: "Eisenhorn", series: "Warhammer 40K" }],
    // Two fields with no writer stay one title rather than a series "Warhammer 40" at position 0.
    ["Warhammer 40,000 - Eisenhorn", { title: "Warhammer 40,000 - Eisenhorn", series_num: undefined }],
    ["Dan Abnett - Warhammer 40,000 - Eisenhorn", { author: "Dan Abnett", title: "Eisenhorn", series_num: undefined }],
    // Negative row: a comma after words still sets off a position.
    ["Brandon Sanderson - Mistborn, 02 - The Well of Ascension", { series: "Mistborn", series_num: "2", title: "The Well of Ascension" }],
    ["Dan Abnett - The Horus Heresy 01 - Horus Rising 40 kbps", { author: "Dan Abnett", title: "Horus Rising" }],
    // Negative rows: a unit, a bracket or an encoder's rate still marks a bit rate.
    ["Dan Abnett - Horus Rising 64k", { author: "Dan Abnett", title: "Horus Rising" }],
    ["Dan Abnett - Horus Rising [40k]", { author: "Dan Abnett", title: "Horus Rising" }],
    ["Dan Abnett - Horus Rising 128 kbps", { author: "Dan Abnett", title: "Horus Rising" }],
    ["Dan Abnett - Horus Rising 64kbps", { author: "Dan Abnett", title: "Horus Rising" }],
    ["Dan Abnett - Horus Rising {96K}", { author: "Dan Abnett", title: "Horus Rising" }],
  ])("%s", (path, expected) => check(path, expected));
});

describe("a dotted release name without hyphens", () => {
  it.each<Row>([
    // A clear person's name at one end, a title that reads as no name at the other: the hyphen form's reading.
    ["Dune.Frank.Herbert.MP3", { author: "Frank Herbert", title: "Dune" }],
    ["Frank.Herbert.Dune.2006.MP3", { author: "Frank Herbert", title: "Dune", year: "2006" }],
    ["Stephen.King.The.Stand.Unabridged", { author: "Stephen King", title: "The Stand" }],
    ["The.Stand.Stephen.King.2008", { author: "Stephen King", title: "The Stand", year: "2008" }],
    ["Audiobooks/Sci-Fi/Dune.Frank.Herbert.MP3", { author: "Frank Herbert", title: "Dune" }],
    // A writer's full name and only a number: the number is the title, never a year, and no timestamp.
    ["George.Orwell.1984", { author: "George Orwell", title: "1984", year: undefined }],
    ["George.Orwell.1984.MP3", { author: "George Orwell", title: "1984", year: undefined }],
    ["Stephen.King.11.22.63", { author: "Stephen King", title: "11.22.63" }],
    // A year after a number title dates the release; a number inside a title after the writer; a title's last letter.
    ["George.Orwell.1984.2003", { author: "George Orwell", title: "1984", year: "2003" }],
    ["Stephen.King.11.22.63.2011", { author: "Stephen King", title: "11.22.63", year: "2011" }],
    ["Ray.Bradbury.Fahrenheit.451", { author: "Ray Bradbury", title: "Fahrenheit 451" }],
    ["Fahrenheit.451.Ray.Bradbury", { author: "Ray Bradbury", title: "Fahrenheit 451" }],
    ["Joseph.Heller.Catch.22.MP3", { author: "Joseph Heller", title: "Catch 22" }],
    ["World.War.Z.Max.Brooks", { author: "Max Brooks", title: "World War Z" }],
    ["Max.Brooks.World.War.Z", { author: "Max Brooks", title: "World War Z" }],
    // An initial makes the surer name: "Dick Ubik" could be one too.
    ["Philip.K.Dick.Ubik", { author: "Philip K. Dick", title: "Ubik" }],
    ["Dean Koontz/Watchers 03.15.22", { author: "Dean Koontz", title: "Watchers" }],
    // A title longer than a name, though its last words could be one ("Hail Mary"), leaves the writer clear.
    ["Andy.Weir.Project.Hail.Mary.2021", { author: "Andy Weir", title: "Project Hail Mary", year: "2021" }],
    // Negative rows: nothing clear at either end, or a name followed by the title's own words.
    ["Project.Hail.Mary.2021", { author: undefined, title: "Project Hail Mary", year: "2021" }],
    ["Harry.Potter.and.the.Goblet.of.Fire", { author: undefined, title: "Harry Potter and the Goblet of Fire" }],
    ["Jack.Reacher.Killing.Floor", { author: undefined, title: "Jack Reacher Killing Floor" }],
    // A book known by its hero's name (hero-names.ts) is no person: the name closing the release is the writer.
    ["Anna.Karenina.Leo.Tolstoy", { author: "Leo Tolstoy", title: "Anna Karenina" }],
    ["Ubik.Philip.K.Dick", { author: "Philip K. Dick", title: "Ubik" }],
    ["Dean.Koontz-Watchers", { author: "Dean Koontz", title: "Watchers" }],
    ["Frank Herbert/Dune.2006.MP3", { author: "Frank Herbert", title: "Dune", year: "2006" }],
  ])("%s", (path, expected) => check(path, expected));
});
