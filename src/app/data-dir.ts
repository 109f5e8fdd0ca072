import path from "node:path";

export const DEFAULT_DATA_DIR = "./shelfwise-data";

/** `--data-dir`, else SHELFWISE_DATA_DIR, else ./shelfwise-data; always absolute. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag || env.SHELFWISE_DATA_DIR || DEFAULT_DATA_DIR);
}

export interface DataDirLayout {
  root: string;
  config: string;
  secrets: string;
  database: string;
  defaultPluginDir: string;
  pluginData: string;
  logs: string;
  cache: string;
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
    cache: path.join(root, "cache"),
  };
}
