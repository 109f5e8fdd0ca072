/**
 * Memory a plugin holds outside its resident set still counts against
 * memory_mb: files in its private /tmp (a tmpfs, i.e. RAM) and memfds it
 * writes without mapping (in no process's VmRSS, outside RLIMIT_AS). And the
 * processes and descriptors it holds are bounded, during calls and between them.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPluginProcess, type PluginProcess } from "../../src/plugins/process/supervisor.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { MAX_TREE_DESCRIPTORS } from "../../src/plugins/sandbox/process-tree.js";
import { sandboxReport } from "../../src/plugins/sandbox/wall.js";
import { call, createLayout, ensureBuilt, pluginSpec, startPlugin, type Layout } from "./sandbox-fixture.js";

const HOARDER = String.raw`
import os, threading, time
KEEP = []

def hold_fds(n):
    for _ in range(n):
        KEEP.append(os.open("/dev/null", os.O_RDONLY))
    time.sleep(10)
    return "holds %d descriptors" % n

def fork_many(n):
    for _ in range(n):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
    time.sleep(10)
    return "forked %d" % n

def fork_later(n):
    # After the call has answered: the plugin is idle, nothing of shelfwise waits on it.
    threading.Timer(0.3, fork_many, [n]).start()
    return "will fork %d" % n

def fill_tmp(mb):
    chunk = b"x" * (1 << 20)
    with open("/tmp/hoard", "wb") as f:
        for _ in range(mb):
            f.write(chunk)
    return "wrote %d MB to /tmp" % mb

def fill_memfd(mb):
    fd = os.memfd_create("hoard")
    chunk = b"x" * (1 << 20)
    for _ in range(mb):
        os.write(fd, chunk)
    KEEP.append(fd)
    time.sleep(3)
    return "holds %d MB in a memfd" % mb

class Hoarder:
    def process(self, book):
        how = {"tmp": fill_tmp, "fds": hold_fds, "fork": fork_many, "fork-later": fork_later}.get(book["current_title"], fill_memfd)
        try:
            return {"title": "ok:" + how(int(book["current_author"]))}
        except OSError as e:
            return {"title": "denied:%s" % e}
`;

let layout: Layout;
const running: PluginProcess[] = [];
beforeAll(async () => {
  ensureBuilt();
  layout = await createLayout();
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.close()));
  await layout?.cleanup();
});

function hoarder(id: string): PluginProcess {
  const plugin = startPlugin(pluginSpec(layout, id, "python", { "layer.py": HOARDER }, { memoryMb: 64, timeoutSeconds: 15 }));
  running.push(plugin);
  return plugin;
}

describe("memory held in files counts against memory_mb", () => {
  it.runIf(sandboxReport({ runtime: "python", sandbox: {} }).mechanisms.includes("namespace"))(
    "caps the private /tmp at memory_mb",
    async () => {
      const plugin = hoarder("tmp-hoarder");
      expect(await call(plugin, "tmp", "32")).toBe("ok:wrote 32 MB to /tmp");
      expect(await call(plugin, "tmp", "200")).toMatch(/^denied:.*No space left on device/);
    },
  );

  it("kills a plugin that holds more than its limit in a memfd", async () => {
    const result = await call(hoarder("memfd-hoarder"), "memfd", "300");
    expect(result).toMatch(/^call failed: crash exceeded memory limit of 64 MB/);
  });
});

describe("processes and descriptors are bounded", () => {
  it("stops a plugin holding more than 1024 descriptors or running more processes than its bound, also between calls", async () => {
    // The real bound on descriptors; a small one on processes (forks are slow on a busy machine).
    const spec = pluginSpec(layout, "many-things", "python", { "layer.py": HOARDER }, { memoryMb: 1024, timeoutSeconds: 15 });
    const plugin = createPluginProcess(spec, pythonLauncher, { memoryPollMs: 100, treeLimits: { processes: 24, descriptors: MAX_TREE_DESCRIPTORS } });
    running.push(plugin);
    expect(await call(plugin, "fds", "1100")).toMatch(/^call failed: crash held more than 1024 open files and connections at once/);
    // Restarted for the next call.
    expect(await call(plugin, "fork", "30")).toMatch(/^call failed: crash started more than 24 processes at once/);
    expect(await call(plugin, "fork-later", "30")).toBe("ok:will fork 30");
    const pid = plugin.pid();
    expect(pid).not.toBeNull();
    const log = path.join(layout.dataDir, "logs", "plugins", "many-things.log");
    // Waits for the kill (a deadline for a loaded machine: left alone, the plugin lives on).
    const until = Date.now() + 60_000;
    while (plugin.pid() === pid && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(plugin.pid()).toBeNull();
    expect(fs.readFileSync(log, "utf8").match(/started more than 24 processes/g)).toHaveLength(2);
  });
});
