/**
 * The most common errors of a `process` run (domain/error-tally.ts), as its
 * summary and --json name them: a thousand books failing the same way, each
 * message naming its own file, must read as one error seen a thousand times,
 * not a thousand errors seen once.
 */
import { describe, expect, it } from "vitest";
import { ErrorTally } from "../../src/domain/error-tally.js";

describe("a run's most common errors", () => {
  it("count messages that differ only in the book's folder or a file in it as one, shown by the first", () => {
    const tally = new ErrorTally();
    for (let i = 0; i < 5; i++) tally.add(`cannot read tags of /lib/Author ${i}/Book: Part ${i}/0${i}.mp3: not a recognisable audio file`, `/lib/Author ${i}/Book: Part ${i}`);
    tally.add("cannot read tags of /lib/Other/One/01.mp3: permission denied", "/lib/Other/One");
    tally.add("getaddrinfo ENOTFOUND openlibrary.org", "/lib/Other/Two");
    tally.add("getaddrinfo ENOTFOUND openlibrary.org", "/lib/Other/Three");
    tally.add(null, "/lib/Other/Four");
    expect(tally.top(4)).toEqual([
      { error: "cannot read tags of /lib/Author 0/Book: Part 0/00.mp3: not a recognisable audio file", count: 5 },
      { error: "getaddrinfo ENOTFOUND openlibrary.org", count: 2 },
      { error: "cannot read tags of /lib/Other/One/01.mp3: permission denied", count: 1 },
      { error: "unknown error", count: 1 },
    ]);
  });

  it("keeps messages apart that differ in more than the book's path", () => {
    const tally = new ErrorTally();
    tally.add("cannot read tags of /lib/A/01.mp3: permission denied", "/lib/A");
    tally.add("cannot read tags of /lib/B/01.mp3: not a recognisable audio file", "/lib/B");
    expect(tally.top(3).map((g) => g.count)).toEqual([1, 1]);
  });
});
