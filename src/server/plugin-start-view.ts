/**
 * A plugin's last start as the pages show it: the record `plugins list` and `plugins health` read (migration 24),
 * judged by the same rule, with the state left as this server runs the plugin. The reason is the plugin's own words,
 * with every secret value shelfwise knows masked: a record written before a key was set cannot have masked it.
 */
import { z } from "zod";
import { specSecretMask } from "../plugins/spec-secret-mask.js";
import type { PluginEntry } from "../plugins/manager/plugin-manager.js";
import { lastStartOf, readStartRecords } from "../plugins/manager/plugin-start-record.js";
import type { Db } from "../store/database.js";
import type { PluginStartRow } from "../store/plugin-starts.js";

export const LastStartFields = {
  last_start_ok: z
    .boolean()
    .nullable()
    .describe("whether the start at `last_start` came up (module loaded, setup done); null when `last_start` is"),
  last_start_reason: z
    .string()
    .nullable()
    .describe("why the start at `last_start` failed, in the plugin's words (secret values masked); null when it started or none is recorded"),
};

export interface PluginStartView {
  start_check: "last_start" | "not_started" | null;
  last_start: string | null;
  last_start_ok: boolean | null;
  last_start_reason: string | null;
}

export type StartRecords = Map<string, PluginStartRow>;

export function startRecords(db: Db): StartRecords {
  return readStartRecords(db);
}

/**
 * As `plugins list` (applyLastStarts) judges it: a plugin that has to start to be known (active, or failed at its
 * start) has `last_start` when the record is of its files and settings as they are now, else `not_started`;
 * disabled, skipped and invalid ones have none.
 */
export function pluginStartView(records: StartRecords, entry: PluginEntry, secrets: Record<string, string>): PluginStartView {
  const none: PluginStartView = { start_check: null, last_start: null, last_start_ok: null, last_start_reason: null };
  if (!entry.id || !entry.spec || (entry.state !== "active" && entry.state !== "failed")) return none;
  const { record, current } = lastStartOf(records, entry);
  if (!record || !current) {
    // Failed before any start (a data folder over its bound): its reason says why; no start to speak of.
    if (entry.state === "failed") return { ...none, last_start: record?.at ?? null };
    return { ...none, start_check: "not_started", last_start: record?.at ?? null };
  }
  const mask = specSecretMask(entry.spec, Object.values(secrets));
  return {
    start_check: "last_start",
    last_start: record.at,
    last_start_ok: record.ok,
    last_start_reason: record.ok ? null : mask.text(record.reason ?? "no reason was recorded"),
  };
}
