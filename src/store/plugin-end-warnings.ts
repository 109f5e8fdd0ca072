/**
 * What each plugin left behind at the end of its last run (migration 28): written at its teardown after calls
 * (plugins/manager/plugin-manager.ts), read by `plugins health` and the web app's health data.
 */
import type { Db } from "./database.js";

export interface PluginEndWarnings {
  at: string;
  warnings: string[];
}

export function recordPluginEndWarnings(db: Db, pluginId: string, at: string, warnings: readonly string[]): void {
  db.prepare(
    `INSERT INTO plugin_end_warnings (plugin_id, at, warnings) VALUES (?, ?, ?)
     ON CONFLICT (plugin_id) DO UPDATE SET at = excluded.at, warnings = excluded.warnings`,
  ).run(pluginId, at, JSON.stringify(warnings));
}

/** The plugin's last run's end warnings; an empty list when it ended cleanly or none was recorded. */
export function readPluginEndWarnings(db: Db, pluginId: string): PluginEndWarnings | null {
  const row = db.prepare("SELECT at, warnings FROM plugin_end_warnings WHERE plugin_id = ?").get(pluginId) as { at: string; warnings: string } | undefined;
  if (!row) return null;
  let warnings: unknown;
  try {
    warnings = JSON.parse(row.warnings);
  } catch {
    warnings = [];
  }
  return { at: row.at, warnings: Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === "string") : [] };
}
