/**
 * `output_path` is where apply puts books, and it is a library folder too:
 * scans read it (the books moved there stay known, and one deleted there
 * becomes `missing`), plugins may read the books there, and undo brings them
 * back. Outside every library folder, inside one, and written with `~`.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ApplyReportView, UndoReportView } from "../../src/app/views/moves.js";
import type { LibraryStatusView } from "../../src/app/views/library-status.js";
import type { ScanSummaryView } from "../../src/app/views/scan-summary.js";
import type { PlanView } from "../../src/app/views/plan.js";
import { applyMoves } from "../../src/organize/apply.js";
import { buildPluginSettings } from "../../src/plugins/manager/plugin-settings.js";
import { defaultConfig } from "../../src/config/config-schema.js";
import { runCli } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, writeBook } from "./library.js";
import { updateConfig } from "../../src/config/config-file.js";

let tmp: string;
beforeEach(() => {
  tmp = makeTempDir("output-path");
});
afterEach(() => removeTempDir(tmp));

const BOOKS = [
  { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
  { at: "inbox/Storm Front", author: "Jim Butcher", title: "Storm Front" },
];

function writeConfig(data: string, values: Record<string, unknown>): void {
  fs.writeFileSync(path.join(data, "config.json"), JSON.stringify({ naming_template: "{author}/{title}", ...values }));
}

/** The command's JSON; in this process, unless it needs an environment of its own (`env`: a CLI child). */
async function json<T>(args: string[], data: string, env?: Record<string, string>): Promise<T> {
  const run = env ? await runCli([...args, "--json"], { dataDir: data, env }) : await runCliInProcess([...args, "--json"], { dataDir: data });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

interface BookView {
  id: number;
  path: string;
  status: string;
}

describe("output_path", () => {
  it("outside every library folder: the moved books are scanned there, a deleted one becomes missing, undo brings them back", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    const [dune, storm] = BOOKS.map((b) => t.byAt(b.at).id);
    t.close();
    const out = path.join(tmp, "sorted");
    writeConfig(data, { library_paths: [lib], output_path: out });
    const before = treeHash(lib);

    const applied = await json<ApplyReportView>(["apply", "--yes"], data);
    expect(applied.moved.map((m) => m.to).sort()).toEqual([path.join(out, "Frank Herbert", "Dune"), path.join(out, "Jim Butcher", "Storm Front")]);

    // The library folder is now empty (everything moved out): status says so as scan will (no problem, nothing to
    // mount or restore), and the scan still reads the output folder.
    expect(fs.readdirSync(lib)).toEqual([]);
    const status = await runCliInProcess(["status"], { dataDir: data });
    expect([status.code, status.stdout]).toEqual([0, expect.not.stringMatching(/not there|mount or restore/)]);
    expect((await json<LibraryStatusView>(["status"], data)).library_folders).toEqual([
      { path: lib, present: true },
      { path: out, present: true },
    ]);
    const scanned = await json<ScanSummaryView>(["scan"], data);
    expect(scanned).toMatchObject({ found: 2, unchanged: 2, missing: 0, new: 0, changed: 0 });
    let books = await json<BookView[]>(["books"], data);
    expect(books.map((b) => [b.id, b.path, b.status === "missing"]).sort()).toEqual([
      [dune, path.join(out, "Frank Herbert", "Dune"), false],
      [storm, path.join(out, "Jim Butcher", "Storm Front"), false],
    ]);

    // A book deleted from the output folder is noticed.
    fs.rmSync(path.join(out, "Jim Butcher"), { recursive: true });
    expect(await json<ScanSummaryView>(["scan"], data)).toMatchObject({ missing: 1 });
    books = await json<BookView[]>(["books"], data);
    expect(books.find((b) => b.id === storm)!.status).toBe("missing");

    // The missing one is set aside, said once (`--last` cannot undo it: not an error), the other moved back.
    const undo = await runCliInProcess(["undo", "--last", "2", "--json"], { dataDir: data });
    expect(undo.code, undo.stderr).toBe(0);
    const undone = JSON.parse(undo.stdout) as UndoReportView;
    expect(undone.moved.map((m) => m.book_id)).toEqual([dune]);
    expect(undone.refused).toEqual([]);
    expect(undone.set_aside.map((r) => r.book_id)).toEqual([storm]);
    expect(treeHash(path.join(lib, "inbox", "Dune"))).toEqual(Object.fromEntries(Object.entries(before).filter(([k]) => k.startsWith("inbox/Dune/")).map(([k, v]) => [k.slice("inbox/Dune/".length), v])));
    expect(await json<ScanSummaryView>(["scan"], data)).toMatchObject({ unchanged: 1, missing: 0, new: 0, changed: 0 });
  });

  it("every book moved out to output_path: `scan LIBRARY` says apply emptied it and where the books are (exit 0, nothing missing), `library list` too; ids, evidence and corrections stay", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    const [dune, storm] = BOOKS.map((b) => t.byAt(b.at).id);
    t.close();
    const out = path.join(tmp, "sorted");
    writeConfig(data, { library_paths: [lib], output_path: out });
    expect((await runCliInProcess(["book", String(dune), "--set", "narrator=Scott Brick"], { dataDir: data })).code).toBe(0);
    const profileBefore = (await json<{ profile: unknown }>(["book", String(dune)], data)).profile;
    expect((await json<ApplyReportView>(["apply", "--yes"], data)).moved).toHaveLength(2);
    expect(fs.readdirSync(lib)).toEqual([]);

    const alone = await runCliInProcess(["scan", lib], { dataDir: data });
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stderr).not.toMatch(/unmounted|nothing to scan|problem/);
    expect(alone.stderr).toContain(`note: ${lib} is empty: the 2 books \`shelfwise apply\` moved out of it are recorded under output_path ${out}; nothing is missing`);
    const aloneJson = await json<ScanSummaryView>(["scan", lib], data);
    expect(aloneJson).toMatchObject({ found: 0, missing: 0, problems: [], moved_out: [{ path: lib, books: 2, moved_to: [out] }], exit_code: 0 });

    const list = await runCliInProcess(["library", "list"], { dataDir: data });
    expect(list.stdout).toContain("empty: apply moved its 2 books out");
    expect(list.stdout).not.toContain("unmounted");
    expect(await json<unknown>(["library", "list"], data)).toEqual([{ path: lib, entry: lib, state: "empty", books: 0, missing_books: 0, moved_out: 2 }]);

    // The whole library scanned: the books are where apply put them, with everything they had; no note (books were found).
    const whole = await runCliInProcess(["scan", "--json"], { dataDir: data });
    expect(JSON.parse(whole.stdout)).toMatchObject({ found: 2, unchanged: 2, missing: 0, new: 0, problems: [] });
    expect(whole.stderr).toBe("");
    const books = await json<BookView[]>(["books"], data);
    expect(books.map((b) => [b.id, b.path, b.status]).sort()).toEqual([
      [dune, path.join(out, "Frank Herbert", "Dune"), "identified"],
      [storm, path.join(out, "Jim Butcher", "Storm Front"), "identified"],
    ]);
    const after = await json<{ narrator: string; profile: unknown }>(["book", String(dune)], data);
    expect(after.narrator).toBe("Scott Brick");
    expect(after.profile).toEqual(profileBefore);
  });

  it("output_path changed after apply (the new one not made yet): status does not call the library folder apply emptied an unmounted drive", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    writeConfig(data, { library_paths: [lib], output_path: path.join(tmp, "sorted") });
    expect((await json<ApplyReportView>(["apply", "--yes"], data)).moved).toHaveLength(2);
    writeConfig(data, { library_paths: [lib], output_path: path.join(tmp, "sorted-elsewhere") });
    const status = await runCliInProcess(["status"], { dataDir: data });
    expect([status.code, status.stdout]).toEqual([0, expect.not.stringMatching(/unmounted|mount or restore/)]);
    expect((await json<LibraryStatusView>(["status"], data)).library_folders).toEqual([{ path: lib, present: true }]);
  });

  it("output_path changed (or unset) after apply: plan holds the books of the old one saying it was output_path, what it is now, and both ways on; a library folder taken out keeps its own words", async () => {
    const t = await openLibrary(tmp, [...BOOKS, { at: "other/Emma", author: "Jane Austen", title: "Emma" }]);
    const { lib, data } = t;
    t.close();
    const old = path.join(tmp, "sorted");
    const other = path.join(tmp, "other-lib");
    fs.mkdirSync(other);
    writeConfig(data, { library_paths: [lib], output_path: old });
    expect((await json<ApplyReportView>(["apply", "--yes", "1", "2"], data)).moved).toHaveLength(2);
    const now = path.join(tmp, "sorted-elsewhere");
    // The library folder itself taken out too (another one listed): its book left there keeps its own words.
    writeConfig(data, { library_paths: [other], output_path: now });
    const reasons = async () => {
      const plan = await json<PlanView>(["plan"], data);
      return Object.fromEntries(plan.entries.filter((e) => e.conflict?.kind === "library_removed").map((e) => [e.from, e.conflict!.reason]));
    };
    const advice = `\`shelfwise config set output_path ${old}\` to organize its books there again, or \`shelfwise library add ${old}\` (then \`shelfwise scan\`)`;
    const oldOutput = (then: string) => `it is in ${old}, where apply put books while output_path was ${old}; ${then}, so shelfwise leaves that folder alone: ${advice}`;
    const removedLibrary = `its library folder ${lib} is no longer in library_paths; \`shelfwise library add ${lib}\` (then \`shelfwise scan\`) to organize it again`;
    expect(await reasons()).toEqual({
      [path.join(old, "Frank Herbert", "Dune")]: `${oldOutput(`output_path is ${now} now`)} to have apply move them to ${now}`,
      [path.join(old, "Jim Butcher", "Storm Front")]: `${oldOutput(`output_path is ${now} now`)} to have apply move them to ${now}`,
      [path.join(lib, "other", "Emma")]: removedLibrary,
    });
    writeConfig(data, { library_paths: [other] });
    expect(Object.values(await reasons()).sort()).toEqual([`${oldOutput("output_path is not set now")} to organize them where they are`, `${oldOutput("output_path is not set now")} to organize them where they are`, removedLibrary]);
  });

  it("written by hand with a line break: scan, plan and apply refuse it naming the line of config.json, and make no folder; a folder of that very name is taken", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    const pasted = path.join(tmp, "sorted") + "\nx";
    fs.writeFileSync(path.join(data, "config.json"), `{\n  "library_paths": ${JSON.stringify([lib])},\n  "naming_template": "{author}/{title}",\n  "output_path": ${JSON.stringify(pasted)}\n}\n`);
    const words = `shelfwise: config.json: output_path (line 4) is ${JSON.stringify(pasted)}: character ${pasted.indexOf("\n") + 1} is a line break (U+000A), and no folder of that name exists, so apply would make one no one can type; write it on one line (\`shelfwise config set output_path FOLDER\`), or null to keep each book in its library folder\n`;
    for (const command of [["scan"], ["plan"], ["apply", "--yes"], ["apply", "--dry-run"]]) {
      const run = await runCliInProcess(command, { dataDir: data });
      expect([command, run.code, run.stderr]).toEqual([command, 2, words]);
    }
    expect(fs.readdirSync(tmp).sort()).toEqual(["data", "library"]);
    fs.mkdirSync(pasted);
    expect((await json<ApplyReportView>(["apply", "--yes"], data)).moved.map((m) => m.to)).toEqual([path.join(pasted, "Frank Herbert", "Dune"), path.join(pasted, "Jim Butcher", "Storm Front")]);
  });

  it("a library folder emptied behind shelfwise's back (an unmounted drive's mount point) still warns and keeps its books, also when apply moved some of them out", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    const storm = t.byAt("inbox/Storm Front").id;
    t.close();
    const out = path.join(tmp, "sorted");
    writeConfig(data, { library_paths: [lib], output_path: out });
    // Only Dune moves (Storm Front locked); then the drive's contents vanish: Storm Front is still recorded under it.
    expect((await runCliInProcess(["book", String(storm), "--lock"], { dataDir: data })).code).toBe(0);
    expect((await json<ApplyReportView>(["apply", "--yes"], data)).moved).toHaveLength(1);
    fs.rmSync(path.join(lib, "inbox"), { recursive: true });
    const scan = await runCliInProcess(["scan", lib], { dataDir: data });
    expect(scan.code).not.toBe(0);
    expect(scan.stderr).toMatch(/unmounted drive/);
    expect(scan.stderr).not.toMatch(/moved out of it/);
    expect((await json<BookView[]>(["books"], data)).find((b) => b.id === storm)!.status).not.toBe("missing");
    expect((await json<{ state: string; moved_out: number }[]>(["library", "list"], data))[0]).toMatchObject({ state: "empty", moved_out: 0 });

    // A library folder that never had a book moved out of it by apply, emptied: the same warning, as before.
    const u = await openLibrary(path.join(tmp, "second"), BOOKS);
    u.close();
    fs.rmSync(path.join(u.lib, "inbox"), { recursive: true });
    const second = await runCliInProcess(["scan", u.lib], { dataDir: u.data });
    expect([second.code, second.stderr]).toEqual([1, expect.stringMatching(/library folder is empty \(an unmounted drive\?\); books recorded under it are left as they were/)]);
  });

  it("inside a library folder: a rescan keeps the moved books as they are (not re-identified under the outer folder)", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    const out = path.join(lib, "Sorted");
    writeConfig(data, { library_paths: [lib], output_path: out });
    const applied = await json<ApplyReportView>(["apply", "--yes"], data);
    expect(applied.moved).toHaveLength(2);
    const scanned = await json<ScanSummaryView>(["scan"], data);
    expect(scanned).toMatchObject({ found: 2, unchanged: 2, changed: 0, new: 0, missing: 0 });
    // Scanning only the library folder keeps them under the output folder too.
    expect(await json<ScanSummaryView>(["scan", lib], data)).toMatchObject({ unchanged: 2, changed: 0 });
    const plan = await json<{ counts: { move: number; ok: number } }>(["plan"], data);
    expect(plan.counts).toMatchObject({ move: 0, ok: 2 });
  });

  it("not made yet: a scan does not complain about it", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    writeConfig(data, { library_paths: [lib], output_path: path.join(tmp, "not-yet") });
    const scanned = await json<ScanSummaryView>(["scan"], data);
    expect(scanned).toMatchObject({ found: 2, problems: [] });
  });

  it("on a file system that makes no folders (/proc): apply ends, each book not moved saying so, and stays where it was", async (ctx) => {
    if (!fs.existsSync("/proc/self")) return ctx.skip();
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    const out = `/proc/shelfwise-output-${process.pid}`;
    writeConfig(data, { library_paths: [lib], output_path: out });
    const before = treeHash(lib);
    // Node's recursive mkdir made /proc again and again there, for ever (killed after the timeout: code null).
    const run = await runCli(["apply", "--yes", "--json"], { dataDir: data, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as ApplyReportView;
    expect(report.moved).toEqual([]);
    expect(report.failed.map((f) => f.error)).toEqual(
      report.failed.map((f) => `/proc is on a file system that makes no folders (as /proc and /sys are), so ${out} cannot be made there; give output_path (or the library folder) a folder on a disk, and run the command again; the book stays at ${f.from}`),
    );
    expect(report.failed).toHaveLength(2);
    expect(treeHash(lib)).toEqual(before);
  });

  it("written with ~ is under the home folder, as everywhere else in config.json (never a folder named ~ in the data folder)", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    const home = path.join(tmp, "home");
    fs.mkdirSync(home);
    writeConfig(data, { library_paths: [lib], output_path: "~/Audiobooks" });
    const applied = await json<ApplyReportView>(["apply", "--yes"], data, { HOME: home });
    expect(applied.moved.map((m) => m.to).sort()).toEqual([path.join(home, "Audiobooks", "Frank Herbert", "Dune"), path.join(home, "Audiobooks", "Jim Butcher", "Storm Front")]);
    expect(fs.existsSync(path.join(data, "~"))).toBe(false);
  });

  it("naming a file: apply and its dry run refuse every book before moving any, saying a file stands in the way", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    const file = path.join(tmp, "sorted");
    fs.writeFileSync(file, "not a folder");
    writeConfig(data, { library_paths: [lib], output_path: file });
    const words = expect.stringMatching(new RegExp(`^a file stands where a folder is needed on the way to ${file}/`));
    // Held (a state of the disk to fix there, as permission_denied and read_only are since aorg23), not failed moves.
    const dry = await json<ApplyReportView>(["apply", "--dry-run"], data);
    expect(dry.failed).toEqual([]);
    expect(dry.held.map((e) => [e.conflict!.kind, e.conflict!.reason])).toEqual([["permission_denied", words], ["permission_denied", words]]);
    const run = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: data });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReportView;
    expect(report.failed).toEqual([]);
    expect(report.held.map((e) => [e.conflict!.kind, e.conflict!.reason])).toEqual([["permission_denied", words], ["permission_denied", words]]);
    expect(report.moved).toEqual([]);
  });

  // A link to a disk not mounted: the dry run said "would move" for every book, and apply failed each one with the bare
  // `ENOENT: no such file or directory, mkdir '…'` after journaling it. Now both refuse every book before moving any,
  // naming the link and where it points. In-process: the words are organize's, the CLI only prints them.
  it("a symbolic link to nothing (a disk not mounted): apply and its dry run refuse every book before moving any, naming the link", async () => {
    const link = path.join(tmp, "sorted");
    fs.symlinkSync(path.join(tmp, "usb-disk-not-mounted"), link);
    const t = await openLibrary(tmp, BOOKS, { output_path: link });
    try {
      const before = treeHash(t.lib);
      const words = `${link} is a symbolic link to ${path.join(tmp, "usb-disk-not-mounted")}, which does not exist (a disk not mounted, a folder moved away?); mount it or fix the link (or output_path in config.json) and run the command again; the book stays at `;
      for (const dryRun of [true, false]) {
        const report = await applyMoves(t.ctx, { dryRun });
        expect(report.moved).toEqual([]);
        expect(report.failed).toEqual([]);
        expect(report.held.map((e) => [e.conflict!.kind, e.conflict!.reason])).toEqual(t.rows().map((r) => ["permission_denied", words + r.path]));
      }
      expect(treeHash(t.lib)).toEqual(before);
      expect(fs.existsSync(path.join(tmp, "usb-disk-not-mounted"))).toBe(false);
    } finally {
      t.close();
    }
  });

  it("too broad (the home folder, a folder holding the library or the data folder) or inside the data folder: scan, plan and apply refuse it, saying why, and read or move nothing; a settings change to it is refused", async () => {
    const t = await openLibrary(tmp, BOOKS);
    const { lib, data } = t;
    t.close();
    const home = path.join(tmp, "home");
    // Audio elsewhere in the home folder: scanned as books before.
    writeBook(home, { at: "Podcasts/Episode 1", author: "Some Host", title: "Episode 1" });
    const before = [treeHash(lib), treeHash(home)];
    const cases = [
      { output: "~", words: `output_path ${home} is the home folder` },
      { output: tmp, words: `output_path ${tmp} holds shelfwise's data folder ${data}` },
      // Relative to the data folder: the books went into it, and removing the data folder to start over took them along.
      { output: "Sorted", words: `output_path ${path.join(data, "Sorted")} is inside shelfwise's data folder ${data} (a relative output_path is relative to the data folder)` },
    ];
    for (const { output, words } of cases) {
      writeConfig(data, { library_paths: [lib], output_path: output });
      for (const args of [["scan"], ["plan"], ["apply", "--dry-run"], ["apply", "--yes"]]) {
        // `~` needs a home folder of the test's own (a CLI child's HOME); the other folders are the same for any HOME.
        const run = output === "~" ? await runCli(args, { dataDir: data, env: { HOME: home } }) : await runCliInProcess(args, { dataDir: data });
        expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toContain(words);
        expect(run.stderr).toContain("give it a folder of its own for audiobooks");
      }
    }
    expect([treeHash(lib), treeHash(home)]).toEqual(before);
    // Holding the library alone (the data folder elsewhere).
    const otherData = makeTempDir("output-path-data");
    try {
      writeConfig(otherData, { library_paths: [lib], output_path: tmp });
      const run = await runCliInProcess(["plan"], { dataDir: otherData });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`output_path ${tmp} holds the library folder ${lib}`);
    } finally {
      removeTempDir(otherData);
    }
    // The same as a library folder (one holding another, an inbox listed on its own): scanned whole anyway, so allowed.
    writeConfig(data, { library_paths: [tmp, lib], output_path: tmp });
    const same = await runCliInProcess(["plan"], { dataDir: data });
    expect(same.code, same.stderr).toBe(0);
    // The settings page (and every other writer) cannot set it.
    writeConfig(data, { library_paths: [lib] });
    expect(() => updateConfig(data, (raw) => void (raw.output_path = tmp))).toThrow(/holds shelfwise's data folder/);
    expect(() => updateConfig(data, (raw) => void (raw.output_path = "Sorted"))).toThrow(/is inside shelfwise's data folder/);
    expect(JSON.parse(fs.readFileSync(path.join(data, "config.json"), "utf8")).output_path).toBeUndefined();
  });

  it("plugins with read access may read the books moved there", () => {
    const settings = buildPluginSettings({
      dataDir: "/data",
      pluginDir: "/data/plugins",
      // Relative to the data folder (not inside it: outputFolderProblem).
      config: { ...defaultConfig(), library_paths: ["/books"], output_path: "../sorted" },
      secrets: {},
    });
    expect(settings.libraryPaths).toEqual(["/books", "/sorted"]);
  });
});
