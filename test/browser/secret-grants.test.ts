/**
 * A secret on a plugin's page in a real browser: a name another plugin id already has (its value in
 * secrets.json) shows as set but not granted, the plugin skipped; Grant shares it and the plugin runs. An invalid
 * plugin's secrets show no grant standing, as `plugins list` prints none for it.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { openDatabase } from "../../src/store/database.js";
import { grantOnFirstUse } from "../../src/store/plugin-grants.js";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, watchNotices, type Browser } from "./support.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;

describe.skipIf(CHROMIUM_MISSING)("secret grants on the plugin page", () => {
  beforeAll(async () => {
    home = createHome();
    home.writeSecrets({ shared_key: "value-for-another-plugin", "plugin_configs.vaulted.api_key": "sk-vaulted-3390" });
    // The plugin that asked for shared_key first (granted then); "keyed" is dropped in after it.
    const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
    grantOnFirstUse(db, [{ pluginId: "first", names: ["shared_key"] }]);
    db.close();
    home.plugin("keyed", { code: nodePlugin(`process() { return null; }`), manifest: { name: "Keyed", requires_secrets: ["shared_key"] } });
    // An invalid plugin asking for the same name: its grants are not looked at (no process, nothing handed over).
    home.plugin("broken", { code: nodePlugin(`process() { return null; }`), manifest: { name: "Broken", entry_point: "missing.js", requires_secrets: ["shared_key"] } });
    home.plugin("vaulted", {
      code: nodePlugin(`process() { return null; }`),
      manifest: { name: "Vaulted", config_schema: { type: "object", properties: { api_key: { type: "string", title: "API key", writeOnly: true }, region: { type: "string" } } } },
    });
    ({ service, app, base, browser, page } = await openWebApp(home));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("shows a secret another plugin has as set but not granted, with the plugin that has it; Grant makes the plugin active", async () => {
    await page.goto(`${base}/#/plugins/keyed`);
    await page.locator("main h1").first().waitFor();
    const form = page.locator("form.inline", { hasText: "shared_key" });
    await form.locator(".badge", { hasText: /^not granted$/ }).waitFor();
    await form.getByText("held by plugin first: Grant shares it with this plugin").waitFor();
    await expect(form.locator(".badge").first().textContent()).resolves.toBe("set");
    await page.locator("main .badge", { hasText: /^skipped$/ }).first().waitFor();
    await page.getByText("needs secret shared_key, which is granted to plugin first").first().waitFor();
    await page.getByRole("button", { name: "Grant shared_key to keyed" }).click();
    await form.locator(".badge", { hasText: /^granted$/ }).waitFor();
    await page.locator("main .badge", { hasText: /^active$/ }).first().waitFor();
    await expect(page.getByRole("button", { name: "Revoke shared_key from keyed" }).count()).resolves.toBe(1);
    // Revoked is what the user did, not a name nobody granted yet.
    await page.getByRole("button", { name: "Revoke shared_key from keyed" }).click();
    await form.locator(".badge", { hasText: /^revoked$/ }).waitFor();
    await page.getByText("needs secret shared_key, revoked from it").first().waitFor();
  });

  it("shows an invalid plugin's secret as set, with no grant standing and no Grant button: its reason says what to fix", async () => {
    await page.goto(`${base}/#/plugins/broken`);
    await page.locator("main .badge", { hasText: /^invalid$/ }).first().waitFor();
    const form = page.locator("form.inline", { hasText: "shared_key" });
    await form.getByText("its grants are looked at once its manifest is fixed").waitFor();
    await expect(form.locator(".badge").allTextContents()).resolves.toEqual(["set"]);
    await expect(form.getByText(/not granted|held by/).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: /Grant shared_key/ }).count()).resolves.toBe(0);
  });

  it("a value refused (only white space) is shown beside its field, which gets the focus; secrets.json keeps its value", async () => {
    await page.goto(`${base}/#/plugins/keyed`);
    const field = page.getByLabel("New value for shared_key");
    await field.fill("   ");
    await page.locator("form.inline", { hasText: "shared_key" }).getByRole("button", { name: "Replace" }).click();
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await field.getAttribute("aria-describedby"))!;
    expect(await page.locator(`#${describedBy}`).textContent()).toBe("must not be only white space");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("New value for shared_key");
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8")).shared_key).toBe("value-for-another-plugin");
  });

  it("clears a stored secret setting from its form, by keyboard, after a confirmation of its own, at 360 px too", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    try {
      await page.goto(`${base}/#/plugins/vaulted`);
      const field = page.getByLabel("API key", { exact: true });
      await expect.poll(() => field.getAttribute("placeholder")).toBe("set (type to replace)");
      await page.getByRole("button", { name: "Clear", exact: true }).focus();
      await page.keyboard.press("Enter");
      const really = page.getByRole("button", { name: "Really clear API key" });
      // The question takes the focus; Escape takes it back, and nothing is cleared.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Really clear API key");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Clear", exact: true }).waitFor();
      expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8"))["plugin_configs.vaulted.api_key"]).toBe("sk-vaulted-3390");
      // The keyboard is back on Clear (it was left on the page's body); "Keep it" does the same.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Clear");
      await page.keyboard.press("Enter");
      await page.getByRole("button", { name: "Keep it" }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Clear");
      await page.keyboard.press("Enter");
      // Within the page's width at 360 px.
      const box = (await page.locator(".confirm", { hasText: "Remove the stored API key?" }).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      await really.focus();
      const notices = await watchNotices(page);
      await page.keyboard.press("Enter");
      await notices.shown("API key cleared");
      await expect.poll(() => field.getAttribute("placeholder")).toBe("not set");
      await expect(page.getByRole("button", { name: "Clear", exact: true }).count()).resolves.toBe(0);
      const secrets = JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8"));
      expect(secrets).not.toHaveProperty(["plugin_configs.vaulted.api_key"]);
      expect(secrets.shared_key).toBe("value-for-another-plugin");
      // The CLI on the same data folder reads it as not set.
      const listed = await home.json<{ name: string; state: string }[]>(["secrets", "list"]);
      expect(listed.find((row) => row.name === "plugin_configs.vaulted.api_key")?.state).toBe("not_set");
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
