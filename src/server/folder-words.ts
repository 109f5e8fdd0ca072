/**
 * A sentence of shelfwise's about the configured folders (a scan or a plan refused for output_path, a setting's
 * check) in a page's words: "or null" is config.json's way to unset output_path, a page empties its field
 * (domain/command-advice.ts ADVICE.outputUnset). Such words name no command, so the reply's own pass
 * (page-words.ts) leaves them: they are put in a page's words here, where the folders are known, each kept as it
 * is (a folder may be named with the very words that are rewritten).
 */
import path from "node:path";
import { forPages } from "../domain/command-advice.js";
import type { Config } from "../config/config-schema.js";
import { userPath } from "../config/user-path.js";

export function folderWordsForPages(text: string, config: Pick<Config, "library_paths" | "output_path">, dataDir: string, also: readonly string[] = []): string {
  const named = [...also, path.resolve(dataDir), ...config.library_paths.flatMap((p) => [p, userPath(p, dataDir)])];
  if (config.output_path) named.push(config.output_path, userPath(config.output_path, dataDir));
  return forPages(text, named);
}
