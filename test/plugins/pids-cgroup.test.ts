/**
 * Plugin cgroups of a shelfwise that is gone: what still runs in one (a plugin
 * process that outlived its shelfwise) is killed by the next shelfwise's
 * sweep, and the cgroup removed. Needs a pids cgroup this process may write
 * (root with cgroup v1's pids hierarchy, or a delegated v2 folder).
 */
import childProcess, { spawn } from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { availability, probeSandbox } from "../../src/plugins/sandbox/detect.js";
import { pidNamespace, sweepStale } from "../../src/plugins/sandbox/pids-cgroup.js";
import { createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { nodePlugin } from "../support/plugin-fixtures.js";
import { createLayout, ensureBuilt, pluginSpec, testBook } from "./sandbox-fixture.js";

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
  const usable = availability().pidsCgroup !== null && availability().helper !== null;

  /** A process that would run for ever, in a fresh cgroup of that name, and whether the sweep killed it. */
  async function sweepOver(name: string): Promise<{ killed: boolean; removed: boolean }> {
    const base = availability().pidsCgroup!;
    const dir = path.join(base, name);
    // The helper joins the cgroup, as for a plugin, and execs the process.
    const orphan = spawn(availability().helper!, ["--pids-cgroup", dir, "8", "--", "/bin/sleep", "1000"], { stdio: "ignore" });
    const gone = new Promise((resolve) => orphan.once("exit", resolve));
    try {
      const until = Date.now() + 10_000;
      while (!tasks(dir) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(tasks(dir)).toBe(String(orphan.pid));
      sweepStale(base);
      const killed = await Promise.race([gone.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), killedWithin))]);
      const removed = Date.now() + 10_000;
      while (killed && fs.existsSync(dir) && Date.now() < removed) await new Promise((resolve) => setTimeout(resolve, 50));
      return { killed, removed: !fs.existsSync(dir) };
    } finally {
      orphan.kill("SIGKILL");
      await gone;
      try {
        fs.rmdirSync(dir);
      } catch {
        // removed by the sweep
      }
    }
  }
  let killedWithin = 10_000;

  it.runIf(usable)("kills what still runs in the cgroup of a gone shelfwise, and removes the cgroup", async () => {
    killedWithin = 10_000;
    expect(await sweepOver(`shelfwise-${deadPid()}-1-ns${pidNamespace()}`)).toEqual({ killed: true, removed: true });
  });

  // Its pid means nothing here: the shelfwise may be alive in its own namespace (a container sharing the hierarchy).
  it.runIf(usable)("leaves alone a cgroup named from another PID namespace, or from before namespaces were named", async () => {
    killedWithin = 500;
    expect(await sweepOver(`shelfwise-${deadPid()}-1-ns1`)).toEqual({ killed: false, removed: false });
    expect(await sweepOver(`shelfwise-${deadPid()}-2`)).toEqual({ killed: false, removed: false });
  });
});

describe("a plugin process's cgroup is its own", () => {
  const usable = availability().pidsCgroup !== null && availability().helper !== null;

  // Two copies of shelfwise's modules in one process (the in-process CLI's bundle beside `serve` in the
  // browser tests; vitest's fresh module graph per file) each counted cgroup names from 1: the CLI's
  // `plugins health`, starting and closing its plugins, killed what ran in the cgroup of the same name,
  // serve's idle plugin, and that end was stored as the plugin's crash (a failure on the Health page).
  it.runIf(usable)("another shelfwise in this process closing its plugin leaves this one's running, and no crash is told", async () => {
    ensureBuilt();
    const layout = await createLayout();
    const ended: string[] = [];
    const launcher = createNodeLauncher();
    const code = { "index.mjs": nodePlugin(`process(book) { return { title: "answered" }; }`) };
    try {
      vi.resetModules();
      const serve = await import("../../src/plugins/process/supervisor.js");
      vi.resetModules();
      const cli = await import("../../src/plugins/process/supervisor.js");
      const served = serve.createPluginProcess(pluginSpec(layout, "served", "node", code), launcher, { onProcessEnded: (error) => ended.push(error) });
      try {
        await served.start();
        const pid = served.pid();
        const checked = cli.createPluginProcess(pluginSpec(layout, "checked", "node", code), launcher);
        await checked.start();
        await checked.close();
        const [result] = await served.runBatch([testBook("book")]);
        expect(result?.outcome, result?.error).toBe("ok");
        // The same process answered: it was not killed and started again.
        expect(served.pid()).toBe(pid);
        expect(ended).toEqual([]);
      } finally {
        await served.close();
      }
    } finally {
      vi.resetModules();
      await layout.cleanup();
    }
  });
});

describe("the sandbox probe", () => {
  const both = availability().pidsCgroup !== null && availability().memoryCgroup !== null && availability().helper !== null;

  /** A fresh detect.js (nothing cached) probing, with every helper run it asks for; `refuseChain` fails a chained run unrun. */
  async function probeFresh(refuseChain: boolean): Promise<{ answer: unknown; helperRuns: string[][] }> {
    const helperRuns: string[][] = [];
    const original = childProcess.execFile;
    childProcess.execFile = function (this: unknown, file: string, args: string[], options: unknown, callback: (error: Error | null, stdout: string, stderr: string) => void) {
      if (file === availability().helper) {
        helperRuns.push(args);
        // What an older helper does with a chain: it does not know the step it is given.
        if (refuseChain && args.length > 1 && args.includes("--abi") && args.includes("--memory-cgroup") && args.includes("--pids-cgroup")) {
          process.nextTick(() => callback(Object.assign(new Error("exit 2"), { code: 2 }), "", "sandbox-exec: usage\n"));
          return undefined as never;
        }
      }
      return original.call(this, file, args, options as never, callback as never);
    } as typeof childProcess.execFile;
    syncBuiltinESMExports();
    try {
      vi.resetModules();
      const fresh = await import("../../src/plugins/sandbox/detect.js");
      return { answer: await fresh.probeSandbox(), helperRuns };
    } finally {
      childProcess.execFile = original;
      syncBuiltinESMExports();
      vi.resetModules();
    }
  }

  it.runIf(both)("starts the helper once to try both throwaway cgroups and read its ABI, with the answer of its three runs apart", async () => {
    const chained = await probeFresh(false);
    expect(chained.helperRuns).toHaveLength(1);
    const apart = await probeFresh(true);
    // The chain refused, then --abi, the pids probe and the memory probe, each alone as before.
    expect(apart.helperRuns).toHaveLength(4);
    expect(chained.answer).toEqual(apart.answer);
    expect(chained.answer).toMatchObject({ pidsCgroup: availability().pidsCgroup, memoryCgroup: availability().memoryCgroup, landlockAbi: availability().landlockAbi });
  });
});
