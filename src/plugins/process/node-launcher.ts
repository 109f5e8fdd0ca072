/**
 * Starts node plugins under the permission model: reads only from the runner,
 * the SDK, the plugin folder and the declared read paths; writes only to the
 * plugin's data folder; no child processes, no workers, a bounded heap.
 * Node 20 has no network permission: the runner's net guard covers that.
 */
import fs from "node:fs";
import path from "node:path";
import { withRealPaths } from "./real-paths.js";
import { packageRoot } from "../../config/package-root.js";
import type { LaunchSpec } from "../plugin-types.js";
import { pluginEnv, type LaunchCommand, type RuntimeLauncher } from "./launch-command.js";

// The runner as one CommonJS file (scripts/build-runner.mjs), whether the host runs from dist or from source:
// node then starts it without its ES module loader, ~15-20 ms of CPU less per plugin start.
export const NODE_RUNNER_PATH = path.join(packageRoot(), "dist", "plugins", "runner", "node-runner.cjs");
/** `shelfwise/plugin` resolves here; plugins that import it must be able to read it. */
const SDK_DIR = path.join(packageRoot(), "dist", "sdk");

const nodeFlags = process.allowedNodeEnvironmentFlags;
const PERMISSION_FLAG = nodeFlags.has("--permission") ? "--permission" : "--experimental-permission";
const QUIET_FLAGS = nodeFlags.has("--disable-warning") ? ["--disable-warning=ExperimentalWarning"] : [];

export function createNodeLauncher(runnerPath: string = NODE_RUNNER_PATH): RuntimeLauncher {
  return { command: (spec) => nodeCommand(spec, runnerPath) };
}

export function nodeCommand(spec: LaunchSpec, runnerPath: string = NODE_RUNNER_PATH): LaunchCommand {
  // Each path once: Node 20 aborts (an assertion in its permission tree, SIGABRT) when a path is granted
  // twice, as the SDK is when shelfwise/testing runs from an npm install in the plugin's own project.
  const reads = new Set([
    ...withRealPaths([path.dirname(runnerPath), SDK_DIR, spec.folder, path.dirname(spec.entry), spec.dataDir, ...spec.readPaths]),
    ...sdkLinks([spec.folder, path.dirname(spec.entry)]),
  ]);
  const args = [
    PERMISSION_FLAG,
    ...[...reads].map((p) => `--allow-fs-read=${permissionPath(p)}`),
    `--allow-fs-write=${permissionPath(spec.dataDir)}`,
    // Module paths stay as seen from the plugin (node_modules links included), so the
    // read grants above cover them without granting whatever the links point into.
    "--preserve-symlinks",
    // No CommonJS global folders: $HOME/.node_modules and $HOME/.node_libraries are under HOME, the plugin's
    // writable data folder, so a package a plugin planted there was loaded by a `require` of a package it
    // does not ship in each of its later processes, a replaced (clean) version included. Also drops NODE_PATH
    // (never set here) and <prefix>/lib/node: a plugin's packages are in its own node_modules.
    "--no-global-search-paths",
    // TypeScript plugins run from transpiled copies with inline maps: stacks point at the .ts.
    "--enable-source-maps",
    `--max-old-space-size=${Math.max(16, Math.floor(spec.memoryMb))}`,
    ...QUIET_FLAGS,
    runnerPath,
  ];
  return { file: process.execPath, args, env: pluginEnv(spec) };
}


/**
 * `import "shelfwise/plugin"` resolves through the nearest node_modules/shelfwise
 * link above the plugin, and node checks the link path itself (realpath), so
 * the SDK folder seen through that link must be readable too. Only that folder:
 * through the link, the permission model would follow into the whole package.
 */
function sdkLinks(starts: string[]): string[] {
  const links = new Set<string>();
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const link = path.join(dir, "node_modules", "shelfwise");
      if (fs.existsSync(link)) {
        links.add(path.join(link, "dist", "sdk"));
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...links];
}

function permissionPath(p: string): string {
  // Node splits these flags on commas; a path with one would silently widen or break access.
  if (p.includes(",")) throw new Error(`cannot grant access to "${p}": node permission flags cannot express paths containing a comma`);
  return p;
}
