/**
 * What the dashboard says needs the user, and the library folders as the CLI changes them beside the server. A data
 * folder with no library folder says where to add one; a folder `library remove` took out has its books held. The disk check (books gone from their recorded place, recorded twice, missing ones there again), as
 * `status` says it: the same answer inline (a small library) and off the server's main thread (a large one), other
 * requests answered while the thread works, a book moved by hand shown to an open page, and the answer still given
 * when the thread dies.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { openSession } from "../../src/app/open-session.js";
import { diskCheck, diskCheckOffThread, libraryStatusView } from "../../src/app/library-status.js";
import { ExistenceChecker } from "../../src/library/exist-check.js";
import { ShelfService } from "../../src/server/service.js";
import { addLibraryFolder, removeLibraryFolder } from "../../src/app/library-paths.js";
import { getBook } from "../../src/store/books.js";
import { buildServer } from "../../src/server/server.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { createHome } from "../support/plugin-fixtures.js";
import { writeJobMarker } from "../../src/store/job-marker.js";
import { closeApi, openApi } from "./inject.js";
import { spawn } from "node:child_process";
import { builtModuleUrl } from "../support/built.js";
import { runCliInProcessOk } from "../support/cli-in-process.js";

let tmp = "";
let service: ShelfService | undefined;
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  await service?.close();
  app = service = undefined;
  if (tmp) removeTempDir(tmp);
  tmp = "";
});

interface Seeded {
  dataDir: string;
  library: string;
  /** Book id to its recorded place. */
  places: Map<number, string>;
  gone: number[];
  back: number[];
  duplicates: number[];
}

/**
 * A data folder with `books` books recorded straight through the store, each a real folder: every `goneEvery`th one
 * moved away by hand (one of them copied first: the copy is a second record of the same fingerprint, so the old one
 * is a record twice), and the last `back` ones recorded missing though their folder is there again.
 */
function seed(books: number, options: { goneEvery: number; back: number }): Seeded {
  tmp = makeTempDir("disk-check");
  const dataDir = path.join(tmp, "data");
  const library = path.join(tmp, "library");
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ library_paths: [library] }));
  const db = openDatabase(path.join(dataDir, "shelfwise.db"));
  const insert = db.prepare(
    `INSERT INTO books (path, kind, library_root, status, title, confidence, fingerprint, files, created_at, updated_at, scanned_at)
     VALUES (?, 'folder', ?, ?, ?, 90, ?, '[]', datetime('now'), datetime('now'), datetime('now'))`,
  );
  const seeded: Seeded = { dataDir, library, places: new Map(), gone: [], back: [], duplicates: [] };
  db.transaction(() => {
    for (let i = 0; i < books; i++) {
      // Names as users have them: a right-to-left override, emoji, quotes.
      const place = path.join(library, `Author ${i % 7}`, `Book ${i} \u202Egnp.exe 📚 "${i}"`);
      const missing = i >= books - options.back;
      const id = Number(insert.run(place, library, missing ? "missing" : "identified", `Book ${i}`, `fp-${i}`).lastInsertRowid);
      seeded.places.set(id, place);
      fs.mkdirSync(place, { recursive: true });
      if (missing) seeded.back.push(id);
      else if (i % options.goneEvery === options.goneEvery - 1) {
        fs.rmdirSync(place);
        seeded.gone.push(id);
      }
    }
    // The first gone book copied elsewhere and recorded there too: its old record is a duplicate.
    const first = seeded.gone[0]!;
    insert.run(path.join(library, "Copied", "Book"), library, "identified", "Copy", `fp-${[...seeded.places.keys()].indexOf(first)}`);
    fs.mkdirSync(path.join(library, "Copied", "Book"), { recursive: true });
    seeded.duplicates.push(first);
  })();
  db.close();
  return seeded;
}

const problems = (s: ShelfService) => Object.fromEntries(s.status().problems.map((p) => [p.kind, p]));

describe("the dashboard's problems", () => {
  it("a data folder with no library folder says where to add one, before Scan is pressed; gone once one is added", async () => {
    tmp = makeTempDir("no-library");
    const dataDir = path.join(tmp, "data");
    fs.mkdirSync(dataDir);
    service = await ShelfService.open(dataDir, { autoRun: false, watch: false });
    expect(problems(service).no_library).toEqual({
      kind: "no_library",
      message: "no library folder yet: add the folder that holds your audiobooks on the Settings page, then scan the library",
      link: "#/settings",
    });
    fs.mkdirSync(path.join(tmp, "books"));
    fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ library_paths: [path.join(tmp, "books")] }));
    service.followLibraryFolders();
    expect(problems(service).no_library).toBeUndefined();
  });
});

describe("a serve job cut short by kill -9, on the dashboard", () => {
  /** The marker a serve killed mid-job leaves (the pid: a process long gone), then a server opened over it. */
  async function afterKill(kind: "scan" | "process") {
    const home = createHome({ books: 1 });
    const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
    writeJobMarker(db, { kind, label: kind, started_at: new Date(Date.now() - 60_000).toISOString(), pid: 2 ** 22 + 7 });
    db.close();
    const opened = await openApi(home);
    const problem = async () => {
      const answer = await opened.app.inject({ method: "GET", url: "/api/status", headers: { host: "127.0.0.1:8790" } });
      return (answer.json() as { problems: { kind: string }[] }).problems.some((p) => p.kind === "job_cut_short");
    };
    expect(await problem()).toBe(true);
    return { ...opened, home, problem };
  }

  it("is over once what was cut short has run again to its end, as the CLI says it no more", async () => {
    const opened = await afterKill("scan");
    try {
      const started = await opened.app.inject({ method: "POST", url: "/api/scan", headers: { host: "127.0.0.1:8790" } });
      expect(started.statusCode, started.body).toBe(202);
      await opened.service.idle();
      expect(opened.service.status().job).toBeNull();
      expect(opened.service.status().last_job?.state).toBe("done");
      expect(await opened.problem()).toBe(false);
    } finally {
      await closeApi(opened);
    }
  });

  it("stays after another kind of job, and goes when the user dismisses it", async () => {
    const opened = await afterKill("process");
    try {
      const started = await opened.app.inject({ method: "POST", url: "/api/scan", headers: { host: "127.0.0.1:8790" } });
      expect(started.statusCode, started.body).toBe(202);
      await opened.service.idle();
      expect(opened.service.status().job).toBeNull();
      // A scan is no run of the pipeline: what was cut short is still to do.
      expect(await opened.problem()).toBe(true);
      const dismissed = await opened.app.inject({ method: "POST", url: "/api/jobs/cut-short/dismiss", headers: { host: "127.0.0.1:8790" } });
      expect(dismissed.statusCode, dismissed.body).toBe(200);
      expect(await opened.problem()).toBe(false);
    } finally {
      await closeApi(opened);
    }
  });
});

describe("a job cut short is the data folder's notice, not one server's memory", () => {
  it("a server opened next shows it still, until it is dismissed; then no server shows it", async () => {
    const home = createHome({ books: 1 });
    const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
    writeJobMarker(db, { kind: "process", label: "process", started_at: new Date(Date.now() - 60_000).toISOString(), pid: 2 ** 22 + 7 });
    db.close();
    const shown = async (opened: Awaited<ReturnType<typeof openApi>>) =>
      ((await opened.app.inject({ method: "GET", url: "/api/status", headers: { host: "127.0.0.1:8790" } })).json() as { problems: { kind: string }[] }).problems.some((p) => p.kind === "job_cut_short");
    let opened = await openApi(home);
    try {
      expect(await shown(opened)).toBe(true);
    } finally {
      await closeApi({ app: opened.app, service: opened.service });
    }
    opened = await openApi(home);
    try {
      expect(await shown(opened)).toBe(true);
      // Written holding the data folder's lock: refused, naming the command, while another holds it; the notice stays.
      const child = spawn(process.execPath, ["--input-type=module", "-e", `
        const { acquireDataLock } = await import(${JSON.stringify(builtModuleUrl("store/data-lock.js"))});
        await acquireDataLock(${JSON.stringify(home.dataDir)}, { command: "process" });
        console.log("held");
        setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
      try {
        await new Promise<void>((resolve) => child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve()));
        const refused = await opened.app.inject({ method: "POST", url: "/api/jobs/cut-short/dismiss", headers: { host: "127.0.0.1:8790" } });
        expect(refused.statusCode, refused.body).toBe(409);
        expect(refused.json().error).toMatch(/another shelfwise program \(process \d+\), doing: process,/);
      } finally {
        child.kill("SIGKILL");
        await new Promise((resolve) => child.once("exit", resolve));
      }
      expect(await shown(opened)).toBe(true);
      const dismissed = await opened.app.inject({ method: "POST", url: "/api/jobs/cut-short/dismiss", headers: { host: "127.0.0.1:8790" } });
      expect(dismissed.json()).toMatchObject({ message: "the job cut short is acknowledged" });
      expect(await shown(opened)).toBe(false);
    } finally {
      await closeApi({ app: opened.app, service: opened.service });
    }
    opened = await openApi(home);
    try {
      expect(await shown(opened)).toBe(false);
    } finally {
      await closeApi({ ...opened, home });
    }
  });
});

describe("library folders changed by the CLI while the server runs", () => {
  it("a folder `library remove` took out: the Review page's plan holds its books, and an apply of them moves nothing", async () => {
    tmp = makeTempDir("library-removed");
    const dataDir = path.join(tmp, "data");
    const [kept, dropped] = [path.join(tmp, "Kept"), path.join(tmp, "Dropped")];
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, "config.json"), JSON.stringify({ library_paths: [kept, dropped] }));
    const db = openDatabase(path.join(dataDir, "shelfwise.db"));
    const insert = db.prepare(
      `INSERT INTO books (path, kind, library_root, status, author, title, confidence, fingerprint, files, created_at, updated_at, scanned_at)
       VALUES (?, 'folder', ?, 'identified', ?, ?, 90, ?, '[]', datetime('now'), datetime('now'), datetime('now'))`,
    );
    const ids = [kept, dropped].map((root, i) => {
      fs.mkdirSync(path.join(root, "loose"), { recursive: true });
      return Number(insert.run(path.join(root, "loose"), root, `Author ${i}`, `Title ${i}`, `fp-${i}`).lastInsertRowid);
    });
    db.close();
    service = await ShelfService.open(dataDir, { autoRun: false, watch: false });
    app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    const plan = async () => (await app!.inject({ url: "/api/plan", headers: { host: "127.0.0.1" } })).json() as { entries: { book_id: number; action: string; conflict: { kind: string } | null }[] };
    const byId = (entries: { book_id: number }[]) => [...entries].sort((a, b) => a.book_id - b.book_id);
    expect(byId((await plan()).entries).map((e: any) => [e.book_id, e.action])).toEqual([[ids[0], "move"], [ids[1], "move"]]);

    removeLibraryFolder(dataDir, dropped, dropped);
    expect(byId((await plan()).entries).map((e: any) => [e.book_id, e.action, e.conflict?.kind ?? null])).toEqual([[ids[0], "move", null], [ids[1], "held", "library_removed"]]);
    // A page still showing the earlier plan applies the dropped folder's book: held, nothing moved.
    const apply = await app.inject({ method: "POST", url: "/api/apply", headers: { host: "127.0.0.1", "content-type": "application/json" }, payload: JSON.stringify({ ids: [ids[1]] }) });
    expect(apply.statusCode, apply.body).toBe(202);
    await service.idle();
    expect(service.status().last_job).toMatchObject({ state: "done", message: "moved 0, failed 0, held 1" });
    expect(fs.existsSync(path.join(dropped, "loose"))).toBe(true);
    expect(getBook(service.session.db, ids[1]!)!.path).toBe(path.join(dropped, "loose"));

    // Added back by the CLI: proposed again.
    addLibraryFolder(dataDir, dropped);
    expect((await plan()).entries.find((e) => e.book_id === ids[1])).toMatchObject({ action: "move", conflict: null });
  });
});

describe("a part joined into another book (the parts_at_top advice followed)", () => {
  it("is said as joined into that book, by id and title, with the part's record linked: not as a book not found, nor as one there again", async () => {
    tmp = makeTempDir("joined-part");
    const data = path.join(tmp, "data");
    const top = path.join(tmp, "Audiobooks");
    const dune = path.join(top, "Dune");
    fs.mkdirSync(dune, { recursive: true });
    for (const n of ["01", "02"]) fs.writeFileSync(path.join(dune, `Part ${n}.mp3`), `part ${n}`);
    await runCliInProcessOk(["init"], { dataDir: data });
    await runCliInProcessOk(["scan", dune], { dataDir: data });
    const parts = JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number; path: string }[];
    const corrected = parts.find((b) => b.path.endsWith("Part 02.mp3"))!.id;
    await runCliInProcessOk(["book", String(corrected), "--set", "author=Frank Herbert"], { dataDir: data });
    await runCliInProcessOk(["library", "remove", dune], { dataDir: data });
    await runCliInProcessOk(["scan", top], { dataDir: data });
    const book = (JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number; path: string }[]).find((b) => b.path === dune)!.id;
    await runCliInProcessOk(["book", String(book), "--set", "title=Dune"], { dataDir: data });
    service = await ShelfService.open(data, { autoRun: false, watch: false });
    const said = service.status({ freshDisk: true }).problems;
    expect(said.map((p) => p.kind)).not.toContain("missing");
    expect(said.map((p) => p.kind)).not.toContain("back");
    expect(said.find((p) => p.kind === "joined")).toEqual({
      kind: "joined",
      message: `1 book recorded under a library folder taken out is joined into book ${book} ("Dune"): its files are part of that book now, and your corrections are kept on it (not lost, not missing): open it to put what you want of them on book ${book} ("Dune")`,
      link: "#/books?status=missing",
      book_ids: [corrected],
      more_books: false,
    });
    // The part's page says the same of it, the book's title as it is now.
    app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    const detail = (await app.inject({ url: `/api/books/${corrected}`, headers: { host: "127.0.0.1" } })).json() as { status_reason: string };
    expect(detail.status_reason).toContain(`its files are part of book ${book} ("Dune") at ${dune} now`);
    const listed = (await app.inject({ url: "/api/books?problem=back", headers: { host: "127.0.0.1" } })).json() as { total: number };
    expect(listed.total).toBe(0);
  });
});

describe("the dashboard's disk check", () => {
  it("a system clock set back keeps the disk check no longer than its 30 s: a book moved by hand since is said gone", async () => {
    const seeded = seed(10, { goneEvery: 5, back: 0 });
    service = await ShelfService.open(seeded.dataDir, { autoRun: false, watch: false });
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: Date.now() });
    try {
      expect(problems(service).gone?.book_ids).toEqual(seeded.gone);
      const moved = [...seeded.places.keys()].find((id) => !seeded.gone.includes(id))!;
      fs.renameSync(seeded.places.get(moved)!, `${seeded.places.get(moved)!}-elsewhere`);
      // NTP sets a clock that ran ahead back an hour, and 31 s pass: by the wall clock the check is an hour from being old.
      vi.setSystemTime(Date.now() - 3_600_000);
      vi.advanceTimersByTime(31_000);
      expect(problems(service).gone?.book_ids).toEqual([...seeded.gone, moved].sort((a, b) => a - b));
    } finally {
      vi.useRealTimers();
    }
  });

  it("says which missing books are there again (`back`), as `status --json` does, the first ten linked", async () => {
    const seeded = seed(30, { goneEvery: 10, back: 12 });
    const session = openSession(seeded.dataDir);
    try {
      expect(await libraryStatusView(session)).toMatchObject({ back: 12, back_book_ids: seeded.back.slice(0, 10), gone: 1, duplicates: 1 });
    } finally {
      await session.close();
    }
    service = await ShelfService.open(seeded.dataDir, { autoRun: false, watch: false });
    expect(problems(service).back).toEqual({
      kind: "back",
      message: "12 missing books are there again; the next scan records that",
      link: null,
      book_ids: seeded.back.slice(0, 10),
      more_books: true,
    });
    // The dashboard's "…" leads to the Books page listing them all, paged as the books list is.
    app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    const listed = async (query: string) => {
      const response = await app!.inject({ url: `/api/books?${query}`, headers: { host: "127.0.0.1" } });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { total: number; books: { id: number }[] };
      return { total: page.total, ids: page.books.map((b) => b.id) };
    };
    expect(await listed("problem=back&sort=id&limit=5&offset=10")).toEqual({ total: 12, ids: seeded.back.slice(10) });
    expect(await listed("problem=gone&sort=id")).toEqual({ total: 1, ids: seeded.gone });
    expect(await listed("problem=duplicates&status=identified&sort=id")).toEqual({ total: 1, ids: seeded.duplicates });
    expect((await app.inject({ url: "/api/books?problem=lost", headers: { host: "127.0.0.1" } })).statusCode).toBe(400);
    // One of them gone again, by hand: a page opened says 11.
    fs.rmdirSync(seeded.places.get(seeded.back[0]!)!);
    expect(service.status({ freshDisk: true }).problems.find((p) => p.kind === "back")).toMatchObject({ message: "11 missing books are there again; the next scan records that", book_ids: seeded.back.slice(1, 11) });
    expect(await listed("problem=back&sort=id")).toEqual({ total: 11, ids: seeded.back.slice(1) });
  });

  it("gives off the main thread, a page at a time, the answer `status` gives inline", async () => {
    const seeded = seed(50, { goneEvery: 6, back: 3 });
    const session = openSession(seeded.dataDir);
    try {
      const inline = diskCheck(session);
      expect(inline).toMatchObject({ gone: seeded.gone.length, back: 3, back_book_ids: seeded.back, duplicates: 1, duplicate_book_ids: seeded.duplicates });
      // Pages of 4 (an odd count of books): every page boundary crossed.
      expect(await diskCheckOffThread(session, () => false, new ExistenceChecker(), 4)).toEqual(inline);
      // A thread that dies (or cannot start) leaves its batches to be asked inline: the same answer.
      expect(await diskCheckOffThread(session, () => false, new ExistenceChecker({ workerSource: "throw new Error('no thread')" }), 4)).toEqual(inline);
      expect(await diskCheckOffThread(session, () => true, new ExistenceChecker(), 4)).toBeNull();
    } finally {
      await session.close();
    }
  });

  it("a checker kept between checks asks only the folders that hold books again while they are unchanged; a book moved by hand, a folder replaced, one come back are each seen", async () => {
    const root = makeTempDir("shelfwise-exist-memo-");
    const lib = path.join(root, "lib");
    const books = ["A/b1", "A/b2", "B/b3", "B/b4"].map((p) => path.join(lib, p));
    for (const b of books) fs.mkdirSync(b, { recursive: true });
    // A change lands in a later tick of the file system's clock than the folders' times the check remembered
    // (a change in the same tick gives the same times: what the slack guards against, at 0 here).
    const probe = path.join(root, "probe");
    const laterTick = () => {
      const newest = Math.max(...["A", "B"].map((d) => fs.statSync(path.join(lib, d)).ctimeMs));
      for (let i = 0; i < 1e6; i++) if ((fs.writeFileSync(probe, String(i)), fs.statSync(probe).ctimeMs > newest)) return;
    };
    const checker = new ExistenceChecker({ remember: true, slackMs: 0 });
    try {
      laterTick();
      expect([...(await checker.check(books))]).toEqual([1, 1, 1, 1]);
      expect(checker.asked).toBe(4);
      expect([...(await checker.check(books))]).toEqual([1, 1, 1, 1]);
      expect(checker.asked).toBe(4);
      laterTick();
      fs.renameSync(books[0]!, path.join(root, "b1-elsewhere"));
      fs.renameSync(path.join(lib, "B"), path.join(root, "B-old"));
      fs.mkdirSync(books[3]!, { recursive: true });
      expect([...(await checker.check(books))]).toEqual([0, 1, 0, 1]);
      expect(checker.asked).toBe(8);
      laterTick();
      fs.renameSync(path.join(root, "b1-elsewhere"), books[0]!);
      expect([...(await checker.check(books))]).toEqual([1, 1, 0, 1]);
      // A folder made a moment ago is asked every time with the default slack (a file system may keep whole seconds).
      const fresh = new ExistenceChecker({ remember: true });
      await fresh.check(books);
      await fresh.check(books);
      expect(fresh.asked).toBe(8);
      fresh.close();
    } finally {
      checker.close();
      removeTempDir(root);
    }
  });

  it("`status` past 2,000 books asks the disk on a worker thread: the answer it gives inline", async () => {
    const seeded = seed(2_050, { goneEvery: 150, back: 12 });
    const session = openSession(seeded.dataDir);
    try {
      const status = await libraryStatusView(session);
      expect(status).toMatchObject(diskCheck(session));
      expect(status).toMatchObject({ gone: seeded.gone.length, gone_book_ids: seeded.gone.slice(0, 10), back: 12, duplicates: 1, duplicate_book_ids: seeded.duplicates });
    } finally {
      await session.close();
    }
  });

  it("on a large library, other requests are answered while the disk is asked, and an open page is told what it found", async () => {
    const seeded = seed(40, { goneEvery: 10, back: 2 });
    // A slow disk (a network share answering late): the thread answers once the test opens the gate.
    const gate = path.join(tmp, "gate");
    const slow = `const { parentPort } = require("node:worker_threads"); const fs = require("node:fs");
      parentPort.on("message", ({ id, paths }) => {
        while (!fs.existsSync(${JSON.stringify(gate)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        const list = paths.split("\\0"); const there = new Uint8Array(list.length);
        list.forEach((p, i) => { there[i] = fs.lstatSync(p, { throwIfNoEntry: false }) ? 1 : 0; });
        parentPort.postMessage({ id, there }, [there.buffer]);
      });`;
    service = await ShelfService.open(seeded.dataDir, { autoRun: false, watch: false, diskCheckInline: 10, diskWorkerSource: slow });
    app = await buildServer(service, { host: "127.0.0.1", token: null, pages: false });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    let answered = false;
    const status = fetch(`${base}/api/status`).then(async (r) => ((answered = true), (await r.json()) as { problems: { kind: string; message: string; book_ids?: number[] }[] }));
    // While the disk check waits on the disk, the server answers: another request, and the event stream's first status.
    expect((await fetch(`${base}/api/layers`)).status).toBe(200);
    expect((await fetch(`${base}/api/books?limit=1`)).status).toBe(200);
    expect(answered).toBe(false);
    fs.writeFileSync(gate, "");
    const first = await status;
    const kinds = Object.fromEntries(first.problems.map((p) => [p.kind, p]));
    expect(kinds.gone).toMatchObject({ message: expect.stringMatching(/^3 books are not where shelfwise recorded them/), book_ids: seeded.gone });
    expect(kinds.back).toMatchObject({ message: "2 missing books are there again; the next scan records that", book_ids: seeded.back });
    expect(kinds.duplicates).toMatchObject({ book_ids: seeded.duplicates });
    // The Books page's filter is served from that same check (the thread's), not a second inline walk.
    const gonePage = (await (await fetch(`${base}/api/books?problem=gone&sort=id`)).json()) as { total: number; books: { id: number }[] };
    expect([gonePage.total, gonePage.books.map((b) => b.id)]).toEqual([3, seeded.gone]);

    // A book moved by hand while a page is open, then a page opened: its event stream says so when the thread is done.
    const moved = seeded.places.get(1)!;
    fs.renameSync(moved, `${moved} (moved)`);
    const said = await new Promise<string>((resolve, reject) => {
      const request = http.get(`${base}/api/events`, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          for (const block of text.split("\n\n")) {
            const data = /^event: status\ndata: (.*)$/m.exec(block)?.[1];
            const gone = data && (JSON.parse(data) as { problems: { kind: string; message: string }[] }).problems.find((p) => p.kind === "gone");
            if (gone && gone.message.startsWith("4 books")) {
              request.destroy();
              resolve(gone.message);
            }
          }
        });
      });
      request.on("error", reject);
    });
    expect(said).toMatch(/^4 books are not where shelfwise recorded them/);
  });
});
