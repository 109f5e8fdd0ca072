/**
 * Editing `library_paths`: the one set of rules for a folder to become a
 * library folder, used by `shelfwise library add|remove` and the web app's
 * Settings page alike (a rule one of them forgot was a folder the other
 * refused). The change is a read-modify-write of config.json under the
 * data-folder lock (settings-writes.ts): every other key, unknown ones
 * included, is written back as it was, and secrets.json is never touched.
 * Removing a folder never touches its files or the books recorded under it:
 * a scan no longer reads it, so none is marked missing, and a book of it
 * whose files turn up under another library folder keeps its id there (a
 * library folder given up: scan-library.ts, leftBehind).
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../config/config-error.js";
import type { Config } from "../config/config-schema.js";
import { outputFolder } from "../config/library-folders.js";
import { homeFolder, userPath } from "../config/user-path.js";
import { countByStatusUnder } from "../store/book-queries.js";
import { booksMovedOutOf } from "../store/moves.js";
import { changeConfig } from "./settings-writes.js";
import type { Session } from "./session.js";
import type { LibraryFolderRow, LibraryListView } from "./views/library-folders.js";
import { sentence } from "../domain/command-advice.js";
import { brokenLinkWords } from "../config/broken-link-words.js";
import { UTF8_RENAME_COMMAND } from "../domain/utf8-rename.js";

const INSIDE_LIBRARY = sentence`${0} is inside the library folder ${1}, which is scanned whole: a library folder inside another would make the books in it look loose; \`shelfwise scan\` reads it already`;
const HOLDS_LIBRARY = sentence`${0} holds the library folder ${1}: its books would belong to two library folders; to make the larger folder the library, remove ${1} first (\`shelfwise library remove\`: its books are kept) and add ${0} then`;

/** A library folder refused: bad input (exit 2 in the CLI, 400 in the API); config.json was not written. */
export class LibraryFolderError extends ConfigError {}

type Paths = Pick<Config, "library_paths" | "output_path">;

/** The entries of library_paths with the folders they name, absolute. */
function entries(config: Paths, dataDir: string): { entry: string; folder: string }[] {
  return config.library_paths.map((entry) => ({ entry, folder: userPath(entry, dataDir) }));
}

/**
 * The entry of library_paths that `folder` (absolute) names: the same path, or the same folder through a link.
 * Null when none does.
 */
export function listedEntry(config: Paths, dataDir: string, folder: string): string | null {
  const listed = entries(config, dataDir);
  const same = listed.find((e) => e.folder === folder) ?? listed.find((e) => sameFolder(e.folder, folder));
  return same?.entry ?? null;
}

/** The file system's ways of saying "there is no folder at this path". */
const NOT_THERE = new Set(["ENOENT", "ENOTDIR", "ENAMETOOLONG", "ELOOP"]);

/**
 * Why `folder` (absolute) cannot be added to library_paths, or null when it can. Not checked here: whether it
 * is listed already (listedEntry), which is no problem but nothing to do.
 */
export function newLibraryFolderProblem(folder: string, config: Paths, dataDir: string): string | null {
  const give = "give the folder that holds your audiobooks";
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    // Node reads a command line (and a JSON body) as UTF-8: other bytes arrive as U+FFFD and name nothing.
    if (NOT_THERE.has(code) && folder.includes("\ufffd")) {
      return `${folder} cannot be opened as typed: its name holds bytes that are not UTF-8 (shown as \ufffd), which shelfwise cannot take as an argument (and a scan skips such names as problems): rename it to UTF-8 (\`${UTF8_RENAME_COMMAND}\` renames it and everything in it)`;
    }
    const broken = NOT_THERE.has(code) ? brokenLinkWords(folder) : null;
    if (broken !== null) return `${folder} ${broken}`;
    if (NOT_THERE.has(code)) return `${folder} is not an existing folder; ${give}`;
    if (code === "EACCES" || code === "EPERM") return `${folder} cannot be reached: a folder above it may not be searched by this user (permission denied); give this user access, or choose another folder`;
    return `${folder} cannot be read: ${(error as Error).message}`;
  }
  if (!stat.isDirectory()) return `${folder} is not a folder; ${give}`;
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EACCES" || code === "EPERM") return `${folder} cannot be read by shelfwise (permission denied: this user may not list it); check its permissions (\`chmod u+rx\`)`;
    return `${folder} cannot be read: ${(error as Error).message}`;
  }
  // `~` for `~/Audiobooks`: every sound in caches, games and system folders would become a book.
  const whole = path.dirname(folder) === folder ? "the root of the file system" : isHome(folder) ? "your home folder" : null;
  if (whole) return `${folder} is ${whole}: all of it would be scanned for audiobooks; ${give} (\`~/Audiobooks\`)`;
  const data = path.resolve(dataDir);
  if (sameFolder(folder, data)) return `${folder} is shelfwise's data folder, whose own files are never scanned; ${give}`;
  if (inside(folder, data)) return `${folder} is inside shelfwise's data folder ${data}, whose own files are never scanned; ${give}`;
  for (const { folder: other } of entries(config, dataDir)) {
    if (inside(folder, other)) {
      return INSIDE_LIBRARY(folder, other);
    }
    if (inside(other, folder)) {
      return HOLDS_LIBRARY(folder, other);
    }
  }
  const output = outputFolder(config, dataDir);
  if (output !== null && inside(folder, output)) return `${folder} is inside output_path ${output}, where apply puts books, which is scanned whole already`;
  if (names.length === 0) return `${folder} is empty (an unmounted drive?); put your audiobooks there first, or ${give}`;
  return null;
}

/**
 * Adds `folder` (absolute) to library_paths, checked again under the lock against the file as it is then.
 * Returns whether config.json was changed (false: listed already).
 */
export function addLibraryFolder(dataDir: string, folder: string): boolean {
  let added = false;
  changeConfig(dataDir, (raw) => {
    const config = pathsOf(raw);
    if (listedEntry(config, dataDir, folder) !== null) return;
    const problem = newLibraryFolderProblem(folder, config, dataDir);
    // Thrown inside the change: config.json is left as it was.
    if (problem !== null) throw new LibraryFolderError(`${problem} (nothing was changed)`);
    raw.library_paths = [...config.library_paths, folder];
    added = true;
  });
  return added;
}

/**
 * Takes the entry naming `folder` (absolute; or the entry as written) out of library_paths. Returns the folder
 * removed, absolute; throws LibraryFolderError when no entry names it.
 */
export function removeLibraryFolder(dataDir: string, given: string, folder: string): string {
  let removed = "";
  changeConfig(dataDir, (raw) => {
    const config = pathsOf(raw);
    // The folder the path names first; the entry as config.json writes it (relative to the data folder) else.
    const entry = listedEntry(config, dataDir, folder) ?? (config.library_paths.includes(given) ? given : null);
    if (entry === null) throw new LibraryFolderError(notListed(folder, config, dataDir));
    raw.library_paths = config.library_paths.filter((p) => p !== entry);
    removed = userPath(entry, dataDir);
  });
  return removed;
}

/** Why `given` (`folder` absolute) names no entry of library_paths, or null when it names one. */
export function notListedProblem(given: string, folder: string, config: Paths, dataDir: string): string | null {
  return listedEntry(config, dataDir, folder) !== null || config.library_paths.includes(given) ? null : notListed(folder, config, dataDir);
}

function notListed(folder: string, config: Paths, dataDir: string): string {
  const listed = entries(config, dataDir).map((e) => e.folder);
  return `${folder} is not a library folder; ${listed.length ? `library_paths lists ${listed.join(", ")}` : "library_paths is empty"}`;
}

/** library_paths and output_path of a config.json object already validated (changeConfig checks it first). */
function pathsOf(raw: Record<string, unknown>): Paths {
  return {
    library_paths: Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [],
    output_path: typeof raw.output_path === "string" ? raw.output_path : null,
  };
}

/** What `library list` shows: each entry of library_paths checked on disk, with the books recorded under it. */
export function libraryListView(session: Session, config: Paths = session.config): LibraryListView {
  return entries(config, session.layout.root).map(({ entry, folder }) => {
    const state = folderState(folder);
    const books = booksUnder(session, folder);
    // Looked up only where it tells something: an empty folder that nothing is recorded under any more.
    const movedOut = state === "empty" && books.books === books.missing_books ? booksMovedOutOf(session.db, folder).books : 0;
    return { path: folder, entry, state, ...books, moved_out: movedOut };
  });
}

/** The books recorded under `folder`, and how many of them are missing. */
export function booksUnder(session: Session, folder: string): Pick<LibraryFolderRow, "books" | "missing_books"> {
  const counts = countByStatusUnder(session.db, folder);
  return { books: Object.values(counts).reduce((a, b) => a + b, 0), missing_books: counts.missing ?? 0 };
}

function folderState(folder: string): LibraryFolderRow["state"] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (error) {
    return NOT_THERE.has((error as NodeJS.ErrnoException).code ?? "") ? "missing" : "unreadable";
  }
  if (!stat.isDirectory()) return "not_a_folder";
  try {
    return fs.readdirSync(folder).length === 0 ? "empty" : "ok";
  } catch {
    return "unreadable";
  }
}

/** `p` strictly inside `dir`, by path or once links are resolved. */
function inside(p: string, dir: string): boolean {
  const within = (a: string, b: string) => a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
  return within(p, dir) || within(realOrSelf(p), realOrSelf(dir));
}

function sameFolder(a: string, b: string): boolean {
  return a === b || realOrSelf(a) === realOrSelf(b);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/** No home folder (homeFolder: none known) is no folder to refuse. */
function isHome(folder: string): boolean {
  const home = homeFolder();
  return home !== null && sameFolder(folder, home);
}
