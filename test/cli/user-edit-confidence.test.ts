/**
 * A user's edit of one field is trusted, but never makes a book that lacks its author or title look certain:
 * `book`, `books`, `status`, the API's book view and `plan` agree on its confidence and status.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { bookDetailView } from "../../src/app/views/book-detail.js";
import { getBook, listBooks } from "../../src/store/books.js";
import { openDatabase } from "../../src/store/database.js";
import { runsForBook } from "../../src/store/layer-runs.js";
import { runCliInProcess, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let data: string;
let id: number;

beforeAll(async () => {
  tmp = makeTempDir("cli-user-confidence");
  const lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  // A folder name that is a placeholder and a file with no tags: nothing names the author or the title.
  fs.mkdirSync(path.join(lib, "Untitled"), { recursive: true });
  writeMp3(path.join(lib, "Untitled", "01.mp3"), {});
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
  const db = openDatabase(path.join(data, "shelfwise.db"));
  try {
    id = listBooks(db)[0].id;
  } finally {
    db.close();
  }
});
afterAll(() => removeTempDir(tmp));

type Book = { id: number; status: string; confidence: number; author: string | null; title: string | null; proposed_path: string | null; status_reason?: string };
type Plan = { entries: { book_id: number; kind?: string; hold?: { kind: string } }[]; counts: { move: number } };
const json = <T>(args: string[]) => runCliJson<T>([...args, "--json"], { dataDir: data });
function apiView(): Book {
  const db = openDatabase(path.join(data, "shelfwise.db"));
  try {
    return bookDetailView(getBook(db, id)!, runsForBook(db, id)) as unknown as Book;
  } finally {
    db.close();
  }
}

describe("a user's edit of one field does not make missing author or title look certain", () => {
  it("series_num set by the user on a book with no author and no title: confidence 0 and needs_attention everywhere, no move planned; with author and title set too it is identified", async () => {
    const edited = await json<Book>(["book", String(id), "--set", "series_num=1"]);
    expect(edited).toMatchObject({ status: "needs_attention", confidence: 0, author: null, title: null, proposed_path: null });
    expect(edited.status_reason).toBe("no author; no title; confidence 0 below threshold 60");
    // The user's title alone: still no author, which the book is filed under.
    expect(await json<Book>(["book", String(id), "--set", "title=The Long Night"])).toMatchObject({ status: "needs_attention", confidence: 0 });
    expect(await json<Book>(["book", String(id), "--unset", "title"])).toMatchObject({ status: "needs_attention", confidence: 0 });

    const [listed] = await json<Book[]>(["books"]);
    expect(listed).toMatchObject({ id, status: "needs_attention", confidence: 0 });
    expect(apiView()).toMatchObject({ status: "needs_attention", confidence: 0 });
    const status = await json<{ by_status: Record<string, number>; to_plan: number }>(["status"]);
    expect(status.by_status).toMatchObject({ identified: 0, needs_attention: 1 });
    expect(status.to_plan).toBe(0);
    expect((await json<Plan>(["plan"])).counts.move).toBe(0);
    // Asked for books that need attention, plan still proposes no move for a book missing author and title.
    const wide = await json<Plan>(["plan", "--status", "needs_attention"]);
    expect(wide.counts.move).toBe(0);

    // The user's author and title are trusted: then the book is certain and its move is planned.
    const named = await json<Book>(["book", String(id), "--set", "author=Ann Leckie", "--set", "title=Ancillary Justice"]);
    expect(named).toMatchObject({ status: "identified", confidence: 100, author: "Ann Leckie", title: "Ancillary Justice" });
    expect((await json<Plan>(["plan"])).counts.move).toBe(1);
  });
});

describe("books judged by older rules, or under other settings, are judged again from their evidence", () => {
  it("a database written before the confidence rules changed shows the book at 0, not 100, in the first command that reads it; once; evidence untouched", async () => {
    await runCliOk(["book", String(id), "--unset", "author", "--unset", "title"], { dataDir: data });
    // What an older shelfwise left: its rules gave a book with only a user's series_num 100; its schema (19) had no
    // record of the rules books were judged by (nor the tables and columns of the migrations after it).
    const db = openDatabase(path.join(data, "shelfwise.db"));
    let profile: string;
    try {
      db.prepare("UPDATE books SET confidence = 100, status_reason = 'no author; no title' WHERE id = ?").run(id);
      db.exec("DROP TABLE judgement_rules; DROP TABLE data_home; DROP TABLE job_marker; DROP TABLE plugin_starts; DROP TABLE job_cut_short; ALTER TABLE books DROP COLUMN folder_stamp; PRAGMA user_version = 19;");
      profile = getBook(db, id)!.profile;
    } finally {
      db.close();
    }
    const first = await runCliInProcess(["books", "--json"], { dataDir: data });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)[0]).toMatchObject({ id, status: "needs_attention", confidence: 0 });
    expect(first.stderr).toMatch(/^shelfwise: note: this shelfwise judges confidence and status by newer rules .*: 1 book judged again .*; the confidence, status or proposed path of 1 book changed\n$/);
    const again = await runCliInProcess(["status", "--json"], { dataDir: data });
    expect(again.stderr).toBe("");
    const reread = openDatabase(path.join(data, "shelfwise.db"));
    try {
      expect(getBook(reread, id)).toMatchObject({ profile, status_reason: "no author; no title; confidence 0 below threshold 60" });
    } finally {
      reread.close();
    }
  });

  it("a naming_template changed in config.json gives every judged book its new proposed path at the next command, without `process`", async () => {
    await runCliOk(["book", String(id), "--set", "author=Ann Leckie", "--set", "title=Ancillary Justice"], { dataDir: data });
    expect(await json<Book>(["book", String(id)])).toMatchObject({ proposed_path: "Ann Leckie/Ancillary Justice" });
    const file = path.join(data, "config.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), naming_template: "{author} - {title}" }));
    const listed = await runCliInProcess(["books", "--json"], { dataDir: data });
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ id, status: "identified", proposed_path: "Ann Leckie - Ancillary Justice" });
    expect(listed.stderr).toMatch(/^shelfwise: note: confidence_threshold, naming_template or series_num_padding changed in config.json: 1 book judged again/);
  });
});

describe("series_num_padding", () => {
  it("`process` renders the proposed path with the configured padding, as `book --set` and `plan` do", async () => {
    const root = path.join(tmp, "padding");
    const lib = path.join(root, "library");
    const dataDir = path.join(root, "data");
    const folder = path.join(lib, "Ann Leckie", "Imperial Radch", "Book 1 - Ancillary Justice");
    fs.mkdirSync(folder, { recursive: true });
    writeMp3(path.join(folder, "01.mp3"), { artist: "Ann Leckie", album: "Ancillary Justice" });
    await runCliOk(["init", lib], { dataDir });
    const file = path.join(dataDir, "config.json");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), naming_template: "{author}/{series}/{series_num} - {title}", series_num_padding: 3 }));
    await runCliOk(["scan"], { dataDir });
    await runCliOk(["process"], { dataDir });
    const [book] = await runCliJson<Book[]>(["books", "--json"], { dataDir });
    expect(book).toMatchObject({ status: "identified", proposed_path: "Ann Leckie/Imperial Radch/001 - Ancillary Justice" });
  });
});
