/**
 * Intents on disk before the renames they announce. A run's commits only
 * write the WAL, and a worker thread syncs it (store/wal-sync.ts) before a
 * chunk's renames start: the same guarantee as a full-sync commit, with the
 * main thread free meanwhile. Checked with strace on the real CLI: no rename
 * comes before a sync of the WAL, and when the disk refuses that sync
 * (fdatasync of the WAL fails with EIO, injected; SQLite's own fsyncs of
 * the lock's opening are left alone) nothing at all is renamed, the
 * command says what the disk did, and the next command settles the
 * announced moves as not made.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NAMED_RECOVERIES } from "../../src/cli/recovery-lines.js";
import { CLI_BIN } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, treeHash } from "./library.js";

const hasStrace = process.platform === "linux" && spawnSync("strace", ["-V"]).status === 0;
// More than the first chunk (64 books), so the run has several journal steps and rename batches.
const BOOKS = 150;

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir("journal-durability");
});
afterAll(() => removeTempDir(tmp));

async function library(name: string) {
  const specs = Array.from({ length: BOOKS }, (_, i) => ({ at: `inbox/Book ${i}`, author: `Author ${i % 7}`, title: `Title ${i}` }));
  const t = await openLibrary(path.join(tmp, name), specs);
  t.close();
  return t;
}

/** `apply --yes` under strace (only the calls named are traced), and the trace's lines. */
function tracedApply(data: string, extra: string[], traced = "fdatasync,fsync,renameat2,rename,renameat"): { status: number | null; stderr: string; trace: string[] } {
  const out = path.join(tmp, `${path.basename(path.dirname(data))}.trace`);
  const run = spawnSync(
    "strace",
    ["-f", "--seccomp-bpf", "-qq", "-y", "-o", out, "-e", `trace=${traced}`, ...extra, process.execPath, CLI_BIN, "apply", "--yes", "--data-dir", data],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
  return { status: run.status, stderr: run.stderr, trace: fs.readFileSync(out, "utf8").split("\n") };
}

/**
 * The calls that returned 0, with the index of the line where each started:
 * strace splits a call another thread interrupts into "<unfinished ...>" and
 * a "<... resumed>" line of the same thread.
 */
function doneCalls(trace: string[], matches: (line: string) => boolean, succeeded = / = 0$/): (readonly [string, number, number])[] {
  const open = new Map<string, number>();
  // [the call's line, where it started, where it returned]
  const done: (readonly [string, number, number])[] = [];
  trace.forEach((line, i) => {
    const pid = line.split(" ")[0];
    if (matches(line)) {
      if (line.endsWith("<unfinished ...>")) open.set(pid, i);
      else if (succeeded.test(line)) done.push([line, i, i]);
    } else if (line.includes("resumed>") && open.has(pid)) {
      if (succeeded.test(line)) done.push([trace[open.get(pid)!], open.get(pid)!, i]);
      open.delete(pid);
    }
  });
  return done;
}

const isRename = (line: string) => /\brename(at2?)?\(/.test(line) && !line.includes("resumed>");
const isWalSync = (line: string) => /\bf(data)?sync\(\d+<[^>]*shelfwise\.db-wal>/.test(line);

describe.skipIf(!hasStrace)("the journal's intents are on disk before their renames", () => {
  it("no book folder is renamed before a sync of the WAL that holds its intent", async () => {
    const { lib, data } = await library("ordered");
    // The WAL's writes too, with enough of each frame to find the intents in them.
    const { status, stderr, trace } = tracedApply(data, ["-s", "8192"], "fdatasync,fsync,renameat2,rename,renameat,pwrite64");
    expect(status, stderr).toBe(0);
    // The addon's first try at a book whose new parent folder is missing fails (ENOENT), then it makes the folder: count the renames done.
    // A path (node:fs) or, with the addon, the inbox's descriptor (strace -y prints it as `5</path>`).
    const renames = doneCalls(trace, (l) => isRename(l) && (l.includes(`${lib}/inbox/`) || l.includes(`${lib}/inbox>`)));
    expect(renames.length).toBe(BOOKS);
    const syncs = doneCalls(trace, isWalSync);
    const walWrites = doneCalls(trace, (l) => /\bpwrite64\(\d+<[^>]*shelfwise\.db-wal>/.test(l), / = \d+$/);
    // Every chunk, not only the first (each chunk's intents are synced on their own, whichever thread syncs them): the
    // WAL frame first holding a book's intent (its from_path right before its to_path, as a journal row stores them) was
    // written before a sync started that returned before the book's rename started.
    for (let i = 0; i < BOOKS; i++) {
      const rename = renames.find(([l]) => l.includes(`inbox/Book ${i}"`) || l.includes(`inbox>, "Book ${i}"`));
      expect(rename, `Book ${i}`).toBeDefined();
      const written = walWrites.find(([l]) => l.includes(`${lib}/inbox/Book ${i}${lib}/`));
      expect(written, `Book ${i}`).toBeDefined();
      expect(
        syncs.some(([, began, returned]) => began > written![2] && returned < rename![1]),
        `Book ${i}: its intent written at line ${written![2]}, renamed at ${rename![1]}, syncs ${JSON.stringify(syncs.map(([, b, r]) => [b, r]))}`,
      ).toBe(true);
    }
    expect(fs.existsSync(path.join(lib, "inbox"))).toBe(false);
  });

  it("when the disk refuses to sync the journal, nothing is renamed and the next command settles the moves as not made", async () => {
    const { lib, data } = await library("refused");
    const before = treeHash(lib);
    const { status, stderr, trace } = tracedApply(data, ["-e", "inject=fdatasync:error=EIO"]);
    expect(status).toBe(1);
    expect(stderr).toContain("input/output error");
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
    expect(trace.filter((l) => isRename(l) && l.includes(lib))).toEqual([]);
    expect(treeHash(lib)).toEqual(before);
    // The commands after it in this process: the refused sync was the traced process's; main()'s per-command set-up
    // prints the same recovery lines here (test/support/cli-in-process.ts).
    const next = await runCliInProcess(["history", "--json"], { dataDir: data });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain("recovered an interrupted move");
    const history = JSON.parse(next.stdout) as { state: string }[];
    expect(history.length).toBeGreaterThan(NAMED_RECOVERIES);
    // A few moves named, the rest counted in one line: not a line per book.
    expect(next.stderr.trim().split("\n")).toHaveLength(NAMED_RECOVERIES + 1);
    expect(next.stderr).toContain(`recovered ${history.length - NAMED_RECOVERIES} more interrupted moves (${history.length - NAMED_RECOVERIES} rolled back); \`shelfwise history\` lists each`);
    expect(new Set(history.map((m) => m.state))).toEqual(new Set(["rolled_back"]));
    // And a later apply moves every book.
    const again = await runCliInProcess(["apply", "--yes", "--json"], { dataDir: data });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { moved: unknown[] }).moved).toHaveLength(BOOKS);
  });
});
