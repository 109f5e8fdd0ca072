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
