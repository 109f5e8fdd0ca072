/**
 * Why the books of a folder no longer among the configured ones are held (`library_removed`): a library folder
 * taken out of library_paths, or a former output_path. Books apply moved into output_path are recorded under it; once
 * the setting changed they were held as of a library folder "no longer in library_paths", a folder the user never
 * put there, with advice that did not say what happened nor what the choices are.
 */
import fs from "node:fs";
import { sentence } from "../domain/command-advice.js";
import { shellWord } from "../domain/shell-word.js";
import type { Db } from "../store/database.js";
import { wasApplyTarget } from "../store/output-roots.js";

const ROOT_REMOVED = sentence`its library folder ${0} is no longer in library_paths; \`shelfwise library add ${1}\` (then \`shelfwise scan\`) to organize it again`;
const ROOT_GONE = sentence`its library folder ${0} is no longer in library_paths, nor on disk; if you moved it, \`shelfwise library add\` its new place and \`shelfwise scan\`: its books keep their ids there`;
const OLD_OUTPUT = sentence`it is in ${0}, where apply put books while output_path was ${0}; output_path is ${1} now, so shelfwise leaves that folder alone: \`shelfwise config set output_path ${2}\` to organize its books there again, or \`shelfwise library add ${2}\` (then \`shelfwise scan\`) to have apply move them to ${1}`;
const OLD_OUTPUT_UNSET = sentence`it is in ${0}, where apply put books while output_path was ${0}; output_path is not set now, so shelfwise leaves that folder alone: \`shelfwise config set output_path ${1}\` to organize its books there again, or \`shelfwise library add ${1}\` (then \`shelfwise scan\`) to organize them where they are`;
const OLD_OUTPUT_GONE = sentence`it is recorded in ${0}, where apply put books while output_path was ${0}, and that folder is no longer on disk; if you moved it, \`shelfwise library add\` its new place (or \`shelfwise config set output_path\` to it) and \`shelfwise scan\`: its books keep their ids there`;

/** Each such folder's reason worked out once per plan. */
export class RemovedRoots {
  private readonly known = new Map<string, string>();

  /** `outputFolder`: output_path as the plan uses it (absolute), or null when unset. */
  constructor(
    private readonly db: Db,
    private readonly outputFolder: string | null,
  ) {}

  reason(root: string): string {
    let found = this.known.get(root);
    if (found === undefined) this.known.set(root, (found = this.#reason(root)));
    return found;
  }

  #reason(root: string): string {
    const exists = fs.existsSync(root);
    if (!wasApplyTarget(this.db, root)) return exists ? ROOT_REMOVED(root, shellWord(root)) : ROOT_GONE(root);
    if (!exists) return OLD_OUTPUT_GONE(root);
    return this.outputFolder === null ? OLD_OUTPUT_UNSET(root, shellWord(root)) : OLD_OUTPUT(root, this.outputFolder, shellWord(root));
  }
}
