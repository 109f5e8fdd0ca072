/**
 * What the kill -9 tests of `apply` and `undo` share: a fresh copy of a
 * prepared run folder, and a CLI command killed a while after it has
 * journaled its first move.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { spawnCli } from "../support/cli.js";

/**
 * `run` made afresh from `template`: the library as hard links (moves rename
 * and unlink names, never write into a file, so the template keeps its bytes
 * and the books their mtimes), the database as a real copy.
 */
export function freshRun(template: string, run: string): void {
  spawnSync("rm", ["-rf", run]);
  fs.mkdirSync(run);
  for (const [what, flags] of [["library", "-al"], ["data", "-a"]] as const) {
    const cp = spawnSync("cp", [flags, path.join(template, what), path.join(run, what)]);
    if (cp.status !== 0) throw new Error(`cp failed: ${cp.stderr}`);
  }
}

/**
 * Starts the CLI with `args` on `dataDir`, waits until `journaledSql` (a
 * count of moves) says it has journaled something, then kills it after
 * `afterMs` unless it ended first. `movingMs`: from the first journaled move
 * to its end. `pollMs`: how often the journal is read until then.
 */
export async function runAndKill(
  args: string[],
  dataDir: string,
  journaledSql: string,
  afterMs: number,
  env: Record<string, string>,
  pollMs = 2,
): Promise<{ killed: boolean; movingMs: number }> {
  const child = spawnCli(args, { dataDir, env });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  // One reader for the whole wait: opening the database at every poll cost more CPU than the command it waits for.
  const reader = new Database(path.join(dataDir, "shelfwise.db"), { readonly: true, fileMustExist: true });
  try {
    reader.pragma("busy_timeout = 5000");
    const count = reader.prepare(journaledSql);
    const journaled = () => {
      try {
        return (count.get() as { n: number }).n > 0;
      } catch {
        return false;
      }
    };
    while (!done && !journaled()) await new Promise((resolve) => setTimeout(resolve, pollMs));
  } finally {
    reader.close();
  }
  const start = performance.now();
  if (!done) {
    await Promise.race([new Promise((resolve) => setTimeout(resolve, afterMs)), exited]);
    if (!done) child.kill("SIGKILL");
  }
  await exited;
  return { killed: child.signalCode === "SIGKILL", movingMs: performance.now() - start };
}
