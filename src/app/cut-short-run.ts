/**
 * The words for an apply or undo cut short (store/cut-short-batches.ts): what it had done, what recovery did with
 * the moves it was making, and that nothing was lost, for `status`, `history` and the web app alike.
 */
import { counted } from "../domain/plural.js";
import { shownTime } from "../domain/time-text.js";
import type { CutShortRunView } from "./views/library-status.js";

// Plain text, no values but counts and ids: a page's words are made from it by the general rewrite (forPages).
const SETTLED = "nothing is lost: every book it touched is whole at its old place or its new one; `shelfwise history` lists each move";
const unsettled = (what: string) => `recovery could not settle ${what}: nothing was removed; \`shelfwise history\` says where each is and what to do`;

const books = (ids: number[], total: number) => `${total === 1 ? "book" : "books"} ${ids.map((id) => `#${id}`).join(", ")}${total > ids.length ? ", …" : ""}`;

export function cutShortRunWords(run: CutShortRunView): string {
  const of = run.planned === null ? "" : ` of ${run.planned}`;
  const head = `the ${run.kind} of ${shownTime(run.started_at)} was cut short (its process was killed or the computer stopped) after ${run.settled_before}${of} ${run.planned === 1 && run.settled_before <= 1 ? "move" : "moves"}`;
  const did = [
    run.finished_by_recovery > 0 ? `finished ${counted(run.finished_by_recovery, "move")} it was making (${books(run.finished_book_ids, run.finished_by_recovery)}, at ${run.finished_by_recovery === 1 ? "its" : "their"} new place)` : "",
    run.rolled_back_by_recovery > 0 ? `rolled back ${counted(run.rolled_back_by_recovery, "move")} (${books(run.rolled_back_book_ids, run.rolled_back_by_recovery)}, at ${run.rolled_back_by_recovery === 1 ? "its" : "their"} old place)` : "",
  ].filter(Boolean);
  const recovery = did.length > 0 ? `; recovery ${did.join(" and ")}` : "; no move was under way";
  const left = run.unsettled_by_recovery > 0 ? unsettled(`${counted(run.unsettled_by_recovery, "move")} (${books(run.unsettled_book_ids, run.unsettled_by_recovery)})`) : SETTLED;
  // What was not reached is still to do: an apply's books are proposed again, an undo's moves are still undoable.
  const rest = run.kind === "apply" ? "; `shelfwise plan` shows the moves still to make" : "; `shelfwise undo` again moves the rest back";
  return `${head}${recovery}; ${left}${rest}`;
}
