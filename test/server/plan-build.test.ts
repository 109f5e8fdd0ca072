/**
 * The Review page's plan is built in slices on a connection of its own, so the
 * server keeps answering while a large library is planned: checked by the
 * order things happen in (another request answered while the build is still
 * under way), not by timing. One library of 3,000 book folders (rows written
 * directly, folders real, so every book is a proposed move) for the file.
 */
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { openDatabase } from "../../src/store/database.js";
import { buildPlan } from "../../src/organize/index.js";
import { ApplyReportPage, PlanPage } from "../../src/server/routes/organize.js";
import * as S from "../../src/server/schemas.js";
import { apiClient, closeApi, openApi } from "./inject.js";

const BOOKS = 3000;

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { call, ok } = apiClient(() => app);

beforeAll(async () => {
  home = createHome({ books: 0 });
  const inbox = path.join(home.library, "inbox");
  const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
  const now = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, author, title, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', ?, 'identified', ?, ?, 90, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < BOOKS; i++) {
      const folder = path.join(inbox, `book ${i}`);
      fs.mkdirSync(folder, { recursive: true });
      insert.run(folder, home.library, `Author ${i % 50}`, `Title ${i}`, String(i), JSON.stringify([{ path: `${folder}/01.mp3`, size: 1 }]), now, now, now);
    }
  })();
  db.close();
  ({ service, app } = await openApi(home, { pages: false }));
});

afterAll(() => closeApi({ app, service, home }));

describe("the plan is built in slices", () => {
  it("another request is answered while the plan is being built, and the plan is the one buildPlan makes", async () => {
    // Slices of ~1 ms: the build gives the event loop back many times (3,000 books take ~100 ms), so the
    // answer below does not depend on how many turns of the loop a request takes.
    service.plans.sliceMs = 1;
    const started = once(service.plans, "start");
    const planned = call({ method: "GET", url: "/api/plan?status=identified&limit=5" });
    await started;
    const books = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=1" });
    expect(books.total).toBe(BOOKS);
    // Answered before the plan was done: built in one piece, the build held it until the end.
    expect(service.plans.building).toBe(1);
    const response = await planned;
    expect(response.statusCode, response.body).toBe(200);
    const page = PlanPage.parse(response.json());
    const whole = buildPlan({ db: service.session.db, config: service.session.config, dataDir: service.dataDir }, { statuses: ["identified"] });
    expect(page.counts).toEqual({ move: BOOKS, ok: 0, held: 0 });
    expect(page.counts).toEqual(whole.counts);
    expect(page.entries).toEqual(whole.entries.slice(0, 5));
  });

  it("requests for the plan being built share its build; a write during a build has it built again, and it shows the write", async () => {
    const builds = service.plans.builds;
    // Kept from the test before (nothing written since): no build.
    const first = (await ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&limit=1" })).entries[0]!.book_id;
    expect(service.plans.builds).toBe(builds);
    // A lock is a write: asked for three times at once, the plan is built once.
    await ok(S.Ok, { method: "POST", url: `/api/books/${first}/lock`, json: { locked: true } });
    const pages = await Promise.all([1, 2, 3].map(() => ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&limit=1" })));
    expect(new Set(pages.map((p) => JSON.stringify(p))).size).toBe(1);
    expect(pages[0]!.entries[0]!.book_id).not.toBe(first);
    expect(service.plans.builds).toBe(builds + 1);
    // A write while a build runs (of other filters, not kept yet): that plan mixes before and after, so it is
    // built again, and the answer has the write.
    const started = once(service.plans, "start");
    const planned = ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&min_confidence=1" });
    await started;
    await ok(S.Ok, { method: "POST", url: `/api/books/${first}/lock`, json: { locked: false } });
    const after = await planned;
    expect(after.entries.some((e) => e.book_id === first)).toBe(true);
    expect(service.plans.builds).toBe(builds + 3);
  });

  it("apply of every proposal is planned in slices too: its dry run and its job let other requests through", async () => {
    service.plans.sliceMs = 1;
    // The dry run plans on the request path: the book list, asked again and again meanwhile, is answered
    // many times before it is done (planned in one piece, once at most: the one asked before it began).
    let done = false;
    const dry = call({ method: "POST", url: "/api/apply", json: { dry_run: true } }).finally(() => (done = true));
    let meanwhile = 0;
    while (!done) {
      await ok(S.BookPage, { method: "GET", url: "/api/books?limit=1" });
      if (!done) meanwhile++;
      // A turn of the event loop for the apply: an injected request is answered without one.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const answered = await dry;
    expect(answered.statusCode, answered.body).toBe(200);
    const report = ApplyReportPage.parse(answered.json());
    expect(report.counts.moved + report.counts.failed).toBe(BOOKS);
    expect(meanwhile).toBeGreaterThanOrEqual(3);
    // Slices of no length: every place the dry run may pause, it does. Its check of each proposal (the files, the
    // permissions, each refusal's words) pauses between books, as the real apply's does: counted in turns of the
    // event loop, not timed (checked in one piece, the dry run had far fewer turns than books, and held 20,000 books' ~0.3 s).
    service.plans.sliceMs = 0;
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const again = await ok(ApplyReportPage, { method: "POST", url: "/api/apply", json: { dry_run: true } });
    counting = false;
    expect(again).toEqual({ ...report, report_id: again.report_id });
    expect(turns).toBeGreaterThanOrEqual(BOOKS);
    service.plans.sliceMs = 1;
    // The real one plans in its job: the status asked once it has started still finds it planning (nothing
    // counted yet); planned in one piece, the plan was done (every move counted) before any request was read.
    await ok(S.JobView, { method: "POST", url: "/api/apply", json: {} }, 202);
    const during = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(during.job).toMatchObject({ kind: "apply", state: "running", pending: 0 });
    await service.idle();
    const after = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(after.last_job).toMatchObject({ label: "apply", state: "done" });
    // Every book's files differ from its rows (none was written): each fails its check, nothing is moved.
    expect(after.last_job?.message).toBe(`moved 0, failed ${BOOKS}, held 0`);
  });
});
