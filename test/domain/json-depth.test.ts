import { describe, expect, it } from "vitest";
import { jsonNestedDeeperThan, MAX_JSON_DEPTH } from "../../src/domain/json-depth.js";

const nested = (levels: number, inner = "1") => "[".repeat(levels) + inner + "]".repeat(levels);

describe("jsonNestedDeeperThan", () => {
  it("allows 64 levels of arrays and objects and refuses 65", () => {
    expect(jsonNestedDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestedDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonNestedDeeperThan('{"a":'.repeat(65) + "1" + "}".repeat(65), MAX_JSON_DEPTH)).toBe(true);
  });

  it("counts depth, not the number of brackets: many shallow siblings pass", () => {
    expect(jsonNestedDeeperThan(`[${Array(10_000).fill("[[1]]").join(",")}]`, MAX_JSON_DEPTH)).toBe(false);
  });

  it("does not count brackets inside strings, and an escaped quote does not end a string", () => {
    const text = JSON.stringify({ title: "[".repeat(100), quote: `say "${"{".repeat(100)}"`, slash: "\\", after: "[".repeat(100) });
    expect(jsonNestedDeeperThan(text, MAX_JSON_DEPTH)).toBe(false);
    // Past an escaped backslash the quote does end the string: the brackets after it count.
    expect(jsonNestedDeeperThan(`["\\\\", ${nested(70)}]`, MAX_JSON_DEPTH)).toBe(true);
  });
});
