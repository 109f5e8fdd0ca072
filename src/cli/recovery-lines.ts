/**
 * What the CLI says when opening the database settled moves a crash
 * interrupted: one line per move up to a few, then one line for the rest
 * (an apply of thousands of books killed midway would otherwise print
 * thousands of lines, and the one that matters, a move it could not settle,
 * would scroll away). Moves that could not be settled, and moves settled
 * with something left to say (a file left behind, a link not followed), are
 * always named.
 */
import { counted } from "../domain/plural.js";
import type { RecoveredMove } from "../organize/types.js";
import { recoveryNotice } from "./recovery-notice.js";

/** Moves named one per line before the rest are counted. */
export const NAMED_RECOVERIES = 10;

/** The lines to print (each ends with a line break, terminal-safe). */
export function recoveryLines(recovered: readonly RecoveredMove[]): string[] {
  const lines: string[] = [];
  const tally = { finished: 0, rolled_back: 0 };
  let named = 0;
  for (const r of recovered) {
    // A move settled with something left to say (a file left behind, a link not followed) is named like a failure.
    const plain = r.outcome !== "failed" && r.error === null;
    if (plain && named >= NAMED_RECOVERIES) {
      tally[r.outcome as "finished" | "rolled_back"]++;
      continue;
    }
    if (plain) named++;
    lines.push(recoveryNotice(r));
  }
  const rest = tally.finished + tally.rolled_back;
  if (rest > 0) {
    const parts = [tally.finished > 0 ? `${tally.finished} finished` : "", tally.rolled_back > 0 ? `${tally.rolled_back} rolled back` : ""].filter(Boolean);
    lines.push(`shelfwise: recovered ${counted(rest, "more interrupted move")} (${parts.join(", ")}); \`shelfwise history\` lists each\n`);
  }
  return lines;
}
