/**
 * A run of 1,000 books: chunks of every size a run grows to (the smaller
 * runs of the other organize tests stay in one or two), each next chunk's
 * renames started as soon as the last one's had all succeeded, and the WAL
 * checkpointed beside the last chunk's renames. Once `apply` returns, every
 * book is moved and settled, and the database file itself holds most of the
 * run, read without its WAL.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import Database from "better-sqlite3";
import { applyMoves } from "../../src/organize/apply.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type TestLibrary } from "./library.js";

const BOOKS = 1000;
let tmp: string;
let t: TestLibrary;
beforeAll(async () => {
  tmp = makeTempDir("large-run");
  t = await openLibrary(
    tmp,
    Array.from({ length: BOOKS }, (_, i) => ({ at: `inbox/Book ${i}`, author: `Author ${i % 40}`, title: `Title ${i}`, files: ["01.mp3"] })),
  );
  t.ctx.db.pragma("wal_checkpoint(TRUNCATE)");
});
afterAll(() => {
  t?.close();
  removeTempDir(tmp);
});

it("moves 1,000 books, and the database file holds most of the run once apply returns", async () => {
  const report = await applyMoves(t.ctx);
  expect(report.moved).toHaveLength(BOOKS);
  expect(report.failed).toEqual([]);
  // A copy of the database file alone (no WAL beside it): what the checkpoint wrote into it.
  const copy = path.join(tmp, "copy.db");
  fs.copyFileSync(path.join(t.data, "shelfwise.db"), copy);
  const alone = new Database(copy, { readonly: true });
  const done = alone.prepare("SELECT count(*) AS n FROM moves WHERE state = 'done'").get() as { n: number };
  const moved = alone.prepare("SELECT count(*) AS n FROM books WHERE path NOT LIKE ?").get(`${t.lib}/inbox/%`) as { n: number };
  alone.close();
  // The last chunk's settling may still be in the WAL alone (left to the automatic checkpoint): most of the run is not.
  expect(done.n).toBeGreaterThan(BOOKS / 2);
  expect(moved.n).toBeGreaterThan(BOOKS / 2);
  // Emptied of its books, the inbox was removed.
  expect(fs.existsSync(path.join(t.lib, "inbox"))).toBe(false);
});
