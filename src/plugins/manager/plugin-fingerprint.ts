/**
 * What a plugin folder holds, as one hash, and the names that never make a plugin change: shared by the
 * watch of `serve` (plugin-watcher.ts) and a plugin layer noticing its files changed during a run
 * (plugin-layer.ts), without loading the watcher.
 */
import { createHash } from "node:crypto";
import type fs from "node:fs";
import path from "node:path";
import { DISK, type FolderReader } from "../folder-snapshot.js";

const IGNORED_NAMES = new Set(["node_modules", "__pycache__"]);
/** Depth below a plugin folder that is still looked at; deeper files are data, not code. */
export const PLUGIN_FOLDER_DEPTH = 8;
/** Beyond this many files a fingerprint stops listing: a plugin folder is not a data store. */
const MAX_FINGERPRINT_FILES = 5000;

/** True for a name that never makes a plugin change (one path segment). */
export function isIgnoredName(name: string): boolean {
  return IGNORED_NAMES.has(name) || name.startsWith(".") || name.endsWith("~") || /\.sw[a-p]$/.test(name);
}

/**
 * What a plugin folder holds, as one hash: relative path, size and mtime of
 * every file (symlinks followed), ignored names left out. Two equal
 * fingerprints mean nothing a plugin runs from has changed.
 */
export function pluginFolderFingerprint(folder: string, reader: FolderReader = DISK): string {
  const hash = createHash("sha256");
  let files = 0;
  const walk = (dir: string, relative: string, depth: number) => {
    let names: string[];
    try {
      names = reader
        .entries(dir)
        .map((d) => d.name)
        .sort();
    } catch (error) {
      hash.update(`${relative}\0unreadable:${(error as NodeJS.ErrnoException).code}\n`);
      return;
    }
    for (const name of names) {
      if (isIgnoredName(name)) continue;
      if (++files > MAX_FINGERPRINT_FILES) return;
      const full = path.join(dir, name);
      const rel = relative ? `${relative}/${name}` : name;
      let stat: fs.Stats | undefined;
      try {
        stat = reader.stat(full);
      } catch {
        // Gone, a symlink loop or an unreadable entry: its presence still counts.
      }
      if (!stat) hash.update(`${rel}\0missing\n`);
      else if (stat.isDirectory()) {
        hash.update(`${rel}/\n`);
        if (depth < PLUGIN_FOLDER_DEPTH) walk(full, rel, depth + 1);
      } else hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  walk(folder, "", 0);
  hash.update(`files:${files}`);
  return hash.digest("hex");
}
