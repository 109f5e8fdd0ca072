/**
 * A book's long file list in a real chromium, shown 500 more a press (20,000 list items at once took seconds), its
 * files fetched once however often the page reloads; and the forms that wait on the server (Library folders' Add,
 * an HTTP source's Save) say they wait, as Settings' save does (busy-and-long), and send once.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { listBooks } from "../../src/store/books.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, watchNotices, type WebApp } from "./support.js";

let home: TestHome;
let web: WebApp;
let page: Page;
const FILES = 1_200;

const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? null);

describe.skipIf(CHROMIUM_MISSING)("long lists and slow saves", () => {
  beforeAll(async () => {
    home = createHome({ books: 1 });
    web = await openWebApp(home);
    page = web.page;
    web.service.startScan();
    await web.service.idle();
  });

  afterAll(() => closeWebApp({ ...(web ?? {}), home }));

  it("a book of 1,200 files: 500 more a press with the keyboard kept on the button, fetched once however often the page reloads", async () => {
    const id = listBooks(web.service.session.db)[0]!.id;
    const files = Array.from({ length: FILES }, (_, i) => ({ path: `${home.root}/Chapter ${String(i + 1).padStart(5, "0")}.mp3`, size: 1000 }));
    web.service.session.db.prepare("UPDATE books SET files = ? WHERE id = ?").run(JSON.stringify(files), id);
    const fetched: string[] = [];
    const watch = (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/books/${id}/files`) fetched.push(url.search);
    };
    page.on("request", watch);
    try {
      await page.goto(`${web.base}/#/books/${id}`);
      const items = page.locator("main ul.files > li");
      await expect.poll(() => items.count()).toBe(50);
      const more = page.getByRole("button", { name: "Show 500 more of 1200 files" });
      const status = page.locator("main ul.files + p [role=status]");
      await more.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => items.count()).toBe(550);
      expect(await status.textContent()).toBe("(550 of 1200 shown)");
      expect(await focused()).toBe("Show 500 more of 1200 files");
      await page.keyboard.press("Enter");
      await expect.poll(() => items.count()).toBe(1050);
      expect(await focused()).toBe("Show all 1200 files");
      await page.keyboard.press("Enter");
      await expect.poll(() => items.count()).toBe(FILES);
      expect(await items.last().textContent()).toContain("Chapter 01200.mp3");
      expect(await focused()).toBe("Show the first 50 files only");
      expect(await status.textContent()).toBe("(all shown)");
      // Each press fetched only what it showed.
      expect(fetched).toEqual(["?offset=50&limit=500", "?offset=550&limit=500", "?offset=1050&limit=150"]);

      // Any data event reloads the page: the files already fetched stay, and none is fetched again.
      for (let i = 0; i < 2; i++) {
        const reloaded = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/books/${id}`);
        web.service.dataChanged();
        await reloaded;
        // An effect the reload caused has sent its request before a request sent after the next frame.
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
        await page.evaluate(() => fetch("/api/status").then((r) => r.text()));
      }
      expect(fetched).toHaveLength(3);
      expect(await items.count()).toBe(FILES);
      expect(await focused()).toBe("Show the first 50 files only");
      await page.keyboard.press("Enter");
      await expect.poll(() => items.count()).toBe(50);
      expect(await focused()).toBe("Show 500 more of 1200 files");
    } finally {
      page.off("request", watch);
    }
  });

  /** Holds the first `method` request to `url` until the returned release is called; counts every one sent. */
  async function holdRequests(url: string, method: string): Promise<{ sent: () => number; release: () => void }> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let sent = 0;
    await page.route(url, async (route) => {
      if (route.request().method() !== method) return route.continue();
      sent++;
      await held;
      await route.continue();
    });
    return { sent: () => sent, release };
  }

  it("Settings' Add folder on a slow server says it is waiting, and Enter pressed again sends nothing more", async () => {
    const folder = path.join(home.root, "More books");
    fs.mkdirSync(path.join(folder, "A Book"), { recursive: true });
    fs.writeFileSync(path.join(folder, "A Book", "01.mp3"), "x");
    await page.goto(`${web.base}/#/settings`);
    const field = page.getByLabel("Add folder");
    await field.fill(folder);
    const hold = await holdRequests("**/api/library", "POST");
    try {
      const status = page.locator("[data-library-waiting]");
      const notices = await watchNotices(page);
      await field.press("Enter");
      await expect.poll(() => status.textContent()).toBe("adding… (waiting for the server)");
      // The page says it is waiting as soon as it calls fetch; the browser hands the request to the route a moment later.
      await expect.poll(() => hold.sent()).toBe(1);
      await field.press("Enter");
      expect(hold.sent()).toBe(1);
      hold.release();
      await notices.shown("folder added");
      expect(await status.textContent()).toBe("");
      expect(hold.sent()).toBe(1);
    } finally {
      hold.release();
      await page.unrouteAll();
    }
  });

  it("an HTTP source's Save on a slow server says it is waiting, and Enter pressed again sends nothing more", async () => {
    await page.goto(`${web.base}/#/plugins`);
    await page.getByRole("button", { name: "Add HTTP source" }).click();
    const form = page.getByRole("form", { name: "Add HTTP source" });
    await form.getByLabel("Kind").selectOption({ label: "Any JSON API (custom)" });
    const id = form.getByRole("textbox", { name: "Id", exact: true });
    await id.fill("slow-api");
    await form.getByLabel("URL template").fill("https://api.example/search?q={{title}}");
    await form.getByLabel("Response mapping (JSON)").fill('{"title": "$.title"}');
    await form.getByLabel("Authentication").selectOption({ label: "none" });
    const hold = await holdRequests("**/api/sources", "POST");
    try {
      const status = form.locator("[data-saving]");
      await id.press("Enter");
      await expect.poll(() => status.textContent()).toBe("saving… (waiting for the server)");
      // The page says it is waiting as soon as it calls fetch; the browser hands the request to the route a moment later.
      await expect.poll(() => hold.sent()).toBe(1);
      await id.press("Enter");
      expect(hold.sent()).toBe(1);
      hold.release();
      // Saved: the form closes, the source listed.
      await form.waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Edit slow-api", exact: true }).waitFor();
      expect(hold.sent()).toBe(1);
    } finally {
      hold.release();
      await page.unrouteAll();
    }
  });
});
