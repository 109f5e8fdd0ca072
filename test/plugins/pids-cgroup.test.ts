/**
 * Plugin cgroups of a shelfwise that is gone: what still runs in one (a plugin
 * process that outlived its shelfwise) is killed by the next shelfwise's
 * sweep, and the cgroup removed. Needs a pids cgroup this process may write
 * (root with cgroup v1's pids hierarchy, or a delegated v2 folder).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { availability, probeSandbox } from "../../src/plugins/sandbox/detect.js";
import { sweepStale } from "../../src/plugins/sandbox/pids-cgroup.js";

beforeAll(async () => {
  await probeSandbox();
});

/** A pid that names no process now (and, being high, is unlikely to by the sweep). */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) if (!fs.existsSync(`/proc/${pid}`)) return pid;
}

function tasks(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, "cgroup.procs"), "utf8").trim();
  } catch {
    return ""; // not made yet
  }
}

describe("the sweep of stale plugin cgroups", () => {
  it.runIf(availability().pidsCgroup !== null && availability().helper !== null)(
    "kills what still runs in the cgroup of a gone shelfwise, and removes the cgroup",
    async () => {
      const base = availability().pidsCgroup!;
      const dir = path.join(base, `shelfwise-${deadPid()}-1`);
      // The helper joins the cgroup, as for a plugin, and execs a process that would run for ever.
      const orphan = spawn(availability().helper!, ["--pids-cgroup", dir, "8", "--", "/bin/sleep", "1000"], { stdio: "ignore" });
      const gone = new Promise((resolve) => orphan.once("exit", resolve));
      try {
        const until = Date.now() + 10_000;
        while (!tasks(dir) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(tasks(dir)).toBe(String(orphan.pid));
        sweepStale(base);
        const killed = await Promise.race([gone.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
        expect(killed, "the process left in the stale cgroup was killed").toBe(true);
        const removed = Date.now() + 10_000;
        while (fs.existsSync(dir) && Date.now() < removed) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(fs.existsSync(dir)).toBe(false);
      } finally {
        orphan.kill("SIGKILL");
        try {
          fs.rmdirSync(dir);
        } catch {
          // removed by the sweep
        }
      }
    },
  );
});
