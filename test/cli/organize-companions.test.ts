/**
 * A loose book's companions through the real CLI: plan, apply --dry-run,
 * apply, history and undo name them in text and in --json, and a companion
 * put beside the book after the scan holds that book (scan and process first).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApplyReport, HistoryEntry, Plan } from "../../src/organize/types.js";
import { runCliInProcess as runCli, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
// The commands run in-process (test/support/cli-in-process.ts): what they say and do, not the process boundary.
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { content } from "../organize/library.js";

let tmp: string;
let lib: string;
let data: string;
let dune: number;

beforeAll(async () => {
  tmp = makeTempDir("cli-companions");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  const inbox = path.join(lib, "inbox");
  fs.mkdirSync(path.join(inbox, "Folder Book"), { recursive: true });
  fs.writeFileSync(path.join(inbox, "Folder Book", "01.mp3"), content("folder"));
  for (const name of ["Dune.m4b", "Dune.jpg", "Dune.opf"]) fs.writeFileSync(path.join(inbox, name), content(name));
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  const books = await runCliJson<{ id: number; path: string }[]>(["books"], { dataDir: data });
  dune = books.find((b) => b.path.endsWith("Dune.m4b"))!.id;
  await runCliOk(["book", String(dune), "--set", "author=Frank Herbert", "--set", "title=Dune"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

const cli = (args: string[]) => runCli(args, { dataDir: data });

describe("companions through the CLI", () => {
  it("a companion added after the scan holds the book in the dry run and in apply; after a scan it moves along, and every output names it", async () => {
    fs.writeFileSync(path.join(lib, "inbox", "Dune.nfo"), "written after the scan");
    // plan says so (what is reviewed before applying), with apply's words, counted as held rather than as a move.
    const words = "Dune.nfo was put beside the book since the last scan and would be left behind; run `shelfwise scan` and `shelfwise process` first, then it moves with the book";
    const planned = await runCliJson<Plan>(["plan"], { dataDir: data });
    expect(planned.entries.find((e) => e.book_id === dune)).toMatchObject({ action: "held", conflict: { kind: "companions_added", reason: words } });
    expect(planned.counts).toEqual({ move: 0, ok: 0, held: 1 });
    expect((await cli(["plan", "--wide"])).stdout).toMatch(/held:companions_added .*Dune\.nfo was put beside/);
    // apply holds it with plan's kind and words, its dry run too: a state of the disk to fix there, not a failed move.
    const dryJson = await runCliJson<ApplyReport>(["apply", "--dry-run"], { dataDir: data });
    expect(dryJson.failed).toEqual([]);
    expect(dryJson.held.map((e) => [e.book_id, e.conflict?.kind, e.conflict?.reason])).toEqual([[dune, "companions_added", words]]);
    const dry = await cli(["apply", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/held back:/);
    expect(dry.stdout).toContain("companions_added");
    expect(dry.stdout).toContain("Dune.nfo was put beside the book since the last scan and would be left behind; run `shelfwise scan` and `shelfwise process` first");
    const refused = await cli(["apply", "--yes", "--json"]);
    expect(refused.code).toBe(0);
    const report = JSON.parse(refused.stdout) as ApplyReport;
    expect(report.failed).toEqual([]);
    expect(report.held.map((e) => [e.book_id, e.conflict?.kind, e.conflict?.reason])).toEqual([[dune, "companions_added", words]]);
    expect(fs.existsSync(path.join(lib, "inbox", "Dune.m4b"))).toBe(true);

    await runCliOk(["scan"], { dataDir: data });
    await runCliOk(["process"], { dataDir: data });
    const names = ["Dune.jpg", "Dune.nfo", "Dune.opf"];
    const plan = await runCliJson<Plan>(["plan"], { dataDir: data });
    expect(plan.entries.find((e) => e.book_id === dune)!.companions.sort()).toEqual(names);
    expect((await cli(["plan"])).stdout).toMatch(/with Dune\.(jpg|nfo|opf), Dune\.(jpg|nfo|opf), Dune\.(jpg|nfo|opf)/);
    // The table names the book's new place as apply, history and `books` do: the folder a single file gets, not the file in it.
    const table = (await cli(["plan", "--wide"])).stdout;
    expect(table).toMatch(new RegExp(`\\n${dune} +move +\\d+ +inbox/Dune\\.m4b +Frank Herbert/Dune +`));
    expect(table).not.toContain("Frank Herbert/Dune/Dune.m4b");
    const dryText = (await cli(["apply", "--dry-run"])).stdout;
    expect(dryText).toMatch(new RegExp(`would move #${dune}: .*Dune\\.m4b\\n\\s+-> .*Frank Herbert/Dune\\n\\s+with Dune\\.`));
    const applied = await runCliJson<ApplyReport>(["apply", "--yes"], { dataDir: data });
    expect(applied.moved.find((m) => m.book_id === dune)!.companions.sort()).toEqual(names);
    expect(fs.readdirSync(path.join(lib, "Frank Herbert", "Dune")).sort()).toEqual(["Dune.m4b", ...names].sort());

    const history = await runCliJson<HistoryEntry[]>(["history", "--book", String(dune)], { dataDir: data });
    expect(history[0].companions.sort()).toEqual(names);
    expect((await cli(["history"])).stdout).toMatch(/with Dune\./);
    const undo = await cli(["undo", String(history[0].move_id)]);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toMatch(/moved back .*\n.*\n\s+with Dune\./);
    const back = await runCliJson<HistoryEntry[]>(["history", "--book", String(dune), "--limit", "1"], { dataDir: data });
    expect(back[0]).toMatchObject({ kind: "undo" });
    expect(back[0].companions.sort()).toEqual(names);
  });
});
