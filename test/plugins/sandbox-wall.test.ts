/**
 * The full wall (namespaces + Landlock), with real plugin processes in both
 * runtimes: every attack of issue #17 fails, and a plugin with the right
 * permissions still reads the library, writes its data folder and reaches
 * its declared host.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PluginProcess } from "../../src/plugins/process/supervisor.js";
import type { PluginRuntime } from "../../src/plugins/plugin-types.js";
import { availability } from "../../src/plugins/sandbox/detect.js";
import { prlimitPath } from "../../src/plugins/sandbox/file-size-limit.js";
import { sandboxReport } from "../../src/plugins/sandbox/wall.js";
import { NODE_ATTACKER, PYTHON_ATTACKER } from "./sandbox-attacks.js";
import { call, layoutPerFile, pluginSpec, SECRET, startPlugin } from "./sandbox-fixture.js";

const file = layoutPerFile();
const running = file.running;

const FILES = { python: { "layer.py": PYTHON_ATTACKER }, node: { "index.mjs": NODE_ATTACKER } };

function attacker(runtime: PluginRuntime, id: string, over: Parameters<typeof pluginSpec>[4] = {}): PluginProcess {
  const spec = pluginSpec(file.layout, id, runtime, FILES[runtime], {
    secrets: { api_key: SECRET },
    readPaths: [file.layout.library],
    ...over,
  });
  const plugin = startPlugin(spec);
  running.push(plugin);
  return plugin;
}

function expectDenied(result: string): void {
  expect(result).toMatch(/^denied:/);
  expect(result).not.toContain(SECRET);
}

describe.each(["python", "node"] as const)("the full wall, %s plugin", (runtime) => {
  let plugin: PluginProcess;
  beforeAll(() => {
    plugin = attacker(runtime, `attacker-${runtime}`);
  });

  it("runs inside namespaces and Landlock", () => {
    const report = sandboxReport({ runtime, sandbox: {} });
    expect(report.mechanisms).toEqual(expect.arrayContaining(["process", "landlock", "namespace"]));
    // The bound on its tasks is the machine's to give (the next test).
    expect(report.lacks.filter((line) => !line.startsWith("processes:") && !line.startsWith("memory:"))).toEqual([]);
  });

  it("gets a bound on its tasks that the kernel holds at the fork", (ctx) => {
    // The kernel exempts the global root user from RLIMIT_NPROC, in every user namespace: as root only a pids
    // cgroup bounds a plugin's tasks at the fork, and without one the process-tree poll alone stops a fork bomb.
    ctx.skip(
      process.getuid?.() === 0 && availability().pidsCgroup === null,
      "shelfwise runs as root without a writable pids cgroup: no kernel bound on a plugin's tasks here (plugins list says so)",
    );
    expect(sandboxReport({ runtime, sandbox: {} }).lacks.filter((line) => line.startsWith("processes:"))).toEqual([]);
  });

  it("reads the library it was given and writes its data folder", async () => {
    expect(await call(plugin, "read", path.join(file.layout.library, "Terry Pratchett", "Mort", "book.nfo"))).toBe("ok:narrated by Nigel Planer");
    const state = path.join(file.layout.dataDir, "plugin-data", `attacker-${runtime}`, "state.txt");
    expect(await call(plugin, "write", state)).toBe(`ok:written ${state}`);
    expect(fs.readFileSync(state, "utf8")).toBe("written by the plugin");
  });

  it.each([
    "secrets.json",
    "config.json",
    "shelfwise.db",
    "the host log",
    "another plugin's folder",
    "a file in the user's home",
    "/etc/shadow",
    "a symlink in the library",
  ])("cannot read %s", async (name) => {
    expectDenied(await call(plugin, "read", file.layout.forbidden[name]!));
  });

  it("cannot list the keys of shelfwise's user (their names) or the host's timers in /proc", async () => {
    for (const file of ["/proc/keys", "/proc/key-users", "/proc/timer_list"]) expectDenied(await call(plugin, "read", file));
  });

  it("sees nothing of shelfwise's data folder, the plugin folder or the home folder", async () => {
    // At most the empty mount points leading to what it may see.
    const data = await call(plugin, "list", file.layout.dataDir);
    for (const name of ["secrets.json", "config.json", "shelfwise.db", "logs"]) expect(data).not.toContain(name);
    expect(await call(plugin, "list", file.layout.pluginDir)).not.toContain("neighbour");
    expect(await call(plugin, "list", path.dirname(file.layout.homeFile))).not.toContain(path.basename(file.layout.homeFile));
  });

  it("cannot write next to the library or into its own plugin folder", async () => {
    expectDenied(await call(plugin, "write", path.join(file.layout.library, "evil.txt")));
    expectDenied(await call(plugin, "write", path.join(file.layout.library, "Terry Pratchett", "Mort", "book.nfo")));
    expectDenied(await call(plugin, "write", path.join(file.layout.pluginDir, `attacker-${runtime}`, "evil.txt")));
    expect(fs.existsSync(path.join(file.layout.library, "evil.txt"))).toBe(false);
    expect(fs.readFileSync(path.join(file.layout.library, "Terry Pratchett", "Mort", "book.nfo"), "utf8")).toBe("narrated by Nigel Planer");
  });

  it("cannot rename, delete, truncate, chmod, touch or hard-link a book's file it may read", async () => {
    const book = path.join(file.layout.library, "Terry Pratchett", "Mort", "book.nfo");
    const before = fs.statSync(book);
    for (const attack of ["rename", "unlink", "truncate", "chmod", "utime", "hardlink"]) {
      const result = await call(plugin, attack, book);
      expect(result, attack).toMatch(/^denied:/);
    }
    const after = fs.statSync(book);
    expect(fs.readFileSync(book, "utf8")).toBe("narrated by Nigel Planer");
    expect([after.mode, after.mtimeMs, after.nlink]).toEqual([before.mode, before.mtimeMs, before.nlink]);
    expect(fs.readdirSync(path.dirname(book))).not.toContain("book.nfo.moved");
  });

  it("cannot reach a local TCP server without network permission, by any route", async () => {
    const before = file.layout.server.connections();
    const port = String(file.layout.server.port);
    const url = `http://127.0.0.1:${port}/`;
    const routes = runtime === "python" ? ["urllib", "socket", "raw", "child"] : ["fetch", "http", "socket", "child"];
    for (const route of routes) {
      const result = await call(plugin, route, route === "urllib" || route === "fetch" || route === "http" ? url : port);
      expect(result, route).not.toMatch(/^ok:/);
    }
    expect(file.layout.server.connections()).toBe(before);
  });

  it("cannot signal shelfwise or open its memory", async () => {
    expectDenied(await call(plugin, "signal", String(process.pid)));
    expectDenied(await call(plugin, "mem", String(process.pid)));
    if (runtime === "python") {
      expectDenied(await call(plugin, "ptrace", String(process.pid)));
      // Its parent is the sandbox's own init, not shelfwise.
      expect(await call(plugin, "ppid")).not.toBe(`ok:${process.pid}`);
    }
  });

  it("has its secrets in memory only, not in its environment", async () => {
    expect(await call(plugin, "env")).toBe("ok:clean");
  });

  it("is what the out-of-memory killer takes first, not shelfwise, and cannot change that", async (ctx) => {
    ctx.skip(runtime === "node", "Node's permission model keeps /proc/self from a node plugin; the helper is the same");
    expect(await call(plugin, "oom-score")).toBe("ok:1000");
    expectDenied(await call(plugin, "oom-lower"));
    expect(await call(plugin, "oom-score")).toBe("ok:1000");
  });

  it("cannot schedule itself real-time or above shelfwise, whatever the user's limits allow", async (ctx) => {
    ctx.skip(runtime === "node", "Node has no call to change its scheduling; the helper's limits are the same");
    // Where limits.conf grants rtprio (desktops do, for PipeWire), a SCHED_FIFO loop on every core starves the machine.
    // Raising a hard limit needs CAP_SYS_RESOURCE: without it the test cannot give shelfwise the allowance.
    const prlimit = prlimitPath();
    ctx.skip(prlimit === null, "needs util-linux prlimit to give shelfwise a real-time allowance");
    const current = (resource: string) =>
      execFileSync(prlimit!, ["--pid", String(process.pid), `--${resource}`, "--raw", "--noheadings", "--output=SOFT,HARD"], { encoding: "utf8" }).trim().split(/\s+/).join(":");
    const before = [current("rtprio"), current("nice")];
    let allowed = true;
    try {
      execFileSync(prlimit!, ["--pid", String(process.pid), "--rtprio=50:50", "--nice=10:10"], { stdio: "ignore" });
    } catch {
      allowed = false;
    }
    ctx.skip(!allowed, "cannot raise this process's RLIMIT_RTPRIO (no CAP_SYS_RESOURCE): nothing to take away here");
    let limited: PluginProcess;
    try {
      limited = attacker(runtime, `realtime-${runtime}`);
      expect(await call(limited, "ppid")).toMatch(/^ok:/);
    } finally {
      execFileSync(prlimit!, ["--pid", String(process.pid), `--rtprio=${before[0]}`, `--nice=${before[1]}`]);
    }
    expect(await call(limited, "realtime-limits")).toBe("ok:0 0 / 0 0");
  });

  it("cannot leave its memory (secrets included) in a core dump", async () => {
    // Soft and hard limit 0, whatever shelfwise's own limit is: a dump would land in its data folder.
    expect(await call(plugin, "core-limit")).toBe("ok:0 0");
    if (runtime === "python") {
      expectDenied(await call(plugin, "raise-core"));
      expect(await call(plugin, "dump-core")).toMatch(/^call failed: crash .*SIGSEGV/);
      const home = path.join(file.layout.dataDir, "plugin-data", `attacker-${runtime}`);
      expect(fs.readdirSync(home).filter((name) => name.startsWith("core"))).toEqual([]);
    }
  });
});
