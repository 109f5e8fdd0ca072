/**
 * The moves this user's permissions would make the system refuse, found
 * before anything moves: `apply --dry-run` can then say which books would
 * fail and why, and `apply` and `undo` leave those books out instead of
 * failing them half-way through a run. What is judged is what the rename,
 * link, mkdir or unlink will need: write and search in the folder the book
 * leaves and in the nearest existing folder above its new place (EROFS on a
 * read-only mount included, as access(2) reports it), write in a book folder
 * that changes parent (its `..` is rewritten), a sticky folder's owner rule,
 * and, across file systems, every folder a copy's source is removed from.
 * Access is asked once per folder: books share their inbox and author
 * folders. What no look can tell (an immutable file, an ACL the kernel
 * alone judges) still fails at the move itself, which changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { checkRemovable, lexistsOrUnknown } from "./disk.js";
import { moveErrorText } from "./move-error.js";
import type { FolderKnowledge } from "./plan.js";

export interface MoveToCheck {
  bookId: number;
  /** What is renamed: the book folder, or the single file. */
  from: string;
  /** Where it goes: the book folder's new path, a single file's new path, or a new folder made for a single file. */
  to: string;
  kind: "folder" | "file";
  /** Files that move with a single file (its companions), from its folder; asked only where they matter (a copy, a sticky folder). */
  companions: () => readonly string[];
}

const STICKY = 0o1000;

/** Checks answered once per folder, for one run. */
export class PermissionCheck {
  readonly #uid = process.geteuid?.() ?? -1;
  readonly #access = new Map<string, NodeJS.ErrnoException | null>();
  readonly #stats = new Map<string, fs.Stats | null>();
  readonly #nearest = new Map<string, string>();

  /**
   * `known`: what the plan just saw of the folders on the way to its targets (apply), so they are not looked up again.
   * `foldersWritable`: book folders found writable beside the plan (apply: accessManyAsync), not asked again here.
   */
  constructor(
    private readonly forceCopy: boolean,
    private readonly known?: FolderKnowledge,
    private readonly foldersWritable?: ReadonlySet<string>,
    /** false: a copy's source folders are not walked for removability (plan-permissions.ts: plan already walks a copied book once; apply asks). */
    private readonly walkCopies = true,
  ) {}

  /** Why the system would refuse `move` (in the words a failed move gets), or null when it looks allowed. */
  refusal(move: MoveToCheck): string | null {
    return this.refusalOf(move)?.reason ?? null;
  }

  /**
   * refusal(), with whether a read-only file system is what refuses (`readOnly`): nothing this user can give lifts
   * that, and every apply would fail the book again until the disk is remounted, so the book is held, not failed.
   */
  refusalOf(move: MoveToCheck): { reason: string; readOnly: boolean } | null {
    const error = this.#problem(move);
    if (error === null) return null;
    return { reason: moveErrorText(error, { bookId: move.bookId, from: move.from, to: move.to, kind: move.kind }), readOnly: error.code === "EROFS" };
  }

  #problem(move: MoveToCheck): NodeJS.ErrnoException | null {
    // Judged in the order the move meets them: the folder it goes into, then the one it leaves.
    const source = this.#dirOf(move.from, 0);
    const into = this.#dirOf(move.to, 1);
    const anchor = this.#nearestExisting(into);
    const at = this.#stat(anchor);
    // A file where a folder is needed (output_path naming a file): mkdir would say so, after the run began.
    if (at !== null && !this.#isFolder(anchor, at)) return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${anchor}'`), { code: "ENOTDIR", syscall: "mkdir", path: anchor });
    // A link to nothing where a folder is needed (output_path linked to a disk not mounted): mkdir would fail with
    // ENOENT for every book after the run began; refused here, with the dry run, in words naming the link.
    if (at === null && lexistsOrUnknown(anchor) === true) return Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${anchor}'`), { code: "ENOENT", syscall: "mkdir", path: anchor });
    const denied = this.#writable(anchor) ?? this.#writable(source);
    if (denied !== null) return denied;
    const from = this.#stat(source);
    if (this.forceCopy || (from !== null && at !== null && from.dev !== at.dev)) {
      // A copy: every folder its source is removed from afterwards, as the copy itself checks before it starts.
      if (!this.walkCopies) return null;
      try {
        checkRemovable([move.from, ...move.companions()], move.kind);
        return null;
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
    }
    // Root may rename anything the mount allows, and the mount was asked about above.
    if (this.#uid === 0) return null;
    // A folder found writable beside the plan is not asked again; any other answer is asked here, for its own error.
    if (move.kind === "folder" && source !== into && !this.foldersWritable?.has(move.from)) {
      try {
        fs.accessSync(move.from, fs.constants.W_OK);
      } catch (error) {
        return error as NodeJS.ErrnoException;
      }
    }
    if (from !== null && (from.mode & STICKY) !== 0 && from.uid !== this.#uid) {
      for (const p of [move.from, ...move.companions()]) {
        let owner: number | undefined;
        try {
          owner = fs.lstatSync(p).uid;
        } catch {
          // Gone: the move will say so.
        }
        if (owner !== undefined && owner !== this.#uid) {
          return Object.assign(new Error(`EPERM: operation not permitted, rename '${p}'`), { code: "EPERM", syscall: "rename", path: source, sticky: p });
        }
      }
    }
    return null;
  }

  /** The folder last given out by #dirOf, per use (0: the source's, 1: the target's). */
  readonly #lastDirs: [string, string] = ["", ""];

  /**
   * path.dirname(p), as the same string as the last answer of this use when `p` lies right in that folder (books come
   * in path order, an inbox's one after another): the per-folder maps below then find it without hashing a new copy
   * per book. Only where that answer is exactly dirname's: POSIX, `p` that folder, "/" and a name without "/".
   */
  #dirOf(p: string, use: 0 | 1): string {
    const last = this.#lastDirs[use];
    if (
      path.sep === "/" &&
      last.length > 0 &&
      last.charCodeAt(last.length - 1) !== 47 &&
      p.length > last.length + 1 &&
      p.charCodeAt(last.length) === 47 &&
      p.startsWith(last) &&
      p.indexOf("/", last.length + 1) === -1
    ) {
      return last;
    }
    return (this.#lastDirs[use] = path.dirname(p));
  }

  #writable(dir: string): NodeJS.ErrnoException | null {
    let denied = this.#access.get(dir);
    if (denied === undefined) {
      try {
        fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
        denied = null;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Only what the move would meet: a folder that vanished since the plan is the move's own refusal.
        denied = code === "EACCES" || code === "EPERM" || code === "EROFS" ? (error as NodeJS.ErrnoException) : null;
      }
      this.#access.set(dir, denied);
    }
    return denied;
  }

  readonly #folders = new Map<string, boolean>();

  /** at.isDirectory(), once per folder (asked for every book: Stats' mode getters are not free). */
  #isFolder(dir: string, at: fs.Stats): boolean {
    let folder = this.#folders.get(dir);
    if (folder === undefined) this.#folders.set(dir, (folder = at.isDirectory()));
    return folder;
  }

  #stat(dir: string): fs.Stats | null {
    let st = this.#stats.get(dir);
    if (st === undefined) {
      try {
        st = fs.statSync(dir);
      } catch {
        st = null;
      }
      this.#stats.set(dir, st);
    }
    return st;
  }

  #nearestExisting(dir: string): string {
    let found = this.#nearest.get(dir);
    if (found === undefined) {
      const up = path.dirname(dir);
      // A folder this user may not look into counts as missing: the one above it is then judged, and refused
      // (as the plan judged it).
      const existed = this.known?.existed(dir) ?? lexistsOrUnknown(dir) === true;
      found = up === dir || existed ? dir : this.#nearestExisting(up);
      this.#nearest.set(dir, found);
    }
    return found;
  }
}
