/**
 * The Review page's progress section, in chromium: a real apply of 150 books shows how far it is
 * ("0 of N books", its progress bar), Stop ends it at its next chunk, and the page then says "stopped: N not
 * started"; every book is where the journal (the history) says: the moved ones at their new place, the others
 * where they were, none in between.
 *
 * The run is held still, so the page is seen mid-run on any machine: the moves' renames run on libuv's thread
 * pool (native/fs-batch.c), which the test fills with reads of FIFOs nobody writes, from the moment the plan is
 * made until Stop has reached the server. Those reads end (the FIFOs opened for writing) before anything is checked.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import type { FastifyInstance } from "fastify";
import { openDatabase } from "../../src/store/database.js";
import { listBooks } from "../../src/store/books.js";
import { CHROMIUM_MISSING, closeWebApp, openWebAppWithMoves, watchNotices, type Browser } from "./support.js";

const BOOKS = 150;
let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;

/** Fills libuv's thread pool with reads of FIFOs; `release` opens each for writing, ending them. */
function holdThreadPool(folder: string): { release: () => Promise<void> } {
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const fifos: string[] = [];
  const reads: Promise<void>[] = [];
  for (let i = 0; i < threads; i++) {
    const fifo = path.join(folder, `hold-${i}`);
    execFileSync("mkfifo", [fifo]);
    fifos.push(fifo);
    reads.push(fs.promises.open(fifo, "r").then((handle) => handle.close()));
  }
  return {
    async release() {
      const writers: number[] = [];
      for (const fifo of fifos) {
        // A reader is waiting in open() (the pool's thread took it): the writer's open pairs with it at once.
        // Not yet (a pool larger than thought): tried again until it is.
        for (;;) {
          try {
            writers.push(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
            break;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "ENXIO") throw error;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
      }
      await Promise.all(reads);
      for (const fd of writers) fs.closeSync(fd);
    },
  };
}

describe.skipIf(CHROMIUM_MISSING)("the Review page's Stop during a real apply, in chromium", () => {
  beforeAll(async () => {
    ({ home, service, app, base, browser, page } = await openWebAppWithMoves(BOOKS));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("shows the run's progress, stops it at its next chunk, says how many were not started; every book where the journal says", async () => {
    // Held once the plan is made ("0 of 150 books"): the first chunk's renames wait for the pool.
    let held: ReturnType<typeof holdThreadPool> | null = null;
    const progress = service.progress.bind(service);
    service.progress = (job, done, pending) => {
      if (held === null && job.kind === "apply" && done === 0 && pending > 0) held = holdThreadPool(home.root);
      progress(job, done, pending);
    };
    let stopped!: () => void;
    const stopReached = new Promise<void>((resolve) => (stopped = resolve));
    const stop = service.stop.bind(service);
    service.stop = () => {
      const was = stop();
      stopped();
      return was;
    };
    try {
      await page.goto(`${base}/#/review`);
      await page.getByRole("button", { name: "Select all" }).click();
      await page.getByRole("button", { name: `Apply ${BOOKS} moves…` }).click();
      await page.getByRole("group", { name: `Confirm applying ${BOOKS} moves` }).getByRole("button", { name: `Move ${BOOKS}` }).click();
      const running = page.locator("section[data-running=apply]");
      // Drawn, not live (a screen reader heard every number): the header's announcer says each quarter.
      await running.locator("[data-progress]").getByText(`0 of ${BOOKS} books`).waitFor();
      await running.getByRole("progressbar", { name: "Moving books: progress" }).waitFor();
      await running.getByRole("button", { name: "Stop" }).click();
      await stopReached;
    } finally {
      await (held as ReturnType<typeof holdThreadPool> | null)?.release();
      service.progress = progress;
      service.stop = stop;
    }
    await service.idle();
    const inbox = fs.readdirSync(path.join(home.library, "inbox"));
    const moved = fs.readdirSync(path.join(home.library, "Jules Verne"));
    // The first chunk was under way when Stop came: it is finished, the rest not started.
    expect(moved.length).toBeGreaterThan(0);
    expect(inbox.length).toBeGreaterThan(0);
    expect(moved.length + inbox.length).toBe(BOOKS);
    const said = page.locator("[data-last-job=stopped]");
    await said.getByText(`moved ${moved.length}, failed 0, held 0; stopped: ${inbox.length} not started, where they were`).waitFor();
    // The keyboard, on Stop when it was pressed, is on what says how the run ended, not on the page's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-last-job") ?? document.activeElement?.tagName)).toBe("stopped");
    await expect.poll(() => page.locator("section[data-running]").count()).toBe(0);

    // The journal as the history gives it: every move done, each book at its `to`; the others at their old place.
    const history = (await (await fetch(`${base}/api/history?limit=5000`)).json()) as { total: number; entries: { book_id: number; from: string; to: string; state: string; kind: string }[] };
    // The chunk journaled after the one in flight was never started: settled as rolled back, its books where they were.
    const done = history.entries.filter((m) => m.state === "done");
    expect(done.length).toBe(moved.length);
    expect(history.entries.every((m) => m.kind === "apply" && (m.state === "done" || m.state === "rolled_back"))).toBe(true);
    const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
    try {
      const journaled = new Map(done.map((m) => [m.book_id, m]));
      const books = listBooks(db);
      expect(books).toHaveLength(BOOKS);
      for (const book of books) {
        const move = journaled.get(book.id);
        expect(book.path).toBe(move ? move.to : path.join(home.library, "inbox", path.basename(book.path)));
        expect(fs.existsSync(path.join(book.path, "01.mp3")), book.path).toBe(true);
        if (move) expect(fs.existsSync(move.from), move.from).toBe(false);
      }
    } finally {
      db.close();
    }
    // The page's history lists the journal (100 a page), the moves made as done.
    await expect.poll(() => page.locator("table.history tr[data-move]").count()).toBe(Math.min(history.total, 100));
  });

  it("when the checks hold every selected book, says nothing moves and why, not \"planning…\" or \"moving N books…\"", async () => {
    await page.goto(`${base}/#/review`);
    await page.getByRole("button", { name: "Select all" }).click();
    const inbox = fs.readdirSync(path.join(home.library, "inbox")).filter((name) => name.startsWith("Book "));
    expect(inbox.length).toBeGreaterThan(0);
    const apply = page.getByRole("button", { name: `Apply ${inbox.length} move${inbox.length === 1 ? "" : "s"}…` });
    await apply.waitFor();
    // Files put in every selected folder after the page was planned: apply's checks hold each book back.
    const added = inbox.map((name) => path.join(home.library, "inbox", name, "02.mp3"));
    for (const file of added) fs.copyFileSync(path.join(path.dirname(file), "01.mp3"), file);
    try {
      await apply.click();
      const notices = await watchNotices(page);
      await page.locator("[data-confirm]").getByRole("button", { name: `Move ${inbox.length}`, exact: true }).click();
      await notices.shown(`apply started: checking ${inbox.length} selected book`, { kind: "ok", role: "status" });
      const said = page.locator("[data-last-job=done]");
      await said.getByText(`nothing to move: ${inbox.length} held`).waitFor();
      expect(await page.getByText(/moving \d+ books?…/).count()).toBe(0);
      // "see why" takes the keyboard to the held books, each with its reason.
      await page.locator("[data-held=added_since_scan]").first().waitFor();
      await said.getByRole("button", { name: "see why" }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("held-back");
      expect(fs.readdirSync(path.join(home.library, "inbox")).filter((name) => name.startsWith("Book "))).toEqual(inbox);
      // The dashboard reports the held books too, and leads to their reasons: the last apply's, whatever the plan's filters.
      await page.goto(`${base}/#/`);
      const why = page.locator("main a[data-see-why]");
      await why.waitFor();
      expect(await why.textContent()).toBe(`see why ${inbox.length === 1 ? "one was" : `${inbox.length} were`} held`);
      await why.click();
      await page.waitForURL(/#\/review\?why=held$/);
      const byApply = page.locator("#last-held + ul [data-held=added_since_scan]");
      await expect.poll(() => byApply.count()).toBe(Math.min(inbox.length, 100));
      expect(await byApply.first().textContent()).toMatch(/added|scan/);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toMatch(/^(held-back|last-held)$/);
    } finally {
      for (const file of added) fs.rmSync(file, { force: true });
    }
  });

  it("an undo from the web app says, while it runs, how many it moves back and why it refuses the others, in the CLI's words", async () => {
    const history = (await (await fetch(`${base}/api/history?limit=5000`)).json()) as { entries: { move_id: number; from: string; state: string; kind: string; undone_by: number | null }[] };
    const [taken, free] = history.entries.filter((m) => m.kind === "apply" && m.state === "done" && m.undone_by === null);
    expect(free).toBeDefined();
    // The old place of one taken since: refused, the other moves back.
    fs.mkdirSync(taken!.from);
    let held: ReturnType<typeof holdThreadPool> | null = null;
    const progress = service.progress.bind(service);
    service.progress = (job, done, pending) => {
      // FIFOs of their own: the first test's are still there.
      if (held === null && job.kind === "undo" && done === 0 && pending > 0) held = holdThreadPool(fs.mkdtempSync(path.join(home.root, "hold-undo-")));
      progress(job, done, pending);
    };
    try {
      await page.goto(`${base}/#/review`);
      await page.locator("main h1").first().waitFor();
      const started = await page.evaluate(
        async (ids) => (await fetch("/api/undo", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) })).status,
        [taken!.move_id, free!.move_id],
      );
      expect(started).toBe(202);
      const running = page.locator("section[data-running=undo]");
      await running.locator("[data-undo-checked]").getByText("0 of 1 book (1 refused)").waitFor().catch(async (e) => {
        throw new Error(`${(e as Error).message}\n${await page.locator("main").innerHTML()}\n${JSON.stringify(service.status().job)}`);
      });
      const refusal = running.locator("[data-undo-refusals] li");
      expect(await refusal.count()).toBe(1);
      expect(await refusal.textContent()).toContain(`undo of move #${taken!.move_id}: the old place ${taken!.from} is taken; move that away first`);
    } finally {
      await (held as ReturnType<typeof holdThreadPool> | null)?.release();
      service.progress = progress;
    }
    await service.idle();
    expect(service.status().last_job).toMatchObject({ kind: "undo", message: "moved back 1, failed 0, refused 1" });
    fs.rmSync(taken!.from, { recursive: true, force: true });
  });
});
