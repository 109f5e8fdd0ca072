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
import { planWithRows } from "../../src/organize/plan.js";
import type { PlanEntry } from "../../src/organize/types.js";
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

it("tells the proposed moves in slices as the plan renders them, and the check of every slice refuses a changed book", async () => {
  // apply starts each slice's file checks on worker threads as soon as it is told, beside the rest of the plan.
  const told: PlanEntry[][] = [];
  const { plan } = planWithRows(t.ctx, {}, true, (moves) => told.push([...moves]));
  expect(told.map((slice) => slice.length)).toEqual([512, BOOKS - 512]);
  expect(told.flat()).toEqual(plan.entries.filter((e) => e.action === "move"));
  // A book of the second slice whose files are not as scanned (one renamed away, then back: same names, sizes, mtimes).
  const book = told[1][100];
  const file = path.join(book.from, "01.mp3");
  fs.renameSync(file, `${file}.away`);
  try {
    const dry = await applyMoves(t.ctx, { dryRun: true });
    expect(dry.failed.map((f) => f.book_id)).toEqual([book.book_id]);
    expect(dry.failed[0].error).toContain("files changed since the last scan");
    expect(dry.moved).toHaveLength(BOOKS - 1);
  } finally {
    fs.renameSync(`${file}.away`, file);
  }
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
