/** `library list|add|remove --json`: the library folders of config.json's `library_paths`, each checked on disk. */
import { z } from "zod";
import { viewDoc } from "./view.js";

const count = (meaning: string) => z.number().int().min(0).describe(meaning);

export const LIBRARY_FOLDER_STATES = ["ok", "missing", "not_a_folder", "unreadable", "empty"] as const;

export const LibraryFolderRow = z.object({
  path: z.string().describe("absolute path"),
  entry: z.string().describe("the entry as `library_paths` holds it (a relative one is relative to the data folder, `~` the home folder)"),
  state: z
    .enum(LIBRARY_FOLDER_STATES)
    .describe("`ok`: a folder that can be read and holds something; `missing`: nothing there (a drive not mounted, renamed, removed); `not_a_folder`; `unreadable`: this user may not list it; `empty` (an unmounted drive's mount point? unless `moved_out` says `apply` emptied it). A scan leaves the books of a folder not `ok` as they were"),
  books: count("books recorded under it, `missing` ones included"),
  missing_books: count("of `books`, those marked `missing`"),
  moved_out: count(
    "for an `empty` folder with no book recorded under it: the books `apply` moved out of it (not moved back) that are recorded under another folder now (`output_path`): it was emptied by shelfwise, not unmounted, and nothing is missing. 0 otherwise",
  ),
});
export type LibraryFolderRow = z.infer<typeof LibraryFolderRow>;

export const LibraryListView = z.array(LibraryFolderRow).describe("The library folders: `library_paths` in order");
export type LibraryListView = z.infer<typeof LibraryListView>;

export const LibraryChangeView = z
  .object({
    action: z.enum(["add", "remove"]),
    path: z.string().describe("the folder added or removed, absolute"),
    changed: z.boolean().describe("false: nothing to do (`add` of a folder listed already); config.json was not written"),
    books_under: count("books recorded under the folder, `missing` ones included; `remove` keeps them all in the database as they are (none is deleted; one whose files are gone from disk is marked `missing` by the next scan) and touches no file"),
    config_file: z.string().describe("the config.json holding `library_paths`"),
    folders: LibraryListView.describe("the library folders after the change"),
  })
  .describe("What `library add` or `library remove` did");
export type LibraryChangeView = z.infer<typeof LibraryChangeView>;

export const libraryListDoc = viewDoc(
  LibraryListView,
  "`library list --json`",
  "An array: the library folders `scan` reads, as config.json's `library_paths` lists them, each checked on disk, with the books recorded under it (`[]` when there is none). `output_path`, scanned too, is not among them unless listed.",
  [{ path: "/media/Audiobooks", entry: "/media/Audiobooks", state: "ok", books: 412, missing_books: 3, moved_out: 0 }],
  "Exit 0 whatever the states. `library list` reads only (no data-folder lock).",
);

export const libraryChangeDoc = viewDoc(
  LibraryChangeView,
  "`library add PATH --json`, `library remove PATH --json`",
  "One object: what changed in `library_paths`, and the list after it. A refused change (exit 2: a PATH that does not exist, is not a folder, cannot be read, is empty, the root or home folder, inside or holding another library folder, inside the data folder or output_path; for `remove`, a PATH not in the list) prints no JSON: one `shelfwise: ...` line on stderr, and config.json is not written.",
  {
    action: "remove",
    path: "/media/Old",
    changed: true,
    books_under: 12,
    config_file: "…/shelfwise-data/config.json",
    folders: [{ path: "/media/Audiobooks", entry: "/media/Audiobooks", state: "ok", books: 412, missing_books: 3, moved_out: 0 }],
  },
);
