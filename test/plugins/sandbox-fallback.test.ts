/**
 * Each mechanism forced off, one at a time and all together: the plugin still
 * runs with what is left, the report says what it got and what it lacks, what
 * is left still holds, and sandbox_required refuses to run without the full wall.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PluginProcess } from "../../src/plugins/process/supervisor.js";
import type { PluginRuntime } from "../../src/plugins/plugin-types.js";
import { DISABLE_ENV } from "../../src/plugins/sandbox/detect.js";
import { sandboxReport } from "../../src/plugins/sandbox/wall.js";
import { NODE_ATTACKER, PYTHON_ATTACKER } from "./sandbox-attacks.js";
import { SECRET, call, createLayout, ensureBuilt, pluginSpec, startPlugin, type Layout } from "./sandbox-fixture.js";

let layout: Layout;
const running: PluginProcess[] = [];
beforeAll(async () => {
  ensureBuilt();
  layout = await createLayout();
});
// Set by a test below; put back after it (the file shares its worker with others: test/support/env-guard.ts).
const disabledBefore = process.env[DISABLE_ENV];
afterEach(() => {
  if (disabledBefore === undefined) delete process.env[DISABLE_ENV];
  else process.env[DISABLE_ENV] = disabledBefore;
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.close()));
  await layout?.cleanup();
});

const FILES = { python: { "layer.py": PYTHON_ATTACKER }, node: { "index.mjs": NODE_ATTACKER } };
let n = 0;
function attacker(runtime: PluginRuntime, disable: string[], over: Parameters<typeof pluginSpec>[4] = {}): PluginProcess {
  const spec = pluginSpec(layout, `fallback-${runtime}-${++n}`, runtime, FILES[runtime], { readPaths: [layout.library], ...over });
  spec.sandbox = { ...spec.sandbox, ...over.sandbox, disable };
  const p = startPlugin(spec);
  running.push(p);
  return p;
}

const FILE_ATTACKS = ["secrets.json", "shelfwise.db", "another plugin's folder", "a file in the user's home", "/etc/shadow", "a symlink in the library"];

describe("Landlock alone (namespaces off)", () => {
  it("reports process+seccomp+landlock and says what it lacks", () => {
    const report = sandboxReport({ runtime: "python", sandbox: { disable: ["namespace"] } });
    expect(report.level).toBe("process+seccomp+landlock");
    expect(report.lacks.join("\n")).toMatch(/namespace: switched off/);
    // The helper reaps what the plugin starts (sandbox-process.test.ts), and with signal scoping the plugin cannot kill it.
    expect(report.lacks.join("\n")).not.toMatch(/outlive/);
  });

  it("says a plugin can kill its reaping helper when Landlock (and so signal scoping) is off too", () => {
    const report = sandboxReport({ runtime: "python", sandbox: { disable: ["namespace", "landlock"] } });
    expect(report.level).toBe("process+seccomp");
    expect(report.lacks.join("\n")).toMatch(/the plugin can kill the helper that reaps its processes, and setsid or double-forked children can then outlive it/);
    expect(sandboxReport({ runtime: "python", sandbox: { disable: ["all"] } }).lacks.join("\n")).toMatch(
      /without the PID namespace or the helper native\/build\/sandbox-exec, setsid or double-forked children can outlive the plugin/,
    );
  });

  it.each(["python", "node"] as const)("still walls a %s plugin's files, network and signals", async (runtime) => {
    // Node's own permission model off too: what holds here is Landlock's doing.
    const plugin = attacker(runtime, ["namespace", "permission"]);
    expect(await call(plugin, "read", path.join(layout.library, "Terry Pratchett", "Mort", "book.nfo"))).toBe("ok:narrated by Nigel Planer");
    for (const name of FILE_ATTACKS) {
      const result = await call(plugin, "read", layout.forbidden[name]!);
      expect(result, name).toMatch(/^denied:/);
      expect(result).not.toContain(SECRET);
    }
    expect(await call(plugin, "write", path.join(layout.library, "evil.txt"))).toMatch(/^denied:/);
    const before = layout.server.connections();
    const port = String(layout.server.port);
    expect(await call(plugin, runtime === "python" ? "raw" : "socket", port)).toMatch(/^denied:/);
    expect(await call(plugin, "child", port)).not.toMatch(/^ok:/);
    expect(layout.server.connections()).toBe(before);
    expect(await call(plugin, "signal", String(process.pid))).toMatch(/^denied:/);
    expect(await call(plugin, "mem", String(process.pid))).toMatch(/^denied:/);
  });

  it("reaches a declared host through the proxy on the host's loopback, and nothing else", async () => {
    const plugin = attacker("python", ["namespace"], { allowed_hosts: ["localhost"], sandbox: { allow_private_network: true } });
    expect(await call(plugin, "urllib", `http://localhost:${layout.server.port}/`)).toBe("ok:hello from the fixture");
    const before = layout.server.connections();
    expect(await call(plugin, "raw", String(layout.server.port))).toMatch(/^denied:/);
    expect(layout.server.connections()).toBe(before);
    // It may connect to the proxy's port, not serve on it: bound on another address, that would be a
    // server the network could reach.
    expect(await call(plugin, "listen", "127.0.0.2")).toMatch(/^denied:PermissionError/);
  });
});

describe("namespaces alone (Landlock off)", () => {
  it.each(["python", "node"] as const)("still walls a %s plugin", async (runtime) => {
    const plugin = attacker(runtime, ["landlock", "permission"]);
    expect(sandboxReport({ runtime, sandbox: { disable: ["landlock", "permission"] } }).level).toBe("process+seccomp+namespace");
    for (const name of FILE_ATTACKS) expect(await call(plugin, "read", layout.forbidden[name]!), name).toMatch(/^denied:/);
    expect(await call(plugin, "write", path.join(layout.pluginDir, plugin.pluginId, "evil.txt"))).toMatch(/^denied:/);
    const before = layout.server.connections();
    expect(await call(plugin, "child", String(layout.server.port))).not.toMatch(/^ok:/);
    expect(layout.server.connections()).toBe(before);
    expect(await call(plugin, "signal", String(process.pid))).toMatch(/^denied:/);
  });
});

describe("no kernel wall at all", () => {
  it("runs a python plugin at level process and says it lacks both walls (env switch)", async () => {
    process.env[DISABLE_ENV] = "all";
    const report = sandboxReport({ runtime: "python", sandbox: {} });
    expect(report.level).toBe("process");
    expect(report.lacks.join("\n")).toMatch(/namespace: switched off/);
    expect(report.lacks.join("\n")).toMatch(/landlock: switched off/);
    expect(report.lacks.join("\n")).toMatch(/seccomp: switched off/);
    const plugin = attacker("python", []);
    expect(await call(plugin, "home")).toMatch(/^ok:.*plugin-data/);
    // Honestly unwalled: this is what the level "process" means.
    expect(await call(plugin, "read", layout.forbidden["secrets.json"]!)).toContain(SECRET);
  });

  it("keeps node's permission model as the only file wall", async () => {
    const plugin = attacker("node", ["namespace", "landlock", "seccomp"]);
    expect(sandboxReport({ runtime: "node", sandbox: { disable: ["namespace", "landlock", "seccomp"] } }).level).toBe("process+permission");
    expect(await call(plugin, "read", layout.forbidden["secrets.json"]!)).toMatch(/^denied:ERR_ACCESS_DENIED/);
  });

  // The helper sets RLIMIT_FSIZE; without it in the chain, prlimit does (file-size-limit.ts), bwrap's sandbox included.
  it.each([
    ["no kernel wall", ["namespace", "landlock", "seccomp"]],
    ["bubblewrap without the helper", ["landlock", "seccomp"]],
  ])("bounds a node plugin's files by max_file_mb with %s", async (_, disable) => {
    const plugin = attacker("node", disable, { maxFileMb: 1 });
    expect(await call(plugin, "grow", "3")).toBe(`denied:EFBIG: at size ${1024 * 1024}`);
  });

  it("refuses to start a plugin when sandbox_required is set", async () => {
    for (const disable of [["namespace"], ["landlock"], ["seccomp"], ["namespace", "landlock"]]) {
      const plugin = attacker("python", disable, { sandbox: { required: true } });
      const result = await call(plugin, "home");
      expect(result).toMatch(/^call failed: crash .*sandbox_required is set and the full wall is not available/);
      expect(result).toContain(`${disable[0]}: switched off`);
    }
    const full = attacker("python", [], { sandbox: { required: true } });
    expect(await call(full, "home")).toMatch(/^ok:/);
    expect(fs.existsSync(layout.dataDir)).toBe(true);
  });
});
