/**
 * Which secrets of secrets.json the user gave to which plugin (migration 17).
 * The rule that uses them lives in plugins/manager/plugin-manager.ts; this is
 * their storage. Names only: values stay in secrets.json.
 */
import type { Db } from "./database.js";
import { nowIso } from "./database.js";

/** Who recorded a grant: the user (CLI, web), or shelfwise for a plugin installed before grants existed. */
export type GrantedBy = "user" | "upgrade";

export interface SecretGrantRow {
  plugin_id: string;
  secret_name: string;
  granted_by: GrantedBy;
  granted_at: string;
}

/** ids are ASCII (domain/plugin-id.ts): lower case is the id's key, as for plugin_owners. */
function idKey(pluginId: string): string {
  return pluginId.toLowerCase();
}

/** Every grant, by id key (lower case) then secret name. */
export function readSecretGrants(db: Db): Map<string, Set<string>> {
  const rows = db.prepare("SELECT id_key, secret_name FROM plugin_secret_grants").all() as { id_key: string; secret_name: string }[];
  const grants = new Map<string, Set<string>>();
  for (const row of rows) {
    let names = grants.get(row.id_key);
    if (!names) grants.set(row.id_key, (names = new Set()));
    names.add(row.secret_name);
  }
  return grants;
}

export function grantedSecrets(grants: ReadonlyMap<string, ReadonlySet<string>>, pluginId: string): ReadonlySet<string> {
  return grants.get(idKey(pluginId)) ?? new Set();
}

export function listSecretGrants(db: Db, pluginId: string): SecretGrantRow[] {
  return (
    db
      .prepare("SELECT secret_name, granted_by, granted_at FROM plugin_secret_grants WHERE id_key = ? ORDER BY secret_name")
      .all(idKey(pluginId)) as Omit<SecretGrantRow, "plugin_id">[]
  ).map((row) => ({ plugin_id: pluginId, ...row }));
}

/** Records grants; returns the names that were not granted before. */
export function grantSecrets(db: Db, pluginId: string, names: readonly string[], by: GrantedBy): string[] {
  const insert = db.prepare("INSERT OR IGNORE INTO plugin_secret_grants (id_key, secret_name, granted_by, granted_at) VALUES (?, ?, ?, ?)");
  const at = nowIso();
  return db.transaction(() => names.filter((name) => insert.run(idKey(pluginId), name, by, at).changes > 0))();
}

/** Takes grants back; returns the names that were granted. */
export function revokeSecrets(db: Db, pluginId: string, names: readonly string[]): string[] {
  const remove = db.prepare("DELETE FROM plugin_secret_grants WHERE id_key = ? AND secret_name = ?");
  return db.transaction(() => names.filter((name) => remove.run(idKey(pluginId), name).changes > 0))();
}

/** True while a database used before grants existed has not yet granted its installed plugins their secrets. */
export function grantUpgradePending(db: Db): boolean {
  return db.prepare("SELECT 1 FROM plugin_grant_upgrade LIMIT 1").get() !== undefined;
}

/**
 * The upgrade's one-time grant: each plugin installed when grants came in keeps the secrets it declares,
 * so nothing stops working for a user who upgrades. Done once, in one transaction with clearing the mark.
 */
export function grantAtUpgrade(db: Db, plugins: readonly { pluginId: string; secrets: readonly string[] }[]): void {
  db.transaction(() => {
    if (!grantUpgradePending(db)) return;
    for (const plugin of plugins) grantSecrets(db, plugin.pluginId, plugin.secrets, "upgrade");
    db.prepare("DELETE FROM plugin_grant_upgrade").run();
  }).immediate();
}
