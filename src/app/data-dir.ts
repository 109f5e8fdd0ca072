import path from "node:path";

export const DEFAULT_DATA_DIR = "./shelfwise-data";

/** `--data-dir`, else SHELFWISE_DATA_DIR, else ./shelfwise-data; always absolute. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag || env.SHELFWISE_DATA_DIR || DEFAULT_DATA_DIR);
}

export { dataDirLayout, type DataDirLayout } from "../config/data-dir-layout.js";
