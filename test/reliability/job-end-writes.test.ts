/**
 * The writes a job makes as it ends, refused by the disk (strace injection on the real CLI and server): none may be
 * lost in silence, and none may make a later command say something false. The scan's log line refused: the scan
 * says so (its books are saved). The web server's job marker refused once as a scan job ends: it is removed on a
 * second try, so the next command does not say the job was cut short.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { CLI_BIN } from "../support/cli.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { requireBuilt, writeLibrary } from "../support/plugin-fixtures.js";
import { makeTempDir, removeTempDir } from "../support/temp-dir.js";

const hasStrace = process.platform === "linux" && spawnSync("strace", ["-V"]).status === 0;

let tmp: string;
beforeAll(() => {
  requireBuilt();
  tmp = makeTempDir("job-end-writes");
});
afterAll(() => removeTempDir(tmp));

describe.skipIf(!hasStrace)("a scan whose log line the disk refuses", () => {
  it("says on stderr that the log lost its line, that the books are saved and what to do; exit 0", async () => {
    const dataDir = path.join(tmp, "log-data");
    const library = path.join(tmp, "log-library");
    writeLibrary(library, 2);
    expect((await runCliInProcess(["init", library], { dataDir })).code).toBe(0);
    const log = path.join(dataDir, "logs", "shelfwise.log");
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, "");
    // -P: only writes to the log file are refused, every one of them.
    const run = spawnSync("strace", ["-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-P", log, "-e", "trace=write", "-e", "inject=write:error=ENOSPC", process.execPath, CLI_BIN, "scan", "--data-dir", dataDir], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^books found: 2, new: 2/);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines, run.stderr).toEqual([expect.stringMatching(new RegExp(`^shelfwise: warning: shelfwise's log ${log.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} could not be written \\(the disk is full\\): 1 line .* lost; its work itself is saved in the database, nothing to run again; free some space on that disk`))]);
    const db = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM books").get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });
});

/** The page number a WAL frame header (24 bytes, strace -xx) is for: its first four bytes, big-endian. */
function framePage(line: string): number | null {
  const match = /pwrite64\(\d+, "((?:\\x[0-9a-f]{2}){24})", 24,/.exec(line);
  if (!match) return null;
  const bytes = match[1]!.split("\\x").slice(1, 5).map((hex) => parseInt(hex, 16));
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/**
 * `serve` under strace (the WAL's pwrite64 traced, the `failAt`-th refused with ENOSPC when given) runs one scan job
 * (and the run that follows it) and is stopped with SIGTERM; returns the trace's lines.
 */
async function serveOneScan(dataDir: string, failAt?: number): Promise<{ trace: string[]; output: string }> {
  const wal = path.join(dataDir, "shelfwise.db-wal");
  const out = path.join(tmp, `trace-${process.hrtime.bigint()}`);
  const inject = failAt === undefined ? [] : ["-e", `inject=pwrite64:error=ENOSPC:when=${failAt}`];
  const child = spawn("strace", ["-f", "--seccomp-bpf", "-qq", "-xx", "-s", "32", "-o", out, "-P", wal, "-e", "trace=pwrite64", ...inject, process.execPath, CLI_BIN, "serve", "--port", "0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", SHELFWISE_DATA_DIR: "" },
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /at (http:\/\/\S+?)\/ \(Ctrl-C/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${output}`)));
  });
  expect((await fetch(`${url}/api/scan`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(202);
  // The scan is followed by a run of the books it found (its marker the last one removed): done once that run ended.
  for (;;) {
    const status = (await (await fetch(`${url}/api/status`)).json()) as { job: unknown; last_job: { kind: string } | null };
    if (status.job === null && status.last_job?.kind === "process") break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The server, not strace: strace detaches on SIGTERM and leaves its tracee running.
  const server = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/)[0]);
  process.kill(server, "SIGTERM");
  await exited;
  const trace = fs.readFileSync(out, "utf8").split("\n");
  fs.rmSync(out);
  return { trace, output };
}

describe.skipIf(!hasStrace)("a serve job whose marker removal the disk refuses once", () => {
  it("is removed by a second try: the next command does not say the job was cut short", async () => {
    const library = path.join(tmp, "marker-library");
    writeLibrary(library, 3);
    const counted = path.join(tmp, "marker-counted");
    expect((await runCliInProcess(["init", library], { dataDir: counted })).code).toBe(0);
    const dataDir = path.join(tmp, "marker-data");
    fs.cpSync(counted, dataDir, { recursive: true });
    const db = new Database(path.join(counted, "shelfwise.db"), { readonly: true });
    const markerPage = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'job_marker'").get() as { rootpage: number }).rootpage;
    db.close();
    const { trace } = await serveOneScan(counted);
    const writes = trace.filter((line) => line.includes("pwrite64("));
    // The marker's removal: the last frame written for its page (the first one wrote it as the job started).
    const removal = writes.map(framePage).lastIndexOf(markerPage);
    expect(removal).toBeGreaterThan(writes.findIndex((line) => framePage(line) === markerPage));
    const failed = await serveOneScan(dataDir, removal + 1);
    expect(failed.output).not.toMatch(/cut short/);
    const next = await runCliInProcess(["status"], { dataDir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/cut short/);
    const check = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true });
    try {
      expect(check.prepare("SELECT count(*) AS n FROM job_marker").get()).toEqual({ n: 0 });
    } finally {
      check.close();
    }
  });
});
