/**
 * The harness's default data folder. It is kept between runs under the system's
 * temp folder (staging caches transpiled TypeScript there), and the temp folder
 * is shared with every local user: one of them could create the name first, as
 * a link to a folder of theirs or as a folder they can write, and so read the
 * plugin's logs and data or plant "transpiled" code the next run executes. The
 * kept folder is used only when it is a real directory (never through a link)
 * owned by this user that nobody else could have written to; otherwise the run
 * gets a fresh private folder of its own, removed afterwards.
 *
 * One kept folder per installation of shelfwise: its staging cache links the
 * SDK (`node_modules/shelfwise`) to the installation that staged last, so two
 * installations sharing it (a project's devDependency and a global install, or
 * a throw-away install in a test run) re-pointed each other's link mid-run, and
 * once one was removed the other's plugins failed with "Cannot find package
 * 'shelfwise'".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { packageRoot } from "../../config/package-root.js";

export interface HarnessFolder {
  dir: string;
  /** Removes the folder if it was made for this run only. */
  dispose(): void;
}

/** `shelfwise-harness-<uid>-<12 hex digits of the installation folder's hash>` in the temp folder. */
export function keptHarnessFolder(installRoot: string = packageRoot()): string {
  const install = createHash("sha256").update(installRoot).digest("hex").slice(0, 12);
  return path.join(os.tmpdir(), `shelfwise-harness-${os.userInfo().uid}-${install}`);
}

export function harnessFolder(installRoot: string = packageRoot()): HarnessFolder {
  const kept = keptHarnessFolder(installRoot);
  if (ownPrivateFolder(kept)) return { dir: kept, dispose: () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-harness-run-"));
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Creates `dir` (mode 0700) or checks the existing one, through a descriptor that never follows a link. */
function ownPrivateFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return false;
  }
  let fd: number;
  try {
    fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
  } catch {
    return false; // a link, a file, or unreadable
  }
  try {
    const stat = fs.fstatSync(fd);
    const uid = os.userInfo().uid;
    if (!stat.isDirectory() || stat.uid !== uid) return false;
    // Group or others could write: what is inside may be theirs.
    if (stat.mode & 0o022) return false;
    // Readable by others (made by an older version with the default umask): ours alone from now on.
    if (stat.mode & 0o077) fs.fchmodSync(fd, 0o700);
    return true;
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}
