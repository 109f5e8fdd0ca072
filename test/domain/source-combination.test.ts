/**
 * How sources combine into the status a user sees: the same people written
 * differently agree, credits never become authors, an identified book's reason
 * only says "agree" of sources that do and names what they outvoted, and the
 * result is the same in whatever order the sources ran.
 */
import { describe, expect, it } from "vitest";
import { decideStatus } from "../../src/domain/book-status.js";
import type { Claim, FieldName } from "../../src/domain/fields.js";
import { emptyProfile, mergeSource, resolveProfile, type Profile } from "../../src/domain/profile.js";

type Source = [source: string, weight: number, claims: Partial<Record<FieldName, string>>];
interface Expect {
  author?: string;
  title?: string;
  subtitle?: string | null;
  series?: string | null;
  narrator?: string | null;
  status: "identified" | "needs_attention";
  /** Phrases the status_reason must hold. */
  says?: string[];
  /** Phrases it must not hold. */
  never?: string[];
  /** Fields every source agrees on: confidence 100, no competing value. */
  agreed?: FieldName[];
}

function profileOf(sources: readonly Source[]): Profile {
  let profile = emptyProfile();
  for (const [source, weight, claims] of sources) {
    profile = mergeSource(profile, source, weight, Object.entries(claims).map(([field, value]) => ({ field, value }) as Claim));
  }
  return profile;
}

function outcome(sources: readonly Source[]) {
  const resolved = resolveProfile(profileOf(sources));
  const decision = decideStatus(resolved);
  const values = Object.fromEntries(Object.entries(resolved.fields).map(([k, f]) => [k, f.value]));
  const confidences = Object.fromEntries(Object.entries(resolved.fields).map(([k, f]) => [k, f.confidence]));
  return { values, confidences, confidence: resolved.confidence, ...decision };
}

function permutations<T>(list: readonly T[]): T[][] {
  if (list.length <= 1) return [[...list]];
  return list.flatMap((item, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const TAGS = "embedded_tags";
const SIDE = "sidecar";

// [name, sources, expected]
const ROWS: [string, Source[], Expect][] = [
  // The same people in another order or spelling are one value.
  ["co-authors in another order agree", [[TAGS, 80, { author: "Terry Pratchett & Neil Gaiman", title: "Good Omens" }], [SIDE, 75, { author: "Neil Gaiman & Terry Pratchett", title: "Good Omens" }]], { author: "Terry Pratchett & Neil Gaiman", status: "identified", says: ["embedded_tags, sidecar agree on author and title"], never: ["conflict"], agreed: ["author"] }],
  ["\"A; B\" against \"B, A\" in Last, First form", [[TAGS, 80, { author: "Terry Pratchett; Neil Gaiman", title: "Good Omens" }], [SIDE, 75, { author: "Gaiman, Neil; Pratchett, Terry", title: "Good Omens" }]], { author: "Terry Pratchett & Neil Gaiman", status: "identified", never: ["conflict"] }],
  ["\"A with B\" is the list \"A & B\"", [[TAGS, 80, { author: "Dean Koontz with Kevin J. Anderson", title: "Frankenstein" }], [SIDE, 75, { author: "Kevin J. Anderson & Dean Koontz", title: "Frankenstein" }]], { author: "Dean Koontz & Kevin J. Anderson", status: "identified", never: ["conflict"] }],
  ["\"A and B\" against \"A & B\"", [[TAGS, 80, { author: "Douglas Preston and Lincoln Child", title: "Relic" }], [SIDE, 75, { author: "Lincoln Child & Douglas Preston", title: "Relic" }]], { status: "identified", never: ["conflict"] }],
  ["narrators in another order and separator agree", [[TAGS, 80, { author: "Max Brooks", title: "World War Z", narrator: "Max Brooks; Alan Alda; Mark Hamill" }], [SIDE, 75, { author: "Max Brooks", title: "World War Z", narrator: "Mark Hamill, Alan Alda & Max Brooks" }]], { narrator: "Max Brooks; Alan Alda; Mark Hamill", status: "identified", agreed: ["narrator"] }],
  // Credits: the role goes; people who did not write the book are no author.
  ["\"(Author)\" is a role, not a name", [[TAGS, 80, { author: "Frank Herbert (Author)", title: "Dune" }], [SIDE, 75, { author: "Frank Herbert", title: "Dune" }]], { author: "Frank Herbert", status: "identified", never: ["conflict"] }],
  ["a narrator credited in the artist is no author", [[TAGS, 80, { author: "Frank Herbert (Author), Scott Brick (Narrator)", title: "Dune" }]], { author: "Frank Herbert", status: "identified" }],
  ["\"Last, First (Author)\" stays one person", [[TAGS, 80, { author: "Tolkien, J.R.R. (Author)", title: "The Hobbit" }], [SIDE, 75, { author: "J.R.R. Tolkien", title: "The Hobbit" }]], { author: "J.R.R. Tolkien", status: "identified", never: ["conflict"] }],
  ["\"translated by\" drops the translator", [[TAGS, 80, { author: "Leo Tolstoy, translated by Richard Pevear", title: "War and Peace" }], [SIDE, 75, { author: "Leo Tolstoy", title: "War and Peace" }]], { author: "Leo Tolstoy", status: "identified", never: ["conflict"] }],
  ["\"with a foreword by\" drops the foreword", [[TAGS, 80, { author: "Arthur Conan Doyle with a foreword by Stephen Fry", title: "Sherlock Holmes" }]], { author: "Arthur Conan Doyle", status: "identified" }],
  ["an anthology's editor is its author, without the role", [[TAGS, 80, { author: "edited by Heidi Pitlor", title: "The Best American Short Stories" }]], { author: "Heidi Pitlor", status: "identified" }],
  ["\"Narrator Name (Narrator)\" in a narrator tag keeps the name", [[TAGS, 80, { author: "Frank Herbert", title: "Dune", narrator: "Scott Brick (Narrator)" }], [SIDE, 75, { author: "Frank Herbert", title: "Dune", narrator: "Scott Brick" }]], { narrator: "Scott Brick", status: "identified" }],
  // The series Audible appends to a title is neither title nor subtitle.
  ["\"Title: Series, Book 3\" has no subtitle", [[TAGS, 80, { author: "Brandon Sanderson", title: "The Hero of Ages: Mistborn, Book 3" }], [SIDE, 75, { author: "Brandon Sanderson", title: "The Hero of Ages" }]], { title: "The Hero of Ages", subtitle: null, status: "identified", never: ["conflict"] }],
  ["a real subtitle is kept", [[TAGS, 80, { author: "Yuval Noah Harari", title: "Sapiens: A Brief History of Humankind" }]], { title: "Sapiens", subtitle: "A Brief History of Humankind", status: "identified" }],
  // "Series: Title" from a source naming no series, while another names that series: the title after the colon, agreed.
  ["\"Mistborn: The Final Empire\" beside the series Mistborn", [["path", 40, { author: "Brandon Sanderson", series: "Mistborn", title: "The Final Empire" }], [TAGS, 80, { author: "Brandon Sanderson", title: "Mistborn: The Final Empire" }]], { title: "The Final Empire", subtitle: null, status: "identified", says: ["embedded_tags, path agree on author and title"], never: ["conflict", "outvoted"] }],
  // A folder named for the words before the colon, a book's own title after it: the folder shelved the book by its series.
  ["\"Mistborn: The Final Empire\" in a folder \"Mistborn\" is the series' book", [["path", 40, { author: "Brandon Sanderson", title: "Mistborn" }], [TAGS, 80, { author: "Brandon Sanderson", title: "Mistborn: The Final Empire" }]], { title: "The Final Empire", subtitle: null, series: "Mistborn", status: "identified", never: ["conflict", "outvoted"] }],
  ["\"Mistborn: The Final Empire\" from tags and a sidecar, \"Mistborn\" from the folder", [["path", 40, { author: "Brandon Sanderson", title: "Mistborn" }], [TAGS, 80, { author: "Brandon Sanderson", title: "Mistborn: The Final Empire" }], [SIDE, 75, { author: "Brandon Sanderson", title: "Mistborn: The Final Empire" }]], { title: "The Final Empire", subtitle: null, series: "Mistborn", status: "identified", agreed: ["title"] }],
  ["\"Star Wars: Thrawn\" in a folder \"Star Wars\"", [["path", 40, { author: "Timothy Zahn", title: "Star Wars" }], [TAGS, 80, { author: "Timothy Zahn", title: "Star Wars: Thrawn" }]], { title: "Thrawn", series: "Star Wars", status: "identified" }],
  // Two people's names read in the wrong order by the path cross the tags' claims exactly: they agree once swapped.
  ["a crossed biography agrees with the tags", [["path", 40, { author: "Leonardo da Vinci", title: "Walter Isaacson" }], [TAGS, 80, { author: "Walter Isaacson", title: "Leonardo da Vinci" }]], { author: "Walter Isaacson", title: "Leonardo da Vinci", status: "identified", agreed: ["author", "title"], never: ["outvoted", "conflict"] }],
  ["a crossed biography agrees with a sidecar", [[SIDE, 75, { author: "Walter Isaacson", title: "Steve Jobs" }], ["path", 40, { author: "Steve Jobs", title: "Walter Isaacson" }]], { author: "Walter Isaacson", title: "Steve Jobs", status: "identified", agreed: ["author", "title"] }],
  // Negative rows: a description after the colon is a subtitle; a person before it is the subject; a series named elsewhere.
  ["\"Sapiens: A Brief History of Humankind\" keeps its subtitle", [["path", 40, { author: "Yuval Noah Harari", title: "Sapiens" }], [TAGS, 80, { author: "Yuval Noah Harari", title: "Sapiens: A Brief History of Humankind" }]], { title: "Sapiens", subtitle: "A Brief History of Humankind", series: null, status: "identified" }],
  ["\"Grit: The Power of Passion and Perseverance\" keeps its subtitle", [["path", 40, { author: "Angela Duckworth", title: "Grit" }], [TAGS, 80, { author: "Angela Duckworth", title: "Grit: The Power of Passion and Perseverance" }]], { title: "Grit", subtitle: "The Power of Passion and Perseverance", series: null, status: "identified" }],
  ["\"Steve Jobs: The Exclusive Biography\" keeps its subtitle", [["path", 40, { author: "Walter Isaacson", title: "Steve Jobs" }], [TAGS, 80, { author: "Walter Isaacson", title: "Steve Jobs: The Exclusive Biography" }]], { title: "Steve Jobs", subtitle: "The Exclusive Biography", series: null, status: "identified" }],
  ["\"Mistborn: The Final Empire\" alone keeps its subtitle", [[TAGS, 80, { author: "Brandon Sanderson", title: "Mistborn: The Final Empire" }], [SIDE, 75, { author: "Brandon Sanderson", title: "Mistborn: The Final Empire" }]], { title: "Mistborn", subtitle: "The Final Empire", series: null, status: "identified" }],
  // "agree" only of sources that do; outvoted values are named.
  ["tags outvote a lone folder name on the title: said, not hidden", [["path", 40, { author: "Brandon Sanderson", title: "The Final Empire" }], [TAGS, 80, { author: "Brandon Sanderson", title: "Mistborn" }]], { title: "Mistborn", status: "identified", says: ["embedded_tags, path agree on the author", "embedded_tags alone on the title", 'outvoted: title "The Final Empire" (path)'], never: ["agree on author and title"] }],
  ["sidecar and path outvote the tags' title", [["path", 40, { author: "Brandon Sanderson", title: "The Final Empire" }], [TAGS, 80, { author: "Brandon Sanderson", title: "Mistborn" }], [SIDE, 75, { author: "Brandon Sanderson", title: "The Final Empire" }]], { title: "The Final Empire", status: "identified", says: ["sidecar, path agree on the title", 'title "Mistborn" (embedded_tags)'], never: ["agree on author and title"] }],
  ["all agree: nothing outvoted", [["path", 40, { author: "Brandon Sanderson", title: "The Final Empire" }], [TAGS, 80, { author: "Brandon Sanderson", title: "The Final Empire" }], [SIDE, 75, { author: "Brandon Sanderson", title: "The Final Empire" }]], { status: "identified", says: ["embedded_tags, sidecar, path agree on author and title"], never: ["outvoted"] }],
  // Conflicts name the value shown first, whatever order the sources ran in.
  ["an exact tie is a conflict named the same way every time", [["plugin:a", 60, { author: "Ann Leckie", title: "Ancillary Justice" }], ["plugin:b", 60, { author: "Ann Leckie", title: "Ancillary Sword" }]], { title: "Ancillary Justice", status: "needs_attention", says: ['title conflict: "Ancillary Justice" (plugin:a) against "Ancillary Sword" (plugin:b)'] }],
  // Negative rows: what must stay a conflict or stay apart.
  // "(A Jack Reacher Novel)" closing a tag's title is its subtitle, as after a colon; one person however spelled.
  ["\"Title (A Jack Reacher Novel)\" is title and subtitle", [[TAGS, 80, { author: "Lee Child", title: "Killing Floor (A Jack Reacher Novel)" }], ["path", 40, { author: "Lee Child", title: "Killing Floor" }]], { title: "Killing Floor", subtitle: "A Jack Reacher Novel", status: "identified", never: ["conflict", "outvoted"] }],
  ["\"J.R.R.Tolkien\" is shown as people are", [[TAGS, 80, { author: "J.R.R.Tolkien", title: "The Hobbit" }], [SIDE, 75, { author: "J.R.R. Tolkien", title: "The Hobbit" }]], { author: "J.R.R. Tolkien", status: "identified", agreed: ["author"] }],
  ["a surname in capitals", [[TAGS, 80, { author: "Victor HUGO", title: "Les Misérables" }], [SIDE, 75, { author: "HUGO, Victor", title: "Les Misérables" }]], { author: "Victor Hugo", status: "identified", agreed: ["author"] }],
  // A folder naming the tags' writer and a co-writer says more: the tags count for the pair.
  ["a folder naming both writers outweighs tags naming the first", [["path", 55, { author: "Stephen King & Peter Straub", title: "The Talisman" }], [TAGS, 80, { author: "Stephen King", title: "The Talisman" }]], { author: "Stephen King & Peter Straub", status: "identified", never: ["conflict", "outvoted"] }],
  ["a folder's list in reversed form, tags naming the second", [["path", 55, { author: "Preston, Douglas & Child, Lincoln", title: "Relic" }], [TAGS, 80, { author: "Lincoln Child", title: "Relic" }], [SIDE, 75, { author: "Lincoln Child", title: "Relic" }]], { author: "Douglas Preston & Lincoln Child", status: "identified", never: ["conflict"] }],
  // Negative rows: a folder naming someone else, or only one writer, folds nothing; the user's value is never folded.
  ["a folder's pair without the tags' writer is a different value", [["path", 55, { author: "Stephen King & Peter Straub", title: "The Talisman" }], [TAGS, 80, { author: "Owen King", title: "The Talisman" }]], { author: "Owen King", status: "identified", says: ["outvoted: author \"Stephen King & Peter Straub\" (path)"] }],
  ["tags naming both beside a folder naming one: the tags' list", [["path", 55, { author: "Stephen King", title: "The Talisman" }], [TAGS, 80, { author: "Stephen King & Peter Straub", title: "The Talisman" }]], { author: "Stephen King & Peter Straub", status: "identified", says: ["outvoted: author \"Stephen King\" (path)"] }],
  ["one author is not the pair: still a conflict", [[TAGS, 80, { author: "Terry Pratchett", title: "Good Omens" }], [SIDE, 75, { author: "Terry Pratchett & Neil Gaiman", title: "Good Omens" }]], { status: "needs_attention", says: ["author conflict"] }],
  ["different co-authors are a conflict", [[TAGS, 80, { author: "Douglas Preston & Lincoln Child", title: "Relic" }], [SIDE, 75, { author: "Douglas Preston & Mario Spezi", title: "Relic" }]], { status: "needs_attention", says: ["author conflict"] }],
  ["\"by\" inside a name that is no credit is left alone", [[TAGS, 80, { author: "Ben Aaronovitch", title: "Rivers of London" }]], { author: "Ben Aaronovitch", status: "identified" }],
];

describe("sources combine into one honest status", () => {
  it.each(ROWS)("%s", (_name, sources, want) => {
    const got = outcome(sources);
    for (const field of ["author", "title", "subtitle", "series", "narrator"] as const) {
      if (want[field] !== undefined) expect(got.values[field], field).toBe(want[field]);
    }
    expect(got.status, got.reason ?? "").toBe(want.status);
    for (const field of want.agreed ?? []) expect(got.confidences[field], field).toBe(100);
    for (const phrase of want.says ?? []) expect(got.reason).toContain(phrase);
    for (const phrase of want.never ?? []) expect(got.reason ?? "").not.toContain(phrase);
  });

  it.each(ROWS)("%s: the same in every source order", (_name, sources) => {
    const first = outcome(sources);
    for (const order of permutations(sources)) expect(outcome(order)).toEqual(first);
  });
});
