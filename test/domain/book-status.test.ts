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
    expect(decideStatus(resolveProfile(withTags))).toEqual({ status: "identified", reason: "path, embedded_tags agree on author and title" });
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
