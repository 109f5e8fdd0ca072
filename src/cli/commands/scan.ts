import path from "node:path";
import { openSession } from "../../app/session.js";
import { configuredRoots, rememberLibraryFolders, scanAndRecord } from "../../app/scan-library.js";
import { UserError } from "../errors.js";
import { printJson, terminalSafe } from "../output.js";
import { createProgress } from "../progress.js";
import { withWriteLock } from "../write-lock.js";

export async function scanCommand(dataDir: string, paths: string[], options: { json?: boolean; wait?: string }): Promise<void> {
  return withWriteLock(dataDir, "scan", options.wait, () => scanLocked(dataDir, paths, options));
}

async function scanLocked(dataDir: string, paths: string[], options: { json?: boolean }): Promise<void> {
  const given = paths.map((p) => path.resolve(p));
  rememberLibraryFolders(dataDir, given);
  const session = openSession(dataDir);
  try {
    const roots = given.length ? given : configuredRoots(session);
    if (roots.length === 0) {
      throw new UserError("no library to scan: give a folder (`shelfwise scan /path/to/audiobooks`) or set library_paths in config.json", 2);
    }
    const progress = createProgress();
    progress.start(0, "scanning");
    const outcome = await scanAndRecord(session, roots, (books) => progress.update(books));
    progress.stop();
    if (!outcome.read) {
      for (const problem of outcome.problems) process.stderr.write(`problem: ${terminalSafe(problem.path)}: ${terminalSafe(problem.message)}\n`);
      throw new UserError(`no library folder could be read (${roots.join(", ")}); nothing was changed`);
    }
    const summary = outcome.summary;
    if (options.json) return printJson(summary);
    for (const problem of summary.problems) process.stderr.write(`problem: ${terminalSafe(problem.path)}: ${terminalSafe(problem.message)}\n`);
    process.stdout.write(
      `books found: ${summary.found}, new: ${summary.new}, changed: ${summary.changed}, ` +
        `unchanged: ${summary.unchanged}, missing: ${summary.missing}, back again: ${summary.returned}, problems: ${summary.problems.length}\n`,
    );
  } finally {
    await session.close();
  }
}
