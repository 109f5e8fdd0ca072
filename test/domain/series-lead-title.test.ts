import { describe, expect, it } from "vitest";
import { readerInProse } from "../../src/domain/reader-phrase.js";
import { sameSeriesName, seriesInTitle, seriesLeadInTitle } from "../../src/domain/subtitle.js";

describe("seriesLeadInTitle: a series' name and position before the book's own title", () => {
  it.each<[string, { series: string; num: string; title: string }]>([
    ["The Dark Tower III: The Waste Lands", { series: "The Dark Tower", num: "3", title: "The Waste Lands" }],
    ["The Expanse 1: Leviathan Wakes", { series: "The Expanse", num: "1", title: "Leviathan Wakes" }],
    ["Mistborn 3 - The Hero of Ages", { series: "Mistborn", num: "3", title: "The Hero of Ages" }],
    ["Mistborn 03: The Hero of Ages", { series: "Mistborn", num: "3", title: "The Hero of Ages" }],
    ["Mistborn, Book 3: The Hero of Ages", { series: "Mistborn", num: "3", title: "The Hero of Ages" }],
    ["Discworld #8 - Guards! Guards!", { series: "Discworld", num: "8", title: "Guards! Guards!" }],
    ["Star Wars Episode IV: A New Hope", { series: "Star Wars", num: "4", title: "A New Hope" }],
    ["Star Wars: Thrawn (Book I)", { series: "Star Wars", num: "1", title: "Thrawn" }],
    ["Mistborn: The Final Empire (Book 1)", { series: "Mistborn", num: "1", title: "The Final Empire" }],
  ])("%j", (text, want) => {
    expect(seriesLeadInTitle(text)).toEqual(want);
  });

  // Rulers, wars and numbered things have the same shape; titles that are numbers have none of it.
  it.each([
    "World War II: A History",
    "Richard III: The King in the Car Park",
    "King Henry V: The Life of the King",
    "Apollo 13: The Untold Story",
    "Apollo 13 - The Untold Story",
    "Chapter 1 - The Boy Who Lived",
    "Part 2 - The Two Towers",
    "Area 51: An Uncensored History",
    "Fahrenheit 451 - A Novel",
    "2001: A Space Odyssey",
    "1984",
    "Catch-22: A Novel",
    "Book 3: The Hero of Ages",
    "Sapiens: A Brief History of Humankind",
    "The Way of Kings (Part 1)",
  ])("%j names no series", (text) => {
    expect(seriesLeadInTitle(text)).toBeNull();
  });
});

describe("readerInProse: a reader named in a description or comment", () => {
  it.each<[string, string | null]>([
    ["A lone astronaut must save the earth. (Narrated by Ray Porter)", "Ray Porter"],
    ["Narrated by J. K. Simmons. A lone astronaut.", "J. K. Simmons"],
    ["The epic continues.\nRead by Kate Reading and Michael Kramer", "Kate Reading and Michael Kramer"],
    ["An epic - performed by Jim Dale", "Jim Dale"],
    ["A tale narrated by a dog.", null],
    ["A memoir of the craft. (Read by the author)", "the author"],
    ["Loved and read by millions of fans.", null],
    ["No reader named here.", null],
  ])("%j", (text, want) => {
    expect(readerInProse(text)).toBe(want);
  });
});

describe("seriesInTitle: a position counted in a named series", () => {
  it.each<[string, { series: string; num: string; title: string } | null]>([
    ["The Way of Kings: Book One of the Stormlight Archive", { title: "The Way of Kings", series: "Stormlight Archive", num: "1" }],
    ["Wolves of the Calla (Book 5 of The Dark Tower)", { title: "Wolves of the Calla", series: "The Dark Tower", num: "5" }],
    ["Dune, Book 1 of the Dune Chronicles", { title: "Dune", series: "Dune Chronicles", num: "1" }],
    // "of Three", "of 3": a count, no series.
    ["A Tale: Book Two of Three", null],
    ["A Tale (Book 2 of 3)", null],
    ["Part One of the Story", null],
  ])("%j", (text, want) => {
    expect(seriesInTitle(text)).toEqual(want);
  });

  it("one series with or without its article", () => {
    expect(sameSeriesName("The Expanse", "Expanse")).toBe(true);
    expect(sameSeriesName("the Stormlight Archive", "The Stormlight Archive")).toBe(true);
    expect(sameSeriesName("The Expanse", "The Dark Tower")).toBe(false);
    // A franchise and its series.
    expect(sameSeriesName("Star Wars", "Star Wars: Thrawn")).toBe(true);
    expect(sameSeriesName("Star", "Star Wars")).toBe(false);
  });
});
