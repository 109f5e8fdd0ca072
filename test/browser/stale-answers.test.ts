/**
 * Answers that arrive late, in a real chromium against a real server whose
 * answers the test holds (a request waits on a gate the test opens): no
 * sleeps, the order is the test's. A page must never show an answer read
 * before what the user did last (a save) or for a page the user has left;
 * no answer at all (the server stopped) is said in words. Also: a value far
 * too long for a list.
 */
import type http from "node:http";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { CHROMIUM_MISSING, openBrowser, watchNotices, type Browser } from "./support.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
let stopped = false;

/** Holds every GET whose path matches, until released; says when one arrived and when its client gave up on it. */
interface Hold {
  arrived: Promise<void>;
  /** Resolves when the browser dropped a held request (it aborted it). */
  dropped: Promise<void>;
  release(): void;
}
/** Every gate ever closed, opened at the end whatever a test left. */
const gates: (() => void)[] = [];
let hold: { match: (path: string) => boolean; gate: Promise<void>; arrived: () => void; dropped: () => void } | null = null;

function holdAnswers(match: (path: string) => boolean): Hold {
  let release!: () => void;
  let arrived!: () => void;
  let dropped!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const arrivedP = new Promise<void>((resolve) => (arrived = resolve));
  const droppedP = new Promise<void>((resolve) => (dropped = resolve));
  gates.push(release);
  hold = { match, gate, arrived, dropped };
  return {
    arrived: arrivedP,
    dropped: droppedP,
    release: () => {
      hold = null;
      release();
    },
  };
}

/** The server's own request handler, behind a hold: a held request reaches it once released. */
function holdBefore(server: http.Server): void {
  const handlers = server.listeners("request") as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const current = hold;
    const pass = () => handlers.forEach((handler) => handler(req, res));
    if (!current || req.method !== "GET" || !current.match((req.url ?? "").split("?")[0]!)) return pass();
    res.on("close", () => {
      if (!res.writableFinished) current.dropped();
    });
    current.arrived();
    void current.gate.then(pass);
  });
}

async function go(hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.locator("main h1").first().waitFor();
}

describe.skipIf(CHROMIUM_MISSING)("late answers in chromium", () => {
  beforeAll(async () => {
    home = createHome({ books: 2 });
    home.plugin("shapes", {
      code: nodePlugin(`process(book) { return null; }`),
      manifest: {
        name: "Shapes",
        config_schema: { type: "object", properties: { quality: { type: "integer", title: "Quality", enum: [64, 128, 320] }, note: { type: "string", title: "Note" } } },
      },
    });
    // As long as a manifest may make them, with no space to break at.
    home.plugin("longwinded", { code: nodePlugin(`process(book) { return null; }`), manifest: { name: "N".repeat(200), description: "d".repeat(4000) } });
    service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
    app = await buildServer(service, { host: "127.0.0.1", token: null });
    await app.listen({ host: "127.0.0.1", port: 0 });
    holdBefore(app.server);
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    expect((await fetch(`${base}/api/scan`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(202);
    await service.idle();
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    hold = null;
    gates.forEach((open) => open());
    await browser?.close();
    if (!stopped) await app?.close();
    await service?.close();
    home?.cleanup();
  });

  it("a saved plugin setting stays on the form while the page's reload after the save is still on its way", async () => {
    await go("#/plugins/shapes");
    const form = page.getByRole("form", { name: "Plugin settings" });
    expect(await form.getByLabel("Quality").locator("option:checked").textContent()).toBe("(not set)");
    const held = holdAnswers((path) => path === "/api/plugins/shapes");
    await form.getByLabel("Quality").selectOption({ label: "320" });
    await form.getByLabel("Note").fill("kept");
    const notices = await watchNotices(page);
    await form.getByRole("button", { name: "Save settings" }).click();
    await notices.shown("settings saved");
    await held.arrived;
    // The page's copy of the plugin is still the one read before the save: the form was drawn again from it
    // and showed "(not set)" until the reload answered.
    expect(await form.getByLabel("Quality").locator("option:checked").textContent()).toBe("320");
    expect(await form.getByLabel("Note").inputValue()).toBe("kept");
    held.release();
    await page.waitForResponse((r) => r.url().endsWith("/api/plugins/shapes")).catch(() => undefined);
    expect(await form.getByLabel("Quality").locator("option:checked").textContent()).toBe("320");
    expect(await form.getByLabel("Note").inputValue()).toBe("kept");
  });

  it("a book's answer that comes after the user moved on to another book is dropped (its request aborted), never shown", async () => {
    const books = ((await (await fetch(`${base}/api/books?sort=path`)).json()) as { books: { id: number; title: string | null; path: string }[] }).books;
    expect(books.length).toBe(2);
    const [first, second] = books as [(typeof books)[0], (typeof books)[0]];
    await go("#/books");
    const held = holdAnswers((path) => path === `/api/books/${first.id}`);
    await page.evaluate((id) => (location.hash = `#/books/${id}`), first.id);
    await held.arrived;
    // Moved on while the first is held: the second is shown.
    hold = null;
    await page.evaluate((id) => (location.hash = `#/books/${id}`), second.id);
    await page.locator("main p.path", { hasText: second.path }).waitFor();
    // The browser gave up on the first (it holds none of the few connections a page has to its server)...
    await held.dropped;
    held.release();
    // ...and whatever it said never replaces the book on screen.
    expect(await page.locator("main p.path").textContent()).toContain(second.path);
    expect(await page.content()).not.toContain(first.path);
  });

  it("Edit on one HTTP source, then on another before the first answered: the last one clicked is the form shown", async () => {
    const definition = (id: string) => ({ id, url_template: `https://${id}.example/?q={{title}}`, response_mapping: { title: "$.title" } });
    for (const id of ["first-api", "second-api"]) {
      const added = await fetch(`${base}/api/sources`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ definition: definition(id) }) });
      expect(added.status).toBe(201);
    }
    await go("#/plugins");
    const held = holdAnswers((path) => path === "/api/sources/first-api/definition");
    await page.getByRole("button", { name: "Edit first-api" }).click();
    await held.arrived;
    hold = null;
    await page.getByRole("button", { name: "Edit second-api" }).click();
    await page.getByRole("form", { name: "Edit source second-api" }).waitFor();
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/sources/first-api/definition"));
    held.release();
    await answered;
    // Let the page handle that answer (a render) before looking.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
    expect(await page.getByRole("form", { name: "Edit source first-api" }).count()).toBe(0);
    expect(await page.getByRole("form", { name: "Edit source second-api" }).count()).toBe(1);
  });

  it("a correction of a field another tab corrected since the form opened is refused by name, what was typed kept; Save again replaces it", async () => {
    const [first] = ((await (await fetch(`${base}/api/books?sort=path`)).json()) as { books: { id: number }[] }).books;
    await go(`#/books/${first!.id}`);
    await page.getByRole("button", { name: "Correct title" }).click();
    await page.getByLabel("New title").fill("From this tab");
    // The other tab's save, as its page sends it; this page loads the book afresh (the live status says so).
    const other = await fetch(`${base}/api/books/${first!.id}/fields`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ set: { title: "From another tab" }, shown: { title: null } }) });
    expect(other.status).toBe(200);
    await page.locator("main h1", { hasText: "From another tab" }).waitFor();
    await page.getByRole("button", { name: "Save title", exact: true }).click();
    const notice = page.locator(".notice.error");
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Title: your value is "From another tab" now, not none as shown: it was changed in another tab or by a command since');
    expect(await page.getByLabel("New title").inputValue()).toBe("From this tab");
    // Seen: Save again replaces the value now shown.
    await page.getByRole("button", { name: "Save title", exact: true }).click();
    await page.locator("main h1", { hasText: "From this tab" }).waitFor();
  });

  it("a 10,000-character value with no space keeps the books list readable: no column pushed off screen, no row a page tall; the value stays whole in the page", async () => {
    const [, second] = ((await (await fetch(`${base}/api/books?sort=path`)).json()) as { books: { id: number }[] }).books;
    service.session.db.prepare("UPDATE books SET author = ?, title = ?, narrator = ? WHERE id = ?").run("a".repeat(10_000), "T".repeat(10_000), "n".repeat(10_000), second!.id);
    await go("#/books?sort=path");
    await page.locator("table.books[aria-busy=false] tbody tr").nth(1).waitFor();
    const shape = await page.evaluate(() => {
      const table = document.querySelector("table.books")!;
      const rows = [...table.querySelectorAll("tbody tr")].map((row) => row.getBoundingClientRect().height);
      return { extra: table.scrollWidth - table.parentElement!.clientWidth, tallest: Math.max(...rows), text: table.textContent!.length };
    });
    expect(shape.extra).toBeLessThanOrEqual(0);
    expect(shape.tallest).toBeLessThan(250);
    expect(shape.text).toBeGreaterThan(30_000);
    // The Review page too: its proposal (the value is in "what changes" and the target) and lists, as a few lines each.
    await go("#/review?status=new");
    await page.locator("table.plan tbody tr, ul.lines li").first().waitFor();
    const review = await page.evaluate(() => ({
      extra: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      tallest: Math.max(...[...document.querySelectorAll("main tr, main li")].map((e) => e.getBoundingClientRect().height)),
      whole: document.querySelector("main")!.textContent!.includes("a".repeat(10_000)),
    }));
    expect(review).toEqual({ extra: expect.any(Number), tallest: expect.any(Number), whole: true });
    expect(review.extra).toBeLessThanOrEqual(0);
    expect(review.tallest).toBeLessThan(250);
  });

  it("a plugin's name and description as long as a manifest allows, with no space, stay within the page's width", async () => {
    for (const hash of ["#/plugins/longwinded", "#/plugins", "#/health"]) {
      await go(hash);
      await page.getByText("N".repeat(200)).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), hash).toBeLessThanOrEqual(0);
    }
    // Wrapped, not cut: the plugin's page shows all of it.
    await go("#/plugins/longwinded");
    expect(await page.evaluate(() => document.body.textContent!.includes("d".repeat(4000)))).toBe(true);
  });

  it("a dry run sent while the server is stopped says nothing was changed (not 'check whether this change was made'), and its notice goes once the server is back", async () => {
    await go("#/review?status=new");
    await page.getByRole("button", { name: "Select all" }).click();
    const dryRun = page.getByRole("button", { name: /^Dry run \([1-9]/ });
    await dryRun.waitFor();
    const port = (app.server.address() as { port: number }).port;
    await app.close();
    await page.getByText("offline: reconnecting…").waitFor();
    await dryRun.click();
    const notice = page.locator(".notice.error");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/no answer from the shelfwise server/);
    expect(await notice.textContent()).toMatch(/Nothing was changed by it/);
    expect(await notice.textContent()).not.toMatch(/check whether this change was made/);
    // Back on the same address: the page reconnects, reloads, and the notice about the lost answer is gone.
    app = await buildServer(service, { host: "127.0.0.1", token: null });
    await app.listen({ host: "127.0.0.1", port });
    await page.getByText("offline: reconnecting…").waitFor({ state: "detached" });
    await notice.waitFor({ state: "detached" });
    expect(await page.getByRole("button", { name: /^Dry run/ }).isVisible()).toBe(true);
  });

  // Last: it stops the server.
  it("the server stopped mid-use: the page says it is offline, and an action says what happened and what to do, not the browser's 'Failed to fetch'", async () => {
    await go("#/");
    await page.getByText("idle", { exact: true }).waitFor();
    stopped = true;
    await app.close();
    await page.getByText("offline: reconnecting…").waitFor();
    await page.getByRole("button", { name: "Scan library" }).click();
    const notice = page.locator(".notice.error");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/no answer from the shelfwise server: it was stopped, or the connection dropped\. Start it again \(the shelfwise serve command, in a terminal\)/);
    expect(await notice.textContent()).toMatch(/check whether this change was made/);
    expect(await notice.textContent()).not.toMatch(/Failed to fetch/);
    // A page loaded meanwhile says the same in place of its data.
    await page.evaluate(() => (location.hash = "#/books"));
    await page.locator("main [role=alert]", { hasText: "no answer from the shelfwise server" }).waitFor();
  });
});
