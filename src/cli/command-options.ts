import type { Command } from "commander";
import { dataDirSource, resolveDataDir, type DataDirSource } from "../app/data-dir.js";
import { EXIT } from "../app/exit-codes.js";
import { noteDataDir, UserError } from "./errors.js";

export const DATA_DIR_HELP = "data folder (config.json, secrets.json, shelfwise.db, plugins/); env SHELFWISE_DATA_DIR; default ./shelfwise-data";

/** Every command takes --data-dir; this keeps that true for commands added later. */
export function command(parent: Command, spec: string, description: string): Command {
  return parent.command(spec).description(description).option("--data-dir <dir>", DATA_DIR_HELP);
}

let chosen: { dir: string; source: DataDirSource } | null = null;

export function dataDirOf(options: { dataDir?: string }): string {
  // `--data-dir "$DIR"` with DIR unset must not quietly become ./shelfwise-data.
  if (options.dataDir !== undefined && options.dataDir.trim() === "") throw new UserError("--data-dir is empty: give the data folder (or leave the option out)", EXIT.badInput);
  // Nor `SHELFWISE_DATA_DIR=$DIR` with DIR unset (a broken script, a typo in a unit file): set but empty is
  // refused rather than read as unset, which would quietly pick ./shelfwise-data in whatever folder this runs in.
  const env = process.env.SHELFWISE_DATA_DIR;
  if (options.dataDir === undefined && env !== undefined && env.trim() === "") {
    throw new UserError("SHELFWISE_DATA_DIR is set but empty: set it to your data folder, or unset it (`unset SHELFWISE_DATA_DIR`) for the default ./shelfwise-data; --data-dir DIR also overrides it", EXIT.badInput);
  }
  const dir = resolveDataDir(options.dataDir);
  noteDataDir(dir);
  chosen = { dir, source: dataDirSource(options.dataDir) };
  return dir;
}

/** How the data folder of this run was chosen, in words, for messages. */
export function dataDirChoice(): string {
  switch (chosen?.source) {
    case "flag":
      return "given with --data-dir";
    case "env":
      return "from SHELFWISE_DATA_DIR";
    default:
      return `the default ./shelfwise-data in the current folder (${process.cwd()})`;
  }
}

/** For commands that write: how long to wait for another writer on the same data folder. */
export const WAIT_OPTION = ["--wait <seconds>", "wait this long for another command writing to the data folder (default: config lock_wait_seconds, 5)"] as const;
