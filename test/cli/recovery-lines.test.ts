/**
 * What the CLI prints after recovery: a move settled with something left to
 * say (a link recovery did not follow, a leftover it could not remove) shows
 * those words, and is named even past the lines that name plain moves.
 */
import { describe, expect, it } from "vitest";
import { NAMED_RECOVERIES, recoveryLines } from "../../src/cli/recovery-lines.js";
import type { RecoveredMove } from "../../src/organize/types.js";

const plain = (i: number): RecoveredMove => ({ move_id: i, book_id: i, kind: "apply", outcome: "finished", path: `/lib/B${i}`, error: null });

describe("recovery lines", () => {
  it("a settled move's words are shown, and never counted away", () => {
    const moves = Array.from({ length: NAMED_RECOVERIES + 5 }, (_, i) => plain(i + 1));
    moves.push({ move_id: 99, book_id: 99, kind: "apply", outcome: "rolled_back", path: "/lib/old", error: "/lib/new is a symbolic link now; the book stays at /lib/old" });
    const lines = recoveryLines(moves);
    expect(lines).toContain("shelfwise: recovered an interrupted move (journal 99): rolled back: book #99 is at /lib/old; /lib/new is a symbolic link now; the book stays at /lib/old\n");
    expect(lines.at(-1)).toBe("shelfwise: recovered 5 more interrupted moves (5 finished); `shelfwise history` lists each\n");
    expect(lines).toHaveLength(NAMED_RECOVERIES + 2);
  });
});
