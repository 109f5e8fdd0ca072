/** Every printed count gets its noun from one helper: never "1 errors" or "2 book". */
import { describe, expect, it } from "vitest";
import { counted, noun } from "../../src/domain/plural.js";

describe("counted", () => {
  it.each([
    [0, "error", undefined, "0 errors"],
    [1, "error", undefined, "1 error"],
    [2, "error", undefined, "2 errors"],
    [1, "folder or file", "folders or files", "1 folder or file"],
    [3, "folder or file", "folders or files", "3 folders or files"],
  ])("%i %s", (n, singular, plural, text) => {
    expect(counted(n, singular, plural)).toBe(text);
  });

  it("a verb or phrase agrees the same way", () => {
    expect(noun(1, "was", "were")).toBe("was");
    expect(noun(4, "was", "were")).toBe("were");
  });
});
