/**
 * Advice a page shows points at a control on a page, never at a command to type: after a session that leaves
 * shelfwise's own advice everywhere (a plugin failing until it is auto-disabled, a plugin's calls interrupted by a
 * crash, a library folder gone, a locked book held back, a move undone whose book was taken away), no page's
 * visible text and no API answer names a `shelfwise ...` command; the Health page's "Retry" is the control the
 * interrupted calls' advice names, and it does what the advice says.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSampleLibrary } from "../../fixtures/sample-library.js";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { markInFlight } from "../../src/store/layer-runs.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, watchNotices, type Browser } from "./support.js";

const COMMAND = /`shelfwise /;

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;

async function api(method: string, url: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${url}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  expect(text, `${method} ${url}`).not.toMatch(COMMAND);
  return JSON.parse(text);
}

async function visibleText(hash: string): Promise<string> {
  await page.goto(`${base}/${hash}`);
  await page.locator("main h1").first().waitFor();
  // Each page loads its data after its heading: wait until nothing says it is loading.
  await page.waitForFunction(() => !document.querySelector("main [aria-busy=true]") && !/Loading…|Connecting…/.test(document.body.innerText));
  return page.evaluate(() => document.body.innerText);
}

describe.skipIf(CHROMIUM_MISSING)("advice on pages names page controls", () => {
  beforeAll(async () => {
    home = createHome({ config: { auto_disable_after: 2 } });
    writeSampleLibrary(home.library);
    home.plugin("flaky", { code: nodePlugin(`process() { throw new Error("lookup service said 503"); }`), manifest: { name: "Flaky lookup" } });
    home.plugin("steady", { code: nodePlugin(`process() { return null; }`), manifest: { name: "Steady lookup" } });
    ({ service, app, base, browser, page } = await openWebApp(home));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("shows no command to type on any page after a session full of advice, and Retry does what it says", async () => {
    // A second library folder, taken away before the scan: the scan says to remove it from the library folders.
    const gone = path.join(home.root, "old-library");
    fs.mkdirSync(path.join(gone, "Someone", "Something"), { recursive: true });
    fs.writeFileSync(path.join(gone, "Someone", "Something", "01.mp3"), "x");
    await api("POST", "/api/library", { path: gone });
    fs.rmSync(gone, { recursive: true });
    await api("POST", "/api/scan");
    await service.idle();
    await api("POST", "/api/process", {});
    await service.idle();
    const books = (await api("GET", "/api/books?limit=200")).books as { id: number }[];
    expect(books.length).toBeGreaterThan(3);
    // A crash while steady had a book: the next run settles it as interrupted, with advice to retry it.
    markInFlight(service.session.db, "steady", [books[0]!.id]);
    await api("POST", "/api/process", {});
    await service.idle();
    // A locked book is held back by the plan; a moved book taken away cannot be undone.
    await api("POST", `/api/books/${books[1]!.id}/lock`, { locked: true });
    expect((await api("GET", "/api/plan?limit=500")).locked.book_ids).toEqual([books[1]!.id]);
    await api("POST", "/api/apply", {});
    await service.idle();
    const history = await api("GET", "/api/history");
    const moved = history.moves?.find((m: any) => m.to_path) ?? history.entries?.find((m: any) => m.to_path);
    if (moved) {
      fs.rmSync(moved.to_path, { recursive: true, force: true });
      await api("POST", "/api/undo", { ids: [moved.id ?? moved.move_id] });
      await service.idle();
    }

    const status = await api("GET", "/api/status");
    const said = JSON.stringify(status);
    // The session left the advice this test is about (in page words).
    expect(said).toMatch(/flaky/);
    for (const url of ["/api/health", "/api/sources", "/api/layers", "/api/plugins", `/api/books/${books[0]!.id}`, `/api/books/${books[1]!.id}`, "/api/history"]) await api("GET", url);

    const hashes = ["#/", "#/books", `#/books/${books[0]!.id}`, `#/books/${books[1]!.id}`, "#/review", "#/pipeline", "#/plugins", "#/plugins/flaky", "#/health", "#/health/flaky", "#/health/steady", "#/settings"];
    for (const hash of hashes) expect(await visibleText(hash), hash).not.toMatch(COMMAND);

    // The interrupted call's advice names Retry on the Health page: it is there, next to the error, and retries.
    // The interrupted call's advice (on the book's page) names Retry on the Health page: it is there, and retries.
    await visibleText(`#/books/${books[0]!.id}`);
    await page.getByText("interrupted: shelfwise stopped while steady had this book, so its answer was lost; it is not sent again on its own, so that no call is made twice (Retry (plugin steady) on the Health page retries it)").waitFor();
    await visibleText("#/health");
    const errors = page.locator('[data-errors="plugin:steady"]');
    await expect(errors.locator('[data-field="failed_books"]').textContent()).resolves.toMatch(/^1 book whose last run failed or was interrupted/);
    const notices = await watchNotices(page);
    await errors.getByRole("button", { name: "Retry the failed books of plugin steady" }).click();
    await notices.shown("plugin steady enabled, 1 failed book will be retried");
    await errors.waitFor({ state: "detached" });
  });

  it("a proxy's error page or a bare status in place of shelfwise's answer is said in words, never shown as its HTML or a lone code", async () => {
    const proxyPage = `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`;
    await page.route("**/api/books?*", (route) => route.fulfill({ status: 502, contentType: "text/html", body: proxyPage }));
    await page.route("**/api/scan", (route) => route.fulfill({ status: 413, contentType: "application/json", body: "{}" }));
    try {
      await page.goto(`${base}/#/books`);
      const alert = page.locator("main [role=alert]").first();
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        "no answer from the shelfwise server behind the proxy (HTTP 502 Bad Gateway): it may be stopped or still starting; start it again (the shelfwise serve command) and try again.",
      );
      expect(await page.evaluate(() => document.body.innerText)).not.toContain("<");
      await page.goto(`${base}/#/`);
      await page.getByRole("button", { name: "Scan library" }).click();
      await page.locator(".notice.error", { hasText: "the request was too large for the server or the proxy in front of it (HTTP 413 Payload Too Large): send less at once" }).waitFor();
    } finally {
      await page.unrouteAll();
    }
  });
});
