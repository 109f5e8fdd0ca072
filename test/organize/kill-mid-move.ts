/**
 * What the kill -9 tests of `apply` and `undo` share: a fresh copy of a
 * prepared run folder, and a CLI command killed a while after it has
 * journaled its first move.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { spawnCli } from "../support/cli.js";

/**
 * `run` made afresh from `template`: the library as hard links (moves rename
 * and unlink names, never write into a file, so the template keeps its bytes
 * and the books their mtimes), the database as a real copy. In this process:
 * `rm -rf` and two `cp` children cost ~125 ms of CPU a round for a 500-book
 * library (forking the test's large process included), these calls ~55 ms.
 */
export function freshRun(template: string, run: string): void {
  if (fs.existsSync(run)) removeTree(run);
  fs.mkdirSync(run);
  linkTree(path.join(template, "library"), path.join(run, "library"));
  fs.cpSync(path.join(template, "data"), path.join(run, "data"), { recursive: true, preserveTimestamps: true });
}

/** `cp -al`: folders made anew, every other entry (files, links) hard-linked. */
function linkTree(from: string, to: string): void {
  fs.mkdirSync(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(path.join(from, entry.name), path.join(to, entry.name));
    else fs.linkSync(path.join(from, entry.name), path.join(to, entry.name));
  }
}

/** `rm -rf` without a child (node 20's fs.rmSync recursive took ~47 ms here against ~26 for this walk). */
function removeTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeTree(path.join(dir, entry.name));
    else fs.unlinkSync(path.join(dir, entry.name));
  }
  fs.rmdirSync(dir);
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
