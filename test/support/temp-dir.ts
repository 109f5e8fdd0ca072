import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh folder under the OS temp dir, named for the test that uses it. */
export function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `shelfwise-${label}-`));
}

/**
 * Removes a temp folder whatever a test did to it: chmod first because tests
 * lock folders, rm(1) because it also removes names that are not valid UTF-8.
 */
export function removeTempDir(dir: string): void {
  spawnSync("chmod", ["-R", "u+rwx", dir]);
  spawnSync("rm", ["-rf", dir]);
}
