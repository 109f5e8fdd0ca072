import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh folder under the OS temp dir, named for the test that uses it. */
export function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `shelfwise-${label}-`));
}

/**
 * Removes a temp folder whatever a test did to it: locked folders (tests chmod them), names that are not
 * valid UTF-8, links (removed, never followed). Walked in this process: `chmod -R` and `rm -rf` as two
 * children of a test worker (hundreds of MB to fork) cost ~30 ms of CPU a call (~170 ms of wall at a load of
 * 15), and the suite calls this a few hundred times. Whatever the walk cannot remove (a path past PATH_MAX,
 * which rm(1) reaches through folder descriptors; a mount) goes to those two children as before.
 */
export function removeTempDir(dir: string): void {
  if (removeTree(Buffer.from(dir))) return;
  spawnSync("chmod", ["-R", "u+rwx", dir]);
  spawnSync("rm", ["-rf", dir]);
}

const SLASH = Buffer.from("/");

/** True when `at` is gone. Buffer paths: a name that is not UTF-8 round-trips as its bytes. */
function removeTree(at: Buffer): boolean {
  try {
    const stat = fs.lstatSync(at);
    if (stat.isDirectory()) {
      if ((stat.mode & 0o700) !== 0o700) fs.chmodSync(at, (stat.mode & 0o7777) | 0o700);
      let gone = true;
      for (const name of fs.readdirSync(at, { encoding: "buffer" })) gone = removeTree(Buffer.concat([at, SLASH, name])) && gone;
      if (!gone) return false;
      fs.rmdirSync(at);
    } else {
      fs.unlinkSync(at);
    }
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}
