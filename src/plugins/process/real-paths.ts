import fs from "node:fs";
import path from "node:path";

/** Both the given and the real path of each: modules are loaded by real path, user paths may be symlinks. */
export function withRealPaths(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    out.add(abs);
    try {
      out.add(fs.realpathSync(abs));
    } catch {
      // Not there (yet): the given path is all we can allow.
    }
  }
  return [...out];
}
