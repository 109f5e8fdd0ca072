/** The line every command prints when opening the database settled a move a crash interrupted. */
import type { RecoveredMove } from "../organize/types.js";
import { terminalSafe } from "./output.js";

/** One stderr line; the book's path and the error are outside text, shown safely. */
export function recoveryNotice(r: RecoveredMove): string {
  // A settled move may still carry words the user must read: what was left behind, and where (a link recovery did
  // not follow, a leftover it could not remove).
  const note = r.error ? `; ${terminalSafe(r.error)}` : "";
  const what =
    r.outcome === "finished"
      ? `finished: book #${r.book_id} is at ${terminalSafe(r.path)}${note}`
      : r.outcome === "rolled_back"
        ? `rolled back: book #${r.book_id} is at ${terminalSafe(r.path)}${note}`
        : `could not settle book #${r.book_id}: ${terminalSafe(r.error)}`;
  return `shelfwise: recovered an interrupted ${r.kind === "undo" ? "undo" : "move"} (journal ${r.move_id}): ${what}\n`;
}
