/**
 * `book ID --json` explains every field: the sources behind the winner, the
 * weights summed, what was outvoted, the path's basis, and that the user's
 * own value always wins.
 */
import { describe, expect, it } from "vitest";
import { BookDetailView, bookDetailView } from "../../src/app/views/book-detail.js";
import type { Claim, FieldName } from "../../src/domain/fields.js";
import { emptyProfile, mergeSource, serializeProfile } from "../../src/domain/profile.js";
import type { BookRow } from "../../src/store/books.js";

type Source = [source: string, weight: number, claims: (Claim & { basis?: string })[]];

function detail(sources: Source[]): BookDetailView {
  let profile = emptyProfile();
  for (const [source, weight, claims] of sources) profile = mergeSource(profile, source, weight, claims);
  const row: BookRow = {
    id: 1, path: "/lib/A/B", kind: "folder", library_root: "/lib", status: "identified", status_reason: null,
    author: null, title: null, narrator: null, series: null, series_num: null, year: null, language: null,
    confidence: 0, profile: serializeProfile(profile), proposed_path: null, fingerprint: "x", files: "[]", sidecars: "[]",
    tags: null, locked: 0, row_version: 1, created_at: "", updated_at: "", scanned_at: "",
  };
  return BookDetailView.parse(bookDetailView(row, []));
}

const c = (field: FieldName, value: string, basis?: string): Claim => (basis === undefined ? { field, value } : { field, value, basis });

// [name, sources, field, value, sources behind it, phrases `why` holds]
const ROWS: [string, Source[], FieldName, string | null, string[], string[]][] = [
  ["one source", [["embedded_tags", 80, [c("title", "Dune")]]], "title", "Dune", ["embedded_tags"], ["embedded_tags alone (weight 80)"]],
  ["two sources agree", [["embedded_tags", 80, [c("title", "Dune")]], ["sidecar", 75, [c("title", "Dune")]]], "title", "Dune", ["embedded_tags", "sidecar"], ["embedded_tags, sidecar agree (weight 80 + 75 = 155, +10 for 2 sources)"]],
  ["a value outvoted", [["embedded_tags", 80, [c("title", "Mistborn")]], ["path", 40, [c("title", "The Final Empire")]]], "title", "Mistborn", ["embedded_tags"], ['outvoted "The Final Empire" (path, 40): -15']],
  ["co-authors spelled two ways are one value", [["embedded_tags", 80, [c("author", "Terry Pratchett; Neil Gaiman")]], ["sidecar", 75, [c("author", "Neil Gaiman & Terry Pratchett")]]], "author", "Terry Pratchett & Neil Gaiman", ["embedded_tags", "sidecar"], ["agree"]],
  ["the user's value wins against everyone", [["embedded_tags", 80, [c("title", "Dune")]], ["sidecar", 75, [c("title", "Dune")]], ["user", 100, [c("title", "Dune Messiah")]]], "title", "Dune Messiah", ["user"], ["your value", "always wins"]],
  ["the author list follows the author", [["path", 40, [c("author", "Dean Koontz")]]], "authors", "Dean Koontz", ["path"], ["the winning author's names"]],
  ["a series read as the author: the runner-up is shown, and why", [["path", 75, [c("author", "Discworld"), c("series", "Discworld")]], ["sidecar", 70, [c("author", "Terry Pratchett")]]], "author", "Terry Pratchett", ["sidecar"], ["equals the series"]],
];

describe("book --json explains every field", () => {
  it.each(ROWS)("%s", (_name, sources, field, value, behind, phrases) => {
    const f = detail(sources).profile[field];
    expect(f.value).toBe(value);
    expect(f.sources).toEqual(behind);
    for (const phrase of phrases) expect(f.why).toContain(phrase);
  });

  it("a field nobody claimed has no explanation", () => {
    const f = detail([["embedded_tags", 80, [c("title", "Dune")]]]).profile.narrator;
    expect(f).toEqual({ value: null, confidence: 0, sources: [], why: null, evidence: [] });
  });

  it("evidence keeps the source's basis", () => {
    const f = detail([["path", 75, [c("author", "Dean Koontz", "person-named author folder, holding 4 books")]]]).profile.author;
    expect(f.evidence).toEqual([{ source: "path", value: "Dean Koontz", weight: 75, basis: "person-named author folder, holding 4 books" }]);
  });
});
