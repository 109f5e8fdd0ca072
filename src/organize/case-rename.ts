/**
 * A book folder whose new name differs from its old one only in case or
 * Unicode form (`the hobbit` → `The Hobbit`), on a file system that folds
 * names (exFAT, NTFS, vfat, macOS): there the new name "exists" already (it
 * is the book itself), so a rename that refuses an existing target refuses
 * it. It goes through a hidden temporary name in the same folder, two
 * renames. The move is journaled before the first one, and the temporary
 * name carries the move's id: recovery (recovery.ts) finds the book at its
 * old spelling, at its new one, or at the temporary name between the two
 * renames, and finishes the move from there.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { MoveRefused, lexists } from "./disk.js";
import { renameNoReplace, type MoveRoots } from "./native-fs.js";

const TEMP_PREFIX = ".shelfwise-case-";
const ASCII = /^[\x00-\x7f]*$/;

/** Test hook: runs between the two renames (the book at its temporary name). */
export const caseRenameHooks: { between?: (temp: string) => void } = {};

function fold(name: string): string {
  return (ASCII.test(name) ? name : name.normalize("NFC")).toLowerCase();
}

/** Whether `from` and `to` differ only in the case or Unicode form of the last name (no look at the disk). */
export function caseOnlyPair(from: string, to: string): boolean {
  const name = path.basename(from);
  const wanted = path.basename(to);
  return name !== wanted && path.dirname(to) === path.dirname(from) && fold(name) === fold(wanted);
}

/** Whether `to` names the same folder entry as `from` under another spelling: same folder, names that fold alike, and `from`'s spelling the only one of them listed. */
export function sameEntryRespelled(from: string, to: string): boolean {
  if (!caseOnlyPair(from, to)) return false;
  const dir = path.dirname(from);
  const name = path.basename(from);
  let listed: string[];
  try {
    listed = fs.readdirSync(dir);
  } catch {
    return false;
  }
  const alike = listed.filter((n) => fold(n) === fold(name));
  // Two entries listed (a case-sensitive file system holding both): another folder, never merged or replaced.
  return alike.length === 1 && alike[0] === name && lexists(to);
}

/** The temporary names of move `moveId` in `dir` (one at most, but for a leftover of a file system that lost a rename). */
export function caseTemps(dir: string, moveId: number): string[] {
  const prefix = `${TEMP_PREFIX}${moveId}-`;
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.startsWith(prefix))
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/**
 * Renames `from` to its respelling `to` through a temporary name beside it.
 * The second rename is a plain rename(2) after a look that `to` is free: no
 * other name folds like the book's while it is at the temporary name, and
 * renameat2's no-replace flag is what some of these file systems lack.
 */
export function renameByCase(move: { id: number; from: string; to: string; roots?: MoveRoots }): void {
  const dir = path.dirname(move.from);
  const temp = path.join(dir, `${TEMP_PREFIX}${move.id}-${randomBytes(6).toString("hex")}`);
  const first = renameNoReplace(move.from, temp, move.roots ? { from: move.roots.from, to: move.roots.from } : undefined);
  if (first === "exists") throw new MoveRefused(`the temporary name ${temp} exists; nothing moved`);
  if (first === "unsupported") {
    if (lexists(temp)) throw new MoveRefused(`the temporary name ${temp} exists; nothing moved`);
    fs.renameSync(move.from, temp);
  }
  caseRenameHooks.between?.(temp);
  try {
    // Listed, not looked up: a FUSE mount (exfat-fuse) may still answer a lookup of the new spelling from its cache.
    const wanted = fold(path.basename(move.to));
    const tempName = path.basename(temp);
    if (fs.readdirSync(dir).some((n) => n !== tempName && fold(n) === wanted)) {
      throw new MoveRefused(`${move.to} appeared while the book was renamed by case; the book stays at ${move.from}`);
    }
    fs.renameSync(temp, move.to);
  } catch (error) {
    // Back to its old spelling: the move changed nothing. Should even that fail, recovery finds it at the temporary name.
    fs.renameSync(temp, move.from);
    throw error;
  }
}
