/**
 * Turns the plugin folder into pipeline layers: discovery, the state stored in
 * the database (disabled, auto-disabled), runtime checks, staging, launch specs,
 * and health recording with auto-disable. The CLI and the web server both go
 * through here.
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../store/database.js";
import { getPluginState, nextFailureCount, recordCalls, setPluginState, type CallRow } from "../../store/plugin-health.js";
import { dataDirLayout } from "../../config/data-dir.js";
import { RESERVED_SECRET_NAMES, resolvePluginRuntime } from "../../config/config-schema.js";
import type { LayerInfo } from "../../pipeline/layer.js";
import type { PluginSettings } from "./plugin-settings.js";
import { discoverFolders, type DiscoveredPlugin } from "../manifest/discovery.js";
import { applyRefusals, settleIdClaims, type SettledClaims } from "../manifest/id-claims.js";
import { readPluginOwners, writePluginOwners } from "../../store/plugin-owners.js";
import { idKey, readSecretDecisions, type SecretDecisions } from "../../store/plugin-grants.js";
import { refusalReason, ruleSecrets, settleSecretGrants, type SecretRuling } from "./secret-grants.js";
import { secretIsSet, secretPresence, secretSettingValues } from "../manifest/secret-settings.js";
import { stagePlugin, ensureSdkLink } from "../staging/staging.js";
import { packageRoot } from "../../config/package-root.js";
import { checkPython } from "../process/python-check.js";
import { pluginIdentity } from "./plugin-identity.js";
import { BUILTIN_LAYER_IDS, builtinIdProblem } from "../../domain/plugin-id.js";
import { createPluginLayer, type HealthObserver, type PluginLayer } from "./plugin-layer.js";
import { createNodeLauncher } from "../process/node-launcher.js";
import { pythonLauncher } from "../process/python-launcher.js";
import { FAILURE_OUTCOMES, type CallOutcome, type LaunchSpec, type PluginRuntime, type PluginState } from "../plugin-types.js";
import type { RuntimeLauncher } from "../process/launch-command.js";
import { pluginSandboxSettings, sandboxSettingWarnings } from "../sandbox/plugin-sandbox-settings.js";
import { probeSandbox } from "../sandbox/detect.js";
import { sandboxReport } from "../sandbox/wall.js";

export { BUILTIN_LAYER_IDS } from "../../domain/plugin-id.js";

export type { PluginSettings } from "./plugin-settings.js";

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
}

export interface HeldSecret {
  name: string;
  /** The plugin ids that have it. */
  holders: string[];
  /** It was revoked from every holder: still theirs, not the next asker's. */
  revoked_from_holders: boolean;
}

export function launcherFor(runtime: PluginRuntime): RuntimeLauncher {
  return runtime === "python" ? pythonLauncher : createNodeLauncher();
}

/**
 * Discovers every plugin folder and works out its state; starts nothing. It checks what each plugin needs to
 * start (the sandbox, Python: processes spawned), stages it and records what is to be recorded (id claims,
 * first-use grants), as `plugins list` and `process` need.
 */
export async function loadPlugins(db: Db, settings: PluginSettings): Promise<PluginEntry[]> {
  // Lets every plugin folder import "shelfwise/plugin" and "shelfwise/testing", staged or not.
  if (fs.existsSync(settings.pluginDir)) {
    try {
      ensureSdkLink(settings.pluginDir);
    } catch {
      // A read-only plugin folder: staging falls back to mirrors.
    }
  }
  const entries = settlePluginStates(db, settings, { record: true });
  let python: Awaited<ReturnType<typeof checkPython>> | null = null;
  if (entries.length > 0) await probeSandbox();
  for (const entry of entries) {
    const found = entry.discovered;
    if (found.runtime) {
      const report = sandboxReport({ runtime: found.runtime, sandbox: { disable: settings.sandbox?.disable ?? [] } });
      entry.sandbox = report.level;
      entry.sandbox_lacks = report.lacks;
    }
    if (!mayStart(entry)) continue;
    if (found.runtime === "python") {
      python ??= await checkPython(settings.pythonPath);
      if (!python.ok) {
        setState(entry, "failed", python.reason);
        continue;
      }
    }
    entry.warnings = [
      ...entry.warnings,
      ...runtimeSettingWarnings(found.id!, pluginConfig(settings, found.id!)),
      ...sandboxSettingWarnings(found.id!, pluginConfig(settings, found.id!)),
    ];
    try {
      entry.spec = launchSpec(found, settings, entry.granted_secrets);
    } catch (error) {
      setState(entry, "failed", (error as Error).message);
    }
  }
  return entries;
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
function settlePluginStates(db: Db, settings: PluginSettings, options: { record: boolean }): PluginEntry[] {
  const discovery = discoverFolders(settings.pluginDir, {
    pluginConfigs: settings.pluginConfigs,
    ...secretPresence(settings.secrets),
  });
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
      setState(entry, "disabled", stored.reason ?? "disabled by the user (`shelfwise plugins enable` turns it on)");
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
function mayStart(entry: PluginEntry): boolean {
  const found = entry.discovered;
  return entry.state === "active" && found.state === "ok" && found.id !== null && found.manifest !== null && found.runtime !== null;
}

/**
 * Settles folders claiming one id against the stored owners (id-claims.ts).
 * Decided twice when something is to be stored: the second time in the write
 * transaction, so two shelfwise processes reading the folder at once store
 * one owner and agree on it.
 */
function settleClaims(db: Db, plugins: DiscoveredPlugin[], pluginDir: string, record = true): SettledClaims {
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
 * Every id's decisions once the plugin directory's plugins have asked (their first use recorded, or applied in
 * memory on a database that cannot be written): what a folder run from elsewhere (`plugins test DIR`) is
 * judged against, so a key an installed plugin asks for is that plugin's even before anything loaded it.
 */
export function pluginDirSecretDecisions(db: Db, settings: PluginSettings): SecretDecisions {
  const discovery = discoverFolders(settings.pluginDir, { pluginConfigs: settings.pluginConfigs, ...secretPresence(settings.secrets) });
  const ruling = secretGrants(db, discovery.plugins, settleClaims(db, discovery.plugins, discovery.plugin_dir));
  const decisions = readSecretDecisions(db);
  for (const [key, names] of ruling.granted) {
    let own = decisions.get(key);
    if (!own) decisions.set(key, (own = new Map()));
    for (const name of names) if (!own.has(name)) own.set(name, "granted");
  }
  return decisions;
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

function setState(entry: PluginEntry, state: PluginState, reason: string | null): void {
  entry.state = state;
  entry.reason = reason;
}

/** Out-of-range or mistyped runtime settings still run (clamped), but the user is told. */
export function runtimeSettingWarnings(id: string, config: Record<string, unknown>): string[] {
  return resolvePluginRuntime(id, config).warnings;
}

/**
 * Everything one plugin process gets: its config, only its declared secrets (of those, only the `granted`
 * ones when given; the test harness passes none, its secrets being the ones its caller chose), its paths and limits.
 */
export function launchSpec(found: DiscoveredPlugin, settings: PluginSettings, granted?: readonly string[]): LaunchSpec {
  const manifest = found.manifest!;
  const id = found.id!;
  const config = pluginConfig(settings, id);
  const secrets: Record<string, string> = {};
  for (const name of manifest.requires_secrets) {
    if (granted && !granted.includes(name)) continue;
    if (Object.hasOwn(settings.secrets, name) && !RESERVED_SECRET_NAMES.has(name)) secrets[name] = settings.secrets[name]!;
  }
  const layout = dataDirLayout(settings.dataDir);
  const dataDir = path.join(layout.pluginData, id);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(layout.pluginLogs, { recursive: true });
  const staged = stagePlugin(found, {
    dataDir: settings.dataDir,
    pluginDir: settings.pluginDir,
    shelfwiseRoot: packageRoot(),
  });
  const readPaths = [...staged.read_paths];
  if (manifest.permissions.filesystem === "read") readPaths.push(...settings.libraryPaths);
  const runtime = resolvePluginRuntime(id, config, {
    concurrency: manifest.concurrency,
    rate_limit_per_minute: manifest.rate_limit_per_minute,
  }).settings;
  return {
    plugin_id: id,
    runtime: found.runtime!,
    folder: found.real_folder ?? found.folder,
    entry: staged.entry,
    class_name: manifest.class_name ?? null,
    about: { name: manifest.name, description: manifest.description, version: manifest.version },
    config,
    secrets,
    allowed_hosts: manifest.permissions.network,
    readPaths,
    dataDir,
    logFile: path.join(layout.pluginLogs, `${id}.log`),
    memoryMb: runtime.memory_mb,
    maxFileMb: runtime.max_file_mb,
    maxDataMb: runtime.max_data_mb,
    timeoutSeconds: runtime.timeout,
    setupTimeoutSeconds: runtime.setup_timeout,
    concurrency: runtime.concurrency,
    rateLimitPerMinute: runtime.rate_limit_per_minute,
    pythonPath: settings.pythonPath,
    // shelfwise's own folders stay hidden even when a readable folder (the library) contains them.
    sandbox: pluginSandboxSettings(settings.sandbox, config, [settings.dataDir, settings.pluginDir], settings.dataDir),
    // A key kept in plugin_configs is as secret as one in secrets.json: the page that never shows it must not
    // find it in the plugin's log tail or errors either.
    maskedValues: secretSettingValues(manifest.config_schema, config),
  };
}

export function enableKeyFor(id: string): string {
  return `plugin_${id}_enabled`;
}

export function pluginLayerInfo(entry: PluginEntry): LayerInfo {
  const manifest = entry.discovered.manifest!;
  return {
    layer_id: entry.id!,
    layer_name: entry.name ?? entry.id!,
    description: manifest.description ?? "",
    config_enable_key: enableKeyFor(entry.id!),
    default_order: entry.default_order,
    kind: "plugin",
  };
}

/**
 * Builds the layer for an active plugin, with its health observer: the one
 * owner of plugin state. Calls are recorded with the plugin's counters once
 * per batch, in the batch's transaction when the orchestrator runs it; after
 * `autoDisableAfter` consecutive failures (completion order) the plugin is
 * auto-disabled: the layer is halted at once (no new call; calls in flight
 * get no outcome, their books stay pending) and the state is stored with the
 * batch.
 */
export function createManagedPluginLayer(db: Db, entry: PluginEntry, settings: PluginSettings, onState?: (entry: PluginEntry) => void): PluginLayer {
  const spec = entry.spec!;
  const id = entry.id!;
  let calls: CallRow[] = [];
  let failures: number | null = null;
  let disabledReason: string | null = null;
  const isFailure = (outcome: string) => FAILURE_OUTCOMES.has(outcome as CallOutcome);

  const observer: HealthObserver = {
    onCall(record) {
      if (entry.state !== "active") return;
      calls.push(record);
      // The count stored by the last committed batch, carried through this one by the same rule recordCalls applies.
      failures = nextFailureCount(failures ?? getPluginState(db, id)?.consecutive_failures ?? 0, record.outcome, isFailure);
      if (failures < settings.autoDisableAfter) return;
      disabledReason = `auto-disabled after ${failures} consecutive failures (last: ${record.outcome}${record.error ? `: ${record.error}` : ""})`.slice(0, 1000);
      setState(entry, "auto-disabled", disabledReason);
      layer.halt();
      onState?.(entry);
    },
    onBatchEnd(ctx) {
      const batch = calls;
      const reason = disabledReason;
      const peak = layer.peakInFlight();
      calls = [];
      failures = null;
      disabledReason = null;
      if (batch.length === 0 && reason === null) return;
      const write = (target: Db) => {
        if (batch.length > 0) recordCalls(target, id, batch, isFailure, peak);
        if (reason !== null) setPluginState(target, id, "auto-disabled", reason);
      };
      if (ctx.writes) ctx.writes.push(write);
      else db.transaction(() => write(db))();
    },
    onInterrupted(bookIds, writes) {
      const at = new Date().toISOString();
      const error = "shelfwise stopped during this call; its answer was lost";
      const interrupted = bookIds.map((book_id): CallRow => ({ plugin_id: id, book_id, at, outcome: "interrupted", duration_ms: 0, resolved: false, error }));
      writes.push((target) => recordCalls(target, id, interrupted, isFailure));
    },
  };
  const layer = createPluginLayer({
    info: pluginLayerInfo(entry),
    spec,
    launcher: launcherFor(spec.runtime),
    weight: resolvePluginRuntime(id, spec.config).settings.source_weight,
    observer,
  });
  // Computed after the launch spec: the folder as staged now is the code this layer runs.
  layer.identity = pluginIdentity(entry.discovered.real_folder ?? entry.folder, spec.config);
  entry.layer = layer;
  return layer;
}

/**
 * A name as a reader takes it: compatibility forms folded (fullwidth, ligatures), invisible characters and
 * accents dropped, case, `-`, `_` and runs of spaces not told apart. Other scripts' lookalike letters (a
 * Cyrillic "а" for "a") are not folded: that needs the confusables table.
 */
function readAs(text: string): string {
  return text.normalize("NFKD").replace(/[\p{Cf}\p{Mn}]/gu, "").normalize("NFKC").toLowerCase().replace(/[\s_-]+/g, " ").trim();
}

/**
 * A plugin's display name that reads as another layer's id or another plugin's name (`Path`, "Wanted" for a
 * plugin whose id is `spy`): the pages show the name first, and a grant or a switch clicked for the name the
 * user knows would go to this plugin. Said as a warning on the plugin, its own id named; nothing is refused,
 * since names are not unique by the manifest's rules.
 */
function warnLookalikeNames(entries: PluginEntry[]): void {
  const taken = new Map<string, string>();
  for (const id of BUILTIN_LAYER_IDS) taken.set(readAs(id), `the built-in layer ${id}`);
  for (const entry of entries) if (entry.id) taken.set(readAs(entry.id), `plugin ${entry.id}`);
  for (const entry of entries) {
    if (!entry.id || !entry.name) continue;
    const whose = taken.get(readAs(entry.name));
    if (whose === undefined || whose === `plugin ${entry.id}`) continue;
    entry.warnings = [...entry.warnings, `name "${entry.name}" reads as ${whose}; this plugin's id is ${entry.id} (the id is what grants, switches and logs name)`];
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
      entry.warnings = [...entry.warnings, `name "${entry.name}" reads as the name of plugin${others.length === 1 ? "" : "s"} ${others.join(", ")}; this plugin's id is ${entry.id} (the id is what grants, switches and logs name)`];
    }
  }
}
