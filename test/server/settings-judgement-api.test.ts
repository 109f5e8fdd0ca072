/**
 * A running server judges the stored books again when the settings a judgement reads change while it runs
 * (confidence_threshold, naming_template, series_num_padding), from its own Settings page or in config.json written
 * by another program, and the pages then say what the CLI says of the same data folder: the status counts, a book's
 * status, confidence and proposed path, the plan's targets. One server over one real library; the CLI run in this
 * process after the server judged them finds nothing left to judge (no note).
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import * as S from "../../src/server/schemas.js";
import { PlanPage } from "../../src/server/routes/organize.js";
import { apiClient, closeApi, openApi } from "./inject.js";
import { runCliInProcess } from "../support/cli-in-process.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { ok } = apiClient(() => app);

beforeAll(async () => {
  home = createHome({ books: 0 });
  // A series book whose tags say everything (high confidence), and one whose folder says little (lower).
  const series = path.join(home.library, "Ann Leckie", "Imperial Radch", "Book 1 - Ancillary Justice");
  fs.mkdirSync(series, { recursive: true });
  writeMp3(path.join(series, "01.mp3"), { artist: "Ann Leckie", album: "Ancillary Justice", title: "Chapter 1", track: "1" });
  const loose = path.join(home.library, "misc", "some recording");
  fs.mkdirSync(loose, { recursive: true });
  writeMp3(path.join(loose, "01.mp3"), {});
  // A book whose place is taken (held back), one locked, one gone from the disk since the scan.
  for (const [folder, artist, album] of [["held here", "Held Writer", "Held Book"], ["locked here", "Locked Writer", "Locked Book"], ["gone here", "Gone Writer", "Gone Book"]] as const) {
    fs.mkdirSync(path.join(home.library, folder), { recursive: true });
    writeMp3(path.join(home.library, folder, "01.mp3"), { artist, album, title: "Chapter 1", track: "1" });
  }
  fs.mkdirSync(path.join(home.library, "Held Writer", "Held Book"), { recursive: true });
  fs.writeFileSync(path.join(home.library, "Held Writer", "Held Book", "mine.txt"), "mine");
  home.writeConfig({ confidence_threshold: 10, naming_template: "{author}/{series}/{series_num} - {title}" });
  // As `serve` runs: a scan's run follows it (and a run asked for while the books are judged again follows that).
  ({ service, app } = await openApi(home, { pages: false }, { autoRun: true }));
  service.startScan();
  await service.idle();
  await service.idle();
  const books = (await ok(S.BookPage, { method: "GET", url: "/api/books?limit=100" })).books;
  await ok(S.Ok, { method: "POST", url: `/api/books/${books.find((b) => b.title === "Locked Book")!.id}/lock`, json: { locked: true } });
  fs.rmSync(path.join(home.library, "gone here"), { recursive: true });
});

afterAll(() => closeApi({ app, service, home }));

type Book = { id: number; status: string; confidence: number; proposed_path: string | null; fields?: unknown };

async function cliJson<T>(args: string[]): Promise<{ value: T; stderr: string }> {
  const run = await runCliInProcess([...args, "--json"], { dataDir: home.dataDir });
  expect(run.code, run.stderr).toBe(0);
  return { value: JSON.parse(run.stdout) as T, stderr: run.stderr };
}

/** The pages' status, books, one book each and the plan against the CLI's on the same data folder. */
async function expectPagesAsCli(): Promise<void> {
  const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
  const page = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=100" });
  const plan = await ok(PlanPage, { method: "GET", url: "/api/plan?status=identified,needs_attention" });
  const cliStatus = await cliJson<{ books: number; by_status: Record<string, number>; with_layer_errors: number; gone: number; back: number }>(["status"]);
  // Judged already by the server: the command has nothing to judge again, so says nothing of it.
  expect(cliStatus.stderr).toBe("");
  expect(status.books_total).toBe(cliStatus.value.books);
  expect(status.books_with_errors).toBe(cliStatus.value.with_layer_errors);
  const problem = (kind: string) => status.problems.find((p) => p.kind === kind)?.message.match(/^\d+/)?.[0] ?? "0";
  expect([problem("gone"), problem("back"), problem("missing")]).toEqual([String(cliStatus.value.gone), String(cliStatus.value.back), String(cliStatus.value.by_status.missing)]);
  for (const [name, n] of Object.entries(cliStatus.value.by_status)) expect(status.by_status[name] ?? 0, name).toBe(n);
  const cliBooks = (await cliJson<Book[]>(["books"])).value;
  expect(page.books.map((b) => [b.id, b.status, b.confidence, b.proposed_path])).toEqual(cliBooks.map((b) => [b.id, b.status, b.confidence, b.proposed_path]));
  for (const book of cliBooks) {
    const detail = await ok(S.BookDetailView, { method: "GET", url: `/api/books/${book.id}` });
    const cli = (await cliJson<Record<string, unknown>>(["book", String(book.id)])).value;
    // The same view (app/views/book-detail.ts): every field with its value, confidence and evidence, the status and reason.
    expect(detail).toMatchObject(cli);
  }
  const cliPlan = (await cliJson<{ entries: { book_id: number; action: string; to: string }[]; counts: Record<string, number> }>(["plan", "--status", "identified,needs_attention"])).value;
  expect(plan.counts).toEqual(cliPlan.counts);
  expect(plan.entries.map((e) => [e.book_id, e.action, e.to])).toEqual(cliPlan.entries.map((e) => [e.book_id, e.action, e.to]));
}

describe("settings changed while the server runs", () => {
  it("naming_template and series_num_padding saved on the Settings page give every book its new proposed path at once", async () => {
    const before = await ok(S.BookPage, { method: "GET", url: "/api/books?limit=100" });
    const leckie = before.books.find((b) => b.proposed_path?.startsWith("Ann Leckie/"));
    expect(leckie?.proposed_path).toBe("Ann Leckie/Imperial Radch/01 - Ancillary Justice");
    await ok(S.SettingsView, { method: "PUT", url: "/api/settings", json: { values: { naming_template: "{author} - {series} {series_num} - {title}", series_num_padding: 3 } } });
    // Judged a page of books at a time, the server answering meanwhile: done when the pages are told to load again.
    await service.judged();
    const detail = await ok(S.BookDetailView, { method: "GET", url: `/api/books/${leckie!.id}` });
    expect(detail.proposed_path).toBe("Ann Leckie - Imperial Radch 001 - Ancillary Justice");
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.activity.map((a) => a.message)).toContainEqual(expect.stringMatching(/naming_template or series_num_padding changed in config\.json: 5 books judged again/));
    await expectPagesAsCli();
  });

  it("confidence_threshold written to config.json by another program moves the books to needs attention on the pages, without a process run", async () => {
    const file = path.join(home.dataDir, "config.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), confidence_threshold: 100 }));
    // What the server's 2-second timer does.
    await service.syncFromDisk();
    await service.judged();
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.by_status.identified ?? 0).toBe(0);
    expect(status.by_status.needs_attention).toBe(5);
    await expectPagesAsCli();
  });

  it("a run asked for while the books are judged again starts once they are, not refused as busy", async () => {
    const file = path.join(home.dataDir, "config.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), naming_template: "{author}/{title}" }));
    const last = service.lastJobId();
    service.reloadConfig();
    // What a plugin dropped in asks for while the books are being judged.
    service.requestRun();
    await service.judged();
    expect(service.jobKind()).toBe("process");
    await service.idle();
    expect(service.lastJobId()).toBeGreaterThan(last);
    const status = await ok(S.StatusView, { method: "GET", url: "/api/status" });
    expect(status.activity.map((a) => a.message).join("\n")).not.toMatch(/could not start a run/);
  });
});
