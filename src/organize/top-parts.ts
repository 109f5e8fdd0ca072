/**
 * Loose audio files at the top of a library folder that read as one book's parts. A scan makes every audio file at
 * the top of a library folder a book of its own (a library's loose books), so a library folder that is itself one
 * book's folder (`scan "~/Audiobooks/Dune"`, `Dune - Part 01.mp3` … `Part 03.mp3` in it), or one book's parts left
 * loose at the top, became several books, each identified as its part (`Dune (Part 1)`, `Dune (Part 2)`) and each
 * moved by apply into a folder of its own: the book split over folders. Such files are held instead.
 */
import fs from "node:fs";
import { audioExtension, looksLikeOneBook } from "../library/book-detect.js";
import { sentence } from "../domain/command-advice.js";

const PARTS_AT_TOP = sentence`the audio files at the top of the library folder ${0} read as one book's parts (${1}): moved one by one, that book would be split over several folders; put them in a folder of their own and run \`shelfwise scan\` (or, if ${0} is that book's folder, make the folder above it the library folder)`;

/** Each library folder's top looked at once per plan (a plan's loose books share a few library folders). */
export class TopParts {
  private readonly known = new Map<string, string | null>();

  /** Why a loose book right at the top of `root` is held, or null when the files there are not one book's parts. */
  reason(root: string): string | null {
    let found = this.known.get(root);
    if (found === undefined) this.known.set(root, (found = partsReason(root)));
    return found;
  }
}

function partsReason(root: string): string | null {
  const names = topParts(root);
  if (names === null) return null;
  return PARTS_AT_TOP(root, names.slice(0, 3).join(", ") + (names.length > 3 ? ` and ${names.length - 3} more` : ""));
}

/** The loose audio files at the top of `root` (sorted) when there are two or more and they read as one book's parts, else null. */
export function topParts(root: string): string[] | null {
  let names: string[];
  try {
    names = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isFile() && audioExtension(entry.name) !== undefined)
      .map((entry) => entry.name)
      .sort();
  } catch {
    return null;
  }
  return names.length < 2 || !looksLikeOneBook(names) ? null : names;
}
