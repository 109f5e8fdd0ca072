/**
 * Conventional layouts are evidence: the path layer's weight for a book grows
 * with an author folder that reads as a person, holds several books, sits among
 * other author folders, and a series folder of numbered books.
 */
import { describe, expect, it } from "vitest";
import { analyzePath } from "../../src/domain/path-analysis.js";
import { pathEvidence, summarizeFolder, type FolderSummary } from "../../src/domain/path-structure.js";
import { decideStatus } from "../../src/domain/book-status.js";
import { emptyProfile, mergeSource, resolveProfile } from "../../src/domain/profile.js";

const AUTHORS = ["Dean Koontz", "Stephen King", "Jane Austen", "Terry Pratchett", "Ursula K. Le Guin", "Frank Herbert"];

/** A library given as folder path → entry names; the summary of each folder the rule asks for. */
function library(tree: Record<string, string[]>): (book: string) => { segments: string[]; folder: (d: number) => FolderSummary | undefined } {
  return (book) => {
    const segments = book.split("/");
    return {
      segments,
      folder: (depth) => {
        const key = segments.slice(0, depth).join("/");
        const names = tree[key];
        return names === undefined ? undefined : summarizeFolder(names);
      },
    };
  };
}

const clean = library({
  "": [...AUTHORS, "Incoming"],
  "Dean Koontz": ["Watchers", "Intensity", "Odd Thomas", "Lightning"],
  "Stephen King": ["The Dark Tower", "Misery"],
  "Stephen King/The Dark Tower": ["01 - The Gunslinger", "02 - The Drawing of the Three", "03 - The Waste Lands"],
  "Jane Austen": ["Emma"],
  Incoming: ["Dean Koontz - Watchers [64k]", "Watchers - Dean Koontz", "Some Title"],
});

const flat = library({
  "": ["Dean Koontz - Watchers", "Stephen King - Misery", "Jane Austen - Emma", "Frank Herbert - Dune", "Notes"],
});

const characters = library({
  "": ["Jack Reacher", "Harry Bosch", "Lee Child", "Dean Koontz", "Michael Connelly"],
  "Jack Reacher": ["01 - Killing Floor", "02 - Die Trying", "03 - Tripwire"],
  "Harry Bosch": ["01 - The Black Echo", "02 - The Black Ice", "03 - The Concrete Blonde"],
  "Lee Child": ["01 - Killing Floor", "02 - Die Trying"],
  "Dean Koontz": ["Watchers", "Intensity", "01 - Odd Thomas"],
  "Michael Connelly": ["Harry Bosch", "The Lincoln Lawyer"],
  "Michael Connelly/Harry Bosch": ["01 - The Black Echo", "02 - The Black Ice"],
});

const unstructured = library({
  "": ["Watchers", "Misery", "Emma", "Dean Koontz"],
  "Dean Koontz": ["Watchers"],
});

function weigh(layout: ReturnType<typeof library>, book: string) {
  const { segments, folder } = layout(book);
  return pathEvidence(segments, analyzePath(book), folder);
}

describe("path evidence from the structure", () => {
  // [library, book, minimum weight, maximum weight, a basis phrase (or null: none)]
  it.each<[string, ReturnType<typeof library>, string, number, number, string | null]>([
    ["author folder with several books among author folders", clean, "Dean Koontz/Watchers", 75, 75, "holding 4 books"],
    ["numbered series folder", clean, "Stephen King/The Dark Tower/02 - The Drawing of the Three", 75, 75, "numbered books in the series folder"],
    ["a single book in an author folder of a consistent library", clean, "Jane Austen/Emma", 60, 70, "sibling folders are authors"],
    ["genre folder above the author", library({ "": ["Fantasy", "Horror", ...AUTHORS], Fantasy: ["Brandon Sanderson"], "Fantasy/Brandon Sanderson": ["Elantris", "Warbreaker"] }), "Fantasy/Brandon Sanderson/Elantris", 65, 75, "library folders are authors"],
    ["flat Author - Title library", flat, "Dean Koontz - Watchers", 60, 60, "sibling names are \"Author - Title\""],
    // A published library's "Author - Series" folders of numbered books (daneroo/plex-audiobook).
    ["\"Author - Series\" folder of numbered books", library({ "": ["Lee Child - Jack Reacher", "Steven Brust - Vlad Taltos", "Dan Simmons - Hyperion"], "Lee Child - Jack Reacher": ["01 Killing Floor", "14 61 Hours", "12.5 Guy Walks into a Bar"] }), "Lee Child - Jack Reacher/14 61 Hours", 65, 75, "folder named for author and series, holding 3 books, 3 numbered books in the series folder"],
    // A person-named folder holding numbered books with no writer folder above: "Jack Reacher/01 - Killing Floor" and
    // "Lee Child/01 - Killing Floor" look the same, so the folder is only a guess at the writer (base weight).
    // A series hero's folder (hero-names.ts) over numbered books reads as their series (ascan50), so no writer is weighed.
    ["a character's folder of numbered books", characters, "Jack Reacher/01 - Killing Floor", 40, 40, null],
    ["a detective's folder of numbered books", characters, "Harry Bosch/02 - The Black Ice", 40, 40, null],
    ["a writer's folder of numbered books is the same guess", characters, "Lee Child/02 - Die Trying", 40, 40, null],
    ["a numbered book file directly in a person-named folder", library({ "": ["Jack Reacher", "Dean Koontz"], "Jack Reacher": ["01 - Killing Floor.m4b", "02 - Die Trying.m4b"] }), "Jack Reacher/01 - Killing Floor.m4b", 40, 40, null],
    // Negative rows: unnumbered books in an author folder, a writer folder above a numbered series folder.
    ["a title opening with a year-sized number is no position", library({ "": ["Arthur C. Clarke", "Dean Koontz", "Jane Austen"], "Arthur C. Clarke": ["2001 - A Space Odyssey", "2010 - Odyssey Two"] }), "Arthur C. Clarke/2001 - A Space Odyssey", 70, 75, "holding 2 books"],
    ["unnumbered books beside a numbered one", characters, "Dean Koontz/Watchers", 70, 75, "holding 3 books"],
    ["a series folder of numbered books under its writer", characters, "Michael Connelly/Harry Bosch/02 - The Black Ice", 70, 75, "numbered books in the series folder"],
    // Negative rows: names that need cleaning, swaps, no person, no consistent structure.
    ["\"Author - Title\" folder with parts is no series folder", library({ "": ["Dean Koontz - Watchers"], "Dean Koontz - Watchers": ["Part 1", "Part 2"] }), "Dean Koontz - Watchers/Part 1", 40, 60, null],
    ["junk in the name costs trust", clean, "Incoming/Dean Koontz - Watchers [64k]", 40, 50, null],
    ["Title - Author in a download folder", clean, "Incoming/Watchers - Dean Koontz", 40, 55, null],
    ["no author at all", clean, "Incoming/Some Title", 40, 40, null],
    ["a lone author folder among titles", unstructured, "Dean Koontz/Watchers", 40, 59, null],
    ["an author that reads as a title", library({ "": ["Star Wars", "Misery"], "Star Wars": ["Thrawn", "Heir to the Empire"] }), "Star Wars/Thrawn", 40, 40, null],
    ["person - person is a guess, whatever the folder", library({ "": ["Steve Jobs - Walter Isaacson", "Dean Koontz - Watchers", "Jane Austen - Emma"] }), "Steve Jobs - Walter Isaacson", 40, 40, null],
    ["unreadable folders give only the base weight", library({}), "Gone Girl/Gillian Flynn", 40, 50, null],
  ])("%s", (_name, layout, book, min, max, basis) => {
    const evidence = weigh(layout, book);
    expect(evidence.weight).toBeGreaterThanOrEqual(min);
    expect(evidence.weight).toBeLessThanOrEqual(max);
    if (basis !== null) expect(evidence.basis.join(", ")).toContain(basis);
  });

  it("the weight makes a clean layout identified, and says why", () => {
    const { segments, folder } = clean("Dean Koontz/Watchers");
    const hints = analyzePath("Dean Koontz/Watchers");
    const evidence = pathEvidence(segments, hints, folder);
    const basis = evidence.basis.join(", ");
    const profile = mergeSource(emptyProfile(), "path", 40, [
      { field: "author", value: hints.author!, weight: evidence.weight, basis },
      { field: "title", value: hints.title!, weight: evidence.weight, basis },
    ]);
    const decision = decideStatus(resolveProfile(profile));
    expect(decision.status).toBe("identified");
    expect(decision.reason).toBe("author and title from path: person-named author folder, holding 4 books, 6/6 sibling folders are authors, clean name");
  });
});
