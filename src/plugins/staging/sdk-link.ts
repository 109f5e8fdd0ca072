/**
 * The SDK link: `import "shelfwise/plugin"` resolves the ordinary way, walking
 * up from the module's real path to a node_modules/shelfwise symlink pointing
 * at our package root (loader hooks are denied under the permission model).
 */
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "../../config/package-root.js";
import { ensureSymlink, errorCode, StagingError } from "./links.js";
import type { StagedPlugin } from "./staging.js";

/**
 * What a plugin needs to read of shelfwise: its package.json (to resolve the
 * `./plugin` export) and the built SDK. Not the whole package root, which in
 * a development checkout holds far more than a plugin should see.
 */
export function sdkReadPaths(shelfwiseRoot: string): string[] {
  return [path.join(shelfwiseRoot, "package.json"), path.join(shelfwiseRoot, "dist", "sdk")];
}

export function checkSdkBuilt(shelfwiseRoot: string): void {
  if (!fs.existsSync(path.join(shelfwiseRoot, "dist", "sdk", "index.js"))) {
    throw new StagingError(
      `shelfwise's plugin SDK is not built (${path.join(shelfwiseRoot, "dist", "sdk", "index.js")} is missing); run npm run build`,
    );
  }
}

/** null when the plugin dir is read-only: the caller falls back to a mirror. */
export function stageInPlace(realFolder: string, entry: string, pluginDir: string, shelfwiseRoot: string): StagedPlugin | null {
  const nodeModules = path.join(pluginDir, "node_modules");
  try {
    ensureSymlink(path.join(nodeModules, "shelfwise"), shelfwiseRoot);
  } catch (error) {
    if (["EACCES", "EPERM", "EROFS"].includes(errorCode(error) ?? "")) return null;
    throw error;
  }
  return { entry, read_paths: [realFolder, fs.realpathSync(nodeModules), ...sdkReadPaths(shelfwiseRoot)], warnings: [] };
}

/**
 * Makes `import ... from "shelfwise/plugin"` (and `shelfwise/testing`) resolve
 * from every plugin folder under pluginDir: `plugins new` calls it so a fresh
 * scaffold's own test runs before the plugin was ever staged.
 */
export function ensureSdkLink(pluginDir: string, shelfwiseRoot: string = packageRoot()): void {
  ensureSymlink(path.join(pluginDir, "node_modules", "shelfwise"), shelfwiseRoot);
}
