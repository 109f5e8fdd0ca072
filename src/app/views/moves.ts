/** `apply --json`, `undo --json`, `history --json`: what moved, what did not and why, and the journal. */
import { z } from "zod";
import type { ApplyReport, HistoryEntry, UndoReport } from "../../organize/types.js";
import { LockedLeftOutView, PlanEntryView } from "./plan.js";
import { viewDoc } from "./view.js";

export const MoveResultView = z.object({
  move_id: z.number().int().nullable().describe("journal id (for `undo`); null in a dry run"),
  book_id: z.number().int(),
  from: z.string().describe("the book's path before"),
  to: z.string().describe("the book's path after (a single-file book: its new folder)"),
  method: z.enum(["rename", "link", "copy"]).nullable().describe("`rename`; `link` (a single file: link, then unlink); `copy` (across file systems: copy, fsync, verify size and SHA-256, then delete); null when not moved"),
  error: z
    .string()
    .nullable()
    .describe(
      "why it did not move, in words that say what to fix and name the path (`permission denied: this user may not write in …/library; give it write access there …; the book stays at …`; a read-only file system, a full disk, a name too long: never the bare errno line); the book is still at `from`; null when it moved",
    ),
  left_behind: z
    .string()
    .nullable()
    .describe(
      "a move that happened (a copy across file systems) but left files at the old place: ones the system refused to remove (an immutable file, a read-only folder or mount inside the book) or written to during the copy, each named with why (`moved to …/Frank Herbert/Dune, but 1 file stayed at the old place: …/inbox/Dune/extras/notes.txt (permission denied); the book is whole at …`); the book is whole at `to`; `history` keeps these words as the move's `error`; null otherwise",
    ),
  companions: z
    .array(z.string())
    .describe("a single audio file's companions (names of the files beside it with its stem: cover, OPF, cue sheet…) that move with it, from beside `from` into `to`; `[]` for a folder book"),
});

export const RecoveredMoveView = z
  .object({
    move_id: z.number().int(),
    book_id: z.number().int(),
    kind: z.enum(["apply", "undo"]),
    outcome: z.enum(["finished", "rolled_back", "failed"]).describe("`finished`: at its new place; `rolled_back`: at its old place"),
    path: z.string().describe("where the book is now"),
    error: z.string().nullable(),
  })
  .describe("A move a crash interrupted, settled before this command did anything else");

export const ApplyReportView = z
  .object({
    dry_run: z.boolean().describe("true: nothing was changed, `moved` lists what would move"),
    batch_id: z.number().int().nullable().describe("journal batch of this apply; null when nothing moved"),
    moved: z.array(MoveResultView),
    failed: z.array(MoveResultView).describe("moves tried that did not happen, and books apply refused before moving any (`move_id` null: files changed since the last scan; a state of the disk the user must fix there, such as a folder this user may not write in, a read-only mount or a sticky folder, is held instead: `held`, `permission_denied` or `read_only`, exit 0); a dry run lists what apply would refuse, the books whose copy to another disk would not fit in its free space (counted in apply's order, file sizes rounded to its blocks: an estimate, the copy itself decides), and, writing no probe, the folder books bound for a FUSE driver known to lose renamed folders' contents (`fuse.fusefat` mounted read-write, judged from /proc/self/mountinfo: apply's probe refuses them); exit code 1 when not empty, except in a dry run"),
    held: z.array(PlanEntryView).describe("proposals held back by a conflict (see `plan`)"),
    ok: z.number().int().describe("books already at their proposed place"),
    locked: LockedLeftOutView.describe("locked books the plan left out, as `plan --json` reports them (counted with the plan, before the first move, under the same data-folder lock: an apply locks no book); with book ids given, `{count: 0, book_ids: []}` (a given locked book is in `held` as `locked`)"),
    recovered: z.array(RecoveredMoveView),
  })
  .describe("What an apply did (or would do)");
export type ApplyReportView = z.infer<typeof ApplyReportView>;

export const UndoReportView = z
  .object({
    dry_run: z.boolean().describe("true (`--dry-run`): nothing was changed, no lock taken, nothing recovered; `moved` lists what would move back (`move_id` null), `settled` and `set_aside` what would be journaled (`undo_id` null), `refused` what would be refused"),
    batch_id: z.number().int().nullable().describe("the undo's batch; null when nothing was journaled (and in a dry run)"),
    moved: z.array(MoveResultView).describe("books moved back (and locked against re-proposal)"),
    failed: z.array(MoveResultView),
    refused: z
      .array(z.object({ move_id: z.number().int(), book_id: z.number().int().nullable(), reason: z.string() }))
      .describe("moves not undone, with the reason (old place taken, files changed, already undone, ...); exit code 1 when not empty"),
    settled: z
      .array(z.object({ move_id: z.number().int(), book_id: z.number().int(), undo_id: z.number().int().nullable().describe("null in a dry run"), note: z.string() }))
      .describe("applied moves whose book was found back at its old place (moved back by hand, then scanned): journaled as undone by the undo `undo_id` (nothing moved; the book is locked as after an undo), so no later undo reports them again; not an error"),
    set_aside: z
      .array(z.object({ move_id: z.number().int(), book_id: z.number().int(), undo_id: z.number().int().nullable().describe("null in a dry run"), reason: z.string() }))
      .describe(
        "`--last N` only: applied moves whose book was moved away outside shelfwise (a scan found it elsewhere or missing): not counted among the N, journaled once by the failed undo `undo_id` (nothing moved) and passed over by later `--last` runs while the book stays away; `undo MOVE_ID` still refuses it with `reason`, and undoes it once the book is back where the move put it and scanned; not an error",
      ),
    recovered: z.array(RecoveredMoveView),
  })
  .describe("What an undo did");
export type UndoReportView = z.infer<typeof UndoReportView>;

export const HistoryEntryView = z
  .object({
    move_id: z.number().int().describe("journal id, for `undo ID`"),
    batch_id: z.number().int().describe("one apply or undo run"),
    kind: z.enum(["apply", "undo"]),
    book_id: z.number().int(),
    from: z.string().describe("the book's path before the move: its folder, or a single audio file (an undo's `from` is the folder apply made for it)"),
    to: z.string().describe("the book's path after the move: for a single audio file, an apply's `to` is its new folder and an undo's is the file back at its old place"),
    state: z
      .enum(["intent", "done", "rolled_back", "failed"])
      .describe(
        "`done`; `rolled_back`/`failed`: the book stayed at `from` (see `error`); `intent`: not settled yet, a move a running `apply` or `undo` is making now (one a crash interrupted is settled, and marked `recovered`, by the next command that opens the data folder while no other holds its lock)",
      ),
    method: z.enum(["rename", "link", "copy"]).describe("how the book was moved, or was being moved when the move failed or was rolled back"),
    at: z.string().describe("when the move started"),
    finished_at: z.string().nullable().describe("when it was settled; null while `intent`"),
    undoes: z.number().int().nullable().describe("for an undo: the move it reverted"),
    undone_by: z.number().int().nullable().describe("for an apply: the undo that reverted it, once that undo is done; null otherwise"),
    recovered: z.boolean().describe("settled by recovery after a crash"),
    error: z.string().nullable().describe("why the move did not happen (`rolled_back`, `failed`); for a `done` move, what is worth knowing about it (files a copy left at the old place: `left_behind` of apply's and undo's output; a move recovery settled with something left to say; an undo recorded for a book moved back by hand); null otherwise"),
    companions: z.array(z.string()).describe("a single audio file's companions (names of the files beside it with its stem) that moved with it; `[]` for a folder book"),
  })
  .describe("One journaled move");
export const HistoryView = z.array(HistoryEntryView).describe("Every journaled move, newest first");
export type HistoryView = z.infer<typeof HistoryView>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const matches: [Same<ApplyReportView, ApplyReport>, Same<UndoReportView, UndoReport>, Same<HistoryView, HistoryEntry[]>] = [true, true, true];
void matches;

/**
 * What a command's run adds to its report: the same two fields, same names and meaning, as `process --json`, so a
 * script reading the JSON alone can tell a stopped run from a finished one (the web API's reports have no signal).
 */
const commandEnd = (command: "apply" | "undo", codes: string) => ({
  interrupted: z
    .boolean()
    .describe(`true when a signal (Ctrl-C, SIGTERM, SIGHUP) stopped the run with books not started, which stay where they were: run \`${command}\` again to continue; false when it finished (a signal during its last chunk or while it printed stopped nothing)`),
  exit_code: z.number().int().describe(`the command's exit code: ${codes}, 130 interrupted`),
});

export const ApplyCommandView = ApplyReportView.extend(
  commandEnd("apply", "0 done (also a dry run), 1 a move failed, 3 book ids were given and none of them moved: each was held back (`held`) or already in place, with at least one held"),
).describe("What an apply did (or would do)");
export const UndoCommandView = UndoReportView.extend(commandEnd("undo", "0 done (also a dry run), 1 a move was refused or failed")).describe("What an undo did");

export const applyReportDoc = viewDoc({
  title: "`apply [ID...] [--dry-run] --json`",
  intro:
    "One object. Without `--yes`, `apply` asks on a terminal and refuses (exit 2) elsewhere; `--dry-run` needs no `--yes`. An ID that names no book is refused before anything moves (exit 2, stdout empty).",
  schema: ApplyCommandView,
  example: {
    dry_run: false,
    batch_id: 1,
    moved: [
      { move_id: 1, book_id: 4, from: "…/library/Jim Butcher - Storm Front", to: "…/library/Jim Butcher/The Dresden Files/01 - Storm Front", method: "rename", error: null, left_behind: null, companions: [] },
      { move_id: 2, book_id: 5, from: "…/library/inbox/Dune.m4b", to: "…/library/Frank Herbert/Dune", method: "link", error: null, left_behind: null, companions: ["Dune.jpg", "Dune.opf"] },
    ],
    failed: [],
    held: [],
    ok: 3,
    locked: { count: 1, book_ids: [9] },
    recovered: [],
    interrupted: false,
    exit_code: 0,
  },
});

export const undoReportDoc = viewDoc({
  title: "`undo ID... | --last N [--dry-run] --json`",
  intro: "One object. An ID that names no move is refused before anything moves (exit 2, stdout empty); `refused` holds the moves that exist but cannot be undone. With `--dry-run` the same judgement is made and nothing is written: `dry_run` is true, exit 0.",
  schema: UndoCommandView,
  example: {
    dry_run: false,
    batch_id: 2,
    moved: [{ move_id: 2, book_id: 4, from: "…/library/Jim Butcher/The Dresden Files/01 - Storm Front", to: "…/library/Jim Butcher - Storm Front", method: "rename", error: null, left_behind: null, companions: [] }],
    failed: [],
    refused: [{ move_id: 9, book_id: 7, reason: "the old place …/library/Watchers is taken; move that away first (nothing is ever overwritten)" }],
    settled: [],
    set_aside: [],
    recovered: [],
    interrupted: false,
    exit_code: 1,
  },
});

export const historyDoc = viewDoc({
  title: "`history [--limit N] [--offset N] [--book ID] --json`",
  intro: "An array, newest first. `--book ID` for an id that names no book is refused (exit 2, stdout empty); a book without moves gives `[]`.",
  schema: HistoryView,
  example: [
    { move_id: 2, batch_id: 2, kind: "undo", book_id: 4, from: "…/library/Jim Butcher/The Dresden Files/01 - Storm Front", to: "…/library/Jim Butcher - Storm Front", state: "done", method: "rename", at: "2026-12-01T14:02:11.120Z", finished_at: "2026-12-01T14:02:11.131Z", undoes: 1, undone_by: null, recovered: false, error: null, companions: [] },
    { move_id: 1, batch_id: 1, kind: "apply", book_id: 4, from: "…/library/Jim Butcher - Storm Front", to: "…/library/Jim Butcher/The Dresden Files/01 - Storm Front", state: "done", method: "rename", at: "2026-12-01T14:01:50.002Z", finished_at: "2026-12-01T14:01:50.010Z", undoes: null, undone_by: 2, recovered: false, error: null, companions: [] },
  ],
});
