/**
 * Moving a single audio file together with its companions (files beside it
 * with its stem: `Dune.jpg`, `Dune.opf`, `Dune.cue` beside `Dune.m4b`; see
 * library/scan.ts), so that a crash leaves all of them at their old place or
 * all at their new place once the next command has settled the journal.
 *
 * The audio file is the commit point. Companions are placed first, one by
 * one (a hard link then an unlink each, so an existing name is never
 * replaced), then the audio file. Recovery reads the journal row (it names
 * the companions) and looks at the audio file: at its new place, the move is
 * finished and every companion still at its old place is carried over; at
 * its old place only, it is rolled back and every companion already moved is
 * carried back. A name left at both places is removed only where it is
 * provably the same file (one inode, or the same bytes for a copy), never a
 * file someone else put there.
 *
 * Across file systems the audio and companions are copied, fsync'ed and
 * checked into the hidden `.shelfwise-partial-N` folder first; companions are
 * then placed, the audio file last, and only then are the sources removed.
 */
import fs from "node:fs";
import path from "node:path";
import { checkRemovable, leftBehindNote, makeFolders, sourceKept, placeFile, copiedSource, copyFileVerified, fsyncDir, removeBelow, removeIfUnchanged, removeOwnCopy, type CopiedSource, lexists, MoveRefused, partialPath, refuseLinks, sameContent, sameInode, type MoveOnDisk, unremovableWords } from "./disk.js";
import type { MoveRoots } from "./native-fs.js";
import { sentence } from "../domain/command-advice.js";

const GONE = sentence`${0} is gone; run \`shelfwise scan\``;

export interface FilePair {
  from: string;
  to: string;
}

/** What a failed move means for the book: refused (nothing changed) or the error as it came. */
function refusalOf(error: unknown, pair: FilePair): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EEXIST") return new MoveRefused(`${pair.to} exists; nothing is ever overwritten (the book and its companions stay where they are)`);
  if (code === "ELOOP") return new MoveRefused(`a link appeared on the way from ${pair.from} to ${pair.to}; shelfwise never follows links out of the library (the book and its companions stay where they are)`);
  if (code === "ENOENT" && !lexists(pair.from)) return new MoveRefused(GONE(pair.from));
  return error;
}

/**
 * Moves the audio file `move` and its companions (moveOnDisk's contract:
 * MoveRefused when a target is taken or a source gone, with nothing
 * changed; other errors after putting back what moved).
 */
export function moveWithCompanions(
  move: MoveOnDisk,
  companions: FilePair[],
  options: { forceCopy: boolean; onCopy: () => void; onLeftBehind?: (note: string) => void },
): "link" | "rename" | "copy" {
  const main = { from: move.from, to: move.to };
  // Before the folder is made: mkdir -p through a link would make folders outside the library.
  refuseLinks(move);
  // Every target is looked at before anything moves: one taken name refuses the whole book.
  for (const pair of [...companions, main]) {
    if (lexists(pair.to)) throw new MoveRefused(`${pair.to} exists; nothing is ever overwritten (the book and its companions stay where they are)`);
  }
  makeFolders(path.dirname(move.to));
  if (!options.forceCopy) {
    const placed: FilePair[] = [];
    let current = main;
    try {
      for (const pair of companions) {
        current = pair;
        placeFile(pair.from, pair.to, move.roots);
        placed.push(pair);
      }
      current = main;
      return placeFile(main.from, main.to, move.roots);
    } catch (error) {
      putBack(placed, move.roots);
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw refusalOf(error, current);
    }
  }
  options.onCopy();
  const note = copyWithCompanions(move, companions);
  if (note !== null) options.onLeftBehind?.(note);
  return "copy";
}

/** Carries moved files back, last first (before the audio file moved: the move did not happen). */
function putBack(placed: FilePair[], roots: MoveRoots | undefined): void {
  const back = roots && { from: roots.to, to: roots.from };
  for (const pair of placed.reverse()) placeFile(pair.to, pair.from, back);
}

/** Returns what the copy left at the old place (leftBehindNote), or null. */
function copyWithCompanions(move: MoveOnDisk, companions: FilePair[]): string | null {
  checkRemovable([move.from, ...companions.map((pair) => pair.from)], "file");
  const temp = partialPath(move.to, move.id);
  removeOwnCopy(temp, move.roots?.to);
  const placed: string[] = [];
  /** The audio file, then its companions, as copied. */
  const sources: CopiedSource[] = [];
  try {
    fs.mkdirSync(temp);
    const staged = companions.map((pair, i) => ({ from: path.join(temp, `companion-${i}`), to: pair.to }));
    companions.forEach((pair, i) => sources.push(copiedSource(pair.from, copyFileVerified(pair.from, staged[i].from))));
    const file = path.join(temp, "file");
    sources.unshift(copiedSource(move.from, copyFileVerified(move.from, file)));
    fsyncDir(temp);
    // The copies took time: the way may have changed since the look before them.
    refuseLinks(move);
    // The copies are in our hidden folder beside the target: both places below the target's library folder.
    const within = move.roots && { from: move.roots.to, to: move.roots.to };
    for (const pair of staged) {
      try {
        placeFile(pair.from, pair.to, within);
      } catch (error) {
        throw refusalOf(error, pair);
      }
      placed.push(pair.to);
    }
    try {
      placeFile(file, move.to, within);
    } catch (error) {
      throw refusalOf(error, { from: file, to: move.to });
    }
    fsyncDir(path.dirname(move.to));
  } catch (error) {
    // The sources are untouched: drop the copies.
    // Our copies and hidden folder, never through a link swapped in since they were placed.
    for (const p of placed) {
      try {
        if (move.roots === undefined) fs.rmSync(p, { force: true });
        else removeBelow(p, move.roots.to, false);
      } catch {
        // It stays (a spare copy beside the book, which is whole at its old place); the error that matters is the copy's.
      }
    }
    try {
      removeOwnCopy(temp, move.roots?.to);
    } catch {
      // Our hidden folder stays for the next recovery.
    }
    throw error;
  }
  // The book is whole at its new place from here on; what cannot be removed of the sources stays (a spare copy, never a loss).
  try {
    removeOwnCopy(temp, move.roots?.to);
  } catch {
    // Our hidden folder stays for the next recovery; the move itself is done.
  }
  const unremoved = removeIfUnchanged(sources, move.roots?.from);
  const kept = sourceKept(move.from, sources.length, unremoved);
  if (kept === null) return leftBehindNote(move.from, path.dirname(move.to), [move.from, ...companions.map((pair) => pair.from)], unremoved);
  // Not one source could be removed (the library remounted read-only meanwhile): the copies are taken back, as
  // copyVerified takes back a folder's, rather than the book reported moved and left whole at both places.
  for (const p of [move.to, ...placed]) {
    try {
      if (move.roots === undefined) fs.rmSync(p, { force: true });
      else removeBelow(p, move.roots.to, false);
    } catch {
      throw new Error(kept.replace("its copy was taken back (nothing moved)", `its copy is at ${path.dirname(move.to)} too: remove one of them`));
    }
  }
  throw new MoveRefused(kept);
}

/**
 * Recovery: puts every companion where its audio file was settled
 * (`forward`: at the new place, else at the old place). Returns what could
 * not be settled (a file left where it was, never removed), or null.
 */
export function settleCompanions(companions: FilePair[], forward: boolean, copied: boolean, roots?: MoveRoots): string | null {
  const problems: string[] = [];
  for (const pair of companions) {
    const { from: keep, to: drop } = forward ? { from: pair.to, to: pair.from } : pair;
    // `keep`: where the file belongs now; `drop`: the other place.
    const atKeep = lexists(keep);
    const atDrop = lexists(drop);
    if (!atDrop) {
      if (!atKeep) problems.push(`${path.basename(keep)} is at neither ${drop} nor ${keep}`);
      continue;
    }
    if (atKeep) {
      if (copied ? sameContent(drop, keep) : sameInode(drop, keep)) {
        // Only below the library folder with no link on the way, looked at as it acts: a folder swapped since the
        // look above would have the file of that name removed wherever the link leads.
        const root = roots === undefined ? undefined : forward ? roots.from : roots.to;
        if (root === undefined) fs.rmSync(drop, { force: true });
        else {
          try {
            removeBelow(drop, root, false);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? "";
            if (code === "ENOENT") continue;
            problems.push(`${drop} could not be removed (${unremovableWords(code)}); kept`);
          }
        }
      }
      else problems.push(`both ${drop} and ${keep} exist and differ; both kept`);
      continue;
    }
    // Only at the other place: carried over (within one file system; a copy always has its source until it finished).
    if (copied) problems.push(`${drop} was not carried to ${keep}; kept`);
    else placeFile(drop, keep, roots && (forward ? roots : { from: roots.to, to: roots.from }));
  }
  return problems.length > 0 ? problems.join("; ") : null;
}
