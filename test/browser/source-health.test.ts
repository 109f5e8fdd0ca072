/**
 * The health dashboard shows every layer that calls out: plugins and HTTP sources alike. An HTTP source that
 * keeps failing (the Audiobookshelf provider fixture on 127.0.0.1, asked with a wrong key) is auto-disabled;
 * the dashboard lists it beside the plugins with the same metrics and its reason, its own page draws its calls
 * and filters its call log, and Re-enable brings it back. Before, sources' health was on the Plugins page only.
 */
import fs from "node:fs";
import path from "node:path";
import { writeMp3 } from "../../fixtures/audio.js";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProviderFixture, type ProviderFixture } from "../../fixtures/audiobookshelf/provider-server.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { SourceListSchema } from "../../src/app/http-sources.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, screenshot, type Browser } from "./support.js";

let home: TestHome;
let provider: ProviderFixture;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;

async function go(hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.locator("main h1").first().waitFor();
}

describe.skipIf(CHROMIUM_MISSING)("HTTP sources on the health dashboard", () => {
  beforeAll(async () => {
    provider = await startProviderFixture("the-right-key-0123456789");
    home = createHome({
      config: {
        auto_disable_after: 2,
        http_sources: [
          {
            id: "abs-provider",
            name: "My ABS provider",
            preset: "audiobookshelf",
            url: provider.url,
            auth: { type: "header", header: "Authorization", credential: "abs_key" },
            allow_private: true,
            concurrency: 1,
            only_below_confidence: 100,
            breaker_failures: 100,
          },
        ],
      },
    });
    home.writeSecrets({ abs_key: "a-wrong-key-0123456789" });
    // Books nothing local identifies well: the source is asked about each (confident books are skipped).
    for (const folder of ["x1", "x2", "x3", "x4"]) {
      fs.mkdirSync(path.join(home.library, folder), { recursive: true });
      writeMp3(path.join(home.library, folder, "01.mp3"), { title: "Chapter 1" });
    }
    ({ service, app, base, browser, page } = await openWebApp(home));
    service.startScan();
    await service.idle();
    service.startProcess({});
    await service.idle();
  });

  afterAll(async () => {
    await closeWebApp({ browser, app, service });
    await provider?.close();
    home?.cleanup();
  });

  it("lists the auto-disabled source beside the plugins with the same metrics, its page and call log, and re-enables it", async () => {
    const [listed] = SourceListSchema.parse(await (await fetch(`${base}/api/sources`)).json());
    expect(listed).toMatchObject({ id: "abs-provider", state: "auto-disabled", health: { consecutive_failures: 2, total_processed: 2, failed_books: 2 } });
    expect(listed!.health.p95_duration_ms).not.toBeNull();

    await go("#/health");
    const row = page.locator('tr[data-source="abs-provider"]');
    await row.waitFor();
    await screenshot(page, "40-health-source-auto-disabled");
    const cell = (field: string) => row.locator(`[data-field="${field}"]`).textContent();
    expect(await row.locator(".badge").first().textContent()).toBe("auto-disabled");
    expect(await cell("reason")).toMatch(/auto-disabled after 2 consecutive failures/);
    expect(await cell("success_rate")).toBe("0%");
    expect(await cell("total_processed")).toBe("2");
    expect(await cell("consecutive_failures")).toBe("2");
    expect(await cell("p95_duration_ms")).toBe(String(listed!.health.p95_duration_ms));
    expect(await row.getByRole("link").textContent()).toBe("My ABS provider");
    await page.locator('[data-errors="source:abs-provider"] li').first().waitFor();
    // The books it failed, as a plugin's row counts them (the Retry and Re-enable ask for them again).
    expect(await page.locator('[data-errors="source:abs-provider"] [data-field="failed_books"]').textContent()).toMatch(/^2 books whose last run failed/);
    await page.getByText("No plugins: drop one into the plugin folder").waitFor();

    // Its own page: the same figures, the chart, the call log filtered by outcome.
    await row.getByRole("link").click();
    await page.getByRole("heading", { name: /My ABS provider/ }).waitFor();
    expect(await page.locator('[data-field="total_processed"]').textContent()).toBe("2");
    await page.locator(".chart canvas").waitFor();
    await page.getByLabel("Outcome").selectOption("error");
    await page.waitForURL(/#\/health\/source\/abs-provider\?outcome=error$/);
    await expect.poll(() => page.locator("table.calls tbody tr").count()).toBe(2);
    await page.getByLabel("Outcome").selectOption("ok");
    await page.locator("table.calls tbody tr").first().waitFor({ state: "detached" });
    await screenshot(page, "41-health-source-detail");
    // An outcome the API does not know (an edited address): the call log says so by the select's label, not `query.outcome`.
    await go("#/health/source/abs-provider?outcome=bogus");
    const refused = page.locator("main [role=alert]", { hasText: /^Outcome: / });
    await refused.waitFor();
    expect(await refused.textContent()).not.toContain("query.");

    // The dashboard's "Needs you" and the Plugins page's sources list lead to the same page.
    await go("#/");
    await page.getByRole("link", { name: /HTTP source abs-provider is auto-disabled/ }).click();
    await page.waitForURL(/#\/health\/source\/abs-provider$/);
    await go("#/plugins");
    await page.getByRole("link", { name: /^Health of source abs-provider: 2 calls$/ }).click();
    await page.getByRole("heading", { name: /My ABS provider/ }).waitFor();

    // Re-enable from the dashboard, keyboard only: the source's reset (its failed books are retried).
    await go("#/health");
    const button = page.locator('tr[data-source="abs-provider"]').getByRole("button", { name: "Re-enable HTTP source abs-provider" });
    await button.focus();
    await page.keyboard.press("Enter");
    await page.getByText(/source abs-provider reset/).waitFor();
    // The keyboard stays in the source's row (its link), not sent to the page's heading while the button was busy.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr[data-source="abs-provider"]') ? document.activeElement.textContent : `not in the row: ${document.activeElement?.outerHTML.slice(0, 80)}`)).toBe("My ABS provider");
    await expect
      .poll(async () => SourceListSchema.parse(await (await fetch(`${base}/api/sources`)).json())[0]!.state)
      .not.toBe("auto-disabled");
    expect(SourceListSchema.parse(await (await fetch(`${base}/api/sources`)).json())[0]!.health.failed_books).toBe(0);
  });

  it("answers 404 in words for a source that does not exist", async () => {
    for (const url of ["/api/sources/nope/health", "/api/sources/nope/calls"]) {
      const response = await fetch(`${base}${url}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: string }).error).toMatch(/no HTTP source with id "nope"; known: abs-provider/);
    }
    await page.goto(`${base}/#/health/source/nope`);
    await page.getByRole("alert").getByText(/no HTTP source with id "nope"/).waitFor();
  });

  it("the Plugins page with no plugin: the plugins under a heading of their own, not the HTTP sources', and no empty table", async () => {
    await page.goto(`${base}/#/plugins`);
    const installed = page.getByRole("region", { name: "Installed plugins" });
    await installed.getByText("No plugins yet. A plugin is a folder: copy one").waitFor();
    const headings = await page.locator("main").locator("h1, h2").evaluateAll((els) => els.map((el) => `${el.tagName} ${el.textContent}`));
    expect(headings).toEqual(["H1 Plugins", "H2 HTTP sources", "H2 Installed plugins"]);
    expect(await page.getByRole("columnheader", { name: "Last start" }).count()).toBe(0);
  });
});
