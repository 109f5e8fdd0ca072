/**
 * Where shelfwise is installed: the folder holding its package.json (name
 * "shelfwise"), found once by walking up from this module, which works from
 * src/ (tsx, tests) and from dist/ (the installed CLI) alike. The one way
 * every module finds it (runner paths, the SDK, python/, the sandbox helper).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let found: { root: string; version: string } | null = null;

function locate(): { root: string; version: string } {
  if (found) return found;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "shelfwise") {
        // The real path: plugin processes are given it under Node's permission model and the wall, which see real paths.
        found = { root: fs.realpathSync(dir), version: typeof pkg.version === "string" ? pkg.version : "0.0.0" };
        return found;
      }
    } catch {
      // no (readable) package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find shelfwise's package.json above ${start}`);
  }
}

/** The installation folder (holds package.json, dist/, python/). */
export function packageRoot(): string {
  return locate().root;
}

/** shelfwise's version from its package.json. */
export function packageVersion(): string {
  return locate().version;
}
