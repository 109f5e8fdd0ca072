/**
 * Which secrets of secrets.json go to which plugin (migrations 17, 18): one row per plugin id and secret
 * name, granted or revoked. The rule that uses them lives in plugins/manager/secret-grants.ts; this is
 * their storage. Names only: values stay in secrets.json.
 */
import type { Db } from "./database.js";
import { nowIso } from "./database.js";

/**
 * Who recorded a grant: the user (CLI, web); shelfwise for the plugins that first asked for a name
 * (`first_use`), or, before first use was the rule, for the plugins installed at the upgrade (`upgrade`).
 */
export type GrantedBy = "user" | "upgrade" | "first_use";

/** The user's or shelfwise's word on one plugin id and one secret name. */
export type SecretDecision = "granted" | "revoked";

export interface SecretGrantRow {
  plugin_id: string;
  secret_name: string;
  granted_by: GrantedBy;
  granted_at: string;
  revoked_at: string | null;
}

/** ids are ASCII (domain/plugin-id.ts): lower case is the id's key, as for plugin_owners. */
export function idKey(pluginId: string): string {
  return pluginId.toLowerCase();
}

/** Every decision, by id key (lower case) then secret name. */
export type SecretDecisions = Map<string, Map<string, SecretDecision>>;

export function readSecretDecisions(db: Db): SecretDecisions {
  const rows = db.prepare("SELECT id_key, secret_name, revoked_at FROM plugin_secret_grants").all() as {
    id_key: string;
    secret_name: string;
    revoked_at: string | null;
  }[];
  const decisions: SecretDecisions = new Map();
  for (const row of rows) {
    let names = decisions.get(row.id_key);
    if (!names) decisions.set(row.id_key, (names = new Map()));
    names.set(row.secret_name, row.revoked_at === null ? "granted" : "revoked");
  }
  return decisions;
}

export function listSecretGrants(db: Db, pluginId: string): SecretGrantRow[] {
  return (
    db
      .prepare("SELECT secret_name, granted_by, granted_at, revoked_at FROM plugin_secret_grants WHERE id_key = ? ORDER BY secret_name")
      .all(idKey(pluginId)) as Omit<SecretGrantRow, "plugin_id">[]
  ).map((row) => ({ plugin_id: pluginId, ...row }));
}

/** Records grants (a revoked one is granted again); returns the names that were not granted before. */
export function grantSecrets(db: Db, pluginId: string, names: readonly string[], by: GrantedBy): string[] {
  const before = db.prepare("SELECT revoked_at FROM plugin_secret_grants WHERE id_key = ? AND secret_name = ?");
  const upsert = db.prepare(
    `INSERT INTO plugin_secret_grants (id_key, secret_name, granted_by, granted_at, revoked_at) VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT (id_key, secret_name) DO UPDATE SET granted_by = excluded.granted_by, granted_at = excluded.granted_at, revoked_at = NULL
     WHERE revoked_at IS NOT NULL`,
  );
  const at = nowIso();
  return db.transaction(() =>
    names.filter((name) => {
      const row = before.get(idKey(pluginId), name) as { revoked_at: string | null } | undefined;
      upsert.run(idKey(pluginId), name, by, at);
      return row === undefined || row.revoked_at !== null;
    }),
  )();
}

/**
 * Records revokes: the plugin is not handed these names again until the user grants them, and shelfwise does
 * not grant them on first use either. A name the plugin does not declare (of `declared`) and has no row for
 * is left alone: recorded, it would keep the name from the plugin that first asks for it. Returns the names
 * that were granted.
 */
export function revokeSecrets(db: Db, pluginId: string, names: readonly string[], declared: readonly string[]): string[] {
  const before = db.prepare("SELECT revoked_at FROM plugin_secret_grants WHERE id_key = ? AND secret_name = ?");
  const upsert = db.prepare(
    `INSERT INTO plugin_secret_grants (id_key, secret_name, granted_by, granted_at, revoked_at) VALUES (?, ?, 'user', ?, ?)
     ON CONFLICT (id_key, secret_name) DO UPDATE SET revoked_at = excluded.revoked_at WHERE revoked_at IS NULL`,
  );
  const at = nowIso();
  return db.transaction(() =>
    names.filter((name) => {
      const row = before.get(idKey(pluginId), name) as { revoked_at: string | null } | undefined;
      if (row === undefined && !declared.includes(name)) return false;
      upsert.run(idKey(pluginId), name, at, at);
      return row !== undefined && row.revoked_at === null;
    }),
  )();
}

/** Records first-use grants; a name with any decision for that id already is left as it is. */
export function grantOnFirstUse(db: Db, grants: readonly { pluginId: string; names: readonly string[] }[]): void {
  const insert = db.prepare("INSERT OR IGNORE INTO plugin_secret_grants (id_key, secret_name, granted_by, granted_at) VALUES (?, ?, 'first_use', ?)");
  const at = nowIso();
  for (const grant of grants) for (const name of grant.names) insert.run(idKey(grant.pluginId), name, at);
}
