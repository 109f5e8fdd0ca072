/**
 * A plugin's last start, kept so a read-only view (`plugins list`, `plugins health`) can report it without
 * starting plugin code: recorded where plugins start, judged against the plugin as it is now.
 */
import { createHash } from "node:crypto";
import type { Db } from "../../store/database.js";
import { readPluginStarts, recordPluginStart, type PluginStartRow } from "../../store/plugin-starts.js";
import { pluginFolderFingerprint } from "./plugin-fingerprint.js";
import { DISK, releaseSnapshot, snapshotOf, type FolderReader } from "../folder-snapshot.js";
import type { PluginEntry } from "./plugin-states.js";

/**
 * What a start ran: its files and what it was launched with (settings, limits, interpreter, sandbox); either
 * changed, the record says nothing of it. Its secrets, and the settings that hold one, are left out: no trace of a
 * secret is stored, so a changed key is only seen at the next start.
 */
export function startFiles(entry: PluginEntry, reader: FolderReader = DISK): string {
  const files = pluginFolderFingerprint(entry.discovered.real_folder ?? entry.folder, reader);
  if (!entry.spec) return files;
  const { secrets: _secrets, maskedValues, config, ...rest } = entry.spec;
  const masked = new Set(maskedValues ?? []);
  const settings = Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" && masked.has(value) ? "(secret)" : value]));
  const launch = createHash("sha256").update(JSON.stringify({ ...rest, config: settings })).digest("hex");
  return `${files}|${launch}`;
}

/**
 * Records how each start went. A database that cannot be written (a read-only copy) keeps the old record:
 * the start itself is what the command was for.
 */
export function recordStarts(db: Db, started: readonly { entry: PluginEntry; ok: boolean }[]): void {
  try {
    db.transaction(() => {
      for (const { entry, ok } of started) {
        if (!entry.id) continue;
        // The files as this start read them (its snapshot), not as they are by the time it is recorded.
        recordPluginStart(db, { plugin_id: entry.id, ok, reason: ok ? null : entry.reason, files: startFiles(entry, snapshotOf(entry.spec)) });
      }
    })();
  } catch {
    // Not recorded: the next view says "not started" or the older start, never a wrong state.
  } finally {
    for (const { entry } of started) releaseSnapshot(entry.spec);
  }
}

/**
 * Sets, on each active plugin, what its last start said, without starting it: a start that failed with the
 * plugin as it is now makes it `failed` with that reason; one that went well leaves it `active`; no such start
 * (never started, or its files changed since) leaves it `active`, `not_started`.
 */
export function applyLastStarts(db: Db, entries: readonly PluginEntry[]): void {
  const starts = readStartRecords(db);
  for (const entry of entries) {
    if (entry.state !== "active" || !entry.id) continue;
    const { record, current } = lastStartOf(starts, entry);
    if (!current) {
      entry.start_check = "not_started";
      entry.last_start = record?.at ?? null;
      continue;
    }
    entry.start_check = "last_start";
    entry.last_start = record!.at;
    if (!record!.ok) {
      entry.state = "failed";
      entry.reason = record!.reason;
    }
  }
}

/** Every plugin's recorded last start; none from a database an older shelfwise left without the table. */
export function readStartRecords(db: Db): Map<string, PluginStartRow> {
  try {
    return readPluginStarts(db);
  } catch {
    return new Map();
  }
}

/**
 * The plugin's recorded last start, and whether it is of the plugin as it is now (its files and settings): only a
 * current record says whether the plugin loads. An unreadable folder makes no record current.
 */
export function lastStartOf(records: Map<string, PluginStartRow>, entry: PluginEntry): { record: PluginStartRow | undefined; current: boolean } {
  const record = entry.id ? records.get(entry.id) : undefined;
  if (record === undefined) return { record, current: false };
  try {
    return { record, current: record.files === startFiles(entry) };
  } catch {
    return { record, current: false };
  }
}
