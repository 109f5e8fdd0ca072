/**
 * Ctrl-C (or SIGTERM, SIGHUP) during a command that only reads: it said "interrupted; what was saved before is
 * kept; run the command again to continue" (exit 130), which reads as work left half done. Every read-only
 * command says that nothing was recorded or changed (still exit 130: the output was cut short); a command that
 * writes keeps the generic words. In-process through the real command table (buildProgram): the signal's
 * handler ends the process, so what a stop would say at the command's first line of output is asked of
 * stopOutcome, as the handler asks it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { commandStarts, reportedResult, stopOutcome } from "../../src/cli/interrupt.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { openLibrary, type TestLibrary } from "../organize/library.js";

let tmp: string;
let t: TestLibrary;
beforeAll(async () => {
  tmp = makeTempDir("cli-read-only-stop");
  t = await openLibrary(tmp, [{ at: "inbox/Book", author: "Writer", title: "Book", files: ["01.mp3"] }], { naming_template: "{author}/{title}" });
  t.close();
});
afterAll(() => removeTempDir(tmp));

/** Runs `args` in-process; returns what a SIGINT at its first output would end with (null: it printed nothing). */
async function stopAtFirstOutput(args: string[]): Promise<{ code: number; message: string | null } | null> {
  let outcome: { code: number; message: string | null } | null = null;
  const write = { out: process.stdout.write, err: process.stderr.write };
  const capture = (() => {
    outcome ??= stopOutcome("SIGINT", reportedResult());
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  commandStarts();
  try {
    await buildProgram().parseAsync([...args, "--data-dir", t.data], { from: "user" });
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.exitCode = undefined;
    // What the command reported ends with it, as with its process: the next test file in this worker starts clean.
    commandStarts();
  }
  return outcome;
}

describe("a stop signal during a command that only reads", () => {
  const readers = [["status"], ["books"], ["book", "1"], ["plan"], ["apply", "--dry-run"], ["history"], ["layers"], ["library", "list"], ["plugins", "list"], ["plugins", "health"], ["sources", "list"]];
  it.each(readers.map((args) => [args.join(" "), args] as const))("%s: says nothing was recorded or changed, exit 130", async (name, args) => {
    for (const json of [false, true]) {
      const outcome = await stopAtFirstOutput(json ? [...args, "--json"] : args);
      expect(outcome, `${name} printed nothing`).not.toBeNull();
      // The dry run's report (apply.ts, resultReported): what it would do is all worked out once it prints.
      if (name === "apply --dry-run") {
        expect(outcome).toEqual({ code: 0, message: "shelfwise: SIGINT: stopped while the dry run's report was printed; nothing was changed\n" });
        continue;
      }
      expect(outcome!.code).toBe(130);
      expect(outcome!.message).toBe(`shelfwise: interrupted (SIGINT): \`${name.replace(/ \d+$/, "")}\` was stopped; it only reads, so nothing was recorded or changed\n`);
    }
  });

  it("a command that writes, stopped once its change is saved (while it prints), says the change is saved, exit 0", async () => {
    // It said "interrupted (SIGINT); what was saved before is kept; run the command again to continue" (exit 130).
    const edit = await stopAtFirstOutput(["book", "1", "--set", "year=1999"]);
    expect(edit).toEqual({ code: 0, message: "shelfwise: SIGINT: stopped while book 1 was shown; the change is saved (`shelfwise book 1` shows it)\n" });
    const other = path.join(tmp, "other library");
    fs.mkdirSync(path.join(other, "Writer", "Other"), { recursive: true });
    fs.writeFileSync(path.join(other, "Writer", "Other", "01.mp3"), "ID3");
    for (const action of ["add", "remove"]) {
      const change = await stopAtFirstOutput(["library", action, other]);
      expect(change).toEqual({ code: 0, message: "shelfwise: SIGINT: stopped while the change was reported; config.json is saved (`shelfwise library list` shows the library folders)\n" });
    }
    // The read-only words end with the command: a stop now (before any result) gets the generic ones.
    commandStarts();
    expect(stopOutcome("SIGINT", reportedResult())).toEqual({ code: 130, message: "shelfwise: interrupted (SIGINT); what was saved before is kept; run the command again to continue\n" });
  });
});
