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
