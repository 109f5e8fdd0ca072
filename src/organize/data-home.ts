/**
 * A data folder copied elsewhere (`cp -a data data-test`) still names the original library folders, and its
 * database the original books: an `apply` or `undo` run in the copy would move the original library's files, and
 * leave the original data folder's records wrong (its books "missing", its history not theirs). A user who copies
 * the data folder to try something out does not expect that. So a database remembers the folder it belongs to
 * (store/data-home.ts): opened from another folder while that one still holds a database of the same id, it is a
 * copy, and while it shares a library folder (or output folder) with the original, the commands that lead to moves
 * warn (cli/session.ts). Moves are not refused: nothing is lost by them (the original's next scan finds each book
 * moved by its files), and a copy of a data folder is also how a test or a trial run starts on a full or read-only disk.
 * A folder that was moved (the old place empty) or a copy pointed at a library of its own takes its new place.
 */
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config/config-schema.js";
import { loadConfig } from "../config/config-file.js";
import { libraryFolders } from "../config/library-folders.js";
import type { Db } from "../store/database.js";
import { dataHome, instanceIn, recordDataHome } from "../store/data-home.js";

export interface CopiedDataFolder {
  /** The data folder this one is a copy of. */
  original: string;
  /** The library (and output) folders both manage. */
  shared: string[];
}

type HomeConfig = Pick<Config, "library_paths" | "output_path">;

/**
 * Where this database stands: null when this folder is its home (recorded now when it had none, or when the old
 * home is gone or holds another database, or when the copy manages no folder of the original's: `record` writes
 * it, and may be false when the database cannot be written now); the copy otherwise.
 */
export function copiedDataFolder(db: Db, dataDir: string, config: HomeConfig, options: { record: boolean }): CopiedDataFolder | null {
  const here = realFolder(dataDir);
  const home = dataHome(db);
  if (home !== null && home.folder === here) return null;
  const copy = home === null ? null : copyOf(home.folder, home.instance, here, config);
  if (copy === null && options.record) recordDataHome(db, here);
  return copy;
}

/** Whether the database's recorded home is this folder (the usual case: nothing to write or ask). */
export function homeIsHere(db: Db, dataDir: string): boolean {
  return dataHome(db)?.folder === realFolder(dataDir);
}

function copyOf(original: string, instance: string, here: string, config: HomeConfig): CopiedDataFolder | null {
  const there = instanceIn(path.join(original, "shelfwise.db"));
  // Moved (nothing left there), or a new data folder made at the old place since: this one is the library's now.
  if (there === "none" || (there !== "unknown" && there !== instance)) return null;
  const mine = libraryFolders(config, here).map(realFolder);
  let theirs: Set<string> | null = null;
  try {
    theirs = new Set(libraryFolders(loadConfig(original).config, original).map(realFolder));
  } catch {
    // The original's settings cannot be read: every folder of this one's may be its.
  }
  const shared = theirs === null ? mine : mine.filter((f) => theirs.has(f));
  return shared.length === 0 ? null : { original, shared };
}

/**
 * What is said of a copy wherever moves start: the CLI's warning (`status`, `plan`, `apply`, `undo`) and the web
 * app's (the dashboard's problems, the Review page, the apply and undo answers), in each one's words for the acts.
 */
export function copiedDataFolderWarning(copy: CopiedDataFolder, words: "cli" | "page"): string {
  const { original, shared } = copy;
  const acts = words === "cli" ? "`apply` and `undo`" : "Apply and Undo";
  const scan = words === "cli" ? "`shelfwise scan`" : "scan";
  const fix =
    words === "cli"
      ? "copy the library too and point this data folder at it (README: a copied data folder)"
      : "copy the library too and point this data folder at it (Settings: remove the shared library folder, add the copy's, then scan)";
  return `this data folder is a copy of ${original}, which manages the same library (${shared.join(", ")}): ${acts} here move that library's files, and ${original} finds them moved at its next ${scan}; to try things without touching them, ${fix}`;
}

function realFolder(folder: string): string {
  const absolute = path.resolve(folder);
  try {
    return fs.realpathSync(absolute);
  } catch {
    return absolute;
  }
}
