/**
 * A plugin's identity for the pipeline: its code (every file of its folder)
 * and its config (its plugin_configs entry). When either changes, the
 * pipeline runs the plugin's layer again on every book (see
 * store/layer-identity.ts). Settings that only change how a plugin runs, not
 * what it answers (timeouts, memory, concurrency, rate limit), are left out.
 */
import { createHash, type Hash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { stableJson } from "../../pipeline/layer-identity.js";
import { readFileCapped } from "../read-capped.js";
import { DISK, type FolderReader } from "../folder-snapshot.js";

/** Folders that hold no plugin code of the author's own, or are rewritten by tools. */
const SKIPPED_DIRS = new Set([".git", "node_modules", "__pycache__", ".venv", "venv", ".pytest_cache", ".mypy_cache"]);
const RUN_ONLY_KEYS = new Set(["timeout", "setup_timeout", "memory_mb", "max_file_mb", "max_data_mb", "concurrency", "rate_limit_per_minute"]);
/** Bounds, so a huge folder dropped in by mistake cannot stall every `process`. */
const MAX_FILES = 5000;
const MAX_HASHED_BYTES = 4 * 1024 * 1024;

export function pluginIdentity(folder: string, config: Record<string, unknown>, reader: FolderReader = DISK): string {
  const hash = createHash("sha256");
  hash.update("files\0");
  hashFolder(hash, folder, reader);
  hash.update("config\0");
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!RUN_ONLY_KEYS.has(key)) kept[key] = value;
  hash.update(stableJson(kept));
  return `plugin:${hash.digest("hex").slice(0, 32)}`;
}

function hashFolder(hash: Hash, root: string, reader: FolderReader): void {
  const files: string[] = [];
  let folders = 0;
  const walk = (dir: string, rel: string) => {
    // Folders count too: a tree of empty folders, a million wide or deep, is not walked to its end.
    if (++folders > MAX_FILES) return;
    let names: fs.Dirent[];
    try {
      names = reader.entries(dir);
    } catch {
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      if (files.length >= MAX_FILES) return;
      const relPath = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name)) walk(path.join(dir, d.name), relPath);
      } else if (d.isFile() || d.isSymbolicLink()) {
        files.push(relPath);
      }
    }
  };
  walk(root, "");
  for (const rel of files) {
    const full = path.join(root, rel);
    hash.update(`${rel}\0`);
    try {
      const stat = reader.stat(full);
      if (!stat.isFile()) continue;
      if (stat.size > MAX_HASHED_BYTES) hash.update(`size ${stat.size} mtime ${stat.mtimeMs}\0`);
      else hash.update(readFileCapped(full, MAX_HASHED_BYTES)).update("\0");
    } catch {
      hash.update("unreadable\0");
    }
  }
}
