/** The line every command prints when opening the database settled a move a crash interrupted. */
import type { RecoveredMove } from "../organize/types.js";
import { terminalSafe } from "./output.js";

/** One stderr line; the book's path and the error are outside text, shown safely. */
export function recoveryNotice(r: RecoveredMove): string {
  const what =
    r.outcome === "finished"
      ? `finished: book #${r.book_id} is at ${terminalSafe(r.path)}`
      : r.outcome === "rolled_back"
        ? `rolled back: book #${r.book_id} is at ${terminalSafe(r.path)}`
        : `could not settle book #${r.book_id}: ${terminalSafe(r.error)}`;
  return `shelfwise: recovered an interrupted ${r.kind === "undo" ? "undo" : "move"} (journal ${r.move_id}): ${what}\n`;
}
