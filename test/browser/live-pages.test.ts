/**
 * Open pages while the server lives its life, in a real chromium: across a
 * restart an open page says it is offline while the server is down,
 * reconnects on its own when it is back, and then shows what changed
 * meanwhile (a command run while the server was stopped), not what it had
 * loaded before; and what the user is typing survives the page being drawn
 * again when the server says something changed (every status event of a run).
 */
import http from "node:http";
import { once } from "node:events";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { openDatabase } from "../../src/store/database.js";
import { CHROMIUM_MISSING, openBrowser, screenshot, type Browser } from "./support.js";

let home: TestHome;
let service: ShelfService | undefined;
let app: FastifyInstance | undefined;
let port = 0;
let browser: Browser;
let page: Page;

async function start(token: string | null = null): Promise<void> {
  service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
  app = await buildServer(service, { host: "127.0.0.1", token });
  await app.listen({ host: "127.0.0.1", port });
  port = (app.server.address() as { port: number }).port;
}

/**
 * Waits until the page has drawn what `answer` brought: its body read whole, then a frame and a task after it
 * (the page reads the body, sets its state and renders in the tasks before; pages.test.ts waits the same way).
 */
async function drawnAfter(answer: Promise<Response>): Promise<void> {
  await (await answer).finished();
  await page.evaluate(() => new Promise((drawn) => requestAnimationFrame(() => setTimeout(drawn))));
}

async function stop(): Promise<void> {
  await app?.close();
  await service?.close();
  app = undefined;
  service = undefined;
}

describe.skipIf(CHROMIUM_MISSING)("the pages across a server restart", () => {
  beforeAll(async () => {
    // Three books: the pages here are about the connection, not the library (the sample library's scan cost more).
    home = createHome({ books: 3 });
    await start();
    const scanned = await fetch(`http://127.0.0.1:${port}/api/scan`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(scanned.status).toBe(202);
    await service!.idle();
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await stop();
    home?.cleanup();
  });

  it("a running job is announced when it starts and when it ends, not at every progress tick (the progress is not live)", async () => {
    await page.goto(`http://127.0.0.1:${port}/#/`);
    await page.locator("main h1").first().waitFor();
    await page.locator(".live:not(.off)").waitFor();
    // Every text a live region held, each time the page changed: what a screen reader would have been told.
    await page.evaluate(() => {
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      const live = () => [...document.querySelectorAll('[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]')].map((el) => el.textContent ?? "").join(" | ");
      new MutationObserver(() => {
        const now = live();
        if (said.at(-1) !== now) said.push(now);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    let tick: () => void = () => {};
    const ticked = new Promise<void>((resolve) => (tick = resolve));
    let finish: () => void = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    service!.startJob("apply", "apply", async (job) => {
      service!.progress(job, 1, 10);
      await ticked;
      service!.progress(job, 2, 10);
      await held;
      return "moved 10";
    });
    const announcer = page.locator("[data-job-announce]");
    await announcer.getByText("Job started: apply").waitFor();
    await page.locator("section.job").getByText("1 of 10 books").waitFor();
    tick();
    await page.locator("section.job").getByText("2 of 10 books").waitFor();
    await page.locator("header").getByText("apply 2/10").waitFor();
    finish();
    await service!.idle();
    await announcer.getByText("Job done: apply").waitFor();
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    // The progress was drawn (above), but never inside a live region: only the start and the end were said.
    expect(said.filter((s) => /\b[12] of 10\b|[12]\/10/.test(s))).toEqual([]);
    expect(said.some((s) => s.includes("Job started: apply"))).toBe(true);
    expect(said.at(-1)).toContain("Job done: apply");
    // The bar itself is not live.
    expect(await page.evaluate(() => document.querySelector('progress, [role="progressbar"]')?.closest("[aria-live], [role=status], [role=log], [role=alert]") ?? null)).toBeNull();
  });

  it("Stop on the dashboard: once the job has stopped the keyboard is on Scan library, not left on nothing", async () => {
    await page.goto(`http://127.0.0.1:${port}/#/`);
    await page.locator("main h1").first().waitFor();
    await page.locator(".live:not(.off)").waitFor();
    service!.startJob("process", "process", async (job, signal) => {
      service!.progress(job, 1, 10);
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      return "stopped: 9 not started";
    });
    const stop = page.locator("main").getByRole("button", { name: "Stop" });
    await stop.focus();
    await page.keyboard.press("Enter");
    await service!.idle();
    await stop.waitFor({ state: "detached" });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "nothing")).toBe("Scan library");
  });

  it("an open books list goes offline, comes back by itself and shows what changed while the server was down", async () => {
    await page.goto(`http://127.0.0.1:${port}/#/books?sort=id`);
    await page.locator("main h1").first().waitFor();
    await page.locator(".live:not(.off)").waitFor();
    const firstTitle = (await page.locator("tbody tr").first().locator("td").allTextContents()).join(" ");
    expect(firstTitle).not.toContain("Renamed While Down");
    await stop();
    await page.getByText("offline: reconnecting…").waitFor();
    // A command writes while no server runs (a CLI `book ID --set`, another tool on the database).
    const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
    db.prepare("UPDATE books SET title = 'Renamed While Down' WHERE id = (SELECT min(id) FROM books)").run();
    db.close();
    await start();
    await page.locator(".live:not(.off)").waitFor();
    await page.getByText("Renamed While Down").waitFor();
    await screenshot(page, "r1-books-after-restart");
  });

  it("a book's long file list asked for while the server is stopped: the page says the server is gone, and the list completes once it is back", async () => {
    const db = service!.session.db;
    const { id } = db.prepare("SELECT min(id) AS id FROM books").get() as { id: number };
    const files = Array.from({ length: 1200 }, (_, i) => ({ path: `${home.root}/Chapter ${String(i + 1).padStart(4, "0")}.mp3`, size: 1000 + i }));
    db.prepare("UPDATE books SET files = ? WHERE id = ?").run(JSON.stringify(files), id);
    await page.goto(`http://127.0.0.1:${port}/#/books/${id}`);
    await page.locator(".live:not(.off)").waitFor();
    const list = page.locator("ul.files").first();
    await expect.poll(() => list.locator("li").count()).toBe(50);
    await expect(page.locator("[data-offline]").count()).resolves.toBe(0);
    // Said by a live region there before the server went (one that appears with its words need not be read).
    const said = page.locator("[data-connection-announce]");
    expect(await said.getAttribute("role")).toBe("status");
    expect(await said.textContent()).not.toMatch(/not answering/);
    await stop();
    const offline = page.locator("[data-offline]");
    await offline.waitFor();
    expect(await said.textContent()).toBe("The shelfwise server is not answering: this page may be out of date until it is back.");
    expect(await offline.textContent()).toMatch(/server is not answering .*since .*: this page shows what it had then, which may be out of date.*reloads by itself when it is back/);
    try {
      await page.getByRole("button", { name: /^Show 500 more of 1,?200 files$/ }).click();
      await page.getByText(/the other files did not load: no answer from the shelfwise server/).waitFor();
    } finally {
      await start();
    }
    await offline.waitFor({ state: "detached" });
    expect(await said.textContent()).toBe("The shelfwise server is back: this page is loaded afresh.");
    // Asked again once the page reloads: the 550 asked for, the failure gone.
    await expect.poll(() => list.locator("li").count()).toBe(550);
    await expect(page.getByText(/did not load/).count()).resolves.toBe(0);
    expect(await list.locator("li").nth(549).textContent()).toContain("Chapter 0550.mp3");
  });

  it("reconnects after a stream answered with an error (a server shutting down answers 503), not only after a dropped one", async () => {
    await page.locator(".live:not(.off)").waitFor();
    await stop();
    await page.getByText("offline: reconnecting…").waitFor();
    // What a server in the middle of shutting down (or a proxy in front of a stopped one) answers.
    let asked = 0;
    let sawStream!: () => void;
    const streamAsked = new Promise<void>((resolve) => (sawStream = resolve));
    const down = http.createServer((request, response) => {
      if (request.url === "/api/events") (asked++, sawStream());
      response.writeHead(503, { "content-type": "application/json" }).end('{"error":"shutting down"}');
    });
    down.listen(port, "127.0.0.1");
    await once(down, "listening");
    await streamAsked;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    down.closeAllConnections();
    expect(asked).toBeGreaterThan(0);
    await start();
    await page.locator(".live:not(.off)").waitFor();
  });

  it("a filter being typed survives the page being drawn again (a run's status events, a change elsewhere)", async () => {
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/#/books`);
    await page.locator("main h1").first().waitFor();
    await page.locator(".live:not(.off)").waitFor();
    const author = page.getByLabel("Author", { exact: true });
    await author.fill("Brandon");
    const drawn = page.waitForResponse((response) => response.url().includes("/api/books"));
    // What the server tells every page when something changed (a plugin switched, a job ended).
    service!.hub.publish("plugins", {});
    await drawnAfter(drawn);
    expect(await author.inputValue()).toBe("Brandon");
    await author.press("Enter");
    await page.waitForURL(/author=Brandon/);
    // The review page's minimum confidence is the same kind of field.
    await page.goto(`${base}/#/review`);
    await page.locator("main h1").first().waitFor();
    const min = page.getByLabel("Min confidence");
    await min.fill("42");
    const again = page.waitForResponse((response) => response.url().includes("/api/"));
    service!.hub.publish("plugins", {});
    await drawnAfter(again);
    expect(await min.inputValue()).toBe("42");
    // And the settings form.
    await page.getByRole("link", { name: "Settings" }).click();
    await page.locator("main h1", { hasText: "Settings" }).waitFor();
    const setting = page.locator('input[name="naming_template"]');
    await setting.fill("{author}/{title} typed");
    const third = page.waitForResponse((response) => response.url().includes("/api/"));
    service!.hub.publish("plugins", {});
    await drawnAfter(third);
    expect(await setting.inputValue()).toBe("{author}/{title} typed");
  });
  it("an open page whose login no longer holds (the token changed) says the session ended and how to sign in again, not \"reconnecting\" forever", async () => {
    const base = `http://127.0.0.1:${port}`;
    const signIn = async (token: string) => {
      await page.getByLabel("Access token").fill(token);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.locator("main h1", { hasText: "Books" }).waitFor();
      await page.locator(".live:not(.off)").waitFor();
    };
    await stop();
    await start("first-token-0123456789");
    await page.goto(`${base}/login?next=${encodeURIComponent("/#/books")}`);
    await signIn("first-token-0123456789");
    // The token changes (a new web_token, the server restarted with it): the stream reconnects and is refused.
    await stop();
    await start("second-token-0123456789");
    const ended = page.locator("[data-session-ended]");
    await ended.getByText(/Your session ended/).waitFor();
    // From here the page sends nothing until the user signs in again: each request with the old cookie counts as a
    // wrong token (10 a minute per address), and the pages below would have the login form itself refused (429).
    let sent = 0;
    const count = (request: { url(): string }) => void (request.url().includes("/api/") && sent++);
    page.on("request", count);
    await page.locator(".live", { hasText: "signed out" }).waitFor();
    await expect(page.getByText("offline: reconnecting…").count()).resolves.toBe(0);
    await screenshot(page, "r2-session-ended");
    // The page's parts refused (the plan and the history) say only that they were not loaded: the notice at the
    // top says the session ended, once (each part repeated it), and there is no redirect that would lose what was typed.
    await page.getByRole("link", { name: "Review" }).click();
    await expect.poll(() => page.locator("[data-not-loaded]").count()).toBe(2);
    expect(await page.getByText(/session ended/i).count()).toBe(1);
    expect(page.url()).toBe(`${base}/#/review`);
    // An action refused says it was not done, without saying the session ended a second time.
    await page.getByRole("link", { name: "Dashboard" }).click();
    await page.getByRole("button", { name: "Scan library" }).click();
    await page.locator(".notice.error", { hasText: "not done: signed out; sign in again with the link at the top of the page" }).waitFor();
    expect(await page.getByText(/session ended/i).count()).toBe(1);
    await page.getByRole("link", { name: "Review" }).click();
    await page.locator("[data-not-loaded]").first().waitFor();
    page.off("request", count);
    expect(sent).toBe(0);
    // The link leads to the login form and back to the page the user was on.
    await ended.getByRole("link", { name: "Sign in again" }).click();
    await page.getByLabel("Access token").fill("second-token-0123456789");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.locator("main h1", { hasText: "Review" }).waitFor();
    await page.locator(".live:not(.off)").waitFor();
  });
});
