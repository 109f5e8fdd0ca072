/**
 * A bound on a plugin's data folder as a whole (plugin_configs.<id>.max_data_mb): RLIMIT_FSIZE holds each
 * file (max_file_mb), not how many a plugin writes, and the folder is on the real disk, shelfwise's database
 * beside it. Walked now and then (not followed through links), asynchronously and bounded in entries: a
 * folder of more entries than that is over its bound too (a disk runs out of inodes as well as bytes).
 */
import fs from "node:fs";
import path from "node:path";
import type { LaunchSpec } from "../plugin-types.js";

/** Files and folders a data folder may hold; walking more than this per check would cost shelfwise itself. */
export const MAX_DATA_ENTRIES = 100_000;
/** How often a running plugin's data folder is measured (and once before each start). */
export const DATA_POLL_MS = 5000;

export interface FolderUsage {
  /** Disk space taken (allocated blocks, so a sparse file counts as what it holds). */
  bytes: number;
  entries: number;
}

/** What `dir` takes on disk, stopping once it passes `maxBytes` or `maxEntries`. */
export async function folderUsage(dir: string, maxBytes: number, maxEntries = MAX_DATA_ENTRIES): Promise<FolderUsage> {
  const usage: FolderUsage = { bytes: 0, entries: 0 };
  const pending = [dir];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let names: fs.Dirent[];
    try {
      names = await fs.promises.readdir(folder, { withFileTypes: true });
    } catch {
      continue; // gone, or made unreadable by the plugin: what can be read is counted
    }
    for (const entry of names) {
      usage.entries++;
      const full = path.join(folder, entry.name);
      try {
        const stat = await fs.promises.lstat(full);
        usage.bytes += stat.blocks * 512;
      } catch {
        continue;
      }
      if (entry.isDirectory()) pending.push(full);
      if (usage.bytes > maxBytes || usage.entries > maxEntries) return usage;
    }
  }
  return usage;
}

/** Why the data folder is over its bound, or null. */
export async function dataFolderProblem(spec: Pick<LaunchSpec, "dataDir" | "plugin_id" | "maxDataMb">): Promise<string | null> {
  if (!spec.maxDataMb) return null;
  const limit = spec.maxDataMb * 1024 * 1024;
  const usage = await folderUsage(spec.dataDir, limit);
  if (usage.entries > MAX_DATA_ENTRIES) {
    return `its data folder ${spec.dataDir} holds more than ${MAX_DATA_ENTRIES.toLocaleString("en-US")} files and folders (the most a plugin may keep there); delete some`;
  }
  if (usage.bytes > limit) {
    return `its data folder ${spec.dataDir} holds more than ${spec.maxDataMb} MB (plugin_configs.${spec.plugin_id}.max_data_mb); delete files there, or raise that setting`;
  }
  return null;
}
