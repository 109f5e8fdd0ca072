/**
 * Two plugin folders claiming one id (plugins/manifest/id-claims.ts): the
 * folder that had the id first keeps it, whatever the folder order; a later
 * claimant never runs and never gets the id's config or secrets; when the
 * owner leaves, a claimant waits for the user to enable the id. Real plugin
 * folders, a real data dir and database, real plugin processes.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createLivePlugins, type LivePlugins } from "../../src/app/live-plugins.js";
import { openSession } from "../../src/app/open-session.js";
import type { Session } from "../../src/app/session.js";
import type { PluginLayer } from "../../src/plugins/manager/plugin-layer.js";
import { pluginView } from "../../src/server/plugin-views.js";
import { setPluginState } from "../../src/store/plugin-health.js";
import { createHome, leftoverRunners, nodePlugin, requireBuilt, type ListedPlugin, type TestHome } from "../support/plugin-fixtures.js";
import { inProcess } from "../support/cli-in-process.js";
import { makeBook } from "./runner-harness.js";

const ID = "catalogue";

/** Answers with its own name, the id's config value and the length of the secret it was given (a secret in an answer is dropped). */
const claimant = (who: string) =>
  nodePlugin(`
  setup(config, secrets) { this.seen = ${JSON.stringify(who)} + "|" + config.shelf + "|token of " + secrets.catalogue_token.length; }
  process(book) { return { narrator: this.seen }; }`);

const MANIFEST = { id: ID, requires_secrets: ["catalogue_token"] };

let home: TestHome;

beforeAll(requireBuilt);
beforeEach(() => {
  home = inProcess(createHome({ config: { plugin_configs: { [ID]: { shelf: "owner-shelf" } } } }));
  home.writeSecrets({ catalogue_token: "owner-token" });
});

describe("startup", () => {
  afterEach(() => home.cleanup());

  test("the remembered owner keeps its id although a new claimant sorts first; the claimant is refused naming both folders; `plugins enable` hands it over once the owner is gone", async () => {
    home.plugin("zeta", { code: claimant("zeta"), manifest: MANIFEST });
    const first = await home.json<ListedPlugin[]>(["plugins", "list"]);
    expect(first.map((p) => [path.basename(p.folder), p.state])).toEqual([["zeta", "active"]]);

    home.plugin("alpha", { code: claimant("alpha"), manifest: MANIFEST });
    const list = await home.json<ListedPlugin[]>(["plugins", "list"]);
    const byFolder = (name: string) => list.find((p) => path.basename(p.folder) === name)!;
    expect(byFolder("zeta").state).toBe("active");
    expect(byFolder("alpha").state).toBe("invalid");
    expect(byFolder("alpha").reason).toMatch(/alpha: id "catalogue" is already used by .*zeta, the folder that had it first; .*give it another id in its manifest\.json, or remove one of the two folders/);

    // The owner removed: alpha waits for the id to be enabled, then has it.
    fs.rmSync(path.join(home.pluginDir, "zeta"), { recursive: true });
    const waiting = await home.json<ListedPlugin[]>(["plugins", "list"]);
    expect(waiting.map((p) => [path.basename(p.folder), p.state])).toEqual([["alpha", "disabled"]]);
    expect(waiting[0]!.reason).toMatch(/zeta, which is no longer in the plugin folder; .*alpha now claims it/);
    const enabled = await home.cli(["plugins", "enable", ID]);
    expect(enabled.stdout).toMatch(/plugin catalogue now belongs to .*alpha, with its settings, secrets and data/);
    const after = await home.json<ListedPlugin[]>(["plugins", "list"]);
    expect(after.map((p) => [path.basename(p.folder), p.state])).toEqual([["alpha", "active"]]);
  });
});

describe("while shelfwise runs", () => {
  let session: Session;
  let live: LivePlugins;
  const logLines: string[] = [];

  beforeEach(async () => {
    session = openSession(home.dataDir);
    logLines.length = 0;
    live = createLivePlugins(session, { watch: false, drainMs: 0, log: (line) => logLines.push(line) });
  });
  afterEach(async () => {
    await live.stop();
    await session.close();
    expect(leftoverRunners(home.dataDir)).toEqual([]);
    home.cleanup();
  });

  const layer = () => session.registry.get(ID) as PluginLayer | undefined;
  const answer = async () => {
    const [outcome] = await layer()!.processBatch([makeBook(1)], { signal: new AbortController().signal });
    return outcome && "claims" in outcome ? (outcome.claims.find((c) => c.field === "narrator")?.value ?? JSON.stringify(outcome)) : JSON.stringify(outcome);
  };
  const entry = (folder: string) => live.entries().find((e) => path.basename(e.folder) === folder);

  test("a claimant dropped in is refused and never runs; the running owner keeps its process, config and secrets", async () => {
    home.plugin("zeta", { code: claimant("zeta"), manifest: MANIFEST });
    await live.start();
    const pid = layer()!.pid();
    expect(await answer()).toBe("zeta|owner-shelf|token of 11");

    home.plugin("alpha", { code: claimant("alpha"), manifest: MANIFEST });
    const change = await live.refresh();
    expect(change.reloaded).toEqual([]);
    expect(change.failed).toEqual([{ id: ID, reason: expect.stringMatching(/^invalid: .*alpha: id "catalogue" is already used by .*zeta/) }]);
    expect(layer()!.pid()).toBe(pid);
    expect(await answer()).toBe("zeta|owner-shelf|token of 11");
    expect(entry("alpha")).toMatchObject({ state: "invalid", id_claim: "refused", layer: null });
    expect(logLines.some((line) => line.includes("invalid") && line.includes("alpha") && line.includes("zeta"))).toBe(true);
    // The web Plugins page's data: the refused folder is listed with its reason and none of the id's settings.
    expect(pluginView(session, entry("alpha")!, {})).toMatchObject({ state: "invalid", reason: expect.stringContaining("zeta"), config: {} });
    expect(pluginView(session, entry("zeta")!, {}).config).toEqual({ shelf: "owner-shelf" });
  });

  test("the owner removed: the claimant waits, disabled, until the id is enabled; the owner back has its id again", async () => {
    home.plugin("zeta", { code: claimant("zeta"), manifest: MANIFEST });
    await live.start();
    home.plugin("alpha", { code: claimant("alpha"), manifest: MANIFEST });
    await live.refresh();

    fs.rmSync(path.join(home.pluginDir, "zeta"), { recursive: true });
    await live.refresh();
    expect(layer()).toBeUndefined();
    expect(entry("alpha")).toMatchObject({ state: "disabled", id_claim: "held", layer: null });
    expect(entry("alpha")!.reason).toMatch(/belonged to .*zeta, which is no longer in the plugin folder; .*alpha now claims it .*`shelfwise plugins enable catalogue`/);
    expect(logLines.some((line) => line.includes("disabled") && line.includes("alpha"))).toBe(true);

    // The owner comes back before anyone enabled the id: the claimant is refused again.
    home.plugin("zeta", { code: claimant("zeta"), manifest: MANIFEST });
    await live.refresh();
    expect(await answer()).toBe("zeta|owner-shelf|token of 11");
    expect(entry("alpha")).toMatchObject({ state: "invalid", id_claim: "refused" });

    fs.rmSync(path.join(home.pluginDir, "zeta"), { recursive: true });
    await live.refresh();
    expect(entry("alpha")).toMatchObject({ state: "disabled", id_claim: "held" });
    // What `plugins enable`, the web Plugins page and the pipeline page all do.
    setPluginState(session.db, ID, "enabled", null, { resetFailures: true });
    await live.refresh();
    expect(entry("alpha")).toMatchObject({ state: "active", id_claim: "owner" });
    expect(await answer()).toBe("alpha|owner-shelf|token of 11");

    // alpha owns the id now: the old folder dropped back in is the one refused.
    home.plugin("zeta", { code: claimant("zeta"), manifest: MANIFEST });
    await live.refresh();
    expect(entry("zeta")).toMatchObject({ state: "invalid", id_claim: "refused" });
    expect(await answer()).toBe("alpha|owner-shelf|token of 11");
  });

  test("two claimants of an id whose owner left are both refused; an owner whose manifest is unreadable keeps its id", async () => {
    home.plugin("zeta", { code: claimant("zeta"), manifest: MANIFEST });
    await live.start();
    const manifest = path.join(home.pluginDir, "zeta", "manifest.json");
    const saved = fs.readFileSync(manifest, "utf8");
    fs.writeFileSync(manifest, saved.slice(0, -3));
    home.plugin("alpha", { code: claimant("alpha"), manifest: MANIFEST });
    await live.refresh();
    expect(entry("alpha")).toMatchObject({ state: "invalid", id_claim: "refused" });
    expect(entry("alpha")!.reason).toMatch(/belongs to .*zeta, whose manifest\.json cannot be read now/);
    expect(layer()).toBeUndefined();

    fs.rmSync(path.join(home.pluginDir, "zeta"), { recursive: true });
    home.plugin("beta", { code: claimant("beta"), manifest: MANIFEST });
    await live.refresh();
    for (const folder of ["alpha", "beta"]) {
      expect(entry(folder)).toMatchObject({ state: "invalid", id_claim: "refused" });
      expect(entry(folder)!.reason).toMatch(/belonged to .*zeta, which is no longer in the plugin folder; .* also claims it, so none of them is loaded/);
    }
    // Enabling the id hands it to nobody while two folders claim it.
    setPluginState(session.db, ID, "enabled", null);
    await live.refresh();
    expect(layer()).toBeUndefined();
  });
});
