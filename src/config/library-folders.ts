/**
 * The folders books live in: `library_paths`, and `output_path`, where apply
 * puts them. The output folder counts as a library folder everywhere a
 * library folder matters (scans, plugins' read access): a book moved there
 * by shelfwise must stay as known as it was before the move, whether or not
 * the user also listed the folder in library_paths.
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "./config-error.js";
import type { Config } from "./config-schema.js";
import { homeFolder, userPath } from "./user-path.js";

/** output_path made absolute (relative to the data folder, `~` the home folder, as every path in config.json), or null. */
export function outputFolder(config: Pick<Config, "output_path">, dataDir: string): string | null {
  return config.output_path ? userPath(config.output_path, dataDir) : null;
}

/** library_paths and the output folder, absolute, each once (not an output folder too broad to be one: outputFolderProblem). */
export function libraryFolders(config: Pick<Config, "library_paths" | "output_path">, dataDir: string): string[] {
  const folders = config.library_paths.map((p) => userPath(p, dataDir));
  const output = outputFolder(config, dataDir);
  if (output !== null && !folders.includes(output) && outputFolderProblem(config, dataDir) === null) folders.push(output);
  return folders;
}

/**
 * Why output_path cannot be where books go, or null. It is scanned whole as
 * a library folder (every audio file in it becomes a book) and books are
 * moved into it, so it must be a folder for audiobooks: not the root or the
 * home folder, not a folder holding shelfwise's data folder (its database,
 * plugins and their sample audio) or one of the library folders (a second,
 * overlapping copy of the library, every book in it proposed for a move
 * again). Inside a library folder, or the same as one (scanned whole
 * anyway), is fine.
 */
export function outputFolderProblem(config: Pick<Config, "library_paths" | "output_path">, dataDir: string): string | null {
  const output = outputFolder(config, dataDir);
  if (output === null) return null;
  // Already a library folder: it is scanned whole whatever output_path says (its data folder skipped, as in any).
  if (config.library_paths.some((p) => userPath(p, dataDir) === output)) return null;
  const holds = (folder: string) => within(folder, output) || within(realOrSelf(folder), realOrSelf(output));
  const advice = "give it a folder of its own for audiobooks (`~/Audiobooks/Sorted`), or null to keep each book in its library folder";
  if (path.dirname(output) === output) return `output_path ${output} is the root of the file system; ${advice}`;
  const home = homeFolder();
  if (home !== null && (output === home || realOrSelf(output) === realOrSelf(home))) return `output_path ${output} is the home folder: all of it would be scanned as a library folder; ${advice}`;
  const data = path.resolve(dataDir);
  if (data === output || holds(data)) return `output_path ${output} holds shelfwise's data folder ${data}: it would be scanned as a library folder; ${advice}`;
  for (const p of config.library_paths) {
    const library = userPath(p, dataDir);
    if (library !== output && holds(library)) return `output_path ${output} holds the library folder ${library}: books would be found twice and proposed for moves again; ${advice}`;
  }
  return null;
}

/** outputFolderProblem as the error commands that use output_path stop with (exit 2, as every config.json problem). */
export function checkOutputFolder(config: Pick<Config, "library_paths" | "output_path">, dataDir: string): void {
  const problem = outputFolderProblem(config, dataDir);
  if (problem !== null) throw new ConfigError(`config.json: ${problem}`);
}

/** `p` strictly inside `dir`. */
function within(p: string, dir: string): boolean {
  return p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}
