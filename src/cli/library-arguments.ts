/**
 * Library folders typed on the command line (`init LIBRARY...`, `scan
 * PATH...`). A path that does not exist or is not a folder is the user's
 * input: bad input (exit 2) before anything is done, whether or not a data
 * folder exists yet. (A scan of an existing data folder used to read a typo as
 * "no library folder could be read", a failure of the machine, exit 1.) A
 * configured library folder (library_paths) that is gone is another matter:
 * the machine's state (a drive not mounted), reported by the scan itself.
 * Also refused: the root or the home folder, and a folder inside another
 * library folder.
 */
import fs from "node:fs";
import path from "node:path";
import { EXIT } from "../app/exit-codes.js";
import { brokenLinkWords } from "../config/broken-link-words.js";
import { loadConfig } from "../config/config-file.js";
import { homeFolder, userPath } from "../config/user-path.js";
import { outputFolder } from "../config/library-folders.js";
import { shellWord } from "../domain/shell-word.js";
import { UserError } from "./errors.js";
import { shown } from "./output.js";
import { UTF8_RENAME_COMMAND } from "../domain/utf8-rename.js";

/** The file system's ways of saying "there is no folder at this path" as typed. */
const NOT_THERE = new Set(["ENOENT", "ENOTDIR", "ENAMETOOLONG", "ELOOP"]);

/** Throws bad input naming the first path that is not an existing folder; paths the machine refuses to stat (EACCES) are left to the command. */
export function requireLibraryFolders(folders: readonly string[]): void {
  for (const folder of folders) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(folder);
    } catch (error) {
      if (!NOT_THERE.has((error as NodeJS.ErrnoException).code ?? "")) continue;
    }
    // Node reads the command line as UTF-8: a name with other bytes (`$'Bj\xf6rk'`, Latin-1) arrives with U+FFFD in
    // their place and names nothing, though the folder is there. "Does not exist" would be a lie.
    if (!stat && folder.includes("\ufffd")) {
      throw new UserError(
        `library folder ${shown(folder)} cannot be opened as typed: its name holds bytes that are not UTF-8 (shown as \ufffd), which shelfwise cannot read from its command line (and a scan skips such names as problems): rename it to UTF-8 (\`${UTF8_RENAME_COMMAND}\` renames it and everything in it) (nothing was done)`,
        EXIT.badInput,
      );
    }
    const broken = stat ? null : brokenLinkWords(folder);
    if (broken !== null) throw new UserError(`library folder ${shown(folder)} ${broken} (nothing was done)`, EXIT.badInput);
    if (!stat) throw new UserError(`library folder ${shown(folder)} does not exist; give the folder that holds your audiobooks (nothing was done)`, EXIT.badInput);
    if (!stat.isDirectory()) throw new UserError(`library folder ${shown(folder)} is not a folder; give the folder that holds your audiobooks (nothing was done)`, EXIT.badInput);
    // `scan ~` for `scan ~/Audiobooks`: every audio file in caches, games and system folders would become a
    // book, proposed for a move. Refused as output_path is (config/library-folders.ts), before anything is read.
    const whole = path.dirname(folder) === folder ? "the root of the file system" : isHome(folder) ? "your home folder" : null;
    if (whole) throw new UserError(`library folder ${shown(folder)} is ${whole}: all of it would be scanned for audiobooks; give the folder that holds them (\`~/Audiobooks\`) (nothing was done)`, EXIT.badInput);
  }
}

function sameFolder(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync.native(a) === fs.realpathSync.native(b);
  } catch {
    return false;
  }
}

/**
 * A PATH inside another library folder (configured, or given beside it): `scan ~/Audiobooks ~/Audiobooks/Dune`
 * made the book folder a library folder of its own, so its audio files became loose books proposed for moves
 * into folders inside it. Also a PATH holding a configured library folder (`scan ~/Media` with `~/Media/Audiobooks`
 * configured): it was added to library_paths beside the folder it holds, every other audio file under it (podcasts,
 * music) became a book, and the books of the inner folder belonged to two library folders, which `library add`
 * refuses. And a PATH inside output_path, which is scanned whole already. Bad input (exit 2), saying what to give.
 */
export function refuseNestedLibraries(given: readonly string[], configured: readonly string[], output: string | null = null, dataDir: string | null = null): void {
  const libraries = [...new Set([...configured, ...given])];
  for (const folder of given) {
    // As `library add` refuses it, and every later command (config/library-folders.ts): a first `scan DATA/library`
    // was recorded and listed, then the next command stopped on the entry it had written.
    if (dataDir !== null && !configured.includes(folder) && (sameFolder(folder, dataDir) || inside(folder, dataDir))) {
      throw new UserError(
        `library folder ${shown(folder)} is ${sameFolder(folder, dataDir) ? "" : "inside "}shelfwise's data folder ${shown(path.resolve(dataDir))}, whose own files are never books (and removing or copying the data folder would take the books along): keep your audiobooks in a folder of their own and give that one (nothing was done)`,
        EXIT.badInput,
      );
    }
    const outer = libraries.find((other) => other !== folder && inside(folder, other));
    if (outer !== undefined) {
      throw new UserError(
        `library folder ${shown(folder)} is inside the library folder ${shown(outer)}, which is scanned whole: give ${shown(outer)} (\`shelfwise scan\` rescans every library folder); a library folder inside another would make the books in it look loose (nothing was done)`,
        EXIT.badInput,
      );
    }
    if (output !== null && !configured.includes(output) && inside(folder, output)) {
      throw new UserError(
        `library folder ${shown(folder)} is inside output_path ${shown(output)}, where apply puts books, which is scanned whole already: run \`shelfwise scan\` (nothing was done)`,
        EXIT.badInput,
      );
    }
    // output_path inside a configured library folder is fine (config/library-folders.ts); inside a new one it is not.
    if (output !== null && !configured.includes(output) && !configured.includes(folder) && inside(output, folder)) {
      throw new UserError(
        `library folder ${shown(folder)} holds output_path ${shown(output)}, where apply puts books, which is scanned as a library folder of its own: the books there would belong to two library folders. ` +
          `Give the folder that holds your audiobooks, or set output_path inside it (nothing was done)`,
        EXIT.badInput,
      );
    }
    const inner = configured.find((other) => inside(other, folder));
    if (inner !== undefined) {
      throw new UserError(
        `library folder ${shown(folder)} holds the library folder ${shown(inner)}: its books would belong to two library folders, and every other audio file in ${shown(folder)} would become a book. ` +
          `To scan the library folders: \`shelfwise scan\`; to make the larger folder the library: \`shelfwise library remove ${shellWord(inner)}\` (its books are kept, and keep their ids once found under the larger one), then \`shelfwise scan ${shellWord(folder)}\` (nothing was done)`,
        EXIT.badInput,
      );
    }
  }
}

/**
 * The PATHs given, each configured library folder named by another path (a link to it, `~/AB` for
 * `/media/Audiobooks`) replaced by its configured path, each folder once: scanned under a second name, every
 * book of it was recorded again as a new book, and the link added to library_paths.
 */
export function asConfigured(given: readonly string[], configured: readonly string[]): string[] {
  const named = given.map((folder) => (configured.includes(folder) ? folder : (configured.find((other) => sameFolder(other, folder)) ?? folder)));
  const once: string[] = [];
  for (const folder of named) if (!once.some((seen) => sameFolder(seen, folder))) once.push(folder);
  return once;
}

function inside(folder: string, outer: string): boolean {
  const within = (p: string, dir: string) => p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  if (within(path.resolve(folder), path.resolve(outer))) return true;
  try {
    return within(fs.realpathSync.native(folder), fs.realpathSync.native(outer));
  } catch {
    return false;
  }
}

/**
 * The library folders config.json names, read before the data-folder lock so a folder inside one of them is
 * refused at once (exit 2), not after waiting for the lock. None when there is no data folder yet; a config.json
 * that cannot be read is left for the command to report under the lock.
 */
export function configuredLibraries(dataDir: string): string[] {
  return configuredFolders(dataDir).libraries;
}

/** The configured library folders and output_path (null when unset), absolute, read as configuredLibraries. */
export function configuredFolders(dataDir: string): { libraries: string[]; output: string | null } {
  try {
    if (!fs.existsSync(dataDir)) return { libraries: [], output: null };
    const config = loadConfig(dataDir).config;
    return { libraries: config.library_paths.map((p) => userPath(p, dataDir)), output: outputFolder(config, dataDir) };
  } catch {
    return { libraries: [], output: null };
  }
}

/** No home folder (homeFolder: none known) is no folder to refuse. */
function isHome(folder: string): boolean {
  const home = homeFolder();
  return home !== null && sameFolder(folder, home);
}
