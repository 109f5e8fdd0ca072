/**
 * The Review and correction API through fastify's injection, against a real
 * data folder and library: plan, dry run, apply and undo as jobs (files really
 * move and come back), the history, corrections under the lock, and moves a
 * crash interrupted shown on the dashboard after the server opens.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import * as S from "../../src/server/schemas.js";
import { apiClient } from "./inject.js";
import { runCliJson } from "../support/cli.js";
import { runCliInProcessJson } from "../support/cli-in-process.js";
import { ApplyReportView, PlanView } from "../../src/app/views/index.js";
import { ApplyReportPage, HistoryPage, LastReport, PlanPage, RecoveredList, UndoReportPage } from "../../src/server/routes/organize.js";
import { getBook } from "../../src/store/books.js";
import { applyMoves, setBookLocked, undoMoves } from "../../src/organize/index.js";
import { recordIntents, startBatch } from "../../src/store/moves.js";


let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;

const { call, ok, bad } = apiClient(() => app);

async function open(): Promise<void> {
  service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
  app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
}

beforeAll(async () => {
  home = createHome({ books: 0 });
  // Messy folders whose tags say who wrote what: each gets a proposal.
  for (let i = 1; i <= 3; i++) {
    const folder = path.join(home.library, `messy ${i}`);
    fs.mkdirSync(folder, { recursive: true });
    writeMp3(path.join(folder, "01.mp3"), { artist: `Writer ${i}`, album: `Book ${i}`, title: "Chapter 1", track: "1" });
  }
  // Something already at the place book 3 is proposed for: held back, never overwritten.
  fs.mkdirSync(path.join(home.library, "Writer 3", "messy 3"), { recursive: true });
  fs.writeFileSync(path.join(home.library, "Writer 3", "messy 3", "notes.txt"), "mine");
  home.writeConfig({ confidence_threshold: 10 });
  await open();
  service.startScan();
  await service.idle();
  service.startProcess({});
  await service.idle();
});

afterAll(async () => {
  await app?.close();
  await service?.close();
  home?.cleanup();
});

async function planned(): Promise<z.infer<typeof PlanView>["entries"]> {
  const plan = await ok(PlanView, { method: "GET", url: "/api/plan?status=identified" });
  return plan.entries;
}

describe("plan, apply and undo", () => {
  it("the plan shows old and new path and what changes; filters are validated", async () => {
    const entries = await planned();
    const moves = entries.filter((e) => e.action === "move");
    expect(moves).toHaveLength(2);
    const held = entries.filter((e) => e.action === "held");
    expect(held).toEqual([expect.objectContaining({ from: path.join(home.library, "messy 3"), conflict: expect.objectContaining({ kind: "target_exists", reason: expect.any(String) }) })]);
    const first = moves.find((e) => e.from.endsWith("messy 1"))!;
    expect(first.to!.startsWith(path.join(home.library, "Writer 1") + path.sep)).toBe(true);
    expect(first.changes.map((c) => c.field)).toEqual(expect.arrayContaining(["author"]));
    const none = await ok(PlanView, { method: "GET", url: "/api/plan?min_confidence=100" });
    expect(none.entries.every((e) => e.confidence >= 100)).toBe(true);
    await bad({ method: "GET", url: "/api/plan?min_confidence=abc" }, 400, /query\.min_confidence/);
    await bad({ method: "GET", url: "/api/plan?status=missing" }, 400, /query\.status/);
  });

  it("the plan is filtered by action and paged for the review page (counts stay the whole plan's)", async () => {
    const whole = await planned();
    const proposals = whole.filter((e) => e.action !== "ok");
    const first = await ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&action=move,held&limit=2" });
    expect(first.total).toBe(proposals.length);
    expect(first.entries).toEqual(proposals.slice(0, 2));
    const rest = await ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&action=move,held&limit=2&offset=2" });
    expect(rest.entries).toEqual(proposals.slice(2, 4));
    expect(rest.counts).toEqual(first.counts);
    await bad({ method: "GET", url: "/api/plan?action=moved" }, 400, /query\.action/);
    await bad({ method: "GET", url: "/api/plan?limit=0" }, 400, /query\.limit/);
  });

  it("the pages and action filters of one plan build it once; any write (this server's or another process's) and a config reload build it again", async () => {
    const page = (query: string) => ok(PlanPage, { method: "GET", url: `/api/plan?status=identified&action=move,held${query}` });
    // Whatever an earlier request left kept is built again after this write.
    const id = (await ok(S.BookPage, { method: "GET", url: "/api/books?text=messy%201" })).books.find((b) => b.path.endsWith("messy 1"))!.id;
    await ok(S.Ok, { method: "POST", url: `/api/books/${id}/lock`, json: { locked: false } });
    const builds = service.plans.builds;
    const first = await page("&limit=1");
    await page("&limit=1&offset=1");
    await ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&action=move&limit=5" });
    expect(service.plans.builds).toBe(builds + 1);
    // Other filters are another plan (conflicts depend on what else is planned).
    await ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&min_confidence=1" });
    expect(service.plans.builds).toBe(builds + 2);
    // This server's write: the locked book leaves the plan at once.
    await ok(S.Ok, { method: "POST", url: `/api/books/${id}/lock`, json: { locked: true } });
    expect((await page("&limit=50")).entries.some((e) => e.book_id === id)).toBe(false);
    expect(service.plans.builds).toBe(builds + 3);
    // Another process's write (the CLI's own connection): seen as well.
    await runCliJson(["book", String(id), "--unlock"], { dataDir: home.dataDir });
    expect((await page("&limit=50")).entries.some((e) => e.book_id === id)).toBe(true);
    expect(service.plans.builds).toBe(builds + 4);
    // A configuration reload (a settings save) plans with the new one.
    service.reloadConfig();
    expect((await page("&limit=1")).entries).toEqual(first.entries);
    expect(service.plans.builds).toBe(builds + 5);
  });

  it("plan and apply take the status list `plan --status` takes, with the CLI's results and refusals", async () => {
    const list = "identified,needs_attention";
    // Book 1 needs attention now: a list that names both statuses plans it beside the identified ones.
    const db = service.session.db;
    const attention = (await planned()).find((e) => e.from.endsWith("messy 2"))!.book_id;
    db.prepare("UPDATE books SET status = 'needs_attention' WHERE id = ?").run(attention);
    try {
      const api = await ok(PlanPage, { method: "GET", url: `/api/plan?status=${list}` });
      const cli = await runCliInProcessJson<z.infer<typeof PlanView>>(["plan", "--status", list], { dataDir: home.dataDir });
      expect(api.entries).toEqual(cli.entries);
      expect(api.counts).toEqual(cli.counts);
      expect(api.entries.map((e) => e.book_id)).toContain(attention);
      expect((await planned()).map((e) => e.book_id)).not.toContain(attention);
      const dry = await ok(ApplyReportView, { method: "POST", url: "/api/apply", json: { status: list, dry_run: true } });
      expect(dry.moved.map((m) => m.book_id).sort()).toEqual(api.entries.filter((e) => e.action === "move").map((e) => e.book_id).sort());
    } finally {
      db.prepare("UPDATE books SET status = 'identified' WHERE id = ?").run(attention);
    }
    // Refused as `books --status` refuses, naming the bad item.
    await bad({ method: "GET", url: "/api/plan?status=missing" }, 400, /query\.status: unknown status "missing" for a plan; use one of: identified, needs_attention, new, pending/);
    await bad({ method: "GET", url: "/api/plan?status=identified,,new" }, 400, /query\.status: an empty item in "identified,,new"/);
    await bad({ method: "POST", url: "/api/apply", json: { status: "identified,bogus", dry_run: true } }, 400, /body\.status: unknown status "bogus" for a plan/);
    // Given books are applied whatever their status: a status beside them would be ignored without a word (as `apply ID --status`).
    await bad({ method: "POST", url: "/api/apply", json: { ids: [1], status: "identified", dry_run: true } }, 400, /body\.status: .*give ids or status, not both/);
  });

  it("a dry run reports and touches nothing; bad requests get a message", async () => {
    const first = (await planned()).find((e) => e.from.endsWith("messy 1"))!;
    const dry = await ok(ApplyReportView, { method: "POST", url: "/api/apply", json: { ids: [first.book_id], dry_run: true } });
    expect(dry).toMatchObject({ dry_run: true, batch_id: null });
    expect(dry.moved.map((m) => m.book_id)).toEqual([first.book_id]);
    expect(fs.existsSync(first.from)).toBe(true);
    expect(fs.existsSync(first.to!)).toBe(false);
    // The Review page sends the target it showed: a proposal that is another now (a correction, another tab's apply)
    // is not moved where the user never saw it go, in a dry run or a real apply.
    const shown = (to: string) => ({ ids: [first.book_id], shown_targets: [{ book_id: first.book_id, to }] });
    const same = await ok(ApplyReportView, { method: "POST", url: "/api/apply", json: { ...shown(first.to!), dry_run: true } });
    expect(same.moved.map((m) => m.book_id)).toEqual([first.book_id]);
    const stale = await ok(ApplyReportView, { method: "POST", url: "/api/apply", json: { ...shown(`${first.to} (before)`), dry_run: true } });
    expect(stale.moved).toEqual([]);
    expect(stale.failed).toEqual([expect.objectContaining({ book_id: first.book_id, error: expect.stringMatching(/proposal changed since it was shown \(it would now go to .*, not .* \(before\)\)/) })]);
    await ok(S.JobView, { method: "POST", url: "/api/apply", json: shown(`${first.to} (before)`) }, 202);
    await service.idle();
    expect(service.status().last_job).toMatchObject({ kind: "apply", state: "done", message: "moved 0, failed 1, held 0" });
    expect(fs.existsSync(first.from)).toBe(true);
    await bad({ method: "POST", url: "/api/apply", json: { ids: [] } }, 400, /select at least one/);
    await bad({ method: "POST", url: "/api/apply", json: { ids: ["x"] } }, 400, /body\.ids\.0/);
    await bad({ method: "POST", url: "/api/apply", json: { everything: true } }, 400, /Unrecognized key/);
    await bad({ method: "POST", url: "/api/apply", json: { ids: [first.book_id] }, headers: { origin: "http://evil.example" } }, 403, /cross-site/);
    expect(fs.existsSync(first.from)).toBe(true);
  });

  it("apply moves the selected book as a job; undo from the history moves it back", async () => {
    const first = (await planned()).find((e) => e.from.endsWith("messy 1"))!;
    const job = await ok(S.JobView, { method: "POST", url: "/api/apply", json: { ids: [first.book_id] } }, 202);
    expect(job).toMatchObject({ kind: "apply", state: "running" });
    await service.idle();
    expect(service.status().last_job).toMatchObject({ kind: "apply", state: "done", message: "moved 1, failed 0, held 0" });
    expect(fs.existsSync(path.join(first.to!, "01.mp3"))).toBe(true);
    expect(fs.existsSync(first.from)).toBe(false);
    expect(getBook(service.session.db, first.book_id)!.path).toBe(first.to);
    // Only the selected book moved.
    expect(fs.existsSync(path.join(home.library, "messy 2"))).toBe(true);

    const last = await ok(LastReport, { method: "GET", url: "/api/moves/last" });
    expect(last.apply?.moved).toHaveLength(1);
    const history = (await ok(HistoryPage, { method: "GET", url: "/api/history" })).entries;
    const move = history.find((m) => m.book_id === first.book_id && m.kind === "apply")!;
    expect(move).toMatchObject({ state: "done", undone_by: null, from: first.from, to: first.to });

    await bad({ method: "POST", url: "/api/undo", json: {} }, 400, /give ids or last/);
    await bad({ method: "POST", url: "/api/undo", json: { ids: [0] } }, 400, /body\.ids\.0/);
    await bad({ method: "POST", url: "/api/undo", json: { last: 1 }, headers: { "sec-fetch-site": "cross-site" } }, 403, /cross-site/);
    await ok(S.JobView, { method: "POST", url: "/api/undo", json: { ids: [move.move_id] } }, 202);
    await service.idle();
    expect(service.status().last_job).toMatchObject({ kind: "undo", state: "done", message: "moved back 1, failed 0, refused 0" });
    expect(fs.existsSync(path.join(first.from, "01.mp3"))).toBe(true);
    expect(fs.existsSync(first.to!)).toBe(false);
    const after = (await ok(HistoryPage, { method: "GET", url: "/api/history" })).entries;
    expect(after.find((m) => m.move_id === move.move_id)!.undone_by).not.toBeNull();
    // An undo of an undone move is refused with the reason, in the last report.
    await ok(S.JobView, { method: "POST", url: "/api/undo", json: { ids: [move.move_id] } }, 202);
    await service.idle();
    const report = await ok(LastReport, { method: "GET", url: "/api/moves/last" });
    expect(report.undo?.refused[0]).toMatchObject({ move_id: move.move_id, reason: expect.stringMatching(/undone/) });
  });

  it("reports come a page at a time: the first says the counts by outcome, the next come by report_id; a stale report_id is refused", async () => {
    // A report of 20,000 books sent whole was ~7 MB, its serialisation held the event loop and the page parsed it all.
    const whole = await ok(ApplyReportPage, { method: "POST", url: "/api/apply", json: { dry_run: true, limit: 5000 } });
    const all = [...whole.failed, ...whole.moved, ...whole.held];
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(whole).toMatchObject({ total: all.length, offset: 0, next_offset: null, counts: { moved: whole.moved.length, failed: whole.failed.length, held: whole.held.length, left_behind: 0 } });
    const first = await ok(ApplyReportPage, { method: "POST", url: "/api/apply", json: { dry_run: true, limit: 1 } });
    expect(first).toMatchObject({ counts: whole.counts, total: whole.total, next_offset: 1, ok: whole.ok, locked: whole.locked });
    const paged = [...first.failed, ...first.moved, ...first.held];
    expect(paged).toHaveLength(1);
    for (let offset = first.next_offset; offset !== null; ) {
      const page = await ok(ApplyReportPage, { method: "GET", url: `/api/apply/dry-run/${first.report_id}?offset=${offset}&limit=1` });
      paged.push(...page.failed, ...page.moved, ...page.held);
      offset = page.next_offset;
    }
    expect(paged).toEqual(all);
    const held = await ok(ApplyReportPage, { method: "GET", url: `/api/apply/dry-run/${first.report_id}?outcome=held` });
    expect(held).toMatchObject({ moved: [], failed: [], held: whole.held, total: whole.counts.held, counts: whole.counts });
    await bad({ method: "GET", url: "/api/apply/dry-run/999999" }, 404, /no dry run 999999.*run the dry run again/);
    await bad({ method: "GET", url: `/api/apply/dry-run/${first.report_id}?outcome=moved,bogus` }, 400, /query\.outcome/);
    await bad({ method: "POST", url: "/api/apply", json: { limit: 1 } }, 400, /body\.limit: pages a dry run's report/);
    // The last apply (one move) and undo (one refusal), from the test before.
    const last = await ok(LastReport, { method: "GET", url: "/api/moves/last?limit=1" });
    expect(last.apply).toMatchObject({ counts: { moved: 1, failed: 0, held: 0, left_behind: 0 }, total: 1, next_offset: null });
    expect(last.undo).toMatchObject({ counts: { refused: 1, moved: 0 }, total: 1 });
    const refusals = await ok(LastReport, { method: "GET", url: "/api/moves/last?outcome=refused,left_behind" });
    expect(refusals.apply).toMatchObject({ moved: [], total: 0, counts: { moved: 1 } });
    expect(refusals.undo).toMatchObject({ refused: [expect.objectContaining({ reason: expect.stringMatching(/undone/) })], total: 1 });
    const applyPage = await ok(ApplyReportPage, { method: "GET", url: `/api/moves/last/apply?report_id=${last.apply!.report_id}` });
    expect(applyPage.moved).toEqual(last.apply!.moved);
    await ok(UndoReportPage, { method: "GET", url: `/api/moves/last/undo?report_id=${last.undo!.report_id}&outcome=refused` });
    await bad({ method: "GET", url: `/api/moves/last/apply?report_id=${last.undo!.report_id}` }, 409, /the last apply is another now .*load its first page again/);
  });

  it("a selection another process moved meanwhile (a CLI apply) is not moved again, and the job says it was already at its place", async () => {
    const entry = (await planned()).find((e) => e.from.endsWith("messy 2") && e.action === "move")!;
    const ctx = { db: service.session.db, config: service.session.config, dataDir: service.dataDir };
    // What `shelfwise apply ID --yes` does, in process: the page still shows the proposal.
    expect((await applyMoves(ctx, { ids: [entry.book_id] })).moved).toHaveLength(1);
    try {
      await ok(S.JobView, { method: "POST", url: "/api/apply", json: { ids: [entry.book_id], shown_targets: [{ book_id: entry.book_id, to: entry.to! }] } }, 202);
      await service.idle();
      expect(service.status().last_job).toMatchObject({ kind: "apply", state: "done", message: "moved 0, failed 0, held 0, 1 already at its place (moved meanwhile)" });
      expect(getBook(service.session.db, entry.book_id)!.path).toBe(entry.to);
      expect((await ok(LastReport, { method: "GET", url: "/api/moves/last" })).apply).toMatchObject({ ok: 1, counts: { moved: 0, failed: 0, held: 0 } });
    } finally {
      await undoMoves(ctx, { last: 1 });
      setBookLocked(ctx, entry.book_id, false);
    }
    expect(fs.existsSync(entry.from)).toBe(true);
  });

  it("the apply job says what its checks left to move (checked: to_move, held, refused), not the selection's count", async () => {
    const plan = await planned();
    const two = plan.find((e) => e.from.endsWith("messy 2") && e.action === "move")!;
    const three = plan.find((e) => e.from.endsWith("messy 3"))!;
    const ctx = { db: service.session.db, config: service.session.config, dataDir: service.dataDir };
    // A file put in the folder since the scan: the checks hold the book back, with the one the plan holds.
    const added = path.join(two.from, "02.mp3");
    fs.copyFileSync(path.join(two.from, "01.mp3"), added);
    let seen: unknown = "never told";
    const progress = service.progress.bind(service);
    service.progress = (job, done, pending) => {
      if (job.kind === "apply" && seen === "never told") seen = structuredClone(job.checked);
      progress(job, done, pending);
    };
    try {
      const job = await ok(S.JobView, { method: "POST", url: "/api/apply", json: { ids: [two.book_id, three.book_id] } }, 202);
      expect(job.checked).toBeNull();
      await service.idle();
      expect(seen).toEqual({ to_move: 0, held: 2, refused: 0 });
      expect(service.status().last_job).toMatchObject({ kind: "apply", state: "done", message: "moved 0, failed 0, held 2", checked: { to_move: 0, held: 2, refused: 0 } });
      expect(fs.existsSync(two.from)).toBe(true);
      fs.rmSync(added);
      seen = "never told";
      await ok(S.JobView, { method: "POST", url: "/api/apply", json: { ids: [two.book_id, three.book_id] } }, 202);
      await service.idle();
      // Told before the first move, as the job's "0 of 1".
      expect(seen).toEqual({ to_move: 1, held: 1, refused: 0 });
      expect(service.status().last_job).toMatchObject({ message: "moved 1, failed 0, held 1", checked: { to_move: 1, held: 1, refused: 0 }, pending: 1 });
    } finally {
      service.progress = progress;
      fs.rmSync(added, { force: true });
      if (!fs.existsSync(two.from)) await undoMoves(ctx, { last: 1 });
      setBookLocked(ctx, two.book_id, false);
    }
    // Other jobs say nothing of it.
    service.startScan();
    await service.idle();
    expect(service.status().last_job).toMatchObject({ kind: "scan", checked: null });
  });

  it("the undo job says what it will move back and each refusal's reason before it moves (checked), in the words the CLI's undo gives", async () => {
    const entry = (await planned()).find((e) => e.from.endsWith("messy 2") && e.action === "move")!;
    const ctx = { db: service.session.db, config: service.session.config, dataDir: service.dataDir };
    await ok(S.JobView, { method: "POST", url: "/api/apply", json: { ids: [entry.book_id] } }, 202);
    await service.idle();
    const move = (await ok(HistoryPage, { method: "GET", url: "/api/history" })).entries.find((m) => m.book_id === entry.book_id && m.kind === "apply" && m.undone_by === null)!;
    // The old place taken since: the undo refuses it, nothing is overwritten.
    fs.mkdirSync(entry.from);
    let seen: unknown = "never told";
    const progress = service.progress.bind(service);
    service.progress = (job, done, pending) => {
      if (job.kind === "undo" && seen === "never told") seen = structuredClone(job.checked);
      progress(job, done, pending);
    };
    try {
      const job = await ok(S.JobView, { method: "POST", url: "/api/undo", json: { ids: [move.move_id] } }, 202);
      expect(job.checked).toBeNull();
      await service.idle();
      const checked = { to_move: 0, held: 0, refused: 1, refusals: [{ move_id: move.move_id, book_id: entry.book_id, reason: expect.stringContaining(`the old place ${entry.from} is taken`) }] };
      // Told as the job's "0 of 0", before its end, not only in the report afterwards.
      expect(seen).toMatchObject(checked);
      const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
      expect(status.last_job).toMatchObject({ kind: "undo", state: "done", pending: 0, checked });
      // The CLI's undo refuses the same move with the same words.
      const cli = await runCliInProcessJson<{ refused: { move_id: number; reason: string }[] }>(["undo", String(move.move_id)], { dataDir: home.dataDir, exitCodes: [0, 1] });
      expect(cli.refused).toEqual([expect.objectContaining({ move_id: move.move_id })]);
      expect(status.last_job!.checked!.refusals![0]!.reason).toBe(cli.refused[0]!.reason);
    } finally {
      service.progress = progress;
      fs.rmSync(entry.from, { recursive: true, force: true });
      await undoMoves(ctx, { ids: [move.move_id] });
      setBookLocked(ctx, entry.book_id, false);
    }
    expect(fs.existsSync(path.join(entry.from, "01.mp3"))).toBe(true);
  });

  it("apply is refused while another job runs", async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    service.startJob("process", "held job", async () => (await held, "held"));
    try {
      await bad({ method: "POST", url: "/api/apply", json: { ids: [1] } }, 409, /busy: held job/);
      await bad({ method: "POST", url: "/api/undo", json: { last: 1 } }, 409, /busy: held job/);
    } finally {
      finish();
      await service.idle();
    }
  });
});

describe("corrections", () => {
  async function bookId(folder: string): Promise<number> {
    const page = await ok(S.BookPage, { method: "GET", url: `/api/books?text=${encodeURIComponent(folder)}` });
    return page.books.find((b) => b.path.endsWith(folder))!.id;
  }

  it("sets a field (the user's value wins), shows its evidence, and unsets it", async () => {
    const id = await bookId("messy 2");
    const before = await ok(S.BookDetailView, { method: "GET", url: `/api/books/${id}` });
    const set = await ok(S.BookDetailView, { method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { title: "The Real Title", series_num: "3" } } });
    expect(set.profile.title.value).toBe("The Real Title");
    expect(set.profile.title.evidence).toEqual(expect.arrayContaining([expect.objectContaining({ source: "user", value: "The Real Title" })]));
    expect(set.proposed_path).toContain("The Real Title");
    // The list and its search follow at once.
    const found = await ok(S.BookPage, { method: "GET", url: "/api/books?text=real%20title" });
    expect(found.books.map((b) => b.id)).toEqual([id]);
    const unset = await ok(S.BookDetailView, { method: "PATCH", url: `/api/books/${id}/fields`, json: { unset: ["title", "series_num"] } });
    expect(unset.profile.title.value).toBe(before.profile.title.value);
    expect(unset.profile.title.evidence.some((e) => e.source === "user")).toBe(false);
    // Two tabs on one book: each says which value of the user's it was shown. The second, shown none, is refused
    // once the first has saved (409, the field named, nothing written); another field is not held up by it.
    await ok(S.BookDetailView, { method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { title: "First Tab" }, shown: { title: null } } });
    const refused = await call({ method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { title: "Second Tab", year: "1999" }, shown: { title: null, year: null } } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(S.ErrorBody.parse(refused.json())).toEqual({
      error: 'title: your value is "First Tab" now, not none as shown: it was changed in another tab or by a command since; look at it again, then save; nothing was changed',
      fields: [{ field: "title", message: 'your value is "First Tab" now, not none as shown: it was changed in another tab or by a command since; look at it again, then save' }],
    });
    const kept = await ok(S.BookDetailView, { method: "GET", url: `/api/books/${id}` });
    expect([kept.profile.title.value, kept.profile.year.evidence.some((e) => e.source === "user")]).toEqual(["First Tab", false]);
    // Shown the first tab's value (a removal too), it goes through.
    await ok(S.BookDetailView, { method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { year: "1999" }, shown: { year: null } } });
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { unset: ["title"], shown: { title: "Second Tab" } } }, 409, /title: your value is "First Tab" now, not "Second Tab"/);
    const removed = await ok(S.BookDetailView, { method: "PATCH", url: `/api/books/${id}/fields`, json: { unset: ["title", "year"], shown: { title: "First Tab", year: "1999" } } });
    expect(removed.profile.title.value).toBe(before.profile.title.value);
  });

  it("refuses bad corrections with a message that says what to fix", async () => {
    const id = await bookId("messy 2");
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { colour: "blue" } } }, 400, /a field is one of: .*author/);
    // The enums' "did you mean" (domain/closest-name.ts), which the field names lacked.
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { titel: "X" } } }, 400, /body\.set\.titel: unknown field \(did you mean "title"\?\); a field is one of: .*author/);
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { unset: ["autor"] } }, 400, /body\.unset\.0: .*did you mean "author"/);
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { title: "  " } } }, 400, /use unset/);
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: {} }, 400, /give set or unset/);
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { unset: ["nope"] } }, 400, /body\.unset\.0/);
    await bad({ method: "PATCH", url: "/api/books/99999/fields", json: { set: { title: "X" } } }, 404, /no book with id 99999/);
    const before = await ok(S.BookDetailView, { method: "GET", url: `/api/books/${id}` });
    await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { title: "X" } }, headers: { origin: "http://evil.example" } }, 403, /cross-site/);
    expect((await ok(S.BookDetailView, { method: "GET", url: `/api/books/${id}` })).profile.title.value).toBe(before.profile.title.value);
  });

  it("a correction waits for no job: it is refused while one runs (it could overwrite the same book)", async () => {
    const id = await bookId("messy 2");
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    service.startJob("process", "held job", async () => (await held, "held"));
    try {
      await bad({ method: "PATCH", url: `/api/books/${id}/fields`, json: { set: { title: "X" } } }, 409, /busy: held job/);
      await bad({ method: "POST", url: `/api/books/${id}/lock`, json: { locked: true } }, 409, /busy: held job/);
    } finally {
      finish();
      await service.idle();
    }
  });

  it("a locked book leaves the plan; unlocked it comes back", async () => {
    const id = await bookId("messy 3");
    // Undo (an earlier test) locked the book it moved back: counted already.
    const before = (await ok(PlanPage, { method: "GET", url: "/api/plan" })).locked;
    expect(before.book_ids).not.toContain(id);
    await ok(S.Ok, { method: "POST", url: `/api/books/${id}/lock`, json: { locked: true } });
    expect((await planned()).some((e) => e.book_id === id)).toBe(false);
    // Said, so the Review page can tell why a book the user expects is not proposed: counted under the plan's own filters.
    expect((await ok(PlanPage, { method: "GET", url: "/api/plan?status=identified&action=move,held&limit=1" })).locked).toEqual({ count: before.count + 1, book_ids: [...before.book_ids, id].sort((a, b) => a - b) });
    expect((await ok(PlanPage, { method: "GET", url: "/api/plan?status=new" })).locked).toEqual({ count: 0, book_ids: [] });
    expect((await ok(PlanPage, { method: "GET", url: "/api/plan?min_confidence=100" })).locked.count).toBe(0);
    // The apply report says the same (it did not count them at all): one view for `apply --json` and the API.
    const dry = await ok(ApplyReportView, { method: "POST", url: "/api/apply", json: { dry_run: true } });
    expect(dry.locked).toEqual({ count: before.count + 1, book_ids: [...before.book_ids, id].sort((a, b) => a - b) });
    await ok(S.Ok, { method: "POST", url: `/api/books/${id}/lock`, json: { locked: false } });
    expect((await ok(PlanPage, { method: "GET", url: "/api/plan" })).locked).toEqual(before);
    expect((await planned()).some((e) => e.book_id === id)).toBe(true);
  });
});

describe("interrupted moves", () => {
  it("moves a crash interrupted are recovered as the server opens and shown among the problems until dismissed", async () => {
    const entry = (await planned()).find((e) => e.from.endsWith("messy 2"))!;
    const book = getBook(service.session.db, entry.book_id)!;
    // A crash between the journal's intent and the rename: the book is still at its old place.
    recordIntents(service.session.db, startBatch(service.session.db, "apply"), [
      {
        kind: "apply", book_id: book.id, book_from: book.path, book_to: entry.to!, kind_from: book.kind, kind_to: "folder",
        root_from: book.library_root, root_to: entry.target_root, from_path: book.path, to_path: entry.to!, created_dir: null,
        fingerprint: book.fingerprint, undoes: null,
      },
    ]);
    await app.close();
    await service.close();
    await open();
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "moves_recovered", message: expect.stringMatching(/1 interrupted move was recovered .*1 rolled back/), link: "#/review" })]));
    const list = await ok(RecoveredList, { method: "GET", url: "/api/moves/recovered" });
    expect(list.recovered).toEqual([expect.objectContaining({ book_id: book.id, outcome: "rolled_back", path: book.path })]);
    expect(fs.existsSync(book.path)).toBe(true);
    await ok(S.Ok, { method: "POST", url: "/api/moves/recovered/dismiss" });
    expect((await ok(S.StatusView, { method: "GET", url: "/api/status" })).problems.some((p) => p.kind === "moves_recovered")).toBe(false);
  });
});

describe("names that look like advice", () => {
  it("a folder named like a command is shown as it is in a reason; only the reason's own advice is said in a page's words", async () => {
    const folder = path.join(home.library, "Evil `shelfwise scan` Author", "run `shelfwise process` again");
    fs.mkdirSync(folder, { recursive: true });
    writeMp3(path.join(folder, "01.mp3"), { artist: "Writer 9", album: "Book 9", title: "Chapter 1", track: "1" });
    service.startScan();
    await service.idle();
    service.startProcess({});
    await service.idle();
    const entry = (await planned()).find((e) => e.from === folder)!;
    // A reason that gives no advice and names the target (the entry's `to`): no word of it is rewritten.
    fs.mkdirSync(entry.to!, { recursive: true });
    const held = (await ok(ApplyReportView, { method: "POST", url: "/api/apply", json: { ids: [entry.book_id], dry_run: true } })).held[0]!;
    expect(held.conflict?.reason).toBe(`${entry.to} already exists; nothing is ever overwritten or merged`);
    fs.rmSync(entry.to!, { recursive: true });
    // Gone since the scan: the dry run says where it looked, and what to do on a page.
    fs.rmSync(path.dirname(folder), { recursive: true });
    const dry = await ok(ApplyReportView, { method: "POST", url: "/api/apply", json: { ids: [entry.book_id], dry_run: true } });
    const said = JSON.stringify(dry);
    expect(said).toContain(`${folder}: not found at its recorded place: use Scan library on the dashboard`);
    expect(said).not.toContain("Evil Scan library");
  });
});
