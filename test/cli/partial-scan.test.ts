/**
 * A scan that could not read everything says so in its exit code (3, as a
 * `process` with problems), on stderr (also with --json) and in `--json`
 * (`problems`, `exit_code`); a library that cannot be read at all is a
 * failure (1). Root reads through chmod 000, so as root the scans run as
 * "nobody": the permission check is then real, not simulated.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { ScanSummaryView } from "../../src/app/views/scan-summary.js";
import { scanCommand } from "../../src/cli/commands/scan.js";
import { commandStarts, reportedResult, stopOutcome } from "../../src/cli/interrupt.js";
import { runCli, type CliOptions } from "../support/cli.js";
import { runCliInProcess, runCliInProcessOk } from "../support/cli-in-process.js";
import { storedBooks } from "../support/db.js";
import { chmodTree, makeTempDir, removeTempDir } from "../support/temp-dir.js";
import { checkView } from "../support/views.js";

const asRoot = process.getuid?.() === 0;
let tmp: string;
let lib: string;
let data: string;
let user: CliOptions = {};
/** False when this checkout is out of nobody's reach: nothing to test then. */
let reachable = true;

function writeBook(dir: string, title: string): void {
  fs.mkdirSync(dir, { recursive: true });
  writeMp3(path.join(dir, "01.mp3"), { title, album: title, artist: "Ann Author" });
}

beforeAll(async () => {
  tmp = makeTempDir("partial-scan");
  lib = path.join(tmp, "library");
  data = path.join(tmp, "data");
  writeBook(path.join(lib, "Ann Author", "Safe"), "Safe");
  writeBook(path.join(lib, "Ann Author", "Locked"), "Locked");
  await runCliInProcessOk(["scan", lib], { dataDir: data });
  if (asRoot) {
    user = { uid: 65534, gid: 65534, env: { HOME: tmp } };
    // nobody must reach the temp folders and write the data folder (database, WAL, log).
    fs.chmodSync(tmp, 0o755);
    chmodTree("a+rwX", data, lib);
    reachable = (await runCli(["--version"], user)).code === 0;
  }
});
afterAll(() => removeTempDir(tmp));

describe("a partial scan", () => {
  it("a subfolder this user may not read: exit 3, the folder named on stderr, problems and exit_code in --json, its books kept", async (ctx) => {
    if (!reachable) ctx.skip();
    const locked = path.join(lib, "Ann Author", "Locked");
    fs.chmodSync(locked, 0o000);
    try {
      const text = await runCli(["scan"], { dataDir: data, ...user });
      expect(text.code).toBe(3);
      expect(text.stdout).toMatch(/problems: 1$/m);
      expect(text.stderr).toContain(`finished with problems (exit code 3): 1 folder or file not read`);
      expect(text.stderr).toMatch(new RegExp(`${locked.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*permission denied`));

      const json = await runCli(["scan", "--json"], { dataDir: data, ...user });
      expect(json.code).toBe(3);
      const summary = checkView(ScanSummaryView, JSON.parse(json.stdout));
      expect(summary.exit_code).toBe(3);
      expect(summary.missing).toBe(0);
      expect(summary.problems).toEqual([{ path: locked, message: expect.stringMatching(/permission denied/) }]);
      expect(json.stderr).toContain("finished with problems (exit code 3)");
      expect(storedBooks(data).map((b) => [path.basename(b.path), b.status])).toEqual([
        ["Locked", "new"],
        ["Safe", "new"],
      ]);
    } finally {
      fs.chmodSync(locked, 0o755);
    }
    const whole = await runCli(["scan", "--json"], { dataDir: data, ...user });
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ exit_code: 0, problems: [] });
    expect(whole.stderr).not.toContain("problems");
  });

  it("a library folder this user may not read at all: exit 1, nothing marked missing", async (ctx) => {
    if (!reachable) ctx.skip();
    fs.chmodSync(lib, 0o000);
    try {
      const result = await runCli(["scan", "--json"], { dataDir: data, ...user });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/permission denied/);
      expect(result.stderr).toMatch(/no library folder could be read/);
    } finally {
      fs.chmodSync(lib, 0o755);
    }
    expect(storedBooks(data).every((b) => b.status === "new")).toBe(true);
  });
});

describe("an empty library folder", () => {
  it("a new one given alone: said to be empty (not 'could not be read'), its name with a line break shown as \\n, nothing recorded", async () => {
    const fresh = path.join(tmp, "new\nlibrary");
    fs.mkdirSync(fresh);
    const result = await runCliInProcess(["scan", fresh, "--json"], { dataDir: data });
    // It said "problem: …: library folder is empty (an unmounted drive?); books recorded under it are left as they were"
    // (none were) and "no library folder could be read (…new" with the line break printed raw.
    expect([result.code, result.stdout]).toEqual([1, ""]);
    expect(result.stderr).toBe(
      `shelfwise: nothing to scan: ${path.join(tmp, "new\\nlibrary")} is empty (an unmounted drive? put your audiobooks there, or give the folder that holds them); nothing was changed\n`,
    );
    expect(JSON.parse(fs.readFileSync(path.join(data, "config.json"), "utf8")).library_paths).not.toContain(fresh);
    // With no data folder yet, none is set up for it: it said "nothing was changed" and left one holding no library.
    const newData = path.join(tmp, "new-data");
    await expect(scanCommand(newData, [fresh], {})).rejects.toThrow(/^nothing to scan: .* is empty .*; nothing was created$/);
    expect(fs.existsSync(newData)).toBe(false);
  });
});

describe("a stop signal once the scan is recorded and printed", () => {
  it("does not say the scan was lost: it exits with the scan's own code (Ctrl-C while the session closes)", async () => {
    // A command starts with nothing reported, as in its own process (files before this one in a shared worker ran others).
    commandStarts();
    // Before: "interrupted (SIGINT); … run the command again to continue", exit 130, for a scan recorded and printed.
    expect(stopOutcome("SIGINT", reportedResult())).toEqual({ code: 130, message: expect.stringMatching(/^shelfwise: interrupted \(SIGINT\); .*run the command again/) });
    // In-process: the signal's handler ends the process, so what it would do is asked of stopOutcome, as onSignal asks it.
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
    try {
      await scanCommand(data, [], { json: true });
    } finally {
      process.stdout.write = write;
    }
    expect(JSON.parse(out.join(""))).toMatchObject({ exit_code: 0 });
    expect(stopOutcome("SIGINT", reportedResult())).toEqual({ code: 0, message: null });
    expect(stopOutcome("SIGTERM", 3)).toEqual({ code: 3, message: null });
  });
});
