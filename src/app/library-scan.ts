/**
 * One scan of the library folders into the database, as `scan` does it: only
 * roots that exist and hold something are settled (an unmounted drive never
 * makes its books "missing"), and unreadable folders keep their books.
 */
import type { Session } from "./session.js";
import { userPath } from "../config/user-path.js";
import { scanLibrary } from "../library/scan.js";
import { ADVICE } from "../domain/command-advice.js";
import { abandonedRootHints, partsAtTop, emptiedByApply, leftBehind, linksToMovedBooks, outOfLibrary, ownFolders, settledRoots } from "./scan-library.js";
import type { ScanSummaryView } from "./views/scan-summary.js";
import { applyScan, folderBookPaths, hasBooksUnder, type ScanSummary } from "../store/books.js";

export interface LibraryScanResult extends ScanSummary {
  problems: { path: string; message: string }[];
  moved_links: ScanSummaryView["moved_links"];
  moved_out: ScanSummaryView["moved_out"];
  parts_at_top: ScanSummaryView["parts_at_top"];
}

export class NothingToScanError extends Error {}

export async function scanLibraryFolders(session: Session, roots: string[], onBooks?: (found: number) => void): Promise<LibraryScanResult> {
  const absolute = roots.map((p) => userPath(p, session.layout.root));
  if (absolute.length === 0) throw new NothingToScanError(`no library folder: ${ADVICE.addLibrary.cli()}`);
  const result = await scanLibrary(absolute, { onProgress: (p) => onBooks?.(p.books), skip: ownFolders(session), libraryFolders: absolute, folderBooks: folderBookPaths(session.db) });
  const emptied = emptiedByApply(session, absolute);
  const settled = settledRoots(absolute, result.problems, (root) => hasBooksUnder(session.db, root), (root) => emptied.some((e) => e.path === root));
  if (settled.length === 0) throw new NothingToScanError(`no library folder could be read (${absolute.join(", ")}); nothing was changed`);
  const summary = applyScan(session.db, result.books, settled, result.problems.map((p) => p.path), leftBehind(absolute), outOfLibrary(session, absolute));
  abandonedRootHints(session, absolute, result.problems);
  session.log.info({ event: "scan", roots: absolute, ...summary, problems: result.problems }, "library scanned");
  const { problems, movedLinks } = linksToMovedBooks(session, result.problems);
  return { ...summary, problems, moved_links: movedLinks, moved_out: emptied, parts_at_top: partsAtTop(settled) };
}
