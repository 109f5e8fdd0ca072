/**
 * Makes a plugin loadable by the node runner under Node's permission model,
 * one of two ways:
 *   - in place (sdk-link.ts): a .js/.mjs/.cjs plugin whose folder sits directly
 *     in the plugin dir uses <pluginDir>/node_modules/shelfwise;
 *   - mirror (mirror.ts): TypeScript plugins, and JS plugins anywhere else.
 * Python plugins need nothing.
 */
import { type FolderReader } from "../folder-snapshot.js";
import fs from "node:fs";
import path from "node:path";
import { dataDirLayout } from "../../config/data-dir.js";
import type { DiscoveredPlugin } from "../manifest/discovery.js";
import { StagingError } from "./links.js";
import { stageMirror, sweepInUseMarkers } from "./mirror.js";
import { checkSdkBuilt, stageInPlace } from "./sdk-link.js";

export { StagingError } from "./links.js";
export { ensureSdkLink, sdkReadPaths } from "./sdk-link.js";

/** Clears the staging marks of shelfwise processes that have exited (mirror.ts), at the start of a command. */
export function sweepStaging(dataDir: string): void {
  sweepInUseMarkers(dataDirLayout(path.resolve(dataDir)).pluginCache);
}

export interface StageOptions {
  /** shelfwise's data folder; mirrors go to its layout's pluginCache. */
  dataDir: string;
  pluginDir: string;
  /** The shelfwise package root (config/package-root.ts). */
  shelfwiseRoot: string;
  /** The shelfwise process that runs the staged copy (marks a mirror in use: mirror.ts); default this one. */
  pid?: number;
  /** The start's one reading of the plugin folder (folder-snapshot.ts); default the disk. */
  reader?: FolderReader;
}

export interface StagedPlugin {
  /** Absolute path of the module the runner loads. */
  entry: string;
  /** Real paths the runner must be allowed to read (--allow-fs-read). */
  read_paths: string[];
  /** Things left out of a mirror (e.g. symlinks leading outside the plugin folder). */
  warnings: string[];
  /** The mirror's folder, for a plugin run from a copy. */
  copy?: string;
}

export type StageablePlugin = Pick<DiscoveredPlugin, "id" | "runtime" | "folder" | "entry_real_path">;



const IN_PLACE_EXTENSIONS = new Set([".js", ".mjs", ".cjs"]);

/** Stages one plugin (state ok in discovery) for its runtime. */
export function stagePlugin(plugin: StageablePlugin, options: StageOptions): StagedPlugin {
  const { id, runtime, entry_real_path: entry } = plugin;
  if (id === null || runtime === null || entry === null) {
    throw new StagingError(`plugin ${plugin.folder} is not loadable (fix its manifest first)`);
  }
  const realFolder = fs.realpathSync(plugin.folder);
  if (runtime === "python") return { entry, read_paths: [realFolder], warnings: [] };

  const shelfwiseRoot = fs.realpathSync(options.shelfwiseRoot);
  checkSdkBuilt(shelfwiseRoot);
  const pluginDir = realOrResolved(options.pluginDir);
  if (IN_PLACE_EXTENSIONS.has(path.extname(entry)) && path.dirname(realFolder) === pluginDir) {
    const inPlace = stageInPlace(realFolder, entry, pluginDir, shelfwiseRoot);
    if (inPlace) return inPlace;
  }
  return stageMirror(id, realFolder, entry, dataDirLayout(path.resolve(options.dataDir)).pluginCache, shelfwiseRoot, options.pid, options.reader);
}

function realOrResolved(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
