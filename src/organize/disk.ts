/**
 * What a move does on disk. Within one file system a move is one rename (a
 * single-file book: a hard link then an unlink, so an existing name is never
 * replaced). Across file systems the book is copied into a hidden folder
 * beside its target, every file fsync'ed and checked (size and SHA-256)
 * against its source, the copy renamed into place, and only then is the
 * source removed, file by file, so a file that appeared during the copy is
 * kept, and so is one written to since its copy was checked. A crash at any point leaves the book whole at one of its two places.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { moveFileBeneath, removeBeneath, removeTreeBeneath, renameNoReplace, type MoveRoots } from "./native-fs.js";
import { sentence } from "../domain/command-advice.js";
import { specialFileWords, specialKind } from "./book-contents.js";

const GONE = sentence`${0} is gone; run \`shelfwise scan\``;
const REPLACED = sentence`${0} is a ${1} now, not the book the plan saw (nothing moved); run \`shelfwise scan\``;

export class MoveRefused extends Error {
  override name = "MoveRefused";
}

/** Tests (and users moving between mounts they know) force the copy path: SHELFWISE_FORCE_COPY=1. */
export function copyForced(option?: boolean): boolean {
  return option ?? process.env.SHELFWISE_FORCE_COPY === "1";
}

/** Whether a name exists (a dangling link counts). No exception for "no": this runs per book. */
export function lexists(p: fs.PathLike): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    // ENOTDIR: a file where a folder was expected on the way; nothing by that name.
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return false;
    throw error;
  }
}

/**
 * lexists, or null when this user may not look (a folder on the way it may
 * not search): whatever a move would do there, the system refuses too, and
 * the permission check (permission-check.ts) says so for that book alone.
 */
export function lexistsOrUnknown(p: fs.PathLike): boolean | null {
  try {
    return lexists(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EACCES") return null;
    throw error;
  }
}

/**
 * Whether a move into `dir` stays plainly inside `root`: the nearest existing
 * folder at or above `dir` is `root` or below it, and no link on the way
 * leads elsewhere (its real path is the root's real path plus the rest).
 */
export function staysInside(dir: string, root: string): boolean {
  let at = dir;
  while (!lexists(at)) {
    const up = path.dirname(at);
    if (up === at) return false;
    at = up;
  }
  if (at !== root && !at.startsWith(root + path.sep)) return false;
  try {
    return fs.realpathSync.native(at) === path.join(fs.realpathSync.native(root), path.relative(root, at));
  } catch {
    return false;
  }
}

/** The first folder above `p` that does not exist yet (what mkdir -p would create first), or null. */
export function firstMissingDir(dir: string): string | null {
  let missing: string | null = null;
  let at = dir;
  for (;;) {
    if (lexists(at)) return missing;
    missing = at;
    const up = path.dirname(at);
    if (up === at) return missing;
    at = up;
  }
}

/** Name of the hidden folder a cross-device copy is built in (dot-prefixed: a scan skips it). */
export function partialPath(toPath: string, moveId: number): string {
  return path.join(path.dirname(toPath), `.shelfwise-partial-${moveId}`);
}

export interface MoveOnDisk {
  id: number;
  from: string;
  to: string;
  kind: "folder" | "file";
  /** The library folders the move stays below; given, no link below them is followed (see refuseLinks). */
  roots?: MoveRoots;
}

/**
 * Throws MoveRefused (nothing changed) when the book is a link now, or a
 * link on the way to it or to its new place leads out of the library
 * folders: a folder swapped for a link since the plan looked. A rename
 * through it would move the book out of the library, or take in what lies
 * outside; a copy would copy through it and then delete what it reached.
 * Asked right before a move touches the disk. With the fs-batch addon the
 * rename itself also refuses (no link followed below the roots: openat2),
 * so no moment between this look and the rename is left open; through
 * node:fs, which has no renameat, this look is the guard.
 */
export function refuseLinks(move: MoveOnDisk): void {
  const roots = move.roots;
  if (!roots) return;
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(move.from, { throwIfNoEntry: false });
  } catch {
    st = undefined; // the move itself says what is wrong
  }
  if (st?.isSymbolicLink()) throw new MoveRefused(`${move.from} is a link now, not the book the plan saw; shelfwise never follows links (nothing moved)`);
  // A folder book's folder replaced by a file (or a loose file by a folder) since the fingerprint check: not what was scanned.
  if (st !== undefined && !st.isSymbolicLink() && st.isDirectory() !== (move.kind === "folder")) {
    throw new MoveRefused(REPLACED(move.from, st.isDirectory() ? "folder" : "file"));
  }
  if (st !== undefined && !plainBelow(path.dirname(move.from), roots.from)) {
    throw new MoveRefused(`the way to ${move.from} leads through a link out of the library folder ${roots.from} now; shelfwise never follows links out of the library (nothing moved)`);
  }
  if (!plainBelow(path.dirname(move.to), roots.to)) {
    throw new MoveRefused(`the way to ${move.to} leads through a link out of ${roots.to} now; shelfwise never follows links out of the library (nothing moved)`);
  }
}

/**
 * Whether `dir` is `root` or below it with no link (nor file) on the way
 * below the root: an lstat per existing folder under the root, down to the
 * first missing one (below it nothing exists to be a link; mkdir makes the
 * rest). The root itself may be a link, or not made yet (an output_path
 * before the first apply): the folders above it are the user's, as the plan
 * takes them. A few lstats, not realpath's one per folder from `/`: this runs
 * per book.
 */
function plainBelow(dir: string, root: string): boolean {
  return offTheWay(dir, root) === null;
}

/**
 * The first symbolic link met on the way from the library folder `root` down
 * to `entry` (the entry itself included), or `entry` when it is not below
 * `root`; null when the way is plain. The root itself may be a link (a
 * mounted drive), as for refuseLinks. Looking stops at the first name that
 * is missing or not a folder: below it nothing exists to be followed.
 * Recovery asks this of both places of a move before it touches either.
 */
export function linkOnTheWay(entry: string, root: string): string | null {
  const off = offTheWay(entry, root);
  return off?.link ? off.at : null;
}

/**
 * The first name on the way from `root` down to `entry` that is not a plain
 * folder (a link, or a file: `link` says which; `entry` itself, as a link,
 * when it is not below `root`), or null: the way is plain down to the first
 * missing name, or cannot be looked at (EACCES, ENOTDIR: nothing is reached
 * through there, and the rename or look that follows says why).
 */
function offTheWay(entry: string, root: string): { at: string; link: boolean } | null {
  if (entry === root) return null;
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  if (!entry.startsWith(base)) return { at: entry, link: true };
  let at = root;
  for (const name of entry.slice(base.length).split(path.sep)) {
    at = at === path.sep ? path.sep + name : at + path.sep + name;
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(at, { throwIfNoEntry: false });
    } catch {
      return null;
    }
    if (st === undefined) return null;
    if (st.isSymbolicLink()) return { at, link: true };
    if (!st.isDirectory()) return { at, link: false };
  }
  return null;
}

/**
 * plainBelow for a name given as bytes (not valid UTF-8: no string reaches
 * it): strictly below `root`, and every existing folder on the way to its
 * parent, looked at byte name by byte name, is a plain folder.
 */
function plainBelowBytes(entry: Buffer, root: string): boolean {
  const base = Buffer.from(root.endsWith(path.sep) ? root : root + path.sep);
  if (entry.length <= base.length || !entry.subarray(0, base.length).equals(base)) return false;
  let at = base.length;
  for (;;) {
    const slash = entry.indexOf(SEP_BYTES[0], at);
    if (slash < 0) return true; // the name itself: acted on, never followed
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(entry.subarray(0, slash), { throwIfNoEntry: false });
    } catch {
      return true; // the removal that follows says why
    }
    if (st === undefined) return true;
    if (!st.isDirectory()) return false;
    at = slash + 1;
  }
}

/** What a rename below the roots said when a link was on the way (ELOOP): refused, as refuseLinks would have. */
function linkRefusal(move: MoveOnDisk): MoveRefused {
  return new MoveRefused(`a link appeared on the way from ${move.from} to ${move.to}; shelfwise never follows links out of the library (nothing moved)`);
}

/**
 * Moves one book. Returns how; throws MoveRefused when the target appeared
 * or the source vanished (nothing changed), other errors as they come (the
 * caller rolls back what this move created).
 */
export function moveOnDisk(
  move: MoveOnDisk,
  options: {
    forceCopy: boolean;
    onCopy: () => void;
    /** Folders known to exist: made once, not per book. */
    ready?: Set<string>;
    /** A copy that stood with files left at the old place: what was left where (leftBehindNote). */
    onLeftBehind?: (note: string) => void;
  },
): "rename" | "link" | "copy" {
  const parent = path.dirname(move.to);
  // Before any folder is made: mkdir -p through a link would make folders outside the library.
  refuseLinks(move);
  if (!options.forceCopy && move.kind === "folder") {
    // The kernel refuses an existing target in the rename itself (renameat2 RENAME_NOREPLACE), when it can.
    ensureFolder(parent, options.ready);
    let outcome: ReturnType<typeof renameNoReplace>;
    try {
      outcome = renameNoReplace(move.from, move.to, move.roots);
    } catch (error) {
      return afterRenameError(error, move, options, parent);
    }
    if (outcome === "renamed") return "rename";
    if (outcome === "exists") throw new MoveRefused(`${move.to} exists; nothing is ever overwritten`);
  }
  // Checked right before the rename even when the plan found the place free: rename(2) replaces an
  // empty folder, and time (or another program) may have passed since.
  if (lexists(move.to)) throw new MoveRefused(`${move.to} exists; nothing is ever overwritten`);
  ensureFolder(parent, options.ready);
  if (!options.forceCopy) {
    let before: fs.Stats | undefined;
    try {
      if (move.kind === "file") return placeFile(move.from, move.to, move.roots);
      before = move.roots ? fs.lstatSync(move.from) : undefined;
      removalHooks.beforeRename?.(move.from, move.to);
      fs.renameSync(move.from, move.to);
    } catch (error) {
      return afterRenameError(error, move, options, parent);
    }
    if (before !== undefined) landedInside(move, before);
    return "rename";
  }
  return copyInstead(move, options);
}

type MoveOptions = Parameters<typeof moveOnDisk>[1];

/**
 * After a rename through node:fs (no renameat2 below the roots: the addon is
 * not in use, or the file system cannot refuse in the rename): refuseLinks
 * looked at the way right before, but a folder swapped for a link in the
 * microseconds between is followed by rename(2). Looked at again after it:
 * the entry at the new place must be the book the look saw (same device and
 * inode: not a folder from outside taken in through a link on the way to the
 * old place), and both ways plain below their library folders. When not, the
 * rename is reversed by the same names (the link, still there, leads back),
 * and the move refused. It narrows the window to a swap made and undone
 * within the rename itself; that one is reported, not hidden.
 */
function landedInside(move: MoveOnDisk, before: fs.Stats): void {
  const roots = move.roots!;
  const there = lstatOrUndefined(move.to);
  const same = there !== undefined && there.ino === before.ino && there.dev === before.dev;
  // The book itself at its new place, reached plainly: moved as meant (a link put on the old way since changes nothing).
  if (same && plainBelow(path.dirname(move.to), roots.to)) return;
  const where = there === undefined ? null : realpathOrNull(move.to);
  if (there === undefined || lexists(move.from) || (same && !plainBelow(path.dirname(move.from), roots.from))) {
    throw new Error(
      `a folder on the way from ${move.from} to ${move.to} was swapped for a link during the rename: ${where === null ? "the book may be outside the library now, where that link led" : `what was renamed is at ${where} now`}; shelfwise did not move it again (it never follows links on purpose): put it back by hand`,
    );
  }
  fs.renameSync(move.to, move.from);
  throw new MoveRefused(
    same
      ? `a link appeared on the way from ${move.from} to ${move.to} during the rename; the book was moved back (nothing moved); shelfwise never follows links out of the library`
      : `a link appeared on the way to ${move.from} during the rename, and something else than the book came in by it; it was put back (nothing moved); shelfwise never follows links out of the library`,
  );
}

function realpathOrNull(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

function ensureFolder(dir: string, ready: Set<string> | undefined): void {
  if (ready?.has(dir)) return;
  makeFolders(dir);
  ready?.add(dir);
}

/**
 * mkdir -p, failing with the system's own reason, one folder at a time from
 * the first missing one. Not Node's recursive mkdir: it says ENOENT (of the
 * folder it was making) for any failure below an existing folder, a read-only
 * mount included, and where a mkdir says ENOENT though the folder above
 * exists (a pseudo file system: an output_path under /proc) it makes the
 * folder above again and again, for ever: an apply that never ended.
 */
export function makeFolders(dir: string): void {
  const first = firstMissingDir(dir);
  if (first === null) {
    // There already: a folder (or a link to one), else what mkdir would say of it.
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${dir}'`), { code: "EEXIST", errno: -17, syscall: "mkdir", path: dir });
    return;
  }
  const below = path.relative(first, dir).split(path.sep).filter((name) => name !== "");
  for (let at = first, i = 0; ; at = path.join(at, below[i++]!)) {
    try {
      fs.mkdirSync(at);
    } catch (error) {
      // Made meanwhile by another process: as good, when it is a folder.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !fs.statSync(at).isDirectory()) throw error;
    }
    if (i === below.length) return;
  }
}

/** What a failed rename or link means: refused, retried once, a copy across file systems, or the error. */
function afterRenameError(error: unknown, move: MoveOnDisk, options: MoveOptions, parent: string): "rename" | "link" | "copy" {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EEXIST" || code === "ENOTEMPTY") throw new MoveRefused(`${move.to} exists; nothing is ever overwritten`);
  if (code === "ELOOP" && move.roots) throw linkRefusal(move);
  if (code === "ENOENT" && !lexists(move.from)) throw new MoveRefused(GONE(move.from));
  if (code === "ENOENT" && options.ready?.delete(parent)) {
    // The folder made for an earlier book went away since (removed by someone else): make it again, once.
    return moveOnDisk(move, options);
  }
  if (move.kind === "file" && (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EMLINK")) {
    // No hard links on this file system: a checked rename.
    if (lexists(move.to)) throw new MoveRefused(`${move.to} exists; nothing is ever overwritten`);
    fs.renameSync(move.from, move.to);
    return "rename";
  }
  if (code !== "EXDEV") throw error;
  return copyInstead(move, options);
}

function copyInstead(move: MoveOnDisk, options: MoveOptions): "copy" {
  options.onCopy();
  const note = copyVerified(move);
  if (note !== null) options.onLeftBehind?.(note);
  return "copy";
}

/** Returns what the copy left at the old place (leftBehindNote), or null. */
function copyVerified(move: MoveOnDisk): string | null {
  checkRemovable([move.from], move.kind);
  const temp = partialPath(move.to, move.id);
  removeOwnCopy(temp, move.roots?.to);
  const copied: CopiedSource[] = [];
  try {
    if (move.kind === "file") {
      fs.mkdirSync(temp);
      const dest = path.join(temp, "file");
      const st = copyFileVerified(move.from, dest);
      fsyncDir(temp);
      refuseLinks(move);
      if (lexists(move.to)) throw new MoveRefused(`${move.to} appeared during the copy; nothing is ever overwritten`);
      fs.renameSync(dest, move.to);
      copied.push(copiedSource(move.from, st));
    } else {
      copyTree(Buffer.from(move.from), Buffer.from(temp), copied);
      // A copy takes time: the way may have changed since the look before it (the copy would then be placed
      // outside the library, or the sources removed through a link).
      refuseLinks(move);
      const appeared = () => new MoveRefused(`${move.to} appeared during the copy; nothing is ever overwritten`);
      if (lexists(move.to)) throw appeared();
      // rename(2) would replace an empty folder made since the look above; the kernel refuses it where it can.
      const outcome = renameNoReplace(temp, move.to);
      if (outcome === "exists") throw appeared();
      if (outcome === "unsupported") fs.renameSync(temp, move.to);
    }
    fsyncDir(path.dirname(move.to));
  } catch (error) {
    // The source is untouched: drop the half-made copy.
    try {
      removeOwnCopy(temp, move.roots?.to);
    } catch {
      // Our hidden folder stays for the next recovery; the error that matters is the copy's.
    }
    throw error;
  }
  // The book is whole at its new place from here on; what cannot be removed of the source stays (a spare copy, never a loss).
  try {
    removeOwnCopy(temp, move.roots?.to);
  } catch {
    // Our hidden folder stays for the next recovery; the move itself is done.
  }
  const unremoved = removeCopied(move.from, copied, move.kind, move.roots?.from);
  const refused = sourceKept(move.from, copied.length, unremoved);
  if (refused !== null) takeBackCopy(move, temp, refused);
  return leftBehindNote(move.from, move.to, move.kind === "folder" ? [] : [move.from], unremoved);
}

/**
 * After a copy that stood (the book whole at `to`): what stayed at the old
 * place, in words naming each file (the first few) and why, or null when
 * nothing did. A source partly removable (one file the system refused: an
 * immutable file, a read-only folder or mount inside the book) or written to
 * during the copy keeps its remainder; kept silently, the user would find a
 * stray half-book later, with no word of which copy is whole, and an undo
 * refused for an old place "taken". `files`: a single file's sources (the
 * audio file and its companions); for a folder book, whatever is still
 * below `from`.
 */
export function leftBehindNote(from: string, to: string, files: readonly string[], unremoved: readonly Unremoved[]): string | null {
  const left: string[] = [];
  /** Entries copyTree leaves where they are (not a book's content): said as such, not as written during the copy. */
  const special = new Map<string, string>();
  if (files.length === 0) {
    if (!lexists(from)) return null;
    const walk = (dir: Buffer) => {
      let entries: fs.Dirent<Buffer>[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
      } catch {
        return;
      }
      for (const entry of entries) {
        const at = childPath(dir, entry.name);
        if (entry.isDirectory()) walk(at);
        else {
          left.push(at.toString());
          if (!entry.isFile() && !entry.isSymbolicLink()) special.set(at.toString(), specialWords(entry));
        }
      }
    };
    walk(Buffer.from(from));
  } else {
    for (const file of files) if (lexists(file)) left.push(file);
    if (left.length === 0) return null;
  }
  const why = new Map(unremoved.map((u) => [u.path.toString(), unremovableWords(u.code)]));
  const said = left.slice(0, 5).map((p) => `${p} (${why.get(p) ?? special.get(p) ?? "changed or added during the copy: it may hold what the copy lacks"})`);
  if (left.length > 5) said.push(`and ${left.length - 5} more`);
  const stayed =
    left.length === 0
      ? `its emptied folder ${from} could not be removed`
      : `${left.length === 1 ? "1 file" : `${left.length} files`} stayed at the old place: ${said.join(", ")}`;
  return `moved to ${to}, but ${stayed}; the book is whole at ${to}: compare and remove what stayed by hand (an undo needs the old place free)`;
}

/** Why copyTree left an entry that is neither a file, a folder nor a link: its kind, which no copy carries. */
function specialWords(entry: fs.Dirent<Buffer>): string {
  const kind = entry.isFIFO() ? "a named pipe (FIFO)" : entry.isSocket() ? "a socket" : entry.isCharacterDevice() || entry.isBlockDevice() ? "a device node" : "not a regular file";
  return `${kind}, which a copy across file systems does not carry: move or remove it by hand`;
}

/**
 * The system refusing a removal (read-only, permissions): the source is whole where it was. Not a link on the way
 * (ELOOP): the folder was swapped for one since, the book moved elsewhere by someone else, and the verified copy is the
 * library's only one.
 */
const REFUSED_REMOVAL = new Set(["EROFS", "EACCES", "EPERM"]);

/**
 * When not one of `copied` sources could be removed after their verified
 * copy, each refused by the system (see REFUSED_REMOVAL): why, in words that
 * say the copy was taken back; else null (the move stands).
 */
export function sourceKept(from: string, copied: number, unremoved: readonly Unremoved[]): string | null {
  if (copied === 0 || unremoved.length !== copied || !unremoved.every((u) => REFUSED_REMOVAL.has(u.code))) return null;
  const first = unremoved[0]!;
  return `${path.dirname(first.path.toString())} could not be changed after the copy (${unremovableWords(first.code)}): the book stays at ${from}, and its copy was taken back (nothing moved); fix that and run the command again`;
}

/**
 * checkRemovable found the source removable, and then not one file of it
 * could be removed (its file system remounted read-only during the copy, its
 * folder's permissions changed): the book would stay whole at both places,
 * reported as moved, and its old place then blocks an undo. Nothing of the
 * source was touched, so the copy is taken back (renamed to its hidden name,
 * then removed) and the move refused, saying why: the book is once, at its old
 * place, and the next run moves it once the cause is fixed. A source partly
 * removed stays as it is (the copy is then the only whole book).
 */
function takeBackCopy(move: MoveOnDisk, temp: string, why: string): never {
  // A loose file goes back into a hidden folder, as it was copied: removeOwnCopy removes folders only (a file of that
  // name is never taken to be ours), and a file hidden as `temp` itself stayed there, a full spare copy in a folder
  // the move made, blocking the next copy of the book.
  if (move.kind === "file" && !fs.lstatSync(temp, { throwIfNoEntry: false })?.isDirectory()) fs.mkdirSync(temp);
  const into = move.kind === "file" ? path.join(temp, "file") : temp;
  const hidden = renameNoReplace(move.to, into);
  if (hidden === "unsupported") {
    if (lexists(into)) throw new Error(`${why.replace("its copy was taken back (nothing moved)", `its copy is at ${move.to} too: remove one of them`)}`);
    fs.renameSync(move.to, into);
  } else if (hidden === "exists") throw new Error(why.replace("its copy was taken back (nothing moved)", `its copy is at ${move.to} too: remove one of them`));
  try {
    removeOwnCopy(temp, move.roots?.to);
  } catch {
    // Hidden beside the target: the book's place is free, and the next apply's copy clears it first.
  }
  throw new MoveRefused(why);
}

/**
 * Before a copy across file systems: throws (EACCES or EROFS, naming the
 * folder) unless this user may remove every source once it is copied. A
 * rename is refused by the system for the same folders; a copy would be made
 * and verified, its source then left whole beside it: the book twice, and a
 * report saying it moved. `paths` are the files (or the one folder) to
 * remove, all in one folder.
 */
const STICKY = 0o1000;

export function checkRemovable(paths: readonly string[], kind: "folder" | "file"): void {
  const removable = (dir: fs.PathLike, children: readonly fs.PathLike[]) => {
    // access(2): write and search, and a read-only mount (EROFS), as the system will judge the unlink.
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    const uid = process.geteuid?.();
    if (uid === undefined || uid === 0) return;
    const st = fs.statSync(dir);
    // A sticky folder (/tmp, a shared inbox): only the owner of a file, or of the folder, may remove it.
    if ((st.mode & STICKY) === 0 || st.uid === uid) return;
    for (const child of children) {
      if (fs.lstatSync(child).uid !== uid) {
        throw Object.assign(new Error(`EACCES: permission denied, unlink '${child.toString()}'`), { code: "EACCES", syscall: "unlink", path: dir.toString(), sticky: child.toString() });
      }
    }
  };
  removable(path.dirname(paths[0]), paths);
  if (kind !== "folder") return;
  // Names as bytes: a file whose name is not valid UTF-8 is in the folder too (see copyTree).
  const walk = (dir: Buffer) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    // A pipe, socket or device node: no copy carries it, so the book would be left in part at its old place (and the
    // undo then refused for the old place taken). Refused before anything is copied, as the plan holds it.
    for (const entry of entries) {
      const kind = specialKind(entry);
      if (kind !== null) throw new MoveRefused(specialFileWords(childPath(dir, entry.name).toString(), kind, paths[0]));
    }
    removable(dir, entries.map((e) => childPath(dir, e.name)));
    for (const entry of entries) if (entry.isDirectory()) walk(childPath(dir, entry.name));
  };
  walk(Buffer.from(paths[0]));
}

/**
 * Removes a half-made copy (our own hidden folder). Its folders carry their
 * sources' modes, so a read-only one is made writable first where removal
 * needs it (only root ignores modes).
 */
export function removeOwnCopy(dir: string, root?: string): void {
  // With the library folder: never through a link, on the way or inside, at the moment of each removal.
  if (root !== undefined) return removeTreeBelow(dir, root);
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  } catch {
    // Below: writable folders, then once more.
  }
  const writable = (at: Buffer) => {
    try {
      fs.chmodSync(at, 0o700);
      for (const entry of fs.readdirSync(at, { withFileTypes: true, encoding: "buffer" })) if (entry.isDirectory()) writable(childPath(at, entry.name));
    } catch {
      // What cannot be made writable stays; the next recovery tries again.
    }
  };
  writable(Buffer.from(dir));
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Copies a folder (links as links, never followed), fsyncing each file and
 * folder; lists what it copied. What a rename would keep is kept where the
 * file system allows: modes (a private 0700 folder must not come out 0755),
 * times, owners (when run as root), and names that share one file within the
 * book stay hard links to one copy. Names are handled as bytes: a file whose
 * name is not valid UTF-8 (the scan leaves it out of the book's file list)
 * still moves with its folder, as it does in a rename.
 */
function copyTree(from: Buffer, to: Buffer, copied: CopiedSource[], linked = new Map<string, Buffer>()): void {
  fs.mkdirSync(to, { mode: 0o700 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true, encoding: "buffer" })) {
    const src = childPath(from, entry.name);
    const dest = childPath(to, entry.name);
    if (entry.isDirectory()) {
      copyTree(src, dest, copied, linked);
      continue;
    }
    let st: fs.Stats;
    if (entry.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(src, { encoding: "buffer" }), dest);
      st = fs.lstatSync(src);
      keepOwner(dest, st);
      try {
        copyTimes(src, dest, true);
      } catch {
        // Not every file system sets a link's own times.
      }
    } else if (entry.isFile()) {
      st = fs.statSync(src);
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? linked.get(key) : undefined;
      if (first !== undefined) fs.linkSync(first, dest);
      else {
        st = copyFileVerified(src, dest);
        keepOwner(dest, st);
        if (st.nlink > 1) linked.set(key, dest);
      }
    } else continue; // sockets, fifos: not a book's content, left where they are
    copied.push(copiedSource(src, st));
  }
  const st = fs.statSync(from);
  keepOwner(to, st);
  // Last: a read-only folder could not have been filled, and chmod leaves its times alone.
  fs.chmodSync(to, st.mode & 0o7777);
  copyTimes(from, to);
  fsyncDir(to);
}

/**
 * Seconds for utimes that land on `ns`'s own microsecond. libuv keeps whole microseconds of the double it is given,
 * cut, not rounded, and a plain `mtimeMs / 1000` (a double of ~0.24 µs steps at today's dates) may fall a hair below
 * the time: a file stamped at .202000000 s came out at .201999 (a millisecond early in every ms-rounded view); the
 * middle of the microsecond is safe from both.
 */
function utimeSeconds(ns: bigint): number {
  if (ns < 0n) return Number(ns) / 1e9;
  return Number(ns / 1_000_000_000n) + (Number((ns % 1_000_000_000n) / 1000n) * 1000 + 500) / 1e9;
}

/** Gives `dest` the access and modification times of `src` (a link's own with `link`), to the microsecond. */
function copyTimes(src: fs.PathLike, dest: fs.PathLike, link = false): void {
  const st = link ? fs.lstatSync(src, { bigint: true }) : fs.statSync(src, { bigint: true });
  (link ? fs.lutimesSync : fs.utimesSync)(dest, utimeSeconds(st.atimeNs), utimeSeconds(st.mtimeNs));
}

const SEP_BYTES = Buffer.from(path.sep);

/** `dir/name` as bytes (path.join takes no Buffer); `dir` is absolute and normalized, as every book path is. */
function childPath(dir: Buffer, name: Buffer): Buffer {
  return dir.length > 0 && dir[dir.length - 1] === SEP_BYTES[0] ? Buffer.concat([dir, name]) : Buffer.concat([dir, SEP_BYTES, name]);
}

/** The source's owner, when this process may give it (root); otherwise the copy is the mover's, as with cp. */
function keepOwner(dest: fs.PathLike, st: fs.Stats): void {
  if (process.getuid?.() !== 0) return;
  try {
    fs.lchownSync(dest, st.uid, st.gid);
  } catch {
    // A file system without owners (vfat, some network shares).
  }
}

/** A source file (or link) as it was copied: its size and mtime then. */
export interface CopiedSource {
  path: fs.PathLike;
  size: number;
  mtimeMs: number;
  /** The file itself: another with the same size and time (a `cp -p` copy) reached through a link since is not it. */
  dev: number;
  ino: number;
}

export function copiedSource(p: fs.PathLike, st: fs.Stats): CopiedSource {
  return { path: p, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
}

/**
 * Removes each source that is still as it was copied. One written to since
 * (a download still appending, a tag editor saving) holds bytes the verified
 * copy lacks: it stays where it is, a second copy rather than a loss. Each
 * file on its own: one that cannot be removed does not keep the others.
 */
export function removeIfUnchanged(sources: readonly CopiedSource[], root?: string): Unremoved[] {
  const unremoved: Unremoved[] = [];
  for (const source of sources) {
    let now: fs.Stats | undefined;
    try {
      now = fs.lstatSync(source.path, { throwIfNoEntry: false });
      if (now === undefined || now.size !== source.size || now.mtimeMs !== source.mtimeMs || now.ino !== source.ino || now.dev !== source.dev) continue;
      // With the library folder: never through a link below it (a folder swapped since the look above); a name
      // that is not UTF-8 goes as its bytes.
      if (root !== undefined && (typeof source.path === "string" || Buffer.isBuffer(source.path))) {
        try {
          removeBelow(source.path, root, false);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
      } else fs.rmSync(source.path, { force: true });
    } catch (error) {
      // Not ours to remove (a read-only mount, no permission): it stays, a spare copy; the caller may say so.
      unremoved.push({ path: source.path, code: (error as NodeJS.ErrnoException).code ?? "" });
    }
  }
  return unremoved;
}

/** A source file that was to be removed and could not be, and the system's reason (errno code). */
export interface Unremoved {
  path: fs.PathLike;
  code: string;
}

/** Why a file could not be removed, in a few plain words. */
export function unremovableWords(code: string): string {
  if (code === "EROFS") return "read-only file system";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EBUSY") return "in use";
  if (code === "ELOOP") return "a symbolic link on the way now, and shelfwise never follows links";
  return code || "unknown error";
}

/** Copies `src` to a new file `dest`, fsync'ed, with the source's times, and checks size and SHA-256; returns the source's stat as copied. */
export function copyFileVerified(src: fs.PathLike, dest: fs.PathLike): fs.Stats {
  fs.copyFileSync(src, dest, fs.constants.COPYFILE_EXCL);
  // Keep mtimes: they are part of a book's fingerprint.
  copyTimes(src, dest);
  const st = fs.statSync(src);
  const fd = fs.openSync(dest, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const copy = fs.statSync(dest);
  if (copy.size !== st.size) throw new Error(`copy of ${shownPath(src)} has ${copy.size} bytes, the original ${st.size}; source kept`);
  if (hashFile(src) !== hashFile(dest)) throw new Error(`copy of ${shownPath(src)} differs from the original; source kept`);
  return st;
}

/** A path for a message; bytes that are not UTF-8 show as U+FFFD. */
function shownPath(p: fs.PathLike): string {
  return p.toString();
}

export function hashFile(file: fs.PathLike): string {
  const hash = crypto.createHash("sha256");
  const fd = fs.openSync(file, "r");
  // One buffer for every call (the reads are synchronous, and each thread has its own): a fresh megabyte per file
  // hashed, twice per file copied, made copying a library of small files half garbage collection (500 books of three
  // files: 2.7-2.9 CPU-s, 1.3-1.5 with one buffer).
  const buffer = (hashBuffer ??= Buffer.allocUnsafe(1 << 20));
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

let hashBuffer: Buffer | undefined;

/** Removes exactly what was copied (where unchanged since), then folders left empty; anything new stays. Returns what could not be removed. */
function removeCopied(from: string, copied: CopiedSource[], kind: "folder" | "file", root?: string): Unremoved[] {
  const unremoved = removeIfUnchanged(copied, root);
  if (kind === "folder") removeEmptyTree(Buffer.from(from), root);
  return unremoved;
}

/** With `root`, no folder is removed through a link below it (see removeBelow). */
function removeEmptyTree(dir: Buffer, root?: string): boolean {
  let empty = true;
  let entries: fs.Dirent<Buffer>[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (entry.isDirectory() && removeEmptyTree(childPath(dir, entry.name), root)) continue;
    empty = false;
  }
  if (!empty) return false;
  try {
    if (root !== undefined) removeBelow(dir, root, true);
    else fs.rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * The rest of an interrupted copy: the target is complete (it is renamed into
 * place only after every file was checked), so what remains of the source is
 * removed where it matches the copy, and kept where it does not.
 */
export function finishCopy(from: string, to: string, kind: "folder" | "file", root?: string): string | null {
  if (!lexists(from)) return null;
  let unremoved: Unremoved[] = [];
  if (kind === "file") {
    // Stamped before the comparison: a file written to after it is kept.
    const st = fs.lstatSync(from);
    if (sameContent(from, to)) unremoved = removeIfUnchanged([copiedSource(from, st)], root);
  } else {
    const copied: CopiedSource[] = [];
    collectMatching(Buffer.from(from), Buffer.from(to), copied);
    unremoved = removeCopied(from, copied, "folder", root);
  }
  if (!lexists(from)) return null;
  if (unremoved.length > 0) {
    const reasons = [...new Set(unremoved.map((u) => unremovableWords(u.code)))].join(", ");
    const n = unremoved.length === 1 ? "1 file" : `${unremoved.length} files`;
    return `${n} left at ${from} could not be removed (${reasons}); they are a spare copy of what is now at ${to}: remove them by hand`;
  }
  return `files left at ${from} differ from the copy; kept`;
}

function collectMatching(from: Buffer, to: Buffer, into: CopiedSource[]): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true, encoding: "buffer" })) {
    const src = childPath(from, entry.name);
    const dest = childPath(to, entry.name);
    // The copy's side is looked at without following links: a folder or file of the copy swapped for a link
    // (to the same bytes elsewhere) is not the library's copy, and the source it matches stays.
    const there = lstatOrUndefined(dest);
    if (entry.isDirectory()) {
      if (there?.isDirectory()) collectMatching(src, dest, into);
    } else if (entry.isSymbolicLink() || entry.isFile()) {
      // Stamped before the comparison: a file written to after it is kept.
      const st = fs.lstatSync(src);
      if (entry.isSymbolicLink() ? there !== undefined : there?.isFile() === true && sameContent(src, dest)) into.push(copiedSource(src, st));
    }
  }
}

function lstatOrUndefined(p: fs.PathLike): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Both are plain files (never a link: a link to the same bytes outside the
 * library is not a copy in it) with the same bytes.
 */
export function sameContent(a: fs.PathLike, b: fs.PathLike): boolean {
  try {
    const x = fs.lstatSync(a);
    const y = fs.lstatSync(b);
    return x.isFile() && y.isFile() && x.size === y.size && hashFile(a) === hashFile(b);
  } catch {
    return false;
  }
}

export function fsyncDir(dir: fs.PathLike): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * For tests: called right before each removal a clean-up makes (an emptied
 * folder, a copied source file), with the path about to be removed: the
 * moment a folder on the way may be swapped for a link by someone else.
 */
export const removalHooks: {
  beforeRemove?: (target: string) => void;
  /** Right before placeFile links `from` to `to`: the moment a folder on either way may be swapped for a link. */
  beforePlace?: (from: string, to: string) => void;
  /** Right before a book is renamed (or a loose file linked) through node:fs, after the look at its ways: the moment a folder on either way may be swapped for a link. */
  beforeRename?: (from: string, to: string) => void;
} = {};

const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"]);

/**
 * Moves one file without replacing an existing name: a hard link, then the
 * old name unlinked (or, where the file system has no hard links, a rename
 * that refuses an existing target). With `roots` (the library folders of the
 * two places) no link below them is followed: with the fs-batch addon the
 * link and the unlink act in descriptors of the two parent folders opened
 * from the roots (openat2), so a folder swapped for a link at any moment
 * before cannot bring a file from outside into the library, nor put the
 * library's file outside; through node:fs, which has no linkat, the way is
 * looked at (lstat) right before. Throws EEXIST for a taken name, ELOOP for
 * a link on the way (nothing changed), else as node:fs.
 */
export function placeFile(from: string, to: string, roots?: MoveRoots): "link" | "rename" {
  removalHooks.beforePlace?.(from, to);
  if (roots !== undefined) {
    try {
      if (moveFileBeneath(roots.from, from, roots.to, to) === "linked") return "link";
    } catch (error) {
      if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
      const outcome = renameNoReplace(from, to, roots);
      if (outcome === "renamed") return "rename";
      if (outcome === "exists") throw Object.assign(new Error(`EEXIST: ${to} exists`), { code: "EEXIST", path: to });
      // The file system cannot refuse in the rename: the checked rename below.
    }
    if (!plainBelow(path.dirname(from), roots.from) || !plainBelow(path.dirname(to), roots.to)) {
      throw Object.assign(new Error(`ELOOP: a link on the way, link '${from}' -> '${to}'`), { code: "ELOOP", path: from, dest: to });
    }
  }
  const before = roots === undefined ? undefined : fs.lstatSync(from);
  try {
    removalHooks.beforeRename?.(from, to);
    // link() fails on an existing name where rename() would replace it.
    fs.linkSync(from, to);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
    if (lexists(to)) throw Object.assign(new Error(`EEXIST: ${to} exists`), { code: "EEXIST", path: to });
    fs.renameSync(from, to);
    return "rename";
  }
  if (before !== undefined && !linkedPlainly(from, to, before, roots!)) {
    // A folder swapped for a link between the look above and link(2): the new name is let go (it is one of two names of
    // the same file, ours or one outside taken in by it), nothing else; the old name stays as it was.
    const taken = lstatOrUndefined(to);
    const source = lstatOrUndefined(from);
    const sameFile = (a: fs.Stats | undefined, b: fs.Stats | undefined) => a !== undefined && b !== undefined && a.ino === b.ino && a.dev === b.dev;
    if (sameFile(taken, before) || sameFile(taken, source)) fs.unlinkSync(to);
    throw Object.assign(new Error(`ELOOP: a link appeared on the way, link '${from}' -> '${to}'`), { code: "ELOOP", path: from, dest: to });
  }
  try {
    fs.unlinkSync(from);
  } catch (error) {
    fs.unlinkSync(to);
    throw error;
  }
  return "link";
}

/**
 * After link(2) through node:fs: both names are the file the look before saw
 * (same device and inode: neither a file from outside taken in, nor another
 * file at the old name that the unlink after would remove), and both ways are
 * plain below their library folders. Narrows the window between that look and
 * link(2) to a swap made and undone within the call.
 */
function linkedPlainly(from: string, to: string, before: fs.Stats, roots: MoveRoots): boolean {
  const isBook = (p: string) => {
    const st = lstatOrUndefined(p);
    return st !== undefined && st.ino === before.ino && st.dev === before.dev;
  };
  return isBook(to) && isBook(from) && plainBelow(path.dirname(to), roots.to) && plainBelow(path.dirname(from), roots.from);
}

/**
 * rmdir (or unlink, `folder` false) of `target`, never through a link below
 * `root` (the library folder it is in), checked at the moment of acting:
 * with the fs-batch addon in a descriptor of its parent opened from the root
 * with no link followed (openat2), so a swap at any moment before is caught;
 * through node:fs, which has no unlinkat, by an lstat of each folder on the
 * way right before (a swap in the microseconds between is not caught there).
 * The name itself is never followed (rmdir and unlink act on the entry).
 * Throws ELOOP for a link on the way (nothing removed), else as node:fs.
 */
export function removeBelow(target: string | Buffer, root: string, folder: boolean): void {
  removalHooks.beforeRemove?.(target.toString());
  if (removeBeneath(root, target, folder) === "removed") return;
  if (typeof target === "string" ? !plainBelow(path.dirname(target), root) || !target.startsWith(root.endsWith(path.sep) ? root : root + path.sep) : !plainBelowBytes(target, root)) {
    throw Object.assign(new Error(`ELOOP: a link on the way, ${folder ? "rmdir" : "unlink"} '${target.toString()}'`), { code: "ELOOP", path: target.toString() });
  }
  if (folder) fs.rmdirSync(target);
  else fs.unlinkSync(target);
}

/**
 * Removes `dir` and its parents while they are empty, up to but never `stop`
 * (or anything not under it), all below the library folder `root`. No
 * folder is removed through a link: rmdir through one would remove an empty
 * folder outside the library. Each removal looks again (removeBelow), since
 * a folder may be swapped for a link after the move and before its
 * clean-up; the first link met stops the clean-up there.
 */
export function removeEmptyParents(dir: string, stop: string, root: string): void {
  let at = dir;
  while (at !== stop && at.startsWith(stop + path.sep)) {
    try {
      removeBelow(at, root, true);
    } catch {
      return; // not empty, a link on the way (or not ours to remove): stop here
    }
    at = path.dirname(at);
  }
}

/** Both names are one file (a crash between link and unlink). */
export function sameInode(a: string, b: string): boolean {
  try {
    const x = fs.lstatSync(a);
    const y = fs.lstatSync(b);
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false;
  }
}

/**
 * rm -r of the folder `dir` (our hidden copy folder), never through a link
 * below `root`: with the addon every level is opened from the one above with
 * no link followed (no moment left open); through node:fs the way from the
 * root is looked at (lstat) right before, and each entry is lstat'ed right
 * before it is removed or gone into: a link, wherever met, is removed as a
 * link (unlink acts on the entry), never followed. Folders are made writable
 * first where removal needs it (our copy keeps its sources' modes). Nothing
 * there is not an error. Throws ELOOP for a link on the way or in the
 * folder's place (nothing removed).
 */
export function removeTreeBelow(dir: string, root: string): void {
  // Only for a removal that removes something (the clean-up before a copy finds no folder there, as a rule).
  if (removalHooks.beforeRemove !== undefined && lexists(dir)) removalHooks.beforeRemove(dir);
  try {
    if (removeTreeBeneath(root, dir) === "removed") return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR" && fs.lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw Object.assign(new Error(`ELOOP: a link in the place of '${dir}', not removed`), { code: "ELOOP", path: dir });
    }
    throw error;
  }
  const refuse = (at: string | Buffer) => Object.assign(new Error(`ELOOP: a link on the way, rm '${at.toString()}'`), { code: "ELOOP", path: at.toString() });
  if (!plainBelow(path.dirname(dir), root) || !dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) throw refuse(dir);
  const st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return;
  if (!st.isDirectory()) throw refuse(dir);
  const empty = (at: Buffer) => {
    try {
      fs.chmodSync(at, 0o700);
    } catch {
      // The removals below say what is wrong.
    }
    for (const name of fs.readdirSync(at, { encoding: "buffer" })) {
      const child = childPath(at, name);
      const now = fs.lstatSync(child, { throwIfNoEntry: false });
      if (now === undefined) continue;
      if (now.isDirectory()) {
        empty(child);
        // Looked at again: a folder swapped for a link while it was emptied is removed as a link, not followed.
        if (fs.lstatSync(child).isDirectory()) fs.rmdirSync(child);
        else fs.unlinkSync(child);
      } else fs.unlinkSync(child);
    }
  };
  empty(Buffer.from(dir));
  fs.rmdirSync(dir);
}
