/**
 * The config keys the Settings page edits, with their documentation. Library
 * folders, plugin configs and the pipeline order have their own pages.
 */
import { plainIssueMessage, type IssueLike } from "../domain/plain-issue.js";
import fs from "node:fs";
import path from "node:path";
import { ConfigSchema, defaultConfig } from "../config/config-schema.js";
import type { Session } from "../app/session.js";
import { userPath } from "../config/user-path.js";
import { FOLDER_KEYS } from "../app/folder-settings.js";

interface SettingDoc {
  description: string;
  restart?: boolean;
}

export const SETTING_DOCS: Record<string, SettingDoc> = {
  naming_template: { description: "Layout of proposed paths, e.g. {author}/{series}/{series_num} - {title}" },
  series_num_padding: { description: "Digits {series_num} is zero-padded to in proposed paths (0: none; decimals kept: 02.5)" },
  confidence_threshold: { description: "Books at or above this confidence (0-100) are identified; below it they need attention" },
  batch_size: { description: "Books handed to a layer at once (1-10000)" },
  auto_disable_after: { description: "A plugin is auto-disabled after this many failures in a row" },
  python_path: { description: "Python interpreter for Python plugins" },
  output_path: { description: "Where apply puts books (empty: each book stays in its library folder); relative paths are relative to the data folder" },
  plugin_dir: { description: "Plugin folder (empty: <data dir>/plugins); relative paths are relative to the data folder", restart: true },
  path_enabled: { description: "Run the folder and file name layer" },
  embedded_tags_enabled: { description: "Run the embedded tags layer" },
  sidecar_enabled: { description: "Run the sidecar layer (metadata.json, metadata.abs, .opf, book.json, desc.txt, reader.txt, .nfo, info.txt, .cue)" },
  openlibrary_enabled: { description: "Run the Open Library layer (needs the network)" },
  openlibrary_url: { description: "Open Library server" },
  openlibrary_timeout_ms: { description: "Open Library request timeout in ms" },
  openlibrary_rate_per_sec: { description: "Open Library requests per second at most" },
  openlibrary_breaker_failures: { description: "Open Library failures in a row before it pauses" },
  openlibrary_breaker_cooldown_s: { description: "Seconds Open Library pauses after those failures" },
};

function typeOf(value: unknown): string {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return "string";
}

export function settingsView(session: Session) {
  const defaults = defaultConfig() as Record<string, unknown>;
  const config = session.config as Record<string, unknown>;
  return Object.entries(SETTING_DOCS).map(([key, doc]) => ({
    key,
    type: FOLDER_KEYS.has(key) ? "string" : typeOf(defaults[key]),
    value: config[key] ?? null,
    default: defaults[key] ?? null,
    description: doc.description,
    restart: Boolean(doc.restart),
  }));
}

export const EDITABLE_KEYS = new Set(Object.keys(SETTING_DOCS));

/** Values as sent by a form: known keys only; an empty folder setting means its default (output_path: none). */
/** The keys to save, or each key's problem (the page shows each beside its field), in plain words. */
export function settingsChange(values: Record<string, unknown>): { set: Record<string, unknown>; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!EDITABLE_KEYS.has(key)) {
      errors.push({ field: key, message: "not a setting this page edits" });
      continue;
    }
    set[key] = FOLDER_KEYS.has(key) && value === "" ? null : value;
  }
  // Checked key by key here for messages naming the field; updateConfig checks the whole file again.
  const shape = ConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; error?: { issues: IssueLike[] } } }>;
  for (const [key, value] of Object.entries(set)) {
    const result = shape[key]?.safeParse(value);
    if (result && !result.success) {
      const issue = result.error?.issues[0];
      // The value itself when the issue is about it (not an item inside): a mistyped enumerated word gets a "did you mean".
      const own = issue && !(issue as { path?: unknown[] }).path?.length;
      errors.push({ field: key, message: issue ? plainIssueMessage(issue, own ? value : undefined) : "invalid value" });
    }
  }
  return { set, errors };
}

export function folderState(dataRoot: string, folder: string): { path: string; exists: boolean; readable: boolean } {
  // As scans read it: relative to the data folder, `~` the home folder.
  const full = userPath(folder, dataRoot);
  let exists = false;
  let readable = false;
  try {
    exists = fs.statSync(full).isDirectory();
    if (exists) {
      fs.accessSync(full, fs.constants.R_OK | fs.constants.X_OK);
      fs.readdirSync(full);
      readable = true;
    }
  } catch {
    // exists/readable stay false
  }
  return { path: folder, exists, readable };
}
