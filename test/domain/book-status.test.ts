import { describe, expect, it } from "vitest";
import { decideStatus, type StatusInput } from "../../src/domain/book-status.js";
import { emptyProfile, mergeSource, resolveProfile } from "../../src/domain/profile.js";

function input(author: string | null, title: string | null, confidence: number, flags: string[] = []): StatusInput {
  return { fields: { author: { value: author }, title: { value: title } }, confidence, flags };
}

describe("decideStatus", () => {
  // [name, input, threshold (undefined = default 60), status, reason]
  it.each<[string, StatusInput, number | undefined, string, string | null]>([
    ["known and confident", input("A", "T", 95), undefined, "identified", null],
    ["exactly at the default threshold", input("A", "T", 60), undefined, "identified", null],
    ["just below the default threshold", input("A", "T", 59), undefined, "needs_attention", "confidence 59 below threshold 60"],
    ["low confidence", input("A", "T", 42), undefined, "needs_attention", "confidence 42 below threshold 60"],
    ["custom threshold met", input("A", "T", 42), 40, "identified", null],
    ["custom threshold missed", input("A", "T", 85), 90, "needs_attention", "confidence 85 below threshold 90"],
    ["threshold 0 still needs author", input(null, "T", 0), 0, "needs_attention", "no author"],
    ["no author", input(null, "T", 95), undefined, "needs_attention", "no author"],
    ["no title", input("A", null, 95), undefined, "needs_attention", "no title"],
    ["nothing known", input(null, null, 0), undefined, "needs_attention", "no author; no title; confidence 0 below threshold 60"],
    ["blocking flag", input("A", "T", 95, ["author_equals_series"]), undefined, "needs_attention", "author equals series"],
    ["unknown flags do not block", input("A", "T", 95, ["reviewed", "constructor"]), undefined, "identified", null],
    ["fractional confidence", input("A", "T", 59.5), undefined, "needs_attention", "confidence 59.5 below threshold 60"],
  ])("%s", (_name, resolved, threshold, status, reason) => {
    expect(decideStatus(resolved, threshold)).toEqual({ status, reason });
  });

  it.each([-1, 101, Number.NaN])("refuses threshold %d", (threshold) => {
    expect(() => decideStatus(input("A", "T", 90), threshold)).toThrow(/threshold/);
  });

  it("works on a resolved profile", () => {
    const pathOnly = mergeSource(emptyProfile(), "path", 40, [
      { field: "author", value: "Frank Herbert" },
      { field: "title", value: "Dune" },
    ]);
    expect(decideStatus(resolveProfile(pathOnly))).toEqual({
      status: "needs_attention",
      reason: "confidence 40 below threshold 60 (only a single weak source, path: confirm author and title, or add tags or a sidecar)",
    });
    const withTags = mergeSource(pathOnly, "embedded_tags", 80, [
      { field: "author", value: "Frank Herbert" },
      { field: "title", value: "Dune" },
    ]);
    expect(decideStatus(resolveProfile(withTags))).toEqual({ status: "identified", reason: "embedded_tags, path agree on author and title" });
  });

  it("the user's author and title are final: no conflict, junk or look-again reason sends the user back to set them", () => {
    const tagged = mergeSource(emptyProfile(), "embedded_tags", 80, [
      { field: "author", value: "Narrator Person" },
      { field: "title", value: "Dune 01 [Unabridged]" },
    ]);
    const corrected = mergeSource(tagged, "user", 100, [
      { field: "author", value: "Frank Herbert" },
      { field: "title", value: "Dune [Unabridged]" },
    ]);
    const decided = decideStatus(resolveProfile(corrected));
    expect(decided.status).toBe("identified");
    // Without the user's word the same evidence still needs a look.
    const fromTags = { value: "Dune [Unabridged]", sources: ["embedded_tags"] };
    expect(decideStatus({ fields: { author: { value: "Frank Herbert" }, title: fromTags }, confidence: 90, flags: [] }).status).toBe("needs_attention");
  });

  it("a series read as the author needs attention even when confident", () => {
    const profile = mergeSource(emptyProfile(), "embedded_tags", 80, [
      { field: "author", value: "Discworld" },
      { field: "series", value: "Discworld" },
      { field: "title", value: "Mort" },
    ]);
    expect(decideStatus(resolveProfile(profile))).toEqual({
      status: "needs_attention",
      reason: "author equals series",
    });
  });
});

describe("needs_attention names the doubtful field and what to do; identified says why", () => {
  type C = { source: string; weight: number; author?: string; title?: string; basis?: string };
  const profileOf = (claims: C[]) =>
    claims.reduce(
      (p, c) =>
        mergeSource(p, c.source, c.weight, [
          ...(c.author ? [{ field: "author" as const, value: c.author, basis: c.basis }] : []),
          ...(c.title ? [{ field: "title" as const, value: c.title, basis: c.basis }] : []),
        ]),
      emptyProfile(),
    );
  // [name, claims, status, every phrase the reason must hold]
  it.each<[string, C[], string, string[]]>([
    ["structured path alone is enough", [{ source: "path", weight: 75, author: "Dean Koontz", title: "Watchers", basis: "holding 4 books" }], "identified", ["author and title from path: holding 4 books"]],
    ["tags and path agree", [{ source: "path", weight: 40, author: "Dean Koontz", title: "Watchers" }, { source: "embedded_tags", weight: 80, author: "Dean Koontz", title: "Watchers" }], "identified", ["embedded_tags, path agree"]],
    ["tags alone", [{ source: "embedded_tags", weight: 80, author: "Dean Koontz", title: "Watchers" }], "identified", ["from embedded_tags"]],
    ["a lone folder name is a single weak source", [{ source: "path", weight: 40, author: "Dean Koontz", title: "Watchers" }], "needs_attention", ["single weak source, path", "confirm author and title"]],
    ["close conflict on the author", [{ source: "path", weight: 75, author: "Dean Koontz", title: "Watchers" }, { source: "embedded_tags", weight: 80, author: "Stephen King", title: "Watchers" }], "needs_attention", ["author conflict", '"Stephen King" (embedded_tags) against "Dean Koontz" (path)', "book --set author="]],
    ["close conflict on the title", [{ source: "sidecar", weight: 75, author: "Dean Koontz", title: "Watchers" }, { source: "embedded_tags", weight: 80, author: "Dean Koontz", title: "Lightning" }], "needs_attention", ["title conflict", "confirm the title"]],
    ["junk left in the title", [{ source: "embedded_tags", weight: 80, author: "Dean Koontz", title: "Watchers [Retail Rip]" }], "needs_attention", ["junk left in the title", "book --set title="]],
    ["author that reads as a title, from the path only", [{ source: "path", weight: 75, author: "The Complete Collection", title: "Emma" }], "needs_attention", ['author "The Complete Collection" looks like a title']],
    // Negative rows: what must not block.
    // Its two claims cross theirs exactly: read the other way round, the path agrees (profile.ts, uncrossed).
    ["a weak path crossing tags and a sidecar is no conflict", [{ source: "path", weight: 40, author: "Watchers", title: "Dean Koontz" }, { source: "embedded_tags", weight: 80, author: "Dean Koontz", title: "Watchers" }, { source: "sidecar", weight: 75, author: "Dean Koontz", title: "Watchers" }], "identified", ["embedded_tags, sidecar, path agree"]],
    ["a weak path outvoted by tags and a sidecar is no conflict", [{ source: "path", weight: 40, author: "Watchers", title: "Dean R. Koontz" }, { source: "embedded_tags", weight: 80, author: "Dean Koontz", title: "Watchers" }, { source: "sidecar", weight: 75, author: "Dean Koontz", title: "Watchers" }], "identified", ["embedded_tags, sidecar agree"]],
    ["a corporate author from tags is not flagged as a title", [{ source: "embedded_tags", weight: 80, author: "BBC Radio", title: "The Archers" }], "identified", ["from embedded_tags"]],
    ["brackets inside a real title are no junk when tags say so", [{ source: "embedded_tags", weight: 80, author: "Andy Weir", title: "The Martian" }], "identified", ["from embedded_tags"]],
  ])("%s", (_name, claims, status, phrases) => {
    const decision = decideStatus(resolveProfile(profileOf(claims)));
    expect(decision.status).toBe(status);
    for (const phrase of phrases) expect(decision.reason).toContain(phrase);
  });

  it("the threshold stays configurable", () => {
    const profile = profileOf([{ source: "path", weight: 75, author: "Dean Koontz", title: "Watchers" }]);
    expect(decideStatus(resolveProfile(profile), 80).status).toBe("needs_attention");
    expect(decideStatus(resolveProfile(profile), 70).status).toBe("identified");
  });
});
