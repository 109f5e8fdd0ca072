/** `status --json`: the library at a glance, counted as `books --json` counts it, and checked against the disk. */
import { z } from "zod";
import { viewDoc } from "./view.js";

const count = (meaning: string) => z.number().int().min(0).describe(meaning);
const someIds = (meaning: string) => z.array(z.number().int().positive()).describe(`${meaning} (the first 10 by id)`);

export const PluginLayerWaitingView = z.object({
  plugin_id: z.string(),
  why: z
    .enum(["new", "changed", "books"])
    .describe("`new`: it has never run (added or enabled since the last `process`, or it did not start then); `changed`: its code or its plugin_configs entry changed since it last ran, so it runs again on every book; `books`: it ran, but not on some books that are already identified or need attention (it was off, failed to start, or its runs were reset)"),
  books: count("the books the next `process` runs it on (not missing, not locked)"),
});
export type PluginLayerWaitingView = z.infer<typeof PluginLayerWaitingView>;

export const LayerWaitingView = z.object({
  layer_id: z.string().describe("the built-in layer's id, or the HTTP source's `id` in config.json"),
  kind: z.enum(["builtin", "http"]),
  why: z
    .enum(["new", "changed", "books"])
    .describe("`new`: it has never run (an HTTP source added or enabled, `openlibrary_enabled` turned on, since the last `process`); `changed`: what its answers depend on changed since it last ran (a built-in layer's logic in a newer shelfwise, or Open Library's `openlibrary_url` or `confidence_threshold`; an HTTP source's definition, but not its pacing: `timeout`, `concurrency`, `max_requests_per_minute`, `breaker_*`), so it runs again on every book; `books`: it ran, but not on some books already identified or needing attention (it was off, or its runs were reset)"),
  books: count("the books the next `process` runs it on (not missing, not locked)"),
});
export type LayerWaitingView = z.infer<typeof LayerWaitingView>;

const bookIds = (meaning: string) => z.array(z.number().int().positive()).describe(`${meaning} (the first 10, in the order they were to move)`);

export const CutShortRunView = z
  .object({
    batch_id: z.number().int().positive().describe("the run's batch in `history --json`"),
    kind: z.enum(["apply", "undo"]),
    started_at: z.string().describe("when it started (ISO-8601, UTC)"),
    found_at: z.string().describe("when a later command found it cut short and settled it (ISO-8601, UTC; its start, for a run cut short before shelfwise recorded this)"),
    planned: z.number().int().min(0).nullable().describe("the moves it set out to make; null for a run from before shelfwise recorded that"),
    settled_before: count("the moves it made (or failed, with their reason in `history`) before it was cut short"),
    finished_by_recovery: count("moves it was making when cut short that recovery finished: the book is at its new place"),
    rolled_back_by_recovery: count("moves recovery rolled back: the book is at its old place, as before the run"),
    unsettled_by_recovery: count("moves recovery could not settle (the book not plainly at one place): `history` says where each is and what to do; nothing was removed"),
    finished_book_ids: bookIds("the books recovery finished moving"),
    rolled_back_book_ids: bookIds("the books recovery moved back"),
    unsettled_book_ids: bookIds("the books recovery could not settle"),
  })
  .describe("the newest apply or undo, when its process was killed or the computer stopped before it ended; null when it ended. Shown until another apply or undo starts");
export type CutShortRunView = z.infer<typeof CutShortRunView>;

export const LibraryStatusView = z
  .object({
    library_folders: z
      .array(
        z.object({
          path: z.string().describe("absolute path (a relative `library_paths` entry is relative to the data folder); `output_path` too, where apply puts books"),
          present: z.boolean().describe("a folder that holds something now, or an empty one `scan` reads without a problem (no book it found is recorded under it, and another library folder holds something, or `apply` moved its books out: a library whose books all moved to `output_path`); false: missing, not a folder, unreadable, or empty while books are recorded under it (an unmounted drive?): its books are left as they were by `scan`"),
        }),
      )
      .describe("the library folders `scan` reads"),
    books: count("every recorded book, `missing` ones included: the length of `books --json`"),
    by_status: z
      .object({
        new: count("books found by `scan` that `process` has not finished"),
        pending: count("books queued again (changed files, a layer to rerun)"),
        identified: count("identified books (`plan` proposes the unlocked ones by default)"),
        needs_attention: count("books that need your check (`book ID --set`)"),
        missing: count("books the last scan did not find (never deleted)"),
      })
      .describe("books per status; the counts add up to `books`, and each equals the length of `books --status S --json`"),
    joined: count(
      "of `missing`, the records kept for a part joined into another book: a library folder that was one book's folder, taken out of library_paths and its parent scanned, made each of its loose parts' records one book; a part's record holding something of yours (corrections, a lock, moves) is kept as `missing` so that nothing of yours is lost, though its files are there, inside that book (not counted in `back`)",
    ),
    joined_books: z
      .array(
        z.object({
          book_id: z.number().int().positive(),
          into_book_id: z.number().int().positive().nullable().describe("the book holding its files now; null when no book is recorded where they are (moved since)"),
          into_title: z.string().nullable().describe("that book's title now; null until it is identified (or when `into_book_id` is null)"),
        }),
      )
      .describe("those records (the first 10 by id): put what you want of their corrections on that book (`book ID --set`)"),
    locked: count("locked books (`book ID --lock`, or moved back by `undo`): out of the pipeline and out of plans"),
    to_plan: z
      .number()
      .int()
      .min(0)
      .nullable()
      .describe(
        "identified books, not locked, that `plan` would list: not at the place naming_template gives them (a move, or one held back with its reason), by the plan's own steps short of its conflict checks (which only hold moves back), so it is exactly the number of moves and held proposals `plan` lists, but for books of a library folder taken out of library_paths: a book whose folders differ from its target only in case or Unicode form is in place for both, and one gone since the last scan is to plan for both. 0: `plan` proposes nothing; null: output_path or library_paths is refused (`plan` says why)",
      ),
    with_layer_errors: count("books a layer failed on (`book ID` says which and why)"),
    gone: count("books not `missing` whose folder or file is not now where shelfwise recorded it (the last scan, apply or undo): moved, renamed or deleted outside shelfwise, or on a drive not mounted; `scan` records that"),
    gone_book_ids: someIds("ids of those books"),
    back: count("`missing` books whose folder or file is there again; `scan` records that"),
    back_book_ids: someIds("ids of those books"),
    duplicates: count(
      "of `gone`, the books whose files are recorded for another book that is there: a book recorded twice by a shelfwise from before library folders renamed were recognized (the old record under the old folder). `scan` merges such a pair into the old record (its id, evidence, corrections and lock, at the new place) when the new record holds nothing of yours; for these it does (corrections, a lock or moves): see both with `book ID`, put on the old record what you want kept of the new one's and take yours off the new one (`--unset`, `--unlock`), and the next `scan` makes them one under the old id (a new record moved by `apply` stays apart)",
    ),
    duplicate_book_ids: someIds("ids of those books (the old records)"),
    writing: z
      .object({
        pid: z.number().int().nullable().describe("its process id (null: not recorded)"),
        command: z.string().nullable().describe("what it runs, as the lock names it (`process`, `scan`, `apply`, a `serve` job...; null: not recorded)"),
        since: z.string().nullable().describe("when it took the data folder (ISO-8601, UTC; null: not recorded)"),
      })
      .nullable()
      .describe("another shelfwise command writing to this data folder as `status` ran (it holds the data-folder lock): the counts are of that moment and change while it runs, and a writing command started now waits for it; null when none was"),
    last_run_cut_short: CutShortRunView.nullable(),
    plugin_layers_waiting: z
      .array(PluginLayerWaitingView)
      .describe("active plugins whose layer has not run on books already processed (found without starting them): `shelfwise process` runs them; a layer only `new` or `pending` books wait for is not listed"),
    layers_waiting: z
      .array(LayerWaitingView)
      .describe("the same for enabled built-in layers and HTTP sources (read from config.json and the database: nothing started, no request made): `shelfwise process` runs them; an HTTP source that is disabled, auto-disabled or lacks its credential in secrets.json is not listed (`sources list` says why)"),
  })
  .describe("The library at a glance");
export type LibraryStatusView = z.infer<typeof LibraryStatusView>;

export const libraryStatusDoc = viewDoc(
  LibraryStatusView,
  "`status --json`",
  "One object: the books per status as the database holds them (the same rows `books --json` lists), and what the disk says now of the places they were recorded at. Books added to the library since the last scan are not counted: only `scan` walks the folders.",
  {
    library_folders: [{ path: "/audiobooks", present: true }],
    books: 13,
    by_status: { new: 0, pending: 0, identified: 9, needs_attention: 3, missing: 1 },
    joined: 0,
    joined_books: [],
    locked: 1,
    to_plan: 4,
    with_layer_errors: 1,
    gone: 1,
    gone_book_ids: [7],
    back: 0,
    back_book_ids: [],
    duplicates: 0,
    duplicate_book_ids: [],
    writing: null,
    last_run_cut_short: null,
    plugin_layers_waiting: [{ plugin_id: "desc-narrator", why: "new", books: 12 }],
    layers_waiting: [{ layer_id: "my-catalogue", kind: "http", why: "changed", books: 12 }],
  },
  "`gone` and `back` compare each book's recorded path with the disk when the command runs (one `lstat` per book); a book counted in `gone` or `back` is one the next `scan` changes. The exit code is 0 whatever the counts.",
);
