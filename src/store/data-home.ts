/** The data folder a database belongs to (migration 21; organize/data-home.ts decides what a difference means). */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Db } from "./database.js";
import { nowIso } from "./database.js";
import { openSqlite } from "./sqlite.js";

export interface DataHome {
  instance: string;
  folder: string;
}

export function dataHome(db: Db): DataHome | null {
  return (db.prepare("SELECT instance, folder FROM data_home WHERE id = 1").get() as DataHome | undefined) ?? null;
}

/** Records `folder` as the database's home, keeping its id (a new one when it had none). */
export function recordDataHome(db: Db, folder: string): void {
  db.prepare(
    `INSERT INTO data_home (id, instance, folder, recorded_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET folder = excluded.folder, recorded_at = excluded.recorded_at`,
  ).run(randomUUID(), folder, nowIso());
}

/**
 * The id of the database in `file`, read only: "none" when there is no file there; "unknown" when one is there
 * but gives no id (unreadable, not a shelfwise database, or one from before migration 21).
 */
export function instanceIn(file: string): string {
  if (!fs.existsSync(file)) return "none";
  let other: Db;
  try {
    other = openSqlite(file, { readonly: true });
  } catch {
    return "unknown";
  }
  try {
    const row = other.prepare("SELECT instance FROM data_home WHERE id = 1").get() as { instance: string } | undefined;
    return row?.instance ?? "unknown";
  } catch {
    return "unknown";
  } finally {
    other.close();
  }
}
