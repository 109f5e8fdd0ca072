/**
 * Turns the plugin folder into pipeline layers: discovery, the state stored in
 * the database (disabled, auto-disabled), runtime checks, staging, launch specs,
 * and health recording with auto-disable. The CLI and the web server both go
 * through here.
 */
import { folderSnapshot, keepSnapshot, snapshotOf } from "../folder-snapshot.js";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../store/database.js";
import { recordPluginEndWarnings } from "../../store/plugin-end-warnings.js";
import { getPluginState, nextFailureCount, recordCalls, setPluginState, type CallRow } from "../../store/plugin-health.js";
import { dataDirLayout } from "../../config/data-dir.js";
import { RESERVED_SECRET_NAMES, resolvePluginRuntime } from "../../config/config-schema.js";
import type { LayerInfo } from "../../pipeline/layer.js";
import type { PluginSettings } from "./plugin-settings.js";
import { discoverFolders, type DiscoveredPlugin } from "../manifest/discovery.js";
import { readSecretDecisions, type SecretDecisions } from "../../store/plugin-grants.js";
import { secretPresence, secretSettingValues } from "../manifest/secret-settings.js";
import { stagePlugin, ensureSdkLink, sweepStaging } from "../staging/staging.js";
import { packageRoot } from "../../config/package-root.js";
import { checkPython } from "../process/python-check.js";
import { pluginIdentity } from "./plugin-identity.js";
import { createPluginLayer, type HealthObserver, type PluginLayer } from "./plugin-layer.js";
import { createNodeLauncher } from "../process/node-launcher.js";
import { pythonLauncher } from "../process/python-launcher.js";
import { FAILURE_OUTCOMES, type CallOutcome, type LaunchSpec, type PluginRuntime } from "../plugin-types.js";
import type { RuntimeLauncher } from "../process/launch-command.js";
import { pluginSandboxSettings, sandboxSettingWarnings } from "../sandbox/plugin-sandbox-settings.js";
import { probeSandbox } from "../sandbox/detect.js";
import { sandboxReport } from "../sandbox/wall.js";

import { enableKeyFor, mayStart, pluginConfig, secretGrants, setState, settleClaims, settlePluginStates, type PluginEntry } from "./plugin-states.js";
import { sentence } from "../../domain/command-advice.js";

// The call's own words (a plugin's error, a service's answer) are put back as they were on a page, whatever they hold.
const AUTO_DISABLED = sentence`auto-disabled after ${0} consecutive failures (last: ${1}`;
export { enableKeyFor, pluginConfig, readPluginStates, secretGrants, type HeldSecret, type PluginEntry } from "./plugin-states.js";
export { BUILTIN_LAYER_IDS } from "../../domain/plugin-id.js";

export type { PluginSettings } from "./plugin-settings.js";


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
  sweepStaging(settings.dataDir);
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
 * Every id's decisions once the plugin directory's plugins have asked (their first use recorded, or applied in
 * memory on a database that cannot be written): what a folder run from elsewhere (`plugins test DIR`) is
 * judged against, so a key an installed plugin asks for is that plugin's even before anything loaded it.
 */
export function pluginDirSecretDecisions(db: Db, settings: PluginSettings): SecretDecisions {
  const discovery = discoverFolders(settings.pluginDir, { pluginConfigs: settings.pluginConfigs, ...secretPresence(settings.secrets), configHint: true });
  const ruling = secretGrants(db, discovery.plugins, settleClaims(db, discovery.plugins, discovery.plugin_dir));
  const decisions = readSecretDecisions(db);
  for (const [key, names] of ruling.granted) {
    let own = decisions.get(key);
    if (!own) decisions.set(key, (own = new Map()));
    for (const name of names) if (!own.has(name)) own.set(name, "granted");
  }
  return decisions;
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
  // One reading of the folder for the whole start: staging, the layer's fingerprint and identity, the start record.
  const reader = folderSnapshot();
  const staged = stagePlugin(found, {
    dataDir: settings.dataDir,
    pluginDir: settings.pluginDir,
    shelfwiseRoot: packageRoot(),
    reader,
  });
  const readPaths = [...staged.read_paths];
  if (manifest.permissions.filesystem === "read") readPaths.push(...settings.libraryPaths);
  const runtime = resolvePluginRuntime(id, config, {
    concurrency: manifest.concurrency,
    rate_limit_per_minute: manifest.rate_limit_per_minute,
  }).settings;
  const spec: LaunchSpec = {
    plugin_id: id,
    runtime: found.runtime!,
    folder: found.real_folder ?? found.folder,
    ...(staged.copy ? { stagedCopy: staged.copy } : {}),
    entry: staged.entry,
    class_name: manifest.class_name ?? null,
    about: {
      name: manifest.name,
      description: manifest.description,
      version: manifest.version,
      ...(found.version_json !== null ? { version_json: found.version_json } : {}),
    },
    config,
    secrets,
    allowed_hosts: manifest.permissions.network,
    readPaths,
    unreadLibraryPaths: manifest.permissions.filesystem === "read" ? [] : [...settings.libraryPaths],
    undeclaredSecretNames: Object.keys(settings.secrets).filter((name) => !manifest.requires_secrets.includes(name) && !RESERVED_SECRET_NAMES.has(name)),
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
  keepSnapshot(spec, reader);
  return spec;
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

  const take = (record: CallRow) => {
    if (entry.state !== "active") return;
    calls.push(record);
    // The count stored by the last committed batch, carried through this one by the same rule recordCalls applies.
    failures = nextFailureCount(failures ?? getPluginState(db, id)?.consecutive_failures ?? 0, record.outcome, isFailure);
    if (failures < settings.autoDisableAfter) return;
    disabledReason = AUTO_DISABLED(failures, `${record.outcome}${record.error ? `: ${record.error}` : ""})`).slice(0, 1000);
    setState(entry, "auto-disabled", disabledReason);
    layer.halt();
    onState?.(entry);
  };
  const observer: HealthObserver = {
    onCall: take,
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
    // A `crash` with no book in the call log (none was at fault: its books were sent again), counted
    // towards auto-disable as the process it cost; not a call for the totals (recordCalls).
    onProcessEnded(error, at) {
      take({ plugin_id: id, book_id: null, at, outcome: "crash", duration_ms: 0, resolved: false, error });
    },
    // After the run's batches, before the session closes its database (session.ts closes the layers first).
    onTeardown(warnings, at) {
      try {
        if (db.open) recordPluginEndWarnings(db, id, at, warnings);
      } catch {
        // A database opened read-only, or busy past its wait: the warnings stay in the plugin's log.
      }
    },
    onInterrupted(bookIds, writes) {
      const at = new Date().toISOString();
      const error = "shelfwise stopped during this call; its answer was lost";
      const interrupted = bookIds.map((book_id): CallRow => ({ plugin_id: id, book_id, at, outcome: "interrupted", duration_ms: 0, resolved: false, error }));
      writes.push((target) => recordCalls(target, id, interrupted, isFailure));
    },
  };
  const reader = snapshotOf(spec);
  const layer = createPluginLayer({
    info: pluginLayerInfo(entry),
    spec,
    reader,
    launcher: launcherFor(spec.runtime),
    weight: resolvePluginRuntime(id, spec.config).settings.source_weight,
    observer,
  });
  // Computed after the launch spec: the folder as staged now is the code this layer runs.
  layer.identity = pluginIdentity(entry.discovered.real_folder ?? entry.folder, spec.config, reader);
  entry.layer = layer;
  return layer;
}
