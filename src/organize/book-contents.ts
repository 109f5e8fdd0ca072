/**
 * What inside a book's folder rules its move out before anything is touched,
 * found by one walk of the folder (links never followed), so that `plan`,
 * `apply` (and its dry run) and `undo` say the same thing up front rather
 * than apply failing, or a copy leaving part of the book behind, midway:
 *
 * - a named pipe, socket or device node, when the move is a copy (across
 *   file systems): no copy carries one (a rename of the folder does), so it
 *   stayed at the old place and then blocked the undo. The user removes it or
 *   moves it out; a move within one file system is a rename and keeps it.
 * - a symbolic link leading into shelfwise's data folder (its database, the
 *   journal of the move itself), when the move is a copy: the copy would write
 *   that link elsewhere (a relative one then points at something else) while
 *   shelfwise copies only what is the library's own. A rename moves the link's
 *   entry with its folder and reads nothing through it.
 *
 * Only copies are walked: a rename within one file system carries whatever the
 * folder holds, and a walk of every book's folder cost ~50 µs a book in each
 * plan and apply (docs/performance-log.md, aorg19).
 * - across file systems, onto vfat, exFAT or NTFS (kernel or FUSE driver): a
 *   name such a disk refuses (`\ : * ? " < > |`), two names that differ only
 *   in case (the disk folds them to one), or a symbolic link (none kept there).
 *   The book's own folder names come from the template, which never makes such
 *   names; the files inside keep theirs.
 */
import fs from "node:fs";
import path from "node:path";

export type ContentsProblemKind = "special_file" | "links_to_data_folder" | "target_refuses_names";

export interface ContentsProblem {
  kind: ContentsProblemKind;
  reason: string;
}

/** Which of the walk's questions to ask for one book. */
export interface ContentsQuestions {
  /** The move will be a copy: special files matter. */
  copy: boolean;
  /** The target file system's type when a copy goes onto one of the restricted kinds (`vfat`, `exfat`, `fuseblk`...), else null. */
  restrictedTarget: string | null;
  /** The data folder as given and as resolved (data-folder-check.ts dataFolderPlaces); empty: not asked. */
  dataPlaces: readonly string[];
}

/** File system types whose names are case-insensitive and refuse `\ : * ? " < > |` (and hold no symbolic links). */
const RESTRICTED_TYPES = new Set(["vfat", "msdos", "exfat", "ntfs", "ntfs3", "fuseblk", "fuse.exfat", "fuse.fusefat", "fuse.ntfs-3g", "fuse.ntfs", "fuse.exfat-fuse"]);

export function isRestrictedType(type: string): boolean {
  return RESTRICTED_TYPES.has(type);
}

const REFUSED_CHARS = /[\\:*?"<>|]/;

/** The kind of an entry no copy carries, in words, or null for a file, folder or link. */
export function specialKind(entry: fs.Dirent<Buffer> | fs.Dirent | fs.Stats): string | null {
  if (entry.isFile() || entry.isDirectory() || entry.isSymbolicLink()) return null;
  if (entry.isFIFO()) return "a named pipe (FIFO)";
  if (entry.isSocket()) return "a socket";
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return "a device node";
  return "not a regular file";
}

/** Why a copy refuses a book holding `at` (specialKind `kind`), and what to do. */
export function specialFileWords(at: string, kind: string, folder: string): string {
  return (
    `${at} is ${kind}, which a copy across file systems cannot carry (only a rename within one file system keeps it); ` +
    `move it out of the book's folder or remove it (a player or script makes it again), then run the command again; the book stays at ${folder} (nothing was copied)`
  );
}

/** The first problem found in `folder` for the questions asked, or null. Names are read as bytes; nothing is followed. */
export function contentsProblem(folder: string, questions: ContentsQuestions): ContentsProblem | null {
  if (!questions.copy) return null;
  let found: ContentsProblem | null = null;
  const walk = (dir: Buffer): void => {
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    } catch {
      // A folder that cannot be listed: the move and its own checks say why.
      return;
    }
    const folded = questions.restrictedTarget !== null ? new Map<string, string>() : null;
    for (const entry of entries) {
      const at = Buffer.concat([dir, SEP, entry.name]);
      if (entry.isDirectory()) {
        if (folded !== null && (found = nameProblem(at, entry.name, folded, questions.restrictedTarget!)) !== null) return;
        walk(at);
        if (found !== null) return;
        continue;
      }
      if (entry.isSymbolicLink()) {
        if (questions.dataPlaces.length > 0 && (found = linkIntoData(at, questions.dataPlaces)) !== null) return;
        if (questions.restrictedTarget !== null) {
          found = {
            kind: "target_refuses_names",
            reason: `${at.toString()} is a symbolic link, and the target's file system (${questions.restrictedTarget}) holds none; replace the link by the file it names (then run \`shelfwise scan\`), or move the book to another disk, and run the command again (nothing moved)`,
          };
          return;
        }
        continue;
      }
      if (questions.copy) {
        const kind = specialKind(entry);
        if (kind !== null) {
          found = { kind: "special_file", reason: specialFileWords(at.toString(), kind, folder) };
          return;
        }
      }
      if (folded !== null && (found = nameProblem(at, entry.name, folded, questions.restrictedTarget!)) !== null) return;
    }
  };
  walk(Buffer.from(folder));
  return found;
}

const SEP = Buffer.from(path.sep);

function nameProblem(at: Buffer, rawName: Buffer, folded: Map<string, string>, type: string): ContentsProblem | null {
  const name = rawName.toString();
  if (REFUSED_CHARS.test(name) || /[. ]$/.test(name)) {
    return {
      kind: "target_refuses_names",
      reason: `the name "${name}" of ${at.toString()} is one the target's file system (${type}) refuses or changes (it refuses \\ : * ? " < > | and drops a trailing dot or space); rename that file (then run \`shelfwise scan\`), or move the book to another disk, and run the command again (nothing moved)`,
    };
  }
  const key = foldName(name);
  const twin = folded.get(key);
  if (twin !== undefined) {
    return {
      kind: "target_refuses_names",
      reason: `"${twin}" and "${name}" in ${path.dirname(at.toString())} differ only in case or Unicode form, and the target's file system (${type}) would take them for one; rename one of them (then run \`shelfwise scan\`), or move the book to another disk, and run the command again (nothing moved)`,
    };
  }
  folded.set(key, name);
  return null;
}

/** A link at `at` whose target (as written, and as resolved) lies in the data folder, as a problem; else null. */
function linkIntoData(at: Buffer, dataPlaces: readonly string[]): ContentsProblem | null {
  let written: string;
  try {
    written = path.resolve(path.dirname(at.toString()), fs.readlinkSync(at, "utf8"));
  } catch {
    return null;
  }
  let real: string | null = null;
  try {
    real = fs.realpathSync.native(written);
  } catch {
    // Dangling: judged by what it names.
  }
  const hit = dataPlaces.find((place) => within(written, place) || (real !== null && within(real, place)));
  if (hit === undefined) return null;
  return {
    kind: "links_to_data_folder",
    reason:
      `${at.toString()} is a symbolic link to ${written}, inside shelfwise's data folder ${dataPlaces[0]} (its database and the journal of every move); ` +
      "shelfwise moves only what is the library's own and never carries, follows or breaks its data folder: remove the link (or replace it by a copy of what you need) and run the command again (nothing moved)",
  };
}

/** A name as vfat, exFAT and NTFS compare them: case and Unicode form folded. */
function foldName(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

function within(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}
