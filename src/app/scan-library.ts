/**
 * Scan policy shared by every entry point: which library folders are
 * remembered, and which roots count as read (only those can make books
 * `missing`).
 */
import { shellWord } from "../domain/shell-word.js";
import fs from "node:fs";
import path from "node:path";
import { checkOutputFolder, outputFolder } from "../config/library-folders.js";
import { changeConfig } from "./settings-writes.js";
import { userPath } from "../config/user-path.js";
import { scanLibrary, type ScanProblem } from "../library/scan.js";
import { applyScan, folderBookPaths, hasAnyBookUnder, hasBooksUnder } from "../store/books.js";
import { booksMovedOutOf, lastMoveAwayFrom } from "../store/moves.js";
import { EXIT } from "./exit-codes.js";
import type { Session } from "./session.js";
import type { ScanSummaryView } from "./views/scan-summary.js";
import { sentence } from "../domain/command-advice.js";
import { topParts } from "../organize/top-parts.js";

const ABANDONED = sentence`library folder not found, and no book is recorded under it any more (its books, if it had any, were recognized under another library folder): take it out of library_paths: \`shelfwise library remove ${0}\``;

/**
 * Adds the real folders among `paths` to library_paths (a typo must not end up there); returns the ones it added,
 * which were not listed before (forgetLibraryFolders takes exactly those back).
 */
export function rememberLibraryFolders(dataDir: string, paths: string[]): string[] {
  const folders = paths.map((p) => userPath(p)).filter(isDirectory);
  const added: string[] = [];
  if (folders.length) {
    changeConfig(dataDir, (raw) => {
      const list = Array.isArray(raw.library_paths) ? (raw.library_paths as string[]) : [];
      for (const p of folders) if (!list.includes(p)) (list.push(p), added.push(p));
      raw.library_paths = list;
    });
  }
  return added;
}

/** Takes back folders rememberLibraryFolders added, for a scan that then failed: config.json is left as it was. */
export function forgetLibraryFolders(dataDir: string, added: string[]): void {
  if (added.length === 0) return;
  try {
    changeConfig(dataDir, (raw) => {
      if (Array.isArray(raw.library_paths)) raw.library_paths = (raw.library_paths as string[]).filter((p) => !added.includes(p));
    });
  } catch {
    // Best effort: the scan's own error is the one to report; a folder left listed is a real folder, scanned next time.
  }
}

/**
 * The configured library folders, absolute (relative ones are relative to the
 * data folder), and output_path, where apply puts books: the books moved
 * there are scanned like any others. An output folder not made yet, or
 * empty, is no problem to report (nothing was moved there, or its drive is
 * not mounted: either way its books are left as they were).
 */
export function configuredRoots(session: Session): string[] {
  const roots = session.config.library_paths.map((p) => userPath(p, session.layout.root));
  // A home folder given as output_path would be scanned whole: refused, saying why, rather than read.
  checkOutputFolder(session.config, session.layout.root);
  const output = outputFolder(session.config, session.layout.root);
  if (output !== null && !roots.includes(output) && isDirectory(output) && !isEmptyFolder(output)) roots.push(output);
  return roots;
}

export type ScanOutcome =
  | { read: true; summary: ScanSummaryView }
  /** No root could be read: nothing was changed. */
  | { read: false; problems: ScanProblem[] };

/** Scans `roots` and records what was found; books under roots that were not read are left as they were. */
export async function scanAndRecord(session: Session, roots: string[], onProgress?: (books: number) => void): Promise<ScanOutcome> {
  const result = await scanLibrary(roots, {
    onProgress: (p) => onProgress?.(p.books),
    skip: ownFolders(session),
    libraryFolders: [...configuredRoots(session), ...roots],
    folderBooks: folderBookPaths(session.db),
  });
  const emptied = emptiedByApply(session, roots);
  const settled = settledRoots(roots, result.problems, (root) => hasBooksUnder(session.db, root), (root) => emptied.some((e) => e.path === root));
  if (settled.length === 0) return { read: false, problems: result.problems };
  const unreadable = result.problems.map((p) => p.path);
  const counts = applyScan(session.db, result.books, settled, unreadable, leftBehind(configuredRoots(session)), outOfLibrary(session, roots));
  abandonedRootHints(session, configuredRoots(session), result.problems);
  session.log.info({ event: "scan", roots, ...counts, problems: result.problems }, "library scanned");
  // Something not read (a folder this user may not list, a link loop, a name that is not UTF-8): a script must tell a partial scan.
  const { problems, movedLinks } = linksToMovedBooks(session, result.problems);
  return { read: true, summary: { ...counts, problems, moved_links: movedLinks, moved_out: emptied, parts_at_top: partsAtTop(settled), exit_code: problems.length ? EXIT.partial : EXIT.ok } };
}

/**
 * A user's link to a book folder that a move took away is left dangling by it, and every later scan exited 3 on it
 * ("broken link") for good, burying real problems. Such a link hides no unread book (the book was found where it
 * went), so it is no problem: it is reported apart, with where it points and where the book is now. Any other
 * broken link stays a problem (a drive not mounted behind it may hold books). The books under the link's path are
 * left as they were either way (the caller passes every problem path as unread).
 */
export function linksToMovedBooks(session: Session, found: ScanProblem[]): { problems: ScanProblem[]; movedLinks: ScanSummaryView["moved_links"] } {
  const problems: ScanProblem[] = [];
  const movedLinks: ScanSummaryView["moved_links"] = [];
  for (const problem of found) {
    const target = problem.message.startsWith("broken link") ? linkTarget(problem.path) : null;
    const move = target === null ? undefined : lastMoveAwayFrom(session.db, target);
    if (target === null || move === undefined) problems.push(problem);
    else movedLinks.push({ path: problem.path, target, ...move });
  }
  return { problems, movedLinks };
}

/**
 * What a scan says of such a link, in the CLI's note and the web app's activity list alike. Said again at every scan,
 * on purpose: the link is the user's, still broken, and nothing else reminds them of it; a note remembered as shown
 * would need state of its own and hide a link broken anew by a later move. So the note says that it comes back, and
 * the one thing that ends it (the link set right or gone); the exit code stays 0 either way.
 */
export function movedLinkText(link: ScanSummaryView["moved_links"][number]): string {
  const now = link.book_path === null ? "it is no longer recorded" : `it is now at ${link.book_path}`;
  const repoint = link.book_path === null ? "" : `point it to the new place (\`ln -sfn ${shellWord(link.book_path)} ${shellWord(link.path)}\`) or `;
  return (
    `${link.path} is a link to ${link.target}, where book #${link.book_id} was until move ${link.move_id} took it away (${now}): not followed, and no problem for the scan; ` +
    `this note comes back at every scan until you ${repoint}remove the link (\`rm ${shellWord(link.path)}\`)`
  );
}

function linkTarget(link: string): string | null {
  try {
    return path.resolve(path.dirname(link), fs.readlinkSync(link));
  } catch {
    return null;
  }
}

/**
 * A configured library folder that is gone and under which no book is recorded any more (a renamed library
 * whose books were all recognized under the new folder): every later scan exited 3 with "library folder not
 * found" and no way out. The problem stays (config.json still names a folder that is not there), but says
 * nothing is lost and how to end it: the command that takes it out of library_paths.
 */
export function abandonedRootHints(session: Session, configured: string[], problems: ScanProblem[]): void {
  for (const problem of problems) {
    if (!configured.includes(problem.path) || !isAbsent(problem.path) || hasAnyBookUnder(session.db, problem.path)) continue;
    problem.message = ABANDONED(shellWord(problem.path));
  }
}

/**
 * A library folder renamed or moved by the user (`/media/Audiobooks` to
 * `/media/Books`): its books found under the new one keep their ids when they
 * are no longer at their recorded place and their old library folder was
 * given up: taken out of library_paths, or no longer there at all (renamed,
 * the new one scanned before the old one is removed). A book still at its
 * place (two copies of a library) stays itself, and the copy is new books;
 * an unmounted drive whose library folder is still configured and whose
 * mount point stays is not given up. Only ENOENT counts: a folder this user
 * may not read still holds its books.
 */
export function leftBehind(configured: string[]): (bookPath: string, libraryRoot: string) => boolean {
  const given = new Map<string, boolean>();
  const givenUp = (root: string) => {
    let answer = given.get(root);
    if (answer === undefined) given.set(root, (answer = !configured.includes(root) || isAbsent(root)));
    return answer;
  };
  return (bookPath, libraryRoot) => givenUp(libraryRoot) && isAbsent(bookPath);
}

/**
 * A book recorded under a library folder no longer in library_paths (`shelfwise library remove`, the Settings
 * page, config.json edited), whose place is gone from disk: no scan reads that folder any more, so only this
 * marks it missing. A folder still listed is never given up here, gone or not (a drive whose mount point went
 * with it is not mounted, not given up: its books are left as they were), nor output_path, made or not.
 */
export function outOfLibrary(session: Session, roots: readonly string[]): (bookPath: string, libraryRoot: string) => boolean {
  const kept = new Set([...roots, ...session.config.library_paths.map((p) => userPath(p, session.layout.root))]);
  const output = outputFolder(session.config, session.layout.root);
  if (output !== null) kept.add(output);
  return (bookPath, libraryRoot) => !kept.has(libraryRoot) && isAbsent(bookPath);
}

function isAbsent(p: string): boolean {
  try {
    fs.lstatSync(p);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR";
  }
}

/**
 * The roots a scan read: they exist, can be listed and hold something. Books
 * under a vanished or unreadable root or an empty mount point (an unplugged
 * drive) are left as they were. An empty root is a problem (added to
 * `problems`) when books are recorded under it, or when no root holds
 * anything; one with nothing recorded under it beside roots that were read
 * (a library whose books all moved to `output_path`) protects nothing. An
 * empty root with nothing recorded under it whose books `apply` moved out
 * (`movedOut`) is read, alone too: it holds what shelfwise left there, and
 * calling it an unmounted drive sent its owner looking for books that were
 * never lost.
 */
export function settledRoots(roots: string[], problems: ScanProblem[], recordedUnder: (root: string) => boolean, movedOut: (root: string) => boolean = () => false): string[] {
  const settled = roots.filter((root) => isDirectory(root) && isListable(root) && !isEmptyFolder(root));
  const emptied: string[] = [];
  for (const root of roots) {
    if (!isDirectory(root) || !isEmptyFolder(root)) continue;
    // "Books recorded under it are left as they were" only where there are some: a new, still empty folder has none.
    if (recordedUnder(root)) problems.push({ path: root, message: "library folder is empty (an unmounted drive?); books recorded under it are left as they were" });
    else if (movedOut(root)) emptied.push(root);
    else if (settled.length === 0) problems.push({ path: root, message: "library folder is empty: no audio files in it (an unmounted drive?)" });
  }
  return [...settled, ...emptied];
}

/**
 * The empty library folders among `roots` with nothing recorded under them whose books `apply` moved to another
 * folder (output_path): a scan says where they are, not that the folder may be an unmounted drive.
 */
export function emptiedByApply(session: Session, roots: readonly string[]): ScanSummaryView["moved_out"] {
  const emptied: ScanSummaryView["moved_out"] = [];
  for (const root of roots) {
    if (!isDirectory(root) || !isEmptyFolder(root) || hasBooksUnder(session.db, root)) continue;
    const moved = booksMovedOutOf(session.db, root);
    if (moved.books > 0) emptied.push({ path: root, books: moved.books, moved_to: moved.to });
  }
  return emptied;
}

/** What a scan says of a library folder `apply` emptied, in the CLI's note and the web app's activity list alike. */
export function movedOutText(folder: ScanSummaryView["moved_out"][number], output: string | null): string {
  const where = folder.moved_to.map((to) => (to === output ? `output_path ${to}` : to)).join(" and ");
  const books = folder.books === 1 ? "the book `shelfwise apply` moved out of it is" : `the ${folder.books} books \`shelfwise apply\` moved out of it are`;
  return `${folder.path} is empty: ${books} recorded under ${where}; nothing is missing (\`shelfwise undo\` moves books back)`;
}

/**
 * shelfwise's own folders, never scanned when they sit inside a library: a
 * plugin's sample audio is no book, and a plan must never move them.
 */
export function ownFolders(session: Session): string[] {
  return [session.layout.root, session.pluginDir];
}

function isListable(p: string): boolean {
  try {
    fs.readdirSync(p);
    return true;
  } catch {
    return false;
  }
}

function isEmptyFolder(p: string): boolean {
  try {
    return fs.readdirSync(p).length === 0;
  } catch {
    return false;
  }
}

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Library folders read whose loose audio files at the top read as one book's parts: a library folder given that is
 * one book's folder (`scan ~/Audiobooks/Dune`) recorded each part as a book, silently. Kept as they are (a library
 * folder cannot be a book: apply would have to move the library folder itself) and said, with the fix.
 */
export function partsAtTop(roots: readonly string[]): ScanSummaryView["parts_at_top"] {
  return roots.flatMap((root) => {
    const files = topParts(root);
    return files === null ? [] : [{ path: root, files }];
  });
}

const PARTS_AT_TOP = sentence`the ${0} audio files at the top of the library folder ${1} read as one book's parts (${2}): each is recorded as a book of its own, and apply leaves them where they are; if ${1} is that book's folder, give the folder above it instead (\`shelfwise library remove ${1}\`, then \`shelfwise scan ${3}\`); otherwise put them in a folder of their own and run \`shelfwise scan\` again`;

export function partsAtTopText(folder: ScanSummaryView["parts_at_top"][number]): string {
  const names = folder.files.slice(0, 3).join(", ") + (folder.files.length > 3 ? ` and ${folder.files.length - 3} more` : "");
  return PARTS_AT_TOP(folder.files.length, folder.path, names, path.dirname(folder.path));
}
