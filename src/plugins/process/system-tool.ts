import fs from "node:fs";

/**
 * A util-linux tool shelfwise starts plugins through (setpriv, prlimit), found once per process: the first
 * of `candidates` this user may execute, or null off Linux or in a minimal image without it.
 */
export function systemTool(candidates: readonly string[]): () => string | null {
  let cached: string | null | undefined;
  return () => {
    if (cached !== undefined) return cached;
    cached = process.platform !== "linux" ? null : (candidates.find(executable) ?? null);
    return cached;
  };
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
