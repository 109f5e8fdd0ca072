import fs from "node:fs";
import { EXIT } from "../../app/exit-codes.js";
import { userPath } from "../../config/user-path.js";
import { outputFolder } from "../../config/library-folders.js";
import { makeFolder } from "../../config/make-folder.js";
import { configuredRoots, forgetLibraryFolders, isDirectory, movedLinkText, movedOutText, partsAtTopText, rememberLibraryFolders, scanAndRecord } from "../../app/scan-library.js";
import { UserError } from "../errors.js";
import { noteLine, warnLine, printJson, printLines, shown, terminalSafe } from "../output.js";
import { canRedraw, createProgress } from "../progress.js";
import { openCommandSession, requireDataFolder } from "../session.js";
import { withWriteLock } from "../write-lock.js";
import { asConfigured, configuredFolders, refuseNestedLibraries, requireLibraryFolders } from "../library-arguments.js";
import { setExitCode } from "../exit-status.js";
import { resultReported } from "../interrupt.js";
import { counted } from "../../domain/plural.js";
import { hasBooksUnder } from "../../store/books.js";
import { jobRanToItsEnd } from "../../app/cut-short-job.js";

export async function scanCommand(dataDir: string, paths: string[], options: { json?: boolean; wait?: string }): Promise<void> {
  let given = paths.map((p) => userPath(p));
  // A typo in PATH is bad input whether a data folder exists or not, and is named before anything is created.
  requireLibraryFolders(given);
  const configured = configuredFolders(dataDir);
  refuseNestedLibraries(given, configured.libraries, configured.output);
  given = asConfigured(given, configured.libraries);
  // Only a scan of a real library folder may set a new data folder up; anything else needs an existing one.
  const readable = given.some(isDirectory);
  if (!readable && given.length > 0 && !fs.existsSync(dataDir)) {
    // Left by requireLibraryFolders: folders this user cannot even look at (a parent without x permission).
    throw new UserError(`library folder ${given.map((p) => shown(p)).join(", ")} cannot be reached (permission denied?); nothing was created`, EXIT.failure);
  }
  requireDataFolder(dataDir, { create: readable });
  // Empty library folders give nothing to record: a data folder set up for them would be one with no library.
  if (!fs.existsSync(dataDir) && given.length > 0 && given.every((p) => isDirectory(p) && isEmptyFolderNow(p))) {
    throw new UserError(`${nothingToScan(given)}; nothing was created`);
  }
  makeFolder(dataDir);
  return withWriteLock(dataDir, "scan", options.wait, () => scanLocked(dataDir, given, options));
}

function nothingToScan(roots: readonly string[]): string {
  return `nothing to scan: ${roots.map((root) => shown(root)).join(", ")} ${roots.length === 1 ? "is" : "are"} empty (an unmounted drive? put your audiobooks there, or give the folder that holds them)`;
}

function isEmptyFolderNow(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

async function scanLocked(dataDir: string, typed: string[], options: { json?: boolean }): Promise<void> {
  const session = await openCommandSession(dataDir, { create: true });
  try {
    const configured = session.config.library_paths.map((p) => userPath(p, session.layout.root));
    refuseNestedLibraries(typed, configured, outputFolder(session.config, session.layout.root), session.layout.root);
    const given = asConfigured(typed, configured);
    const roots = given.length ? given : configuredRoots(session);
    if (roots.length === 0) {
      throw new UserError("no library to scan: give a folder (`shelfwise scan /path/to/audiobooks`), or add one to library_paths with `shelfwise library add /path/to/audiobooks`", 2);
    }
    // Remembered before the scan is recorded, not after: a kill -9 between the two must never leave books recorded
    // under a folder config.json does not list (a bare `scan` would then say there is no library). A scan that
    // fails or is refused (nothing readable, a full disk) takes back what it added here: config.json is as it was.
    const added = rememberLibraryFolders(dataDir, given);
    let outcome: Awaited<ReturnType<typeof scanAndRecord>>;
    try {
      // As process and apply: with --json, stdout and stderr carry only the report and its messages.
      const progress = createProgress(!options.json && canRedraw());
      progress.start(0, "scanning");
      outcome = await scanAndRecord(session, roots, (books) => progress.update(books));
      progress.stop();
      if (!outcome.read) forgetLibraryFolders(dataDir, added);
    } catch (error) {
      forgetLibraryFolders(dataDir, added);
      throw error;
    }
    if (!outcome.read) {
      // Every root an empty folder (a new library folder not filled yet, an unmounted drive): read, with nothing in it.
      // Not where books are recorded under one: that is the drive not mounted, said by its problem below.
      if (roots.every((root) => isDirectory(root) && isEmptyFolderNow(root) && !hasBooksUnder(session.db, root))) {
        throw new UserError(`${nothingToScan(roots)}; nothing was changed`);
      }
      for (const problem of outcome.problems) process.stderr.write(`problem: ${terminalSafe(problem.path)}: ${terminalSafe(problem.message)}\n`);
      throw new UserError(`no library folder could be read (${roots.map((root) => shown(root)).join(", ")}); nothing was changed`);
    }
    const summary = outcome.summary;
    // Every library folder read again: a scan job a killed server cut short is done (a running server's dashboard
    // drops its notice at its next look).
    if (configured.every((root) => roots.includes(root))) jobRanToItsEnd(session.db, "scan", "scan");
    setExitCode(summary.exit_code);
    if (options.json) printJson(summary);
    else {
      printLines(
        `books found: ${summary.found}, new: ${summary.new}, changed: ${summary.changed}, ` +
          `unchanged: ${summary.unchanged}, missing: ${summary.missing}, back again: ${summary.returned}, ${summary.moved > 0 ? `moved: ${summary.moved}, ` : ""}${summary.touched > 0 ? `rewritten in place (tags read again): ${summary.touched}, ` : ""}problems: ${summary.problems.length}`,
      );
      if (summary.moved_library > 0) {
        printLines(`${counted(summary.moved_library, "book", "books")} recognized under the new library folder: ${summary.moved_library === 1 ? "it keeps its id" : "they keep their ids"}, evidence and corrections`);
      }
      if (summary.merged > 0) {
        printLines(`${counted(summary.merged, "book", "books")} recorded twice by an older shelfwise (under the old and the new library folder) made one: ${summary.merged === 1 ? "it keeps its first id" : "they keep their first ids"}, evidence and corrections`);
      }
      if (summary.duplicates > 0) {
        printLines(`${counted(summary.duplicates, "book", "books")} recorded twice by an older shelfwise left as two, since the new record holds corrections, a lock or moves of yours: \`shelfwise status\` lists the old records; see both with \`shelfwise book ID\``);
      }
      if (summary.parts_joined > 0) {
        printLines(`${counted(summary.parts_joined, "book", "books")} recorded under a library folder taken out of library_paths ${summary.parts_joined === 1 ? "is" : "are"} now read as part of a book found here (that folder was one book's folder): a record with exactly the book's files keeps its id, evidence and corrections there; the parts' records are retired (one holding corrections or a lock of yours is kept as missing, its reason naming the book)`);
      }
      if (summary.moved_rounded > 0) {
        printLines(`${counted(summary.moved_rounded, "book", "books")} recognized with ${summary.moved_rounded === 1 ? "its" : "their"} files' times rounded by a copy (FAT or exFAT): ${summary.moved_rounded === 1 ? "it keeps its id" : "they keep their ids"}, evidence and corrections`);
      }
    }
    for (const link of summary.moved_links) noteLine(movedLinkText(link));
    for (const folder of summary.parts_at_top) warnLine(partsAtTopText(folder));
    // Where it would have read as an unmounted drive: nothing found anywhere. Beside books found elsewhere (an inbox
    // apply empties into output_path), an empty folder is the expected state, and a note at every scan is noise.
    if (summary.found === 0) for (const folder of summary.moved_out) noteLine(movedOutText(folder, outputFolder(session.config, session.layout.root)));
    // Last on stderr, also with --json (whose stdout holds only the report): a partial scan must not look complete.
    if (summary.problems.length) {
      const lines = summary.problems.map((problem) => `  ${terminalSafe(problem.path)}: ${terminalSafe(problem.message)}\n`).join("");
      process.stderr.write(
        `finished with problems (exit code ${summary.exit_code}): ${counted(summary.problems.length, "folder or file", "folders or files")} not read; the books recorded under them were left as they were\n${lines}`,
      );
    }
    // Recorded and said: a Ctrl-C while the session closes must not claim the scan was lost.
    resultReported(summary.exit_code);
  } finally {
    await session.close();
  }
}
