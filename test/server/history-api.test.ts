/**
 * The history grows with every apply and undo, for ever: `/api/history` is
 * paged like `/api/plan` (limit, offset, total), and the moves "undo the last
 * apply" acts on come whole from the server, whichever page is shown.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { HistoryPage } from "../../src/server/routes/organize.js";
import { MoveJobView } from "../../src/server/schemas.js";
import { listBooks } from "../../src/store/books.js";
import { recordIntents, settleMoves, startBatch, type MoveIntent } from "../../src/store/moves.js";
import type { Db } from "../../src/store/database.js";
import { apiClient, closeApi, openApi } from "./inject.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { ok, bad } = apiClient(() => app);

/** Journals `count` apply moves of one book in a batch of their own, settled as `state`; returns their ids. */
function journal(db: Db, count: number, state: "done" | "failed"): number[] {
  const book = listBooks(db)[0]!;
  // To where it already is: a done move leaves the book as it was.
  const intent: MoveIntent = {
    kind: "apply", book_id: book.id, book_from: book.path, book_to: book.path, kind_from: book.kind, kind_to: book.kind,
    root_from: book.library_root, root_to: book.library_root, from_path: book.path, to_path: book.path, created_dir: null,
    fingerprint: book.fingerprint, undoes: null,
  };
  const ids = recordIntents(db, startBatch(db, "apply"), Array.from({ length: count }, () => intent));
  settleMoves(db, ids.map((id) => ({ id, state, error: state === "failed" ? "the disk said no" : null })));
  return ids;
}

let applied: number[];
let failed: number[];
beforeAll(async () => {
  home = createHome({ books: 1 });
  ({ service, app } = await openApi(home, { pages: false }));
  service.startScan();
  await service.idle();
  applied = journal(service.session.db, 3, "done");
  failed = journal(service.session.db, 600, "failed");
});

afterAll(() => closeApi({ app, service, home }));

describe("GET /api/history", () => {
  it("answers one page, newest first, with the total", async () => {
    const newest = [...failed].reverse();
    const first = await ok(HistoryPage, { method: "GET", url: "/api/history?limit=250" });
    expect(first.total).toBe(603);
    expect(first.offset).toBe(0);
    expect(first.entries.map((m) => m.move_id)).toEqual(newest.slice(0, 250));
    const last = await ok(HistoryPage, { method: "GET", url: "/api/history?limit=250&offset=500" });
    expect(last.entries.map((m) => m.move_id)).toEqual([...newest.slice(500), ...[...applied].reverse()]);
    expect(last.entries.at(-1)).toMatchObject({ kind: "apply", state: "done", undone_by: null });
    const past = await ok(HistoryPage, { method: "GET", url: "/api/history?offset=5000" });
    expect(past).toMatchObject({ entries: [], total: 603, offset: 5000 });
  });

  it("without a limit answers the newest 500 and says how many there are", async () => {
    const page = await ok(HistoryPage, { method: "GET", url: "/api/history" });
    expect(page.entries).toHaveLength(500);
    expect(page.total).toBe(603);
  });

  it("names the last apply's moves still to undo, though they are not on the page", async () => {
    const page = await ok(HistoryPage, { method: "GET", url: "/api/history?limit=10" });
    expect(page.entries.some((m) => applied.includes(m.move_id))).toBe(false);
    expect(page.last_apply).toEqual({ batch_id: expect.any(Number), moves: 3, move_ids: [...applied].reverse() });
  });

  it("names the last apply's moves a page at a time (the count whole): an apply of 100,000 books answered every id on every page", async () => {
    const page = await ok(HistoryPage, { method: "GET", url: "/api/history?limit=2" });
    expect(page.last_apply).toEqual({ batch_id: expect.any(Number), moves: 3, move_ids: [...applied].reverse().slice(0, 2) });
  });

  it("undoes the whole last apply by its batch_id (the history need not list its ids); a batch with nothing to undo is 404", async () => {
    const { last_apply } = await ok(HistoryPage, { method: "GET", url: "/api/history?limit=1" });
    const failedBatch = (await ok(HistoryPage, { method: "GET", url: "/api/history?limit=1" })).entries[0]!.batch_id;
    await bad({ method: "POST", url: "/api/undo", json: { batch_id: failedBatch } }, 404, new RegExp(`^apply ${failedBatch} has no move left to undo`));
    await bad({ method: "POST", url: "/api/undo", json: { batch_id: 0 } }, 400, /batch_id/);
    await ok(MoveJobView, { method: "POST", url: "/api/undo", json: { batch_id: last_apply!.batch_id } }, 202);
    await service.idle();
    const checked = service.status().last_job?.checked;
    // Every move of that apply was judged (each refused or moved back), not only the one id the page listed.
    expect((checked?.to_move ?? 0) + (checked?.refused ?? 0)).toBe(3);
  });

  it("refuses a bad page with a message", async () => {
    await bad({ method: "GET", url: "/api/history?limit=0" }, 400, /limit/);
    await bad({ method: "GET", url: "/api/history?limit=5001" }, 400, /limit/);
    await bad({ method: "GET", url: "/api/history?offset=-1" }, 400, /offset/);
    await bad({ method: "GET", url: "/api/history?page=2" }, 400, /page/);
  });
});
