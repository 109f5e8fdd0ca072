/**
 * `plugins list` and `plugins health` are read-only views: they report the stored state and each plugin's last
 * recorded start without running plugin code (a start costs an interpreter per plugin and competes with a
 * running `serve`'s own processes); `--probe` starts every active plugin once, as the lists did before.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginListView } from "../../src/app/views/plugin-entry.js";
import { PluginHealthListView } from "../../src/app/views/plugin-health.js";
import { inProcess } from "../support/cli-in-process.js";
import { createHome, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

// Loaded, its module leaves a file in its data folder (its working folder): the trace of any start.
const MARKED = `import fs from "node:fs";\nfs.writeFileSync("loaded.marker", "loaded");\nexport default class Plugin { process() { return {}; } }\n`;
const BROKEN = `throw new Error("broken at load");\nexport default class Plugin { process() { return {}; } }\n`;

let home: TestHome;
const marker = () => path.join(home.dataDir, "plugin-data", "marked", "loaded.marker");
const list = async () => PluginListView.parse(await home.json(["plugins", "list"]));
const health = async () => PluginHealthListView.parse(await home.json(["plugins", "health"]));
/** A row of either view, by the plugin's id (`id` in the list, `plugin_id` in health). */
const byId = (rows: readonly object[], id: string): object => rows.find((r) => ("id" in r ? r.id : "plugin_id" in r ? r.plugin_id : null) === id)!;

beforeAll(() => {
  requireBuilt();
  home = inProcess(createHome());
  home.plugin("marked", { code: MARKED });
  home.plugin("broken", { code: BROKEN });
});
afterAll(() => home?.cleanup());

describe("plugins list and plugins health start no plugin", () => {
  it("never started: active, `not_started`, and no module was loaded", async () => {
    const [listText, healthText] = await Promise.all([home.cli(["plugins", "list"]), home.cli(["plugins", "health"])]);
    expect(fs.existsSync(marker()), "a module was loaded").toBe(false);
    const [listed, rows] = await Promise.all([list(), health()]);
    for (const id of ["marked", "broken"]) {
      expect(byId(listed, id)).toMatchObject({ state: "active", start_check: "not_started", last_start: null });
      expect(byId(rows, id)).toMatchObject({ state: "active", start_check: "not_started", last_start: null });
    }
    expect(listText.stdout).toMatch(/^ {2}marked not started yet: .*--probe/m);
    expect(healthText.stdout).toMatch(/^ {2}broken not started yet: /m);
    expect(fs.existsSync(marker())).toBe(false);
  });

  it("--probe starts each active plugin once and says so; the lists then report that start without another", async () => {
    const probed = await home.cli(["plugins", "list", "--probe"]);
    expect(probed.code, probed.stderr).toBe(0);
    expect(probed.stdout).toContain("started every active plugin to check it (--probe)");
    expect(fs.existsSync(marker())).toBe(true);
    const probedJson = PluginHealthListView.parse(await home.json(["plugins", "health", "--probe"]));
    expect(byId(probedJson, "broken")).toMatchObject({ state: "failed", start_check: "probed" });

    fs.rmSync(marker());
    const [listed, rows, healthText] = await Promise.all([list(), health(), home.cli(["plugins", "health"])]);
    expect(fs.existsSync(marker())).toBe(false);
    for (const view of [listed, rows]) {
      expect(byId(view, "marked")).toMatchObject({ state: "active", start_check: "last_start", last_start: expect.any(String) });
      expect(byId(view, "broken")).toMatchObject({ state: "failed", start_check: "last_start", reason: expect.stringContaining("broken at load") });
    }
    expect(healthText.stdout).toMatch(/^ {2}broken failed at its last start, .*--probe/m);
    // A probe is no call: nothing counts in the plugin's health.
    expect(rows.find((r) => r.plugin_id === "marked")).toMatchObject({ total_processed: 0, last_run: null });
  });

  it("a plugin whose files or settings changed since its last start is not judged by it", async () => {
    home.plugin("broken", { code: `export default class Plugin { process() { return {}; } }\n` });
    const listed = await list();
    expect(byId(listed, "broken")).toMatchObject({ state: "active", start_check: "not_started", last_start: expect.any(String) });
    expect((await home.cli(["plugins", "list"])).stdout).toMatch(/^ {2}broken not started since its files or settings changed/m);
    // So is one whose settings changed: its setup may read them.
    expect(byId(listed, "marked")).toMatchObject({ state: "active", start_check: "last_start" });
    home.writeConfig({ plugin_configs: { marked: { region: "eu" } } });
    expect(byId(await list(), "marked")).toMatchObject({ state: "active", start_check: "not_started", last_start: expect.any(String) });
  });
});
