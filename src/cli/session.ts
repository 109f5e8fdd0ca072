/**
 * Opening the session of a command: the data folder must exist unless the
 * command sets a library up, and config.json's warnings are printed once.
 */
import { hasUnendedBatch } from "../store/cut-short-batches.js";
import { cutShortJobWords, takeCutShortJob } from "../app/cut-short-job.js";
import fs from "node:fs";
import path from "node:path";
import { rejudgedNote } from "../app/judgement-identity.js";
import { copiedDataFolderWarning } from "../organize/data-home.js";
import { emptyDatabaseWarning } from "../app/empty-database-words.js";
import { judgementsCurrentAtOpen, openSessionUnsettled, rejudgeAtOpen, settleInterruptedMoves, type Session } from "../app/session.js";
import { hasOpenMoves } from "../store/moves.js";
import { EXIT } from "../app/exit-codes.js";
import { brokenLinkWords } from "../config/broken-link-words.js";
import { atomicTempOf } from "../config/config-file.js";
import { dataDirChoice } from "./command-options.js";
import { UserError } from "./errors.js";
import { firstConfigWarning } from "./command-state.js";
import { noteLine, warnLine } from "./output.js";
import { booksJudgedAtOpen } from "./interrupt.js";

export { reportError } from "./error-report.js";

/**
 * Fails, naming the folder looked in and how to choose one, when there is no
 * data folder there and the command may not create one. A folder that holds
 * neither config.json nor shelfwise.db is not one: `--data-dir ~/Audiobooks`
 * (the library given by mistake) must not get a database and logs written
 * into it.
 */
export function requireDataFolder(dataDir: string, options: { create?: boolean } = {}): void {
  if (fs.existsSync(dataDir) && !isDirectory(dataDir)) {
    throw new UserError(`the data folder ${dataDir} (${dataDirChoice()}) is ${kindOf(dataDir)}, not a folder; choose a folder with --data-dir DIR or SHELFWISE_DATA_DIR=DIR`, EXIT.badInput);
  }
  // `--data-dir notes.txt/data`: no folder can be made below a file; a typo in the choice, said as one.
  const blocking = fileOnTheWay(dataDir);
  if (blocking !== null) {
    throw new UserError(`the data folder ${dataDir} (${dataDirChoice()}) cannot be there: ${blocking} is a file, not a folder; choose a folder with --data-dir DIR or SHELFWISE_DATA_DIR=DIR`, EXIT.badInput);
  }
  // A link to an unmounted drive or to itself: "no data folder" (or, for `init`, "gone while shelfwise ran") hid the link.
  const broken = brokenLinkWords(dataDir);
  if (broken !== null) throw new UserError(`the data folder ${dataDir} (${dataDirChoice()}) ${broken} (--data-dir DIR or SHELFWISE_DATA_DIR=DIR chooses the data folder)`, EXIT.badInput);
  if (isDataFolder(dataDir)) return;
  const exists = fs.existsSync(dataDir);
  // A folder on the way this user may not search (`chmod 000`, another user's 0700 home): whether the data folder
  // is there cannot be told, so "no data folder there" would be a guess. The machine's own refusal is reported
  // (exit 1), naming the folder to open up.
  if (!exists) unlessHidden(dataDir);
  // `init`/`scan LIBRARY` make a data folder where there is none, or in an empty folder; never among other
  // files (`scan ~/Audiobooks --data-dir ~/Audiobooks` wrote shelfwise.db, config.json and logs/ into the library).
  if (options.create && !exists) return;
  const what = exists ? `${dataDir} is not a shelfwise data folder (it holds other files, and no config.json or shelfwise.db)` : `no shelfwise data folder at ${dataDir}`;
  throw new UserError(
    `${what} (${dataDirChoice()}).\n` +
      "  Choose yours with --data-dir DIR (before or after the command) or SHELFWISE_DATA_DIR=DIR,\n" +
      (exists
        ? "  or a new or empty folder for `shelfwise init [LIBRARY...]` or `shelfwise scan LIBRARY` to create one in."
        : "  or create one there with `shelfwise init [LIBRARY...]` or `shelfwise scan LIBRARY`."),
    EXIT.badInput,
  );
}

/** The nearest existing folder above `dir` when it is no folder (a file), else null. */
function fileOnTheWay(dir: string): string | null {
  for (let d = path.dirname(path.resolve(dir)); ; d = path.dirname(d)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(d);
    } catch (error) {
      // ENOENT: not made yet, look further up; ENOTDIR: a file further up; anything else (EACCES) is the session's to say.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return null;
    }
    if (stat) return stat.isDirectory() ? null : d;
    if (path.dirname(d) === d) return null;
  }
}

/** Throws the EACCES of a folder on the way to `p` that this user may not search; returns otherwise. */
function unlessHidden(p: string): void {
  try {
    fs.statSync(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EACCES") throw error;
  }
}

/** What a path that is no folder is, in words: `--data-dir /dev/null` or a named pipe is no file either. */
function kindOf(p: string): string {
  try {
    const stat = fs.statSync(p);
    if (stat.isFIFO()) return "a named pipe";
    if (stat.isSocket()) return "a socket";
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  } catch {
    // Gone meanwhile: it was a file a moment ago.
  }
  return "a file";
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** What a data folder may hold (dataDirLayout); an empty folder made for shelfwise counts too. */
const DATA_FOLDER_ENTRY = /^(config\.json|secrets\.json|shelfwise\.(db|lock)(-wal|-shm|-journal|\.json)?|plugins|plugin-data|logs|cache)$/;

function isDataFolder(dataDir: string): boolean {
  if (!isDirectory(dataDir)) return false;
  try {
    const names = fs.readdirSync(dataDir);
    // A rewrite killed before its rename leaves `config.json.<pid>.w….tmp` (writeJsonAtomic): that alone is
    // still a data folder shelfwise made, not one "with other files".
    // A file system's own entries (lost+found on a fresh drive, .DS_Store, .Trash) leave a folder as empty as it was.
    const isOurs = (name: string) => DATA_FOLDER_ENTRY.test(name) || DATA_FOLDER_ENTRY.test(atomicTempOf(name)?.file ?? "") || /^(\..*|lost\+found)$/.test(name);
    return names.includes("config.json") || names.includes("shelfwise.db") || names.every(isOurs);
  } catch {
    // Unreadable: the session's own error says so.
    return true;
  }
}

/**
 * The session of every command: refuses a missing data folder (unless `create`), settles moves a crash
 * interrupted and prints config.json's warnings once. The organizer's recovery is loaded only when the
 * journal holds open moves (one indexed query), not by every command that reads the library.
 */
export async function openCommandSession(dataDir: string, options: { create?: boolean; warnIfCopy?: boolean } = {}): Promise<Session> {
  requireDataFolder(dataDir, options);
  // create: false also in the session, so a folder removed meanwhile is not made again.
  const session = openSessionUnsettled(dataDir, { create: options.create ?? false, onSearchBehind: warnLine, onLogLost: warnLine });
  try {
    if (hasOpenMoves(session.db) || hasUnendedBatch(session.db)) settleInterruptedMoves(session, (await import("../organize/recovery.js")).recoverAtOpen);
    // Likewise the judging again (the profile resolution and name parsing): loaded only when the rules or settings changed.
    if (!judgementsCurrentAtOpen(session)) rejudgeAtOpen(session, (await import("../app/rejudge.js")).rejudgeIfChanged);
  } catch (error) {
    await session.close();
    throw error;
  }
  // A warning, not a note: the status the user last saw was of a job that never ended (app/cut-short-job.ts).
  const cutShort = takeCutShortJob(session.db, session.layout.root);
  if (cutShort) warnLine(cutShortJobWords(cutShort));
  // A warning, not a note: --quiet must not hide a history that may be lost.
  if (session.emptyDatabase) warnLine(emptyDatabaseWarning(session.layout.database, "cli"));
  if (session.rejudged !== null && session.rejudged.changed > 0) {
    noteLine(rejudgedNote(session.rejudged));
    booksJudgedAtOpen();
  }
  // The commands that lead to moves (`status`, `plan`, `apply`, `undo`) say it, so that moves made from a copy are
  // never a surprise; they are not refused (organize/data-home.ts says why).
  if (options.warnIfCopy && session.copyOf !== null) {
    warnLine(copiedDataFolderWarning(session.copyOf, "cli"));
  }
  if (firstConfigWarning()) {
    // config.json's keys and values are quoted in them: shown safely, as every outside text.
    for (const warning of session.loaded.warnings) warnLine(warning);
  }
  return session;
}

