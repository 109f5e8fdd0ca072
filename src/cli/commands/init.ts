import fs from "node:fs";
import { changeConfig } from "../../app/settings-writes.js";
import { userPath } from "../../config/user-path.js";
import { makeFolder } from "../../config/make-folder.js";
import { configuredLibraries, refuseNestedLibraries, requireLibraryFolders } from "../library-arguments.js";
import { printLines, shown } from "../output.js";
import { openCommandSession, requireDataFolder } from "../session.js";
import { withWriteLock } from "../write-lock.js";

export async function initCommand(dataDir: string, libraries: string[], options: { wait?: string } = {}): Promise<void> {
  const folders = libraries.map((p) => userPath(p));
  // Checked before anything is created: a typo must not leave a data folder behind.
  requireLibraryFolders(folders);
  refuseNestedLibraries(folders, configuredLibraries(dataDir));
  // A data folder path that is a file (or lies below one) is said as such, not as an error of config.json.
  requireDataFolder(dataDir, { create: true });
  makeFolder(dataDir);
  return withWriteLock(dataDir, "init", options.wait, () => initLocked(dataDir, folders));
}

async function initLocked(dataDir: string, folders: string[]): Promise<void> {
  changeConfig(dataDir, (raw) => {
    const paths = Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [];
    // Thrown inside the change: config.json is left as it was.
    refuseNestedLibraries(folders, paths.filter((p) => typeof p === "string").map((p) => userPath(p, dataDir)));
    for (const lib of folders) if (!paths.includes(lib)) paths.push(lib);
    raw.library_paths = paths;
  });
  const session = openCommandSession(dataDir, { create: true });
  fs.mkdirSync(session.pluginDir, { recursive: true });
  await session.close();
  printLines(`initialized ${shown(dataDir)}`);
}
