/**
 * Moves the system's permissions would refuse are found before anything
 * moves: `apply --dry-run` names them with the reason, and `apply` leaves
 * those books out (never journaled, nothing tried) while the others move.
 * Root writes through any permission, so the CLI runs as "nobody" over
 * root's files: the permission checks are then the kernel's own.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, type TestContext } from "vitest";
import type { ApplyReportView, HistoryView, UndoReportView } from "../../src/app/views/moves.js";
import type { PlanView } from "../../src/app/views/plan.js";
import { runCli } from "../support/cli.js";
import { runCliInProcess, runCliInProcessOk } from "../support/cli-in-process.js";
import { chmodTree, makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash, writeBook } from "./library.js";

let tmp: string;
beforeEach(() => {
  tmp = makeTempDir("permission-preflight");
});
afterEach(() => {
  chmodTree("u+rwX", tmp);
  removeTempDir(tmp);
});

const NOBODY = 65534;

/**
 * Skips a test that needs a second user: one not run as root, or where "nobody" cannot run this checkout's CLI (a
 * checkout out of its reach), asked once for the file.
 */
let nobodyRuns: Promise<boolean> | undefined;
async function needNobody(ctx: TestContext): Promise<void> {
  if (process.getuid?.() !== 0) ctx.skip();
  nobodyRuns ??= runCli(["--version"], { uid: NOBODY, gid: NOBODY, env: { HOME: "/" } }).then((r) => r.code === 0);
  if (!(await nobodyRuns)) ctx.skip();
}

/** Root's library and data folder opened to everyone, as a shared library is; the CLI's options to run it as nobody over them. */
function shareWithNobody(lib: string, data: string) {
  fs.chmodSync(tmp, 0o755);
  chmodTree("a+rwX", data, lib);
  return { uid: NOBODY, gid: NOBODY, env: { HOME: tmp } };
}

describe("permission failures are predicted", () => {
  it("a read-only target folder, a source folder and a book folder this user may not change, a sticky inbox: held (permission_denied) before anything moves, the others move, apply exits 0", async (ctx) => {
    await needNobody(ctx);
    const t = await openLibrary(tmp, [
      // Its author folder exists and is root's, read-only to others.
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "Frank Herbert/Children of Dune", author: "Frank Herbert", title: "Children of Dune" },
      // In a folder this user may not write in: it cannot be taken out.
      { at: "locked/Emma", author: "Jane Austen", title: "Emma" },
      // A book folder this user may not write in, moving to another parent (its `..` changes).
      { at: "inbox/Persuasion", author: "Jane Austen", title: "Persuasion" },
      // A shared sticky inbox: only a file's owner (root here) may move it out.
      { at: "sticky/Ubik.mp3", author: "Philip K. Dick", title: "Ubik", beside: ["Ubik.jpg"] },
      { at: "sticky/Valis", author: "Philip K. Dick", title: "Valis" },
      // This one may move.
      { at: "inbox/Storm Front", author: "Jim Butcher", title: "Storm Front" },
    ], { naming_template: "{author}/{title}" });
    const { lib, data } = t;
    const id = (at: string) => t.byAt(at).id;
    const [dune, emma, persuasion, ubik, valis, storm] = ["inbox/Dune", "locked/Emma", "inbox/Persuasion", "sticky/Ubik.mp3", "sticky/Valis", "inbox/Storm Front"].map(id);
    t.close();
    const user = shareWithNobody(lib, data);
    fs.chmodSync(path.join(lib, "Frank Herbert"), 0o755);
    fs.chmodSync(path.join(lib, "locked"), 0o755);
    fs.chmodSync(path.join(lib, "inbox", "Persuasion"), 0o755);
    fs.chmodSync(path.join(lib, "sticky"), 0o1777);
    const before = treeHash(lib);
    // Held as `plan` holds them (a state of the disk to fix there, as `read_only` is), not failed moves: apply exits 0.
    const refused = (report: ApplyReportView) => {
      expect(report.failed).toEqual([]);
      expect(new Set(report.held.map((e) => e.conflict!.kind))).toEqual(new Set(["permission_denied"]));
      return Object.fromEntries(report.held.map((e) => [e.book_id, e.conflict!.reason]));
    };
    const expected = {
      [dune]: expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "Frank Herbert"))}; `)),
      [emma]: expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "locked"))}; `)),
      [persuasion]: expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "inbox", "Persuasion"))}; `)),
      [ubik]: expect.stringMatching(new RegExp(`^permission denied: ${esc(path.join(lib, "sticky"))} is a shared folder \\(sticky bit, as /tmp is\\) where only the owner of ${esc(path.join(lib, "sticky", "Ubik.mp3"))} `)),
      [valis]: expect.stringMatching(new RegExp(`^permission denied: ${esc(path.join(lib, "sticky"))} is a shared folder \\(sticky bit, as /tmp is\\) where only the owner of ${esc(path.join(lib, "sticky", "Valis"))} `)),
    };

    const dry = await runCli(["apply", "--dry-run", "--json"], { dataDir: data, ...user });
    expect(dry.code, dry.stderr).toBe(0);
    const predicted = JSON.parse(dry.stdout) as ApplyReportView;
    expect(refused(predicted)).toEqual(expected);
    expect(predicted.moved.map((m) => m.book_id)).toEqual([storm]);
    expect(predicted.ok).toBe(1); // Children of Dune, already in its place
    expect(treeHash(lib)).toEqual(before);

    const plain = await runCli(["apply", "--dry-run"], { dataDir: data, ...user });
    expect(plain.stdout).toMatch(new RegExp(`held back:\\n[^]*\\n${ubik} +permission_denied +permission denied: ${esc(path.join(lib, "sticky"))} is a shared folder`));
    expect(plain.stdout).toContain("1 would move, 0 would not move, 5 held back, 1 already in place");

    const run = await runCli(["apply", "--yes", "--json"], { dataDir: data, ...user });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReportView;
    expect(refused(report)).toEqual(expected);
    expect(report.moved.map((m) => m.book_id)).toEqual([storm]);
    expect(fs.existsSync(path.join(lib, "Jim Butcher", "Storm Front", "01.mp3"))).toBe(true);
    for (const at of ["inbox/Dune", "locked/Emma", "inbox/Persuasion", "sticky/Ubik.mp3", "sticky/Ubik.jpg", "sticky/Valis"]) expect(fs.existsSync(path.join(lib, at)), at).toBe(true);
    const history = JSON.parse((await runCli(["history", "--json"], { dataDir: data, ...user })).stdout) as HistoryView;
    expect(history.map((h) => [h.book_id, h.state])).toEqual([[storm, "done"]]);
  });

  it("plan holds the books the system would refuse to move (permission_denied), naming the folder and what to give; apply moves the others", async (ctx) => {
    await needNobody(ctx);
    const t = await openLibrary(tmp, [
      // Its author folder exists and is root's, read-only to others.
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "Frank Herbert/Children of Dune", author: "Frank Herbert", title: "Children of Dune" },
      // In a folder this user may not write in: it cannot be taken out.
      { at: "locked/Emma", author: "Jane Austen", title: "Emma" },
      // A single file in it, with a companion.
      { at: "locked/Kim.m4b", author: "Rudyard Kipling", title: "Kim", beside: ["Kim.jpg"] },
      { at: "inbox/Storm Front", author: "Jim Butcher", title: "Storm Front" },
    ], { naming_template: "{author}/{title}" });
    const { lib, data } = t;
    const id = (at: string) => t.byAt(at).id;
    const [dune, emma, kim, storm] = ["inbox/Dune", "locked/Emma", "locked/Kim.m4b", "inbox/Storm Front"].map(id);
    t.close();
    const user = shareWithNobody(lib, data);
    fs.chmodSync(path.join(lib, "Frank Herbert"), 0o755);
    fs.chmodSync(path.join(lib, "locked"), 0o755);
    const before = treeHash(lib);
    const planned = await runCli(["plan", "--json"], { dataDir: data, ...user });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as PlanView;
    const held = Object.fromEntries(plan.entries.filter((e) => e.action === "held").map((e) => [e.book_id, [e.conflict?.kind, e.conflict?.reason]]));
    expect(held).toEqual({
      [dune]: ["permission_denied", expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "Frank Herbert"))}; give it write access there`))],
      [emma]: ["permission_denied", expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "locked"))}; `))],
      [kim]: ["permission_denied", expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "locked"))}; `))],
    });
    expect(plan.entries.filter((e) => e.action === "move").map((e) => e.book_id)).toEqual([storm]);
    expect(plan.counts).toEqual({ move: 1, ok: 1, held: 3 });
    const table = await runCli(["plan", "--wide"], { dataDir: data, ...user });
    expect(table.stdout).toContain("held:permission_denied");
    expect(table.stdout).toContain("1 to move, 1 already in place, 3 held back");
    expect(treeHash(lib)).toEqual(before);
    // Apply holds them as the plan does, with the same kind and words (they failed every apply, exit 1), and moves the other.
    const run = await runCli(["apply", "--yes", "--json"], { dataDir: data, ...user });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReportView;
    expect(report.failed).toEqual([]);
    expect(Object.fromEntries(report.held.map((e) => [e.book_id, [e.conflict!.kind, e.conflict!.reason]]))).toEqual(held);
    expect(report.moved.map((m) => m.book_id)).toEqual([storm]);
  });

  it("undo refuses a move back the system would refuse, before moving any, and moves the rest back", async (ctx) => {
    await needNobody(ctx);
    const t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "inbox/Storm Front", author: "Jim Butcher", title: "Storm Front" },
    ], { naming_template: "{author}/{title}" });
    const { lib, data } = t;
    const dune = t.byAt("inbox/Dune").id;
    t.close();
    const user = shareWithNobody(lib, data);
    const applied = await runCli(["apply", "--yes", "--json"], { dataDir: data, ...user });
    expect(applied.code, applied.stderr).toBe(0);
    const moves = (JSON.parse(applied.stdout) as ApplyReportView).moved;
    expect(moves).toHaveLength(2);
    // Dune's new author folder is made read-only by its owner: the book cannot be taken out of it.
    fs.chmodSync(path.join(lib, "Frank Herbert"), 0o555);
    const undone = await runCli(["undo", "--json", "--last", "2"], { dataDir: data, ...user });
    const report = JSON.parse(undone.stdout) as UndoReportView;
    expect(report.refused.map((r) => [r.book_id, r.reason])).toEqual([
      [dune, expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "Frank Herbert"))}; `))],
    ]);
    expect(report.failed).toEqual([]);
    expect(report.moved.map((m) => m.book_id)).toHaveLength(1);
    expect(fs.existsSync(path.join(lib, "inbox", "Storm Front", "01.mp3"))).toBe(true);
    expect(fs.existsSync(path.join(lib, "Frank Herbert", "Dune", "01.mp3"))).toBe(true);
  });
});

describe("a folder this user may not look into", () => {
  it("refuses undo of only the book whose old place lies in it (undo used to fail as a whole)", async (ctx) => {
    await needNobody(ctx);
    const t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "other/Emma", author: "Jane Austen", title: "Emma" },
      { at: "inbox/keep/Persuasion", author: "Jane Austen", title: "Persuasion", files: ["01.mp3"] },
    ], { naming_template: "{author}/{title}" });
    const { lib, data } = t;
    const dune = t.byAt("inbox/Dune").id;
    const emma = t.byAt("other/Emma").id;
    t.close();
    const user = shareWithNobody(lib, data);
    const applied = await runCli(["apply", "--yes", "--json", String(dune), String(emma)], { dataDir: data, ...user });
    expect(applied.code, applied.stderr).toBe(0);
    // Dune's old folder (kept: it holds another book) made private by its owner.
    fs.chmodSync(path.join(lib, "inbox"), 0o700);
    const undone = await runCli(["undo", "--json", "--last", "2"], { dataDir: data, ...user });
    expect(undone.code, undone.stderr).toBe(1);
    const report = JSON.parse(undone.stdout) as UndoReportView;
    expect(report.refused.map((r) => [r.book_id, r.reason])).toEqual([
      [dune, expect.stringMatching(new RegExp(`^permission denied: this user may not look into ${esc(path.join(lib, "inbox"))}; `))],
    ]);
    expect(report.moved.map((m) => m.book_id)).toEqual([emma]);
    expect(fs.existsSync(path.join(lib, "Frank Herbert", "Dune", "01.mp3"))).toBe(true);
  });

  it("holds back only the book whose target lies in it (the plan and apply used to fail as a whole)", async (ctx) => {
    await needNobody(ctx);
    const t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "inbox/Emma", author: "Jane Austen", title: "Emma" },
      { at: "Frank Herbert/Children of Dune", author: "Frank Herbert", title: "Children of Dune" },
    ], { naming_template: "{author}/{title}" });
    const { lib, data } = t;
    const dune = t.byAt("inbox/Dune").id;
    const emma = t.byAt("inbox/Emma").id;
    t.close();
    const user = shareWithNobody(lib, data);
    // Root's own author folder, private: nobody may not even look inside.
    fs.chmodSync(path.join(lib, "Frank Herbert"), 0o700);
    const refusal = expect.stringMatching(new RegExp(`^permission denied: this user may not write in ${esc(path.join(lib, "Frank Herbert"))}; `));
    const plan = await runCli(["plan", "--json"], { dataDir: data, ...user });
    expect(plan.code, plan.stderr).toBe(0);
    const dry = await runCli(["apply", "--dry-run", "--json"], { dataDir: data, ...user });
    expect(dry.code, dry.stderr).toBe(0);
    const predicted = JSON.parse(dry.stdout) as ApplyReportView;
    expect(predicted.failed).toEqual([]);
    expect(predicted.held.filter((e) => e.conflict!.kind === "permission_denied").map((e) => [e.book_id, e.conflict!.reason])).toEqual([[dune, refusal]]);
    expect(predicted.moved.map((m) => m.book_id)).toEqual([emma]);
    const run = await runCli(["apply", "--yes", "--json"], { dataDir: data, ...user });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReportView;
    expect(report.failed).toEqual([]);
    expect(report.held.filter((e) => e.conflict!.kind === "permission_denied").map((e) => [e.book_id, e.conflict!.reason])).toEqual([[dune, refusal]]);
    expect(report.moved.map((m) => m.book_id)).toEqual([emma]);
    expect(fs.existsSync(path.join(lib, "inbox", "Dune", "01.mp3"))).toBe(true);
  });

  it("a book folder closed to this user is held (apply) or refused (undo) as permission denied, not as files changed since the scan", async (ctx) => {
    await needNobody(ctx);
    const t = await openLibrary(tmp, [
      { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "inbox/Emma", author: "Jane Austen", title: "Emma" },
    ], { naming_template: "{author}/{title}" });
    const { lib, data } = t;
    const dune = t.byAt("inbox/Dune").id;
    const emma = t.byAt("inbox/Emma").id;
    t.close();
    const user = shareWithNobody(lib, data);
    // Closed by its owner after the scan: its files are as scanned, only out of this user's reach.
    fs.chmodSync(path.join(lib, "inbox", "Dune"), 0o000);
    const denied = (file: string) => expect.stringMatching(new RegExp(`^permission denied: this user may not read ${esc(file)} `));
    const run = await runCli(["apply", "--yes", "--json"], { dataDir: data, ...user });
    // Held (permission_denied), as a folder it may not write in is: a state of the disk to fix there, exit 0.
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ApplyReportView;
    expect(report.failed).toEqual([]);
    expect(report.held.map((e) => [e.book_id, e.conflict!.kind, e.conflict!.reason])).toEqual([[dune, "permission_denied", denied(path.join(lib, "inbox", "Dune", "01.mp3"))]]);
    expect(report.moved.map((m) => m.book_id)).toEqual([emma]);
    // And undo of a book whose new folder was closed since.
    fs.chmodSync(path.join(lib, "Jane Austen", "Emma"), 0o000);
    const undone = await runCli(["undo", "--json", "--last", "1"], { dataDir: data, ...user });
    expect(undone.code, undone.stderr).toBe(1);
    const back = JSON.parse(undone.stdout) as UndoReportView;
    expect(back.refused.map((r) => [r.book_id, r.reason])).toEqual([[emma, denied(path.join(lib, "Jane Austen", "Emma", "01.mp3"))]]);
  });

  it("a book below a folder it may not search is held for that reason, not as `source_missing` with \"run scan\"", async (ctx) => {
    await needNobody(ctx);
    const t = await openLibrary(tmp, [
      { at: "private/inbox/Dune", author: "Frank Herbert", title: "Dune" },
      { at: "inbox/Emma", author: "Jane Austen", title: "Emma" },
    ], { naming_template: "{author}/{title}" });
    const { lib, data } = t;
    const dune = t.byAt("private/inbox/Dune").id;
    t.close();
    const user = shareWithNobody(lib, data);
    // Readable but not searchable: the listing shows `inbox`, nothing below it can be reached.
    fs.chmodSync(path.join(lib, "private"), 0o744);
    const run = await runCli(["plan", "--json"], { dataDir: data, ...user });
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as PlanView;
    const held = plan.entries.find((e) => e.book_id === dune)!;
    expect(held.conflict).toMatchObject({ kind: "source_unreachable", reason: expect.stringContaining(`this user may not search ${path.join(lib, "private")} (no x permission)`) });
    expect(held.conflict!.reason).not.toContain("shelfwise scan");
  });
});

describe("a read-only file system is predicted", () => {
  it("books of a library folder on a read-only mount are held (read_only) by plan, the dry run and apply (root too): the other folder's books move, apply exits 0, every time", async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip(); // mounts a file system
    const ro = path.join(tmp, "share");
    fs.mkdirSync(ro);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", ro], { stdio: "ignore" });
    } catch {
      ctx.skip(); // no mount here (a container without the capability)
    }
    try {
      const t = await openLibrary(tmp, [{ at: "inbox/Storm Front", author: "Jim Butcher", title: "Storm Front" }], { naming_template: "{author}/{title}" });
      const { data, lib } = t;
      t.close();
      fs.writeFileSync(path.join(data, "config.json"), JSON.stringify({ library_paths: [lib, ro], naming_template: "{author}/{title}" }));
      writeBook(ro, { at: "inbox/Dune", author: "Frank Herbert", title: "Dune" });
      writeBook(ro, { at: "inbox/Emma.mp3", author: "Jane Austen", title: "Emma" });
      await runCliInProcessOk(["scan"], { dataDir: data });
      const books = JSON.parse((await runCliInProcessOk(["books", "--json"], { dataDir: data })).stdout) as { id: number; path: string }[];
      const idOf = (at: string) => books.find((b) => b.path === at)!.id;
      const [dune, emma, storm] = [path.join(ro, "inbox/Dune"), path.join(ro, "inbox/Emma.mp3"), path.join(lib, "inbox/Storm Front")].map(idOf);
      await runCliInProcessOk(["book", String(dune), "--set", "author=Frank Herbert", "--set", "title=Dune"], { dataDir: data });
      await runCliInProcessOk(["book", String(emma), "--set", "author=Jane Austen", "--set", "title=Emma"], { dataDir: data });
      execFileSync("mount", ["-o", "remount,ro", ro]);
      const before = treeHash(ro);
      const readOnly = expect.stringMatching(new RegExp(`^${esc(ro)}(/inbox)? is on a read-only file system; remount it read-write`));
      const heldKinds = (held: { book_id: number; conflict: { kind: string; reason: string } | null }[]) =>
        Object.fromEntries(held.map((e) => [e.book_id, [e.conflict!.kind, e.conflict!.reason]]));
      const plan = JSON.parse((await runCliInProcessOk(["plan", "--json"], { dataDir: data })).stdout) as PlanView;
      expect(heldKinds(plan.entries.filter((e) => e.action === "held"))).toEqual({ [dune]: ["read_only", readOnly], [emma]: ["read_only", readOnly] });
      expect(plan.entries.find((e) => e.book_id === storm)?.action).toBe("move");
      // In this process: the user is this process's own (root), the data folder is writable; the mount is what is tested.
      const dry = await runCliInProcess(["apply", "--dry-run", "--json"], { dataDir: data });
      const predicted = JSON.parse(dry.stdout) as ApplyReportView;
      expect(predicted.failed).toEqual([]);
      expect(predicted.moved.map((m) => m.book_id)).toEqual([storm]);
      expect(heldKinds(predicted.held)).toEqual({ [dune]: ["read_only", readOnly], [emma]: ["read_only", readOnly] });
      const run = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: data });
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as ApplyReportView;
      expect(report.failed).toEqual([]);
      expect(report.moved.map((m) => [m.book_id, m.to])).toEqual([[storm, path.join(lib, "Jim Butcher", "Storm Front")]]);
      expect(heldKinds(report.held)).toEqual({ [dune]: ["read_only", readOnly], [emma]: ["read_only", readOnly] });
      // The next apply holds them again, and still exits 0: nothing else is left to fail.
      const again = await runCliInProcess(["apply", "--yes"], { dataDir: data });
      expect([again.code, again.stderr]).toEqual([0, ""]);
      expect(again.stdout).toMatch(new RegExp(`^${dune} +read_only +`, "m"));
      expect(again.stdout).toMatch(/0 moved, 0 failed, 2 held back, 1 already in place/);
      expect(treeHash(ro)).toEqual(before);
    } finally {
      execFileSync("umount", [ro]);
    }
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
