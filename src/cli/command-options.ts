import type { Command } from "commander";
import { resolveDataDir } from "../app/data-dir.js";
import { noteDataDir } from "./errors.js";

const DATA_DIR_HELP = "data folder (config.json, secrets.json, shelfwise.db, plugins/); env SHELFWISE_DATA_DIR; default ./shelfwise-data";

/** Every command takes --data-dir; this keeps that true for commands added later. */
export function command(parent: Command, spec: string, description: string): Command {
  return parent.command(spec).description(description).option("--data-dir <dir>", DATA_DIR_HELP);
}

export function dataDirOf(options: { dataDir?: string }): string {
  const dataDir = resolveDataDir(options.dataDir);
  noteDataDir(dataDir);
  return dataDir;
}

/** For commands that write: how long to wait for another writer on the same data folder. */
export const WAIT_OPTION = ["--wait <seconds>", "wait this long for another command writing to the data folder (default: config lock_wait_seconds, 5)"] as const;
