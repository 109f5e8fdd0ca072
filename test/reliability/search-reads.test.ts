/**
 * A search is a read: it never writes the database. The trigram index is
 * brought up to date by the writers (the end of a job, a command's hold of
 * the data-folder lock, a migration); books whose text changed since are
 * searched as they are now. Before, the first search after a change folded
 * the queue into the index during the GET: behind a CLI writer's transaction
 * it blocked the server for SQLite's 5 s busy timeout and then failed, and on
 * a read-only database it failed at once.
 */
import Database from "better-sqlite3";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShelfService } from "../../src/server/service.js";
import * as S from "../../src/server/schemas.js";
import { queryBooks, syncBookSearch } from "../../src/store/book-queries.js";
import { tryAcquireDataLock } from "../../src/store/data-lock.js";
import { openDatabase } from "../../src/store/database.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { apiClient, closeApi, openApi } from "../server/inject.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { ok } = apiClient(() => app);

const dbFile = () => path.join(home.dataDir, "shelfwise.db");
const queued = (db: Database.Database) => (db.prepare("SELECT count(*) AS n FROM books_search_queue").get() as { n: number }).n;

beforeAll(async () => {
  home = createHome({ books: 3 });
  ({ service, app } = await openApi(home));
  service.startScan();
  await service.idle();
});

afterAll(() => closeApi({ app, service, home }));

describe("searching while another process writes", () => {
  it("a book renamed by another writer is found at once, while that writer holds the database; nothing is written", async () => {
    const other = new Database(dbFile());
    try {
      other.pragma("busy_timeout = 5000");
      expect(queued(other)).toBe(0);
      other.prepare("UPDATE books SET title = 'Zebra Crossing' WHERE id = 2").run();
      syncBookSearch(other);
      // Indexed as Zebra; now renamed again, and only queued.
      other.prepare("UPDATE books SET title = 'Yak Herding' WHERE id = 2").run();
      expect(queued(other)).toBe(1);
      // The other writer is mid-transaction (a `process` batch, an `apply` chunk): SQLite's write lock is taken.
      other.exec("BEGIN IMMEDIATE");
      const started = performance.now();
      const page = await ok(S.BookPage, { method: "GET", url: "/api/books?text=yak%20herd" });
      // Under SQLite's 5 s busy timeout, which a search that wrote would wait out (with room for a loaded machine:
      // 2.5 s was near a GET's time at a load of 40 on two cores).
      expect(performance.now() - started).toBeLessThan(4_500);
      expect(page.books.map((b) => b.id)).toEqual([2]);
      // The old text is not found through the index's stale entry.
      const old = await ok(S.BookPage, { method: "GET", url: "/api/books?text=zebra" });
      expect(old.books.map((b) => b.id)).toEqual([]);
      other.exec("ROLLBACK");
      expect(queued(other)).toBe(1);
    } finally {
      other.close();
    }
  });

  it("the writer folds the queue into the index when it lets go of the data-folder lock", async () => {
    const lock = tryAcquireDataLock(home.dataDir, "test writer")!;
    lock.release();
    const db = new Database(dbFile(), { readonly: true });
    try {
      expect(queued(db)).toBe(0);
    } finally {
      db.close();
    }
    const page = await ok(S.BookPage, { method: "GET", url: "/api/books?text=yak%20herd" });
    expect(page.books.map((b) => b.id)).toEqual([2]);
  });
});

describe("searching a read-only database", () => {
  it("answers from the index and the queue through a read-only handle", () => {
    const writer = openDatabase(dbFile());
    writer.prepare("UPDATE books SET author = 'Quokka Writer' WHERE id = 3").run();
    writer.close();
    const db = new Database(dbFile(), { readonly: true });
    try {
      expect(queued(db)).toBe(1);
      expect(queryBooks(db, { text: "quokka" }).rows.map((r) => r.id)).toEqual([3]);
      expect(queryBooks(db, { text: "yak herd" }).rows.map((r) => r.id)).toEqual([2]);
      expect(queryBooks(db, { text: "Author 1" }).rows.map((r) => r.id)).toEqual([1]);
    } finally {
      db.close();
    }
  });
});
