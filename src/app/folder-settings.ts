/**
 * The checks of a folder setting typed by a user (`config set output_path|plugin_dir`, the Settings page), in one
 * place so both say the same: what is refused (nothing written) and what is only warned about (written, with a
 * note). updateConfig checks output_path again, under the lock, against the library folders it is written with.
 */
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config/config-schema.js";
import { dataDirLayout } from "../config/data-dir.js";
import { outputFolderProblem } from "../config/library-folders.js";
import { unmeantInJson } from "../config/text-rules.js";
import { userPath } from "../config/user-path.js";
import { quotedInput } from "../domain/quoted-input.js";
import { ADVICE } from "../domain/command-advice.js";

/** The folder-path keys: their schema refuses only NUL, as a folder's name may hold anything else (text-rules.ts). */
export const FOLDER_KEYS: ReadonlySet<string> = new Set(["output_path", "plugin_dir"]);

function statOf(full: string): fs.Stats | null {
  try {
    return fs.statSync(full);
  } catch {
    return null;
  }
}

/** The nearest folder at or above `full` that exists: where a folder not made yet would be made. */
function nearestExisting(full: string): { folder: string; stat: fs.Stats } | null {
  for (let at = full; ; at = path.dirname(at)) {
    const stat = statOf(at);
    if (stat?.isDirectory()) return { folder: at, stat };
    if (path.dirname(at) === at) return null;
  }
}

/**
 * Why `value` cannot be written as folder setting `key`, or null. A path typed with a line break or control
 * character names a folder no one can type: a paste gone wrong, unless a folder of that very name exists (the
 * user's own name, as `library add` takes only existing folders); refused here, not in the schema, so a config.json
 * that already holds such a path keeps loading. A file is refused too: apply (or a plugin's discovery) would fail.
 */
export function folderSettingProblem(dataDir: string, key: string, value: unknown): string | null {
  if (!FOLDER_KEYS.has(key) || typeof value !== "string") return null;
  const full = userPath(value, dataDirLayout(dataDir).root);
  const stat = statOf(full);
  const found = unmeantInJson(value, "a folder path");
  if (found !== null && !stat?.isDirectory()) {
    return `"${key}" is ${quotedInput(value, 4096)}: ${found.message} (no folder of that name exists; a folder whose name really holds one is taken once it exists)`;
  }
  if (stat !== null && !stat.isDirectory()) {
    return `"${key}" is ${quotedInput(value, 4096)}: ${full} is a file, not a folder; give a folder${key === "output_path" ? " (it is made when apply first moves a book there if it does not exist yet), or nothing to keep each book in its library folder" : ""}`;
  }
  return null;
}

/** folderSettingProblem for output_path, then where it is (outputFolderProblem, said again by the write under the lock). */
export function outputPathProblem(dataDir: string, config: Pick<Config, "library_paths" | "output_path">, value: string | null): string | null {
  if (value === null) return null;
  return folderSettingProblem(dataDir, "output_path", value) ?? outputFolderProblem({ ...config, output_path: value }, dataDir);
}

/**
 * What the user should know of an output_path that is taken: not made yet, not writable by this user, or on
 * another device than a library folder (each move then copies the book and removes the original).
 */
export function outputPathNotes(dataDir: string, config: Pick<Config, "library_paths">, value: string | null): string[] {
  if (value === null || value === "") return [];
  const root = dataDirLayout(dataDir).root;
  const full = userPath(value, root);
  const near = nearestExisting(full);
  if (near === null) return [];
  const notes: string[] = [];
  if (near.folder !== full) notes.push(`output_path ${full} does not exist yet: apply makes it when it first moves a book there`);
  try {
    fs.accessSync(near.folder, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const where = near.folder === full ? full : `${full} (made in ${near.folder})`;
    // Held, not failed (apply.ts): the books stay where they are, and the next apply moves them once it can.
    if ((error as NodeJS.ErrnoException).code === "EROFS") notes.push(`output_path ${where} is on a read-only mount: plan and apply hold every book bound there ${ADVICE.heldAs.cli("read_only")} and move none of them until it is mounted read-write; remount it, or give another folder`);
    else notes.push(`output_path ${where} cannot be written by this user: plan and apply hold every book bound there ${ADVICE.heldAs.cli("permission_denied")} and move none of them until it can; give a folder this user may write to, or change its permissions`);
  }
  const elsewhere = config.library_paths
    .map((p) => userPath(p, root))
    .filter((folder) => {
      const stat = statOf(folder);
      return stat !== null && stat.dev !== near.stat.dev;
    });
  if (elsewhere.length > 0) {
    notes.push(`output_path ${full} is on another device than the library folder${elsewhere.length > 1 ? "s" : ""} ${elsewhere.join(", ")}: apply copies each book there and then removes the original (slower than a move, and the book needs its space twice meanwhile)`);
  }
  return notes;
}
