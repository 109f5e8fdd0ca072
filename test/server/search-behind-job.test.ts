/**
 * The search index refused at a job's end (the last, best-effort write, when the lock is let go): the scan's books are
 * committed, so the job is done, with a warning that the index is behind. Before, the job was marked failed.
 */
import Database from "better-sqlite3";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShelfService } from "../../src/server/service.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";

let home: TestHome;
let service: ShelfService;
beforeAll(async () => {
  home = createHome({ books: 2 });
  service = await ShelfService.open(home.dataDir, { autoRun: false });
  // The index's queue may not be emptied: the fold into the index fails as a full disk would make it fail.
  const db = new Database(path.join(home.dataDir, "shelfwise.db"));
  db.exec("CREATE TRIGGER refuse_fold BEFORE DELETE ON books_search_queue BEGIN SELECT RAISE(ABORT, 'index refused'); END;");
  db.close();
});
afterAll(async () => {
  await service.close();
  home.cleanup();
});

describe("the search index refused at a serve job's end", () => {
  it("leaves the scan done, its books saved, with a warning that the index is behind", async () => {
    service.startScan();
    await service.idle();
    const status = service.status();
    expect(status.last_job?.state, status.last_job?.message ?? "").toBe("done");
    expect(status.books_total).toBe(2);
    expect(status.activity.some((row) => row.level === "warn" && row.message.includes("the search index is behind: index refused"))).toBe(true);
  });
});
