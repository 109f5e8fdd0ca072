/**
 * What the CLI says when opening the database settled moves a crash
 * interrupted: one line per move up to a few, then one line for the rest
 * (an apply of thousands of books killed midway would otherwise print
 * thousands of lines, and the one that matters, a move it could not settle,
 * would scroll away). Moves that could not be settled are always named.
 */
import type { RecoveredMove } from "../organize/types.js";

/** Moves named one per line before the rest are counted. */
export const NAMED_RECOVERIES = 10;

export function recoveryLines(recovered: readonly RecoveredMove[]): string[] {
  const lines: string[] = [];
  const counted = { finished: 0, rolled_back: 0 };
  let named = 0;
  for (const r of recovered) {
    if (r.outcome !== "failed" && named >= NAMED_RECOVERIES) {
      counted[r.outcome]++;
      continue;
    }
    if (r.outcome !== "failed") named++;
    const what =
      r.outcome === "finished" ? `finished: book #${r.book_id} is at ${r.path}` : r.outcome === "rolled_back" ? `rolled back: book #${r.book_id} is at ${r.path}` : `could not settle book #${r.book_id}: ${r.error}`;
    lines.push(`recovered an interrupted ${r.kind === "undo" ? "undo" : "move"} (journal ${r.move_id}): ${what}`);
  }
  const rest = counted.finished + counted.rolled_back;
  if (rest > 0) {
    const parts = [counted.finished > 0 ? `${counted.finished} finished` : "", counted.rolled_back > 0 ? `${counted.rolled_back} rolled back` : ""].filter(Boolean);
    lines.push(`recovered ${rest} more interrupted move${rest === 1 ? "" : "s"} (${parts.join(", ")}); \`shelfwise history\` lists each`);
  }
  return lines;
}
