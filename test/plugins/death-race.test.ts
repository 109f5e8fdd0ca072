/**
 * No plugin outlives a shelfwise killed at any moment of the plugin's start,
 * not even one busy in a loop from its first line. A parent-death signal set
 * after the parent died never comes, and bubblewrap sets the one of its
 * sandbox's pid 1 only after mounting the sandbox, without looking whether
 * its monitor still lives: shelfwise killed in that window left pid 1 and the
 * plugin spinning, reparented to init (seen once in a full test run).
 * Here a stand-in shelfwise starts such a plugin and is killed with SIGKILL,
 * 30 times: half of them at the moment bwrap has forked its sandbox, the
 * others after a random delay.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availability, probeSandbox } from "../../src/plugins/sandbox/detect.js";
import { buildSync } from "esbuild";
import { REPO_ROOT, createLayout, ensureBuilt, pluginSpec, type Layout } from "./sandbox-fixture.js";

const KILLS = 30;

/**
 * The stand-in's shelfwise code (the built supervisor and node launcher, dist/) in one file, as the real
 * command's is (dist/bundle): each of the 30 stand-ins loaded ~50 modules one by one, ~0.28 CPU-s a start
 * against ~0.1 for node alone. Written inside the package (test-artifacts/), where the code finds its
 * package root (the runner's path) as from dist/.
 */
const HOST = path.join(REPO_ROOT, "test-artifacts", `death-race-host-${process.pid}.mjs`);

let layout: Layout;
beforeAll(async () => {
  ensureBuilt();
  buildSync({
    stdin: {
      contents: `export { createPluginProcess } from ${JSON.stringify(path.join(REPO_ROOT, "dist/plugins/process/supervisor.js"))};
        export { createNodeLauncher } from ${JSON.stringify(path.join(REPO_ROOT, "dist/plugins/process/node-launcher.js"))};`,
      resolveDir: REPO_ROOT,
      loader: "js",
    },
    outfile: HOST,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // Bundled CommonJS packages call require() for node's built-in modules (as scripts/build-cli.mjs).
    banner: { js: "import { createRequire as __shelfwiseRequire } from 'node:module'; const require = __shelfwiseRequire(import.meta.url);" },
  });
  await probeSandbox();
  layout = await createLayout();
});
afterAll(async () => {
  for (const pid of plugins()) kill(pid);
  await layout?.cleanup();
  fs.rmSync(HOST, { force: true });
});

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

/** Processes of this test's plugin: its data folder is in their command line (bwrap's) or is their working folder. */
function plugins(): number[] {
  if (!layout) return [];
  const dataDir = path.join(layout.dataDir, "plugin-data");
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (cwd.startsWith(dataDir) || fs.readFileSync(`/proc/${entry}/cmdline`, "latin1").includes(dataDir)) out.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return out;
}

function children(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** bwrap (or, without it, the runtime) has forked below `host`: its setup is under way. */
function sandboxForked(host: number): boolean {
  const seen = [host];
  for (let i = 0; i < seen.length; i++) {
    for (const child of children(seen[i]!)) {
      let comm = "";
      try {
        comm = fs.readFileSync(`/proc/${child}/comm`, "utf8").trim();
      } catch {
        continue;
      }
      if (comm === "bwrap" && children(child).length > 0) return true;
      if (availability().bwrap === null && comm === "node") return true;
      seen.push(child);
    }
  }
  return false;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("a plugin spinning from its first line", () => {
  it.runIf(process.platform === "linux")(`dies with shelfwise killed at any moment of its start (${KILLS} kills)`, async (ctx) => {
    ctx.skip(
      availability().bwrap !== null && !availability().guard,
      "bubblewrap without the helper native/build/sandbox-exec (--guard): bwrap's sandbox pid 1 sets its death signal late, unchecked (docs/plugins.md)",
    );
    const spec = pluginSpec(layout, "spin", "node", { "index.mjs": "for (;;) {}\n" }, { timeoutSeconds: 600, setupTimeoutSeconds: 600 });
    const script = `
      import { createPluginProcess, createNodeLauncher } from ${JSON.stringify(HOST)};
      const plugin = createPluginProcess(JSON.parse(process.argv[1]), createNodeLauncher());
      const book = { book_id: 1, path: "/x", library_root: "/", current_author: null, current_title: "t",
        current_narrator: null, current_series: null, current_series_num: null, current_year: null, current_language: null,
        status: "pending", confidence: 0, profile: {}, files: [], tags: null, verification_layer: 0 };
      void plugin.runBatch([book]);
      process.stdout.write("started\\n");
      setInterval(() => {}, 1000);
    `;
    let longest = 50;
    const startAndKill = async (targeted: boolean) => {
      const host = spawn(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
      const gone = new Promise((resolve) => host.once("close", resolve));
      await new Promise((resolve) => host.stdout.once("data", resolve));
      const started = Date.now();
      if (targeted) {
        // Polled without a pause: the window between bwrap's fork and its pid 1's death signal is short.
        while (!sandboxForked(host.pid!) && Date.now() - started < 20_000) await tick();
        longest = Math.max(longest, Date.now() - started);
      } else {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * longest * 1.5));
      }
      host.kill("SIGKILL");
      await gone;
    };
    // Two at a time: each stand-in spends most of its start loading modules.
    for (let i = 0; i < KILLS; i += 2) await Promise.all([startAndKill(true), startAndKill(false)]);
    // What dies with shelfwise goes at once; a survivor spins for ever. The bound is room for a loaded machine.
    const until = Date.now() + 15_000;
    while (plugins().length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(plugins()).toEqual([]);
  });
});
