/**
 * An apply killed outright (kill -9, a power loss) mid-run, by the CLI or by a `serve` the page started it in: the
 * next command settles its open moves (recovery), and from then on `status` (and --json), `history` and the web app
 * say plainly that the apply of <when> was cut short after N of M moves, what recovery did and that nothing was lost,
 * until another apply or undo starts. Before, the run's moves in the history read as a run that had ended.
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../support/cli-in-process.js";
import { CLI, requireBuilt } from "../support/plugin-fixtures.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { freshRun, runAndKill } from "../organize/kill-mid-move.js";
import { openLibrary, type BookSpec } from "../organize/library.js";

// Enough books that the copy path (each copied, checked, then its source removed) is still going when the first
// chunk of moves is journaled as done.
const BOOKS = 300;
let tmp: string;
let template: string;
let run: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  requireBuilt();
  tmp = makeTempDir("apply-cut-short");
  template = path.join(tmp, "template");
  run = path.join(tmp, "run");
  const specs: BookSpec[] = [];
  for (let i = 0; i < BOOKS; i++) specs.push({ at: `inbox/Author ${i % 23} - Title ${i}`, author: `Author ${i % 23}`, title: `Title ${i}` });
  // Made where each test's copy is (the database records absolute paths), then kept aside as the template.
  (await openLibrary(run, specs)).close();
  fs.renameSync(run, template);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(() => removeTempDir(tmp));

function fresh(): { data: string; inbox: string } {
  freshRun(template, run);
  return { data: path.join(run, "data"), inbox: path.join(run, "library", "inbox") };
}

function journalOf(data: string, batch: number): { state: string; recovered: number }[] {
  const db = new Database(path.join(data, "shelfwise.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT state, recovered FROM moves WHERE batch_id = ?").all(batch) as { state: string; recovered: number }[];
  } finally {
    db.close();
  }
}

const DONE_SQL = "SELECT count(*) AS n FROM moves WHERE state = 'done'";

interface CutShort {
  batch_id: number;
  kind: string;
  planned: number | null;
  settled_before: number;
  finished_by_recovery: number;
  rolled_back_by_recovery: number;
  unsettled_by_recovery: number;
}

/** What the report says agrees with the journal and with the disk: the books not moved are still in the inbox. */
function checkAgainstDisk(report: CutShort, data: string, inbox: string): void {
  expect(report.kind).toBe("apply");
  expect(report.planned).toBe(BOOKS);
  expect(report.settled_before).toBeGreaterThan(0);
  expect(report.settled_before).toBeLessThan(BOOKS);
  expect(report.unsettled_by_recovery).toBe(0);
  const journal = journalOf(data, report.batch_id);
  expect(journal.filter((m) => m.state === "intent")).toEqual([]);
  expect(report.settled_before + report.finished_by_recovery + report.rolled_back_by_recovery).toBe(journal.length);
  const moved = journal.filter((m) => m.state === "done").length;
  expect(moved).toBe(report.settled_before + report.finished_by_recovery);
  expect(fs.readdirSync(inbox).length).toBe(BOOKS - moved);
}

describe("an apply cut short by kill -9", () => {
  it("the CLI's: status (and --json) and history say it was cut short after N of M moves and what recovery did, until the next apply", async () => {
    const { data, inbox } = fresh();
    const killed = await runAndKill(["apply", "--yes", "--json"], data, DONE_SQL, 0, { SHELFWISE_FORCE_COPY: "1" });
    expect(killed.killed).toBe(true);
    // The first command after it settles the journal, and says it was cut short as every one after it does.
    const status = await runCliInProcess(["status", "--json"], { dataDir: data });
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout).last_run_cut_short as CutShort;
    expect(report).not.toBeNull();
    checkAgainstDisk(report, data, inbox);
    const words = await runCliInProcess(["status"], { dataDir: data });
    expect(words.stdout).toMatch(new RegExp(`the apply of .+ was cut short \\(its process was killed or the computer stopped\\) after ${report.settled_before} of ${BOOKS} moves; `));
    expect(words.stdout).toContain("nothing is lost: every book it touched is whole at its old place or its new one");
    const history = await runCliInProcess(["history", "--limit", "5"], { dataDir: data });
    expect(history.stdout).toMatch(new RegExp(`batch ${report.batch_id}: the apply of .+ was cut short`));
    // The next apply ends the report: the moves still to make are made.
    const again = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: data });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse((await runCliInProcess(["status", "--json"], { dataDir: data })).stdout).last_run_cut_short).toBeNull();
    expect((await runCliInProcess(["history", "--limit", "5"], { dataDir: data })).stdout).not.toContain("cut short");
    expect(fs.existsSync(inbox) ? fs.readdirSync(inbox) : []).toEqual([]);
  }, 120_000);

  it("an undo's the same way, saying to undo again for the rest; the next undo ends it", async () => {
    const { data } = fresh();
    const applied = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: data });
    expect(applied.code, applied.stderr).toBe(0);
    const killed = await runAndKill(["undo", "--last", String(BOOKS), "--json"], data, "SELECT count(*) AS n FROM moves WHERE kind = 'undo' AND state = 'done'", 0, { SHELFWISE_FORCE_COPY: "1" });
    expect(killed.killed).toBe(true);
    const report = JSON.parse((await runCliInProcess(["status", "--json"], { dataDir: data })).stdout).last_run_cut_short as CutShort;
    expect(report.kind).toBe("undo");
    expect(report.planned).toBe(BOOKS);
    expect(report.settled_before).toBeGreaterThan(0);
    expect(report.settled_before).toBeLessThan(BOOKS);
    const words = await runCliInProcess(["status"], { dataDir: data });
    expect(words.stdout).toMatch(new RegExp(`the undo of .+ was cut short .* after ${report.settled_before} of ${BOOKS} moves; .*; \`shelfwise undo\` again moves the rest back`));
    const rest = await runCliInProcess(["undo", "--last", String(BOOKS), "--json"], { dataDir: data });
    expect(rest.code, rest.stderr).toBe(0);
    expect(JSON.parse((await runCliInProcess(["status", "--json"], { dataDir: data })).stdout).last_run_cut_short).toBeNull();
  }, 120_000);

  it("a serve's, started from the web app: the next serve shows it on the dashboard and the Review page's history, in a page's words", async () => {
    const { data, inbox } = fresh();
    const first = await serve(data);
    const started = await fetch(`${first.url}/api/apply`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(started.status).toBe(202);
    const reader = new Database(path.join(data, "shelfwise.db"), { readonly: true, fileMustExist: true });
    try {
      const done = reader.prepare(DONE_SQL);
      while ((done.get() as { n: number }).n === 0) {
        expect(first.child.exitCode).toBeNull();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    } finally {
      reader.close();
    }
    first.child.kill("SIGKILL");
    await exited(first.child);
    const second = await serve(data);
    const status = (await (await fetch(`${second.url}/api/status`)).json()) as { problems: { kind: string; message: string; link: string | null }[] };
    const problem = status.problems.find((p) => p.kind === "run_cut_short");
    expect(problem?.message).toMatch(/^the apply of .+ was cut short .* after \d+ of 300 moves; /);
    expect(problem?.message).not.toContain("`shelfwise");
    expect(problem?.link).toBe("#/review");
    const history = (await (await fetch(`${second.url}/api/history`)).json()) as { cut_short: (CutShort & { message: string }) | null };
    expect(history.cut_short?.message).toBe(problem?.message);
    checkAgainstDisk(history.cut_short!, data, inbox);
    second.child.kill("SIGTERM");
    await exited(second.child);
  }, 120_000);
});

function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SHELFWISE_DATA_DIR: "", SHELFWISE_FORCE_COPY: "1" } });
  children.push(child);
  let text = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /at (http:\/\/\S+?)\/ \(Ctrl-C/.exec(text);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${text}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
