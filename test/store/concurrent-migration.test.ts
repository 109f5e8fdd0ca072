/**
 * Two commands opening a database of an older shelfwise at the same moment
 * (readers migrate too, and take no data-folder lock): the schema is brought
 * up once, and its version never goes back. Before, the second command
 * started from the version it had read before the first one migrated, ran
 * steps again (an index rebuilt, a queue refilled: they succeed twice) and
 * wrote their older version numbers over the newer schema, until a step
 * that cannot run twice failed; from then on every command failed on that
 * database ("table moves_v11 has 22 columns but 23 values were supplied").
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { registerFold } from "../../src/store/book-queries.js";
import { runCli, spawnCli } from "../support/cli.js";
import { requireBuilt } from "../support/plugin-fixtures.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;
/** Before migration 9: every later step but 11 and 12 can run twice without an error. */
const OLD = 8;

let tmp: string;
beforeAll(() => {
  requireBuilt();
  tmp = makeTempDir("concurrent-migration");
});
afterAll(() => removeTempDir(tmp));

/** A data folder whose database an older shelfwise wrote (schema `OLD`), with one book. */
function oldDataFolder(name: string): { dataDir: string; file: string } {
  const dataDir = path.join(tmp, name);
  fs.mkdirSync(dataDir);
  const file = path.join(dataDir, "shelfwise.db");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  for (const migration of MIGRATIONS.filter((m) => m.version <= OLD)) {
    db.exec(migration.sql);
    db.pragma(`user_version = ${migration.version}`);
  }
  db.prepare(
    `INSERT INTO books (path, kind, library_root, fingerprint, created_at, updated_at, scanned_at)
     VALUES ('/lib/Author/Title', 'folder', '/lib', 'fp', 't', 't', 't')`,
  ).run();
  db.close();
  return { dataDir, file };
}

/**
 * Resolves once the process sleeps in SQLite's busy handler with the
 * database open: it has read the schema version and waits for the write lock.
 * Null where /proc does not tell (the test is then skipped).
 */
async function waitingForWriteLock(pid: number, file: string): Promise<boolean | null> {
  const wchan = `/proc/${pid}/wchan`;
  if (!fs.existsSync(wchan)) return null;
  for (;;) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      return false; // gone
    }
    // A descriptor closed between the listing and its readlink is no failure: the process is busy opening files.
    const open = fds.some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `${file}-shm`;
      } catch {
        return false;
      }
    });
    let sleeping = false;
    try {
      sleeping = /nanosleep/.test(fs.readFileSync(wchan, "utf8"));
    } catch {
      return false; // gone
    }
    if (open && sleeping) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("a database of an older shelfwise opened by two commands at once", () => {
  it("is migrated once: the second command finds it up to date, and the version never goes back", async (ctx) => {
    const { dataDir, file } = oldDataFolder("data");
    // The first command: it holds the write lock, has migrated, and has not committed yet.
    const first = new Database(file);
    first.pragma("busy_timeout = 5000");
    // As openDatabase does: later steps index books on the search's fold.
    registerFold(first);
    first.exec("BEGIN IMMEDIATE");
    for (const migration of MIGRATIONS.filter((m) => m.version > OLD)) {
      first.exec(migration.sql);
      first.pragma(`user_version = ${migration.version}`);
    }
    // The second: a reader, which read the old version and now waits for the lock.
    const second = spawnCli(["books", "--json"], { dataDir });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    second.stdout!.on("data", (chunk: Buffer) => out.push(chunk));
    second.stderr!.on("data", (chunk: Buffer) => err.push(chunk));
    const closed = new Promise<number | null>((resolve) => second.once("close", resolve));
    const waiting = await waitingForWriteLock(second.pid!, file);
    if (waiting === null) {
      first.exec("ROLLBACK");
      first.close();
      second.kill("SIGKILL");
      await closed;
      return ctx.skip();
    }
    expect(waiting, Buffer.concat(err).toString()).toBe(true);
    first.exec("COMMIT");
    first.close();

    const code = await closed;
    expect(Buffer.concat(err).toString()).toBe("");
    expect(code).toBe(0);
    expect((JSON.parse(Buffer.concat(out).toString()) as { path: string }[]).map((b) => b.path)).toEqual(["/lib/Author/Title"]);
    const check = new Database(file, { readonly: true });
    registerFold(check);
    try {
      expect(check.pragma("user_version", { simple: true })).toBe(LATEST);
      expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      check.close();
    }
    // And the database stays usable.
    const again = await runCli(["books"], { dataDir });
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
  });

  it("four commands opening it together all work, and leave it at the latest version", async () => {
    const { dataDir, file } = oldDataFolder("four");
    const runs = await Promise.all([1, 2, 3, 4].map(() => runCli(["books"], { dataDir })));
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    const check = new Database(file, { readonly: true });
    try {
      expect(check.pragma("user_version", { simple: true })).toBe(LATEST);
    } finally {
      check.close();
    }
  });
});
