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
    // Negative rows: a writer's folder above "Writer - Title" or "Writer - 01 - Title" keeps its writer.
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
