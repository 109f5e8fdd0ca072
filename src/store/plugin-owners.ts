/**
 * Which plugin folder owns each plugin id (migration 16). The rules that
 * decide it live in plugins/manifest/id-claims.ts; this is their storage.
 */
import type { Db } from "./database.js";
import { nowIso } from "./database.js";

export interface PluginOwnerRow {
  /** The id in lower case: ids that differ only in case are one id. */
  id_key: string;
  plugin_id: string;
  /** Folder name directly under plugin_dir. */
  folder: string;
  /** A folder that claims the id after its owner left, waiting for the user to enable the id. */
  held_folder: string | null;
}

export function readPluginOwners(db: Db): Map<string, PluginOwnerRow> {
  const rows = db.prepare("SELECT id_key, plugin_id, folder, held_folder FROM plugin_owners").all() as PluginOwnerRow[];
  return new Map(rows.map((row) => [row.id_key, row]));
}

export function writePluginOwners(db: Db, rows: readonly PluginOwnerRow[]): void {
  const upsert = db.prepare(
    `INSERT INTO plugin_owners (id_key, plugin_id, folder, held_folder, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id_key) DO UPDATE SET plugin_id = excluded.plugin_id, folder = excluded.folder,
       held_folder = excluded.held_folder, updated_at = excluded.updated_at`,
  );
  const at = nowIso();
  for (const row of rows) upsert.run(row.id_key, row.plugin_id, row.folder, row.held_folder, at);
}

/**
 * Hands a held id to the folder that waits for it: enabling the id is the
 * user's word that this folder may have its config, secrets, health and data.
 * Called by setPluginState, so every way of enabling (CLI, web, pipeline page) does it.
 */
export function adoptHeldPluginId(db: Db, pluginId: string): void {
  // ids are ASCII (domain/plugin-id.ts), so SQLite's lower() folds them as JavaScript does.
  db.prepare(
    `UPDATE plugin_owners SET folder = held_folder, held_folder = NULL, plugin_id = ?, updated_at = ?
     WHERE id_key = lower(?) AND held_folder IS NOT NULL`,
  ).run(pluginId, nowIso(), pluginId);
}
