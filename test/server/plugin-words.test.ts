/**
 * What a plugin said reaches a page as it said it: its error (the Health page's last errors, its call log, a
 * book's layer runs) and the names its manifest chose (a warning about an unknown key) are never reworded, even
 * when they read like shelfwise's advice; shelfwise's own sentence around a plugin's call (an interruption's
 * note) is still said as the page's control. The page escapes it (preact: test/browser/hostile.test.ts).
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { markInFlight } from "../../src/store/layer-runs.js";
import { setPluginState } from "../../src/store/plugin-health.js";
import { apiClient, closeApi, openApi } from "./inject.js";

/** A plugin's error, written as if it were shelfwise's advice (the whole-text rewrite made it "use Scan library on the dashboard"). */
const SAID = "<b>run `shelfwise scan`</b> then `shelfwise plugins enable talker` turns it on";
const KEY = "run `shelfwise process` again";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
const { call } = apiClient(() => app);

async function json(url: string): Promise<any> {
  const response = await call({ method: "GET", url });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

beforeAll(async () => {
  home = createHome({ books: 2, config: { auto_disable_after: 50 } });
  home.plugin("starter", { code: nodePlugin(`setup() { throw new Error(${JSON.stringify(SAID)}); } process() { return []; }`) });
  home.plugin("talker", { code: nodePlugin(`process() { throw new Error(${JSON.stringify(SAID)}); }`), manifest: { name: "Talker", [KEY]: 1 } });
  ({ service, app } = await openApi(home));
  service.startScan();
  await service.idle();
  service.startProcess({});
  await service.idle();
});

afterAll(() => closeApi({ app, service, home }));

describe("a plugin's words on pages", () => {
  it("its errors stay as it said them: the Health page's last errors, its call log, a book's layer runs", async () => {
    const health = (await json("/api/health")).plugins.find((p: any) => p.plugin_id === "talker");
    expect(health.recent_errors.length).toBeGreaterThan(0);
    for (const e of health.recent_errors) expect(e.message).toContain(SAID);
    const calls = (await json("/api/health/talker/calls")).calls.filter((c: any) => c.outcome === "error");
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.error).toContain(SAID);
    const [book] = (await json("/api/books?limit=1")).books;
    const run = (await json(`/api/books/${book.id}`)).layers.find((l: any) => l.layer_id === "talker");
    expect(run.error).toContain(SAID);
  });

  it("a plugin whose start failed: its error stays as it said it on the Plugins page and the dashboard", async () => {
    const plugin = (await json("/api/plugins")).find((p: any) => p.id === "starter" || p.plugin_id === "starter");
    expect(plugin.state).toBe("failed");
    expect(plugin.reason).toContain(SAID);
    const problem = (await json("/api/status")).problems.find((p: any) => p.kind === "plugin_failed");
    expect(problem.message).toContain(SAID);
    // And when that start failed, from the record and by the rule the plugin pages use.
    expect(plugin.last_start_ok).toBe(false);
    expect(problem).toMatchObject({ plugin: "starter", last_start: plugin.last_start, last_start_reason: plugin.last_start_reason });
    expect(problem.message).toBe(`plugin starter is failed: start check failed at ${plugin.last_start}: ${plugin.last_start_reason}`);
  });

  it("a warning naming its manifest's key keeps the key as the manifest wrote it", async () => {
    const plugin = (await json("/api/plugins")).find((p: any) => p.id === "talker" || p.plugin_id === "talker");
    expect(plugin.warnings.join("\n")).toContain(KEY);
  });

  it("shelfwise's own note around a plugin's call (an interruption) still names the page's control", async () => {
    const [book] = (await json("/api/books?limit=1")).books;
    markInFlight(service.session.db, "talker", [book.id]);
    service.startProcess({});
    await service.idle();
    const run = (await json(`/api/books/${book.id}`)).layers.find((l: any) => l.layer_id === "talker");
    expect(run.error).toMatch(/^interrupted: .*\(Retry \(plugin talker\) on the Health page retries it\)$/);
  });

  it("its last error in an auto-disable's note on the dashboard stays as it said it", async () => {
    // As the plugin manager words it (plugin-manager.ts AUTO_DISABLED).
    const reason = `auto-disabled after 3 consecutive failures (last: error: ${SAID})`;
    setPluginState(service.session.db, "talker", "auto-disabled", reason);
    service.checkPluginStates();
    const note = (await json("/api/status")).activity.map((a: any) => a.message).find((m: string) => m.startsWith("plugin talker"));
    expect(note).toContain(`(last: error: ${SAID})`);
    // The dashboard's "Needs you" line for it, too: only shelfwise's own words around the reason are the page's.
    await service.pluginsChanged();
    const problem = (await json("/api/status")).problems.find((p: any) => p.kind === "plugin_auto_disabled");
    expect(problem.message).toBe(`plugin talker is auto-disabled: ${reason}`);
  });
});
