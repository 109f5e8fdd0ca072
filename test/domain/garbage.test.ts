import { describe, expect, it } from "vitest";
import type { FieldName } from "../../src/domain/fields.js";
import { checkClaim } from "../../src/domain/garbage.js";
import { cleanValue, normalizeKey } from "../../src/domain/normalize.js";

// [field, raw value, expected: "ok" or a fragment of the rejection reason]
const rows: [FieldName, string, string][] = [
  // authors: accepted
  ["author", "Brandon Sanderson", "ok"],
  ["author", "J.R.R. Tolkien", "ok"],
  ["author", "Ursula K. Le Guin", "ok"],
  ["author", "Anonymous", "ok"],
  ["author", "Douglas Preston & Lincoln Child", "ok"],
  ["author", "村上春樹", "ok"],
  ["author", "Fyodor Dostoevsky", "ok"],
  ["author", "Stephen King", "ok"],
  ["author", "Vol Tolstoy", "ok"],
  ["author", "Chapterhouse Collective", "ok"],
  // authors: rejected
  ["author", "Unknown", "placeholder"],
  ["author", "Unknown Author", "placeholder"],
  ["author", "unknown artist", "placeholder"],
  ["author", "<Unknown>", "placeholder"],
  ["author", "Various", "placeholder"],
  ["author", "Various Artists", "placeholder"],
  ["author", "VA", "placeholder"],
  ["author", "N/A", "placeholder"],
  ["author", "[SCAN] Vol 13", "volume marker"],
  ["author", "[MP3] Collection", "release tag"],
  ["author", "1999", "bare year"],
  ["author", "42", "bare number"],
  ["author", "World War I", "historical topic"],
  ["author", "World War II", "historical topic"],
  ["author", "WWII", "historical topic"],
  ["author", "Audiobook", "placeholder"],
  ["author", "Audiobooks", "placeholder"],
  ["author", "Science Fiction", "genre"],
  ["author", "Fantasy", "genre"],
  ["author", "Chapter 1", "track or chapter marker"],
  ["author", "Track 01", "track or chapter marker"],
  ["author", "Disc 1", "track or chapter marker"],
  ["author", "CD2", "track or chapter marker"],
  ["author", "Book 3", "volume marker"],
  ["author", "", "empty"],
  ["author", "   \t ", "empty"],
  ["author", "\u0000\u0001\u001f", "control characters only"],
  ["author", "---", "no letters or digits"],
  ["author", "www.audiobookbay.com", "web address"],
  ["author", "x".repeat(300), "longer than 200"],
  ["narrator", "Kate Reading", "ok"],
  ["narrator", "Unknown Narrator", "placeholder"],
  ["narrator", "Full Cast", "ok"],
  ["narrator", "(Full Cast)", "ok"],
  // titles: accepted
  ["title", "The Way of Kings", "ok"],
  ["title", "1984", "ok"],
  ["title", "11.22.63", "ok"],
  ["title", "11/22/63", "ok"],
  ["title", "2001", "ok"],
  ["title", "1776", "ok"],
  ["title", "1Q84", "ok"],
  ["title", "2312", "ok"],
  ["title", "Fahrenheit 451", "ok"],
  ["title", "Catch-22", "ok"],
  ["title", "The Fellowship of the Ring: Book 1", "ok"],
  ["title", "Opus", "ok"],
  ["title", "No Name", "ok"],
  ["title", "Presents of Mind", "ok"],
  // titles: rejected
  ["title", "42", "bare number"],
  ["title", "01", "bare number"],
  ["title", "2.5", "bare number"],
  ["title", "Tantor Audio presents The Hobbit", "publisher pollution"],
  ["title", "Blackstone Audio Presents: Dune", "publisher pollution"],
  ["title", "Track 05", "track or chapter marker"],
  ["title", "Chapter 3", "track or chapter marker"],
  ["title", "03 Chapter 3", "track or chapter marker"],
  ["title", "Unknown Title", "placeholder"],
  ["title", "Untitled", "placeholder"],
  ["title", "New Folder", "placeholder"],
  ["title", "Book 2", "series number"],
  ["title", "?!", "no letters or digits"],
  // series
  ["series", "The Stormlight Archive", "ok"],
  ["series", "Discworld", "ok"],
  ["series", "Standalone", "placeholder"],
  ["series", "Unknown Series", "placeholder"],
  ["series", "7", "bare number"],
  // series_num
  ["series_num", "1", "ok"],
  ["series_num", "2.5", "ok"],
  ["series_num", "Book 3", "ok"],
  ["series_num", "#4", "ok"],
  ["series_num", "Vol. 12", "ok"],
  ["series_num", "Part IV", "ok"],
  ["series_num", "Book One", "ok"],
  ["series_num", "abc", "not a series number"],
  // An omnibus ("Books 1-3", Audible and Audiobookshelf sequences) is a range of positions; a reversed or huge one is not.
  ["series_num", "1-3", "ok"],
  ["series_num", "Books 1-3", "ok"],
  ["series_num", "3-1", "not a series number"],
  ["series_num", "1-80", "not a series number"],
  ["series_num", "Book", "not a series number"],
  ["series_num", "123456", "not a series number"],
  // year
  ["year", "1999", "ok"],
  ["year", "2021-05-04", "ok"],
  ["year", "(1965)", "ok"],
  ["year", "©2004", "ok"],
  ["year", "99", "not a 4-digit year"],
  ["year", "0999", "not a 4-digit year"],
  ["year", "2101", "not a 4-digit year"],
  ["year", "circa", "not a 4-digit year"],
  ["year", "19999", "not a 4-digit year"],
  // language
  ["language", "English", "ok"],
  ["language", "en-US", "ok"],
  ["language", "und", "placeholder"],
  ["language", "XXX", "placeholder"], // ID3's unknown language in TLAN and COMM
  ["language", "Unknown", "placeholder"],
  ["language", "12", "bare number"],
  // edition / variant only refuse empty and placeholder values
  ["edition", "Unabridged", "ok"],
  ["edition", "  ", "empty"],
  ["variant", "Dramatized", "ok"],
  ["variant", "none", "placeholder"],
];

describe("checkClaim", () => {
  it.each(rows)("%s %j → %s", (field, raw, expected) => {
    const verdict = checkClaim(field, raw);
    if (expected === "ok") {
      expect(verdict).toEqual({ ok: true, value: cleanValue(raw) });
    } else {
      expect(verdict.ok).toBe(false);
      expect(verdict.ok === false && verdict.reason).toContain(expected);
    }
  });

  it("has at least 50 rows covering accepts and rejects", () => {
    expect(rows.filter((r) => r[2] === "ok").length).toBeGreaterThanOrEqual(25);
    expect(rows.filter((r) => r[2] !== "ok").length).toBeGreaterThanOrEqual(25);
  });
});

describe("cleanValue", () => {
  it.each([
    ["  The Hobbit  ", "The Hobbit"],
    ["The\u0000 Hob\u0007bit", "The Hobbit"],
    ["Line\nbreak\tand  tabs", "Line break and tabs"],
    ["\uFEFFBOM title", "BOM title"],
    ["lone \uD800surrogate", "lone surrogate"],
  ])("%j → %j", (raw, expected) => {
    expect(cleanValue(raw)).toBe(expected);
  });

  it("caps values at 500 characters without splitting a surrogate pair", () => {
    expect(cleanValue("a".repeat(2000))).toHaveLength(500);
    const emoji = "a" + "😀".repeat(300);
    const cleaned = cleanValue(emoji);
    expect(cleaned.length).toBeLessThanOrEqual(500);
    expect(cleaned.endsWith("😀")).toBe(true);
  });

  it("keeps an accepted oversized title as evidence, capped", () => {
    const verdict = checkClaim("title", "Long ".repeat(200));
    expect(verdict.ok).toBe(true);
    expect(verdict.value.length).toBeLessThanOrEqual(500);
  });
});

describe("normalizeKey groups equivalent spellings", () => {
  it.each<[FieldName, string, string]>([
    ["title", "The Hobbit", "the hobbit"],
    ["title", "THE  HOBBIT.", "the hobbit"],
    ["title", "Ｔｈｅ　Ｈｏｂｂｉｔ", "the hobbit"],
    ["title", "Ender’s Game", "enders game"],
    ["author", "Arturo Pérez-Reverte", "arturo perez reverte"],
    ["author", "J.R.R. Tolkien", "j r r tolkien"],
    ["author", "Tolkien, J.R.R.", "j r r tolkien"],
    ["narrator", "Brick, Scott", "scott brick"],
    ["author", "Le Guin, Ursula K.", "ursula k le guin"],
    ["author", "van der Berg, Anna", "anna van der berg"],
    // A list is its people in any order: one key for every spelling and order of the same people.
    ["author", "Douglas Preston, Lincoln Child", "douglas preston ; lincoln child"],
    ["author", "Lincoln Child & Douglas Preston", "douglas preston ; lincoln child"],
    ["author", "Child, Lincoln; Preston, Douglas", "douglas preston ; lincoln child"],
    ["author", "Douglas Preston and Lincoln Child", "douglas preston ; lincoln child"],
    ["author", "Douglas Preston with Lincoln Child", "douglas preston ; lincoln child"],
    ["narrator", "Alan Alda; Max Brooks", "alan alda ; max brooks"],
    ["narrator", "Max Brooks, Alan Alda", "alan alda ; max brooks"],
    // Not lists: one person (suffix, reversed name) keeps a single-person key.
    ["author", "Martin Luther King, Jr.", "martin luther king jr"],
    ["author", "King, Jr.", "king jr"],
    ["title", "Dune, Messiah", "dune messiah"],
    ["series_num", "01", "1"],
    ["series_num", "Book 2", "2"],
    ["series_num", "2.50", "2.5"],
    ["series_num", "Book #3", "3"],
    ["year", "1999-05-12", "1999"],
    ["language", "English", "en"],
    ["language", "eng", "en"],
    ["language", "en_GB", "en"],
    ["language", "Deutsch", "de"],
    ["language", "Klingon", "klingon"],
  ])("%s %j → %j", (field, value, key) => {
    expect(normalizeKey(field, value)).toBe(key);
  });
});

describe("junk around a real value is cut, not the value refused (issue 13)", () => {
  it.each<[FieldName, string, string]>([
    ["title", "The Hobbit 128kbps", "The Hobbit"],
    ["title", "Dune [64k]", "Dune"],
    ["title", "Dune (MP3)", "Dune"],
    ["title", "Some Title www.somesite.example", "Some Title"],
    ["title", "Watchers (Unabridged)", "Watchers"],
    ["series", "Mistborn [MP3]", "Mistborn"],
    ["author", "Dean Koontz www.somesite.example", "Dean Koontz"],
  ])("%s %j → %j", (field, raw, value) => {
    expect(checkClaim(field, raw)).toEqual({ ok: true, value });
  });

  it.each<[FieldName, string]>([
    ["title", "128kbps"],
    ["title", "www.somesite.com"],
    ["author", "www.x.com"],
  ])("%s %j with nothing left is still refused", (field, raw) => {
    expect(checkClaim(field, raw).ok).toBe(false);
  });
});

describe("credits with their roles in other languages, from every source", () => {
  it.each<[FieldName, string, string]>([
    // German, Polish and French shops credit writer, translator and reader in one value, as Audible does in English.
    ["author", "Umberto Eco (Autor), Burkhart Kroeber (Übersetzer)", "Umberto Eco"],
    ["narrator", "Rufus Beck (Sprecher)", "Rufus Beck"],
    ["author", "Olga Tokarczuk (Autor), Jerzy Trela (lektor)", "Olga Tokarczuk"],
    ["narrator", "Olga Tokarczuk (Autor), Jerzy Trela (lektor)", "Jerzy Trela"],
    ["author", "Albert Camus (auteur), Michel Bouquet (lecteur)", "Albert Camus"],
    // Negative row: the English credit line keeps its reading.
    ["author", "Frank Herbert (Author), Scott Brick (Narrator)", "Frank Herbert"],
  ])("%s %j → %j", (field, raw, value) => {
    expect(checkClaim(field, raw)).toEqual({ ok: true, value });
  });
});
