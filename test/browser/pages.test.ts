/**
 * The web app in a real browser (Debian's chromium through playwright-core)
 * against a real server, data folder, generated library and plugins: what a
 * library owner does, click by click. Screenshots of every page go to
 * test-artifacts/browser/ when SHELFWISE_SCREENSHOTS is set.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSampleLibrary } from "../../fixtures/sample-library.js";
import { writeMp3 } from "../../fixtures/audio.js";
import { cutShortMp3 } from "../support/cut-short-audio.js";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { ADVICE } from "../../src/domain/command-advice.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, screenshot, watchNotices, type Browser } from "./support.js";

const HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;

function config(): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8"));
}

async function go(hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.locator("main h1").first().waitFor();
}

describe.skipIf(CHROMIUM_MISSING)("web app in chromium", () => {
  beforeAll(async () => {
    home = createHome({ config: { auto_disable_after: 3 } });
    writeSampleLibrary(home.library);
    const hostile = path.join(home.library, HOSTILE, "Evil Book");
    fs.mkdirSync(hostile, { recursive: true });
    writeMp3(path.join(hostile, "01.mp3"), { artist: "<b>Bold</b> Author", album: "<i>Italic</i>" });
    // An interrupted download: its book page says the file is cut short.
    fs.mkdirSync(path.join(home.library, "Frank Herbert", "Dune (cut short)"), { recursive: true });
    fs.writeFileSync(path.join(home.library, "Frank Herbert", "Dune (cut short)", "01.mp3"), cutShortMp3("Dune", "Frank Herbert"));
    // Fails while its `fail` setting is on (the default): auto-disabled after 3 failures.
    home.plugin("flaky", {
      code: nodePlugin(`setup(config) { this.fail = config.fail !== false; }
        process(book) { if (this.fail) throw new Error("lookup service said 503"); return { edition: "Unabridged" }; }`),
      manifest: {
        name: "Flaky lookup",
        description: "Asks a lookup service that often fails",
        config_schema: { type: "object", properties: { fail: { type: "boolean", default: true, description: "pretend the service is down" } } },
      },
    });
    ({ service, app, base, browser, page } = await openWebApp(home, { autoRun: true }));
    page.on("dialog", (dialog) => void dialog.dismiss());
    page.on("response", (response) => response.status() >= 400 && console.log(`browser: ${response.status()} ${response.request().method()} ${response.url()}`));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("loads the dashboard, scans and processes the library", async () => {
    await go("#/");
    await expect(page.locator("main h1").textContent()).resolves.toBe("Dashboard");
    await page.getByText("idle", { exact: true }).waitFor();
    await screenshot(page, "01-dashboard-empty");
    // A double-click starts one scan: its second click sends nothing (no second request, no 409 shown as an error).
    const sent: string[] = [];
    const onRequest = (request: { method(): string; url(): string }) => void (request.method() === "POST" && request.url().includes("/api/") && sent.push(new URL(request.url()).pathname));
    page.on("request", onRequest);
    await page.getByRole("button", { name: "Scan library" }).dblclick();
    // The scan is followed by a process run; the dashboard follows both live.
    await page.getByText(/Last: process done/).waitFor({ timeout: 120_000 });
    page.off("request", onRequest);
    expect(sent).toEqual(["/api/scan"]);
    await expect(page.locator(".notice.error").count()).resolves.toBe(0);
    const identified = Number(await page.locator(".card", { hasText: "identified" }).locator("strong").textContent());
    expect(identified).toBeGreaterThan(3);
    await page.getByRole("link", { name: /plugin flaky is auto-disabled/ }).waitFor();
    await screenshot(page, "02-dashboard-processed");
  });

  it("shows a folder named with <script> as text, never as markup", async () => {
    await go("#/books");
    await page.getByLabel("Search").fill("pwned");
    await page.getByRole("button", { name: "Search" }).click();
    const cell = page.locator("td.path", { hasText: "__pwned" });
    await cell.waitFor();
    expect(await cell.textContent()).toContain(HOSTILE);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("main img").count()).toBe(0);
    await screenshot(page, "03-books-hostile-name");
  });

  it("lists, sorts and filters books; opens a book and shows its evidence", async () => {
    await go("#/books");
    await page.getByRole("button", { name: "Author" }).click();
    await page.waitForURL(/sort=author/);
    // The header shows the new order at once; the rows are the sorted ones once the table is no longer busy.
    await page.locator("table.books[aria-busy=false] th[aria-sort=ascending]", { hasText: "Author" }).waitFor();
    await screenshot(page, "04-books-sorted");
    await page.getByRole("link", { name: "Watchers", exact: true }).click();
    await page.locator("main h1", { hasText: "Watchers" }).waitFor();
    const evidence = page.locator("table.evidence");
    await evidence.getByText("Dean Koontz").first().waitFor();
    expect(await evidence.locator(".source", { hasText: "embedded_tags" }).count()).toBeGreaterThan(0);
    expect(await evidence.locator(".source", { hasText: "path" }).count()).toBeGreaterThan(0);
    await page.locator("main li", { hasText: "embedded_tags" }).first().waitFor();
    await screenshot(page, "05-book-evidence");
    await page.getByRole("button", { name: "Lock book" }).click();
    await page.getByRole("button", { name: "Unlock book" }).waitFor();
    expect((await (await fetch(`${base}/api/books?text=Watchers`)).json()).books[0].locked).toBe(true);
    await page.getByRole("button", { name: "Unlock book" }).click();
    await page.getByRole("button", { name: "Lock book" }).waitFor();
  });

  it("a book whose file was cut short says so on its page, under the layer that read it", async () => {
    const books = (await (await fetch(`${base}/api/books?text=${encodeURIComponent("cut short")}`)).json()).books as { id: number }[];
    expect(books).toHaveLength(1);
    await go(`#/books/${books[0]!.id}`);
    const warning = page.locator("main li", { hasText: "embedded_tags" }).locator(".warn");
    await warning.first().waitFor();
    expect(await warning.first().textContent()).toMatch(/^warning: .*01\.mp3: its ID3v2 tag claims \d+ bytes but the file ends after \d+ \(cut short\?\): the frames before the cut were read$/);
  });

  it("while the next sort loads the rows on screen stay, marked busy; a book page never shows the previous book", async () => {
    await go("#/books?sort=author");
    const rows = page.locator("table.books tbody tr");
    await page.locator("table.books[aria-busy=false]").waitFor();
    const before = await rows.allTextContents();
    expect(before.length).toBeGreaterThan(3);
    // The server's answer for the new sort is held until the page has been looked at.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sortedByTitle = (url: URL) => url.pathname === "/api/books" && url.searchParams.get("sort") === "title";
    await page.route(sortedByTitle, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole("button", { name: "Title" }).click();
    await page.locator("table.books[aria-busy=true]").waitFor();
    expect(await rows.allTextContents()).toEqual(before);
    release();
    await page.locator("table.books[aria-busy=false] th[aria-sort=ascending]", { hasText: "Title" }).waitFor();
    // Now the rows are the server's answer for the new sort.
    const byTitle = (await (await fetch(`${base}/api/books?sort=title&limit=50`)).json()) as { books: { title: string | null }[] };
    const titles = await page.locator("table.books tbody tr td:nth-child(4)").allTextContents();
    expect(titles).toEqual(byTitle.books.map((b) => b.title ?? "(unknown title)"));
    await page.unroute(sortedByTitle);

    // A sort the server fails: its error shows, the rows stay, and the table is not left busy.
    const sortedByYear = (url: URL) => url.pathname === "/api/books" && url.searchParams.get("sort") === "year";
    await page.route(sortedByYear, (route) => route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: "database is locked" }) }));
    await page.getByRole("button", { name: "Year" }).click();
    await page.getByRole("alert").filter({ hasText: "database is locked" }).waitFor();
    expect(await page.locator("table.books").getAttribute("aria-busy")).toBe("false");
    expect((await rows.allTextContents()).length).toBe(titles.length);
    await page.unroute(sortedByYear);

    // From one book to another whose answer is held: "Loading…", never the first book under the second's address.
    const { books } = (await (await fetch(`${base}/api/books?sort=title&limit=2`)).json()) as { books: { id: number; title: string }[] };
    const [first, second] = books as [{ id: number; title: string }, { id: number; title: string }];
    await go(`#/books/${first.id}`);
    await page.locator("main h1", { hasText: first.title }).waitFor();
    let releaseBook!: () => void;
    const bookHeld = new Promise<void>((resolve) => (releaseBook = resolve));
    const secondBook = (url: URL) => url.pathname === `/api/books/${second.id}`;
    await page.route(secondBook, async (route) => {
      await bookHeld;
      await route.continue();
    });
    await page.evaluate((id) => (location.hash = `#/books/${id}`), second.id);
    await page.locator("main").getByText("Loading…").waitFor();
    expect(await page.locator("main").textContent()).not.toContain(first.title);
    releaseBook();
    await page.locator("main h1", { hasText: second.title }).waitFor();
    await page.unroute(secondBook);

    // The Plugins page's HTTP sources while their answer is held: "Loading…", not "No HTTP sources yet" (an answer).
    let releaseSources!: () => void;
    const sourcesHeld = new Promise<void>((resolve) => (releaseSources = resolve));
    const sourceList = (url: URL) => url.pathname === "/api/sources";
    await page.route(sourceList, async (route) => {
      await sourcesHeld;
      await route.continue();
    });
    const sources = page.locator("main section", { has: page.locator("#sources-h") });
    try {
      await go("#/plugins");
      await sources.locator("#sources-h").waitFor();
      expect(await sources.textContent()).not.toContain("No HTTP sources");
      expect(await sources.textContent()).toContain("Loading…");
    } finally {
      releaseSources();
    }
    await expect.poll(() => sources.textContent()).not.toContain("Loading…");
    await page.unroute(sourceList);
  });

  it("moves the focus to the new page's heading after in-app navigation (keyboard and screen-reader users keep their place)", async () => {
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return { tag: el?.tagName ?? null, text: el?.textContent?.trim() ?? "", inMain: Boolean(el?.closest("main")), title: document.title };
      });
    await go("#/");
    await page.locator("header nav a", { hasText: "Books" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/books$/);
    await expect.poll(focused).toMatchObject({ tag: "H1", text: "Books", title: "Books · shelfwise" });
    // The next Tab is on the page's first control, not back in the navigation.
    await page.keyboard.press("Tab");
    await expect.poll(async () => (await focused()).inMain).toBe(true);

    // A page that loads its data first: the heading gets the focus once it is there.
    const { books } = (await (await fetch(`${base}/api/books?text=Watchers`)).json()) as { books: { id: number; title: string }[] };
    const link = page.getByRole("link", { name: books[0]!.title, exact: true });
    await page.getByLabel("Search").fill("Watchers");
    await page.keyboard.press("Enter");
    // As a user does: the results are there before the link is chosen (the list redrawn under a focused link
    // of the unfiltered list, at another row, takes the focus away with it).
    await page.waitForURL(/text=Watchers/);
    await expect.poll(() => page.locator("tbody tr").count()).toBe(books.length);
    await link.focus();
    await page.keyboard.press("Enter");
    await expect.poll(focused).toMatchObject({ tag: "H1", text: expect.stringContaining(books[0]!.title) });

    // Another sort of the same list keeps the focus on the control the user pressed.
    await go("#/books?text=a");
    const sortButton = page.getByRole("button", { name: "Title" });
    await sortButton.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/sort=title/);
    await page.locator("table.books[aria-busy=false]").waitFor();
    await expect.poll(focused).toMatchObject({ tag: "BUTTON", text: expect.stringContaining("Title") });
    // "Clear" goes away as it is used: the focus goes to the heading, not to the top of the document.
    await page.getByRole("link", { name: "Clear" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/books$/);
    await expect.poll(focused).toMatchObject({ tag: "H1", text: "Books" });
  });

  it("plugin health: the failing plugin is auto-disabled; a settings change and re-enable bring it back", async () => {
    await go("#/health");
    const row = page.locator("tr[data-plugin=flaky]");
    await row.locator(".badge", { hasText: "auto-disabled" }).waitFor();
    await page.getByText("lookup service said 503").first().waitFor();
    await screenshot(page, "06-health-auto-disabled");

    await go("#/plugins/flaky");
    await page.getByText("Asks a lookup service that often fails").waitFor();
    await screenshot(page, "07-plugin-detail");
    const fail = page.getByLabel(/fail/);
    expect(await fail.isChecked()).toBe(true);
    await fail.uncheck();
    let notices = await watchNotices(page);
    await page.getByRole("button", { name: "Save settings" }).click();
    await notices.shown("settings saved");
    expect(config().plugin_configs.flaky).toEqual({ fail: false });

    await go("#/health");
    await page.locator("tr[data-plugin=flaky]").getByRole("button", { name: "Re-enable" }).click();
    await page.locator("tr[data-plugin=flaky] .badge", { hasText: /^active$/ }).waitFor({ timeout: 90_000 });
    // The run that follows retries the failed books with the fixed setting: the failure count is back to 0.
    await page.getByText(/Last: process done/).or(page.locator(".live", { hasText: "idle" })).first().waitFor();
    await expect.poll(async () => (await (await fetch(`${base}/api/health`)).json()).plugins[0].total_resolved, { timeout: 120_000 }).toBeGreaterThan(0);
    await go("#/health");
    await page.locator("tr[data-plugin=flaky] td.num", { hasText: /^0$/ }).first().waitFor();
    await go("#/health/flaky");
    await page.locator(".chart canvas").waitFor();
    await screenshot(page, "08-health-detail");
  });

  it("reorders the pipeline with the buttons (saved as pipeline_order)", async () => {
    await go("#/pipeline");
    const ids = () => page.locator("ol.layers > li").evaluateAll((items) => items.map((li) => li.getAttribute("data-layer")));
    const before = await ids();
    expect(before.slice(0, 2)).toEqual(["path", "embedded_tags"]);
    await page.getByRole("button", { name: "Move embedded_tags up" }).click();
    await page.waitForFunction(() => document.querySelector("ol.layers > li")?.getAttribute("data-layer") === "embedded_tags");
    expect((await ids()).slice(0, 2)).toEqual(["embedded_tags", "path"]);
    expect(config().pipeline_order.slice(0, 2)).toEqual(["embedded_tags", "path"]);
    // Focus stays on the moved layer's button: the keyboard user can keep moving it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("move-embedded_tags-down");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("ol.layers > li")?.getAttribute("data-layer") === "path");
    expect(config().pipeline_order.slice(0, 2)).toEqual(["path", "embedded_tags"]);
    await page.getByRole("button", { name: "Move sidecar up" }).click();
    await page.waitForFunction(() => document.querySelectorAll("ol.layers > li")[1]?.getAttribute("data-layer") === "sidecar");
    expect(config().pipeline_order.slice(0, 3)).toEqual(["path", "sidecar", "embedded_tags"]);
    await screenshot(page, "09-pipeline");
    // Rerun for all books drops a layer's results and calls it for every book again: it asks first; Escape runs nothing.
    const reruns: string[] = [];
    page.on("request", (request) => request.method() === "POST" && request.url().endsWith("/rerun") && reruns.push(request.url()));
    await page.getByRole("button", { name: "Rerun for all books: sidecar" }).click();
    const asked = page.getByRole("group", { name: "Confirm rerunning sidecar for every book" });
    await asked.getByText(/^Drop the earlier results of Sidecar files and run it again for every book/).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Rerun all");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Rerun for all books: sidecar");
    expect(reruns).toEqual([]);
  });

  it("names each switch and button of the plugin and layer lists for what it acts on (screen readers tell them apart)", async () => {
    /** The buttons and checkboxes of the page, by accessible name, as chromium computes it. */
    const controls = async () =>
      [...(await page.locator("main").ariaSnapshot()).matchAll(/\b(button|checkbox) "([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);
    await go("#/plugins");
    await page.getByRole("button", { name: "Disable plugin flaky", exact: true }).waitFor();
    await go("#/plugins/flaky");
    await page.getByRole("button", { name: "Disable plugin flaky", exact: true }).waitFor();
    await go("#/pipeline");
    const layers = await page.locator("ol.layers > li").evaluateAll((items) => items.map((li) => li.getAttribute("data-layer")!));
    expect(layers.length).toBeGreaterThan(3);
    const names = await controls();
    for (const id of layers) {
      expect(names).toContain(`checkbox Layer ${id} enabled`);
      expect(names).toContain(`button Run this layer: ${id}`);
      expect(names).toContain(`button Rerun for all books: ${id}`);
    }
    expect(names.length).toBeGreaterThan(layers.length * 3);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    await expect(page.getByRole("checkbox", { name: "Layer sidecar enabled", exact: true }).isChecked()).resolves.toBe(true);
  });

  it("plugins list, settings and library folders", async () => {
    await go("#/plugins");
    await page.getByRole("link", { name: "Flaky lookup" }).waitFor();
    await screenshot(page, "10-plugins");
    // Disabled (the command's advice stored with the reason, for `plugins list`): the pages say what to do here.
    await page.getByRole("button", { name: "Disable plugin flaky", exact: true }).click();
    await page.getByRole("button", { name: "Enable plugin flaky", exact: true }).waitFor();
    expect(service.session.db.prepare("SELECT reason FROM plugin_state WHERE plugin_id = 'flaky'").pluck().get()).toBe(`disabled by the user in the web app (${ADVICE.pluginEnable.cli()})`);
    const pageWords = "disabled by the user in the web app (Enable on the Plugins page turns it on)";
    for (const address of ["#/plugins", "#/health"]) {
      await go(address);
      await page.locator("main").getByText(pageWords).waitFor();
      expect(await page.locator("main").textContent()).not.toContain("shelfwise plugins enable");
    }
    await go("#/plugins");
    await page.getByRole("button", { name: "Enable plugin flaky", exact: true }).click();
    await page.getByRole("button", { name: "Disable plugin flaky", exact: true }).waitFor();
    await go("#/settings");
    await page.getByText(home.library).waitFor();
    // A key without a default says what empty means instead of "default null".
    expect(await page.locator("form.settings").textContent()).not.toContain("default null");
    await page.getByLabel("Add folder").fill(path.join(home.root, "nowhere"));
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByText(/is not an existing folder/).waitFor();
    // Beside its field, which gets the focus, as every other refused form: not only a notice at the top.
    const folderField = page.getByLabel("Add folder");
    expect(await folderField.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("path");
    expect(await page.locator("form.inline small.field-error").textContent()).toMatch(/is not an existing folder/);
    // The library folder again, written another way: nothing changed, as `library add` says, not "folder added".
    await folderField.fill(`${home.library}/`);
    let notices = await watchNotices(page);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await notices.shown(`${home.library} is a library folder already; nothing changed`);
    expect(await page.getByText("folder added").count()).toBe(0);
    const threshold = page.getByLabel(/confidence_threshold/);
    await threshold.fill("65");
    notices = await watchNotices(page);
    await page.getByRole("button", { name: "Save settings" }).click();
    await notices.shown("settings saved");
    expect(config().confidence_threshold).toBe(65);
    await screenshot(page, "11-settings");
    await go("#/review");
    await screenshot(page, "12-review");
  });

  it("shows the live progress of an apply (moves done of total), not just \"starting\"", async () => {
    await service.idle();
    let finish: () => void = () => {};
    const held = new Promise<void>((resolve) => (finish = resolve));
    service.startJob("apply", "apply", async (job) => {
      service.progress(job, 3, 10);
      await held;
      return "moved 10";
    });
    try {
      await go("#/");
      await page.locator("section.job").getByText("3 of 10 books").waitFor();
      await expect(page.getByRole("progressbar", { name: "apply progress" }).getAttribute("value")).resolves.toBe("3");
      await page.locator("header").getByText("apply 3/10").waitFor();
    } finally {
      finish();
      await service.idle();
    }
  });

  it("every page loads afresh with nothing failing in the console (no missing icon, no script error)", async () => {
    const books = (await (await fetch(`${base}/api/books?limit=1`)).json()) as { books: { id: number }[] };
    const fresh = await browser.context.newPage();
    const problems: string[] = [];
    fresh.on("console", (message) => message.type() === "error" && problems.push(`${message.text()} (${message.location().url})`));
    fresh.on("pageerror", (error) => problems.push(error.message));
    try {
      const book = books.books[0] ? [`#/books/${books.books[0].id}`] : [];
      for (const hash of ["#/", "#/books", ...book, "#/review", "#/pipeline", "#/plugins", "#/plugins/flaky", "#/health", "#/health/flaky", "#/settings"]) {
        await fresh.goto(`${base}/${hash}`);
        await fresh.locator("main h1").first().waitFor();
      }
      expect(problems).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it("reads on a phone and follows dark mode: every page fits a 375 px window, a 5,000-character title of no spaces too", async () => {
    const book = (await (await fetch(`${base}/api/books?limit=1`)).json()).books[0];
    const long = `${"W".repeat(4_990)}\u202Eend`;
    // As a tag gave it (a correction is held to 1,000 characters; what layers read is not).
    const retitle = (title: string) => service.session.db.prepare("UPDATE books SET title = ? WHERE id = ?").run(title, book.id);
    retitle(long);
    const phone = await browser.context.newPage();
    const wide: Record<string, number> = {};
    try {
      // A second page of the same browser, sized and themed as a phone's: a browser start costs ~4 CPU-s.
      await phone.setViewportSize({ width: 375, height: 740 });
      await phone.emulateMedia({ colorScheme: "dark" });
      for (const hash of ["#/", "#/books", `#/books/${book.id}`, "#/review", "#/pipeline", "#/plugins", "#/plugins/flaky", "#/health", "#/health/flaky", "#/settings"]) {
        await phone.goto(`${base}/${hash}`);
        await phone.locator("main h1").first().waitFor();
        await phone.waitForLoadState("networkidle");
        const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) wide[hash] = overflow;
        if (hash === "#/") {
          expect(await phone.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(21, 21, 23)");
          await screenshot(phone, "13-phone-dark-dashboard");
        }
        if (hash === "#/books") await screenshot(phone, "14-phone-dark-books");
        // The title is on the page, whole (the book's page shows it in its fields).
        if (hash === `#/books/${book.id}`) expect(await phone.locator("main").textContent()).toContain(long.slice(0, 4_990));
      }
    } finally {
      await phone.close();
      retitle(book.title);
    }
    expect(wide).toEqual({});
  });

  it("Enter on a button that sends (Lock book) leaves the keyboard on it once sent, not on the heading it was moved to meanwhile", async () => {
    const book = ((await (await fetch(`${base}/api/books?limit=1`)).json()) as { books: { id: number }[] }).books[0]!.id;
    await go(`#/books/${book}`);
    const lock = page.locator("main .actions button").first();
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? null);
    for (const [now, next] of [["Lock book", "Unlock book"], ["Unlock book", "Lock book"]]) {
      await expect.poll(() => lock.textContent()).toBe(now);
      await lock.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => lock.textContent()).toBe(next);
      await expect.poll(focused).toBe(next);
    }
  });

  it("no control that writes sends twice: every button of every page (and the layer switches), double-clicked, reaches the server once at most", async () => {
    // A source, so the HTTP source buttons are there too (disabled, on an address that answers nothing).
    const added = await fetch(`${base}/api/sources`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ definition: { id: "twice", url_template: "http://127.0.0.1:9/?q={{title}}", response_mapping: { title: "$.title" }, auth: { type: "none" }, allow_private: true, enabled: false } }),
    });
    expect(added.status).toBe(201);
    // Counted where they arrive: every write request the server is sent, by the control that sent it.
    let control = "";
    const writes = new Map<string, number>();
    const count = (request: { method?: string; url?: string }) => {
      if (request.method !== "GET" && request.method !== "HEAD" && request.url?.startsWith("/api/")) writes.set(control, (writes.get(control) ?? 0) + 1);
    };
    app.server.on("request", count);
    // Each request the page sends, kept until it is answered: a double-click's second request starts in its click.
    const watchRequests = () =>
      page.evaluate(() => {
        const w = window as unknown as { __sent?: Promise<unknown>[] };
        if (w.__sent) return;
        const sent: Promise<unknown>[] = (w.__sent = []);
        const fetchOnce = window.fetch.bind(window);
        window.fetch = (...args: Parameters<typeof fetch>) => {
          const answer = fetchOnce(...args);
          sent.push(answer.catch(() => null));
          return answer;
        };
      });
    // Every request the page sent answered, and the page drawn after the answers (which may have sent more).
    const settled = () =>
      page.evaluate(async () => {
        const sent = (window as unknown as { __sent: Promise<unknown>[] }).__sent;
        do {
          await Promise.all(sent.splice(0));
          await new Promise((drawn) => requestAnimationFrame(() => setTimeout(drawn)));
        } while (sent.length > 0);
      });
    const book = ((await (await fetch(`${base}/api/books?limit=1`)).json()) as { books: { id: number }[] }).books[0]!.id;
    // The dashboard's Scan, Process and Stop: double-clicked in the first test (each starts a job over every book).
    const pages = [`#/books/${book}`, "#/review", "#/pipeline", "#/plugins", "#/plugins/flaky", "#/health", "#/health/flaky", "#/health/source/twice", "#/settings"];
    // One of each kind per page (the same button for every layer needs no second try: it starts a job each).
    const layers = ((await (await fetch(`${base}/api/layers`)).json()) as { layers: { layer_id: string }[] }).layers.map((l) => l.layer_id);
    const kindOf = (name: string) => name.split(/[\s:]+/).filter((word) => !layers.includes(word)).join(" ");
    const tried: string[] = [];
    try {
      for (const hash of pages) {
        const kinds = new Set<string>();
        await go(hash);
        // Every part of the page loaded before its controls are counted: the Plugins page's HTTP sources come in
        // their own answer, and on a loaded machine the sweep counted the page without them (their kind untried).
        await page.waitForFunction(() => !document.querySelector("main [aria-busy=true]") && !/Loading…|Connecting…/.test(document.querySelector("main")?.textContent ?? ""));
        await watchRequests();
        const controls = page.locator('main button, main input[type="checkbox"][aria-label^="Layer "]');
        // By place, again after each (a click may add or take away controls); bounded, as Lock/Unlock could go on.
        for (let i = 0; i < Math.min(await controls.count(), 30); i++) {
          // Read at once: a job's progress redraws the page (the Stop button comes and goes). The limits here and
          // below are for a control gone meanwhile, not a speed check: at 1-2 s a loaded machine's answers passed
          // them, and the control was left out (and the check that its kind was clicked failed).
          let target = await controls.nth(i).elementHandle({ timeout: 10_000 }).catch(() => null);
          const nameOf = () => target?.evaluate((e) => (e.checkVisibility() && !(e as HTMLButtonElement).disabled ? (e.getAttribute("aria-label") ?? e.textContent?.trim()) : null)).catch(() => null);
          let name = await nameOf();
          if (target && !name) {
            // Disabled while a job another control started runs (a Retry next to a source's Reset): tried once it ends.
            await service.idle();
            target = await controls.nth(i).elementHandle({ timeout: 10_000 }).catch(() => null);
            name = await nameOf();
          }
          if (!target || !name || kinds.has(kindOf(name))) continue;
          kinds.add(kindOf(name));
          control = `${hash} ${name} (#${i})`;
          tried.push(control);
          // A person's double-click: its second click comes 100-500 ms after the first, when a local server has
          // answered the first's request and the page has drawn the answer (Lock book became Unlock book). Clicked
          // so here every time (playwright's dblclick sends both clicks at once; only a loaded machine put the
          // answer between them, and the sweep failed once in a while), the second click with the click count the
          // browser gives a double-click's second click (its `detail`: 2), at the place of the first.
          const box = await target.scrollIntoViewIfNeeded({ timeout: 10_000 }).then(() => target.boundingBox(), () => null);
          if (!box) {
            tried.pop();
            continue;
          }
          const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
          await page.mouse.click(x, y);
          await settled();
          await page.mouse.down({ clickCount: 2 });
          await page.mouse.up({ clickCount: 2 });
          await settled();
        }
      }
    } finally {
      app.server.off("request", count);
      control = "";
      await service.idle();
    }
    const twice = [...writes].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    // A control that another takes the place of (Correct: its form's Save; Delete: "Really delete") sends nothing:
    // the double-click's second click is no confirmation.
    const confirmedUnasked = [...writes].filter(([name]) => / (Correct|Delete) /.test(name));
    expect(confirmedUnasked).toEqual([]);
    expect(tried.filter((name) => / (Correct|Delete) /.test(name)).length).toBeGreaterThan(1);
    // It did click the writing controls of each kind (not a page that failed to load).
    for (const name of [/Lock book/, /Rerun all layers/, /Move .* down/, /Layer .* enabled/, /Run this layer/, /plugin flaky/, /Save settings/, /source twice/]) {
      expect(tried.some((c) => name.test(c)), `${name} clicked`).toBe(true);
    }
    expect(writes.size).toBeGreaterThan(10);
  });
});
