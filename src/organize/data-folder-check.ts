/**
 * The data folder (database, journal, lock) inside a book's folder: moving
 * the book would carry shelfwise's own database away from where every later
 * command looks for it, the journal of the move with it (no undo, no
 * recovery), and out from under the open connection. Such a book is refused.
 */
import fs from "node:fs";
import path from "node:path";

/** The data folder and every folder above it, as given and as resolved (the library or the data folder reached through a link). */
export function foldersHoldingData(dataDir: string): Set<string> {
  const holders = new Set<string>();
  const add = (dir: string) => {
    for (let at = dir; ; at = path.dirname(at)) {
      holders.add(at);
      if (path.dirname(at) === at) return;
    }
  };
  const given = path.resolve(dataDir);
  add(given);
  try {
    add(fs.realpathSync.native(given));
  } catch {
    // Not made yet: nothing of it can be inside a book.
  }
  return holders;
}

/** Why a book folder holding the data folder is not moved, and what to do; null when `bookFolder` does not hold it. */
export function dataFolderInside(holders: Set<string>, dataDir: string, bookFolder: string): string | null {
  if (!holders.has(bookFolder)) return null;
  return `the data folder ${path.resolve(dataDir)} (shelfwise's database and journal) is inside this book's folder ${bookFolder}: moving the book would take it along; move the data folder out of the library (or give another with --data-dir / SHELFWISE_DATA_DIR) and run the command again (nothing moved)`;
}

/** The data folder as given and as resolved (its real path, when it differs): where a link must not lead (book-contents.ts). */
export function dataFolderPlaces(dataDir: string): string[] {
  const given = path.resolve(dataDir);
  const places = [given];
  try {
    const real = fs.realpathSync.native(given);
    if (real !== given) places.push(real);
  } catch {
    // Not made yet: the given path is all there is.
  }
  return places;
}
