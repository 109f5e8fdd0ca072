/**
 * Each plugin's last start (migration 24): what `plugins list` and `plugins health` report without starting
 * plugin code. Written wherever plugins start (app/attach-plugins.ts), read by the CLI's plugin views.
 */
import type { Db } from "./database.js";
import { nowIso } from "./database.js";

export interface PluginStartRow {
  plugin_id: string;
  at: string;
  ok: boolean;
  /** Why it did not start (load, setup, spawn); null when it started. */
  reason: string | null;
  /** The fingerprint of what it started from: a record with another one says nothing of the plugin as it is. */
  files: string;
}

export function recordPluginStart(db: Db, start: Omit<PluginStartRow, "at">): void {
  db.prepare(
    `INSERT INTO plugin_starts (plugin_id, at, ok, reason, files) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (plugin_id) DO UPDATE SET at = excluded.at, ok = excluded.ok, reason = excluded.reason, files = excluded.files`,
  ).run(start.plugin_id, nowIso(), start.ok ? 1 : 0, start.reason, start.files);
}

export function readPluginStarts(db: Db): Map<string, PluginStartRow> {
  const rows = db.prepare("SELECT plugin_id, at, ok, reason, files FROM plugin_starts").all() as (Omit<PluginStartRow, "ok"> & { ok: number })[];
  return new Map(rows.map((row) => [row.plugin_id, { ...row, ok: row.ok === 1 }]));
}
