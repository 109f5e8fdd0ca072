/**
 * Plugins as the pages show them: state and reason, manifest details,
 * permissions, config (never secrets: only whether each is set), health.
 */
import path from "node:path";
import type { z } from "zod";
import { loadSharedSecrets } from "../config/config-file.js";
import type { PluginEntry } from "../plugins/manager/plugin-manager.js";
import { pluginLogTail } from "../app/plugin-log-tail.js";
import { pluginCallLog } from "../store/book-queries.js";
import { failedBookCount } from "../store/layer-runs.js";
import type { Session } from "../app/session.js";
import { grantsLookedAt, pluginEntryView, pluginHealthView } from "../app/views/index.js";
import { withOwnSettingsDescribed } from "../plugins/manifest/own-settings.js";
import { secretIsSet, secretSettingName, secretSettingNames } from "../plugins/manifest/secret-settings.js";
import type { HealthRow, PluginView } from "./schemas.js";
import { pluginStartView, startRecords, type StartRecords } from "./plugin-start-view.js";

export function pluginKey(entry: PluginEntry): string {
  return entry.id ?? path.basename(entry.folder);
}

export function pluginView(session: Session, entry: PluginEntry, secrets: Record<string, string>, starts: StartRecords = startRecords(session.db)): z.infer<typeof PluginView> {
  const manifest = entry.discovered.manifest;
  const configs = session.config.plugin_configs as Record<string, Record<string, unknown>>;
  // Only the folder that owns the id is shown its settings: a refused or held folder's own config_schema would
  // decide which of them are secret (and draw the form that edits them).
  const saved: Record<string, unknown> = (entry.id && entry.id_claim === "owner" && configs[entry.id]) || {};
  const hidden = secretSettingNames(manifest?.config_schema);
  const config = Object.fromEntries(Object.entries(saved).filter(([key]) => !hidden.includes(key)));
  const network = manifest?.permissions?.network ?? [];
  return {
    ...pluginEntryView(entry),
    // The last start as `plugins list` reports it: when, and whether its start check failed and why.
    ...pluginStartView(starts, entry, secrets),
    key: pluginKey(entry),
    description: manifest?.description ?? null,
    errors: entry.discovered.errors,
    permissions: { network: [...network], filesystem: manifest?.permissions?.filesystem ?? "none" },
    requires_config: [...(manifest?.requires_config ?? [])],
    // shelfwise's own settings (limits, weight, the wall's allowances) are drawn as shelfwise describes them, never
    // with a plugin's title or default for them: a save of the form would store what the manifest chose.
    config_schema: withOwnSettingsDescribed(manifest?.config_schema as Record<string, unknown> | undefined),
    config,
    // Kept in secrets.json (plugin_configs.<id>.<key>), or hand-written into config.json.
    secret_settings: hidden.map((name) => ({
      name,
      set: (entry.id !== null && entry.id_claim === "owner" && secretIsSet(secrets[secretSettingName(entry.id, name)])) || (saved[name] !== undefined && saved[name] !== null && saved[name] !== ""),
    })),
    secrets: (manifest?.requires_secrets ?? []).map((name) => ({
      name,
      set: secretIsSet(secrets[name]),
      granted: grantsLookedAt(entry) ? entry.granted_secrets.includes(name) : null,
    })),
  };
}

export function pluginViews(session: Session, entries: PluginEntry[]): z.infer<typeof PluginView>[] {
  const secrets = safeSecrets(session);
  const starts = startRecords(session.db);
  return entries.map((entry) => pluginView(session, entry, secrets, starts));
}

export function safeSecrets(session: Session): Record<string, string> {
  try {
    return loadSharedSecrets(session.layout.root);
  } catch {
    return {};
  }
}

/** The last lines of a plugin's output log, as `plugins logs` shows them too. */
export function logTail(session: Session, id: string, lines = 60): string[] {
  return pluginLogTail(session.layout, id, lines);
}

const CHART_CALLS = 300;

export function healthRow(session: Session, entry: PluginEntry, chartCalls = CHART_CALLS, starts: StartRecords = startRecords(session.db), secrets: Record<string, string> = safeSecrets(session)): z.infer<typeof HealthRow> {
  const id = entry.id!;
  const db = session.db;
  const recent = chartCalls > 0 ? pluginCallLog(db, id, { limit: chartCalls }).reverse() : [];
  return {
    // The same view as `plugins health --json`: the page shows what the CLI says.
    ...pluginHealthView(db, entry as PluginEntry & { id: string }, session.config.plugin_configs[id] ?? {}),
    ...pluginStartView(starts, entry, secrets),
    recent: recent.slice(recent.length - chartCalls).map((c) => ({ at: c.at, outcome: c.outcome, duration_ms: c.duration_ms })),
    failed_books: failedBookCount(db, id),
  };
}
