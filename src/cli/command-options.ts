import type { Command } from "commander";
import fs from "node:fs";
import path from "node:path";
import { terminalSafe } from "../domain/terminal-safe.js";
import { dataDirSource, resolveDataDir, type DataDirSource } from "../app/data-dir.js";
import { EXIT } from "../app/exit-codes.js";
import { noteDataDir, UserError } from "./errors.js";
import { UTF8_RENAME_COMMAND } from "../domain/utf8-rename.js";

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
  notTypedAsUtf8(dir, options.dataDir !== undefined ? "--data-dir" : "SHELFWISE_DATA_DIR");
  noteDataDir(dir);
  chosen = { dir, source: dataDirSource(options.dataDir) };
  return dir;
}

/**
 * Node reads the command line and the environment as UTF-8: a folder name with other bytes (`$'Dat\xe4'`,
 * Latin-1) arrives with U+FFFD in their place. `init` then made another folder, named with U+FFFD, and every
 * other command said there was no data folder where there is one. Refused (exit 2) unless the name, up to the
 * first U+FFFD, is there as typed (a name that holds U+FFFD itself, in UTF-8).
 */
function notTypedAsUtf8(dir: string, from: string): void {
  const at = dir.indexOf("\ufffd");
  if (at === -1) return;
  const end = dir.indexOf(path.sep, at);
  if (fs.existsSync(end === -1 ? dir : dir.slice(0, end))) return;
  throw new UserError(
    `the data folder ${terminalSafe(dir)} (${from}) cannot be used as typed: its name holds bytes that are not UTF-8 (shown as \ufffd), which shelfwise cannot read from its command line or environment: rename it to UTF-8 (\`${UTF8_RENAME_COMMAND}\` renames it and everything in it) or choose another (nothing was done)`,
    EXIT.badInput,
  );
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
