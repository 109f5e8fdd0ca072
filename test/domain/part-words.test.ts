import { describe, expect, it } from "vitest";
import { DISC_WORDS, PIECE_FOLDER, PIECE_HINT, PIECE_ONLY, PIECE_WORDS, SIDE_WORDS } from "../../src/domain/part-words.js";

// The hint guards the longer patterns on hot paths (organize/scan-visible.ts, path analysis): a word it
// missed would make every name with that word silently pass as no piece.
describe("PIECE_HINT", () => {
  const words = [DISC_WORDS, PIECE_WORDS, SIDE_WORDS].flatMap((list) => list.split("|"));
  it.each(words)("%s", (word) => {
    const name = `${word} 1`;
    expect(PIECE_ONLY().test(name) && PIECE_FOLDER().test(name)).toBe(true);
    expect(PIECE_HINT.test(name)).toBe(true);
    expect(PIECE_HINT.test(name.toUpperCase())).toBe(true);
  });
});
