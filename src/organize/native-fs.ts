/**
 * The optional fs-batch addon (native/fs-batch.c, built by native/build.mjs):
 * stat(2) of many files without a Stats object each, and rename with
 * RENAME_NOREPLACE, so the kernel refuses an existing target in the rename
 * itself instead of an lstat before it. Without the addon (not built, not
 * Linux) callers use node:fs, with the same results.
 */
import { createRequire } from "node:module";
import path from "node:path";
import util from "node:util";
import { packageRoot } from "../config/package-root.js";

interface Addon {
  statMany(paths: string[]): Float64Array;
  /** Absent from an addon built by an older shelfwise. */
  statManyAsync?(paths: string[]): Promise<Float64Array>;
  renameNoReplace(from: string, to: string, rootFrom?: string, rootTo?: string): number;
  /**
   * Renames of `count` pairs given as one string (each path ended by a NUL), the roots once each with two indexes
   * per pair. Absent from an addon built by an older shelfwise (whose array-based batch this code no longer calls:
   * books are then moved one by one).
   */
  renameManyJoined?(joined: string, count: number, syncFd?: number, roots?: string[], rootIndex?: Uint32Array): Promise<Int32Array>;
  /** True when renameNoReplace takes the roots below which no link is followed (absent from an addon built by an older shelfwise). */
  renameBeneath?: boolean;
  /** rmdir (folder) or unlink of a path below root, in its parent opened from root with no link followed: an errno, 0 when done. Absent from an older build. */
  removeBeneath?(root: string, path: string | Buffer, folder: boolean): number;
  /** rm -r of a folder below root, every level opened with no link followed: an errno, 0 when done. Absent from an older build. */
  removeTreeBeneath?(root: string, path: string | Buffer): number;
  /** linkat then unlinkat of one file between parent folders opened below the roots with no link followed: an errno, 0 when done. Absent from an older build. */
  moveFileBeneath?(rootFrom: string, from: string, rootTo: string, to: string): number;
  /** Absent from an addon built by an older shelfwise. */
  accessManyAsync?(paths: string[], mode: number): Promise<Int32Array>;
  /** statManyAsync, then listings of folders in the same job (see statListAsync below). Absent from an older build. */
  statListAsync?(paths: string[], ends: Uint32Array, dirs: string[], dirBook: Uint32Array, stamps?: (string | null)[]): Promise<[Float64Array, Uint8Array]>;
}

/**
 * The library folders a move stays below: no link below them is followed on
 * the way to the book or its new place (the roots themselves may be links).
 */
export interface MoveRoots {
  from: string;
  to: string;
}

let addon: Addon | null | undefined;
let disabled = process.env.SHELFWISE_NATIVE_FS === "0";
/** The kernel has no renameat2 (ENOSYS, before Linux 3.15): asked once, not per book. */
let noRenameat2 = false;

function load(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.platform !== "linux") return addon;
  try {
    addon = createRequire(import.meta.url)(path.join(packageRoot(), "native", "build", "fs-batch.node")) as Addon;
  } catch {
    // Not built (no compiler or no Node headers at install): node:fs does the same, a little slower.
  }
  return addon;
}

/** Whether the addon is in use (tests switch it off to cover the node:fs path: SHELFWISE_NATIVE_FS=0). */
export function nativeFsAvailable(): boolean {
  return !disabled && load() !== null;
}

/** For tests: use node:fs only (false) or the addon when built (true). */
export function setNativeFs(enabled: boolean): void {
  disabled = !enabled;
}

/** Size and mtimeMs of each file of one statFiles call, by index (three numbers per file, not an object each). */
export class FileStamps {
  constructor(private readonly fields: Float64Array) {}

  /** Whether stat succeeded for file `i`. */
  ok(i: number): boolean {
    return !Number.isNaN(this.fields[i * 3]);
  }

  size(i: number): number {
    return this.fields[i * 3];
  }

  /** As node:fs turns a timespec into mtimeMs, so the fingerprint text is the same to the digit. */
  mtimeMs(i: number): number {
    return this.fields[i * 3 + 1] * 1000 + this.fields[i * 3 + 2] / 1e6;
  }
}

/**
 * Size and mtimeMs of each file as fs.statSync gives them (links followed);
 * null when the addon is not in use.
 */
export function statFiles(paths: string[]): FileStamps | null {
  if (disabled) return null;
  const native = load();
  if (!native) return null;
  return new FileStamps(native.statMany(paths));
}

/** statFiles on a libuv worker thread, so the caller's thread works meanwhile; null when the addon cannot. */
export function statFilesAsync(paths: string[]): Promise<FileStamps> | null {
  if (disabled) return null;
  const native = load();
  if (!native?.statManyAsync) return null;
  return native.statManyAsync(paths).then((fields) => new FileStamps(fields));
}

/** An entry of a listed folder that is not exactly one of its book's known paths (statListAsync). */
export interface UnknownEntry {
  /** Index into the `dirs` given. */
  dir: number;
  /** The name's bytes as the folder holds them (not necessarily UTF-8). */
  name: Buffer;
  kind: "file" | "dir" | "link" | "other" | "unlisted";
}

const KINDS = ["other", "file", "dir", "link"] as const;

/**
 * statFilesAsync of `paths`, then in the same job (on a worker thread, and one more for 512 books or more) one listing
 * of each folder of `dirs` (`dirBook[d]`: folder d's book, a book's folders one after the other, in book order; book b's paths are paths[ends[b - 1] ..
 * ends[b])), answering only the entries whose path (folder + "/" + name, byte for byte) is neither one of its book's
 * paths nor one of its folders: what is left for the caller to judge, usually nothing. A folder not readable
 * answers nothing; "unlisted" names a folder whose path the addon could not take (the caller lists it itself).
 * `folderStamps[d]`: the scan's stamp of folder d (library/folder-stamp.ts), or null: a folder whose stamp still
 * holds is stat'd, not listed (nothing in it changed since the scan). An addon built before stamps ignores them and
 * lists every folder (the same answer, slower).
 * Null when the addon cannot (not built, an older build).
 */
export function statListAsync(
  paths: string[],
  ends: Uint32Array,
  dirs: string[],
  dirBook: Uint32Array,
  folderStamps?: (string | null)[],
): Promise<{ stamps: FileStamps; unknown: UnknownEntry[] }> | null {
  if (disabled) return null;
  const native = load();
  if (!native?.statListAsync) return null;
  return native.statListAsync(paths, ends, dirs, dirBook, folderStamps).then(([fields, found]) => {
    const unknown: UnknownEntry[] = [];
    const bytes = Buffer.from(found.buffer, found.byteOffset, found.byteLength);
    for (let at = 0; at + 7 <= bytes.length; ) {
      const dir = bytes.readUInt32LE(at);
      const kind = bytes[at + 4];
      const length = bytes.readUInt16LE(at + 5);
      unknown.push({ dir, kind: kind === 255 ? "unlisted" : (KINDS[kind] ?? "other"), name: bytes.subarray(at + 7, at + 7 + length) });
      at += 7 + length;
    }
    return { stamps: new FileStamps(fields), unknown };
  });
}

/**
 * access(2) of each path with `mode` (fs.constants.W_OK...) on a libuv
 * worker thread: resolves to each path's errno (0: allowed). Null when the
 * addon cannot: the caller asks node:fs itself.
 */
export function accessManyAsync(paths: string[], mode: number): Promise<Int32Array> | null {
  if (disabled) return null;
  const native = load();
  if (!native?.accessManyAsync) return null;
  return native.accessManyAsync(paths, mode);
}

/** The outcome of renameNoReplace: done, the target exists, the file system cannot refuse atomically, or not available. */
export type NoReplaceResult = "renamed" | "exists" | "unsupported";

const UNSUPPORTED = new Set(["EINVAL", "ENOSYS", "ENOTSUP", "EOPNOTSUPP"]);

/**
 * rename(2) that fails when `to` exists (renameat2 RENAME_NOREPLACE).
 * "unsupported" when the addon is not in use or the file system does not
 * offer the flag: the caller checks and renames itself. Other failures throw
 * as node:fs would (code, errno, syscall, path, dest).
 */
export function renameNoReplace(from: string, to: string, roots?: MoveRoots): NoReplaceResult {
  if (disabled || noRenameat2) return "unsupported";
  const native = load();
  if (!native) return "unsupported";
  // ELOOP: a link on the way below the roots (a folder swapped for one since the plan looked); nothing moved.
  const errno = roots && native.renameBeneath === true ? native.renameNoReplace(from, to, roots.from, roots.to) : native.renameNoReplace(from, to);
  if (errno === 0) return "renamed";
  const [code, description] = util.getSystemErrorMap().get(-errno) ?? [`E${errno}`, "unknown error"];
  if (code === "EEXIST" || code === "ENOTEMPTY") return "exists";
  if (code === "ENOSYS") noRenameat2 = true;
  // EINVAL and ENOTSUP: this file system lacks the flag (another may have it).
  if (UNSUPPORTED.has(code)) return "unsupported";
  throw Object.assign(new Error(`${code}: ${description}, rename '${from}' -> '${to}'`), { code, errno: -errno, syscall: "rename", path: from, dest: to });
}

/** Whether renameManyNoReplace can run here (it may still answer null later: a kernel without renameat2 is found out by a first rename). */
export function canRenameMany(): boolean {
  return !disabled && !noRenameat2 && load()?.renameManyJoined !== undefined;
}

/**
 * renameNoReplace of many folders on a libuv worker thread, making a
 * target's missing parent folders first when needed (mkdir -p): resolves to
 * each pair's errno (0: renamed). Null when the addon cannot: the caller
 * moves the books one by one. A pair that failed changed nothing on disk
 * (beyond the parent folders made for it), so the caller may try it again
 * through renameNoReplace and the rest of moveOnDisk, which say what the
 * failure means.
 *
 * With `syncFd`, the worker thread first runs fdatasync(syncFd) and renames
 * nothing should it fail: the promise then rejects as node:fs would (code,
 * errno, syscall "fdatasync"). Null when this build of the addon cannot.
 */
export function renameManyNoReplace(pairs: readonly { from: string; to: string; roots?: MoveRoots }[], syncFd?: number): Promise<Int32Array> | null {
  if (disabled || noRenameat2) return null;
  const native = load();
  if (!native?.renameManyJoined) return null;
  // One string for the whole batch: the addon converts it once, not two strings per pair (and two more for the roots).
  let joined = "";
  for (const p of pairs) {
    // No path names a file with a NUL in it, and one would shift the pairs after it: one by one instead (node:fs refuses it).
    if (p.from.includes("\0") || p.to.includes("\0")) return null;
    joined += `${p.from}\0${p.to}\0`;
  }
  let roots: string[] | undefined;
  let rootIndex: Uint32Array | undefined;
  if (pairs.some((p) => p.roots !== undefined)) {
    // Each root once (a run has one or two), each pair naming its two by index.
    roots = [];
    const indexes = new Map<string, number>();
    const indexOf = (root: string): number => {
      let i = indexes.get(root);
      if (i === undefined) indexes.set(root, (i = roots!.push(root) - 1));
      return i;
    };
    rootIndex = new Uint32Array(pairs.length * 2);
    pairs.forEach((p, i) => {
      // A pair without roots in a batch with some: its own parent folders bound it (as a rename without roots would).
      rootIndex![i * 2] = indexOf(p.roots ? p.roots.from : path.dirname(p.from));
      rootIndex![i * 2 + 1] = indexOf(p.roots ? p.roots.to : path.dirname(p.to));
    });
  }
  const renaming = native.renameManyJoined(joined, pairs.length, syncFd, roots, rootIndex);
  if (syncFd === undefined) return renaming;
  return renaming.catch((error: unknown) => {
    const errno = (error as { errno?: unknown }).errno;
    if (typeof errno !== "number") throw error;
    const [code, description] = util.getSystemErrorMap().get(-errno) ?? [`E${errno}`, "unknown error"];
    throw Object.assign(new Error(`${code}: ${description}, fdatasync`), { code, errno: -errno, syscall: "fdatasync" });
  });
}

/**
 * Removes the empty folder (or, with `folder` false, the file) `target`
 * strictly below `root`, acting in a descriptor of its parent opened from
 * the root without following a link: a folder on the way swapped for a link
 * at any moment before this call is ELOOP, never a removal outside the
 * library. "unsupported" when the addon cannot (not built, older build);
 * other failures throw as node:fs would (code, errno, syscall, path).
 */
export function removeBeneath(root: string, target: string | Buffer, folder: boolean): "removed" | "unsupported" {
  if (disabled) return "unsupported";
  const native = load();
  if (!native?.removeBeneath || target.includes("\0") || root.includes("\0")) return "unsupported";
  const errno = native.removeBeneath(root, target, folder);
  if (errno === 0) return "removed";
  const [code, description] = util.getSystemErrorMap().get(-errno) ?? [`E${errno}`, "unknown error"];
  const syscall = folder ? "rmdir" : "unlink";
  throw Object.assign(new Error(`${code}: ${description}, ${syscall} '${target.toString()}'`), { code, errno: -errno, syscall, path: target.toString() });
}

/**
 * Removes the folder `target` and all it holds, strictly below `root`: its
 * parent opened from the root with no link followed (openat2), the folder
 * and each folder in it opened with O_NOFOLLOW from the one above, every
 * entry removed in its own folder's descriptor. A folder swapped for a link
 * at any moment, on the way or inside, is never followed: ELOOP (or ENOTDIR),
 * never a removal outside the library. "unsupported" when the addon cannot.
 */
export function removeTreeBeneath(root: string, target: string | Buffer): "removed" | "unsupported" {
  if (disabled) return "unsupported";
  const native = load();
  if (!native?.removeTreeBeneath || target.includes("\0") || root.includes("\0")) return "unsupported";
  const errno = native.removeTreeBeneath(root, target);
  if (errno === 0) return "removed";
  const [code, description] = util.getSystemErrorMap().get(-errno) ?? [`E${errno}`, "unknown error"];
  throw Object.assign(new Error(`${code}: ${description}, rm '${target.toString()}'`), { code, errno: -errno, syscall: "rm", path: target.toString() });
}

/**
 * Moves the file `from` to the new name `to` (never replacing one: a hard
 * link, then the old name unlinked), both strictly below their roots, in
 * descriptors of the two parent folders opened from the roots with no link
 * followed: a folder on the way swapped for a link at any moment before
 * this call is ELOOP, never a file brought in from outside or put outside.
 * "unsupported" when the addon cannot; failures throw as node:fs would
 * (EEXIST, ELOOP, EPERM where the file system has no hard links...).
 */
export function moveFileBeneath(rootFrom: string, from: string, rootTo: string, to: string): "linked" | "unsupported" {
  if (disabled) return "unsupported";
  const native = load();
  if (!native?.moveFileBeneath || [rootFrom, from, rootTo, to].some((p) => p.includes("\0"))) return "unsupported";
  const errno = native.moveFileBeneath(rootFrom, from, rootTo, to);
  if (errno === 0) return "linked";
  const [code, description] = util.getSystemErrorMap().get(-errno) ?? [`E${errno}`, "unknown error"];
  throw Object.assign(new Error(`${code}: ${description}, link '${from}' -> '${to}'`), { code, errno: -errno, syscall: "link", path: from, dest: to });
}
