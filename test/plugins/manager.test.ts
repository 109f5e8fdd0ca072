/**
 * The plugin manager in process, against a real database and real plugin
 * folders: which state each folder gets, what a plugin process is given
 * (only its declared secrets, clamped limits, its paths), and auto-disable
 * ending a batch at the failure that trips it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { openDatabase, type Db } from "../../src/store/database.js";
import { getPluginState, recentCalls, setPluginState } from "../../src/store/plugin-health.js";
import { grantSecrets, revokeSecrets } from "../../src/store/plugin-grants.js";
import { makeBook } from "../../src/plugins/authoring/plugin-harness.js";
import { pluginHealthView } from "../../src/app/views/plugin-health.js";
import { createManagedPluginLayer, launchSpec, loadPlugins, type PluginEntry, type PluginSettings } from "../../src/plugins/manager/plugin-manager.js";
import type { PluginLayer } from "../../src/plugins/manager/plugin-layer.js";
import { createHome, nodePlugin, requireBuilt, type TestHome } from "../support/plugin-fixtures.js";

const OK = nodePlugin(`process() { return { year: "1999" }; }`);

let home: TestHome;
let db: Db;
let settings: PluginSettings;
const layers: PluginLayer[] = [];

beforeAll(requireBuilt);
beforeEach(() => {
  home = createHome();
  db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
  settings = {
    pluginDir: home.pluginDir,
    dataDir: home.dataDir,
    libraryPaths: [home.library],
    pluginConfigs: {},
    secrets: {},
    pythonPath: "python3",
    autoDisableAfter: 3,
  };
});
afterEach(async () => {
  await Promise.all(layers.splice(0).map((layer) => layer.close()));
  db.close();
  home.cleanup();
});

const entry = (entries: PluginEntry[], id: string) => entries.find((e) => e.id === id)!;

describe("loadPlugins: the state of each folder", () => {
  test.each([
    { name: "a loadable plugin is active", setup: () => home.plugin("p", { code: OK }), state: "active", reason: null },
    {
      name: "disabled by the user (stored)",
      setup: () => {
        home.plugin("p", { code: OK });
        setPluginState(db, "p", "disabled", "disabled by the user");
      },
      state: "disabled",
      reason: "disabled by the user",
    },
    {
      name: "auto-disabled (stored) keeps its reason",
      setup: () => {
        home.plugin("p", { code: OK });
        setPluginState(db, "p", "auto-disabled", "auto-disabled after 3 consecutive failures");
      },
      state: "auto-disabled",
      reason: "auto-disabled after 3 consecutive failures",
    },
    {
      name: "re-enabled after a disable",
      setup: () => {
        home.plugin("p", { code: OK });
        setPluginState(db, "p", "disabled", "x");
        setPluginState(db, "p", "enabled", null);
      },
      state: "active",
      reason: null,
    },
    {
      name: "a built-in layer's id",
      setup: () => home.plugin("p", { code: OK, manifest: { id: "embedded_tags" } }),
      state: "invalid",
      reason: 'id "embedded_tags" is the id of a built-in layer; choose another id',
    },
    {
      // In `process`, `status` and the pages it would read as the built-in layer.
      name: "a built-in layer's id in other case, - for _",
      setup: () => home.plugin("p", { code: OK, manifest: { id: "Embedded-Tags" } }),
      state: "invalid",
      reason: 'id "Embedded-Tags" reads as the built-in layer "embedded_tags" (ids are told apart without case, and - as _); choose another id',
    },
    {
      name: "a python plugin with no interpreter",
      setup: () => {
        settings.pythonPath = "/no/such/python";
        home.plugin("p", { entry: "p.py", code: "class P:\n    def process(self, b):\n        return None\n" });
      },
      state: "failed",
      reason: "python interpreter '/no/such/python' not found: set python_path in config.json",
    },
    {
      name: "a missing secret",
      setup: () => home.plugin("p", { code: OK, manifest: { requires_secrets: ["TOKEN"] } }),
      state: "skipped",
      reason: "missing secrets: TOKEN",
    },
    {
      // Library Manager's rule (`if not secrets.get(name)`): an empty value is no secret.
      name: "a secret set to an empty string or to spaces",
      setup: () => {
        settings.secrets = { TOKEN: "", OTHER: " \t ", USED: "x" };
        home.plugin("p", { code: OK, manifest: { requires_secrets: ["USED", "TOKEN", "OTHER", "ABSENT"] } });
      },
      state: "skipped",
      reason: "missing secrets: TOKEN, OTHER, ABSENT (set but empty: TOKEN, OTHER)",
    },
    {
      // The same rule for requires_config: a blank string is no setting; 0 and false are values.
      name: "a required config key set to an empty string, to spaces or to null",
      setup: () => {
        settings.pluginConfigs = { p: { url: "", key: "  ", gone: null, count: 0, flag: false, used: "x" } };
        home.plugin("p", { code: OK, manifest: { requires_config: ["used", "count", "flag", "url", "key", "gone", "absent"] } });
      },
      state: "skipped",
      // plugins list, status and the web page show only this reason: it says what to write where.
      reason:
        'missing config plugin_configs.p: url, key, gone, absent (set but empty: url, key; write "plugin_configs": { "p": { "url": ..., "key": ..., "gone": ..., "absent": ... } } in config.json)',
    },
  ])("$name", async ({ setup, state, reason }) => {
    setup();
    const [found] = await loadPlugins(db, settings);
    expect(found).toMatchObject({ id: expect.any(String), state, reason });
    expect(found!.spec !== null).toBe(state === "active");
  });

  // The pages show a plugin's name first: one that reads as another layer's id or another plugin's name is
  // said, with its own id, so a grant or a switch clicked for the name the user knows is not given blindly.
  test("a name that reads as a built-in layer or another plugin is warned about, naming the plugin's id", async () => {
    home.plugin("wanted", { code: OK });
    home.plugin("spy", { code: OK, manifest: { name: " WANTED " } });
    home.plugin("pathy", { code: OK, manifest: { name: "\uff30ath" } });
    home.plugin("twin-a", { code: OK, manifest: { name: "Covers" } });
    home.plugin("twin-b", { code: OK, manifest: { name: "covers\u200b" } });
    // Letters of other scripts that look Latin (Unicode's confusables): Cyrillic а and е, Greek Ρ and Ι.
    home.plugin("cyr", { code: OK, manifest: { name: "P\u0430th" } });
    home.plugin("greek", { code: OK, manifest: { name: "\u03a1R\u0399NT" } });
    home.plugin("print", { code: OK, manifest: { name: "Print" } });
    home.plugin("w2", { code: OK, manifest: { name: "W\u0430nt\u0435d" } });
    // A Cyrillic name of its own reads as nothing Latin: no warning.
    home.plugin("ru", { code: OK, manifest: { name: "\u041b\u0438\u0442\u0440\u0435\u0441" } });
    const entries = await loadPlugins(db, settings);
    expect(entry(entries, "wanted").warnings).toEqual([]);
    expect(entry(entries, "spy").warnings).toEqual(['name "WANTED" reads as plugin wanted; this plugin\'s id is spy (the id is what grants, switches and logs name)']);
    expect(entry(entries, "pathy").warnings).toEqual(['name "\uff30ath" reads as the built-in layer path; this plugin\'s id is pathy (the id is what grants, switches and logs name)']);
    expect(entry(entries, "twin-a").warnings).toEqual(['name "Covers" reads as the name of plugin twin-b; this plugin\'s id is twin-a (the id is what grants, switches and logs name)']);
    expect(entry(entries, "spy").state).toBe("active");
    expect(entry(entries, "cyr").warnings).toEqual(['name "P\u0430th" reads as the built-in layer path (read U+0430, a Cyrillic letter, as "a"); this plugin\'s id is cyr (the id is what grants, switches and logs name)']);
    expect(entry(entries, "greek").warnings).toEqual(['name "\u03a1R\u0399NT" reads as plugin print (read U+03A1, a Greek letter, as "P"; U+0399, a Greek letter, as "I"); this plugin\'s id is greek (the id is what grants, switches and logs name)']);
    expect(entry(entries, "w2").warnings).toEqual(['name "W\u0430nt\u0435d" reads as plugin wanted (read U+0430, a Cyrillic letter, as "a"; U+0435, a Cyrillic letter, as "e"); this plugin\'s id is w2 (the id is what grants, switches and logs name)']);
    expect(entry(entries, "ru").warnings).toEqual([]);
  });

  // A command that reads plugins clears the staging marks of processes that have exited (any plugin's).
  test("clears the in-use marks of exited processes, not a live one's", async () => {
    const idDir = path.join(home.dataDir, "cache", "plugins", "gone-plugin");
    fs.mkdirSync(idDir, { recursive: true });
    const gone = path.join(idDir, ".in-use-0123abcd-4194305"); // above any pid_max: no such process
    const live = path.join(idDir, `.in-use-0123abcd-${process.ppid}`);
    fs.writeFileSync(gone, "");
    fs.writeFileSync(live, "");
    await loadPlugins(db, settings);
    expect(fs.existsSync(gone)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  test("no plugin dir at all is no plugins", async () => {
    fs.rmSync(home.pluginDir, { recursive: true });
    expect(await loadPlugins(db, settings)).toEqual([]);
  });
});

describe("launchSpec: what a plugin process gets", () => {
  test("only declared secrets, its config, its own data dir and log", async () => {
    home.plugin("p", { code: OK, manifest: { requires_secrets: ["A"] } });
    settings.secrets = { A: "a-value", B: "b-value" };
    settings.pluginConfigs = { p: { region: "eu" }, other: { x: 1 } };
    const spec = entry(await loadPlugins(db, settings), "p").spec!;
    expect(spec.secrets).toEqual({ A: "a-value" });
    expect(spec.config).toEqual({ region: "eu" });
    expect(spec.dataDir).toBe(path.join(home.dataDir, "plugin-data", "p"));
    expect(fs.statSync(spec.dataDir).isDirectory()).toBe(true);
    expect(spec.logFile).toBe(path.join(home.dataDir, "logs", "plugins", "p.log"));
    expect(spec.readPaths).not.toContain(home.library);
  });

  test("a secret name is the first plugin's: one dropped in later that asks for it is skipped until granted; a revoke sticks", async () => {
    home.plugin("mine", { code: OK, manifest: { requires_secrets: ["A"] } });
    settings.secrets = { A: "a-value" };
    expect(entry(await loadPlugins(db, settings), "mine")).toMatchObject({ state: "active", granted_secrets: ["A"] });
    home.plugin("other", { code: OK, manifest: { requires_secrets: ["A"] } });
    let entries = await loadPlugins(db, settings);
    expect(entry(entries, "mine").spec!.secrets).toEqual({ A: "a-value" });
    expect(entry(entries, "other")).toMatchObject({
      state: "skipped",
      reason: "needs secret A, which is granted to plugin mine: run `shelfwise plugins grant other A` to share it",
      granted_secrets: [],
      revoked_secrets: [],
      held_secrets: [{ name: "A", holders: ["mine"], revoked_from_holders: false }],
      spec: null,
    });
    // The spec itself hands over only granted names, whoever builds it.
    expect(launchSpec(entry(entries, "other").discovered, settings, []).secrets).toEqual({});
    grantSecrets(db, "other", ["A"], "user");
    expect(entry(await loadPlugins(db, settings), "other")).toMatchObject({ state: "active", granted_secrets: ["A"] });
    expect(revokeSecrets(db, "mine", ["A"], ["A"])).toEqual(["A"]);
    for (let load = 0; load < 2; load++) {
      entries = await loadPlugins(db, settings);
      expect(entry(entries, "mine")).toMatchObject({ state: "skipped", reason: "needs secret A, revoked from it: run `shelfwise plugins grant mine A` to give it back", granted_secrets: [], revoked_secrets: ["A"], held_secrets: [] });
    }
    // Revoked from every plugin that had it: still theirs, and a plugin asking later is told so.
    revokeSecrets(db, "other", ["A"], ["A"]);
    home.plugin("third", { code: OK, manifest: { requires_secrets: ["A"] } });
    expect(entry(await loadPlugins(db, settings), "third")).toMatchObject({ state: "skipped", held_secrets: [{ name: "A", holders: ["mine", "other"], revoked_from_holders: true }] });
  });

  test("plugins found in one load that ask for a new name all get it, in whichever order they are found", async () => {
    settings.secrets = { A: "a-value" };
    for (const id of ["b-second", "a-first", "c-third"]) home.plugin(id, { code: OK, manifest: { requires_secrets: ["A"] } });
    const entries = await loadPlugins(db, settings);
    for (const id of ["a-first", "b-second", "c-third"]) expect(entry(entries, id)).toMatchObject({ state: "active", granted_secrets: ["A"] });
  });

  test("filesystem read adds the library folders to what it may read", async () => {
    home.plugin("p", { code: OK, manifest: { permissions: { filesystem: "read" } } });
    const spec = entry(await loadPlugins(db, settings), "p").spec!;
    expect(spec.readPaths).toContain(home.library);
  });

  test.each([
    { config: {}, memoryMb: 256, timeoutSeconds: 30, setupTimeoutSeconds: 30 },
    { config: { memory_mb: 1, timeout: 0, setup_timeout: -5 }, memoryMb: 32, timeoutSeconds: 1, setupTimeoutSeconds: 1 },
    { config: { memory_mb: 1e9, timeout: 1e9, setup_timeout: 1e9 }, memoryMb: 16_384, timeoutSeconds: 600, setupTimeoutSeconds: 600 },
    { config: { memory_mb: "lots", timeout: "slow" }, memoryMb: 256, timeoutSeconds: 30, setupTimeoutSeconds: 30 },
  ])("limits from $config are clamped", async ({ config, ...limits }) => {
    const folder = home.plugin("p", { code: OK });
    const [found] = await loadPlugins(db, settings);
    const spec = launchSpec(found!.discovered, { ...settings, pluginConfigs: { p: config } });
    expect(spec).toMatchObject(limits);
    expect(spec.folder).toBe(folder);
  });
});

describe("createManagedPluginLayer: auto-disable", () => {
  async function managedLayer(code: string, config: Record<string, unknown> = {}) {
    home.plugin("p", { code });
    settings.pluginConfigs = { p: config };
    const found = entry(await loadPlugins(db, settings), "p");
    const layer = createManagedPluginLayer(db, found, settings) as PluginLayer;
    layers.push(layer);
    return { found, layer };
  }
  const books = (n: number) => Array.from({ length: n }, (_, i) => makeBook({ book_id: i + 1, path: `/library/A/B${i + 1}` }));
  const signal = new AbortController().signal;

  test.each([
    { kind: "throws", code: nodePlugin(`process() { throw new Error("nope"); }`), outcome: "error" },
    { kind: "hangs", code: nodePlugin(`process() { return new Promise(() => {}); }`), outcome: "timeout" },
    { kind: "exits", code: nodePlugin(`process() { process.exit(3); }`), outcome: "crash" },
  ])("a plugin that $kind gets exactly autoDisableAfter outcomes, then nothing", async ({ code, outcome }) => {
    const { found, layer } = await managedLayer(code, { timeout: 1 });
    const outcomes = await layer.processBatch(books(8), { signal });
    expect(outcomes.map((o) => o.book_id)).toEqual([1, 2, 3]);
    expect(outcomes.every((o) => "error" in o)).toBe(true);
    expect(found.state).toBe("auto-disabled");
    expect(getPluginState(db, "p")).toMatchObject({ state: "auto-disabled", consecutive_failures: 3 });
    expect(getPluginState(db, "p")!.reason).toMatch(new RegExp(`^auto-disabled after 3 consecutive failures \\(last: ${outcome}`));
    expect(recentCalls(db, "p", 20).map((c) => c.outcome)).toEqual([outcome, outcome, outcome]);
    expect(await layer.processBatch(books(2), { signal })).toEqual([]);
  });

  // The batch gives up after its restarts (4 processes lost, each blaming its book); the books left never reached
  // the plugin. Recorded as crashes, they took the count past auto-disable and inflated the Health page's numbers.
  test("books left by a give-up are not_run: counted apart, neither calls nor failures", async () => {
    settings.autoDisableAfter = 5;
    const { found, layer } = await managedLayer(nodePlugin(`process() { process.exit(3); }`));
    const outcomes = await layer.processBatch(books(8), { signal });
    expect(outcomes.map((o) => ("kind" in o ? o.kind : "?"))).toEqual([...Array(4).fill("crash"), ...Array(4).fill("not_run")]);
    expect(found.state).toBe("active");
    expect(getPluginState(db, "p")).toMatchObject({ state: "enabled", consecutive_failures: 4, total_processed: 4, total_not_run: 4 });
    expect(recentCalls(db, "p", 20).map((c) => c.outcome)).toEqual([...Array(4).fill("not_run"), ...Array(4).fill("crash")]);
    const health = pluginHealthView(db, { ...found, id: "p" }, {});
    expect(health).toMatchObject({ total_processed: 4, total_not_run: 4, consecutive_failures: 4, success_rate: 0 });
    expect(health.recent_errors.map((e) => e.outcome)).toEqual(Array(4).fill("crash"));
  });

  test("a success in between resets the count; stored failures carry over into the next run", async () => {
    const { layer } = await managedLayer(nodePlugin(`process(book) { if (book.book_id % 2) throw new Error("odd"); return { year: "2000" }; }`));
    await layer.processBatch(books(6), { signal });
    expect(getPluginState(db, "p")).toMatchObject({ state: "enabled", consecutive_failures: 0, total_processed: 6, total_resolved: 3 });
    setPluginState(db, "p", "enabled", null); // keeps the count
    db.prepare("UPDATE plugin_state SET consecutive_failures = 2 WHERE plugin_id = 'p'").run();
    const { layer: next } = await managedLayer(nodePlugin(`process() { throw new Error("still broken"); }`));
    expect((await next.processBatch(books(5), { signal })).map((o) => o.book_id)).toEqual([1]);
    expect(getPluginState(db, "p")!.state).toBe("auto-disabled");
  });
});
