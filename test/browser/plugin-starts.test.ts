/**
 * A plugin's last start on the Plugins page, a plugin's page and the Health pages, as `plugins list --json` reports
 * it from the same record (migration 24): when it last started, and whether its start check failed and why, the
 * reason shown as text (markup in it never runs) and never holding a secret value.
 */
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginListView } from "../../src/app/views/plugin-entry.js";
import type { ShelfService } from "../../src/server/service.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type Browser } from "./support.js";

const SECRET = "sk-live-7f3a9c2e51";
const MARKUP = `<img src=x onerror="window.__ran=1">`;

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
const consoleErrors: string[] = [];

describe.skipIf(CHROMIUM_MISSING)("a plugin's last start on the pages", () => {
  beforeAll(async () => {
    home = createHome();
    home.writeSecrets({ api_key: SECRET });
    home.plugin("good", { code: nodePlugin(`process() { return null; }`), manifest: { name: "Good" } });
    // Its setup fails, its error echoing the key (masked) and holding markup.
    home.plugin("broken", {
      code: nodePlugin(`setup(config, secrets) { throw new Error("key " + secrets.api_key + " refused ${MARKUP.replace(/"/g, '\\"')}"); }\nprocess() { return null; }`),
      manifest: { name: "Broken", requires_secrets: ["api_key"] },
    });
    ({ service, app, base, browser, page } = await openWebApp(home));
    page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("the Plugins page says when each started and why one's start check failed, as `plugins list --json` does", async () => {
    const cli = await runCliInProcess(["plugins", "list", "--json"], { dataDir: home.dataDir });
    const listed = PluginListView.parse(JSON.parse(cli.stdout));
    const good = listed.find((p) => p.id === "good")!;
    const broken = listed.find((p) => p.id === "broken")!;
    expect(good).toMatchObject({ state: "active", start_check: "last_start", last_start: expect.any(String) });
    expect(broken).toMatchObject({ state: "failed", start_check: "last_start", last_start: expect.any(String) });

    await page.goto(`${base}/#/plugins`);
    const goodCell = page.locator("tr", { hasText: "Good" }).locator('td[data-field="last_start"]');
    const brokenCell = page.locator("tr", { hasText: "Broken" }).locator('td[data-field="last_start"]');
    await goodCell.locator('[data-start="ok"]').waitFor();
    await expect(goodCell.locator("time").getAttribute("datetime")).resolves.toBe(good.last_start);
    await brokenCell.locator('[data-start="failed"]').waitFor();
    await expect(brokenCell.locator("time").getAttribute("datetime")).resolves.toBe(broken.last_start);
    const reason = (await brokenCell.locator('[data-field="last_start_reason"]').textContent())!;
    expect(reason).toContain("refused");
    expect(reason).toContain(MARKUP);
    expect(reason).not.toContain(SECRET);
    expect(await page.evaluate(() => (window as { __ran?: number }).__ran)).toBeUndefined();
    expect(await page.content()).not.toContain(SECRET);

    await page.goto(`${base}/#/plugins/broken`);
    const detail = page.locator('dd[data-field="last_start"]');
    await detail.locator('[data-start="failed"]').waitFor();
    await expect(detail.locator("time").getAttribute("datetime")).resolves.toBe(broken.last_start);
  });

  it("the dashboard's problem says when the start failed and why, in the plugin pages' words", async () => {
    const broken = PluginListView.parse(JSON.parse((await runCliInProcess(["plugins", "list", "--json"], { dataDir: home.dataDir })).stdout)).find((p) => p.id === "broken")!;
    await page.goto(`${base}/#/`);
    const problem = page.locator('li[data-problem="plugin_failed"]');
    const start = problem.locator('[data-start="failed"]');
    await start.waitFor();
    await expect(start.locator("time").getAttribute("datetime")).resolves.toBe(broken.last_start);
    expect(await start.textContent()).toMatch(/^start check failed .+: key .* refused /);
    expect(await problem.getByRole("link", { name: "plugin broken is failed" }).getAttribute("href")).toBe("#/plugins/broken");
    const reason = (await start.locator('[data-field="last_start_reason"]').textContent())!;
    expect(reason).toContain(MARKUP);
    expect(reason).not.toContain(SECRET);
    expect(await page.evaluate(() => (window as { __ran?: number }).__ran)).toBeUndefined();
    expect(await page.content()).not.toContain(SECRET);
  });

  it("the Health page and a plugin's health page say the same", async () => {
    await page.goto(`${base}/#/health`);
    const row = page.locator('tr[data-plugin="broken"]');
    await row.locator('td[data-field="last_start"] [data-start="failed"]').waitFor();
    await page.locator('tr[data-plugin="good"] td[data-field="last_start"] [data-start="ok"]').waitFor();
    await page.goto(`${base}/#/health/broken`);
    await page.locator('dd[data-field="last_start"] [data-start="failed"]').waitFor();
    expect(await page.content()).not.toContain(SECRET);
    expect(consoleErrors).toEqual([]);
  });
});
