/**
 * Opening the session of a command: the data folder must exist unless the
 * command sets a library up, and config.json's warnings are printed once.
 */
import fs from "node:fs";
import { openSession, type Session } from "../app/session.js";
import { EXIT } from "../app/exit-codes.js";
import { dataDirChoice } from "./command-options.js";
import { UserError } from "./errors.js";

let warned = false;

/** Fails, naming the folder looked in and how to choose one, when the data folder is missing and may not be created. */
export function requireDataFolder(dataDir: string, options: { create?: boolean } = {}): void {
  if (options.create || fs.existsSync(dataDir)) return;
  throw new UserError(
    `no shelfwise data folder at ${dataDir} (${dataDirChoice()}).\n` +
      "  Choose yours with --data-dir DIR (before or after the command) or SHELFWISE_DATA_DIR=DIR,\n" +
      "  or create one there with `shelfwise init [LIBRARY...]` or `shelfwise scan LIBRARY`.",
    EXIT.badInput,
  );
}

export function openCommandSession(dataDir: string, options: { create?: boolean } = {}): Session {
  requireDataFolder(dataDir, options);
  // create: false also in the session, so a folder removed meanwhile is not made again.
  const session = openSession(dataDir, { create: options.create ?? false });
  if (!warned) {
    warned = true;
    for (const warning of session.loaded.warnings) process.stderr.write(`warning: ${warning}\n`);
  }
  return session;
}
