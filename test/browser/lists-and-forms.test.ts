/**
 * Lists and forms as a user meets them, in a real browser. The books list's filters and empty states: several statuses ticked at once (by keyboard,
 * the API's `status=a,b`), the Author filter compared as search compares (case and accents ignored), and a
 * list with nothing to show saying why (no books yet; nothing matches the filters) instead of a table header
 * over nothing and a pager with nowhere to go. The Settings page's refusals: each problem beside its field in
 * plain words, the focus on the first field to fix, and everything typed left as it was.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, screenshot, watchNotices, type Browser } from "./support.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
const scriptErrors: string[] = [];

async function go(hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.locator("main h1").first().waitFor();
}

function book(folder: string, tags: { artist?: string; album?: string }): void {
  fs.mkdirSync(path.join(home.library, folder), { recursive: true });
  writeMp3(path.join(home.library, folder, "01.mp3"), { ...tags, title: tags.album ?? "Chapter 1", track: "1" });
}

const rows = () => page.locator("table.books[aria-busy=false] tbody tr");
const statuses = () => rows().locator(".badge").allTextContents();
const api = async (query: string) => (await (await fetch(`${base}/api/books?${query}`)).json()) as { total: number };

describe.skipIf(CHROMIUM_MISSING)("books list filters in chromium", () => {
  beforeAll(async () => {
    home = createHome();
    book("Émile Zola/Germinal", { artist: "Émile Zola", album: "Germinal" });
    book("Лев Толстой/Война и мир", { artist: "Лев Толстой", album: "Война и мир" });
    book("misc/x1", {});
    ({ service, app, base, browser, page } = await openWebApp(home));
    // Refused addresses answer 400 (the console's "Failed to load resource" is expected here): no script may fail.
    page.on("pageerror", (error) => scriptErrors.push(error.message));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("before the first scan says there are no books yet and how to get them, without an empty table", async () => {
    await go("#/books");
    await page.locator('[data-empty="library"]', { hasText: "No books yet" }).waitFor();
    expect(await page.locator("table.books").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Next" }).count()).toBe(0);
    await screenshot(page, "50-books-none-yet");
  });

  it("ticks several statuses by keyboard, in the address as the API's list; the focus stays on the box", async () => {
    service.startScan();
    await service.idle();
    service.startProcess({});
    await service.idle();
    // One more book, scanned but not processed: status new.
    book("Later/Book", { artist: "Later Writer", album: "Later Book" });
    service.startScan();
    await service.idle();
    const byStatus = service.status().by_status;
    expect(byStatus.new).toBe(1);
    const processed = Object.keys(byStatus).filter((s) => s !== "new");
    expect(processed.length).toBeGreaterThan(0);
    const other = processed[0]!;

    await go("#/books");
    await rows().first().waitFor();
    const box = (status: string) => page.getByRole("checkbox", { name: status.replace("_", " "), exact: true });
    await box(other).focus();
    await page.keyboard.press("Space");
    await page.waitForURL(new RegExp(`status=${other}$`));
    await expect.poll(statuses).toEqual(Array(byStatus[other]).fill(other.replace("_", " ")));
    await box("new").focus();
    await page.keyboard.press("Space");
    // In the statuses' own order, whatever order they were ticked in.
    await page.waitForURL(new RegExp(`status=new%2C${other}$`));
    await expect.poll(async () => (await statuses()).sort()).toEqual([...Array(byStatus[other]).fill(other.replace("_", " ")), "new"].sort());
    expect((await api(`status=new,${other}`)).total).toBe(byStatus[other]! + 1);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe("new");
    expect(await box("new").isChecked()).toBe(true);
    expect(await box(other).isChecked()).toBe(true);
    await screenshot(page, "51-books-two-statuses");
    // Both unticked: any status again.
    await page.keyboard.press("Space");
    await box(other).uncheck();
    await page.waitForURL(/#\/books\??$/);
    await expect.poll(() => rows().count()).toBe(4);
  });

  it("finds an author however it is typed (case, accents); says so in words when nothing matches", async () => {
    await go("#/books");
    await page.getByLabel("Author").fill("EMILE ZOLA");
    await page.getByLabel("Author").press("Enter");
    await page.waitForURL(/author=EMILE/);
    await expect.poll(() => rows().locator("td:nth-child(3)").allTextContents()).toEqual(["Émile Zola"]);
    await page.getByLabel("Author").fill("лев толстой");
    await page.getByLabel("Author").press("Enter");
    await expect.poll(() => rows().locator("td:nth-child(3)").allTextContents()).toEqual(["Лев Толстой"]);

    await page.getByLabel("Author").fill("Nobody At All");
    await page.getByLabel("Author").press("Enter");
    const empty = page.locator('[data-empty="filtered"]');
    await empty.getByText("No book matches these filters").waitFor();
    expect(await page.locator("table.books").count()).toBe(0);
    // What was typed stays in the field.
    expect(await page.getByLabel("Author").inputValue()).toBe("Nobody At All");
    await screenshot(page, "52-books-nothing-matches");
    await empty.getByRole("link", { name: "Clear them" }).click();
    await expect.poll(() => rows().count()).toBe(4);
  });

  it("an address the API refuses (pasted, edited) names the filter by its label, not the API's `query.` parameter", async () => {
    // Programs keep the parameter's place in the message and get it by name in `fields`.
    const refused = await fetch(`${base}/api/books?min_confidence=abc&status=bogus`);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: string; fields?: { field: string; message: string }[] };
    expect(body.error).toContain("query.min_confidence: ");
    expect(body.fields?.map((f) => f.field).sort()).toEqual(["min_confidence", "status"]);

    await go("#/books?min_confidence=abc&status=bogus");
    const alert = page.locator("main [role=alert]");
    await alert.waitFor();
    const words = await alert.textContent();
    expect(words).toMatch(/Min conf\.: /);
    expect(words).toMatch(/Status: /);
    expect(words).not.toContain("query.");
    expect(words).not.toContain("min_confidence");

    // A parameter the list does not have (an old bookmark's, a hand-made link's) is left out: the list is shown.
    await go("#/books?q=x&bogus=1&sort=path");
    await rows().first().waitFor();
    expect(await page.locator("main [role=alert]").count()).toBe(0);
  });

  it("a refused filter is marked where it is typed: the books' and the review's filters beside their inputs", async () => {
    /** The control's own problem, as a screen reader reaches it: aria-invalid, and its description. */
    const besideIt = async (selector: string) => {
      const control = page.locator(selector).first();
      await expect.poll(() => control.getAttribute("aria-invalid")).toBe("true");
      const ids = ((await control.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
      return (await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))).join(" ");
    };
    await go("#/books?min_confidence=abc&status=bogus");
    expect(await besideIt('input[name="min_confidence"]')).toMatch(/number/);
    expect(await besideIt('input[name="status"]')).toMatch(/bogus|status/i);
    expect(await page.locator('input[name="author"]').getAttribute("aria-invalid")).toBeNull();
    await go("#/review?min_confidence=abc");
    expect(await besideIt('input[name="min_confidence"]')).toMatch(/number/);
    // Fixed: the mark goes.
    await page.locator('input[name="min_confidence"]').fill("50");
    await page.locator('input[name="min_confidence"]').press("Enter");
    await expect.poll(() => page.locator('input[name="min_confidence"]').getAttribute("aria-invalid")).toBeNull();
  });

  it("a confidence range upside down (min above max) is said beside Max conf., not as an empty list", async () => {
    await go("#/books?min_confidence=90&max_confidence=10");
    const max = page.locator('input[name="max_confidence"]');
    await expect.poll(() => max.getAttribute("aria-invalid")).toBe("true");
    const beside = page.locator(`[id="${(await max.getAttribute("aria-describedby"))!.split(" ")[0]}"]`);
    expect(await beside.textContent()).toMatch(/below the minimum confidence \(90\)/);
    expect(await page.locator('input[name="min_confidence"]').getAttribute("aria-invalid")).toBeNull();
    expect(scriptErrors).toEqual([]);
  });

  it("HTTP source form: a definition the API refuses shows each problem beside its field, the focus on the first; nothing saved", async () => {
    await go("#/plugins");
    await page.getByRole("button", { name: "Add HTTP source" }).click();
    const form = page.getByRole("form", { name: "Add HTTP source" });
    await form.getByLabel("Kind").selectOption({ label: "Any JSON API (custom)" });
    await form.getByRole("textbox", { name: "Id", exact: true }).fill("my-api");
    const template = form.getByLabel("URL template");
    await template.fill("https://api.example/search?q={{bogus}}");
    const mapping = form.getByLabel("Response mapping (JSON)");
    await mapping.fill('{"title": "no json path"}');
    await form.getByLabel("Authentication").selectOption({ label: "none" });
    await form.getByRole("button", { name: "Save source" }).click();
    await page.locator(".notice", { hasText: /not added: 2 problems \(shown beside their fields\)/ }).waitFor();
    for (const [control, words] of [
      [template, /unknown placeholder \{\{bogus\}\}/],
      [mapping, /\S/],
    ] as const) {
      expect(await control.getAttribute("aria-invalid")).toBe("true");
      const ids = (await control.getAttribute("aria-describedby"))!.split(" ");
      expect(await page.locator(`[id="${ids.at(-1)!}"]`).textContent()).toMatch(words);
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("definition.url_template");
    expect(await template.inputValue()).toBe("https://api.example/search?q={{bogus}}");
    expect(service.session.config.http_sources).toEqual([]);
    // By keyboard: Escape leaves the form as Cancel does, the focus back on the button that opened it.
    await template.press("Escape");
    await form.waitFor({ state: "detached" });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Add HTTP source");
  });

  it("HTTP source form: a Base URL without its scheme and an Id the server refuses get the server's words (the CLI's), not the browser's", async () => {
    await go("#/plugins");
    await page.getByRole("button", { name: "Add HTTP source" }).click();
    const form = page.getByRole("form", { name: "Add HTTP source" });
    // By name: a refused field's label holds its problem too.
    const id = form.locator('input[name="definition.id"]');
    const url = form.locator('input[name="definition.url"]');
    await id.fill("my.provider");
    await url.fill("abs.example");
    await form.getByRole("button", { name: "Save source" }).click();
    await page.locator(".notice", { hasText: /not added: 2 problems \(shown beside their fields\)/ }).waitFor();
    const beside = async (control: typeof url) => page.locator(`[id="${(await control.getAttribute("aria-describedby"))!.split(" ").at(-1)!}"]`).textContent();
    expect(await beside(url)).toBe('must be an http:// or https:// URL: write https:// (or http:// for a service on your own network) before "abs.example"');
    expect(await beside(id)).toBe("must be 1 to 64 letters, digits, _ or -, not starting with -");
    // No check of the browser's own stands before the server's (a bubble that names no fix, a pattern not the server's).
    expect(await form.evaluate((f: HTMLFormElement) => [...f.elements].filter((e) => !(e as HTMLInputElement).willValidate || (e as HTMLInputElement).checkValidity()).length === f.elements.length)).toBe(true);
    // An Id the page's old pattern refused and the server takes is saved.
    await id.fill("MyProvider");
    await url.fill("https://abs.example");
    await form.getByRole("button", { name: "Save source" }).click();
    await form.waitFor({ state: "detached" });
    expect(service.session.config.http_sources.map((s) => [s.id, s.url])).toEqual([["MyProvider", "https://abs.example"]]);
    // Gone again: no later test's run calls a source that is not there.
    await page.getByRole("button", { name: "Delete MyProvider" }).click();
    await page.getByRole("button", { name: "Really delete MyProvider" }).click();
    await expect.poll(() => service.session.config.http_sources.length).toBe(0);
  });

  it("settings: a refused save shows each problem beside its field in plain words and keeps what was typed", async () => {
    await go("#/settings");
    const threshold = page.locator('input[name="confidence_threshold"]');
    const template = page.locator('input[name="naming_template"]');
    const batch = page.locator('input[name="batch_size"]');
    await threshold.fill("170");
    await template.fill("{author}/{bogus}");
    await batch.fill("25");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.locator(".notice", { hasText: "settings not saved: 2 problems (shown beside their fields)" }).waitFor();
    expect(await page.locator("#settings-confidence_threshold-error").textContent()).toBe("must be at most 100");
    expect(await page.locator("#settings-naming_template-error").textContent()).toMatch(/^unknown placeholder \{bogus\}/);
    expect(await threshold.getAttribute("aria-invalid")).toBe("true");
    expect(await threshold.getAttribute("aria-describedby")).toContain("confidence_threshold-error");
    // The first field to fix, in the page's order.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("naming_template");
    // Nothing saved, and nothing typed lost (a valid change waits with the refused ones).
    expect([await threshold.inputValue(), await template.inputValue(), await batch.inputValue()]).toEqual(["170", "{author}/{bogus}", "25"]);
    expect(service.session.config.confidence_threshold).toBe(60);
    await screenshot(page, "53-settings-refused");
    // Fixed: saved, and the problems go.
    await threshold.fill("70");
    await template.fill("{author}/{title}");
    const notices = await watchNotices(page);
    await page.getByRole("button", { name: "Save settings" }).click();
    await notices.shown("settings saved");
    expect(await page.locator(".field-error").count()).toBe(0);
    expect(service.session.config).toMatchObject({ confidence_threshold: 70, batch_size: 25, naming_template: "{author}/{title}" });
  });

  it("settings: output_path's refusal gives its example folder in a page's words, not in a command line's backticks", async () => {
    await go("#/settings");
    const output = page.locator('input[name="output_path"]');
    const before = service.session.config.output_path;
    // A relative folder (inside the data folder) and the root: each a piece of the example's own words.
    for (const folder of ["Sorted", "/"]) {
      await output.fill(folder);
      await page.getByRole("button", { name: "Save settings" }).click();
      const beside = page.locator("#settings-output_path-error");
      await beside.waitFor();
      const said = (await beside.textContent())!;
      expect(said).toContain("such as ~/Audiobooks/Sorted");
      expect(said).not.toContain("`");
      expect(await output.inputValue()).toBe(folder);
      expect(service.session.config.output_path).toBe(before);
    }
    await output.fill(before ?? "");
  });

  it("HTTP source form: a test without a book title says so by the field, in words, and keeps the form as typed", async () => {
    await go("#/plugins");
    await page.getByRole("button", { name: "Add HTTP source" }).click();
    const id = page.getByRole("textbox", { name: "Id", exact: true });
    await id.fill("my-provider");
    await page.getByLabel("Base URL").fill("http://127.0.0.1:9/");
    await page.getByRole("button", { name: "Test", exact: true }).click();
    await page.locator(".notice", { hasText: "type a book title to test with: the test looks that book up" }).waitFor();
    expect(await page.locator(".notice").textContent()).not.toContain("body.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("source-test-title");
    expect([await id.inputValue(), await page.getByLabel("Base URL").inputValue()]).toEqual(["my-provider", "http://127.0.0.1:9/"]);
  });

  it("every page shows a refused address or form by its labels, not the API's `query.`/`body.` parameter", async () => {
    const plain = async (hash: string, label: RegExp) => {
      await page.goto(`${base}/${hash}`);
      const alert = page.locator("main [role=alert]", { hasText: label });
      await alert.waitFor();
      const words = (await alert.textContent()) ?? "";
      expect(words).not.toMatch(/query\.|body\./);
      return words;
    };
    // The review page's plan, and its history below it.
    expect(await plain("#/review?min_confidence=abc", /Min confidence: /)).not.toContain("min_confidence");
    // A form's request refused by the API's schema (the settings' Add folder, a path past its bound): shown beside the field, in words.
    await go("#/settings");
    await page.getByLabel("Add folder").fill(`/${"x".repeat(5000)}`);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    // Beside the field (its own words, no `body.path`), the notice saying where.
    await page.locator(".notice", { hasText: "folder not added: 1 problem (shown beside its field)" }).waitFor();
    const folder = page.getByLabel("Add folder");
    expect(await folder.getAttribute("aria-invalid")).toBe("true");
    const beside = page.locator(`[id="${(await folder.getAttribute("aria-describedby"))!}"]`);
    expect(await beside.textContent()).toMatch(/4096/);
    expect(await beside.textContent()).not.toMatch(/body\./);
  });

  it("a book, plugin or health page that does not exist says so in words, with the way back to its list", async () => {
    // Named in a heading and the window's title, as a page that exists is (the page before's title stayed).
    for (const [hash, words, back, heading] of [
      ["#/books/999999", /no book with id 999999/, "← Books", "Book 999999"],
      ["#/plugins/nope", /no plugin "nope"/, "← Plugins", "Plugin nope"],
      ["#/health/nope", /no plugin "nope"/, "← Health", "Health of nope"],
      ["#/health/source/nope", /no HTTP source with id "nope"/, "← Health", "Health of nope"],
    ] as const) {
      await page.goto(`${base}/${hash}`);
      await page.getByRole("alert").getByText(words).waitFor();
      await page.getByRole("link", { name: back }).waitFor();
      await expect.poll(() => page.title()).toBe(`${heading} · shelfwise`);
    }
    await page.getByRole("link", { name: "← Health" }).click();
    await page.locator("main h1", { hasText: /^Health: plugins/ }).waitFor();
  });
});
