/**
 * Where everything lives in a data folder: the one layout every part uses
 * (the app, the store, plugins), so no path under the data folder is spelled twice.
 */
import path from "node:path";

export interface DataDirLayout {
  root: string;
  config: string;
  secrets: string;
  database: string;
  defaultPluginDir: string;
  /** One writable folder per plugin: <pluginData>/<id>. */
  pluginData: string;
  logs: string;
  /** One bounded log per plugin: <pluginLogs>/<id>.log. */
  pluginLogs: string;
  cache: string;
  /** Staged (mirrored, transpiled) plugins. */
  pluginCache: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    config: path.join(root, "config.json"),
    secrets: path.join(root, "secrets.json"),
    database: path.join(root, "shelfwise.db"),
    defaultPluginDir: path.join(root, "plugins"),
    pluginData: path.join(root, "plugin-data"),
    logs: path.join(root, "logs"),
    pluginLogs: path.join(root, "logs", "plugins"),
    cache: path.join(root, "cache"),
    pluginCache: path.join(root, "cache", "plugins"),
  };
}
