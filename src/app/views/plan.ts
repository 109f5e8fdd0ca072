/** `plan --json` (and the Review page's data): proposed moves, books in place, and conflicts. */
import { z } from "zod";
import { CONFLICT_KINDS, type Plan } from "../../organize/types.js";
import { viewDoc } from "./view.js";

export const ConflictView = z
  .object({
    kind: z.enum(CONFLICT_KINDS).describe(
      "`duplicate_target` (another book proposes the same place; case and Unicode normalization folded), " +
        "`target_exists` (something is there already: a folder or book, also one whose name differs only in case or Unicode form, or a file where a folder is needed), " +
        "`target_inside_book` (inside the book's own folder), `target_inside_other_book` (inside another book, also through `output_path`, or another proposal), " +
        "`holds_other_book`, `outside_root` (a link out of the library, or a target outside the root), `source_missing` (not at its recorded path: deleted or moved away outside shelfwise since the last scan, also a book whose proposed place is where it was recorded; `shelfwise scan` updates it; its whole library folder gone, renamed or not mounted, the reason says so: mount it, or scan the new folder and `library remove` the old), `source_unreachable` (a folder on the way this user may not search: no x permission), " +
        "`path_too_long` (the target, or for a folder book its deepest file there, would be longer than 4,000 bytes; the reason names that file), `unscannable_name` (a folder name on the way a scan skips, `@eaDir` or `#recycle`, or reads as a disc or part folder, `CD 1` or `Part 3`: the book would vanish from the library; correct the value or naming_template), `parts_at_library_top` (a loose audio file right at the top of a library folder whose loose audio files there read as one book's parts, `Dune - Part 01.mp3` … `Part 03.mp3`: a library folder that is itself one book's folder; moved one by one the book would be split over folders: put them in a folder of their own, or make the folder above the library folder), " +
        "`added_since_scan` (the book's folder holds audio files, sidecars or disc folders the last scan did not see: `plan` and `apply` alike hold it back, apply's `held` with exit 0, not a failed move; `shelfwise scan` and `shelfwise process` read them, then apply moves it), " +
        "`holds_data_folder` (a folder book whose folder holds shelfwise's data folder, its database and journal: `plan` and `apply` alike hold it with the same reason, apply's `held` with exit 0, not a failed move; `undo` refuses it; move the data folder out of the library or give another with --data-dir / SHELFWISE_DATA_DIR), " +
        "`companions_added` (a single-file book with a companion put beside it since the last scan, `Dune.nfo` beside `Dune.m4b`, which would be left behind: `plan` and `apply` alike hold it with the same reason, apply's `held` with exit 0, not a failed move; `shelfwise scan` and `shelfwise process` first), " +
          "`special_file` (a folder book holding a named pipe, socket or device node whose move would be a copy, across file systems or forced: no copy carries one, so `plan` and `apply` hold it and `undo` refuses its copy back, naming the file; move it out of the book or remove it), `links_to_data_folder` (a folder book holding a symbolic link into shelfwise's data folder, when its move is a copy: `plan`, `apply` and `undo` leave it where it is; remove the link; a rename carries the link as it is), `target_refuses_names` (a folder book copied onto vfat, exFAT or NTFS holding a name such a disk refuses or changes, `\\ : * ? \" < > |` or a trailing dot or space, two names differing only in case, or a symbolic link: `plan` and `apply` hold it; rename the file or choose another disk), " +
          "`target_loses_renames` (a folder book bound for a FUSE mount whose driver is known to lose a renamed folder's contents, fusefat mounted read-write: `plan` holds it, apply and its dry run refuse it; mount the disk with the kernel's driver), " +
          "`permission_denied` (this user may not write in a folder the move leaves or goes into, a sticky folder's owner rule, a file or a link to nothing where a folder is needed, or across file systems a source it could not remove after copying; the reason names the folder and what to give: `plan` and `apply` alike hold it, apply's `held` with exit 0, not a failed move, as `read_only`; a move the system refuses only when tried is still a failure), " +
          "`read_only` (a folder the move leaves or goes into is on a read-only file system, a library folder on a read-only mount or share: `plan` and `apply` alike hold it, apply's `held` with exit 0, not a failed move, so the other library folders' books still move; remount it read-write, or `shelfwise library remove` it), " +
          "`no_proposal` (author or title unknown), `library_removed` (recorded under a folder no longer in library_paths, also with output_path set: `shelfwise library add` it back to organize it; or under an earlier output_path, which the reason names with the setting's value now and the ways on), `locked` (given by id: locked by the user, or by `undo`, which locks each book it moves back, the reason says which and names the undo; `shelfwise book ID --unlock` lets apply propose it again), `missing`",
    ),
    reason: z.string().describe("what is wrong and what to do, for people"),
    other_book_id: z.number().int().nullable().describe("the other book involved, when there is one"),
  })
  .describe("Why a proposal is held back (nothing is ever overwritten or merged)");

export const FieldChangeView = z.object({
  field: z.string().describe("a field the naming template shows"),
  from: z.string().nullable().describe("what the current folder or file name says (the path layer's evidence)"),
  to: z.string().nullable().describe("the book's value, used for the new path"),
});

export const PlanEntryView = z
  .object({
    book_id: z.number().int().positive(),
    action: z.enum(["move", "ok", "held"]).describe("`move`: proposed; `ok`: at its proposed place (looked at: a book no longer there is `held` as `source_missing`); `held`: a conflict keeps it where it is"),
    status: z.string().describe("the book's status"),
    confidence: z.number().int().min(0).max(100),
    kind: z.enum(["folder", "file"]).describe("a book folder, or a single audio file (which gets a folder of its own)"),
    from: z.string().describe("current absolute path"),
    to: z.string().nullable().describe("absolute target (for a single-file book: the file inside its new folder); null without a proposal"),
    proposed_path: z
      .string()
      .nullable()
      .describe(
        "the target relative to `target_root`, as `naming_template` renders it; a folder above the book's own (author, series) that exists in a spelling differing only in case or Unicode form is used in that spelling (`ursula k. le guin/A Wizard of Earthsea`), as is a folder another proposal of the plan makes first",
      ),
    target_root: z.string().describe("the book's library folder, or `output_path` when configured"),
    changes: z.array(FieldChangeView).describe("the template's fields whose value differs from what the current path says"),
    conflict: ConflictView.nullable(),
    companions: z
      .array(z.string())
      .describe(
        "a single-file book's companions: the names of the files beside it with its stem (`Dune.jpg`, `Dune.opf`, `Dune.cue` beside `Dune.m4b`), found by the last scan, which move with it into its new folder; `[]` for a folder book (everything in a book folder moves with it)",
      ),
  })
  .describe("One book in a plan");

export const PlanView = z
  .object({
    entries: z.array(PlanEntryView).describe("one entry per planned book, ordered by current path"),
    counts: z.object({ move: z.number().int(), ok: z.number().int(), held: z.number().int() }),
  })
  .describe("Proposed moves");
export type PlanView = z.infer<typeof PlanView>;

export const LockedLeftOutView = z
  .object({
    count: z.number().int().min(0).describe("locked books with a planned status and confidence, which no plan proposes until unlocked"),
    book_ids: z.array(z.number().int().positive()).describe("the first of them (at most 5), by id"),
  })
  .describe("Locked books the plan left out: `undo` locks each book it moves back; unlocking one (`book ID --unlock`, or its page) plans it again");

/** What `plan --json` prints and the API's plan adds paging to: the plan, and the locked books it left out (a book a user expects, not proposed, is often one of them). */
export const PlanReportView = PlanView.extend({ locked: LockedLeftOutView }).describe("Proposed moves, and the locked books left out");
export type PlanReportView = z.infer<typeof PlanReportView>;

// The organize types and these schemas are one shape: a change to either fails the typecheck.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const planMatches: Same<PlanView, Plan> = true;
void planMatches;

export const planDoc = viewDoc({
  title: "`plan [--min-confidence N] [--status S] --json`",
  intro: "One object: every planned book (identified books by default), the counts, and the locked books the plan left out (`locked`). `apply --dry-run --json` shows the same moves as an apply report.",
  schema: PlanReportView,
  example: {
    entries: [
      {
        book_id: 4,
        action: "move",
        status: "identified",
        confidence: 92,
        kind: "folder",
        from: "…/library/Jim Butcher - Storm Front",
        to: "…/library/Jim Butcher/The Dresden Files/01 - Storm Front",
        proposed_path: "Jim Butcher/The Dresden Files/01 - Storm Front",
        target_root: "…/library",
        changes: [{ field: "series", from: null, to: "The Dresden Files" }],
        conflict: null,
        companions: [],
      },
      {
        book_id: 5,
        action: "move",
        status: "identified",
        confidence: 90,
        kind: "file",
        from: "…/library/inbox/Dune.m4b",
        to: "…/library/Frank Herbert/Dune/Dune.m4b",
        proposed_path: "Frank Herbert/Dune",
        target_root: "…/library",
        changes: [],
        conflict: null,
        companions: ["Dune.jpg", "Dune.opf"],
      },
      {
        book_id: 7,
        action: "held",
        status: "identified",
        confidence: 88,
        kind: "folder",
        from: "…/library/Watchers (copy)",
        to: "…/library/Dean Koontz/Watchers",
        proposed_path: "Dean Koontz/Watchers",
        target_root: "…/library",
        changes: [],
        conflict: { kind: "duplicate_target", reason: "book #6 is proposed for the same place", other_book_id: 6 },
        companions: [],
      },
    ],
    counts: { move: 2, ok: 0, held: 1 },
    locked: { count: 1, book_ids: [9] },
  },
});
