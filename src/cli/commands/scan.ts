import fs from "node:fs";
import path from "node:path";
import { updateConfig } from "../../config/config-file.js";
import { openSession } from "../../app/session.js";
import { scanLibrary } from "../../library/scan.js";
import { applyScan } from "../../store/books.js";
import { UserError } from "../errors.js";
import { printJson, terminalSafe } from "../output.js";
import { createProgress } from "../progress.js";
import { withWriteLock } from "../write-lock.js";

export async function scanCommand(dataDir: string, paths: string[], options: { json?: boolean; wait?: string }): Promise<void> {
  return withWriteLock(dataDir, "scan", options.wait, () => scanLocked(dataDir, paths, options));
}

async function scanLocked(dataDir: string, paths: string[], options: { json?: boolean }): Promise<void> {
  const given = paths.map((p) => path.resolve(p));
  // Only real folders are remembered: a typo must not end up in library_paths.
  const remembered = given.filter((p) => isDirectory(p));
  if (remembered.length) {
    updateConfig(dataDir, (raw) => {
      const list = Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [];
      for (const p of remembered) if (!list.includes(p)) list.push(p);
      raw.library_paths = list;
    });
  }
  const session = openSession(dataDir);
  try {
    const roots = given.length ? given : session.config.library_paths.map((p) => path.resolve(session.layout.root, p));
    if (roots.length === 0) {
      throw new UserError("no library to scan: give a folder (`shelfwise scan /path/to/audiobooks`) or set library_paths in config.json", 2);
    }
    const progress = createProgress();
    progress.start(0, "scanning");
    const result = await scanLibrary(roots, { onProgress: (p) => progress.update(p.books) });
    progress.stop();
    // Only roots that exist and hold something were read; books under a vanished
    // root or an empty mount point (an unplugged drive) are left as they were.
    const settled = roots.filter((root) => isDirectory(root) && !isEmptyFolder(root));
    for (const root of roots) {
      if (isDirectory(root) && isEmptyFolder(root)) {
        result.problems.push({ path: root, message: "library folder is empty (an unmounted drive?); books recorded under it are left as they were" });
      }
    }
    const unreadable = result.problems.map((p) => p.path);
    if (settled.length === 0) {
      for (const problem of result.problems) process.stderr.write(`problem: ${terminalSafe(problem.path)}: ${terminalSafe(problem.message)}\n`);
      throw new UserError(`no library folder could be read (${roots.join(", ")}); nothing was changed`);
    }
    const summary = applyScan(session.db, result.books, settled, unreadable);
    session.log.info({ event: "scan", roots, ...summary, problems: result.problems }, "library scanned");
    if (options.json) {
      printJson({ ...summary, problems: result.problems });
      return;
    }
    for (const problem of result.problems) process.stderr.write(`problem: ${terminalSafe(problem.path)}: ${terminalSafe(problem.message)}\n`);
    process.stdout.write(
      `books found: ${summary.found}, new: ${summary.new}, changed: ${summary.changed}, ` +
        `unchanged: ${summary.unchanged}, missing: ${summary.missing}, back again: ${summary.returned}, problems: ${result.problems.length}\n`,
    );
  } finally {
    await session.close();
  }
}

function isEmptyFolder(p: string): boolean {
  try {
    return fs.readdirSync(p).length === 0;
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
