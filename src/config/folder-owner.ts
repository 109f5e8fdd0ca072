/**
 * Files shelfwise makes in a data folder that belongs to someone else, when
 * it runs as root (`sudo shelfwise scan`): each gets the folder's owner, as
 * SQLite gives a database's -wal and -shm the database's owner. Otherwise one
 * root run left a root-owned lock file, database, config.json or log folder
 * behind, and every later run of the folder's owner was refused ("permission
 * denied: shelfwise.lock") or lost its log lines.
 */
import fs from "node:fs";
import path from "node:path";

/** Gives `made` (just created by this process) the owner of `folder` (default: its parent) when running as root. Best effort. */
export function giveFolderOwner(made: string, folder = path.dirname(made)): void {
  if (process.geteuid?.() !== 0) return;
  try {
    const owner = fs.statSync(folder);
    if (owner.uid === 0 && owner.gid === 0) return;
    // lchown: a link swapped in meanwhile is changed itself, never what it points to.
    fs.lchownSync(made, owner.uid, owner.gid);
  } catch {
    // Gone meanwhile, or a file system without owners (FAT, some network mounts): nothing to hand over.
  }
}

/**
 * When running as root: every one of `names` (paths below `folder`) that is
 * root's while `folder` is someone else's is handed to the folder's owner.
 * Called as a session opens, after the lock, the database and the log exist.
 */
export function adoptIntoFolder(folder: string, names: readonly string[]): void {
  if (process.geteuid?.() !== 0) return;
  let owner: fs.Stats;
  try {
    owner = fs.statSync(folder);
  } catch {
    return;
  }
  if (owner.uid === 0) return;
  for (const name of names) {
    try {
      // Every step below the folder must be a real folder or file: handing over a file reached through a
      // link the folder's owner planted (logs -> /etc) would give them a file of root's elsewhere.
      let file = folder;
      let stat: fs.Stats | null = null;
      for (const part of name.split("/")) {
        if (stat && !stat.isDirectory()) break;
        file = path.join(file, part);
        stat = fs.lstatSync(file);
        if (stat.isSymbolicLink()) break;
      }
      if (file === path.join(folder, name) && stat && !stat.isSymbolicLink() && stat.uid === 0) fs.lchownSync(file, owner.uid, owner.gid);
    } catch {
      // Not there (no log yet, no -wal after a checkpoint), or owners not kept here.
    }
  }
}
