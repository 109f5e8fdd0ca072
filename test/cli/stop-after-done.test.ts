/**
 * A stop signal (Ctrl-C) that comes once apply or undo has nothing left to
 * start: while the last chunk is being moved, or while the report is printed
 * or the database closes. The run did all it was asked: the CLI said
 * "interrupted ... any not started stay where they were: run `shelfwise apply`
 * again" with exit 130, for a run that had finished. A stop that does leave
 * books unstarted says how many. In-process: the signal is emitted to the
 * command's own listeners at the moment a rename starts (removalHooks), and
 * what a signal after the report would do is asked of stopOutcome, as the
 * CLI's handler asks it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { applyCommand } from "../../src/cli/commands/apply.js";
import { undoCommand } from "../../src/cli/commands/undo.js";
import { reportedResult, stopOutcome } from "../../src/cli/interrupt.js";
import { removalHooks } from "../../src/organize/disk.js";
import { setNativeFs } from "../../src/organize/native-fs.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary } from "../organize/library.js";

const dirs: string[] = [];
afterEach(() => {
  removalHooks.beforeRename = undefined;
  setNativeFs(true);
  process.exitCode = undefined;
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

/** Runs a command in-process with stdout and stderr captured; `stopAtRename`: SIGINT emitted as that rename (1-based) starts. */
async function captured(run: () => Promise<void>, stopAtRename: number | null): Promise<{ stdout: string; stderr: string; code: number }> {
  let renames = 0;
  removalHooks.beforeRename = () => {
    if (++renames === stopAtRename) process.emit("SIGINT", "SIGINT");
  };
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(chunk) > 0) as typeof process.stderr.write;
  try {
    process.exitCode = undefined;
    await run();
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
  const code = typeof process.exitCode === "number" ? process.exitCode : 0;
  process.exitCode = undefined;
  return { stdout: out.join(""), stderr: err.join(""), code };
}

async function library(books: number) {
  const tmp = makeTempDir("cli-stop-after-done");
  dirs.push(tmp);
  const t = await openLibrary(
    tmp,
    Array.from({ length: books }, (_, i) => ({ at: `inbox/Book ${i}`, author: `Writer ${i}`, title: `Book ${i}`, files: ["01.mp3"] })),
    { naming_template: "{author}/{title}" },
  );
  t.close();
  // Through node:fs, whose renames the hook sees (one chunk of 64 first, whatever the machine).
  setNativeFs(false);
  return t;
}

describe("a stop signal once apply or undo has nothing left to start", () => {
  it("during the last chunk: the run is told finished, with the result's exit code; the report cut short says so too", async () => {
    const t = await library(2);
    const apply = await captured(() => applyCommand(t.data, [], { yes: true }), 2);
    expect(apply.stdout).toContain("2 moved, 0 failed");
    expect(apply.stderr).toContain("shelfwise: stopping after the books being moved now");
    // It said "interrupted (SIGINT): ... any not started stay where they were: run `shelfwise apply` again to continue", exit 130.
    expect(apply.stderr).not.toContain("interrupted");
    expect(apply.stderr).toContain("shelfwise: SIGINT came while the last books were being moved: the apply finished (listed above); nothing to recover\n");
    expect(apply.code).toBe(0);
    // A second signal while the database closes: the result's code, and nothing said.
    expect(stopOutcome("SIGINT", reportedResult())).toEqual({ code: 0, message: null });

    const undo = await captured(() => undoCommand(t.data, [], { last: "2" }), 1);
    expect(undo.stdout).toContain("2 moved back, 0 refused, 0 failed");
    expect(undo.stderr).not.toContain("interrupted");
    expect(undo.stderr).toContain("shelfwise: SIGINT came while the last books were being moved back: the undo finished (listed above); nothing to recover\n");
    expect(undo.code).toBe(0);
    expect(stopOutcome("SIGINT", reportedResult())).toEqual({ code: 0, message: null });
  });

  it("that leaves books not started: says how many, exit 130", async () => {
    // 70 books: a first chunk of 64, the 6 after it never started.
    const t = await library(70);
    const apply = await captured(() => applyCommand(t.data, [], { yes: true, json: true }), 1);
    expect((JSON.parse(apply.stdout) as { moved: unknown[] }).moved).toHaveLength(64);
    expect(apply.stderr).toContain(
      "shelfwise: interrupted (SIGINT): the books moved before it stay moved (listed above; `shelfwise history` has them); 6 books not started stay where they were: run `shelfwise apply` again to continue\n",
    );
    expect(apply.code).toBe(130);
    expect(stopOutcome("SIGINT", reportedResult())).toEqual({ code: 130, message: null });
    const rest = await captured(() => applyCommand(t.data, [], { yes: true }), null);
    expect(rest.stdout).toContain("6 moved, 0 failed");
  });
});

describe("--json says the stop, as process --json does: interrupted and exit_code", () => {
  type Ended = { moved: unknown[]; interrupted: boolean; exit_code: number };
  it("apply and undo stopped with books not started: interrupted true, exit_code 130; finished: false and their own code", async () => {
    const t = await library(70);
    const apply = await captured(() => applyCommand(t.data, [], { yes: true, json: true }), 1);
    const applied = JSON.parse(apply.stdout) as Ended;
    expect(applied).toMatchObject({ interrupted: true, exit_code: 130 });
    expect(applied.moved).toHaveLength(64);
    expect(apply.code).toBe(130);
    const rest = JSON.parse((await captured(() => applyCommand(t.data, [], { yes: true, json: true }), null)).stdout) as Ended;
    expect(rest).toMatchObject({ interrupted: false, exit_code: 0 });
    expect(rest.moved).toHaveLength(6);

    const undo = await captured(() => undoCommand(t.data, [], { last: "70", json: true }), 1);
    const undone = JSON.parse(undo.stdout) as Ended;
    expect(undone).toMatchObject({ interrupted: true, exit_code: 130 });
    expect(undone.moved).toHaveLength(64);
    expect(undo.code).toBe(130);
    // A stop during the last chunk stopped nothing: the run finished, and the JSON says so.
    const last = await captured(() => undoCommand(t.data, [], { last: "6", json: true }), 1);
    expect(JSON.parse(last.stdout)).toMatchObject({ interrupted: false, exit_code: 0 });
    expect(last.code).toBe(0);
  });
});

it("a stop signal while the report is being printed says the run had finished, with its exit code", () => {
  // What apply sets right after its run, before printing (resultReported with a note): asked as the handler asks it.
  expect(stopOutcome("SIGTERM", { code: 1, note: "stopped while the report was printed; the apply had finished" })).toEqual({
    code: 1,
    message: "shelfwise: SIGTERM: stopped while the report was printed; the apply had finished\n",
  });
});
