/**
 * The `status` view: the books per status as the database holds them, and
 * what the disk says now of the places they were recorded at. The counts come
 * from the rows `books` lists, so the two never disagree; the disk check is
 * what lets the user trust them after files were moved or deleted outside
 * shelfwise, which only the next `scan` records.
 */
import fs from "node:fs";
import { libraryFolders, outputFolder } from "../config/library-folders.js";
import { countBooksWithErrors, countByStatus, countLocked } from "../store/book-queries.js";
import { BOOK_STATUSES, listBookPlaces } from "../store/books.js";
import type { Session } from "./session.js";
import { userPath } from "../config/user-path.js";
import type { LibraryStatusView } from "./views/library-status.js";

const SHOWN_IDS = 10;

export function libraryStatusView(session: Session): LibraryStatusView {
  const db = session.db;
  const counted = countByStatus(db);
  const byStatus = Object.fromEntries(BOOK_STATUSES.map((status) => [status, counted[status] ?? 0])) as LibraryStatusView["by_status"];
  const output = outputFolder(session.config, session.layout.root);
  const listed = session.config.library_paths.map((p) => userPath(p, session.layout.root));
  const gone: number[] = [];
  const back: number[] = [];
  for (const [id, place, , status] of listBookPlaces(db)) {
    const there = exists(place);
    if (status === "missing" ? there : !there) (status === "missing" ? back : gone).push(id);
  }
  gone.sort((a, b) => a - b);
  back.sort((a, b) => a - b);
  return {
    library_folders: libraryFolders(session.config, session.layout.root)
      .map((folder) => ({ path: folder, present: holdsSomething(folder) }))
      // output_path not made yet (nothing applied) or empty is no missing library folder, as for `scan`.
      .filter((folder) => folder.present || folder.path !== output || listed.includes(folder.path)),
    books: Object.values(byStatus).reduce((a, b) => a + b, 0),
    by_status: byStatus,
    locked: countLocked(db),
    with_layer_errors: countBooksWithErrors(db),
    gone: gone.length,
    gone_book_ids: gone.slice(0, SHOWN_IDS),
    back: back.length,
    back_book_ids: back.slice(0, SHOWN_IDS),
  };
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** As `scan` reads a library folder: a folder that can be listed and holds something (an empty mount point holds nothing). */
function holdsSomething(folder: string): boolean {
  try {
    return fs.readdirSync(folder).length > 0;
  } catch {
    return false;
  }
}
