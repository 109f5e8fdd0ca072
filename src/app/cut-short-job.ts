/**
 * A `serve` job (scan, process) whose server was killed (kill -9, a power loss) before it ended leaves its marker
 * (store/job-marker.ts). The next command that can take the data-folder lock knows that server is gone (the lock is
 * the kernel's and dies with its process), says so once and removes the marker. While another process holds the
 * lock (a `serve` that may still be running that job) nothing is said.
 */
import type { Db } from "../store/database.js";
import { tryAcquireDataLock } from "../store/data-lock.js";
import { clearCutShortNotice, clearJobMarker, markerToNotice, readCutShortNotice, readJobMarker, type CutShortNotice, type JobMarker } from "../store/job-marker.js";
import { sentence } from "../domain/command-advice.js";
import { shownTime } from "../domain/time-text.js";

// The command is in the sentence's own words (not a value), so a page says its control instead.
const CUT_SHORT_SCAN = sentence`the last scan job of the web server (${0}, started ${1}) was cut short: the server was killed or the computer stopped before it ended. Nothing it saved is lost (each book is saved as it is done); run \`shelfwise scan\` again to finish it`;
const CUT_SHORT_PROCESS = sentence`the last process job of the web server (${0}, started ${1}) was cut short: the server was killed or the computer stopped before it ended. Nothing it saved is lost (each book is saved as it is done); run \`shelfwise process\` again to finish it`;

/**
 * The job a dead server left unfinished, its marker removed; null when there is none or its server may still run it.
 * `keep` (a `serve` opening): the marker becomes the dashboard's notice (readCutShortNotice), kept until the job has
 * run again to its end, by any process, or is dismissed.
 */
export function takeCutShortJob(db: Db, dataDir: string, options: { keep?: boolean } = {}): JobMarker | null {
  let marker: JobMarker | null;
  try {
    marker = readJobMarker(db);
  } catch {
    // A database not yet migrated this far (opened read-only by an older layout): nothing to tell.
    return null;
  }
  if (!marker || marker.pid === process.pid) return null;
  let lock: ReturnType<typeof tryAcquireDataLock>;
  try {
    lock = tryAcquireDataLock(dataDir, "noting a job cut short");
  } catch {
    // A read-only data folder: the next writer tells it.
    return null;
  }
  if (!lock) return null;
  try {
    // Read again under the lock: a server that took it and finished meanwhile has removed it.
    const still = readJobMarker(db);
    if (!still || still.pid === process.pid) return null;
    try {
      if (options.keep) markerToNotice(db);
      else clearJobMarker(db);
    } catch {
      // A connection that cannot write (a read-only copy, a full disk): said by the next command that can remove it,
      // never said twice and never a reason for this command to fail.
      return null;
    }
    return still;
  } finally {
    lock.release();
  }
}

/** The job cut short the dashboard shows, as the data folder has it now; null when none waits (or it cannot be read). */
export function cutShortNotice(db: Db): CutShortNotice | null {
  try {
    return readCutShortNotice(db);
  } catch {
    return null;
  }
}

/**
 * A scan or process (`label` as the server names it: `process (LAYER)` for one layer) ran to its end, in the server or
 * the CLI, holding the data-folder lock: what was cut short of that kind is done. Never a reason for the job to fail.
 */
export function jobRanToItsEnd(db: Db, kind: "scan" | "process", label: string): boolean {
  try {
    return clearCutShortNotice(db, { kind, label });
  } catch {
    // A read-only copy, a full disk: the notice stays until Dismiss or the next run that can write.
    return false;
  }
}

/** The CLI's words; the server puts them in a page's words (server/page-words.ts) as for every problem. */
export function cutShortJobWords(marker: CutShortNotice): string {
  return (marker.kind === "process" ? CUT_SHORT_PROCESS : CUT_SHORT_SCAN)(marker.label, shownTime(marker.started_at));
}
