/**
 * The whole flow through the real CLI: scan, process, correct, plan, apply
 * (asking, refusing without a terminal, dry run), history, undo; the lock
 * held by another process; and --help showing the flow.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import type { ApplyReport, HistoryEntry, Plan, UndoReport } from "../../src/organize/types.js";
import type { LibraryStatusView } from "../../src/app/views/index.js";
import { runCli } from "../support/cli.js";
import { runCliInProcess, runCliInProcessJson as runCliJson, runCliInProcessOk as runCliOk } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { treeHash } from "../organize/library.js";

let tmp: string;
let lib: string;
let data: string;

beforeAll(async () => {
  tmp = makeTempDir("cli-organize");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  const book = (dir: string, tags: { artist: string; album: string; series?: string; series_part?: string }) => {
    fs.mkdirSync(path.join(lib, dir), { recursive: true });
    for (const n of [1, 2]) writeMp3(path.join(lib, dir, `0${n}.mp3`), { ...tags, title: `${tags.album} ${n}`, track: String(n) });
  };
  book("Jim Butcher - Storm Front", { artist: "Jim Butcher", album: "Storm Front", series: "The Dresden Files", series_part: "1" });
  book("incoming/Dean Koontz - Watchers", { artist: "Dean Koontz", album: "Watchers" });
  await runCliOk(["init", lib], { dataDir: data });
  await runCliOk(["scan"], { dataDir: data });
  await runCliOk(["process"], { dataDir: data });
});
afterAll(() => removeTempDir(tmp));

// In-process (test/support/cli-in-process.ts) but where the process is what is checked: no terminal, the lock
// held by another process, the time zone of its environment.
const cli = (args: string[]) => runCliInProcess(args, { dataDir: data });
const spawned = (args: string[]) => runCli(args, { dataDir: data });

describe("organize through the CLI", () => {
  it("--help shows the whole flow and the new commands", async () => {
    const help = await runCliOk(["--help"]);
    for (const word of ["scan", "process", "plan", "apply", "undo", "history"]) expect(help.stdout).toContain(word);
    expect(help.stdout).toMatch(/The whole flow/);
    expect((await runCliOk(["book", "--help"])).stdout).toMatch(/--set <field=value>/);
  });

  it("plan lists the proposed moves with the fields that change", async () => {
    const plan = await runCliJson<Plan>(["plan"], { dataDir: data });
    expect(plan.counts).toEqual({ move: 2, ok: 0, held: 0 });
    const storm = plan.entries.find((e) => e.from.endsWith("Storm Front"))!;
    expect(storm.to).toBe(path.join(lib, "Jim Butcher", "The Dresden Files", "01 - Storm Front"));
    expect(storm.changes.map((c) => c.field)).toEqual(["series", "series_num"]);
    const text = await cli(["plan"]);
    expect(text.stdout).toMatch(/2 to move, 0 already in place, 0 held back/);
    // --wide: the paths in full; the last column (changes, reasons) is never cut.
    const wide = await cli(["plan", "--wide"]);
    expect(wide.stdout).toContain("Jim Butcher/The Dresden Files/01 - Storm Front");
    expect(wide.stdout).toContain("series: - → The Dresden Files; series_num: - → 1");
  });

  it("book --set corrects a field (user evidence, re-judged), --lock keeps it out of plans", async () => {
    const plan = await runCliJson<Plan>(["plan"], { dataDir: data });
    const id = plan.entries.find((e) => e.from.endsWith("Watchers"))!.book_id;
    const detail = await runCliJson<{ title: string; proposed_path: string; profile: { title: { evidence: { source: string }[] } } }>(["book", String(id), "--set", "title=Watchers (Unabridged)", "--set", "year=1987"], { dataDir: data });
    expect(detail.title).toBe("Watchers (Unabridged)");
    expect(detail.proposed_path).toBe("Dean Koontz/Watchers (Unabridged)");
    expect(detail.profile.title.evidence.map((e) => e.source)).toContain("user");
    const bad = await cli(["book", String(id), "--set", "colour=blue"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown field "colour"/);
    expect(detail).toMatchObject({ locked: false });
    await runCliOk(["book", String(id), "--lock"], { dataDir: data });
    expect(await runCliJson(["book", String(id)], { dataDir: data })).toMatchObject({ locked: true });
    expect((await runCliJson<{ id: number; locked: boolean }[]>(["books"], { dataDir: data })).find((b) => b.id === id)).toMatchObject({ locked: true });
    expect((await runCliJson<Plan>(["plan"], { dataDir: data })).counts.move).toBe(1);
    await runCliOk(["book", String(id), "--unlock", "--unset", "title"], { dataDir: data });
    expect(await runCliJson(["book", String(id)], { dataDir: data })).toMatchObject({ locked: false });
    const back = (await runCliJson<Plan>(["plan"], { dataDir: data })).entries.find((e) => e.book_id === id)!;
    expect(back.to).toBe(path.join(lib, "Dean Koontz", "Watchers"));
  });

  it("apply refuses without a terminal unless --yes; a dry run touches nothing", async () => {
    const before = treeHash(lib);
    const refused = await spawned(["apply"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/add --yes/);
    const dry = await runCliJson<ApplyReport>(["apply", "--dry-run"], { dataDir: data });
    expect(dry.dry_run).toBe(true);
    expect(dry.moved).toHaveLength(2);
    expect(treeHash(lib)).toEqual(before);
    expect(await runCliJson<HistoryEntry[]>(["history"], { dataDir: data })).toEqual([]);
  });

  it("unknown or malformed book ids and bad options are refused with exit 2 before anything moves", async () => {
    const before = treeHash(lib);
    const cases = [
      ["apply", "--yes", "999"],
      ["apply", "--yes", "1", "999"],
      ["apply", "--dry-run", "999"],
      ["apply", "--yes", "1e2"],
      ["apply", "--yes", "0x1"],
      ["apply", "--yes", "--min-confidence", ""],
      ["apply", "--yes", "--min-confidence", "abc"],
      ["undo", "1.5"],
    ];
    for (const args of cases) {
      const result = await cli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/^shelfwise: /);
    }
    expect((await cli(["apply", "--yes", "1", "999"])).stderr).toMatch(/no book with id 999/);
    expect(treeHash(lib)).toEqual(before);
    expect(await runCliJson<HistoryEntry[]>(["history"], { dataDir: data })).toEqual([]);
  });

  it("a second writer is refused naming the holder", async () => {
    const lockModule = fileURLToPath(new URL("../../dist/store/data-lock.js", import.meta.url));
    const child = spawn(process.execPath, ["-e", `
      const { acquireDataLock } = await import(${JSON.stringify(lockModule)});
      await acquireDataLock(${JSON.stringify(data)}, { command: "process" });
      process.stdout.write("held\\n");
      setInterval(() => {}, 1000);
    `, "--input-type=module"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => child.stdout!.on("data", (c: Buffer) => c.toString().includes("held") && resolve()));
      fs.writeFileSync(path.join(data, "config.json"), JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(data, "config.json"), "utf8")), lock_wait_seconds: 0.2 }));
      const busy = await spawned(["apply", "--yes"]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`pid ${child.pid}`);
      expect(busy.stderr).toContain("`process`");
    } finally {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("close", resolve));
    }
  });

  it("apply --yes moves, history lists it, undo --last moves everything back byte for byte", async () => {
    const before = treeHash(lib);
    const report = await runCliJson<ApplyReport>(["apply", "--yes"], { dataDir: data });
    expect(report.moved).toHaveLength(2);
    expect(report.failed).toEqual([]);
    expect(fs.existsSync(path.join(lib, "Jim Butcher", "The Dresden Files", "01 - Storm Front", "02.mp3"))).toBe(true);
    expect(fs.existsSync(path.join(lib, "incoming"))).toBe(false);
    const history = await runCliJson<HistoryEntry[]>(["history"], { dataDir: data });
    expect(history.map((h) => [h.kind, h.state])).toEqual([["apply", "done"], ["apply", "done"]]);
    expect(history[0]!.at).toMatch(/Z$/); // --json: ISO-8601 in UTC, with its zone
    // The text form: local time with its offset, never UTC cut to look like a local time.
    // --wide (as books and plan): cut at 48 columns, the paths lost the book's own folder, the part a reader looks for.
    const text = await runCli(["history", "--wide"], { dataDir: data, env: { TZ: "Asia/Kolkata" } });
    const local = new Date(Date.parse(history[0]!.at) + 330 * 60_000).toISOString().slice(0, 19).replace("T", " ");
    expect(text.stdout).toContain(`${local} +05:30`);
    expect(history[0]!.to.length).toBeGreaterThan(48);
    for (const entry of history) expect(text.stdout).toMatch(new RegExp(`${escapeRegExp(entry.from)} +${escapeRegExp(entry.to)}`));
    expect(text.stdout).toMatch(/^2 moves$/m);
    // --limit: it said "1 move", read as the journal's size; the total is said beside the rows shown.
    const [limited, wholeBook, paged, lastPage, pastEnd, farPastEnd, pastBookEnd] = await Promise.all([
      cli(["history", "--limit", "1"]),
      cli(["history", "--limit", "1", "--book", String(history[0]!.book_id)]),
      // Pages of a long journal for a script: --offset skips the newest N, as the API's offset.
      cli(["history", "--limit", "1", "--offset", "1", "--json"]),
      cli(["history", "--offset", "1"]),
      cli(["history", "--offset", "2"]),
      cli(["history", "--offset", "99999"]),
      cli(["history", "--offset", "5", "--book", String(history[0]!.book_id)]),
    ]);
    // One row left said "moves 2-2 of 2"; past the end "the newest 2" said nothing of what 2 counts.
    expect(lastPage.stdout).toMatch(/\nmove 2 of 2, newest first\n$/);
    // "no moves past the newest 99999 moves" hid how many there are: the count says which offsets have rows.
    expect(pastEnd.stdout).toBe("only 2 moves are recorded; --offset 2 is past them\n");
    expect(farPastEnd.stdout).toBe("only 2 moves are recorded; --offset 99999 is past them\n");
    expect(pastBookEnd.stdout).toBe(`only 1 move of book ${history[0]!.book_id} is recorded; --offset 5 is past it\n`);
    expect(limited.stdout).toMatch(/\n1 of 2 moves, newest first \(`--limit 2` shows them all\)\n$/);
    expect((JSON.parse(paged.stdout) as HistoryEntry[]).map((h) => h.move_id)).toEqual([history[1]!.move_id]);
    expect(wholeBook.stdout).toMatch(/\n1 move\n$/);
    // status follows the books to their new places: none reads as gone.
    expect(await statusAgainstBooks()).toMatchObject({ gone: 0, back: 0, locked: 0 });
    const scan = await runCliJson<{ changed: number; new: number; missing: number }>(["scan"], { dataDir: data });
    expect(scan).toMatchObject({ changed: 0, new: 0, missing: 0 });

    const undo = await runCliJson<UndoReport>(["undo", "--last", "2"], { dataDir: data });
    expect(undo.moved).toHaveLength(2);
    expect(treeHash(lib)).toEqual(before);
    // Back at their old places and locked by the undo: counted so, none gone.
    expect(await statusAgainstBooks()).toMatchObject({ gone: 0, back: 0, locked: 2 });
    const again = await cli(["undo", String(history[0].move_id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already undone/);
    expect((await runCliJson<Plan>(["plan"], { dataDir: data })).counts.move).toBe(0);
  });
});

/** `status --json`, checked to count exactly what `books --json` lists. */
async function statusAgainstBooks(): Promise<LibraryStatusView> {
  const [status, books] = await Promise.all([runCliJson<LibraryStatusView>(["status"], { dataDir: data }), runCliJson<{ status: string }[]>(["books"], { dataDir: data })]);
  const counts: Record<string, number> = { new: 0, pending: 0, identified: 0, needs_attention: 0, missing: 0 };
  for (const book of books) counts[book.status]! += 1;
  expect([status.books, status.by_status]).toEqual([books.length, counts]);
  return status;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
