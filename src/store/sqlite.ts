/**
 * Every SQLite connection shelfwise opens (the database, the data-folder
 * lock) is made here, with better-sqlite3's compiled addon loaded by its path.
 * Left to itself, better-sqlite3 finds the addon through the `bindings`
 * package, which walks a list of candidate folders and parses a stack trace
 * to find its own package: several milliseconds at every start of a command,
 * which is most of what a command does. The CLI bundle also carries
 * better-sqlite3's JavaScript (scripts/build-cli.mjs), so only the addon is
 * loaded from node_modules.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import { createRequire } from "node:module";

let addon: string | null | undefined;

/** The addon's path where `npm install` builds it; undefined (better-sqlite3 then searches as usual) where it is not. */
function nativeBinding(): string | undefined {
  if (addon === undefined) {
    addon = null;
    try {
      const file = createRequire(import.meta.url).resolve("better-sqlite3/build/Release/better_sqlite3.node");
      if (fs.existsSync(file)) addon = file;
    } catch {
      // A build elsewhere (Debug, a prebuilt layout): better-sqlite3's own search finds it.
    }
  }
  return addon ?? undefined;
}

export function openSqlite(file: string, options: { readonly?: boolean } = {}): Database.Database {
  const binding = nativeBinding();
  const readonly = options.readonly ? { readonly: true, fileMustExist: true } : {};
  return binding ? new Database(file, { nativeBinding: binding, ...readonly }) : new Database(file, readonly);
}
