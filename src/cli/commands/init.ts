import fs from "node:fs";
import path from "node:path";
import { noun } from "../../domain/plural.js";
import { changeConfig } from "../../app/settings-writes.js";
import { userPath } from "../../config/user-path.js";
import { makeFolder } from "../../config/make-folder.js";
import { asConfigured, configuredLibraries, refuseNestedLibraries, requireLibraryFolders } from "../library-arguments.js";
import { isQuiet, printLines, shown } from "../output.js";
import { openCommandSession, requireDataFolder } from "../session.js";
import { withWriteLock } from "../write-lock.js";

export async function initCommand(dataDir: string, libraries: string[], options: { wait?: string } = {}): Promise<void> {
  const folders = libraries.map((p) => userPath(p));
  // Checked before anything is created: a typo must not leave a data folder behind.
  requireLibraryFolders(folders);
  refuseNestedLibraries(folders, configuredLibraries(dataDir), null, dataDir);
  // A data folder path that is a file (or lies below one) is said as such, not as an error of config.json.
  requireDataFolder(dataDir, { create: true });
  makeFolder(dataDir);
  return withWriteLock(dataDir, "init", options.wait, () => initLocked(dataDir, folders));
}

async function initLocked(dataDir: string, folders: string[]): Promise<void> {
  const existed = fs.existsSync(path.join(dataDir, "config.json"));
  const added: string[] = [];
  let libraries: string[] = [];
  changeConfig(dataDir, (raw) => {
    const paths = Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [];
    // Thrown inside the change: config.json is left as it was.
    const listed = paths.filter((p) => typeof p === "string").map((p) => userPath(p, dataDir));
    refuseNestedLibraries(folders, listed);
    // A listed folder given by another name (a link to it) is listed already: not a second entry.
    for (const lib of asConfigured(folders, listed)) if (!paths.includes(lib) && !listed.includes(lib)) (paths.push(lib), added.push(lib));
    raw.library_paths = paths;
    libraries = paths;
  });
  const session = await openCommandSession(dataDir, { create: true });
  fs.mkdirSync(session.pluginDir, { recursive: true });
  await session.close();
  // "initialized" again over a data folder in use read as if it had been reset: say what was done, and what is next.
  const what = existed
    ? `${shown(dataDir)} was set up already; ${added.length ? `added library ${noun(added.length, "folder", "folders")} ${added.map((p) => shown(p)).join(", ")}` : "nothing changed"}`
    : `initialized ${shown(dataDir)}${libraries.length ? ` (library ${noun(libraries.length, "folder", "folders")} ${libraries.map((p) => shown(p)).join(", ")})` : ""}`;
  // The next step is advice, a note: --quiet keeps what was done and leaves it out.
  printLines(what, ...(isQuiet() ? [] : [libraries.length ? "next: `shelfwise scan` finds the books" : "next: `shelfwise scan LIBRARY` adds your library folder and finds its books"]));
}
