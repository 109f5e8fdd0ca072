/**
 * The data folder inside a library folder (the default ./shelfwise-data, with shelfwise run from the
 * library): its plugins (with their test books), logs and database are never scanned as books, by the CLI's
 * scan or the server's.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scanLibraryFolders } from "../../src/app/library-scan.js";
import { scanAndRecord } from "../../src/app/scan-library.js";
import { openSession } from "../../src/app/open-session.js";
import type { Session } from "../../src/app/session.js";
import { duplicatesWords, libraryStatusView } from "../../src/app/library-status.js";
import { addLibraryFolder } from "../../src/app/library-paths.js";
import { ShelfService, scanJobLine } from "../../src/server/service.js";
import type { LibraryStatusView } from "../../src/app/views/library-status.js";
import { statusLines } from "../../src/cli/commands/status.js";
import { scanLibrary } from "../../src/library/scan.js";
import { setUserFields } from "../../src/organize/corrections.js";
import { buildPlan } from "../../src/organize/plan.js";
import { applyScan, getBook, listBooks, setBookLocked } from "../../src/store/books.js";
import { content } from "../organize/library.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

let tmp: string;
let session: Session | undefined;
beforeEach(() => {
  tmp = makeTempDir("library-scan");
});
afterEach(async () => {
  await session?.close();
  forget();
  removeTempDir(tmp);
});
/** The session is closed already (by the test): nothing for afterEach to close. */
function forget(): void {
  session = undefined;
}

function libraryHoldingData(): { lib: string; data: string } {
  const lib = path.join(tmp, "Audiobooks");
  const data = path.join(lib, "shelfwise-data");
  for (const file of ["Frank Herbert/Dune/01.mp3", "shelfwise-data/plugins/my-plugin/test/book/01.mp3", "shelfwise-data/logs/sample.m4b"]) {
    fs.mkdirSync(path.dirname(path.join(lib, file)), { recursive: true });
    fs.writeFileSync(path.join(lib, file), content(file));
  }
  return { lib, data };
}

describe("a data folder inside the library", () => {
  it.each([
    ["shelfwise scan", (s: Session, lib: string) => scanAndRecord(s, [lib])],
    ["the server's scan", (s: Session, lib: string) => scanLibraryFolders(s, [lib])],
  ])("is not scanned by %s: only the library's own books are recorded", async (_name, scan) => {
    const { lib, data } = libraryHoldingData();
    session = openSession(data);
    await scan(session, lib);
    expect(listBooks(session.db).map((b) => path.relative(lib, b.path))).toEqual([path.join("Frank Herbert", "Dune")]);
  });
});

describe("a library folder renamed or moved by the user", () => {
  function writeBooks(root: string, names: string[]): void {
    for (const name of names) {
      const file = path.join(root, name, "01.mp3");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content(name));
      // Other mtimes: books whose files are alike in name, size and mtime are not told apart. Whole seconds, which a copy keeps exactly (cpSync sets times to the millisecond; `cp -a` and `rsync -a` to the nanosecond).
      fs.utimesSync(file, 1_700_000_000, 1_700_000_000 + names.indexOf(name));
    }
  }
  const idsBy = (s: Session, root: string) =>
    Object.fromEntries(listBooks(s.db).filter((b) => b.library_root === root).map((b) => [path.relative(root, b.path), b.id]));
  /** A library folder "Audiobooks" of these books, in library_paths and scanned, and the names of its new place and the data folder. */
  async function scannedLibrary(names: string[] | ((root: string) => void)): Promise<{ old: string; renamed: string; data: string; session: Session }> {
    const [old, renamed, data] = ["Audiobooks", "Books", "data"].map((name) => path.join(tmp, name)) as [string, string, string];
    if (typeof names === "function") names(old);
    else writeBooks(old, names);
    fs.mkdirSync(data);
    session = openSession(data);
    session.config.library_paths.push(old);
    await scanAndRecord(session, [old]);
    return { old, renamed, data, session };
  }

  it("its books keep their ids and corrections under the new folder; a copy beside a library still there is new books", async () => {
    const { old, renamed, session } = await scannedLibrary(["Dune", "Emma", "Hobbit"]);
    const copy = path.join(tmp, "Copy");
    const before = idsBy(session, old);
    setBookLocked(session.db, before.Dune!, true);

    // Moved to another disk (new inodes, times kept), one book left out, the old folder gone; the new folder
    // scanned while the old one is still in library_paths (`scan NEW`, then the old one removed).
    for (const name of ["Dune", "Emma"]) fs.cpSync(path.join(old, name), path.join(renamed, name), { recursive: true, preserveTimestamps: true });
    fs.rmSync(old, { recursive: true });
    const moved = await scanAndRecord(session, [renamed]);
    expect(moved).toMatchObject({ read: true, summary: { new: 0, moved: 2, moved_library: 2 } });
    expect(idsBy(session, renamed)).toEqual({ Dune: before.Dune, Emma: before.Emma });
    expect(getBook(session.db, before.Dune!)).toMatchObject({ locked: 1 });
    // The book not copied stays as it was recorded: nothing found it elsewhere.
    expect(idsBy(session, old)).toEqual({ Hobbit: before.Hobbit });
    // So the old folder, still configured, is a plain problem: a book is recorded under it.
    session.config.library_paths.push(renamed);
    const partial = await scanAndRecord(session, [old, renamed]);
    expect(partial).toMatchObject({ read: true, summary: { exit_code: 3, problems: [{ path: old, message: expect.stringMatching(/^library folder not found: check the path/) }] } });
    session.config.library_paths.pop();

    // Two copies: the library is still where it is recorded, so the copy's books are books of their own.
    session.config.library_paths.splice(0, 1, renamed);
    fs.cpSync(renamed, copy, { recursive: true, preserveTimestamps: true });
    expect(await scanAndRecord(session, [copy])).toMatchObject({ read: true, summary: { new: 2, moved: 0, moved_library: 0 } });
    expect(idsBy(session, renamed)).toEqual({ Dune: before.Dune, Emma: before.Emma });
  });

  it("a book of a folder taken out of library_paths is marked missing by the next scan once its place is gone, and only then", async () => {
    // `library remove` keeps the books; no scan reads the folder any more, so one deleted there stayed `new`
    // for ever while `status` said "`shelfwise scan` records what changed". A folder still listed is not given up.
    const [kept, removed, unmounted] = ["Audiobooks", "Old", "Drive"].map((name) => path.join(tmp, name)) as [string, string, string];
    writeBooks(kept, ["Dune"]);
    // Hobbit first: Emma would share Dune's name length and mtime (writeBooks's), so one book's files to the byte count.
    writeBooks(removed, ["Hobbit", "Emma"]);
    writeBooks(unmounted, ["Ulysses"]);
    fs.mkdirSync(path.join(tmp, "data"));
    session = openSession(path.join(tmp, "data"));
    session.config.library_paths.push(kept, removed, unmounted);
    await scanAndRecord(session, [kept, removed, unmounted]);
    session.config.library_paths.splice(1, 1);
    fs.rmSync(path.join(removed, "Emma"), { recursive: true });
    fs.rmSync(unmounted, { recursive: true });
    const status = () => Object.fromEntries(listBooks(session!.db).map((b) => [path.basename(b.path), b.status]));
    expect(await scanAndRecord(session, [kept])).toMatchObject({ read: true, summary: { missing: 1 } });
    expect(status()).toEqual({ Dune: "new", Emma: "missing", Hobbit: "new", Ulysses: "new" });
    fs.rmSync(path.join(removed, "Hobbit"), { recursive: true });
    // The server's scan too.
    expect(await scanLibraryFolders(session, [kept, unmounted])).toMatchObject({ missing: 1 });
    expect(status()).toEqual({ Dune: "new", Emma: "missing", Hobbit: "missing", Ulysses: "new" });
  });

  it("a library copied to FAT or exFAT and back (mtimes rounded) keeps its books' ids, one to one and only when every file agrees", async () => {
    // [book, [seconds as recorded, seconds after the round trip] per file]: a file's size is its book's and its name's.
    const books: [string, [number, number][]][] = [
      // Linux's vfat: down to the even second.
      ["Dune", [[1_700_000_001.75, 1_700_000_000], [1_700_000_003.25, 1_700_000_002]]],
      // Windows on FAT: up to the even second; and a file already on the grid, unchanged.
      ["Emma", [[1_700_000_100.3, 1_700_000_102], [1_700_000_104, 1_700_000_104]]],
      // exFAT's 10 ms; and the fraction of a second dropped (odd seconds: not FAT's grid).
      ["Tenth", [[1_700_000_600.123456, 1_700_000_600.12], [1_700_000_602.5, 1_700_000_602.5]]],
      ["Whole", [[1_700_000_701.75, 1_700_000_701], [1_700_000_703.2, 1_700_000_703]]],
      // Alike to the byte count (same names and sizes) and both rounded to the same times: which is which cannot be told.
      ["Twin", [[1_700_000_200.5, 1_700_000_200], [1_700_000_202.5, 1_700_000_202]]],
      ["Twim", [[1_700_000_200.9, 1_700_000_200], [1_700_000_202.9, 1_700_000_202]]],
      // One file rounded down, the other up: no copy does that.
      ["Mixed", [[1_700_000_301.5, 1_700_000_300], [1_700_000_303.5, 1_700_000_304]]],
      // Over the 2 s a rounding can move a time.
      ["Late", [[1_700_000_400.5, 1_700_000_398], [1_700_000_402.5, 1_700_000_402]]],
    ];
    const write = (root: string, at: 0 | 1) => {
      for (const [name, times] of books) {
        times.forEach((time, i) => {
          const file = path.join(root, name, `0${i + 1}.mp3`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          if (at === 0) fs.writeFileSync(file, content(`${name.length}-${i}`));
          // The round trip's times exactly, as the file system gives them (utimes goes through a double of seconds,
          // which misses 10 ms steps by nanoseconds); the recorded ones need not be exact.
          if (at === 0) fs.utimesSync(file, time[at], time[at]);
          else execFileSync("touch", ["-m", "-d", `@${time[at]}`, file]);
        });
      }
    };
    const { old, renamed: back, session } = await scannedLibrary((root) => write(root, 0));
    const before = idsBy(session, old);
    setBookLocked(session.db, before.Dune!, true);
    // Dune as kept by a shelfwise from before the exact times were kept: the next scan that finds it unchanged keeps them.
    session.db.prepare("UPDATE books SET listing = NULL WHERE id = ?").run(before.Dune);
    expect(await scanAndRecord(session, [old])).toMatchObject({ summary: { unchanged: 8, changed: 0 } });

    fs.cpSync(old, back, { recursive: true });
    write(back, 1);
    fs.rmSync(old, { recursive: true });
    session.config.library_paths.splice(0, 1, back);
    const scanned = await scanAndRecord(session, [back]);
    expect(scanned).toMatchObject({ read: true, summary: { found: 8, moved: 4, moved_rounded: 4, moved_library: 4, new: 4 } });
    // The web app's scan says it as `scan` does.
    expect(scanned.read && scanJobLine(scanned.summary)).toContain("; 4 books recognized with their files' times rounded by a copy (FAT or exFAT)");
    const after = idsBy(session, back);
    const kept = ["Dune", "Emma", "Tenth", "Whole"];
    expect(kept.map((name) => after[name])).toEqual(kept.map((name) => before[name]));
    expect(getBook(session.db, before.Dune!)).toMatchObject({ locked: 1 });
    for (const name of ["Twin", "Twim", "Mixed", "Late"]) expect(Object.values(before)).not.toContain(after[name]);
    // Recorded with the times they have now: the next scan finds nothing changed.
    expect(await scanAndRecord(session, [back])).toMatchObject({ summary: { unchanged: 8, moved: 0, new: 0, changed: 0 } });
  });

  it("books recorded twice by an older shelfwise (a renamed library folder scanned as new) are made one under the old id when nothing of the user's is lost, else counted", async () => {
    const { old, renamed, data, session: opened } = await scannedLibrary(["Dune", "Emma", "Hobbit"]);
    const session = opened;
    const first = idsBy(session, old);
    setUserFields(session, first.Dune!, { set: { author: "Frank Herbert" } });
    setBookLocked(session.db, first.Dune!, true);
    setUserFields(session, first.Emma!, { set: { author: "Jane Austen" } });
    // What a shelfwise from before library folders renamed were recognized did: the folder renamed, library_paths
    // edited, the new folder's books recorded as new ones, the old records left `identified` where nothing is.
    fs.renameSync(old, renamed);
    session.config.library_paths.splice(0, 1, renamed);
    applyScan(session.db, (await scanLibrary([renamed])).books, [renamed]);
    const second = idsBy(session, renamed);
    expect(Object.keys(second).sort()).toEqual(["Dune", "Emma", "Hobbit"]);
    // The user corrected the new Emma too: which of the two Emmas is right only they can say.
    setUserFields(session, second.Emma!, { set: { title: "Emma (annotated)" } });

    const merged = await scanAndRecord(session, [renamed]);
    expect(merged).toMatchObject({ read: true, summary: { merged: 2, duplicates: 1, new: 0, moved: 0, missing: 0 } });
    expect(idsBy(session, renamed)).toEqual({ Dune: first.Dune, Emma: second.Emma, Hobbit: first.Hobbit });
    expect(getBook(session.db, first.Dune!)).toMatchObject({ locked: 1, author: "Frank Herbert", path: path.join(renamed, "Dune") });
    expect(getBook(session.db, second.Dune!)).toBeUndefined();
    expect(getBook(session.db, first.Emma!)).toMatchObject({ author: "Jane Austen", path: path.join(old, "Emma") });
    const status = await libraryStatusView(session);
    expect(status).toMatchObject({ books: 4, gone: 1, duplicates: 1, duplicate_book_ids: [first.Emma] });
    expect(merged.read && scanJobLine(merged.summary)).toMatch(/; 2 books recorded twice by an older shelfwise made one; 1 book recorded twice left as two \(.*"Needs you" on the dashboard says what to do\)$/);

    // The web dashboard says it too, in its own words, with links to the old record; its scan merges them.
    await session.close();
    forget();
    addLibraryFolder(data, renamed);
    const service = await ShelfService.open(data, { autoRun: false, watch: false });
    try {
      const shown = () => Object.fromEntries(service.status().problems.map((p) => [p.kind, p]));
      expect(shown()).toMatchObject({
        gone: { message: expect.stringMatching(/^1 book is not where shelfwise recorded it: moved or deleted outside shelfwise/), book_ids: [first.Emma], more_books: false },
        duplicates: { message: duplicatesWords(1, "", "page"), book_ids: [first.Emma], more_books: false },
      });
      // In the page's words: its form and buttons, not the commands `status` names.
      expect(shown().duplicates!.message).toContain("on the old record's page correct what you want kept of the new one's, on the new one's take yours off (Remove mine, Unlock), and the next scan makes them one under the old id");
      expect(shown().duplicates!.message).not.toContain("`shelfwise ");
      // As status says: the new record's correction put on the old one and taken off the new one; the next scan merges.
      setUserFields(service.session, first.Emma!, { set: { title: "Emma (annotated)" } });
      setUserFields(service.session, second.Emma!, { unset: ["title"] });
      service.startScan();
      await service.idle();
      expect(service.status().last_job).toMatchObject({ state: "done", message: expect.stringMatching(/; 1 book recorded twice by an older shelfwise made one$/) });
      expect(Object.keys(shown())).not.toContain("duplicates");
      expect(Object.keys(shown())).not.toContain("gone");
      expect(getBook(service.session.db, first.Emma!)).toMatchObject({ author: "Jane Austen", title: "Emma (annotated)", path: path.join(renamed, "Emma") });
      expect(await libraryStatusView(service.session)).toMatchObject({ books: 3, gone: 0, duplicates: 0 });
    } finally {
      await service.close();
    }
  });

  it("once every book of the old folder was recognized under the new one, the scan's problem says so and how to end it", async () => {
    const { old, renamed, session } = await scannedLibrary(["Dune", "Emma"]);
    fs.renameSync(old, renamed);
    expect(await scanAndRecord(session, [renamed])).toMatchObject({ summary: { moved_library: 2 } });
    // The next scan of library_paths (`scan NEW` adds it beside the old one) exited 3 with "library folder not
    // found: check the path, or mount the drive" scan after scan, though nothing was left under it.
    session.config.library_paths.push(renamed);
    const next = await scanAndRecord(session, [old, renamed]);
    expect(next).toMatchObject({ read: true, summary: { found: 2, moved: 0, exit_code: 3 } });
    const problems = [
      {
        path: old,
        message: `library folder not found, and no book is recorded under it any more (its books, if it had any, were recognized under another library folder): take it out of library_paths: \`shelfwise library remove ${old}\``,
      },
    ];
    expect(next.read && next.summary.problems).toEqual(problems);
    // The server's scan (web app, API) says the same.
    expect((await scanLibraryFolders(session, [old, renamed])).problems).toEqual(problems);
  });
});

describe("status's next step", () => {
  it("counts exactly what `plan` lists: a book whose folders differ from its target only in case, Unicode form or a folder's spelling is in place for both", async () => {
    const { lib, data } = libraryHoldingData();
    // On disk: "ursula k. le guin" (case), "Zoë" decomposed (NFD, as macOS writes names), and one book truly to move.
    const books = ["ursula k. le guin/A Wizard of Earthsea", "Zoe\u0308 Heller/Notes on a Scandal".normalize("NFD"), "inbox/Emma"];
    for (const at of books) {
      fs.mkdirSync(path.join(lib, at), { recursive: true });
      fs.writeFileSync(path.join(lib, at, "01.mp3"), content(at));
    }
    session = openSession(data);
    session.config.library_paths.push(lib);
    session.config.naming_template = "{author}/{title}";
    await scanAndRecord(session, [lib]);
    const id = (at: string) => listBooks(session!.db).find((b) => b.path === path.join(lib, at))!.id;
    setUserFields(session, id("Frank Herbert/Dune"), { set: { author: "Frank Herbert", title: "Dune" } });
    setUserFields(session, id(books[0]!), { set: { author: "Ursula K. Le Guin", title: "A Wizard of Earthsea" } });
    setUserFields(session, id(books[1]!), { set: { author: "Zoë Heller", title: "Notes on a Scandal" } });
    setUserFields(session, id("inbox/Emma"), { set: { author: "Jane Austen", title: "Emma" } });
    const plan = buildPlan({ db: session.db, config: session.config, dataDir: data });
    expect(plan.counts).toEqual({ move: 1, ok: 3, held: 0 });
    // It said 3: the two books at their place but for the spelling of a folder were counted as to plan.
    expect(await libraryStatusView(session)).toMatchObject({ to_plan: 1 });
    // A book in place that went away since the last scan is held by the plan (source_missing): to plan for both.
    fs.rmSync(path.join(lib, "Frank Herbert"), { recursive: true });
    expect(buildPlan({ db: session.db, config: session.config, dataDir: data }).counts).toEqual({ move: 1, ok: 2, held: 1 });
    expect(await libraryStatusView(session)).toMatchObject({ to_plan: 2 });
  });

  it("names `plan` only while it would list a book: not when every identified book is locked or at its place", async () => {
    const { lib, data } = libraryHoldingData();
    fs.mkdirSync(path.join(lib, "inbox", "Emma"), { recursive: true });
    fs.writeFileSync(path.join(lib, "inbox", "Emma", "01.mp3"), content("Emma"));
    session = openSession(data);
    session.config.library_paths.push(lib);
    session.config.naming_template = "{author}/{title}";
    await scanAndRecord(session, [lib]);
    const id = (at: string) => listBooks(session!.db).find((b) => b.path === path.join(lib, at))!.id;
    setUserFields(session, id("Frank Herbert/Dune"), { set: { author: "Frank Herbert", title: "Dune" } });
    setUserFields(session, id("inbox/Emma"), { set: { author: "Jane Austen", title: "Emma" } });
    const planLine = (status: LibraryStatusView) => statusLines(status).filter((line) => line.includes("`shelfwise plan`"));
    const both = await libraryStatusView(session);
    expect(both).toMatchObject({ by_status: { identified: 2 }, to_plan: 1 });
    expect(planLine(both)).toEqual(["next: `shelfwise plan` lists the 1 identified book not at its proposed place yet"]);
    // It said "next: `shelfwise plan` lists the identified books not at their proposed place yet", and plan listed none.
    setBookLocked(session.db, id("inbox/Emma"), true);
    const placed = await libraryStatusView(session);
    expect(placed).toMatchObject({ by_status: { identified: 2 }, locked: 1, to_plan: 0 });
    expect(planLine(placed)).toEqual([]);
    // Nor for the books of a library folder taken out of library_paths: plan holds them (library_removed).
    setBookLocked(session.db, id("inbox/Emma"), false);
    session.config.library_paths = [path.join(tmp, "Elsewhere")];
    expect(await libraryStatusView(session)).toMatchObject({ locked: 0, to_plan: 0 });
  });
});
