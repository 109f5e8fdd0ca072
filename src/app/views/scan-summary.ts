/** `scan --json` (and the API's scan result): what one scan found and changed. */
import { z } from "zod";
import { viewDoc } from "./view.js";

const count = (meaning: string) => z.number().int().min(0).describe(meaning);

export const ScanSummaryView = z
  .object({
    found: count("books found in this scan"),
    new: count("books seen for the first time"),
    changed: count("known books whose files changed (queued for the pipeline again)"),
    unchanged: count("known books without changes"),
    missing: count("known books no longer found (marked `missing`, never deleted)"),
    returned: count("books that were `missing` and are back"),
    moved: count("known books found under a new path with the same files (moved outside shelfwise): they keep their id, evidence and corrections"),
    moved_library: count(
      "of `moved`, the books recognized under another library folder: a library folder renamed or moved (library_paths edited, or the new folder scanned) whose books are no longer under the old one",
    ),
    moved_rounded: count(
      "of `moved`, the books recognized with their files' mtimes rounded by a copy (to FAT or exFAT and back, or a copy that drops the fraction of a second): same names and sizes, every mtime within 2 s and rounded the same way, matched one to one",
    ),
    merged: count(
      "books recorded twice by a shelfwise from before library folders renamed were recognized (the old record at its place under a folder given up, a new one under the new folder, same files), made one: the old record keeps its id, evidence, corrections and lock and takes the new place; the new record, which held nothing of yours, is gone",
    ),
    duplicates: count(
      "such pairs left as two books because the new record holds corrections, a lock or moves of yours: `status` lists the old ones (`duplicate_book_ids`)",
    ),
    parts_joined: count(
      "records under a library folder taken out of library_paths whose files this scan found as part of one book under a folder it read (a library folder that was one book's folder, `Dune/Part 01.mp3` … each recorded as a book, then `library remove`d and its parent scanned): one record with exactly that book's files keeps its id, evidence and corrections there (identified again); several (the parts) are retired, removed when they hold nothing of yours, else kept as `missing` with a reason naming the book that has their files, so that no plan holds them as `library_removed` for good",
    ),
    touched: count(
      "known books whose files were rewritten in place keeping their names, sizes and mtimes (a tag editor that preserves timestamps; also chmod, chown or a restore): their tags and sidecars are read again by the next `process`, the rest of their evidence stands (counted among `unchanged` too)",
    ),
    problems: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .describe(
        "one entry per folder or file that could not be read (symlink loops, permissions, an empty library folder, ...); books under them are left as they were. A configured library folder that is gone with no book recorded under it any more (its books recognized under another library folder) says so, and to take it out of library_paths (`shelfwise library remove PATH`)",
      ),
    moved_links: z
      .array(
        z.object({
          path: z.string().describe("the symbolic link, in a library folder"),
          target: z.string().describe("where it points: a place shelfwise moved a book away from"),
          book_id: z.number().int(),
          book_path: z.string().nullable().describe("where the book is recorded now (`null`: no longer recorded)"),
          move_id: z.number().int().describe("the move that took the book away (`shelfwise history`)"),
        }),
      )
      .describe(
        "links to a book folder that `apply` (or `undo`) moved away: left dangling by the move, they are not `problems` (no book is left unread behind them) and do not make the exit code 3; each is said on stderr as a note at every scan (a reminder, saying that it comes back) until you point it to the new place (`ln -sfn NEW LINK`) or remove it (`rm LINK`)",
      ),
    moved_out: z
      .array(
        z.object({
          path: z.string().describe("a library folder found empty, with no book recorded under it"),
          books: count("books `apply` moved out of it (not moved back) that are recorded under another folder now"),
          moved_to: z.array(z.string()).describe("the folders they are recorded under (`output_path`, or another library folder)"),
        }),
      )
      .describe(
        "library folders left empty by `apply` (every book moved to `output_path`): read, with nothing missing, and no problem (not an unmounted drive: no book is recorded under them); said on stderr as a note when the scan found no book at all (where it would have looked like an unmounted drive). A library folder emptied behind shelfwise's back, with books still recorded under it, is a `problems` entry instead",
      ),
    parts_at_top: z
      .array(
        z.object({
          path: z.string().describe("a library folder read"),
          files: z.array(z.string()).describe("the loose audio files at its top, which read as one book's parts (`Part 01.mp3` … `Part 03.mp3`)"),
        }),
      )
      .describe(
        "library folders whose loose audio files at the top read as one book's parts: each file is recorded as a book of its own (a library folder's loose files are its loose books) and `plan` holds them (`parts_at_library_top`) so that apply does not split the book over folders. Said on stderr as a warning naming the fix: a library folder that is one book's folder (`scan ~/Audiobooks/Dune`) is given by its parent instead (`shelfwise library remove` it, then `shelfwise scan` the folder above); parts left loose among other books go into a folder of their own. Not a problem: the exit code stays 0",
      ),
    exit_code: z
      .union([z.literal(0), z.literal(3)])
      .describe("the command's exit code: 0 everything was read, 3 finished with `problems` (a partial scan)"),
  })
  .describe("What one scan found and changed");
export type ScanSummaryView = z.infer<typeof ScanSummaryView>;

export const scanSummaryDoc = viewDoc(ScanSummaryView, "`scan [PATH...] --json`", "One object.", { found: 13, new: 13, changed: 0, unchanged: 0, missing: 0, returned: 0, moved: 0, moved_library: 0, moved_rounded: 0, merged: 0, duplicates: 0, parts_joined: 0, touched: 0, problems: [], moved_links: [], moved_out: [], parts_at_top: [], exit_code: 0 }, "With `problems` the scan is partial: the exit code is 3 and stderr ends with `finished with problems (exit code 3)` and the count.");
