/** End to end through the host's supervisor (process/supervisor.ts) with the python launcher. */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPluginProcess, PluginStartError, type PluginProcess } from "../../src/plugins/process/supervisor.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { cleanupRunners, eventually, launchSpec, lmPlugin, makeBook, writePlugin } from "./python-harness.js";
import { treeCensus } from "../../src/plugins/sandbox/process-tree.js";
import { treeCpuMs } from "../support/own-time.js";
import { SELF_EXIT_HINT, STOPPED_ERROR, STOPPED_IDLE_ERROR } from "../../src/plugins/process/child.js";

const processes: PluginProcess[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) await p.close();
  cleanupRunners();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const UNRULY_PLUGIN = lmPlugin(
  `
    def process(self, book_data):
        print("processing", book_data["book_id"])
        if book_data["current_title"] == "hang":
            # Asleep, not busy: the call never returns all the same, without a core burnt until the kill.
            while True:
                time.sleep(1)
        if book_data["current_title"] == "crash":
            os._exit(3)
        if book_data["current_title"] == "raise":
            raise LookupError("no match in catalogue")
        return {"title": book_data["current_title"], "author": str(os.getpid())}
`,
  "import os, time",
);

describe("python plugins through the supervisor", () => {
  it("kills a hung call with SIGKILL, survives os._exit(3), restarts and finishes the batch", async () => {
    const dir = writePlugin({ "layer.py": UNRULY_PLUGIN });
    // The plugin reports os.getpid(): a host pid only outside a PID namespace (inside, every process is the same small pid).
    const spec = launchSpec(dir, {
      plugin_id: "unruly",
      timeoutSeconds: 1,
      dataDir: path.join(dir, "data"),
      logFile: path.join(dir, "logs", "unruly.log"),
      sandbox: { disable: ["namespace"] },
    });
    const proc = createPluginProcess(spec, pythonLauncher, { backoffMs: [0] });
    processes.push(proc);
    const titles = ["first", "hang", "after hang", "crash", "raise", "last"];
    const results = await proc.runBatch(titles.map((t, i) => makeBook(i + 1, { current_title: t })));
    expect(results.map((r) => r?.outcome)).toEqual(["ok", "timeout", "ok", "crash", "error", "ok"]);
    expect(results[1]?.error).toMatch(/within 1 s/);
    expect(results[3]?.error).toMatch(/exited with code 3/);
    expect(results[4]?.error).toBe("LookupError: no match in catalogue");
    // Three processes served the batch: before the hang, between hang and crash, after the crash.
    const pids = [0, 2, 5].map((i) => Number((results[i]?.data as { author: string }).author));
    expect(new Set(pids).size).toBe(3);
    expect(alive(pids[0]!) || alive(pids[1]!)).toBe(false);
    await proc.close();
    expect(alive(pids[2]!)).toBe(false);
    expect(fs.readFileSync(spec.logFile, "utf8")).toContain("processing 2");
  });

  it("says what a plugin that ends itself, raises KeyboardInterrupt or an unprintable exception did, and what to do", async () => {
    // Were "SystemExit: 3", "killed by SIGINT" (every later book restarted), "<unprintable Bad>" and "exited with code 0".
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        title = book_data["current_title"]
        if title == "exit":
            raise SystemExit(3)
        if title == "interrupt":
            raise KeyboardInterrupt()
        if title == "unprintable":
            raise Unprintable()
        if title == "os_exit":
            os._exit(0)
        return {"title": title}


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no")
`,
        "import os",
      ),
    });
    const spec = launchSpec(dir, { plugin_id: "self-ending", dataDir: path.join(dir, "data"), logFile: path.join(dir, "logs", "self-ending.log") });
    const proc = createPluginProcess(spec, pythonLauncher, { backoffMs: [0] });
    processes.push(proc);
    // os._exit first: the crash reason quotes stderr's last line, which a traceback logged by an earlier call would be.
    const titles = ["os_exit", "exit", "interrupt", "unprintable", "after", "last"];
    const results = await proc.runBatch(titles.map((t, i) => makeBook(i + 1, { current_title: t })));
    expect(results.map((r) => `${r?.outcome}: ${r?.error ?? (r?.data as { title: string }).title}`)).toEqual([
      `crash: plugin process exited with code 0: ${SELF_EXIT_HINT.python}`,
      "error: SystemExit: 3 (the plugin called sys.exit() or raised SystemExit: a plugin does not end its process; raise an exception saying what went wrong)",
      "error: KeyboardInterrupt: raised by the plugin's code, not by a Ctrl-C (raise an exception saying what went wrong)",
      expect.stringMatching(/^error: \S*Unprintable: \(its message cannot be printed: Unprintable.__str__ raised RuntimeError; fix __str__/),
      "ok: after",
      "ok: last",
    ]);
  });

  it("quotes in a crash's reason only what the crashing call wrote, not an earlier call's traceback or MemoryError line", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        title = book_data["current_title"]
        if title == "raise":
            raise LookupError("no match in catalogue")
        if title == "memory_note":
            print("caught MemoryError, retrying with a smaller page")
            sys.stdout.write("a line left open ")
            return {"title": title}
        if title == "os_exit":
            os._exit(0)
        if title == "note_exit":
            sys.stderr.write("caught MemoryError, retrying with a smaller page\\n")
            sys.stderr.flush()
            os._exit(1)
        return {"title": title}
`,
        "import os, sys",
      ),
    });
    const spec = launchSpec(dir, { plugin_id: "own-stderr", dataDir: path.join(dir, "data"), logFile: path.join(dir, "logs", "own-stderr.log") });
    const proc = createPluginProcess(spec, pythonLauncher, { backoffMs: [0] });
    processes.push(proc);
    const titles = ["raise", "memory_note", "os_exit", "note_exit", "last"];
    const results = await proc.runBatch(titles.map((t, i) => makeBook(i + 1, { current_title: t })));
    expect(results.map((r) => `${r?.outcome}: ${r?.error ?? (r?.data as { title: string }).title}`)).toEqual([
      "error: LookupError: no match in catalogue",
      "ok: memory_note",
      `crash: plugin process exited with code 0: ${SELF_EXIT_HINT.python}`,
      // Its own line naming a MemoryError is not Python's last words: the reason quotes it, no memory limit is blamed.
      "crash: plugin process exited with code 1: caught MemoryError, retrying with a smaller page",
      "ok: last",
    ]);
    await proc.close();
    const log = fs.readFileSync(spec.logFile, "utf8");
    expect(log).toContain("caught MemoryError, retrying with a smaller page");
    expect(log).not.toContain("call starts");
  });

  // The mark was a fixed line: a plugin printing it cut its own earlier lines out of its crash's reason.
  it("keeps a plugin's own stderr in its crash's reason when it prints the call mark itself", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        sys.stderr.write("upstream refused: quota exhausted\\n")
        sys.stderr.write("\\x1e[shelfwise: call starts]\\x1e\\n")
        sys.stderr.flush()
        os._exit(1)
`,
        "import os, sys",
      ),
    });
    const spec = launchSpec(dir, { plugin_id: "forges-mark", dataDir: path.join(dir, "data"), logFile: path.join(dir, "logs", "forges-mark.log") });
    const proc = createPluginProcess(spec, pythonLauncher, { backoffMs: [0] });
    processes.push(proc);
    const [result] = await proc.runBatch([makeBook(1)]);
    expect(`${result?.outcome}: ${result?.error}`).toBe("crash: plugin process exited with code 1: \\x1e[shelfwise: call starts]\\x1e");
    await proc.close();
    expect(fs.readFileSync(spec.logFile, "utf8")).toContain("upstream refused: quota exhausted");
  });

  // A thread of its own stopped it after its answer: the next book sent was blamed for a call that never began.
  it("blames no book for a stop a plugin's thread made between calls: the next book runs on a fresh process", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        if book_data["book_id"] == 1:
            threading.Timer(0.01, lambda: os.kill(os.getpid(), signal.SIGSTOP)).start()
        return {"title": "ok %d" % book_data["book_id"]}
`,
        "import os, signal, threading",
      ),
    });
    const ended: string[] = [];
    const spec = launchSpec(dir, { plugin_id: "stops-when-idle", dataDir: path.join(dir, "data"), logFile: path.join(dir, "logs", "stops-when-idle.log") });
    const proc = createPluginProcess(spec, pythonLauncher, { backoffMs: [0], onProcessEnded: (error) => ended.push(error) });
    processes.push(proc);
    expect((await proc.runBatch([makeBook(1)]))[0]?.data).toEqual({ title: "ok 1" });
    const pid = proc.pid()!;
    await eventually(() => ended.length > 0 || treeCensus(pid).stopped === true, "the plugin to stop itself");
    const [second] = await proc.runBatch([makeBook(2)]);
    expect(`${second?.outcome}: ${second?.error ?? (second?.data as { title: string }).title}`).toBe("ok: ok 2");
    expect(ended).toEqual([STOPPED_IDLE_ERROR]);
  });

  // The call's start was told only on stderr: with every copy of it put on /dev/null (the runner's own too), the
  // stop read as one between calls, no book was blamed, and after two such processes no later book ran.
  it("blames the call for a stop made during it when the plugin silenced every copy of its stderr", async () => {
    const dir = writePlugin({
      "layer.py": `from library_manager.plugin_loader import BasePlugin
import os, signal

def _silence_stderr():
    null = os.open(os.devnull, os.O_WRONLY)
    err = os.fstat(2)
    for fd in range(2, 64):
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (err.st_dev, err.st_ino):
            os.dup2(null, fd)

_silence_stderr()

class TestPlugin(BasePlugin):
    name = "Test"

    def process(self, book_data):
        if book_data["book_id"] == 2:
            os.kill(os.getpid(), signal.SIGSTOP)
        return {"title": "ok %d" % book_data["book_id"]}
`,
    });
    const ended: string[] = [];
    const spec = launchSpec(dir, { plugin_id: "silent-stops", dataDir: path.join(dir, "data"), logFile: path.join(dir, "logs", "silent-stops.log"), timeoutSeconds: 60 });
    const proc = createPluginProcess(spec, pythonLauncher, { backoffMs: [0], onProcessEnded: (error) => ended.push(error) });
    processes.push(proc);
    expect((await proc.runBatch([makeBook(1)]))[0]?.data).toEqual({ title: "ok 1" });
    const [second, third] = await proc.runBatch([makeBook(2), makeBook(3)]);
    expect(`${second?.outcome}: ${second?.error}`).toBe(`crash: ${STOPPED_ERROR}`);
    expect(third?.data).toEqual({ title: "ok 3" });
    expect(ended).toEqual([]);
  });

  // Job control is no plugin's business: a child it stopped and left there is ended with the plugin, no book blamed.
  it("ends a plugin that left a child of its stopped between calls, blaming no book", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        if book_data["book_id"] == 1:
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            child.send_signal(signal.SIGSTOP)
        return {"title": "ok %d" % book_data["book_id"]}
`,
        "import signal, subprocess, sys",
      ),
    });
    const ended: string[] = [];
    const spec = launchSpec(dir, { plugin_id: "stopped-child", dataDir: path.join(dir, "data"), logFile: path.join(dir, "logs", "stopped-child.log") });
    const proc = createPluginProcess(spec, pythonLauncher, { backoffMs: [0], onProcessEnded: (error) => ended.push(error) });
    processes.push(proc);
    expect((await proc.runBatch([makeBook(1)]))[0]?.data).toEqual({ title: "ok 1" });
    await eventually(() => ended.length > 0, "the plugin to be ended", 20_000);
    expect(ended).toEqual([STOPPED_IDLE_ERROR]);
    expect((await proc.runBatch([makeBook(2)]))[0]?.data).toEqual({ title: "ok 2" });
  });

  it("lets a plugin start a pool of 32 threads of its own under the default 256 MB limit (RLIMIT_AS)", async () => {
    // A Library Manager plugin asking several services at once; glibc's per-thread arenas and 8 MB
    // stacks of address space stopped it at the fifth thread ("can't start new thread").
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        with ThreadPoolExecutor(max_workers=32) as pool:
            barrier = threading.Barrier(32)
            done = list(pool.map(lambda i: barrier.wait(10) >= 0, range(32)))
        return {"title": "%d threads" % sum(done)}
`,
        "import threading\nfrom concurrent.futures import ThreadPoolExecutor",
      ),
    });
    const proc = createPluginProcess(launchSpec(dir, { memoryMb: 256 }), pythonLauncher);
    processes.push(proc);
    const [result] = await proc.runBatch([makeBook(1)]);
    expect(result).toMatchObject({ outcome: "ok", data: { title: "32 threads" } });
  });

  it("says what to do when a plugin cannot start another thread under its memory limit", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(
        `
    def process(self, book_data):
        stop = threading.Event()
        try:
            while True:
                threading.Thread(target=stop.wait, daemon=True).start()
        finally:
            stop.set()
`,
        "import threading",
      ),
    });
    const proc = createPluginProcess(launchSpec(dir, { memoryMb: 48, plugin_id: "threads" }), pythonLauncher);
    processes.push(proc);
    const [result] = await proc.runBatch([makeBook(1)]);
    expect(result).toMatchObject({
      outcome: "error",
      error: "RuntimeError: can't start new thread (threads take address space: the plugin's memory limit is 48 MB: use less memory, or raise plugin_configs.threads.memory_mb)",
    });
  });

  it("reports a failing setup() as a start error with the plugin's exception", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def setup(self, config, secrets):
        raise KeyError("api_key")
`),
    });
    const proc = createPluginProcess(launchSpec(dir, { dataDir: path.join(dir, "data"), logFile: path.join(dir, "p.log") }), pythonLauncher);
    processes.push(proc);
    const error = await proc.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginStartError);
    expect((error as PluginStartError).stage).toBe("setup");
    expect((error as Error).message).toContain("KeyError: 'api_key'");
  });

  it("moves at least 1,000 books per CPU-second through one python plugin (measured ~10,000)", async () => {
    const dir = writePlugin({
      "layer.py": lmPlugin(`
    def process(self, book_data):
        return {"title": book_data["current_title"].title(), "author": book_data["current_author"]}
`),
    });
    const proc = createPluginProcess(launchSpec(dir, { dataDir: path.join(dir, "data"), logFile: path.join(dir, "p.log") }), pythonLauncher);
    processes.push(proc);
    await proc.start();
    const books = Array.from({ length: 5000 }, (_, i) => makeBook(i + 1));
    // Books per second of wall time depend on the machine's load (548 at a load average of 20), so the
    // floor is on CPU time: books per second of the CPU the plugin's processes and this one spent. A
    // plugin process that waits between calls (a poll, a sleep of 10 ms or more per book) is caught by
    // the floor on wall time, far below the ~10,000 of an idle machine.
    const plugin = proc.pid()!;
    const cpuBefore = treeCpuMs(plugin);
    const hostBefore = process.cpuUsage();
    const started = performance.now();
    let ok = 0;
    for (let i = 0; i < books.length; i += 100) {
      const results = await proc.runBatch(books.slice(i, i + 100));
      ok += results.filter((r) => r?.outcome === "ok").length;
    }
    const wallMs = performance.now() - started;
    const host = process.cpuUsage(hostBefore);
    const cpuMs = treeCpuMs(plugin) - cpuBefore + (host.user + host.system) / 1000;
    expect(ok).toBe(books.length);
    expect((books.length / cpuMs) * 1000).toBeGreaterThan(1000);
    expect((books.length / wallMs) * 1000).toBeGreaterThan(100);
  });
});
