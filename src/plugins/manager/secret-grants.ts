/**
 * Which of the secrets a plugin declares it is handed. secrets.json is Library Manager's flat map of names,
 * so a name is not tied to a plugin by the file: shelfwise ties it to the plugins that first ask for it
 * (trust on first use). Those are granted it without a step, as Library Manager would hand it over; a plugin
 * that asks for a name another plugin id already has needs the user's grant, so one dropped in later cannot
 * take the key the user added for another. A revoke is the user's word too: it sticks.
 */
import type { Db } from "../../store/database.js";
import { grantOnFirstUse, idKey, readSecretDecisions, type SecretDecisions } from "../../store/plugin-grants.js";
import { ADVICE } from "../../domain/command-advice.js";

export interface SecretAsker {
  pluginId: string;
  secrets: readonly string[];
}

/** Why a declared secret is not handed over: revoked from this plugin, or the name is another id's. */
export type SecretRefusal = { name: string; revoked: true } | { name: string; revoked: false; holders: string[]; holdersRevoked: boolean };

export interface SecretRuling {
  /** By id key (lower case): the declared names the plugin is handed (when set in secrets.json). */
  granted: Map<string, Set<string>>;
  refused: Map<string, SecretRefusal[]>;
}

/** The ids (lower case) with a decision on `name`, granted ones first. */
function claimants(decisions: SecretDecisions, name: string, except: string | null): { granted: string[]; revoked: string[] } {
  const granted: string[] = [];
  const revoked: string[] = [];
  for (const [key, names] of decisions) {
    if (key === except) continue;
    const decision = names.get(name);
    if (decision === "granted") granted.push(key);
    else if (decision === "revoked") revoked.push(key);
  }
  return { granted: granted.sort(), revoked: revoked.sort() };
}

/**
 * The rule, on the decisions recorded before this load: a plugin with a decision of its own keeps it; one
 * without gets a name no other id has a decision on (first use, to be recorded), and is refused one that
 * another id has. Every plugin of one load is judged on the same decisions, so plugins dropped in together
 * that ask for one new name all get it, whatever order they are found in.
 */
export function ruleSecrets(decisions: SecretDecisions, askers: readonly SecretAsker[]): SecretRuling & { firstUse: SecretAsker[] } {
  const spelled = new Map(askers.map((asker) => [idKey(asker.pluginId), asker.pluginId]));
  const shown = (key: string) => spelled.get(key) ?? key;
  const ruling: SecretRuling & { firstUse: SecretAsker[] } = { granted: new Map(), refused: new Map(), firstUse: [] };
  for (const asker of askers) {
    const key = idKey(asker.pluginId);
    const own = decisions.get(key);
    const granted = new Set<string>();
    const refused: SecretRefusal[] = [];
    const first: string[] = [];
    for (const name of asker.secrets) {
      const decision = own?.get(name);
      if (decision === "granted") granted.add(name);
      else if (decision === "revoked") refused.push({ name, revoked: true });
      else {
        const others = claimants(decisions, name, key);
        if (others.granted.length === 0 && others.revoked.length === 0) {
          granted.add(name);
          first.push(name);
        } else if (others.granted.length > 0) {
          refused.push({ name, revoked: false, holders: others.granted.map(shown), holdersRevoked: false });
        } else {
          // Revoked from the plugins that had it: still theirs, not the next plugin's that asks.
          refused.push({ name, revoked: false, holders: others.revoked.map(shown), holdersRevoked: true });
        }
      }
    }
    ruling.granted.set(key, granted);
    if (refused.length > 0) ruling.refused.set(key, refused);
    if (first.length > 0) ruling.firstUse.push({ pluginId: asker.pluginId, secrets: first });
  }
  return ruling;
}

/**
 * The rule applied and its first-use grants recorded. Ruled again inside the write transaction, so two
 * shelfwise processes loading at once record one outcome. A database that cannot be written (the read-only
 * snapshot, or another writer holding it) applies the same rule in memory until a writer records it.
 */
export function settleSecretGrants(db: Db, askers: readonly SecretAsker[]): SecretRuling {
  const ruling = ruleSecrets(readSecretDecisions(db), askers);
  if (ruling.firstUse.length === 0 || db.readonly) return ruling;
  try {
    return db
      .transaction(() => {
        const again = ruleSecrets(readSecretDecisions(db), askers);
        grantOnFirstUse(db, again.firstUse.map((asker) => ({ pluginId: asker.pluginId, names: asker.secrets })));
        return again;
      })
      .immediate();
  } catch (error) {
    if (!/^SQLITE_/.test(String((error as { code?: unknown }).code))) throw error;
    return ruling;
  }
}

/**
 * Of `names`, those a folder run by `plugins test` / `validate` is not handed, judged on the decisions after
 * the plugin directory's plugins asked (so this folder never asks first: trying a folder out records nothing).
 * A name is refused when revoked from its id, or when another id has a decision on it and its own id has no
 * grant. Its id counts as its own only when no other folder of the plugin directory owns it
 * (`ownedElsewhere`): a copy of an installed plugin, elsewhere, is not that plugin.
 */
export function folderRefusals(decisions: SecretDecisions, pluginId: string | null, names: readonly string[], ownedElsewhere: boolean): SecretRefusal[] {
  const own = pluginId === null || ownedElsewhere ? null : idKey(pluginId);
  const refusals: SecretRefusal[] = [];
  for (const name of names) {
    const decision = own === null ? undefined : decisions.get(own)?.get(name);
    if (decision === "granted") continue;
    if (decision === "revoked") {
      refusals.push({ name, revoked: true });
      continue;
    }
    const others = claimants(decisions, name, own);
    if (others.granted.length > 0) refusals.push({ name, revoked: false, holders: others.granted, holdersRevoked: false });
    else if (others.revoked.length > 0) refusals.push({ name, revoked: false, holders: others.revoked, holdersRevoked: true });
  }
  return refusals;
}

/** A refused plugin's reason: what it asks for, whose it is, and the command that shares it. */
export function refusalReason(pluginId: string, refusals: readonly SecretRefusal[]): string {
  const parts = refusals.map((refusal) => {
    if (refusal.revoked) return `needs secret ${refusal.name}, revoked from it`;
    const whose = `plugin${refusal.holders.length === 1 ? "" : "s"} ${refusal.holders.join(", ")}`;
    return refusal.holdersRevoked
      ? `needs secret ${refusal.name}, which belongs to ${whose} (revoked from ${refusal.holders.length === 1 ? "it" : "them"})`
      : `needs secret ${refusal.name}, which is granted to ${whose}`;
  });
  const names = refusals.map((refusal) => refusal.name);
  const them = names.length === 1 ? "it" : "them";
  const verb = refusals.every((refusal) => refusal.revoked) ? `give ${them} back` : `share ${them}`;
  return `${parts.join("; ")}: ${ADVICE.pluginGrantRun.cli(pluginId, names.join(" "), verb)}`;
}
