/**
 * `library list|add|remove`: library_paths edited from the command line, with
 * the rules the web app's Settings page applies (app/library-paths.ts).
 */
import { resultReported } from "../interrupt.js";
import { shellWord } from "../../domain/shell-word.js";
import { loadConfig } from "../../config/config-file.js";
import { userPath } from "../../config/user-path.js";
import { addLibraryFolder, booksUnder, libraryListView, LibraryFolderError, listedEntry, newLibraryFolderProblem, notListedProblem, removeLibraryFolder } from "../../app/library-paths.js";
import type { LibraryChangeView, LibraryListView } from "../../app/views/library-folders.js";
import { outputFolder } from "../../config/library-folders.js";
import { counted, noun } from "../../domain/plural.js";
import { isQuiet, noteLine, printJson, printLines, printTable, shown } from "../output.js";
import { openCommandSession, requireDataFolder } from "../session.js";
import { withWriteLock } from "../write-lock.js";

type Opts = { json?: boolean; wait?: string };

const STATE_WORDS: Record<LibraryListView[number]["state"], string> = {
  ok: "ok",
  missing: "not there (a drive not mounted? renamed?)",
  not_a_folder: "not a folder",
  unreadable: "cannot be read (permission denied)",
  empty: "empty (an unmounted drive?)",
};

export async function libraryList(dataDir: string, opts: Opts): Promise<void> {
  const session = await openCommandSession(dataDir);
  try {
    const view = libraryListView(session);
    if (opts.json) return printJson(view);
    await printList(view, session.layout.config, outputFolder(session.config, session.layout.root));
  } finally {
    await session.close();
  }
}

async function printList(view: LibraryListView, configFile: string, output: string | null): Promise<void> {
  if (view.length === 0) printLines(`no library folder yet (library_paths in ${shown(configFile)} is empty): \`shelfwise library add PATH\` adds one`);
  else {
    await printTable(
      ["FOLDER", "STATE", "BOOKS", "MISSING"],
      view.map((f) => [f.path, f.moved_out > 0 ? `empty: apply moved its ${counted(f.moved_out, "book", "books")} out` : STATE_WORDS[f.state], f.books, f.missing_books]),
      { cut: ["FOLDER"] },
    );
  }
  if (output !== null && !view.some((f) => f.path === output)) printLines(`output_path ${shown(output)} (where apply puts books) is scanned as a library folder too`);
}

export async function libraryAdd(dataDir: string, given: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  const folder = userPath(given);
  // Refused at once (exit 2), before waiting for the lock; checked again under it against config.json as it is then.
  const config = loadConfig(dataDir).config;
  if (listedEntry(config, dataDir, folder) === null) {
    const problem = newLibraryFolderProblem(folder, config, dataDir);
    if (problem !== null) throw new LibraryFolderError(`${problem} (nothing was changed)`);
  }
  return withWriteLock(dataDir, "library add", opts.wait, async () => {
    const changed = addLibraryFolder(dataDir, folder);
    resultReported(0, `stopped while the change was reported; config.json is ${changed ? "saved" : "as it was"} (\`shelfwise library list\` shows the library folders)`);
    await report(dataDir, "add", folder, changed, opts);
  });
}

export async function libraryRemove(dataDir: string, given: string, opts: Opts): Promise<void> {
  requireDataFolder(dataDir);
  const folder = userPath(given);
  const config = loadConfig(dataDir).config;
  // A typo is bad input at once, not "the lock is busy" after the wait.
  const problem = notListedProblem(given, folder, config, dataDir);
  if (problem !== null) throw new LibraryFolderError(problem);
  return withWriteLock(dataDir, "library remove", opts.wait, async () => {
    const removed = removeLibraryFolder(dataDir, given, folder);
    resultReported(0, "stopped while the change was reported; config.json is saved (`shelfwise library list` shows the library folders)");
    await report(dataDir, "remove", removed, true, opts);
  });
}

async function report(dataDir: string, action: "add" | "remove", folder: string, changed: boolean, opts: Opts): Promise<void> {
  const session = await openCommandSession(dataDir);
  try {
    const config = loadConfig(dataDir).config;
    const folders = libraryListView(session, config);
    const { books, missing_books: missing } = booksUnder(session, folder);
    const view: LibraryChangeView = { action, path: folder, changed, books_under: books, config_file: session.layout.config, folders };
    if (opts.json) return printJson(view);
    const file = shown(session.layout.config);
    if (action === "add") {
      if (!changed) return printLines(`${shown(folder)} is a library folder already; nothing changed`);
      // The next step is advice, as init's: --quiet leaves it out.
      return printLines(`added library folder ${shown(folder)} to library_paths in ${file}`, ...(isQuiet() ? [] : ["next: `shelfwise scan` finds its books"]));
    }
    const lines = [`removed library folder ${shown(folder)} from library_paths in ${file}; no file was touched`];
    if (books > 0) {
      lines.push(
        `${counted(books, "book")} recorded under it ${noun(books, "stays", "stay")} in the database as ${noun(books, "it is", "they are")}${missing > 0 ? ` (${missing} missing)` : ""}: ` +
          `scans no longer read the folder, and ${noun(books, "it still shows", "they still show")} in \`books\` and \`plan\` (\`shelfwise book ID --lock\` keeps one out of plans); ` +
          `one whose files turn up under another library folder keeps its id and corrections there (those a scan of the folder above reads as one book's parts, the folder having been that book's folder, are retired into that book), and one whose files are gone from disk is marked missing by the next scan`,
      );
    }
    const output = outputFolder(config, dataDir);
    if (output !== null && (output === folder || output.startsWith(folder + "/"))) {
      noteLine(`output_path ${shown(output)} is inside it, and is still scanned as a library folder (where apply puts books)`);
    }
    // Only where it could: a folder that is gone would be refused.
    if (newLibraryFolderProblem(folder, config, dataDir) === null) lines.push(`\`shelfwise library add ${shown(shellWord(folder))}\` brings it back`);
    printLines(...lines);
  } finally {
    await session.close();
  }
}
