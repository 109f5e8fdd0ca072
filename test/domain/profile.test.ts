import { describe, expect, it } from "vitest";
import { agreementBonus, fieldConfidence, overallConfidence } from "../../src/domain/confidence.js";
import { FIELD_NAMES, LIST_MAY_NAME_READER, type Claim, type FieldName } from "../../src/domain/fields.js";
import {
  AUTHOR_EQUALS_SERIES,
  ProfileParseError,
  emptyProfile,
  mergeSource,
  parseProfile,
  resolveProfile,
  serializeProfile,
  type Profile,
} from "../../src/domain/profile.js";

type SourceRun = [source: string, weight: number, claims: Claim[]];

function build(runs: SourceRun[], start: Profile = emptyProfile()): Profile {
  return runs.reduce((p, [source, weight, claims]) => mergeSource(p, source, weight, claims), start);
}

const author = (value: string): Claim => ({ field: "author", value });
const title = (value: string): Claim => ({ field: "title", value });
const series = (value: string): Claim => ({ field: "series", value });

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("fieldConfidence", () => {
  // [summed weight of winner, agreeing sources, conflicting values, expected]
  it.each([
    [40, 1, 0, 40],
    [80, 1, 0, 80],
    [85, 2, 0, 95],
    [120, 2, 0, 100],
    [60, 3, 0, 80],
    [60, 4, 0, 85],
    [75, 5, 0, 100],
    [40, 1, 1, 25],
    [85, 2, 1, 80],
    [100, 1, 3, 55],
    [10, 1, 2, 0],
    [0, 1, 0, 0],
    [62.5, 1, 0, 63],
  ])("weight %d, %d sources, %d conflicts → %d", (weight, sources, conflicts, expected) => {
    expect(fieldConfidence(weight, sources, conflicts)).toBe(expected);
  });

  it.each([
    [1, 0],
    [2, 10],
    [3, 20],
    [4, 25],
    [9, 25],
  ])("agreement bonus for %d sources is %d", (sources, bonus) => {
    expect(agreementBonus(sources)).toBe(bonus);
  });
});

describe("overallConfidence", () => {
  const field = (confidence: number) => ({ value: "x", confidence });
  const none = { value: null, confidence: 0 };
  const fields = (set: Partial<Record<FieldName, number>>) =>
    Object.fromEntries(FIELD_NAMES.map((f) => [f, set[f] === undefined ? none : field(set[f]!)])) as Record<
      FieldName,
      { value: string | null; confidence: number }
    >;

  it.each<[Partial<Record<FieldName, number>>, number]>([
    [{}, 0],
    [{ author: 40, title: 40 }, 40],
    [{ author: 95, title: 95 }, 95],
    [{ author: 100, title: 100, narrator: 25 }, 85],
    [{ author: 80, title: 60, series: 40, series_num: 40, year: 80 }, 65],
    [{ author: 100, title: 0 }, 50],
    // The mean (70, 69) never lifts the author: a book is filed under its writer. A title is no such limit.
    [{ author: 40, title: 100 }, 40],
    [{ author: 55, title: 100, narrator: 80 }, 55],
    [{ author: 100, title: 55 }, 78],
    [{ author: 100, title: 90, narrator: 25 }, 81],
    // A missing author or title counts at 0, and a book without an author is at most its author's 0: side fields,
    // however sure (a user's series_num at 100), never make a book that lacks what it is filed under look certain.
    [{ title: 100, narrator: 80 }, 0],
    [{ edition: 90, variant: 10 }, 0],
    [{ series_num: 100 }, 0],
    [{ author: 100, series_num: 100 }, 54],
    [{ author: 100, series: 100, series_num: 100, narrator: 100 }, 67],
  ])("%j → %d", (set, expected) => {
    expect(overallConfidence(fields(set))).toBe(expected);
  });
});

describe("resolveProfile", () => {
  // [sources, field, expected value, expected confidence, expected agreeing sources]
  const cases: [string, SourceRun[], FieldName, string | null, number, string[]][] = [
    ["one path claim", [["path", 40, [author("Brandon Sanderson")]]], "author", "Brandon Sanderson", 40, ["path"]],
    [
      "two sources agree despite spelling",
      [
        ["path", 40, [author("brandon sanderson")]],
        ["openlibrary", 45, [author("Brandon  Sanderson.")]],
      ],
      "author",
      "Brandon Sanderson.",
      95,
      ["path", "openlibrary"],
    ],
    [
      "a conflict costs 15",
      [
        ["path", 40, [author("Sanderson Brandon")]],
        ["embedded_tags", 80, [author("Brandon Sanderson")]],
      ],
      "author",
      "Brandon Sanderson",
      65,
      ["embedded_tags"],
    ],
    [
      "best weighted raw form is displayed",
      [
        ["path", 40, [title("the way of kings")]],
        ["embedded_tags", 80, [title("The Way of Kings")]],
        ["plugin:x", 60, [title("Way of Kings")]],
      ],
      "title",
      "The Way of Kings",
      95,
      ["path", "embedded_tags"],
    ],
    [
      "four weak sources agree",
      [
        ["a", 10, [title("Dune")]],
        ["b", 10, [title("DUNE")]],
        ["c", 10, [title("dune")]],
        ["d", 10, [title("Dune!")]],
      ],
      "title",
      "Dune",
      65,
      ["a", "b", "c", "d"],
    ],
    [
      "three weak sources agree",
      [
        ["a", 10, [title("Dune")]],
        ["b", 10, [title("Dune")]],
        ["c", 10, [title("Dune")]],
      ],
      "title",
      "Dune",
      50,
      ["a", "b", "c"],
    ],
    [
      "three-way conflict",
      [
        ["a", 40, [title("X")]],
        ["b", 30, [title("Y")]],
        ["c", 20, [title("Z")]],
      ],
      "title",
      "X",
      10,
      ["a"],
    ],
    [
      "series number shown in canonical form",
      [
        ["path", 40, [{ field: "series_num", value: "Book 02" }]],
        ["embedded_tags", 80, [{ field: "series_num", value: "2" }]],
      ],
      "series_num",
      "2",
      100,
      ["path", "embedded_tags"],
    ],
    [
      "language names and codes agree",
      [
        ["embedded_tags", 80, [{ field: "language", value: "eng" }]],
        ["openlibrary", 45, [{ field: "language", value: "English" }]],
      ],
      "language",
      "en",
      100,
      ["embedded_tags", "openlibrary"],
    ],
    ["garbage never becomes evidence", [["path", 40, [author("Unknown Author")]]], "author", null, 0, []],
    ["no evidence", [], "narrator", null, 0, []],
  ];

  it.each(cases)("%s", (_name, runs, field, value, confidence, sources) => {
    const resolved = resolveProfile(build(runs)).fields[field];
    expect(resolved.value).toBe(value);
    expect(resolved.confidence).toBe(confidence);
    expect(resolved.sources).toEqual(sources);
  });

  it("computes the book's confidence from its fields", () => {
    const resolved = resolveProfile(
      build([
        ["path", 40, [author("Frank Herbert"), title("Dune")]],
        ["embedded_tags", 80, [author("Frank Herbert"), title("Dune"), { field: "narrator", value: "Scott Brick" }]],
      ]),
    );
    // author 100, title 100, narrator 80 → (3000 + 3000 + 1200) / 75
    expect(resolved.confidence).toBe(96);
    expect(resolved.flags).toEqual([]);
  });

  it("does not depend on the order sources ran in", () => {
    const runs: SourceRun[] = [
      ["a", 40, [title("Alpha"), author("Same Weight One")]],
      ["b", 40, [title("Beta"), author("Same Weight Two")]],
      ["c", 45, [{ field: "year", value: "2001" }]],
    ];
    const forward = resolveProfile(build(runs));
    const backward = resolveProfile(build([...runs].reverse()));
    for (const field of FIELD_NAMES) {
      expect(backward.fields[field].value).toBe(forward.fields[field].value);
      expect(backward.fields[field].confidence).toBe(forward.fields[field].confidence);
    }
  });
});

describe("author equals series", () => {
  it("takes the next best author and flags the book", () => {
    const resolved = resolveProfile(
      build([
        ["path", 40, [author("Terry Pratchett")]],
        ["embedded_tags", 80, [author("Discworld"), series("DISCWORLD")]],
      ]),
    );
    expect(resolved.fields.author.value).toBe("Terry Pratchett");
    expect(resolved.fields.author.confidence).toBe(25);
    expect(resolved.flags).toEqual([AUTHOR_EQUALS_SERIES]);
  });

  it("keeps the only author but still flags the book", () => {
    const resolved = resolveProfile(
      build([
        ["path", 40, [author("The Expanse")]],
        ["embedded_tags", 80, [series("The Expanse")]],
      ]),
    );
    expect(resolved.fields.author.value).toBe("The Expanse");
    expect(resolved.flags).toEqual([AUTHOR_EQUALS_SERIES]);
  });

  it("clears once a stronger source names the real author", () => {
    const resolved = resolveProfile(
      build([
        ["path", 40, [author("The Expanse")]],
        ["embedded_tags", 80, [series("The Expanse")]],
        ["user", 100, [author("James S. A. Corey")]],
      ]),
    );
    expect(resolved.fields.author.value).toBe("James S. A. Corey");
    expect(resolved.flags).toEqual([]);
  });
});

describe("an artist of two names that may name the reader", () => {
  const list = (value: string): Claim => ({ field: "author", value, basis: LIST_MAY_NAME_READER });
  it.each<[name: string, runs: SourceRun[], want: string]>([
    ["another source names the first alone: the writer", [["path", 40, [author("Andy Weir")]], ["embedded_tags", 80, [list("Andy Weir, Ray Porter")]]], "Andy Weir"],
    ["the same with the sources run the other way", [["embedded_tags", 80, [list("Andy Weir, Ray Porter")]], ["path", 40, [author("Andy Weir")]]], "Andy Weir"],
    // Negative rows: nothing else names anyone, another source names both, or the list is no doubtful one.
    ["alone: the list", [["embedded_tags", 80, [list("Terry Pratchett, Neil Gaiman")]]], "Terry Pratchett & Neil Gaiman"],
    ["another source names both: the list", [["path", 40, [author("Terry Pratchett & Neil Gaiman")]], ["embedded_tags", 80, [list("Terry Pratchett, Neil Gaiman")]]], "Terry Pratchett & Neil Gaiman"],
    ["a list with no doubt: the list", [["path", 40, [author("Terry Pratchett")]], ["embedded_tags", 80, [author("Terry Pratchett, Neil Gaiman")]]], "Terry Pratchett & Neil Gaiman"],
    ["another source names the second alone: the list", [["path", 40, [author("Ray Porter")]], ["embedded_tags", 80, [list("Andy Weir, Ray Porter")]]], "Andy Weir & Ray Porter"],
  ])("%s", (_name, runs, want) => {
    const resolved = resolveProfile(build(runs));
    expect(resolved.fields.author.value).toBe(want);
  });

  it("counts both sources for the writer", () => {
    const resolved = resolveProfile(build([["path", 40, [author("Andy Weir")]], ["embedded_tags", 80, [list("Andy Weir, Ray Porter")]]]));
    expect(resolved.fields.author.sources.sort()).toEqual(["embedded_tags", "path"]);
    expect(resolved.fields.author.confidence).toBe(100);
  });
});

describe("mergeSource", () => {
  const runs: SourceRun[] = [
    ["path", 40, [author("Frank Herbert"), title("Dune"), author("Unknown")]],
    ["embedded_tags", 80, [title("Dune"), { field: "year", value: "1965" }]],
  ];

  it("is idempotent when a source is re-run", () => {
    const once = build(runs);
    const twice = mergeSource(once, "path", 40, runs[0][2]);
    expect(twice).toEqual(once);
    expect(resolveProfile(twice)).toEqual(resolveProfile(once));
  });

  it("replaces all of a source's earlier evidence and rejections", () => {
    const first = build(runs);
    const rerun = mergeSource(first, "path", 40, [title("Dune Messiah")]);
    expect(rerun.evidence.author).toEqual([]);
    expect(rerun.evidence.title).toEqual([
      { source: "path", value: "Dune Messiah", weight: 40 },
      { source: "embedded_tags", value: "Dune", weight: 80 },
    ]);
    expect(rerun.rejected).toEqual([]);
    expect(mergeSource(rerun, "path", 40, []).evidence.title).toEqual([
      { source: "embedded_tags", value: "Dune", weight: 80 },
    ]);
  });

  it("keeps rejected values with source, field, value and reason", () => {
    const p = build([["path", 40, [author("  Various Artists "), title("Track 05")]]]);
    expect(p.rejected).toEqual([
      { source: "path", field: "author", value: "Various Artists", reason: "placeholder, not a value" },
      { source: "path", field: "title", value: "Track 05", reason: "track or chapter marker, not a title" },
    ]);
  });

  it("counts a value repeated by one source once", () => {
    const p = build([["path", 40, [author("Frank Herbert"), author("frank herbert")]]]);
    expect(p.evidence.author).toHaveLength(1);
    expect(resolveProfile(p).fields.author.confidence).toBe(40);
  });

  it("never mutates the profile it was given", () => {
    const frozen = deepFreeze(build(runs));
    const before = serializeProfile(frozen);
    const next = mergeSource(frozen, "plugin:x", 60, [author("Brian Herbert"), title("1")]);
    expect(serializeProfile(frozen)).toBe(before);
    expect(next.evidence.author).toHaveLength(2);
  });

  it("accepts numeric values and records values that are not text", () => {
    const claims = [
      { field: "series_num", value: 3 },
      { field: "title", value: null },
      { field: "author", value: { name: "Herbert" } },
      { field: "year", value: 10n },
    ] as unknown as Claim[];
    const p = mergeSource(emptyProfile(), "plugin:x", 60, claims);
    expect(p.evidence.series_num).toEqual([{ source: "plugin:x", value: "3", weight: 60 }]);
    expect(p.rejected).toEqual([
      { source: "plugin:x", field: "title", value: "null", reason: "value is not text" },
      { source: "plugin:x", field: "author", value: '{"name":"Herbert"}', reason: "value is not text" },
      { source: "plugin:x", field: "year", value: "[object BigInt]", reason: "value is not text" },
    ]);
  });

  it.each([
    ["unknown field", "plugin:x", 60, [{ field: "publisher", value: "Tor" }], /unknown field "publisher"/],
    ["negative weight", "plugin:x", -1, [], /0\.\.100/],
    ["NaN weight", "plugin:x", Number.NaN, [], /0\.\.100/],
    ["weight over 100", "plugin:x", 101, [], /0\.\.100/],
    ["empty source", "", 40, [], /non-empty/],
  ])("refuses %s", (_name, source, weight, claims, message) => {
    expect(() => mergeSource(emptyProfile(), source, weight, claims as Claim[])).toThrow(message);
  });
});

describe("serialization", () => {
  const profile = build([
    ["path", 40, [author("Cixin Liu"), title("三体"), series("Remembrance of Earth's Past"), author("1999")]],
    ["embedded_tags", 80, [author("刘慈欣"), title("The Three-Body Problem"), { field: "series_num", value: "01" }]],
    ["plugin:goodreads", 62.5, [author("Cixin Liu"), { field: "narrator", value: "Luke Daniels" }]],
  ]);

  it("round-trips every piece of evidence and every rejection", () => {
    const json = serializeProfile(profile);
    const loaded = parseProfile(json);
    expect(loaded).toEqual(profile);
    expect(resolveProfile(loaded)).toEqual(resolveProfile(profile));
    expect(serializeProfile(loaded)).toBe(json);
    expect(JSON.parse(json).version).toBe(1);
    expect(loaded.rejected).toHaveLength(1);
  });

  it("weighs a later source against all evidence saved earlier", () => {
    const saved = serializeProfile(
      build([
        ["path", 40, [author("Cixin Liu")]],
        ["embedded_tags", 80, [author("Liu Cixin")]],
      ]),
    );
    expect(resolveProfile(parseProfile(saved)).fields.author.value).toBe("Liu Cixin");
    const later = mergeSource(parseProfile(saved), "openlibrary", 45, [author("Cixin Liu")]);
    const resolved = resolveProfile(later).fields.author;
    expect(resolved.value).toBe("Cixin Liu");
    expect(resolved.confidence).toBe(80); // 85 + 10 - 15
  });

  it.each(["{}", "", "  ", '{"version":1}'])("reads %j as an empty profile", (json) => {
    expect(parseProfile(json)).toEqual(emptyProfile());
  });

  it.each([
    ["not json{", /not valid JSON/],
    ["[]", /must be a JSON object/],
    ["null", /must be a JSON object/],
    ['{"version":2,"evidence":{}}', /unsupported profile version 2/],
    ['{"evidence":{}}', /unsupported profile version undefined/],
    ['{"version":1,"evidence":[]}', /evidence must be an object/],
    ['{"version":1,"evidence":{"autor":[]}}', /unknown field "autor"/],
    ['{"version":1,"evidence":{"author":{}}}', /evidence\.author must be an array/],
    ['{"version":1,"evidence":{"author":[{"source":"path","value":1,"weight":40}]}}', /author\[0\]\.value must be a string/],
    ['{"version":1,"evidence":{"author":[{"source":"path","value":"A","weight":"40"}]}}', /author\[0\]\.weight/],
    ['{"version":1,"evidence":{"author":[{"source":"path","value":"A","weight":400}]}}', /author\[0\]\.weight/],
    ['{"version":1,"evidence":{"title":[{"value":"A","weight":40}]}}', /title\[0\]\.source must be a string/],
    ['{"version":1,"rejected":[{"source":"p","field":"isbn","value":"x","reason":"r"}]}', /rejected\[0\]\.field/],
    ['{"version":1,"rejected":{}}', /rejected must be an array/],
    ['{"version":1,"winner":"A"}', /unknown key "winner"/],
  ])("rejects corrupt profile %s", (json, message) => {
    expect(() => parseProfile(json)).toThrow(ProfileParseError);
    expect(() => parseProfile(json)).toThrow(message);
  });
});

describe("speed", () => {
  it("merges and resolves small profiles quickly", () => {
    const claims: Claim[] = [author("Frank Herbert"), title("Dune"), { field: "series_num", value: "Book 1" }];
    const tagClaims: Claim[] = [author("Frank Herbert"), title("Dune"), { field: "year", value: "1965" }];
    const rounds = 20_000;
    // CPU time, not wall time: on a machine busy with other test files the wall clock measures the scheduler.
    const start = process.cpuUsage();
    for (let i = 0; i < rounds; i++) {
      const p = mergeSource(mergeSource(emptyProfile(), "path", 40, claims), "embedded_tags", 80, tagClaims);
      resolveProfile(p);
    }
    const used = process.cpuUsage(start);
    const perSecond = (rounds * 2) / ((used.user + used.system) / 1e6);
    // Target is 100k/s; the bound is loose so a slow test machine does not flake.
    expect(perSecond).toBeGreaterThan(10_000);
  });
});
