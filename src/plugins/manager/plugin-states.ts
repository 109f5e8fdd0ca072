/**
 * The plugins' states as the folder and the database decide them, before any runtime check: what `status`
 * reads (readPluginStates) and what loadPlugins (plugin-manager.ts) starts from. Apart from the manager so
 * that a command that only reads the states loads none of what starts plugins (the sandbox, the launchers,
 * the protocol, the answer checks and, through them, the name parsing): ~370 KB of bundle for `status`.
 */
import type { Db } from "../../store/database.js";
import { getPluginState } from "../../store/plugin-health.js";
import type { PluginSettings } from "./plugin-settings.js";
import { discoverFolders, type DiscoveredPlugin } from "../manifest/discovery.js";
import { withSchemaVerdicts } from "../manifest/manifest-schema.js";
import { readSchemaVerdicts, saveSchemaVerdicts } from "../manifest/schema-verdicts.js";
import { applyRefusals, settleIdClaims, type SettledClaims } from "../manifest/id-claims.js";
import { readPluginOwners, writePluginOwners } from "../../store/plugin-owners.js";
import { idKey, readSecretDecisions } from "../../store/plugin-grants.js";
import { refusalReason, ruleSecrets, settleSecretGrants, type SecretRuling } from "./secret-grants.js";
import { secretIsSet, secretPresence } from "../manifest/secret-settings.js";
import { BUILTIN_LAYER_IDS, builtinIdProblem } from "../../domain/plugin-id.js";
import type { LaunchSpec, PluginRuntime, PluginState } from "../plugin-types.js";
import type { PluginLayer } from "./plugin-layer.js";
import { lookalikeNote, readAs } from "./read-as.js";
import { ADVICE } from "../../domain/command-advice.js";

/** A plugin's enable key in config.json. */
export function enableKeyFor(id: string): string {
  return `plugin_${id}_enabled`;
}

export interface PluginEntry {
  folder: string;
  id: string | null;
  name: string | null;
  version: string | null;
  runtime: PluginRuntime | null;
  default_order: number;
  state: PluginState;
  reason: string | null;
  warnings: string[];
  /** The wall level it runs at, e.g. `process+permission+seccomp+landlock+namespace` (see sandbox/wall.ts). */
  sandbox: string | null;
  /** What the wall lacks on this machine, one line per missing mechanism. */
  sandbox_lacks: string[];
  discovered: DiscoveredPlugin;
  /**
   * Its standing for the id it names (manifest/id-claims.ts): only the owner is given that id's config;
   * a refused folder never runs, a held one waits for the user to enable the id. Null without an id.
   */
  id_claim: "owner" | "refused" | "held" | null;
  /**
   * The names of its `requires_secrets` it is granted (secret-grants.ts: on first use, or by the user): only
   * these are handed to it, and one set but not granted leaves it skipped. Empty without an id or a manifest.
   */
  granted_secrets: string[];
  /** The names of its `requires_secrets` the user revoked from it (`plugins revoke`): not handed over until granted again. */
  revoked_secrets: string[];
  /**
   * The names of its `requires_secrets` it is not granted because other plugin ids have them (granted to
   * them, or revoked from every one of them): whose they are, so the lists can say whom to ask and how.
   */
  held_secrets: HeldSecret[];
  spec: LaunchSpec | null;
  layer: PluginLayer | null;
  /**
   * How `state` was found for a plugin that has to start to be known (`plugins list`, `plugins health`): started by
   * this command (`probed`), its last recorded start (`last_start`), or never started as its files are now
   * (`not_started`). Unset where nothing was looked up (the pipeline, the server).
   */
  start_check?: StartCheck | null;
  /** When that recorded start was; unset or null when none applies. */
  last_start?: string | null;
}

export type StartCheck = "probed" | "last_start" | "not_started";

export interface HeldSecret {
  name: string;
  /** The plugin ids that have it. */
  holders: string[];
  /** It was revoked from every holder: still theirs, not the next asker's. */
  revoked_from_holders: boolean;
}

/**
 * The plugins as stored and as the folder says, for a command that must neither spawn a process nor wait on
 * another command writing (`status`): the enable, disable and auto-disable states, id claims and secret grants
 * as read, applied in memory (the next command that writes records a new plugin's claim and first-use grants).
 * Nothing is probed or staged: `active` is a plugin the next `process` will try to start (one that cannot,
 * its sandbox or Python missing, is `failed` only there). No `spec`, no `sandbox`.
 */
export function readPluginStates(db: Db, settings: PluginSettings): PluginEntry[] {
  return settlePluginStates(db, settings, { record: false });
}

/** A plugin's plugin_configs entry: what it is given and what its identity hashes. */
export function pluginConfig(settings: PluginSettings, id: string): Record<string, unknown> {
  return settings.pluginConfigs[id] ?? {};
}

/** Every state the folder and the store decide, before any runtime check: `active` ones are left to start. */
export function settlePluginStates(db: Db, settings: PluginSettings, options: { record: boolean }): PluginEntry[] {
  const verdicts = readSchemaVerdicts(settings.dataDir);
  const discovery = withSchemaVerdicts(verdicts, () =>
    discoverFolders(settings.pluginDir, {
      pluginConfigs: settings.pluginConfigs,
      ...secretPresence(settings.secrets),
      configHint: true,
    }),
  );
  if (options.record) saveSchemaVerdicts(settings.dataDir, verdicts);
  const claims = settleClaims(db, discovery.plugins, discovery.plugin_dir, options.record);
  const grants = secretGrants(db, discovery.plugins, claims, options.record);
  const entries: PluginEntry[] = [];
  for (const found of discovery.plugins) {
    const entry = baseEntry(found);
    entry.id_claim = found.id === null ? null : claims.refused.has(found) ? "refused" : claims.held.has(found) ? "held" : "owner";
    entries.push(entry);
    if (found.id && found.manifest) {
      const granted = grants.granted.get(idKey(found.id));
      entry.granted_secrets = found.manifest.requires_secrets.filter((name) => granted?.has(name));
      const revoked = new Set((grants.refused.get(idKey(found.id)) ?? []).filter((refusal) => refusal.revoked).map((refusal) => refusal.name));
      entry.revoked_secrets = found.manifest.requires_secrets.filter((name) => revoked.has(name));
      entry.held_secrets = (grants.refused.get(idKey(found.id)) ?? []).flatMap((refusal) =>
        refusal.revoked || entry.granted_secrets.includes(refusal.name) ? [] : [{ name: refusal.name, holders: [...refusal.holders], revoked_from_holders: refusal.holdersRevoked }],
      );
    }
    if (entry.id_claim === "owner" && (found.state === "ok" || found.state === "skipped")) skipUngranted(entry, grants, settings.secrets);
    if (found.state !== "ok" || !found.id || !found.manifest || !found.runtime) continue;
    const builtin = builtinIdProblem(found.id);
    if (builtin) {
      setState(entry, "invalid", builtin);
      continue;
    }
    const held = claims.held.get(found);
    if (held !== undefined) {
      setState(entry, "disabled", held);
      continue;
    }
    const enableKey = enableKeyFor(found.id);
    if (settings.switchedOff?.(enableKey)) {
      setState(entry, "disabled", `switched off in config.json (${enableKey}: false)`);
      continue;
    }
    const stored = getPluginState(db, found.id);
    if (stored?.state === "disabled") {
      setState(entry, "disabled", stored.reason ?? `disabled by the user (${ADVICE.pluginEnable.cli()})`);
      continue;
    }
    if (stored?.state === "auto-disabled") {
      setState(entry, "auto-disabled", stored.reason);
      continue;
    }
  }
  warnLookalikeNames(entries);
  return entries;
}

/** Left `active` by the stored states, with a manifest to start it from: the runtime checks decide the rest. */
export function mayStart(entry: PluginEntry): boolean {
  const found = entry.discovered;
  return entry.state === "active" && found.state === "ok" && found.id !== null && found.manifest !== null && found.runtime !== null;
}

/**
 * Settles folders claiming one id against the stored owners (id-claims.ts).
 * Decided twice when something is to be stored: the second time in the write
 * transaction, so two shelfwise processes reading the folder at once store
 * one owner and agree on it.
 */
export function settleClaims(db: Db, plugins: DiscoveredPlugin[], pluginDir: string, record = true): SettledClaims {
  let settled = settleIdClaims(plugins, readPluginOwners(db), pluginDir);
  if (record && settled.writes.length > 0 && !db.readonly) {
    try {
      settled = db
        .transaction(() => {
          const again = settleIdClaims(plugins, readPluginOwners(db), pluginDir);
          writePluginOwners(db, again.writes);
          return again;
        })
        .immediate();
    } catch (error) {
      // A reader on a read-only disk, or a database another command is writing: this process keeps the decision
      // it read (the same rule, the same stored owners), and the next command that can write records it.
      if (!/^SQLITE_/.test(String((error as { code?: unknown }).code))) throw error;
    }
  }
  applyRefusals(settled);
  return settled;
}

/**
 * The secrets each plugin is handed (secret-grants.ts). Only the folder that owns its id asks: a refused or
 * held folder is not the plugin the id's grants belong to, and must not make a name its id's by asking first.
 */
export function secretGrants(db: Db, plugins: DiscoveredPlugin[], claims: SettledClaims, record = true): SecretRuling {
  const askers = plugins
    .filter((found) => found.id !== null && found.manifest !== null && (found.state === "ok" || found.state === "skipped"))
    .filter((found) => !claims.refused.has(found) && !claims.held.has(found) && builtinIdProblem(found.id!) === null)
    .map((found) => ({ pluginId: found.id!, secrets: found.manifest!.requires_secrets }));
  return record ? settleSecretGrants(db, askers) : ruleSecrets(readSecretDecisions(db), askers);
}

/**
 * A secret set in secrets.json that is not this plugin's (another id's, or revoked from it) leaves it
 * skipped, with the command that shares it.
 */
function skipUngranted(entry: PluginEntry, grants: SecretRuling, secrets: Record<string, string>): void {
  // A secret not in secrets.json is said missing (discovery) first: adding it there, then granting it, in that order.
  const refused = (grants.refused.get(idKey(entry.id!)) ?? []).filter((refusal) => secretIsSet(secrets[refusal.name]));
  if (refused.length === 0) return;
  const hint = refusalReason(entry.id!, refused);
  setState(entry, "skipped", entry.state === "skipped" && entry.reason ? `${entry.reason}; ${hint}` : hint);
}

function baseEntry(found: DiscoveredPlugin): PluginEntry {
  return {
    folder: found.folder,
    id: found.id,
    name: found.name,
    version: found.version,
    runtime: found.runtime,
    default_order: found.default_order,
    state: found.state === "ok" ? "active" : found.state,
    reason: found.reason,
    warnings: found.warnings,
    sandbox: null,
    sandbox_lacks: [],
    discovered: found,
    id_claim: null,
    granted_secrets: [],
    revoked_secrets: [],
    held_secrets: [],
    spec: null,
    layer: null,
  };
}

export function setState(entry: PluginEntry, state: PluginState, reason: string | null): void {
  entry.state = state;
  entry.reason = reason;
}

/**
 * A plugin's display name that reads as another layer's id or another plugin's name (`Path`, "Wanted" for a
 * plugin whose id is `spy`, `Pаth` with a Cyrillic `а`: read-as.ts): the pages show the name first, and a grant or a switch clicked for the name the
 * user knows would go to this plugin. Said as a warning on the plugin, its own id named; nothing is refused,
 * since names are not unique by the manifest's rules.
 */
function warnLookalikeNames(entries: PluginEntry[]): void {
  // A name shown as `Pаth` looks like `Path` on screen: the letters that are not what they seem are named.
  const lookalikes = (name: string) => {
    const note = lookalikeNote(name);
    return note ? ` (${note})` : "";
  };
  const taken = new Map<string, string>();
  for (const id of BUILTIN_LAYER_IDS) taken.set(readAs(id), `the built-in layer ${id}`);
  for (const entry of entries) if (entry.id) taken.set(readAs(entry.id), `plugin ${entry.id}`);
  for (const entry of entries) {
    if (!entry.id || !entry.name) continue;
    const whose = taken.get(readAs(entry.name));
    if (whose === undefined || whose === `plugin ${entry.id}`) continue;
    entry.warnings = [...entry.warnings, `name "${entry.name}" reads as ${whose}${lookalikes(entry.name)}; this plugin's id is ${entry.id} (the id is what grants, switches and logs name)`];
  }
  const byName = new Map<string, PluginEntry[]>();
  for (const entry of entries) {
    if (!entry.id || !entry.name) continue;
    const key = readAs(entry.name);
    byName.set(key, [...(byName.get(key) ?? []), entry]);
  }
  for (const [key, same] of byName) {
    // A name that reads as an id was said above, to the plugins it does not belong to.
    if (taken.has(key)) continue;
    const ids = new Set(same.map((entry) => entry.id!.toLowerCase()));
    if (ids.size < 2) continue;
    for (const entry of same) {
      const others = same.filter((other) => other.id!.toLowerCase() !== entry.id!.toLowerCase()).map((other) => other.id);
      entry.warnings = [...entry.warnings, `name "${entry.name}" reads as the name of plugin${others.length === 1 ? "" : "s"} ${others.join(", ")}${lookalikes(entry.name!)}; this plugin's id is ${entry.id} (the id is what grants, switches and logs name)`];
    }
  }
}
