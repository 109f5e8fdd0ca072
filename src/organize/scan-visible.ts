/**
 * Target folder names a scan would not see as the book: a name it skips
 * (`@eaDir`, `#recycle`, `lost+found`: NAS and OS folders, some emptied on a
 * schedule) or, below the top level, a name it reads as a disc or part folder
 * of the folder above (`CD 1`, `Part 3`, `The Hobbit - Disc 2`), whose files
 * it gives to that folder. A book moved there would vanish from the library
 * at the next scan (missing, or swallowed by its author folder), so the plan
 * holds it. Tags are hostile: an author tag `#recycle` must not send a book
 * into the recycle bin.
 */
import { PIECE_HINT } from "../domain/part-words.js";
import { isDiscFolderName, isPartOfFolder, isSkippedName, mayBeSkipped } from "../library/book-detect.js";

/** A word every disc or part folder name holds (domain/part-words.ts): most names are spared that longer pattern (this runs per book). */
const DISC_WORD = PIECE_HINT;

/**
 * Why a scan would not see a book under `names` (folder names below the
 * target root, outermost first), or null. `topLevel`: the first name sits
 * directly in a library folder, where a disc-like name is a folder like any.
 */
export function unscannableName(names: readonly string[], topLevel: boolean): string | null {
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (isSkippedName(name)) return `"${name}" is a folder name a scan skips (NAS, system or trash folders)`;
    if ((i > 0 || !topLevel) && DISC_WORD.test(name) && (isDiscFolderName(name) || (i > 0 && isPartOfFolder(name, names[i - 1])))) return `"${name}" reads to a scan as a disc or part folder of the folder above, whose book it would join`;
  }
  return null;
}

/**
 * unscannableName of a rendered "/"-separated path. Most paths hold no disc or part word anywhere (the pattern is
 * unanchored, so a name holding one makes the path hold it) and no name starting like a skipped one: those are
 * passed without being split into names (this runs once per moving book of a plan).
 */
export function unscannablePath(rendered: string, topLevel: boolean): string | null {
  if (DISC_WORD.test(rendered)) return unscannableName(rendered.split("/"), topLevel);
  for (let at = 0; ; ) {
    const slash = rendered.indexOf("/", at);
    // Only a name starting like a skipped one is cut out to be looked up.
    if (mayBeSkipped(rendered.charCodeAt(at)) && isSkippedName(rendered.slice(at, slash < 0 ? rendered.length : slash))) return unscannableName(rendered.split("/"), topLevel);
    if (slash < 0) return null;
    at = slash + 1;
  }
}
