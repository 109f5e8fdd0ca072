/**
 * Re-enable and Retry on the Health pages, keyboard only, in chromium: each is a control of its own (not inside the
 * paragraph of the layer's state, nor inside the "last errors" heading, which a screen reader read as one with
 * it), and once it has acted the keyboard is on what took its place (the reset's message), or, when the layer's
 * last errors are gone with it, on that layer's row of the table: never left on the page's heading or on nothing.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSampleLibrary } from "../../fixtures/sample-library.js";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import { markInFlight } from "../../src/store/layer-runs.js";
import { listBooks } from "../../src/store/books.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type WebApp } from "./support.js";

let home: TestHome;
let web: WebApp;
let page: Page;

/** The focused element, described: its tag, its data attribute naming it and its text. */
const focused = () => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}${el.hasAttribute("data-reset-done") ? "[data-reset-done]" : ""}: ${(el.textContent ?? "").trim()}` : "nothing";
});

/** Marks a book of `plugin` as in flight, as a crash leaves it, and runs: the run settles it as interrupted (Retry's matter). */
async function interrupt(plugin: string): Promise<void> {
  const [book] = listBooks(web.service.session.db);
  markInFlight(web.service.session.db, plugin, [book!.id]);
  web.service.startProcess({});
  await web.service.idle();
}

describe.skipIf(CHROMIUM_MISSING)("Re-enable and Retry on the Health pages", () => {
  beforeAll(async () => {
    home = createHome({ config: { auto_disable_after: 2 } });
    writeSampleLibrary(home.library);
    home.plugin("flaky", { code: nodePlugin(`process() { throw new Error("lookup service said 503"); }`), manifest: { name: "Flaky lookup" } });
    home.plugin("steady", { code: nodePlugin(`process() { return null; }`), manifest: { name: "Steady lookup" } });
    web = await openWebApp(home);
    page = web.page;
    web.service.startScan();
    await web.service.idle();
    web.service.startProcess({});
    await web.service.idle();
  });

  afterAll(() => closeWebApp({ ...(web ?? {}), home }));

  it("a plugin's page: Re-enable stands apart from its state, and the keyboard lands on what it said", async () => {
    await page.goto(`${web.base}/#/health/flaky`);
    const button = page.getByRole("button", { name: "Re-enable plugin flaky" });
    await button.waitFor();
    expect(await button.evaluate((el) => el.closest("p, h1, h2, h3, h4, h5, h6, dt, dd") === null)).toBe(true);
    await button.focus();
    await page.keyboard.press("Enter");
    await button.waitFor({ state: "detached" });
    await expect.poll(focused).toMatch(/^p\[data-reset-done\]: plugin flaky enabled/);
    // It stays there after the page has drawn the plugin as it is now (enabled), not sent to the heading.
    await page.locator("main .badge", { hasText: /^(enabled|active|idle)$/ }).first().waitFor();
    expect(await focused()).toMatch(/^p\[data-reset-done\]: plugin flaky enabled/);
  });

  it("a plugin's page: Retry acts the same, its message keeping the keyboard", async () => {
    await interrupt("steady");
    await page.goto(`${web.base}/#/health/steady`);
    const button = page.getByRole("button", { name: "Retry the failed books of plugin steady" });
    await button.waitFor();
    expect(await button.evaluate((el) => el.closest("p, h1, h2, h3, h4, h5, h6") === null)).toBe(true);
    await button.focus();
    await page.keyboard.press("Enter");
    await button.waitFor({ state: "detached" });
    await expect.poll(focused).toMatch(/^p\[data-reset-done\]: plugin steady enabled, 1 failed book will be retried/);
    await page.locator('[data-field="failed_books"]').waitFor({ state: "detached" });
    expect(await focused()).toMatch(/^p\[data-reset-done\]/);
  });

  it("the dashboard's last errors: Retry is not inside their heading, and once they are gone the keyboard is on the plugin's row", async () => {
    await interrupt("steady");
    await page.goto(`${web.base}/#/health`);
    const errors = page.locator('[data-errors="plugin:steady"]');
    const button = errors.getByRole("button", { name: "Retry the failed books of plugin steady" });
    await button.waitFor();
    expect(await button.evaluate((el) => el.closest("h1, h2, h3, h4, h5, h6, p") === null)).toBe(true);
    // The heading is a heading, named for the plugin's errors alone.
    expect(await errors.getByRole("heading").textContent()).toBe("steady: last errors");
    await button.focus();
    await page.keyboard.press("Enter");
    await errors.waitFor({ state: "detached" });
    await expect.poll(() => page.evaluate(() => (document.activeElement?.closest("tr[data-plugin=steady]") ? document.activeElement.textContent : `not in the row: ${document.activeElement?.outerHTML.slice(0, 80)}`))).toBe("Steady lookup");
  });

  it("a plugin with 100,000 recorded calls: its call log opens on the newest 100 and pages to older ones and back", async () => {
    const db = web.service.session.db;
    // One statement: 100,000 rows inserted one by one cost seconds of the suite's time.
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
       INSERT INTO plugin_calls (plugin_id, book_id, at, outcome, duration_ms, resolved, error)
       SELECT 'steady', NULL, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds'), CASE WHEN i % 10 = 0 THEN 'error' ELSE 'no_result' END, 1.5, 0,
              CASE WHEN i % 10 = 0 THEN 'call ' || i || ' failed' END FROM n`,
    ).run();
    const asked: string[] = [];
    page.on("request", (request) => request.url().includes("/calls") && asked.push(request.url()));
    await page.goto(`${web.base}/#/health/steady`);
    const rows = page.locator("table.calls tbody tr");
    await expect.poll(() => rows.count()).toBe(100);
    const ids = async () => (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-call")))));
    const newest = await ids();
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
    expect(await page.locator('[data-field="calls_shown"]').textContent()).toMatch(/^Newest calls: 100 calls shown, newest first; Older calls shows the next ones\.$/);
    const pager = page.getByRole("navigation", { name: "Pages of calls" });
    expect(await pager.getByRole("button", { name: "Newest" }).isDisabled()).toBe(true);
    // Keyboard only, as the books' pages.
    await pager.getByRole("button", { name: "Older calls" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await ids())[0]).toBe(newest[99]! - 1);
    expect(await ids()).toHaveLength(100);
    expect(page.url()).toContain(`before=${newest[99]}`);
    // Filtered by outcome, paged the same way.
    await page.getByLabel("Outcome").selectOption("error");
    await expect.poll(async () => (await rows.allTextContents()).every((text) => /error.*call \d+ failed/.test(text)) && (await rows.count()) === 100).toBe(true);
    expect(page.url()).not.toContain("before=");
    // Back returns to the older page of all calls, as it was.
    await page.goBack();
    await expect.poll(async () => (await ids())[0]).toBe(newest[99]! - 1);
    // Never more than one page asked of the server at once.
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((url) => new URL(url).searchParams.get("limit") === "101")).toBe(true);
  });
});
