/**
 * An attacker's pass at the runner a Python plugin shares its process with: one plugin process answers several
 * probes (each a book), so the checks cost one start.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { call, createLayout, ensureBuilt, pluginSpec, startPlugin, type Layout } from "./sandbox-fixture.js";

const PROBE = String.raw`
import os, sys, json, resource, signal

def fds():
    out = []
    for name in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            out.append("%s=%s" % (name, os.readlink("/proc/self/fd/" + name)))
        except OSError as e:
            out.append("%s=?%s" % (name, e.errno))
    return " ".join(out)

def tty():
    with open("/dev/tty", "w") as f:
        f.write("hello from the plugin\n")
    return "wrote to /dev/tty"

def rlimits():
    out = []
    for name in ["RLIMIT_AS", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA"]:
        which = getattr(resource, name)
        soft, hard = resource.getrlimit(which)
        try:
            resource.setrlimit(which, (hard, hard))
            s2, h2 = resource.getrlimit(which)
            raised = "soft->%s" % s2
        except Exception as e:
            raised = type(e).__name__
        try:
            resource.setrlimit(which, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            inf = "inf ok"
        except Exception as e:
            inf = type(e).__name__
        out.append("%s %s/%s %s %s" % (name, soft, hard, raised, inf))
    return "; ".join(out)

def internal():
    try:
        import shelfwise_runner
        return "shelfwise_runner:" + str(shelfwise_runner.__file__)
    except ImportError as e:
        return "shelfwise_runner:ImportError(%s)" % e

def stop_parent():
    os.kill(os.getppid(), signal.SIGSTOP)
    return "stopped parent %d" % os.getppid()

def pgid():
    before = os.getpgid(0)
    try:
        os.setpgid(0, 0)
    except Exception as e:
        return "setpgid %s" % type(e).__name__
    return "pgid %d -> %d" % (before, os.getpgid(0))

def requests_local(port):
    try:
        import requests
    except ImportError:
        import urllib.request
        return "urllib " + urllib.request.urlopen("http://127.0.0.1:%s/" % port, timeout=5).read().decode()
    return "requests " + requests.get("http://127.0.0.1:%s/" % port, timeout=5).text

PROBES = {"fds": fds, "tty": tty, "rlimits": rlimits, "internal": internal, "stop-parent": stop_parent, "pgid": pgid}

class Probe:
    def process(self, book):
        name, arg = book["current_title"], book["current_author"]
        try:
            if name == "requests":
                return {"title": "ok:" + requests_local(arg)}
            return {"title": "ok:" + PROBES[name]()}
        except BaseException as e:
            return {"title": "denied:%s: %s" % (type(e).__name__, e)}
`;

let layout: Layout;
beforeAll(async () => {
  ensureBuilt();
  layout = await createLayout();
});
afterAll(async () => layout?.cleanup());

it("a Python plugin probing its runner: an internal import is refused without breaking the runner; it holds only its own channels; tty, rlimits, its parent and 127.0.0.1 are closed to it", async () => {
  const plugin = startPlugin(pluginSpec(layout, "attacker-pass", "python", { "layer.py": PROBE }, { class_name: "Probe" }));
  try {
    const pid = (await call(plugin, "pgid"), plugin.pid());
    // Imported as a module, the runner's file ran its start-up again and closed the running runner's descriptors:
    // the next call died as "the plugin closed shelfwise's channel". Now the import is refused, saying what to use.
    expect(await call(plugin, "internal")).toBe(
      "ok:shelfwise_runner:ImportError(shelfwise_runner is the program that runs your plugin, not a module to import: import BasePlugin from shelfwise (or library_manager.plugin_loader), and return your answer from process())",
    );
    // Its descriptors: /dev/null and the runner's own sockets (log, protocol in and out), nothing shelfwise opened.
    const fds = (await call(plugin, "fds")).slice("ok:".length).split(" ");
    const targets = fds.map((fd) => fd.split("=")[1]!).filter((target) => !target.startsWith("?"));
    expect(targets.every((target) => target === "/dev/null" || /^socket:\[\d+\]$/.test(target)), fds.join(" ")).toBe(true);
    expect(new Set(targets.filter((target) => target.startsWith("socket:"))).size).toBeLessThanOrEqual(3);
    expect(await call(plugin, "tty")).toMatch(/^denied:OSError: \[Errno 6\]/);
    const limits = (await call(plugin, "rlimits")).slice("ok:".length).split("; ");
    // The bounds shelfwise sets have their hard limit set too: raising one is refused by the kernel.
    for (const name of ["RLIMIT_AS", "RLIMIT_NOFILE", "RLIMIT_CORE"]) expect(limits.find((line) => line.startsWith(name)), name).toMatch(/ ValueError$/);
    expect(await call(plugin, "stop-parent")).toMatch(/^denied:PermissionError/);
    expect(await call(plugin, "requests", "9")).toMatch(/network access to '127\.0\.0\.1' is not allowed for plugin 'attacker-pass': add it to permissions\.network in manifest\.json/);
    // The same process answered every probe: none of them cost a restart.
    expect(plugin.pid()).toBe(pid);
  } finally {
    await plugin.close();
  }
});
