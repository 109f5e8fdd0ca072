/**
 * A bound on a plugin's data folder as a whole (plugin_configs.<id>.max_data_mb): RLIMIT_FSIZE holds each
 * file (max_file_mb), not how many a plugin writes, and the folder is on the real disk, shelfwise's database
 * beside it. Walked now and then (not followed through links), asynchronously and bounded in entries: a
 * folder of more entries than that is over its bound too (a disk runs out of inodes as well as bytes), and so
 * is one holding what cannot be measured (nested past the longest path the system takes, kept unreadable):
 * the plugin itself chose what it hid there.
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
  /** A folder in it that could not be measured (nested past the longest path, or kept unreadable), with why; null when all was. */
  unmeasured: string | null;
}

/** A folder's entries; null when it is gone (deleted while walked). */
async function entriesOf(folder: string): Promise<fs.Dirent[] | null> {
  try {
    return await fs.promises.readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

/** What `dir` takes on disk, stopping once it passes `maxBytes` or `maxEntries`, or at a folder it cannot measure. */
export async function folderUsage(dir: string, maxBytes: number, maxEntries = MAX_DATA_ENTRIES): Promise<FolderUsage> {
  const usage: FolderUsage = { bytes: 0, entries: 0, unmeasured: null };
  const pending = [dir];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let names: fs.Dirent[] | null;
    try {
      names = await entriesOf(folder);
    } catch (error) {
      // Nested deeper than the longest path the system takes (ENAMETOOLONG), or made unreadable (chmod 000:
      // the plugin's files are shelfwise's user's): what is in it is unknown, so the folder cannot be said to
      // be within its bound. Not opened up again: a chmod by shelfwise follows a link the plugin swaps in.
      usage.unmeasured = `${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      return usage;
    }
    if (names === null) continue;
    for (const entry of names) {
      usage.entries++;
      const full = path.join(folder, entry.name);
      try {
        const stat = await fs.promises.lstat(full);
        usage.bytes += stat.blocks * 512;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") continue; // deleted since the folder was read
        usage.unmeasured = `${full}: ${code ?? (error as Error).message}`;
        return usage;
      }
      if (entry.isDirectory()) pending.push(full);
      if (usage.bytes > maxBytes || usage.entries > maxEntries) return usage;
    }
  }
  return usage;
}

/**
 * Why the data folder is over its bound, or null. `heldBytes`: what the running plugin holds on the folder's
 * disk in files it deleted but keeps open (process-tree.ts, heldDeletedBytes), which count as if still there.
 */
export async function dataFolderProblem(spec: Pick<LaunchSpec, "dataDir" | "plugin_id" | "maxDataMb">, heldBytes = 0): Promise<string | null> {
  if (!spec.maxDataMb) return null;
  const limit = spec.maxDataMb * 1024 * 1024;
  const usage = await folderUsage(spec.dataDir, Math.max(0, limit - heldBytes));
  if (usage.unmeasured !== null) {
    return `its data folder ${spec.dataDir} holds a folder shelfwise cannot measure against plugin_configs.${spec.plugin_id}.max_data_mb (${usage.unmeasured.length > 300 ? `${usage.unmeasured.slice(0, 150)}...${usage.unmeasured.slice(-150)}` : usage.unmeasured}); make it readable (chmod -R u+rwX) or delete it`;
  }
  if (usage.entries > MAX_DATA_ENTRIES) {
    return `its data folder ${spec.dataDir} holds more than ${MAX_DATA_ENTRIES.toLocaleString("en-US")} files and folders (the most a plugin may keep there); delete some`;
  }
  if (usage.bytes + heldBytes > limit) {
    const held = heldBytes > 0 ? `, counting ${Math.round(heldBytes / (1024 * 1024))} MB in files it deleted but keeps open` : "";
    return `its data folder ${spec.dataDir} holds more than ${spec.maxDataMb} MB (plugin_configs.${spec.plugin_id}.max_data_mb)${held}; delete files there, or raise that setting`;
  }
  return null;
}
