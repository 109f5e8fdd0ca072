/**
 * Every process a plugin starts dies with it and with shelfwise, setsid and
 * double-forked ones included: shelfwise is a real process here, killed with
 * SIGKILL, and the plugin's daemons are looked for among the host's processes.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PYTHON_ATTACKER } from "./sandbox-attacks.js";
import { REPO_ROOT, call, createLayout, ensureBuilt, pluginSpec, processesWith, startPlugin, type Layout } from "./sandbox-fixture.js";

let layout: Layout;
beforeAll(async () => {
  ensureBuilt();
  layout = await createLayout();
});
afterAll(async () => {
  for (const pid of [...processesWith("shelfwise-daemon-")]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await layout?.cleanup();
});

/** The plugin's two daemons still alive on the host (not the stand-in shelfwise, whose script names the marker). */
const daemons = (marker: string) => processesWith(`${marker}-setsid`).length + processesWith(`${marker}-double`).length;

async function eventually(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("processes started by a plugin", () => {
  it("die when the plugin is closed, setsid and double-forked ones included", async () => {
    const marker = `shelfwise-daemon-${process.pid}-close`;
    const plugin = startPlugin(pluginSpec(layout, "daemons-close", "python", { "layer.py": PYTHON_ATTACKER }));
    expect(await call(plugin, "daemons", marker)).toBe("ok:spawned");
    await eventually(() => daemons(marker) === 2, "both daemons to run");
    await plugin.close();
    await eventually(() => daemons(marker) === 0, "the daemons to die");
  });

  it("die at a timeout and when the plugin is closed without a PID namespace (Landlock alone), through the reaping helper", async () => {
    const marker = `shelfwise-daemon-${process.pid}-reap`;
    const spec = pluginSpec(layout, "daemons-reap", "python", { "layer.py": PYTHON_ATTACKER }, { timeoutSeconds: 1 });
    spec.sandbox = { ...spec.sandbox, disable: ["namespace"] };
    const plugin = startPlugin(spec);
    // The plugin's parent is the helper, outside its sandbox: it cannot be signalled from inside.
    const ppid = (await call(plugin, "ppid")).slice("ok:".length);
    expect(await call(plugin, "signal", ppid)).toMatch(/^denied:PermissionError/);
    expect(await call(plugin, "daemons-hang", marker)).toMatch(/^call failed: timeout/);
    await eventually(() => daemons(marker) === 0, "the daemons to die with the timed-out plugin");
    // Restarted for the next call: its daemons go when it is closed.
    expect(await call(plugin, "daemons", marker)).toBe("ok:spawned");
    await eventually(() => daemons(marker) === 2, "both daemons to run");
    await plugin.close();
    await eventually(() => daemons(marker) === 0, "the daemons to die");
  });

  it.each([
    ["inside the full wall", []],
    ["without a PID namespace", ["namespace"]],
  ])("die when shelfwise is killed with SIGKILL, %s", async (_where, disable) => {
    const marker = `shelfwise-daemon-${process.pid}-kill-${disable.length}`;
    const spec = pluginSpec(layout, `daemons-kill-${disable.length}`, "python", { "layer.py": PYTHON_ATTACKER });
    spec.sandbox = { ...spec.sandbox, disable };
    // A stand-in shelfwise: the built supervisor, one plugin, one call, then it waits to be killed.
    const script = `
      import { createPluginProcess } from ${JSON.stringify(path.join(REPO_ROOT, "dist/plugins/process/supervisor.js"))};
      import { pythonLauncher } from ${JSON.stringify(path.join(REPO_ROOT, "dist/plugins/process/python-launcher.js"))};
      const spec = JSON.parse(process.argv[1]);
      const plugin = createPluginProcess(spec, pythonLauncher);
      const book = { book_id: 1, path: "/x", library_root: "/", current_author: ${JSON.stringify(marker)}, current_title: "daemons",
        current_narrator: null, current_series: null, current_series_num: null, current_year: null, current_language: null,
        status: "pending", confidence: 0, profile: {}, files: [], tags: null, verification_layer: 0 };
      const [result] = await plugin.runBatch([book]);
      console.log(JSON.stringify(result));
      setInterval(() => {}, 1000);
    `;
    const host = spawn(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    host.stdout.on("data", (chunk) => (out += chunk));
    await eventually(() => out.includes("\n"), "the stand-in shelfwise to run the call");
    expect(out).toContain("ok:spawned");
    await eventually(() => daemons(marker) === 2, "both daemons to run");
    host.kill("SIGKILL");
    await eventually(() => daemons(marker) === 0, "the daemons to die with shelfwise");
    expect(fs.existsSync(spec.dataDir)).toBe(true);
  });

  // A plugin that leaves the process group it was started in (os.setpgid(0, 0)) would escape a kill of that
  // group: the timeout must still end it and what it started in its new group, a process of a process included.
  it.each([
    ["inside the full wall", []],
    ["without a PID namespace", ["namespace"]],
    ["with every mechanism switched off", ["all"]],
  ])("a plugin in a process group of its own is killed at its timeout with everything it started, %s", async (_where, disable) => {
    const marker = `shelfwise-daemon-${process.pid}-pgid-${disable.join("")}`;
    const source = `import os, subprocess, sys, time

class Layer:
    def process(self, book):
        if book["current_title"] != "hang":
            return {"title": "ok:%d" % (os.getpgid(0) == os.getpid())}
        os.setpgid(0, 0)
        marker = book["current_author"]
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", marker + "-setsid"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', sys.argv[1]]); time.sleep(600)", marker + "-double"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(600)
`;
    const spec = pluginSpec(layout, `pgid-hang-${disable.join("") || "wall"}`, "python", { "layer.py": source }, { timeoutSeconds: 1 });
    spec.sandbox = { ...spec.sandbox, disable };
    const plugin = startPlugin(spec);
    try {
      const hung = call(plugin, "hang", marker);
      // Three sleepers: its child, a child's child, and that child itself (the -double marker twice).
      await eventually(() => daemons(marker) === 3, "what the plugin started to run");
      expect(await hung).toMatch(/^call failed: timeout/);
      await eventually(() => daemons(marker) === 0, "what the plugin started to die with the timed-out plugin");
      // The next call is answered by a fresh process.
      expect(await call(plugin, "other")).toMatch(/^ok:/);
    } finally {
      await plugin.close();
    }
  });
});
