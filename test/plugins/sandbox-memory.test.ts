/**
 * Memory a plugin holds outside its resident set still counts against
 * memory_mb: files in its private /tmp (a tmpfs, i.e. RAM) and memfds it
 * writes without mapping (in no process's VmRSS, outside RLIMIT_AS). And the
 * processes and descriptors it holds are bounded, during calls and between them.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPluginProcess, type PluginProcess } from "../../src/plugins/process/supervisor.js";
import { pythonLauncher } from "../../src/plugins/process/python-launcher.js";
import { availability } from "../../src/plugins/sandbox/detect.js";
import { MAX_TREE_DESCRIPTORS, memoryLimitBytes } from "../../src/plugins/sandbox/process-tree.js";
import { createNodeLauncher } from "../../src/plugins/process/node-launcher.js";
import { sandboxReport } from "../../src/plugins/sandbox/wall.js";
import { call, layoutPerFile, pluginSpec, startPlugin } from "./sandbox-fixture.js";

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

def bomb_home():
    home = os.path.join(os.getcwd(), "bomb")
    os.makedirs(home, exist_ok=True)
    return home

def fork_flood(cap):
    # Processes as fast as one process can fork them, each left sleeping: bounded only so that a
    # machine without the kernel's limit survives this test.
    home = bomb_home()
    forks = refused = 0
    for _ in range(cap):
        try:
            if os.fork() == 0:
                os.chdir(home)
                time.sleep(60)
                os._exit(0)
            forks += 1
        except OSError:
            refused += 1
            break
    return "forks %d refused %d" % (forks, refused)

def shell_bomb(_):
    # Every process starts more, for ever. Not the classic "b & b & wait": under a kernel cap its shells die
    # when a fork fails, their parents' waits end, and the whole tree can die out within a second, between
    # two polls of the process tree (the test then saw nothing to stop). These keep trying.
    import subprocess
    subprocess.Popen(["/bin/sh", "-c", "b() { while :; do b & sleep 0.5; done; }; b"], cwd=bomb_home(),
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return "started"

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

def empty_files(n):
    # Empty files take no room in the tmpfs's size, only kernel memory: an inode and a dentry each.
    for i in range(int(n)):
        os.close(os.open("/tmp/e%d" % i, os.O_CREAT | os.O_WRONLY, 0o600))
    return "made %s empty files in /tmp" % n

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
        how = {"tmp": fill_tmp, "empty-files": empty_files, "fds": hold_fds, "fork": fork_many, "fork-later": fork_later, "flood": fork_flood, "bomb": shell_bomb, "ping": lambda n: "pong"}.get(book["current_title"], fill_memfd)
        try:
            return {"title": "ok:" + how(int(book["current_author"]))}
        except OSError as e:
            return {"title": "denied:%s" % e}
`;

const file = layoutPerFile();
const running = file.running;

function hoarder(id: string): PluginProcess {
  const plugin = startPlugin(pluginSpec(file.layout, id, "python", { "layer.py": HOARDER }, { memoryMb: 64, timeoutSeconds: 15 }));
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

  it.runIf(sandboxReport({ runtime: "python", sandbox: {} }).mechanisms.includes("namespace"))(
    "counts the kernel memory of the files in its /tmp, which the size cap does not see",
    async () => {
      const plugin = hoarder("inode-hoarder");
      expect(await call(plugin, "empty-files", "1000")).toBe("ok:made 1000 empty files in /tmp");
      // 64 MB allows 160 MB: at 2 KB a file, the plugin is stopped near 70,000 files (its runtime holds the rest).
      expect(await call(plugin, "empty-files", "150000")).toMatch(/^call failed: crash exceeded memory limit of 64 MB \(counting the \d+ files and folders in its \/tmp/);
    },
  );

  it("kills a plugin that holds more than its limit in a memfd", async () => {
    const result = await call(hoarder("memfd-hoarder"), "memfd", "300");
    expect(result).toMatch(/^call failed: crash exceeded memory limit of 64 MB/);
  });
});

// Buffers are outside V8's heap limit: as fast as one thread can fill them, a poll of resident memory every
// 200 ms came ~1.8 GB late on a 448 MB plugin. Bounded at 1 GB so that a machine without the kernel's bound survives.
const BUFFER_BOMB = String.raw`
export class Bomb {
  process(book) {
    if (book.current_title === "ping") return { title: "ok:pong" };
    const keep = [];
    for (let mb = 16; mb <= 1024; mb += 16) {
      keep.push(Buffer.alloc(16 << 20, 1));
      process.stderr.write("held " + mb + " MB\n");
    }
    return { title: "ok:held " + keep.length * 16 + " MB" };
  }
}
`;

describe("a Node plugin's Buffers", () => {
  it.runIf(availability().memoryCgroup !== null)("are stopped by the kernel at the memory limit, not a poll later; the plugin runs again", async () => {
    const cgroups = availability().memoryCgroup!;
    const ours = () => fs.readdirSync(cgroups).filter((name) => name.startsWith(`shelfwise-${process.pid}-`)).length;
    const before = ours();
    const spec = pluginSpec(file.layout, "buffer-bomb", "node", { "index.mjs": BUFFER_BOMB }, { memoryMb: 64, timeoutSeconds: 30 });
    // No poll during the bomb: only the kernel can stop it (without it, the plugin held all 1,024 MB).
    const plugin = createPluginProcess(spec, createNodeLauncher(), { memoryPollMs: 600_000 });
    running.push(plugin);
    expect(await call(plugin, "bomb", "0")).toBe("call failed: crash exceeded memory limit of 64 MB");
    const held = [...fs.readFileSync(spec.logFile, "utf8").matchAll(/held (\d+) MB/g)].map((m) => Number(m[1]));
    expect(held.length).toBeGreaterThan(0);
    expect(Math.max(...held)).toBeLessThanOrEqual(memoryLimitBytes(64) / 2 ** 20);
    expect(await call(plugin, "ping", "0")).toBe("ok:pong");
    await plugin.close();
    const until = Date.now() + 15_000;
    while (ours() > before && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ours()).toBe(before);
  });
});

describe("a Node plugin's Buffers with every mechanism of the wall switched off", () => {
  // The memory cgroup is the outermost link's (the guard's), not the wall's: it holds at every sandbox level.
  it.runIf(availability().memoryCgroup !== null)("are still stopped by the kernel at the memory limit", async () => {
    const spec = pluginSpec(file.layout, "buffer-bomb-open", "node", { "index.mjs": BUFFER_BOMB }, { memoryMb: 64, timeoutSeconds: 30 });
    spec.sandbox = { ...spec.sandbox, disable: ["namespace", "landlock", "seccomp", "permission"] };
    const plugin = createPluginProcess(spec, createNodeLauncher(), { memoryPollMs: 600_000 });
    running.push(plugin);
    expect(await call(plugin, "bomb", "0")).toBe("call failed: crash exceeded memory limit of 64 MB");
    const held = [...fs.readFileSync(spec.logFile, "utf8").matchAll(/held (\d+) MB/g)].map((m) => Number(m[1]));
    expect(Math.max(...held)).toBeLessThanOrEqual(memoryLimitBytes(64) / 2 ** 20);
  });
});

describe("processes and descriptors are bounded", () => {
  it("stops a plugin holding more than 1024 descriptors or running more processes than its bound, also between calls", async () => {
    // The real bound on descriptors; a small one on processes (forks are slow on a busy machine).
    const spec = pluginSpec(file.layout, "many-things", "python", { "layer.py": HOARDER }, { memoryMb: 1024, timeoutSeconds: 15 });
    const plugin = createPluginProcess(spec, pythonLauncher, { memoryPollMs: 100, treeLimits: { processes: 24, descriptors: MAX_TREE_DESCRIPTORS } });
    running.push(plugin);
    expect(await call(plugin, "fds", "1100")).toMatch(/^call failed: crash held more than 1024 open files and connections at once/);
    // Restarted for the next call.
    expect(await call(plugin, "fork", "30")).toMatch(/^call failed: crash started more than 24 processes at once/);
    expect(await call(plugin, "fork-later", "30")).toBe("ok:will fork 30");
    const pid = plugin.pid();
    expect(pid).not.toBeNull();
    const log = path.join(file.layout.dataDir, "logs", "plugins", "many-things.log");
    // Waits for the kill (a deadline for a loaded machine: left alone, the plugin lives on).
    const until = Date.now() + 60_000;
    while (plugin.pid() === pid && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(plugin.pid()).toBeNull();
    expect(fs.readFileSync(log, "utf8").match(/started more than 24 processes/g)).toHaveLength(2);
  });
});

/** Processes whose working folder is `dir` (the bomb's processes chdir there). */
function processesIn(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) === dir) n++;
    } catch {
      // gone, or not ours to read
    }
  }
  return n;
}

describe("a fork bomb", () => {
  const bounded = !sandboxReport({ runtime: "python", sandbox: {} }).lacks.some((line) => line.startsWith("processes:"));
  const wait = async (done: () => boolean) => {
    const until = Date.now() + 15_000;
    while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  // Inside bwrap's namespaces, and without them (the reaping helper is then the plugin's parent).
  it.runIf(bounded).each([[[]], [["namespace"]]])("is refused by the kernel at the fork, not only at the next poll of the process tree (switched off: %j)", async (disable) => {
    // The real mechanism with a smaller bound than MAX_PLUGIN_TASKS: forks are slow on a busy machine.
    const spec = pluginSpec(file.layout, `fork-flood-${disable.length}`, "python", { "layer.py": HOARDER }, { memoryMb: 1024, timeoutSeconds: 60 });
    spec.sandbox = { ...spec.sandbox, disable, max_tasks: 40 };
    // No poll during the flood: only the kernel can stop it.
    const plugin = createPluginProcess(spec, pythonLauncher, { memoryPollMs: 600_000 });
    running.push(plugin);
    const result = await call(plugin, "flood", "200");
    // Without the limit all 200 forks worked.
    expect(result).toMatch(/^ok:forks \d+ refused 1$/);
    expect(Number(/forks (\d+)/.exec(result)![1])).toBeLessThan(40);
    const home = path.join(spec.dataDir, "bomb");
    await plugin.close();
    await wait(() => processesIn(home) === 0);
    expect(processesIn(home)).toBe(0);
  });

  // Without a pids cgroup (no root, no delegation), a non-root shelfwise gets RLIMIT_NPROC inside the plugin's user
  // namespace, where it counts the plugin's tasks alone. Run as nobody to see the kernel hold it (root is exempt).
  it.runIf(process.getuid?.() === 0 && availability().bwrap !== null && availability().taskLimits && fs.existsSync("/usr/bin/setpriv"))(
    "is refused at the fork by RLIMIT_NPROC in the user namespace of a non-root shelfwise",
    () => {
      const flood = "import os, time\nn = 0\ntry:\n    for _ in range(60):\n        if os.fork() == 0:\n            time.sleep(2)\n            os._exit(0)\n        n += 1\nexcept OSError as e:\n    print('refused after', n, e.errno)\nelse:\n    print('forked', n)\n";
      const run = (nproc: string[]) =>
        spawnSync(
          "/usr/bin/setpriv",
          ["--reuid=65534", "--regid=65534", "--clear-groups", availability().bwrap!, "--unshare-user", "--unshare-pid", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", availability().helper!, "--no-landlock", ...nproc, "--", "/usr/bin/python3", "-c", flood],
          { encoding: "utf8", timeout: 60_000 },
        ).stdout.trim();
      expect(run(["--nproc", "20"])).toMatch(/^refused after 1\d 11$/);
      expect(run([])).toBe("forked 60");
    },
  );

  it("is stopped, leaves no process and no cgroup behind, and the plugin runs again", async () => {
    const cgroups = availability().pidsCgroup;
    const ours = () => (cgroups ? fs.readdirSync(cgroups).filter((name) => name.startsWith(`shelfwise-${process.pid}-`)).length : 0);
    const before = ours();
    const spec = pluginSpec(file.layout, "fork-bomb", "python", { "layer.py": HOARDER }, { memoryMb: 1024, timeoutSeconds: 60 });
    spec.sandbox = { ...spec.sandbox, max_tasks: 48 };
    const plugin = createPluginProcess(spec, pythonLauncher, { memoryPollMs: 100, treeLimits: { processes: 24, descriptors: MAX_TREE_DESCRIPTORS } });
    running.push(plugin);
    expect(await call(plugin, "bomb", "0")).toBe("ok:started");
    const pid = plugin.pid();
    await wait(() => plugin.pid() !== pid);
    expect(plugin.pid()).not.toBe(pid);
    const home = path.join(spec.dataDir, "bomb");
    await wait(() => processesIn(home) === 0);
    expect(processesIn(home)).toBe(0);
    expect(fs.readFileSync(spec.logFile, "utf8")).toContain("started more than 24 processes at once");
    // The machine can still start processes; the plugin answers again.
    expect(spawnSync("true").status).toBe(0);
    expect(await call(plugin, "ping", "0")).toBe("ok:pong");
    await plugin.close();
    await wait(() => ours() <= before);
    expect(ours()).toBe(before);
  });
});
