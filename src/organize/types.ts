/**
 * The shapes organize hands to the CLI and the web server. Their zod schemas
 * (validation and docs) are in app/views/plan.ts and app/views/moves.ts,
 * checked there to match these types exactly.
 */
import type { Config } from "../config/config-schema.js";
import type { Db } from "../store/database.js";

/** What every organize operation needs; a Session provides it (`{ db, config, dataDir: layout.root }`). */
export interface OrganizeContext {
  db: Db;
  config: Config;
  /** The data folder: its lock is held by apply and undo. */
  dataDir: string;
  /**
   * `config` is the data folder's config.json (the CLI's and the server's): an empty library_paths then means every
   * library folder was given up (`library remove` of the last one), and the books recorded under them are held as
   * `library_removed`. Left out (settings made in code), an empty library_paths tells nothing about the books' folders.
   */
  savedSettings?: boolean;
}

export const CONFLICT_KINDS = [
  "duplicate_target",
  "target_exists",
  "target_inside_book",
  "target_inside_other_book",
  "holds_other_book",
  "outside_root",
  "source_missing",
  "source_unreachable",
  "path_too_long",
  "unscannable_name",
  "parts_at_library_top",
  "added_since_scan",
  "holds_data_folder",
  "companions_added",
  "special_file",
  "links_to_data_folder",
  "target_refuses_names",
  "target_loses_renames",
  "permission_denied",
  "read_only",
  "no_proposal",
  "library_removed",
  "locked",
  "missing",
] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export interface Conflict {
  kind: ConflictKind;
  reason: string;
  /** The other book involved (same target, holder of the target...), when there is one. */
  other_book_id: number | null;
}

export interface FieldChange {
  field: string;
  /** What the current folder or file name says (the path layer's evidence), null when it says nothing. */
  from: string | null;
  to: string | null;
}

export type PlanAction = "move" | "ok" | "held";

export interface PlanEntry {
  book_id: number;
  /** `move`: proposed; `ok`: already at its proposed place; `held`: a conflict keeps it where it is. */
  action: PlanAction;
  status: string;
  confidence: number;
  kind: "folder" | "file";
  from: string;
  /** Absolute target path of the book (for a single-file book: the file inside its new folder); null without a proposal. */
  to: string | null;
  proposed_path: string | null;
  target_root: string;
  changes: FieldChange[];
  conflict: Conflict | null;
  /** A single-file book's companions (names of the files beside it with its stem), which move with it; empty for a folder book. */
  companions: string[];
}

export interface PlanCounts {
  move: number;
  ok: number;
  held: number;
}

export interface Plan {
  entries: PlanEntry[];
  counts: PlanCounts;
}

/** Statuses a plan may select, for `plan`/`apply --status` and the API's `status=` (missing books have nothing to move). */
export const PLANNABLE_STATUSES: readonly string[] = ["identified", "needs_attention", "new", "pending"];

export interface PlanOptions {
  /** Only books at or above this confidence (default 0). */
  minConfidence?: number;
  /** Statuses to plan (default `identified`); ignored when `ids` are given. */
  statuses?: string[];
  /** Only these books. */
  ids?: number[];
  /** Moves are copies even within one file system (apply's option; default: env SHELFWISE_FORCE_COPY=1): what the plan holds for a copy applies to every move. */
  forceCopy?: boolean;
}

export interface MoveResult {
  /** Journal id (history, undo); null in a dry run. */
  move_id: number | null;
  book_id: number;
  from: string;
  to: string;
  /** `rename`, `link` (single file within a file system), `copy` (across file systems); null when not moved. */
  method: "rename" | "link" | "copy" | null;
  /** Why the move did not happen (the book is still at `from`); null when it did. */
  error: string | null;
  /**
   * A move that happened (a copy across file systems) but left files at its old place (ones the system refused to
   * remove, or written to during the copy): which, where and why; null otherwise. Journaled as the move's `error`.
   */
  left_behind: string | null;
  /** Names of the files that move with a single audio file (its companions), from beside it to beside it; empty otherwise. */
  companions: string[];
}

export interface RecoveredMove {
  move_id: number;
  book_id: number;
  kind: "apply" | "undo";
  /** `finished`: the book is at its new place; `rolled_back`: at its old place; `failed`: see error. */
  outcome: "finished" | "rolled_back" | "failed";
  path: string;
  error: string | null;
}

/** Locked books a plan of all books leaves out: how many, and the first ids. */
export interface LockedLeftOut {
  count: number;
  book_ids: number[];
}

export interface ApplyReport {
  dry_run: boolean;
  batch_id: number | null;
  /** Moves done (in a dry run: the moves that would be done). */
  moved: MoveResult[];
  /** Moves tried that did not happen; each book is still at its old place. */
  failed: MoveResult[];
  /** Proposals held back by a conflict. */
  held: PlanEntry[];
  /** Books already at their proposed place. */
  ok: number;
  /** Locked books the plan left out (as plan's): none when books were named, which are held as `locked` instead. */
  locked: LockedLeftOut;
  /** Interrupted moves of an earlier run settled first. */
  recovered: RecoveredMove[];
}

export interface UndoRefusal {
  move_id: number;
  book_id: number | null;
  reason: string;
}

/** An applied move whose book the user had moved back by hand: journaled as undone (once), nothing moved. */
export interface UndoSettled {
  move_id: number;
  book_id: number;
  /** The undo row that records it; null in a dry run. */
  undo_id: number | null;
  note: string;
}

/** An applied move `undo --last` passed: its book was moved away outside shelfwise. Journaled once (undo row `undo_id`, failed, nothing moved). */
export interface UndoSetAside {
  move_id: number;
  book_id: number;
  /** null in a dry run. */
  undo_id: number | null;
  /** Why it cannot be undone now, and what to do (as `undo ID` says it). */
  reason: string;
}

export interface UndoReport {
  /** true: nothing was changed (`undo --dry-run`); `moved` lists what would move back. */
  dry_run: boolean;
  batch_id: number | null;
  moved: MoveResult[];
  failed: MoveResult[];
  refused: UndoRefusal[];
  settled: UndoSettled[];
  set_aside: UndoSetAside[];
  recovered: RecoveredMove[];
}

export interface HistoryEntry {
  move_id: number;
  batch_id: number;
  kind: "apply" | "undo";
  book_id: number;
  from: string;
  to: string;
  state: "intent" | "done" | "rolled_back" | "failed";
  method: "rename" | "link" | "copy";
  at: string;
  finished_at: string | null;
  /** For an undo: the move it undid. */
  undoes: number | null;
  /** For an applied move: the undo that reverted it. */
  undone_by: number | null;
  /** Settled by recovery after a crash. */
  recovered: boolean;
  error: string | null;
  /** Names of the files that moved with a single audio file (its companions); empty otherwise. */
  companions: string[];
}
