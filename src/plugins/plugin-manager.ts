/**
 * Turns the plugin folder into pipeline layers: discovery, the state stored in
 * the database (disabled, auto-disabled), runtime checks, staging, launch specs,
 * and health recording with auto-disable. The CLI and the web server both go
 * through here.
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../store/database.js";
import { getPluginState, recordCalls, setPluginState, type CallRow } from "../store/plugin-health.js";
import type { Layer, LayerInfo } from "../pipeline/layer.js";
import { discoverPlugins, type DiscoveredPlugin } from "./discovery.js";
import { stagePlugin, findShelfwiseRoot, ensureSdkLink } from "./staging.js";
import { checkPython } from "./python-check.js";
import { createPluginLayer, type CallRecord } from "./plugin-layer.js";
import { createNodeLauncher } from "./node-launcher.js";
import { pythonLauncher } from "./python-launcher.js";
import { FAILURE_OUTCOMES, type CallOutcome, type LaunchSpec, type PluginRuntime, type PluginState } from "./plugin-types.js";
import type { RuntimeLauncher } from "./runtime-launcher.js";
import { pluginSandboxSettings, sandboxSettingWarnings, type GlobalSandboxConfig } from "./sandbox/plugin-sandbox-settings.js";
import { probeSandbox } from "./sandbox/detect.js";
import { sandboxReport } from "./sandbox/wall.js";

export const BUILTIN_LAYER_IDS = new Set(["path", "embedded_tags", "sidecar", "openlibrary"]);

export interface PluginSettings {
  pluginDir: string;
  dataDir: string;
  libraryPaths: string[];
  pluginConfigs: Record<string, Record<string, unknown>>;
  secrets: Record<string, string>;
  pythonPath: string;
  autoDisableAfter: number;
  /** sandbox_required and sandbox_disable from config.json (absent: every mechanism, not required). */
  sandbox?: GlobalSandboxConfig;
  /** True when config.json switches this enable key off (`plugin_<id>_enabled: false`). */
  switchedOff?: (enableKey: string) => boolean;
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
  /** The wall level it runs at, e.g. `process+permission+landlock+namespace` (see sandbox/wall.ts). */
  sandbox: string | null;
  /** What the wall lacks on this machine, one line per missing mechanism. */
  sandbox_lacks: string[];
  discovered: DiscoveredPlugin;
  spec: LaunchSpec | null;
  layer: Layer | null;
}

export function launcherFor(runtime: PluginRuntime): RuntimeLauncher {
  return runtime === "python" ? pythonLauncher : createNodeLauncher();
}

/** Discovers every plugin folder and works out its state; starts nothing. */
export async function loadPlugins(db: Db, settings: PluginSettings): Promise<PluginEntry[]> {
  // Lets every plugin folder import "shelfwise/plugin" and "shelfwise/testing", staged or not.
  if (fs.existsSync(settings.pluginDir)) {
    try {
      ensureSdkLink(settings.pluginDir);
    } catch {
      // A read-only plugin folder: staging falls back to mirrors.
    }
  }
  const discovery = discoverPlugins(settings.pluginDir, {
    pluginConfigs: settings.pluginConfigs,
    secretNames: new Set(Object.keys(settings.secrets)),
  });
  let python: Awaited<ReturnType<typeof checkPython>> | null = null;
  const entries: PluginEntry[] = [];
  if (discovery.plugins.length > 0) await probeSandbox();
  for (const found of discovery.plugins) {
    const entry = baseEntry(found);
    entries.push(entry);
    if (found.runtime) {
      const report = sandboxReport({ runtime: found.runtime, sandbox: { disable: settings.sandbox?.disable ?? [] } });
      entry.sandbox = report.level;
      entry.sandbox_lacks = report.lacks;
    }
    if (found.state !== "ok" || !found.id || !found.manifest || !found.runtime) continue;
    if (BUILTIN_LAYER_IDS.has(found.id)) {
      setState(entry, "invalid", `id "${found.id}" is the id of a built-in layer; choose another id`);
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
    if (found.runtime === "python") {
      python ??= await checkPython(settings.pythonPath);
      if (!python.ok) {
        setState(entry, "failed", python.reason);
        continue;
      }
    }
    entry.warnings = [
      ...entry.warnings,
      ...runtimeSettingWarnings(found.id, settings.pluginConfigs[found.id] ?? {}),
      ...sandboxSettingWarnings(found.id, settings.pluginConfigs[found.id] ?? {}),
    ];
    try {
      entry.spec = launchSpec(found, settings);
    } catch (error) {
      setState(entry, "failed", (error as Error).message);
      continue;
    }
    entry.state = "active";
  }
  return entries;
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
    spec: null,
    layer: null,
  };
}

function setState(entry: PluginEntry, state: PluginState, reason: string | null): void {
  entry.state = state;
  entry.reason = reason;
}

const clamp = (value: unknown, min: number, max: number, fallback: number) =>
  typeof value === "number" && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;

/** The settings shelfwise itself reads from plugin_configs[id], with their ranges. */
const RUNTIME_SETTINGS = {
  source_weight: { min: 0, max: 100, fallback: 60 },
  timeout: { min: 1, max: 600, fallback: 30 },
  setup_timeout: { min: 1, max: 600, fallback: 30 },
  memory_mb: { min: 32, max: 16_384, fallback: 256 },
} as const;

/** Out-of-range or mistyped runtime settings still run (clamped), but the user is told. */
export function runtimeSettingWarnings(id: string, config: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  for (const [key, range] of Object.entries(RUNTIME_SETTINGS)) {
    const value = config[key];
    if (value === undefined) continue;
    const used = clamp(value, range.min, range.max, range.fallback);
    if (used !== value) {
      warnings.push(`plugin_configs.${id}.${key}: must be a number from ${range.min} to ${range.max} (got ${JSON.stringify(value)}); using ${used}`);
    }
  }
  return warnings;
}

/** Everything one plugin process gets: its config, only its declared secrets, its paths. */
export function launchSpec(found: DiscoveredPlugin, settings: PluginSettings): LaunchSpec {
  const manifest = found.manifest!;
  const id = found.id!;
  const config = settings.pluginConfigs[id] ?? {};
  const secrets: Record<string, string> = {};
  for (const name of manifest.requires_secrets) {
    if (Object.hasOwn(settings.secrets, name)) secrets[name] = settings.secrets[name]!;
  }
  const dataDir = path.join(settings.dataDir, "plugin-data", id);
  fs.mkdirSync(dataDir, { recursive: true });
  const logDir = path.join(settings.dataDir, "logs", "plugins");
  fs.mkdirSync(logDir, { recursive: true });
  const staged = stagePlugin(found, {
    dataDir: settings.dataDir,
    pluginDir: settings.pluginDir,
    shelfwiseRoot: findShelfwiseRoot(),
  });
  const readPaths = [...staged.read_paths];
  if (manifest.permissions.filesystem === "read") readPaths.push(...settings.libraryPaths);
  return {
    plugin_id: id,
    runtime: found.runtime!,
    folder: found.real_folder ?? found.folder,
    entry: staged.entry,
    class_name: manifest.class_name ?? null,
    config,
    secrets,
    allowed_hosts: manifest.permissions.network,
    read_paths: readPaths,
    data_dir: dataDir,
    log_file: path.join(logDir, `${id}.log`),
    memory_mb: clamp(config.memory_mb, 32, 16_384, 256),
    timeout_s: clamp(config.timeout, 1, 600, 30),
    setup_timeout_s: clamp(config.setup_timeout, 1, 600, 30),
    python_path: settings.pythonPath,
    // shelfwise's own folders stay hidden even when a readable folder (the library) contains them.
    sandbox: pluginSandboxSettings(settings.sandbox, config, [settings.dataDir, settings.pluginDir], settings.dataDir),
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
 * Builds the layer for an active plugin. Calls are buffered and written with
 * the plugin's counters once per batch; after `autoDisableAfter` consecutive
 * failures the plugin is auto-disabled (stored, so it survives restarts) and
 * stops taking books.
 */
export function createManagedPluginLayer(db: Db, entry: PluginEntry, settings: PluginSettings, onState?: (entry: PluginEntry) => void): Layer {
  const spec = entry.spec!;
  const id = entry.id!;
  let failures = getPluginState(db, id)?.consecutive_failures ?? 0;
  let buffer: CallRow[] = [];
  // Answers that arrive after the auto-disable: the supervisor may still run a
  // book or two (a timeout or crash does not end the batch at once). They are
  // neither recorded nor merged, so those books stay pending for a later reset.
  const late = new Set<number>();
  const flush = () => {
    if (buffer.length === 0) return;
    const calls = buffer;
    buffer = [];
    recordCalls(db, id, calls, (outcome) => FAILURE_OUTCOMES.has(outcome as CallOutcome));
  };
  const weight = clamp(spec.config.source_weight, 0, 100, 60);
  const inner = createPluginLayer({
    info: pluginLayerInfo(entry),
    spec,
    launcher: launcherFor(spec.runtime),
    weight,
    onCall(record: CallRecord) {
      if (entry.state !== "active") {
        late.add(record.book_id);
        return "stop";
      }
      buffer.push({ ...record });
      if (record.outcome === "skipped") return;
      failures = FAILURE_OUTCOMES.has(record.outcome) ? failures + 1 : 0;
      if (entry.state === "active" && failures >= settings.autoDisableAfter) {
        flush();
        const reason = `auto-disabled after ${failures} consecutive failures (last: ${record.outcome}${record.error ? `: ${record.error}` : ""})`;
        setPluginState(db, id, "auto-disabled", reason.slice(0, 1000));
        setState(entry, "auto-disabled", reason);
        onState?.(entry);
        return "stop";
      }
      return undefined;
    },
  });
  const layer: Layer = {
    ...inner,
    wants: inner.wants?.bind(inner),
    async processBatch(books, ctx) {
      if (entry.state !== "active") return [];
      try {
        const outcomes = await inner.processBatch(books, ctx);
        return late.size === 0 ? outcomes : outcomes.filter((outcome) => !late.has(outcome.book_id));
      } finally {
        flush();
      }
    },
    async close() {
      flush();
      await inner.close?.();
    },
  };
  entry.layer = layer;
  return layer;
}
