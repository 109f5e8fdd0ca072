import type { Session } from "./session.js";
import { loadSharedSecrets } from "../config/config-file.js";
import { attachHttpSources } from "./attach-http-sources.js";
import { createManagedPluginLayer, loadPlugins, type PluginEntry, type PluginSettings } from "../plugins/manager/plugin-manager.js";
import { PluginStartError } from "../plugins/process/supervisor.js";
import { installExitHook } from "../plugins/process/process-group.js";
import { buildPluginSettings } from "../plugins/manager/plugin-settings.js";
import { startPluginLayers, type PluginLayer } from "../plugins/manager/plugin-layer.js";
import { recordStarts } from "../plugins/manager/plugin-start-record.js";

export interface AttachOptions {
  /** Start the plugin processes now (in parallel) and drop those that fail to start. Default true. */
  start?: boolean;
  log?: (line: string) => void;
  /** Aborted (Ctrl-C): plugins still starting are closed at once. */
  signal?: AbortSignal;
}

/** Registers the built-in layers once per session (loaded on demand: they pull in the tag reader). */
export async function attachBuiltinLayers(session: Session): Promise<void> {
  if (session.registry.get("path")) return;
  const { builtinLayers } = await import("./builtin-layers.js");
  for (const layer of builtinLayers(session.config)) session.registry.register(layer);
}

/** No plugin process may outlive shelfwise, whatever ends it (the one exit hook lives with the process groups). */
export function installSignalHooks(): void {
  installExitHook();
}

export function pluginSettings(session: Session): PluginSettings {
  return buildPluginSettings({
    dataDir: session.layout.root,
    pluginDir: session.pluginDir,
    config: session.config,
    secrets: loadSharedSecrets(session.layout.root),
  });
}

type LogLine = (line: string) => void;

/** What the user (and the event log) is told about a discovered plugin before anything starts. */
export function reportEntry(session: Session, entry: PluginEntry, log?: LogLine): void {
  for (const warning of entry.warnings) log?.(`warning: plugin ${entry.id ?? entry.folder}: ${warning}`);
  if (entry.state === "invalid" || entry.state === "failed" || entry.id_claim === "held") {
    log?.(`plugin ${entry.id ?? entry.folder}: ${entry.state}: ${entry.reason}`);
    session.log.warn({ event: "plugin_not_loaded", plugin: entry.id, folder: entry.folder, state: entry.state }, entry.reason ?? "");
  }
}

/** The layer of an active plugin, its auto-disable reported. */
export function sessionPluginLayer(session: Session, entry: PluginEntry, settings: PluginSettings, log?: LogLine): PluginLayer {
  return createManagedPluginLayer(session.db, entry, settings, (changed) => {
    session.log.warn({ event: "plugin_auto_disabled", plugin: changed.id }, changed.reason ?? "");
    log?.(`plugin ${changed.id}: ${changed.state}: ${changed.reason}`);
  });
}

export interface StartingLayer {
  entry: PluginEntry;
  layer: PluginLayer;
}

/**
 * Starts plugin processes in parallel. A plugin whose module or setup fails
 * becomes `failed` (entry.layer null, its layer closed); the others stay active.
 */
export async function startPluginEntries(session: Session, layers: StartingLayer[], log?: LogLine, signal?: AbortSignal): Promise<void> {
  // Interrupted while plugins start (Ctrl-C, SIGTERM): their processes are closed at once, not after setup_timeout.
  const closeAll = () => {
    for (const { layer } of layers) void layer.close();
  };
  if (signal?.aborted) closeAll();
  signal?.addEventListener("abort", closeAll, { once: true });
  let results: PromiseSettledResult<void>[];
  try {
    results = await startPluginLayers(layers.map(({ layer }) => layer));
  } finally {
    signal?.removeEventListener("abort", closeAll);
  }
  results.forEach((result, i) => {
    if (result.status === "fulfilled") return;
    const { entry, layer } = layers[i]!;
    const error = result.reason as Error;
    entry.state = "failed";
    entry.reason = signal?.aborted
      ? "not started: shelfwise was interrupted while the plugin started"
      : error instanceof PluginStartError
        ? `${error.stage}: ${error.message}`
        : error.message;
    entry.layer = null;
    void layer.close();
    log?.(`plugin ${entry.id}: failed: ${entry.reason}`);
    session.log.warn({ event: "plugin_start_failed", plugin: entry.id }, entry.reason);
  });
  // Kept for `plugins list` and `plugins health`, which report it without starting plugin code. An interrupted
  // start says nothing of the plugin.
  if (!signal?.aborted) recordStarts(session.db, layers.map(({ entry }, i) => ({ entry, ok: results[i]!.status === "fulfilled" })));
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
  if (options.start !== false) await startPluginEntries(session, layers, options.log, options.signal);
  for (const { entry, layer } of layers) {
    if (entry.state === "active") session.registry.register(layer);
  }
  attachHttpSources(session, entries.map((entry) => entry.id), options.log);
  return entries;
}
