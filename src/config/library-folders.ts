/**
 * The folders books live in: `library_paths`, and `output_path`, where apply
 * puts them. The output folder counts as a library folder everywhere a
 * library folder matters (scans, plugins' read access): a book moved there
 * by shelfwise must stay as known as it was before the move, whether or not
 * the user also listed the folder in library_paths.
 */
import type { Config } from "./config-schema.js";
import { userPath } from "./user-path.js";

/** output_path made absolute (relative to the data folder, `~` the home folder, as every path in config.json), or null. */
export function outputFolder(config: Pick<Config, "output_path">, dataDir: string): string | null {
  return config.output_path ? userPath(config.output_path, dataDir) : null;
}

/** library_paths and the output folder, absolute, each once. */
export function libraryFolders(config: Pick<Config, "library_paths" | "output_path">, dataDir: string): string[] {
  const folders = config.library_paths.map((p) => userPath(p, dataDir));
  const output = outputFolder(config, dataDir);
  if (output !== null && !folders.includes(output)) folders.push(output);
  return folders;
}
