/** The web server's job in progress (migration 22): app/cut-short-job.ts tells a job its server never finished. */
import type { Db } from "./database.js";

export interface JobMarker {
  kind: string;
  label: string;
  started_at: string;
  pid: number;
}

export function readJobMarker(db: Db): JobMarker | null {
  return (db.prepare("SELECT kind, label, started_at, pid FROM job_marker WHERE id = 1").get() as JobMarker | undefined) ?? null;
}

/** Written holding the data-folder lock, as the job starts. */
export function writeJobMarker(db: Db, marker: JobMarker): void {
  db.prepare(
    `INSERT INTO job_marker (id, kind, label, started_at, pid) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, label = excluded.label, started_at = excluded.started_at, pid = excluded.pid`,
  ).run(marker.kind, marker.label, marker.started_at, marker.pid);
}

export function clearJobMarker(db: Db): void {
  db.prepare("DELETE FROM job_marker WHERE id = 1").run();
}

/**
 * Removes the marker as its job ends; null when it is gone, else the last error. A marker left behind makes the next
 * command say the job was cut short, which it was not, so one refusal is not the last word: a full disk refuses the
 * WAL's growth, and a checkpoint lets the next commit reuse the WAL from its start (no new disk block); a passing
 * I/O error or a reader's lock is over by the second try.
 */
export function endJobMarker(db: Db): unknown {
  try {
    clearJobMarker(db);
    return null;
  } catch {
    try {
      db.pragma("wal_checkpoint(RESTART)");
    } catch {
      // A reader holds the WAL: the retry may still fit in it.
    }
    try {
      clearJobMarker(db);
      return null;
    } catch (error) {
      return error;
    }
  }
}

/** The job a killed server cut short, as the dashboard shows it (migration 25); null when none waits. */
export type CutShortNotice = Omit<JobMarker, "pid">;

export function readCutShortNotice(db: Db): CutShortNotice | null {
  return (db.prepare("SELECT kind, label, started_at FROM job_cut_short WHERE id = 1").get() as CutShortNotice | undefined) ?? null;
}

/** The marker of a dead server's job becomes the dashboard's notice, in one transaction: never both, never neither. */
export function markerToNotice(db: Db): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO job_cut_short (id, kind, label, started_at) SELECT 1, kind, label, started_at FROM job_marker WHERE id = 1
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, label = excluded.label, started_at = excluded.started_at`,
    ).run();
    clearJobMarker(db);
  })();
}

/** Removes the notice (all of it, or only one of `kind` and, unless it names `kind` alone, of `label`); true when one was removed. */
export function clearCutShortNotice(db: Db, job?: { kind: string; label: string }): boolean {
  if (!job) return db.prepare("DELETE FROM job_cut_short WHERE id = 1").run().changes > 0;
  return db.prepare("DELETE FROM job_cut_short WHERE id = 1 AND kind = ? AND (? = kind OR label = ?)").run(job.kind, job.label, job.label).changes > 0;
}
