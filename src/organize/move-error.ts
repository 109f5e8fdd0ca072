/**
 * A failed move in words that say what to fix, with the path the system
 * named, instead of the errno line (`EACCES: permission denied, rename
 * '/a' -> '/b'`). The book itself is never at risk here: a failed rename
 * changed nothing and a failed copy was removed, so every message ends with
 * where the book is.
 */
import fs from "node:fs";
import path from "node:path";
import { MAX_COMPONENT_BYTES } from "../domain/naming-template.js";
import { sentence } from "../domain/command-advice.js";

const TOO_LONG = sentence`the new name is too long for the file system (${0} bytes in "${1}"; most allow ${2}, and the whole path at most 4096): shorten the book's title or series (\`shelfwise book ${3} --set title=...\`) or naming_template, then run the command again; ${4}`;
const NAME_REFUSED = sentence`the file system of ${0} does not accept the name "${1}" of a file in the book (vfat and exFAT refuse \\ : * ? " < > |); rename that file (then run \`shelfwise scan\`), or move the book to another disk, and run the command again; ${2} (any partial copy was removed)`;

export interface FailedMove {
  bookId: number;
  from: string;
  to: string;
  kind: "folder" | "file";
}

/** The message for a move that failed with `error`; anything unexpected keeps the system's own words. */
export function moveErrorText(error: unknown, move: FailedMove): string {
  const err = (error ?? {}) as NodeJS.ErrnoException & { dest?: string; /** A file a sticky folder keeps from this user (permission-check.ts, disk.ts checkRemovable). */ sticky?: string };
  const stays = `the book stays at ${move.from}`;
  const named = err.path ?? move.to;
  switch (err.code) {
    case "EACCES":
    case "EPERM": {
      // Copying across file systems reads every file and folder of the book: one this user may not read is not a folder to write in.
      if (err.path && READS.has(err.syscall ?? "") && (err.path === move.from || err.path.startsWith(move.from + path.sep))) {
        return `permission denied: this user may not read ${err.path}; give it read access (or move the book by hand) and run the command again; ${stays} (any partial copy was removed)`;
      }
      const unwritable = unwritableFolder(move);
      if (unwritable === null && err.sticky && err.path) {
        return `permission denied: ${err.path} is a shared folder (sticky bit, as /tmp is) where only the owner of ${err.sticky} (or of the folder) may move or remove it; move the book as that user (or give this user ownership of it) and run the command again; ${stays}`;
      }
      // Every folder the move writes is open to this user, and still EPERM: the entry itself refuses (an immutable or
      // append-only flag, which stops root too): write access, which the user has, is not what to give.
      if (unwritable === null && err.code === "EPERM" && !err.sticky) {
        return `operation not permitted on ${named}: it (or its folder) is probably marked immutable or append-only (\`lsattr -d\` shows the i or a flag, \`chattr -i\` / \`chattr -a\` lifts it), or its file system refuses the change; lift that (or move the book by hand) and run the command again; ${stays}`;
      }
      const folder = unwritable ?? named;
      return `permission denied: this user may not write in ${folder}; give it write access there (or move the book by hand) and run the command again; ${stays}`;
    }
    case "EROFS":
      return `${named} is on a read-only file system; remount it read-write (or choose a writable library folder) and run the command again; ${stays}`;
    case "ENOSPC":
      return `the disk holding ${path.dirname(move.to)} is full; free some space there and run the command again; ${stays} (any partial copy was removed)`;
    case "EFBIG":
      // A copy across file systems met a file-size limit: this process's (ulimit -f, RLIMIT_FSIZE) or the file system's (vfat: 4 GiB).
      return `a file of the book is larger than ${path.dirname(move.to)} may hold (the file system's limit, such as FAT32's 4 GiB, or this process's file-size limit, ulimit -f); move it to a disk without that limit (or raise the limit) and run the command again; ${stays} (any partial copy was removed)`;
    case "EDQUOT":
      return `this user's disk quota is used up on the disk holding ${path.dirname(move.to)}; free some space or raise the quota and run the command again; ${stays} (any partial copy was removed)`;
    case "ENAMETOOLONG": {
      const long = longestComponent(move.to);
      return TOO_LONG(long.bytes, long.name, MAX_COMPONENT_BYTES, move.bookId, stays);
    }
    case "EBUSY":
      return `${named} is in use (a mount point, or held by another program); close or unmount it and run the command again; ${stays}`;
    case "EMFILE":
    case "ENFILE":
      return `too many open files while moving ${move.from}; close other programs (or raise the open-files limit, ulimit -n) and run the command again; ${stays}`;
    case "EIO":
      return `the disk reported an input/output error at ${named}; check the disk (dmesg, fsck) and run the command again; ${stays}`;
    case "ENOTDIR":
      return `a file stands where a folder is needed on the way to ${move.to}; move that file away and run the command again; ${stays}`;
    case "ELOOP":
      return `too many symbolic links on the way to ${move.to}; ${stays}`;
    case "ENOSYS":
    case "ENOTSUP":
    case "EOPNOTSUPP":
      // A copy to a disk whose file system lacks what the book holds: vfat and exFAT have no symbolic links.
      if (err.syscall === "symlink") {
        return `the file system of ${path.dirname(move.to)} cannot hold symbolic links (vfat and exFAT have none), and the book holds one (${linkInBook(err.dest, move)}); replace the link by the file it names, or move the book to another disk, then run the command again; ${stays} (any partial copy was removed)`;
      }
      return `the file system of ${path.dirname(move.to)} does not support ${err.syscall ?? "an operation the move needs"} (${err.code}); move the book to another disk, or by hand; ${stays} (any partial copy was removed)`;
    case "EINVAL":
    case "ENOENT": {
      // A copy to a disk that refuses a name of the book (vfat and exFAT: `\ : * ? " < > |`; exFAT through FUSE says
      // ENOENT, the kernel's vfat EINVAL): the source is there, its copy could not be made under that name.
      const refused = refusedName(err, move);
      if (refused !== null) {
        return NAME_REFUSED(path.dirname(move.to), refused, stays);
      }
      if (err.code === "EINVAL") return err.message ?? String(error);
      // mkdir on the way to the target: a link to nothing (output_path or a library folder linked to a disk not
      // mounted), or a folder removed meanwhile. Not the bare errno line.
      if (err.syscall !== "mkdir") return err.message ?? String(error);
      const link = danglingLinkAbove(named);
      if (link !== null) {
        return `${link.at} is a symbolic link to ${link.target}, which does not exist (a disk not mounted, a folder moved away?); mount it or fix the link (or output_path in config.json) and run the command again; ${stays}`;
      }
      // The folder above is there, and still no folder may be made in it: a file system that makes none (/proc, /sys).
      if (isFolder(path.dirname(named))) {
        return `${path.dirname(named)} is on a file system that makes no folders (as /proc and /sys are), so ${named} cannot be made there; give output_path (or the library folder) a folder on a disk, and run the command again; ${stays}`;
      }
      return `a folder on the way to ${move.to} was removed while the book was being moved; run the command again; ${stays}`;
    }
    default:
      return err.message ?? String(error);
  }
}

/** A name of the book a copy could not be made under (see the EINVAL/ENOENT case), or null. */
function refusedName(err: NodeJS.ErrnoException & { dest?: string }, move: FailedMove): string | null {
  const copying = err.syscall === "copyfile" || err.syscall === "open" || err.syscall === "mkdir" || err.syscall === "symlink";
  const dest = err.syscall === "copyfile" || err.syscall === "symlink" ? err.dest : err.path;
  if (!copying || dest === undefined || !/\/\.shelfwise-partial-\d+\//.test(dest)) return null;
  const name = path.basename(dest);
  // Only a name such a disk refuses; an ENOENT for another reason (the hidden folder removed meanwhile) keeps its own words.
  return /[\\:*?"<>|]/.test(name) ? name : null;
}

/** The book's own path of a link whose copy (`dest`, in the hidden .shelfwise-partial-N folder) failed. */
function linkInBook(dest: string | undefined, move: FailedMove): string {
  const rel = dest === undefined ? null : /\/\.shelfwise-partial-\d+\/(.+)$/.exec(dest)?.[1];
  return rel ? path.join(move.from, rel) : (dest ?? "a link");
}

/** System calls that read a source (a copy across file systems), not write a target. */
const READS = new Set(["open", "copyfile", "scandir", "opendir", "read"]);

/**
 * The folder this user may not write in, of those a move writes: the book's
 * folder (a folder moved to another parent rewrites its `..`), the folder it
 * leaves, and the nearest existing folder above its new place (where it, or
 * the folders made for it, go). Null when all look writable (a sticky folder,
 * an immutable file: the system's path is named then).
 */
function unwritableFolder(move: FailedMove): string | null {
  const candidates = [path.dirname(move.from), nearestExisting(path.dirname(move.to))];
  if (move.kind === "folder" && path.dirname(move.from) !== path.dirname(move.to)) candidates.unshift(move.from);
  for (const dir of candidates) {
    if (dir === null) continue;
    try {
      fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    } catch (error) {
      // EPERM from access(2) is an immutable folder, which write access would not open: said as such by the caller.
      if ((error as NodeJS.ErrnoException).code !== "EPERM") return dir;
    }
  }
  return null;
}

/** The nearest entry at or above `p` that exists, when it is a symbolic link whose target does not: where it points. */
function danglingLinkAbove(p: string): { at: string; target: string } | null {
  for (let at = p; ; at = path.dirname(at)) {
    const st = fs.lstatSync(at, { throwIfNoEntry: false });
    if (st !== undefined) {
      if (!st.isSymbolicLink() || fs.existsSync(at)) return null;
      try {
        return { at, target: path.resolve(path.dirname(at), fs.readlinkSync(at)) };
      } catch {
        return null;
      }
    }
    if (path.dirname(at) === at) return null;
  }
}

function nearestExisting(dir: string): string | null {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(at)) return at;
    if (path.dirname(at) === at) return null;
  }
}

function longestComponent(p: string): { name: string; bytes: number } {
  let best = { name: "", bytes: 0 };
  for (const name of p.split(path.sep)) {
    const bytes = Buffer.byteLength(name);
    if (bytes > best.bytes) best = { name, bytes };
  }
  return best;
}

function isFolder(at: string): boolean {
  try {
    return fs.statSync(at).isDirectory();
  } catch {
    return false;
  }
}
