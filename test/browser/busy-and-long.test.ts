/**
 * A large library's pages and a busy server, in a real chromium: a book of 20,000 files is sent 50 at first and the
 * rest only when asked for; while a job runs every layer's Run and Rerun are held (aria-disabled, the keyboard
 * stays) and the page says why, and the keyboard's fallback from a control disabled under it never lands on a
 * held one. And an HTTP source whose key would not be sent says why beside its key's field, with what to do.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { listBooks } from "../../src/store/books.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, watchNotices, type WebApp } from "./support.js";

let home: TestHome;
let web: WebApp;
let page: Page;
const FILES = 1_200;

const focused = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent?.trim() ?? null);

/** A job that runs until `finish` is called, as a long process does. */
function runningJob(): { finish: () => void } {
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  web.service.startJob("process", "process", async (job) => {
    web.service.progress(job, 1, 10);
    await ended;
    return "done";
  });
  return { finish };
}

describe.skipIf(CHROMIUM_MISSING)("a large library and a busy server", () => {
  beforeAll(async () => {
    home = createHome({ books: 2 });
    web = await openWebApp(home);
    page = web.page;
    web.service.startScan();
    await web.service.idle();
  });

  afterAll(() => closeWebApp({ ...(web ?? {}), home }));

  it("a book of 1,200 files (20,000 in server/book-files-api): its page gets 50 of them, and Show 500 more loads the rest and keeps the keyboard", async () => {
    const id = listBooks(web.service.session.db)[0]!.id;
    const files = Array.from({ length: FILES }, (_, i) => ({ path: `${home.root}/Chapter ${String(i + 1).padStart(5, "0")}.mp3`, size: 1000 }));
    web.service.session.db.prepare("UPDATE books SET files = ? WHERE id = ?").run(JSON.stringify(files), id);
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/books/${id}`);
    await page.goto(`${web.base}/#/books/${id}`);
    expect((await (await answer).body()).length).toBeLessThan(40_000);
    const items = page.locator("main ul.files > li");
    await expect.poll(() => items.count()).toBe(50);
    // 500 more a press (long-lists-and-saves), the last press the rest.
    const more = page.getByRole("button", { name: "Show 500 more of 1200 files" });
    await more.focus();
    for (const count of [550, 1050, FILES]) {
      await page.keyboard.press("Enter");
      await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(count);
    }
    expect(await items.last().textContent()).toContain("Chapter 01200.mp3");
    expect(await focused()).toBe("Show the first 50 files only");
    await page.keyboard.press("Enter");
    await expect.poll(() => items.count()).toBe(50);
    expect(await focused()).toBe("Show 500 more of 1200 files");
  });

  it("Pipeline: while a job runs, every layer's Run and Rerun are held with the reason, Enter sends nothing and the keyboard stays", async () => {
    await page.goto(`${web.base}/#/pipeline`);
    const run = page.getByRole("button", { name: "Run this layer: sidecar" });
    await run.waitFor();
    await page.locator(".live:not(.off)").waitFor();
    const job = runningJob();
    try {
      await expect.poll(() => run.getAttribute("aria-disabled")).toBe("true");
      const rerun = page.getByRole("button", { name: "Rerun for all books: path" });
      expect(await rerun.getAttribute("aria-disabled")).toBe("true");
      const why = page.locator("#layers-wait");
      expect(await why.isVisible()).toBe(true);
      expect(await why.textContent()).toMatch(/Run and Rerun wait while process runs/);
      expect(await run.getAttribute("aria-describedby")).toBe("layers-wait");
      const sent: string[] = [];
      const watch = (request: import("playwright-core").Request) => request.method() === "POST" && sent.push(new URL(request.url()).pathname);
      page.on("request", watch);
      await run.focus();
      await page.keyboard.press("Enter");
      await rerun.focus();
      await page.keyboard.press("Enter");
      // A request the page sent would reach the server before this read of the layers answers.
      await page.evaluate(() => fetch("/api/layers").then((r) => r.text()));
      page.off("request", watch);
      expect(sent).toEqual([]);
      expect(await focused()).toBe("Rerun for all books: path");
      expect(await page.locator("[data-confirm]").count()).toBe(0);
    } finally {
      job.finish();
      await web.service.idle();
    }
    await expect.poll(() => run.getAttribute("aria-disabled")).toBeNull();
    expect(await page.locator("#layers-wait").isVisible()).toBe(false);
  });

  it("Dashboard: Stop disabled under the keyboard while it is sent does not hand the focus to Scan library, held by the job", async () => {
    await page.goto(`${web.base}/#/`);
    await page.locator(".live:not(.off)").waitFor();
    const job = runningJob();
    const stop = page.locator("main").getByRole("button", { name: "Stop" });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const came = new Promise<void>((resolve) => (arrived = resolve));
    await page.route("**/api/stop", async (route) => {
      arrived();
      await held;
      await route.continue();
    });
    try {
      await stop.focus();
      await page.keyboard.press("Enter");
      await came;
      // keepFocusOnDisable places the focus on a timer after the button is disabled.
      await expect.poll(() => page.evaluate(() => document.activeElement !== null && document.activeElement !== document.body && document.activeElement.textContent?.trim() !== "Stop")).toBe(true);
      const landed = await page.evaluate(() => ({ label: document.activeElement?.textContent?.trim(), held: document.activeElement?.getAttribute("aria-disabled") }));
      expect(landed.held, `the focus landed on ${landed.label}`).not.toBe("true");
    } finally {
      release();
      job.finish();
      await web.service.idle();
      await page.unrouteAll();
    }
  });

  it("Settings on a slow server: Save says it is waiting, and Enter pressed again sends nothing more", async () => {
    await page.goto(`${web.base}/#/settings`);
    const field = page.locator('input[name="confidence_threshold"]');
    await field.waitFor();
    await field.fill("61");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let puts = 0;
    await page.route("**/api/settings", async (route) => {
      if (route.request().method() !== "PUT") return route.continue();
      puts++;
      await held;
      await route.continue();
    });
    try {
      const notices = await watchNotices(page);
      await field.press("Enter");
      await expect.poll(() => page.locator("[data-saving]").textContent()).toBe("saving… (waiting for the server)");
      // The page says it is waiting as soon as it calls fetch; the browser hands the request to the route a moment later.
      await expect.poll(() => puts).toBe(1);
      await field.press("Enter");
      expect(puts).toBe(1);
      release();
      await notices.shown("settings saved", { kind: "ok" });
      expect(await page.locator("[data-saving]").textContent()).toBe("");
      expect(puts).toBe(1);
    } finally {
      release();
      await page.unrouteAll();
    }
  });

  it("Sources: a source whose key is not in secrets.json says so beside the API key field, with what to do here", async () => {
    home.writeConfig({ http_sources: [{ id: "abs", preset: "audiobookshelf", url: "https://abs.example", auth: { type: "header", header: "Authorization", credential: "abs_key" } }] });
    web.service.reloadConfig();
    await page.goto(`${web.base}/#/plugins`);
    const edit = page.getByRole("button", { name: "Edit abs", exact: true });
    await edit.click();
    const key = page.getByLabel("API key");
    await key.waitFor();
    const problem = page.locator("[data-credential-problem]");
    expect(await problem.textContent()).toMatch(/The key is not sent: .*"abs_key", which is not in secrets\.json.*type the API key above and save/);
    // Read with the field by a screen reader, not only seen beside it.
    expect((await key.getAttribute("aria-describedby"))?.split(" ")).toContain(await problem.getAttribute("id"));
    await key.fill("a-new-key");
    await expect.poll(() => problem.count()).toBe(0);
  });
});
