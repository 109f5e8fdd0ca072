/**
 * "Did you mean" (src/domain/closest-name.ts): the known name a typo meant, and none for a word that is not
 * close, however long: a 100 KB word typed where a field or status goes (`--set <100 KB>=x`) is refused at
 * once, not after comparing it letter by letter with every known name.
 */
import { describe, expect, it } from "vitest";
import { closestName, didYouMean } from "../../src/domain/closest-name.js";

const FIELDS = ["author", "title", "series", "series_num", "narrator", "year", "language", "edition", "isbn", "asin", "publisher", "genre", "description", "subtitle", "cover"];

describe("did you mean", () => {
  it("names the known name a typo meant (a swap, a letter missing or added, any case), nothing for another word", () => {
    expect(didYouMean("titel", FIELDS)).toBe(' (did you mean "title"?)');
    expect(closestName("Narator", FIELDS)).toBe("narrator");
    expect(closestName("seriess", FIELDS)).toBe("series");
    expect(closestName("colour", FIELDS)).toBeNull();
    expect(didYouMean("title", FIELDS)).toBe("");
    // Up to 3 edits for a long name: 3 letters added are still the name meant, 4 are another word.
    expect(closestName("languages!!", FIELDS)).toBe("language");
    expect(closestName("descriptionxxxx", FIELDS)).toBeNull();
  });

  it("answers at once for a word far longer than any known name (a speed bound, on CPU time, with a wide margin)", () => {
    const huge = "a".repeat(200_000);
    const cpu = process.cpuUsage();
    expect(didYouMean(huge, FIELDS)).toBe("");
    expect(closestName(`${huge}title`, FIELDS)).toBeNull();
    const used = process.cpuUsage(cpu);
    // Compared with each name it took ~0.2 s of CPU per name here (15 names: ~3 s); skipped, well under 1 ms.
    expect((used.user + used.system) / 1000).toBeLessThan(500);
  });
});
