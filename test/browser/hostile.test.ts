/**
 * The web app against hostile values and the plugin pages' truth, in a real
 * chromium: direction-control spoofing in names, markup in every plugin
 * field, a settings form for every JSON Schema shape real plugins use with
 * errors shown beside their field, and a health dashboard whose numbers are
 * `plugins health --json`'s and follow a run live.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, nodePlugin, type PluginHealthRow, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { recordCalls } from "../../src/store/plugin-health.js";
import { forPages } from "../../src/domain/command-advice.js";
import { openDatabase } from "../../src/store/database.js";
import { inProcess } from "../support/cli-in-process.js";
import { unconfinedControls } from "./bidi-controls.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, screenshot, watchNotices, type Browser } from "./support.js";

const MARKUP = (n: number) => `<img src=x onerror=window.__pwned=${n}></script><script>window.__pwned=${n}</script>`;
/** Reads "exe.png" on screen unless the override is confined. */
const RLO_NAME = "\u202Egnp.exe";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

function config(): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8"));
}

function storedSecrets(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8"));
}

async function go(hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.locator("main h1").first().waitFor();
}

async function expectNoMarkupRan(): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator("main img, main script, main iframe").count()).toBe(0);
}

describe.skipIf(CHROMIUM_MISSING)("hostile values and plugin pages in chromium", () => {
  beforeAll(async () => {
    // `plugins health` and `plugins list` run in this process (what they say, not the process boundary, is compared).
    home = inProcess(createHome({ config: { auto_disable_after: 2, plugin_configs: { shapes: { region: "us" } } } }));
    const spoof = path.join(home.library, `Author ${RLO_NAME}`, `Title ${RLO_NAME}`);
    fs.mkdirSync(spoof, { recursive: true });
    writeMp3(path.join(spoof, "01.mp3"), { artist: `Author ${RLO_NAME}`, album: `Title ${RLO_NAME}` });
    const plain = path.join(home.library, "Plain Author", "Plain Title");
    fs.mkdirSync(plain, { recursive: true });
    writeMp3(path.join(plain, "01.mp3"), { artist: "Plain Author", album: "Plain Title" });
    // Markup everywhere a plugin author (or a service it calls) controls text.
    home.plugin("evil", {
      code: nodePlugin(`process(book) { console.log(${JSON.stringify(`log ${MARKUP(1)}`)}); throw new Error(${JSON.stringify(`failed ${MARKUP(2)} ${RLO_NAME}`)}); }`),
      manifest: {
        name: `Evil ${MARKUP(3)}`,
        description: `Description ${MARKUP(4)} ${RLO_NAME}`,
        config_schema: {
          type: "object",
          properties: {
            mode: { type: "string", title: `Mode ${MARKUP(5)}`, description: `Help ${MARKUP(6)}`, enum: ["fast", `slow ${MARKUP(7)}`, `odd ${RLO_NAME}`] },
          },
        },
      },
    });
    // Every JSON Schema shape real plugins use.
    home.plugin("shapes", {
      code: nodePlugin(`process(book) { return null; }`),
      manifest: {
        name: "Shapes",
        requires_config: [],
        config_schema: {
          type: "object",
          required: ["region"],
          properties: {
            region: { type: "string", title: "Region", enum: ["us", "uk", "de"], enumNames: ["United States", "United Kingdom", "Germany"] },
            quality: { type: "integer", title: "Quality", enum: [64, 128, 320] },
            strict: { type: "boolean", title: "Strict matching" },
            max_results: { type: "integer", title: "Max results", minimum: 1, maximum: 10, description: "how many candidates to compare" },
            server: {
              type: "object",
              title: "Server",
              properties: { url: { type: "string", title: "Server URL" }, retries: { type: "integer", title: "Retries", minimum: 0, maximum: 5 } },
            },
            ignore_authors: { type: "array", title: "Ignore authors", items: { type: "string" } },
            api_key: { type: "string", title: "API key", writeOnly: true },
          },
        },
      },
    });
    home.plugin("idle", { code: nodePlugin(`process(book) { return null; }`), manifest: { name: "Never ran" } });
    home.plugin("spoofed", { code: nodePlugin(`process(book) { return null; }`), manifest: { name: `Spoofed ${RLO_NAME}` } });
    // A Cyrillic а in "Path": on screen the built-in layer's name (disabled with idle: it never runs).
    home.plugin("lookalike", { code: nodePlugin(`process(book) { return null; }`), manifest: { name: "P\u0430th" } });
    ({ service, app, base, browser, page } = await openWebApp(home));
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      // A refused save answers 400: the browser logs the response; anything else is a page problem.
      if (message.type() === "error" && !/status of 40[09]/.test(message.text())) problems.push(message.text());
    });
    const post = (url: string) => fetch(`${base}${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    // "idle" never runs: its numbers and chart must hold with nothing recorded.
    expect((await post("/api/plugins/idle/disable")).status).toBe(200);
    expect((await post("/api/plugins/lookalike/disable")).status).toBe(200);
    expect((await post("/api/scan")).status).toBe(202);
    await service.idle();
    expect((await post("/api/process")).status).toBe(202);
    await service.idle();
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("a direction override in a name is confined and marked: it cannot turn gnp.exe into exe.png, nor reorder what follows", async () => {
    const { books } = (await (await fetch(`${base}/api/books?text=${encodeURIComponent("gnp.exe")}`)).json()) as { books: { id: number }[] };
    expect(books.length).toBe(1);
    for (const hash of ["#/books", `#/books/${books[0]!.id}`, "#/plugins/evil", "#/health", "#/health/evil"]) {
      await go(hash);
      await page.locator(".bidi-control").first().waitFor();
      expect(await unconfinedControls(page), hash).toEqual([]);
    }
    // The text itself keeps the character (a search or a copy finds the real name), and the mark shows it.
    await go(`#/books/${books[0]!.id}`);
    expect(await page.locator("main p.path").textContent()).toContain(`Title ${RLO_NAME}`);
    // The window's title is the page's heading with the control marked, never raw (the tab would read "exe.png").
    // The window's title is the page's heading with a control marked, never raw (the tab would read "exe.png"):
    // a plugin's name keeps its characters.
    await go("#/plugins/shapes");
    await go("#/plugins/spoofed");
    await expect.poll(() => page.title()).toBe("Spoofed [U+202E]gnp.exe · shelfwise");
    expect(await page.locator(".bidi-control").first().evaluate((el) => getComputedStyle(el, "::before").content)).toContain("U+202E");
    // An <option> holds text only: the mark replaces the character there, the value stays the enum's.
    await go("#/plugins/evil");
    const option = page.locator("main select option", { hasText: "odd" });
    expect(await option.textContent()).toBe("odd [U+202E]gnp.exe");
    await screenshot(page, "h1-direction-override");
  });

  it("markup in a plugin's name, description, settings titles, enum values, log and errors is shown as text", async () => {
    for (const hash of ["#/plugins", "#/plugins/evil", "#/health", "#/health/evil", "#/"]) {
      await go(hash);
      await page.getByText(/Evil <img|failed <img|Description <img|lookup|plugin evil/).first().waitFor();
      await expectNoMarkupRan();
    }
    await go("#/plugins/evil");
    await page.getByText(`Description ${MARKUP(4)}`, { exact: false }).waitFor();
    await page.getByText(`Help ${MARKUP(6)}`).waitFor();
    expect(await page.locator("pre.log").textContent()).toContain(`log ${MARKUP(1)}`);
    expect(await page.getByLabel(/^Mode </).locator("option").allTextContents()).toContain(`slow ${MARKUP(7)}`);
    await go("#/health/evil");
    await page.getByText(`failed ${MARKUP(2)}`, { exact: false }).first().waitFor();
    await expectNoMarkupRan();
    // The list, where a switch is clicked by name, warns of a name that reads as another layer's, as `plugins list`.
    await go("#/plugins");
    const row = page.locator("main tr", { has: page.getByRole("link", { name: "P\u0430th", exact: true }) });
    expect(await row.locator('[data-field="warnings"]').textContent()).toBe(
      'warning: name "P\u0430th" reads as the built-in layer path (read U+0430, a Cyrillic letter, as "a"); this plugin\'s id is lookalike (the id is what grants, switches and logs name)',
    );
  });

  it("the settings form has a labelled field for every shape (enum with labels, integer enum, boolean, bounded integer, nested object, list, secret) and saves typed values", async () => {
    await go("#/plugins/shapes");
    const form = page.getByRole("form", { name: "Plugin settings" });
    await form.getByLabel("Region").selectOption({ label: "United Kingdom" });
    await form.getByLabel("Quality").selectOption({ label: "320" });
    await form.getByLabel("Strict matching").check();
    await form.getByLabel("Max results").fill("7");
    await form.getByRole("group", { name: "Server" }).getByLabel("Server URL").fill("https://books.example");
    await form.getByRole("group", { name: "Server" }).getByLabel("Retries").fill("2");
    // An item may hold a comma: one a line.
    await form.getByLabel("Ignore authors").fill("Smith, John\nAnonymous");
    await form.getByLabel("API key").fill("s3cret-value");
    let notices = await watchNotices(page);
    await form.getByRole("button", { name: "Save settings" }).click();
    await notices.shown("settings saved");
    expect(config().plugin_configs.shapes).toEqual({
      region: "uk",
      quality: 320,
      strict: true,
      max_results: 7,
      server: { url: "https://books.example", retries: 2 },
      ignore_authors: ["Smith, John", "Anonymous"],
    });
    // The secret setting is kept in secrets.json, never config.json.
    expect(storedSecrets()["plugin_configs.shapes.api_key"]).toBe("s3cret-value");
    // The secret is write-only: never in the page, its field empty; saving again keeps it.
    await go("#/plugins/shapes");
    expect(await page.content()).not.toContain("s3cret-value");
    expect(await page.getByLabel("API key").inputValue()).toBe("");
    // Read at once, not polled: the form is never drawn again from the copy read before the save (it showed
    // "(not set)" until the reload answered; stale-answers.test.ts holds that reload).
    expect(await page.getByLabel("Quality").locator("option:checked").textContent()).toBe("320");
    expect(await page.getByLabel("Ignore authors").inputValue()).toBe("Smith, John\nAnonymous");
    notices = await watchNotices(page);
    await page.getByRole("button", { name: "Save settings" }).click();
    await notices.shown("settings saved");
    expect(storedSecrets()["plugin_configs.shapes.api_key"]).toBe("s3cret-value");
    expect(config().plugin_configs.shapes.api_key).toBeUndefined();
    // A save draws the form afresh: the keyboard stays where it was (Save; the field Enter was pressed in), not
    // dropped on the page's body with the old form.
    const focused = () => page.evaluate(() => (document.activeElement?.id || document.activeElement?.textContent) ?? null);
    await page.getByRole("button", { name: "Save settings" }).focus();
    notices = await watchNotices(page);
    await page.keyboard.press("Enter");
    await notices.shown("settings saved");
    await expect.poll(focused).toBe("Save settings");
    const maxResults = page.getByRole("form", { name: "Plugin settings" }).getByLabel("Max results");
    await maxResults.fill("8");
    // Marked, to tell the field of the form drawn after the save (the same id) from this one.
    await maxResults.evaluate((field) => field.setAttribute("data-before-save", ""));
    await maxResults.press("Enter");
    await expect.poll(() => config().plugin_configs.shapes.max_results).toBe(8);
    const maxId = await maxResults.getAttribute("id");
    await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute("data-before-save") === false && document.activeElement.id)).toBe(maxId);
    await screenshot(page, "h2-settings-form");
  });

  it("refused settings are shown beside their fields (the focus on the first), and nothing is saved", async () => {
    const before = config().plugin_configs.shapes;
    await go("#/plugins/shapes");
    const form = page.getByRole("form", { name: "Plugin settings" });
    await form.getByLabel("Max results").fill("50");
    await form.getByRole("group", { name: "Server" }).getByLabel("Retries").fill("9");
    await form.getByRole("button", { name: "Save settings" }).click();
    const max = form.getByLabel("Max results");
    await expect.poll(() => max.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await max.getAttribute("aria-describedby"))!.split(" ");
    const errorText = await page.locator(`#${describedBy.at(-1)!}`).textContent();
    expect(errorText).toContain("must be <= 10");
    // What was typed stays to be corrected (the form is drawn again with the errors, not reset).
    expect(await max.inputValue()).toBe("50");
    const retries = form.getByRole("group", { name: "Server" }).getByLabel("Retries");
    expect(await retries.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(`#${(await retries.getAttribute("aria-describedby"))!.split(" ").at(-1)!}`).textContent()).toContain("must be <= 5");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("max_results");
    expect(config().plugin_configs.shapes).toEqual(before);
    await screenshot(page, "h3-settings-errors");
  });

  it("two tabs on one plugin's settings: a save from the second keeps what the first saved; a field both changed is refused, named, nothing written", async () => {
    const other = await browser.context.newPage();
    try {
      // Away and back: the form is drawn afresh (the last test left refused values typed in it).
      await go("#/plugins");
      await go("#/plugins/shapes");
      await other.goto(`${base}/#/plugins/shapes`);
      await other.locator("main h1").first().waitFor();
      const before = config().plugin_configs.shapes;
      const form = page.getByRole("form", { name: "Plugin settings" });
      const otherForm = other.getByRole("form", { name: "Plugin settings" });
      // Both tabs are open with the same values; each changes one field and saves.
      await form.getByLabel("Max results").fill("3");
      await otherForm.getByLabel("Quality").selectOption({ label: "64" });
      let notices = await watchNotices(page);
      const otherNotices = await watchNotices(other);
      await form.getByRole("button", { name: "Save settings" }).click();
      await notices.shown("settings saved");
      await otherForm.getByRole("button", { name: "Save settings" }).click();
      await otherNotices.shown("settings saved");
      expect(config().plugin_configs.shapes).toMatchObject({ region: before.region, max_results: 3, quality: 64 });
      // The same field changed in both: the second save is refused, naming it; the first tab's value stays.
      await page.reload();
      await page.locator("main h1").first().waitFor();
      await other.reload();
      await other.locator("main h1").first().waitFor();
      await form.getByLabel("Max results").fill("4");
      await otherForm.getByLabel("Max results").fill("5");
      notices = await watchNotices(page);
      await form.getByRole("button", { name: "Save settings" }).click();
      await notices.shown("settings saved");
      await otherForm.getByRole("button", { name: "Save settings" }).click();
      await other.getByText(/changed elsewhere .*max_results/).waitFor();
      expect(config().plugin_configs.shapes).toMatchObject({ region: before.region, max_results: 4, quality: 64 });
      // What was typed there is still in the form.
      expect(await otherForm.getByLabel("Max results").inputValue()).toBe("5");
    } finally {
      await other.close();
    }
  });

  it("a 300-character title with markup, control characters and a direction override: the window's title is cut with an ellipsis, one line, marked; the page keeps it whole as text", async () => {
    const found = (await (await fetch(`${base}/api/books?text=Plain%20Title`)).json()) as { books: { id: number; title: string }[] };
    const book = found.books[0]!;
    const hostile = `<img src=x onerror=window.__pwned=9>\u202Eline\nbreak\ttab\u0007bell\u0000 ${"Long ".repeat(60)}end`;
    const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
    try {
      db.prepare("UPDATE books SET title = ? WHERE id = ?").run(hostile, book.id);
      await go(`#/books/${book.id}`);
      await expect.poll(() => page.locator("main h1").first().textContent()).toContain("end");
      const title = await page.title();
      expect(title.endsWith("… · shelfwise"), title).toBe(true);
      // 80 letters of the heading, the override's mark (8 letters for its one) and the suffix, at most.
      expect([...title].length).toBeLessThanOrEqual(80 + 7 + " · shelfwise".length);
      expect(title).toMatch(/^<img src=x onerror=window.__pwned=9>\[U\+202E\]line break tab bell Long Long/);
      expect(title).not.toMatch(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u);
      expect(await page.evaluate(() => document.head.querySelector("title")!.childElementCount)).toBe(0);
      await expectNoMarkupRan();
      expect(await page.locator("main h1").first().textContent()).toContain(hostile.replace(/\u0000/g, "\uFFFD").slice(-40));
    } finally {
      db.prepare("UPDATE books SET title = ? WHERE id = ?").run(book.title, book.id);
      db.close();
    }
  });

  it("a letter with hundreds of combining marks (Zalgo text) is drawn with four and a count, not as a column over the page; the text keeps them all", async () => {
    const found = (await (await fetch(`${base}/api/books?text=Plain%20Title`)).json()) as { books: { id: number; title: string }[] };
    const book = found.books[0]!;
    await go(`#/books/${book.id}`);
    // The line above the title (the way back to the list): where a column of marks on the title's first letter runs.
    const above = page.locator("main p", { hasText: "← Books" }).first();
    const before = await above.screenshot();
    const zalgo = `Z${"\u0301".repeat(300)}algo Title`;
    const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
    try {
      db.prepare("UPDATE books SET title = ? WHERE id = ?").run(zalgo, book.id);
      await page.reload();
      await page.locator("main h1").first().waitFor();
      await expect.poll(() => page.locator("main h1").first().textContent()).toContain(zalgo);
      // Nothing drawn over the line above: it looks as it did with a plain title.
      expect((await above.screenshot()).equals(before)).toBe(true);
      expect(await page.locator(".stacked-marks").first().getAttribute("data-count")).toBe("+296 marks");
      await screenshot(page, "h5-stacked-marks");
    } finally {
      db.prepare("UPDATE books SET title = ? WHERE id = ?").run(book.title, book.id);
      db.close();
    }
  });

  it("the health dashboard shows what `plugins health --json` says: calls, failures, p95, state and reason", async () => {
    const cli = await home.json<PluginHealthRow[]>(["plugins", "health", "--json"]);
    const evil = cli.find((r) => r.plugin_id === "evil")!;
    expect(evil.state).toBe("auto-disabled");
    expect(evil.reason).toMatch(/fail/);
    expect(evil.p95_duration_ms).not.toBeNull();
    await go("#/health");
    // The rate and durations are over the last 50 calls, the counts over all of them: each column says which
    // (a plugin with 1,000 calls and 50 recent failures showed "0%" beside "1000" with nothing to tell them apart).
    const header = (await page.locator("table.health thead").innerText()).replace(/\s+/g, " ");
    expect(header).toContain("Success last 50");
    expect(header).toContain("Calls all");
    for (const r of cli) {
      const row = page.locator(`tr[data-plugin="${r.plugin_id}"]`);
      const cell = (field: string) => row.locator(`[data-field="${field}"]`).textContent();
      await row.waitFor();
      expect(await row.locator(".badge").first().textContent()).toBe(r.state);
      expect(await cell("total_processed")).toBe(String(r.total_processed));
      expect(await cell("total_resolved")).toBe(String(r.total_resolved));
      expect(await cell("total_skipped")).toBe(String(r.total_skipped));
      // Books a give-up left, apart from the failures (a column of their own, as plugins health --json has them).
      expect(await cell("total_not_run")).toBe(String(r.total_not_run));
      // Said when they differ: the plugin's last calls (a crash with no book is a process that ended between calls).
      const recent = JSON.stringify(service.session.db.prepare("SELECT at, book_id, outcome, error FROM plugin_calls WHERE plugin_id = ? ORDER BY id DESC LIMIT 3").all(r.plugin_id));
      expect(await cell("consecutive_failures"), `${r.plugin_id}, last calls: ${recent}`).toBe(String(r.consecutive_failures));
      expect(await cell("avg_duration_ms")).toBe(r.avg_duration_ms === null ? "–" : String(r.avg_duration_ms));
      expect(await cell("p95_duration_ms")).toBe(r.p95_duration_ms === null ? "–" : String(r.p95_duration_ms));
      expect(await cell("success_rate")).toBe(r.success_rate === null ? "–" : `${Math.round(r.success_rate * 100)}%`);
      // The same reason, its advice in the page's words (a plugin disabled earlier: Enable, not `plugins enable`).
      if (r.reason) expect(await cell("reason")).toBe(forPages(r.reason));
      if (r.last_run) expect(await row.locator('[data-field="last_run"] time').getAttribute("datetime")).toBe(r.last_run);
    }
    await screenshot(page, "h4-health-matches-cli");
  });

  it("a plugin's page shows its isolation as `plugins list --json` gives it, mechanism by mechanism", async () => {
    const listed = (await home.json<{ id: string | null; runtime: string | null; sandbox: string | null; sandbox_lacks: string[] }[]>(["plugins", "list", "--json"])).find((p) => p.id === "shapes")!;
    expect(listed.sandbox).toMatch(/^process\+/);
    await go("#/plugins/shapes");
    expect(await page.locator('[data-field="runtime"]').textContent()).toBe(listed.runtime);
    const words: Record<string, string> = { process: "own process", permission: "Node permission model", seccomp: "seccomp syscall filter", landlock: "Landlock file rules", namespace: "namespaces (bubblewrap)" };
    const shown = (await page.locator('[data-field="sandbox"]').textContent())!;
    expect(shown).toContain(listed.sandbox!.split("+").map((m) => words[m]).join(", "));
    for (const line of listed.sandbox_lacks) expect(shown).toContain(`lacks ${line}`);
  });

  it("charts hold with no data: a plugin that never ran, and one that only skipped", async () => {
    const before = problems.length;
    await go("#/health/idle");
    await page.locator("main .chart-empty").waitFor();
    expect(await page.locator('[data-field="total_processed"]').textContent()).toBe("0");
    // Only skips: no duration to draw, and no broken chart.
    service.session.db.transaction(() =>
      recordCalls(service.session.db, "idle", [{ plugin_id: "idle", book_id: null, at: new Date().toISOString(), outcome: "skipped", duration_ms: 0, resolved: false, error: null }], () => false),
    )();
    await page.reload();
    await page.getByText("No call that ran yet (1 skipped).").waitFor();
    expect(problems.slice(before)).toEqual([]);
  });

  it("follows a run live: calls recorded during a job show without leaving the page", async () => {
    await go("#/health/shapes");
    const calls = page.locator('[data-field="total_processed"]');
    const start = Number(await calls.textContent());
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    service.startJob("process", "process", async (job) => {
      const now = Date.now();
      recordCalls(
        service.session.db,
        "shapes",
        [0, 1, 2].map((i) => ({ plugin_id: "shapes", book_id: null, at: new Date(now + i).toISOString(), outcome: "ok", duration_ms: 10 + i, resolved: true, error: null })),
        () => false,
      );
      service.progress(job, 3, 10);
      await held;
      return "done";
    });
    try {
      await expect.poll(async () => Number(await calls.textContent()), { timeout: 60_000 }).toBe(start + 3);
      await page.locator(".chart canvas").waitFor();
      expect(await page.locator("main h1").textContent()).toBe("Shapes");
    } finally {
      finish();
      await service.idle();
    }
  });

  it("an address with a stray % (a hand-made or hostile link) shows its own page's answer, neither the page before nor a blank one; an unknown page says so in its heading", async () => {
    // decodeURIComponent threw on "%": the app stopped drawing and the page open before stayed under the new address.
    await go("#/plugins");
    await page.goto(`${base}/#/books/%`);
    await page.locator("main", { hasText: /whole number/ }).waitFor();
    await expect(page.locator("main h1", { hasText: "Plugins" }).count()).resolves.toBe(0);
    // A book that cannot be shown names the address asked for, in its heading and the window's title.
    await expect.poll(() => page.title()).toBe("Book % · shelfwise");
    await go("#/no-such-page");
    await expect(page.locator("main h1").textContent()).resolves.toBe("No such page");
    await expect.poll(() => page.title()).toBe("No such page · shelfwise");
  });

  it("no page logged a script error", () => {
    expect(problems).toEqual([]);
  });
});
