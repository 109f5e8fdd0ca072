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
import { shellWord } from "../domain/shell-word.js";
import { ADVICE } from "../domain/command-advice.js";
import { quotedInput } from "../domain/quoted-input.js";
import { valuePosition } from "./json-position.js";
import { UNMEANT } from "./text-rules.js";

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
 * plugins and their sample audio) or inside it, nor one holding one of the library folders (a second,
 * overlapping copy of the library, every book in it proposed for a move
 * again). Inside a library folder, or the same as one (scanned whole
 * anyway), is fine.
 */
export function outputFolderProblem(config: Pick<Config, "library_paths" | "output_path">, dataDir: string): string | null {
  const output = outputFolder(config, dataDir);
  if (output === null) return null;
  // Already a library folder: it is scanned whole whatever output_path says (its data folder skipped, as in any).
  if (config.library_paths.some((p) => userPath(p, dataDir) === output)) return null;
  const pasted = pastedBreak(config.output_path!, output, dataDir);
  if (pasted !== null) return pasted;
  const holds = (folder: string) => within(folder, output) || within(realOrSelf(folder), realOrSelf(output));
  const advice = `give it a folder of its own for audiobooks ${ADVICE.outputExample.cli()}, ${ADVICE.outputUnset.cli()}`;
  if (path.dirname(output) === output) return `output_path ${output} is the root of the file system; ${advice}`;
  const home = homeFolder();
  if (home !== null && (output === home || realOrSelf(output) === realOrSelf(home))) return `output_path ${output} is the home folder: all of it would be scanned as a library folder; ${advice}`;
  const data = path.resolve(dataDir);
  if (data === output || holds(data)) return `output_path ${output} holds shelfwise's data folder ${data}: it would be scanned as a library folder; ${advice}`;
  // A relative output_path is relative to the data folder: `"Sorted"` put every book inside it, where removing or
  // copying the data folder (to start over, to try things on a copy) takes the books along. `library add` refuses the same.
  if (within(output, data) || within(realOrSelf(output), realOrSelf(data))) {
    return `output_path ${output} is inside shelfwise's data folder ${data}${path.isAbsolute(config.output_path!) ? "" : ` (a relative output_path is relative to the data folder)`}: removing or copying the data folder would take the books along; give it a folder of its own for audiobooks, in full ${ADVICE.outputExample.cli()}, ${ADVICE.outputUnset.cli()} (books moved there already: move them out by hand, and \`shelfwise scan\` finds them with their ids)`;
  }
  for (const p of config.library_paths) {
    const library = userPath(p, dataDir);
    if (library !== output && holds(library)) return `output_path ${output} holds the library folder ${library}: books would be found twice and proposed for moves again; ${advice}`;
  }
  return null;
}

/**
 * An output_path written by hand with a line break or another control character (a paste gone wrong) named a folder
 * no one can type, and apply made it and filled it. `config set` refuses such a name unless a folder of that very name
 * exists (cli/config-keys.ts); config.json keeps loading (a folder's name may hold one), and the folder is refused
 * where it would be used (scan, plan, apply, status), naming the line of config.json. An existing folder is taken.
 */
function pastedBreak(written: string, output: string, dataDir: string): string | null {
  const at = written.search(UNMEANT);
  if (at < 0) return null;
  try {
    if (fs.statSync(output).isDirectory()) return null;
  } catch {
    // Not there: the character would be written into a new folder's name.
  }
  const code = written.charCodeAt(at);
  const what = code === 0x0a || code === 0x0d || code >= 0x2028 ? "a line break" : code === 0x09 ? "a tab" : "a control character";
  let line = "";
  try {
    const position = valuePosition(fs.readFileSync(path.join(dataDir, "config.json"), "utf8"), ["output_path"]);
    if (position !== null) line = ` (line ${position.line})`;
  } catch {
    // Settings given in code, or a file gone since: said without the line.
  }
  return `output_path${line} is ${quotedInput(written, 200)}: character ${at + 1} is ${what} (U+${code.toString(16).toUpperCase().padStart(4, "0")}), and no folder of that name exists, so apply would make one no one can type; write it on one line (\`shelfwise config set output_path FOLDER\`), or null to keep each book in its library folder`;
}

/**
 * Why library_paths cannot be scanned and organized as written, or null. `library add`, `scan LIBRARY` and the
 * Settings page refuse these (app/library-paths.ts), but config.json is also edited by hand: an entry inside
 * another (by its path or once links are resolved), with no output_path, has the books in it read as loose (an
 * author folder listed is taken for a library's top: no author) and organized within it (`plan` proposing
 * `Isaac Asimov/Isaac Asimov/…`);
 * an entry that is the data folder, or inside it, would read its database's folder and plugins' sample audio
 * as books. The same folder twice is no problem: a scan reads it once.
 */
export function libraryPathsProblem(config: Pick<Config, "library_paths" | "output_path">, dataDir: string): string | null {
  const folders = config.library_paths.map((p) => userPath(p, dataDir));
  const real = folders.map(realOrSelf);
  // With output_path set, every book goes there whatever folder it was found in: an inbox listed inside the library
  // (`~/Audiobooks/inbox` beside `~/Audiobooks`, the output) is read from its own top and emptied into the output.
  const nestingAllowed = outputFolder(config, dataDir) !== null;
  const nested = (i: number, j: number) => within(folders[i], folders[j]) || within(real[i], real[j]);
  const data = path.resolve(dataDir);
  const realData = realOrSelf(data);
  for (let i = 0; i < folders.length; i++) {
    const folder = folders[i];
    if (folder === data || real[i] === realData || within(folder, data) || within(real[i], realData)) {
      return `library_paths lists ${folder}, which is ${folder === data || real[i] === realData ? "" : "inside "}shelfwise's data folder ${data}: its own files are never books; take it out (\`shelfwise library remove ${shellWord(folder)}\`) and list the folder that holds your audiobooks`;
    }
    for (let j = 0; j < folders.length; j++) {
      if (nestingAllowed || i === j || !nested(i, j)) continue;
      return (
        `library_paths lists ${folder} inside the library folder ${folders[j]}, which is scanned whole: the books in it would be read as if it were a library of its own (an author folder listed so: its books lose their author) and organized inside it (below a second author folder); ` +
        `take one out: \`shelfwise library remove ${shellWord(folder)}\` keeps the larger one (its books are kept, and keep their ids)`
      );
    }
  }
  return null;
}

/** outputFolderProblem as the error commands that use output_path stop with (exit 2, as every config.json problem). */
export function checkOutputFolder(config: Pick<Config, "library_paths" | "output_path">, dataDir: string): void {
  // Said first: an output_path problem is often only a consequence (a library folder listed inside another one).
  const problem = libraryPathsProblem(config, dataDir) ?? outputFolderProblem(config, dataDir);
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
