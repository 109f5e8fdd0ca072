import path from "node:path";
import type { Session } from "./session.js";
import { loadSecrets } from "../config/config-file.js";
import { createManagedPluginLayer, loadPlugins, type PluginEntry, type PluginSettings } from "../plugins/plugin-manager.js";
import { killAll, PluginStartError } from "../plugins/plugin-process.js";
import { startPluginLayers, type PluginLayer } from "../plugins/plugin-layer.js";

export interface AttachOptions {
  /** Start the plugin processes now (in parallel) and drop those that fail to start. Default true. */
  start?: boolean;
  log?: (line: string) => void;
}

let signalHooksInstalled = false;

/** Registers the built-in layers once per session (loaded on demand: they pull in the tag reader). */
export async function attachBuiltinLayers(session: Session): Promise<void> {
  if (session.registry.get("path")) return;
  const { builtinLayers } = await import("./builtin-layers.js");
  for (const layer of builtinLayers(session.config)) session.registry.register(layer);
}

/** No plugin process may outlive shelfwise, whatever ends it. */
export function installSignalHooks(): void {
  if (signalHooksInstalled) return;
  signalHooksInstalled = true;
  process.on("exit", killAll);
}

export function pluginSettings(session: Session): PluginSettings {
  const config = session.config;
  return {
    pluginDir: session.pluginDir,
    dataDir: session.layout.root,
    libraryPaths: config.library_paths.map((p) => path.resolve(session.layout.root, p)),
    pluginConfigs: config.plugin_configs as Record<string, Record<string, unknown>>,
    secrets: loadSecrets(session.layout.root),
    pythonPath: config.python_path,
    autoDisableAfter: config.auto_disable_after,
    sandbox: { required: config.sandbox_required, disable: config.sandbox_disable },
    switchedOff: (key) => (config as Record<string, unknown>)[key] === false,
  };
}

type LogLine = (line: string) => void;

/** What the user (and the event log) is told about a discovered plugin before anything starts. */
export function reportEntry(session: Session, entry: PluginEntry, log?: LogLine): void {
  for (const warning of entry.warnings) log?.(`warning: plugin ${entry.id ?? entry.folder}: ${warning}`);
  if (entry.state === "invalid" || entry.state === "failed") {
    log?.(`plugin ${entry.id ?? entry.folder}: ${entry.state}: ${entry.reason}`);
    session.log.warn({ event: "plugin_not_loaded", plugin: entry.id, folder: entry.folder, state: entry.state }, entry.reason ?? "");
  }
}

/** The layer of an active plugin, its auto-disable reported. */
export function sessionPluginLayer(session: Session, entry: PluginEntry, settings: PluginSettings, log?: LogLine): PluginLayer {
  return createManagedPluginLayer(session.db, entry, settings, (changed) => {
    session.log.warn({ event: "plugin_auto_disabled", plugin: changed.id }, changed.reason ?? "");
    log?.(`plugin ${changed.id}: ${changed.state}: ${changed.reason}`);
  }) as PluginLayer;
}

export interface StartingLayer {
  entry: PluginEntry;
  layer: PluginLayer;
}

/**
 * Starts plugin processes in parallel. A plugin whose module or setup fails
 * becomes `failed` (entry.layer null, its layer closed); the others stay active.
 */
export async function startPluginEntries(session: Session, layers: StartingLayer[], log?: LogLine): Promise<void> {
  const results = await startPluginLayers(layers.map(({ layer }) => layer));
  results.forEach((result, i) => {
    if (result.status === "fulfilled") return;
    const { entry, layer } = layers[i]!;
    const error = result.reason as Error;
    entry.state = "failed";
    entry.reason = error instanceof PluginStartError ? `${error.stage}: ${error.message}` : error.message;
    entry.layer = null;
    void layer.close();
    log?.(`plugin ${entry.id}: failed: ${entry.reason}`);
    session.log.warn({ event: "plugin_start_failed", plugin: entry.id }, entry.reason);
  });
}

/**
 * Startup order is database (the session), then plugins, then the pipeline:
 * every active plugin becomes a registered layer; with `start`, processes are
 * started in parallel and a plugin whose module or setup fails is `failed`.
 */
export async function attachPlugins(session: Session, options: AttachOptions = {}): Promise<PluginEntry[]> {
  installSignalHooks();
  await attachBuiltinLayers(session);
  const settings = pluginSettings(session);
  const entries = await loadPlugins(session.db, settings);
  const layers: StartingLayer[] = [];
  for (const entry of entries) {
    reportEntry(session, entry, options.log);
    if (entry.state === "active") layers.push({ entry, layer: sessionPluginLayer(session, entry, settings, options.log) });
  }
  if (options.start !== false) await startPluginEntries(session, layers, options.log);
  for (const { entry, layer } of layers) {
    if (entry.state === "active") session.registry.register(layer);
  }
  return entries;
}
