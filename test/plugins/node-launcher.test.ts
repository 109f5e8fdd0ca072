/**
 * The node runner's permission flags. Node 20 aborts (SIGABRT, an assertion in
 * its permission tree) when one path is granted twice; it was, when the harness
 * ran from an npm install of shelfwise in the plugin's own project (the SDK
 * folder is then both shelfwise's and the one found through node_modules).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeCommand } from "../../src/plugins/process/node-launcher.js";
import type { LaunchSpec } from "../../src/plugins/plugin-types.js";

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-node-launcher-")));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("nodeCommand", () => {
  it("grants each path once, and Node starts with the grants", () => {
    // A plugin project with shelfwise installed as a real folder, not the plugin directory's link.
    const project = path.join(root, "project");
    const sdk = path.join(project, "node_modules", "shelfwise", "dist", "sdk");
    const folder = path.join(project, "my-plugin");
    const dataDir = path.join(root, "plugin-data");
    for (const dir of [sdk, folder, dataDir]) fs.mkdirSync(dir, { recursive: true });
    const spec = {
      plugin_id: "my-plugin",
      runtime: "node",
      folder,
      entry: path.join(folder, "index.js"),
      // What staging asks for such a plugin: the SDK as that install has it.
      readPaths: [folder, sdk, path.join(project, "node_modules", "shelfwise", "package.json")],
      dataDir,
      memoryMb: 64,
    } as unknown as LaunchSpec;
    const { file, args } = nodeCommand(spec);
    const grants = args.filter((a) => a.startsWith("--allow-fs-read="));
    expect(grants).toContain(`--allow-fs-read=${sdk}`);
    expect(grants.length).toBe(new Set(grants).size);

    const flags = args.slice(0, -1); // all but the runner
    const started = spawnSync(file, [...flags, "-e", "0"], { encoding: "utf8", timeout: 20_000 });
    expect(started.signal, started.stderr).toBeNull();
    expect(started.status, started.stderr).toBe(0);
  });
});
