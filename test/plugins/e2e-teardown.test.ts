/**
 * Shutdown after `process`: teardown() runs and can write into the plugin's
 * own data dir; a teardown that hangs is cut off after 5 s; no plugin
 * process survives shelfwise, not even when shelfwise is SIGKILLed while the
 * plugin spins in a loop (Linux parent-death signal, through setpriv).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeBook, runPlugin, validatePlugin } from "../../src/plugins/authoring/plugin-harness.js";
import { deathSignalLauncher } from "../../src/plugins/process/death-signal.js";
import { spawnCli } from "../support/cli.js";
import { inProcess } from "../support/cli-in-process.js";
import {
  createHome,
  leftoverRunners,
  nodePlugin,
  pythonPlugin,
  requireBuilt,
  type TestHome,
} from "../support/plugin-fixtures.js";

const TEARDOWN_LIMIT_MS = 5000;
/** Written by a stuck plugin into its working folder once its call has begun. */
const IN_CALL = "in-call";

// The working directory of a plugin is its data dir, the one place it may write.
const MARKER = `import fs from "node:fs";
${nodePlugin(`
  process() { return { year: "2020" }; }
  teardown() { fs.writeFileSync("teardown-marker.txt", "torn down at " + new Date().toISOString()); }`)}`;

const PY_MARKER = pythonPlugin(`
    def process(self, book_data):
        return {"language": "en"}

    def teardown(self):
        with open("teardown-marker.txt", "w") as out:
            out.write("torn down")
`);

// A synchronous hang: the runner's own teardown timer cannot fire, the host must kill it. Asleep rather than
// a busy loop (the thread blocks on a wait nothing ends): the event loop is held all the same, without
// burning a core for the 5 s the limit takes.
const STUCK = nodePlugin(`
  process() { return null; }
  teardown() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }`);

beforeAll(requireBuilt);

describe("teardown at shutdown", () => {
  let home: TestHome;
  let baselineMs: number;

  beforeAll(async () => {
    home = createHome({ books: 2 });
    home.plugin("marker", { code: MARKER });
    home.plugin("py-marker", { entry: "plugin.py", code: PY_MARKER });
    // The scan only prepares the books (the file shares workers, so the built CLI is loaded in this process
    // anyway); `process`, whose exit and plugins' end each case checks, runs as a process of its own.
    await inProcess(home).json(["scan"]);
  });
  afterAll(() => home?.cleanup());

  test("teardown runs after `process` and writes into <data-dir>/plugin-data/<id>/", async () => {
    const result = await home.cli(["process"]);
    expect(result.code, result.stderr).toBe(0);
    baselineMs = result.ms;
    for (const id of ["marker", "py-marker"]) {
      const marker = path.join(home.dataDir, "plugin-data", id, "teardown-marker.txt");
      expect(fs.existsSync(marker), id).toBe(true);
    }
    expect(fs.readFileSync(path.join(home.dataDir, "plugin-data", "marker", "teardown-marker.txt"), "utf8")).toMatch(/^torn down at /);
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });

  test("a teardown that hangs is cut off: `process` exits within 5 s plus margin, nothing left running", async () => {
    home.plugin("stuck", { code: STUCK });
    fs.rmSync(path.join(home.dataDir, "plugin-data", "marker", "teardown-marker.txt"));
    const result = await home.cli(["process"]);
    expect(result.code, result.stderr).toBe(0);
    // It did wait for the teardown (so the hang was real), but not much longer.
    expect(result.ms).toBeGreaterThan(TEARDOWN_LIMIT_MS - 500);
    expect(result.ms).toBeLessThan(baselineMs + TEARDOWN_LIMIT_MS + 6000);
    expect(leftoverRunners(home.dataDir)).toEqual([]);
    // The other plugins were still torn down properly.
    expect(fs.existsSync(path.join(home.dataDir, "plugin-data", "marker", "teardown-marker.txt"))).toBe(true);
    expect(fs.readFileSync(path.join(home.dataDir, "logs", "plugins", "stuck.log"), "utf8")).toMatch(/teardown did not finish within 5 s/);
  });
});

describe("work a plugin leaves running after its last answer", () => {
  let home: TestHome;
  beforeAll(() => {
    home = createHome({ books: 0 });
  });
  afterAll(() => home?.cleanup());

  // A flush after the answer: the pipeline's process, alive between books, let it finish for all but the last book;
  // at teardown (and so in the test harness, after its only book) the runner exited at once and cut it.
  const FLUSHERS = [
    {
      runtime: "node",
      entry: "index.mjs",
      code: `import fs from "node:fs";\n${nodePlugin(`process() { setTimeout(() => fs.writeFileSync("flushed.txt", "flushed"), 200); return { year: "2020" }; }`)}`,
      // One-shot work that never comes in time (an interval is let go instead: the test below).
      stuck: nodePlugin(`process() { setTimeout(() => {}, 600_000); return { year: "2020" }; }`),
      setupTimer: nodePlugin(`setup() { setInterval(() => {}, 1000); }\n  process() { return null; }`),
      left: "(Timeout)",
    },
    {
      runtime: "python",
      entry: "plugin.py",
      code: `import threading\n${pythonPlugin(`
    def process(self, book_data):
        threading.Timer(0.2, lambda: open("flushed.txt", "w").write("flushed")).start()
        return {"year": "2020"}
`)}`,
      stuck: `import threading\n${pythonPlugin(`
    def process(self, book_data):
        threading.Timer(600, print).start()
        return {"year": "2020"}
`)}`,
      setupTimer: `import threading\n${pythonPlugin(`
    def setup(self, config, secrets):
        threading.Timer(600, print).start()

    def process(self, book_data):
        return None
`)}`,
      left: "(threads: Thread-1)",
    },
  ];

  test.each(FLUSHERS)("$runtime: is finished before the plugin exits, in the test harness too; work never done is cut, in words", async ({ runtime, entry, code, stuck, setupTimer, left }) => {
    const options = { dataDir: home.dataDir, pluginDir: home.pluginDir };
    const folder = home.plugin(`flush-${runtime}`, { entry, code });
    const finished = await runPlugin(folder, [makeBook({ title: "Dune" })], options);
    expect(finished.calls[0]).toMatchObject({ outcome: "ok", error: null });
    expect(fs.readFileSync(path.join(home.dataDir, "plugin-data", `flush-${runtime}`, "flushed.txt"), "utf8")).toBe("flushed");

    const stuckFolder = home.plugin(`stuck-${runtime}`, { entry, code: stuck });
    const started = Date.now();
    const cut = await runPlugin(stuckFolder, [makeBook({ title: "Dune" })], options);
    expect(cut.calls[0]).toMatchObject({ outcome: "ok", error: null });
    expect(cut.output.join("\n")).toContain(`still had work pending 4.0 s after its last call ${left}, stopped unfinished`);
    // Cut by the runner, before the host's own 5 s limit: no "teardown did not finish".
    expect(Date.now() - started).toBeLessThan(TEARDOWN_LIMIT_MS + 5000);
    expect(fs.readFileSync(cut.log_file!, "utf8")).not.toContain("teardown did not finish");
    // Only set up, never asked (`plugins validate`, a start check): nothing answered is left to finish, and a
    // timer its setup() started does not hold the check.
    const timerFolder = home.plugin(`setup-timer-${runtime}`, { entry, code: setupTimer });
    await validatePlugin(timerFolder, options);
    expect(fs.readFileSync(path.join(home.dataDir, "logs", "plugins", `setup-timer-${runtime}.log`), "utf8")).not.toContain("still had work pending");
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });
});

describe("a setInterval a plugin never clears", () => {
  let home: TestHome;
  beforeAll(() => {
    home = createHome({ books: 0 });
  });
  afterAll(() => home?.cleanup());

  // An interval never ends: waited for like pending work, it held the end of every run 4 s, then read as
  // "still had work pending". It is let go at once, named once with the fix, and other pending work still finishes.
  test("is let go at teardown, saying how to fix it, while a flush started beside it still finishes", async () => {
    const options = { dataDir: home.dataDir, pluginDir: home.pluginDir };
    const folder = home.plugin("poller", {
      code: `import fs from "node:fs";\n${nodePlugin(`process() {
        setInterval(() => {}, 1000);
        setTimeout(() => fs.writeFileSync("flushed.txt", "flushed"), 200);
        return { year: "2020" };
      }`)}`,
    });
    const run = await runPlugin(folder, [makeBook({ title: "Dune" })], options);
    expect(run.calls[0]).toMatchObject({ outcome: "ok", error: null });
    expect(fs.readFileSync(path.join(home.dataDir, "plugin-data", "poller", "flushed.txt"), "utf8")).toBe("flushed");
    const output = run.output.join("\n");
    expect(output).toContain(
      "shelfwise runner: plugin poller left a setInterval timer running after teardown; an interval never ends, so shelfwise let it go instead of waiting for it (it held the end of every run 4 s): clear it in teardown() (clearInterval) or call .unref() on it when you start it",
    );
    expect(output).not.toContain("still had work pending");
    expect(output.match(/left a setInterval/g)).toHaveLength(1);
    // Cleared in teardown() or unref()ed: nothing to say.
    const tidy = home.plugin("tidy-poller", {
      code: nodePlugin(`process() { this.a = setInterval(() => {}, 1000); setInterval(() => {}, 1000).unref(); return null; }
  teardown() { clearInterval(this.a); }`),
    });
    const quiet = await runPlugin(tidy, [makeBook({ title: "Dune" })], options);
    expect(quiet.output.join("\n")).not.toMatch(/setInterval|still had work pending/);
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });

  // Imported from node:timers, or timers/promises' async iterator: were waited for the whole 4 s, then "work pending".
  test("imported from node:timers or node:timers/promises is let go too, with the same words", async () => {
    const options = { dataDir: home.dataDir, pluginDir: home.pluginDir };
    const folder = home.plugin("imported-poller", {
      code: `import { setInterval as every } from "node:timers";\nimport { setInterval as ticks } from "node:timers/promises";\n${nodePlugin(`process() {
        every(() => {}, 1000);
        void (async () => { for await (const _ of ticks(1000)) {} })();
        return { year: "2020" };
      }`)}`,
    });
    const run = await runPlugin(folder, [makeBook({ title: "Dune" })], options);
    expect(run.calls[0]).toMatchObject({ outcome: "ok", error: null });
    const output = run.output.join("\n");
    expect(output).toContain("shelfwise runner: plugin imported-poller left 2 setInterval timers running after teardown; an interval never ends, so shelfwise let it go");
    expect(output).not.toContain("still had work pending");
  });
});

describe("what a plugin leaves at its end, in its health", () => {
  let home: TestHome;
  beforeAll(async () => {
    home = inProcess(createHome({ books: 1 }));
    await home.json(["scan"]);
  });
  afterAll(() => home?.cleanup());

  type Health = { plugin_id: string; end_warnings: string[] }[];
  const endWarnings = async (id: string) => (await home.json<Health>(["plugins", "health"])).find((row) => row.plugin_id === id)?.end_warnings;

  // It was said on stderr only (the plugin's log, `plugins test`): `plugins health` and the Health page, where an
  // author of a plugin that runs in `process` looks, said nothing. Replaced at each run's end: gone once fixed.
  test("a setInterval left running is in `plugins health` until a run ends cleanly", async () => {
    const folder = home.plugin("health-poller", { code: nodePlugin(`process() { setInterval(() => {}, 1000); return { year: "2020" }; }`) });
    expect(await endWarnings("health-poller")).toEqual([]);
    const run = await home.cli(["process"]);
    expect(run.code, run.stderr).toBe(0);
    expect(await endWarnings("health-poller")).toEqual([
      "left a setInterval timer running after teardown; an interval never ends, so shelfwise let it go instead of waiting for it (it held the end of every run 4 s): clear it in teardown() (clearInterval) or call .unref() on it when you start it",
    ]);
    const shown = await home.cli(["plugins", "health"]);
    expect(shown.stdout).toContain("health-poller at its last run's end: left a setInterval timer running after teardown");
    fs.writeFileSync(path.join(folder, "index.mjs"), nodePlugin(`process() { setInterval(() => {}, 1000).unref(); return { year: "2021" }; }`));
    const again = await home.cli(["process"]);
    expect(again.code, again.stderr).toBe(0);
    expect(await endWarnings("health-poller")).toEqual([]);
    expect(leftoverRunners(home.dataDir)).toEqual([]);
  });
});

describe("shelfwise killed outright", () => {
  let home: TestHome | undefined;
  afterAll(() => home?.cleanup());

  // Stuck for good: the runner cannot notice anything, only the kernel can stop it. Each first leaves a mark in
  // its working folder (its data dir), so the test kills shelfwise once the call is running, not after a guess,
  // and then loops asleep, not busy: the thread is held all the same (node's event loop never turns; the Python
  // call never returns) without burning a core until the kill.
  const SPINNERS = [
    {
      runtime: "node",
      entry: "index.mjs",
      code: `import fs from "node:fs";\n${nodePlugin(`process() { fs.writeFileSync("${IN_CALL}", ""); for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); }`)}`,
    },
    { runtime: "python", entry: "plugin.py", code: `import time\n${pythonPlugin(`
    def process(self, book_data):
        open("${IN_CALL}", "w").close()
        while True:
            time.sleep(1)
`)}` },
  ];

  test.runIf(deathSignalLauncher() !== null).each(SPINNERS)(
    "SIGKILL of shelfwise mid-call takes a $runtime plugin stuck in a loop down with it",
    async ({ entry, code }) => {
      home?.cleanup();
      home = createHome({ books: 1, config: { plugin_configs: { spin: { timeout: 120 } } } });
      home.plugin("spin", { entry, code });
      await inProcess(home).json(["scan"]);
      const dataDir = home.dataDir;
      // Watched before the start, so the mark cannot come unseen; the folder is the one the runner starts in.
      const workDir = path.join(dataDir, "plugin-data", "spin");
      fs.mkdirSync(workDir, { recursive: true });
      const watcher = fs.watch(workDir);
      const inCall = new Promise<void>((resolve) => watcher.on("change", (_event, name) => String(name) === IN_CALL && resolve()));
      const child = spawnCli(["process"], { dataDir });
      const gone = new Promise((resolve) => child.once("close", resolve));
      try {
        const first = await Promise.race([inCall.then(() => "in call"), gone.then(() => "ended")]);
        expect(first, "shelfwise ended before the plugin's call started").toBe("in call");
        // The mark is written by the call itself: the runner is up and stuck in it.
        expect(leftoverRunners(dataDir)).not.toEqual([]);
      } finally {
        watcher.close();
        child.kill("SIGKILL");
      }
      await gone;
      // The kernel's parent-death signal acts at once; the deadline is room for a loaded machine. Left
      // alone, the spinner would run until its 120 s call timeout.
      const deadline = Date.now() + 20_000;
      while (leftoverRunners(dataDir).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(leftoverRunners(dataDir)).toEqual([]);
    },
  );
});
