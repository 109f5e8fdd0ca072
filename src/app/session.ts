/**
 * The composition root shared by the CLI and (later) the web server: data dir,
 * config, database, and an empty layer registry. Layers (built-in, then
 * plugins) are attached by `attachLayers`, so commands that never run layers
 * do not load them.
 */
import fs from "node:fs";
import path from "node:path";
import { loadConfig, type LoadedConfig } from "../config/config-file.js";
import { isEnabled, type Config } from "../config/config-schema.js";
import { openDatabase, type Db } from "../store/database.js";
import { LayerRegistry, type OrderedLayers } from "../pipeline/layer-registry.js";
import type { Layer } from "../pipeline/layer.js";
import type { PipelineOptions } from "../pipeline/orchestrator.js";
import { dataDirLayout, type DataDirLayout } from "./data-dir.js";
import { closeLogger, openLogger, type Logger } from "./logger.js";

export interface Session {
  layout: DataDirLayout;
  log: Logger;
  loaded: LoadedConfig;
  config: Config;
  db: Db;
  registry: LayerRegistry;
  /** Absolute plugin folder (config plugin_dir, relative to the data dir). */
  pluginDir: string;
  enabledLayers(): OrderedLayers;
  close(): Promise<void>;
}

export function openSession(dataDir: string): Session {
  const layout = dataDirLayout(dataDir);
  const loaded = loadConfig(dataDir);
  const config = loaded.config;
  fs.mkdirSync(layout.root, { recursive: true });
  const db = openDatabase(layout.database);
  const log = openLogger(layout.logs);
  for (const warning of loaded.warnings) log.warn({ event: "config_warning" }, warning);
  const registry = new LayerRegistry();
  const closers: (() => Promise<void>)[] = [];
  const session: Session = {
    layout,
    log,
    loaded,
    config,
    db,
    registry,
    pluginDir: config.plugin_dir ? path.resolve(layout.root, config.plugin_dir) : layout.defaultPluginDir,
    enabledLayers: () => registry.enabled(config.pipeline_order, (layer) => layerEnabled(config, layer)),
    async close() {
      for (const close of closers.splice(0).reverse()) await close();
      // In parallel: each plugin's teardown is bounded (5 s), and they must not add up.
      await Promise.allSettled(registry.all().map((layer) => layer.close?.()));
      db.close();
      closeLogger(log);
    },
  };
  return session;
}

/** What every pipeline run of a session shares: its database and the configured batch size, threshold and naming. */
export function pipelineSettings(session: Session): Pick<PipelineOptions, "db" | "batchSize" | "confidenceThreshold" | "namingTemplate"> {
  const { config } = session;
  return {
    db: session.db,
    batchSize: config.batch_size,
    confidenceThreshold: config.confidence_threshold,
    namingTemplate: config.naming_template,
  };
}

export function layerEnabled(config: Config, layer: Layer): boolean {
  return isEnabled(config, layer.info.config_enable_key);
}
