/**
 * The data folder's layout, the one place that knows where things live in
 * it. In config/ so that every layer that writes there (app, plugins, store
 * callers) can import it.
 */
import path from "node:path";
import { userPath } from "./user-path.js";

export const DEFAULT_DATA_DIR = "./shelfwise-data";

/** Where the data folder came from, for messages that tell the user how to choose another. */
export type DataDirSource = "flag" | "env" | "default";

/** `--data-dir`, else SHELFWISE_DATA_DIR, else ./shelfwise-data; always absolute, `~` the home folder. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return userPath(flag || env.SHELFWISE_DATA_DIR || DEFAULT_DATA_DIR);
}

export function dataDirSource(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): DataDirSource {
  return flag ? "flag" : env.SHELFWISE_DATA_DIR ? "env" : "default";
}

export interface DataDirLayout {
  root: string;
  config: string;
  secrets: string;
  database: string;
  /** Where earlier versions of `serve` noted their port (still read); each server now notes it in `server.<pid>.json` beside it (config/own-server.ts). */
  server: string;
  defaultPluginDir: string;
  /** Parent of every plugin's own writable folder. */
  pluginData: string;
  logs: string;
  /** Parent of every plugin's bounded log file. */
  pluginLogs: string;
  cache: string;
  /** Staged mirrors of plugins: `<pluginCache>/<id>/<hash>/`. */
  pluginCache: string;
  /** A plugin's own writable folder. */
  pluginDataDir(id: string): string;
  /** A plugin's bounded log file (its stdout and stderr). */
  pluginLogFile(id: string): string;
}

export function dataDirLayout(root: string): DataDirLayout {
  const abs = path.resolve(root);
  const pluginData = path.join(abs, "plugin-data");
  const logs = path.join(abs, "logs");
  const pluginLogs = path.join(logs, "plugins");
  const cache = path.join(abs, "cache");
  return {
    root: abs,
    config: path.join(abs, "config.json"),
    secrets: path.join(abs, "secrets.json"),
    database: path.join(abs, "shelfwise.db"),
    server: path.join(abs, "server.json"),
    defaultPluginDir: path.join(abs, "plugins"),
    pluginData,
    logs,
    pluginLogs,
    cache,
    pluginCache: path.join(cache, "plugins"),
    pluginDataDir: (id) => path.join(pluginData, id),
    pluginLogFile: (id) => path.join(pluginLogs, `${id}.log`),
  };
}
