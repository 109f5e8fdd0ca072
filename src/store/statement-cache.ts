import type { Statement } from "better-sqlite3";
import type { Db } from "./database.js";

const caches = new WeakMap<Db, Map<string, Statement>>();

/** Prepared once per database: hot paths (one call per batch) skip SQLite's parse. */
export function statement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
