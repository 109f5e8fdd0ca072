/**
 * Library folders typed on the command line (`init LIBRARY...`, `scan
 * PATH...`). A path that does not exist or is not a folder is the user's
 * input: bad input (exit 2) before anything is done, whether or not a data
 * folder exists yet. (A scan of an existing data folder used to read a typo as
 * "no library folder could be read", a failure of the machine, exit 1.) A
 * configured library folder (library_paths) that is gone is another matter:
 * the machine's state (a drive not mounted), reported by the scan itself.
 */
import fs from "node:fs";
import { EXIT } from "../app/exit-codes.js";
import { UserError } from "./errors.js";
import { shown } from "./output.js";

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
    if (!stat) throw new UserError(`library folder ${shown(folder)} does not exist; give the folder that holds your audiobooks (nothing was done)`, EXIT.badInput);
    if (!stat.isDirectory()) throw new UserError(`library folder ${shown(folder)} is not a folder; give the folder that holds your audiobooks (nothing was done)`, EXIT.badInput);
  }
}
