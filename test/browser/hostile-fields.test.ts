/**
 * Hostile values in the fields a plugin fills and in its own words, and in an HTTP source's name, answers and
 * errors, on every page that shows them, on a 360 px screen: markup, direction overrides, 10,000-character values
 * with no space, and lone surrogates (which JSON carries as `\ud800`): shown as text, each direction control
 * confined, on the screen's width, and no page throws.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import { unconfinedControls } from "./bidi-controls.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type WebApp } from "./support.js";

const MARKUP = (n: number) => `<img src=x onerror=window.__pwned=${n}><script>window.__pwned=${n}</script>`;
const LONG = (letter: string) => letter.repeat(10_000);

let home: TestHome;
let answers: http.Server;
let web: WebApp;
let page: Page;
const errors: string[] = [];

describe.skipIf(CHROMIUM_MISSING)("hostile field values on a 360 px screen", () => {
  beforeAll(async () => {
    // A web service whose answers are as hostile: one answers a book's fields, the other fails with its own words.
    answers = http.createServer((request, response) => {
      if (request.url?.startsWith("/huge")) {
        // 5 MB of one JSON value with no space, markup and direction controls in it.
        response.writeHead(200, { "content-type": "application/json" });
        return void response.end(JSON.stringify({ book: { title: "Plain Title", narrator: `\u202E${MARKUP(13)} \ud800 ${"H".repeat(5 * 1024 * 1024)}` } }));
      }
      if (request.url?.startsWith("/live")) {
        response.writeHead(200, { "content-type": "application/json" });
        return void response.end(JSON.stringify({ book: { title: "Plain Title", narrator: `\u202Egnp.exe ${MARKUP(12)} \ud800 ${LONG("Z")}`, series: `${LONG("Y")} \u202E\ud800`, year: `${MARKUP(14)}\u202E` } }));
      }
      if (request.url?.startsWith("/fail")) {
        response.writeHead(500, { "content-type": "text/plain" });
        return void response.end(`broken \ud800 ${LONG("F")} ${MARKUP(9)} \u202Egnp.exe`);
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ book: { title: `\u202Egnp.exe ${"W".repeat(400)}`, narrator: `Reader \ud800 ${"R".repeat(300)}`, publisher: `${MARKUP(10)}` } }));
    });
    await new Promise<void>((resolve) => answers.listen(0, "127.0.0.1", resolve));
    const service = `http://127.0.0.1:${(answers.address() as { port: number }).port}`;
    const source = (id: string, name: string, at: string) => ({
      id,
      name,
      url_template: `${service}/${at}?q={{title}}`,
      response_mapping: { title: "$.book.title", narrator: "$.book.narrator" },
      allow_private: true,
      only_below_confidence: 100,
    });
    home = createHome({
      config: {
        confidence_threshold: 10,
        http_sources: [source("answers", `Answers ${"Q".repeat(150)} \u202Egnp.exe`, "ok"), source("fails", `Fails ${MARKUP(11)}`, "fail")],
      },
    });
    fs.mkdirSync(path.join(home.library, "incoming", "one"), { recursive: true });
    writeMp3(path.join(home.library, "incoming", "one", "01.mp3"), { artist: "Plain Author", album: "Plain Title" });
    // Every text a plugin controls: its answer's fields, its log, its error, its name and settings' words.
    // Markup in a value is refused (the book's page lists it among the rejected values, as text).
    const answer = {
      series: `${"S".repeat(400)} \u202Egnp.exe`,
      narrator: `\u202Egnp.exe ${"N".repeat(400)}`,
      title: `${MARKUP(1)} ${"T".repeat(300)}`,
      year: "1999",
    };
    home.plugin("hostile", {
      code: nodePlugin(
        `process(book) { console.log(${JSON.stringify(`log \ud800 ${LONG("L")} ${MARKUP(3)} \u202E`)}); return ${JSON.stringify(answer)}; }`,
      ),
      manifest: {
        // As long as a manifest may hold (200 and 4,000 characters).
        name: `Hostile ${"P".repeat(170)} \u202Egnp.exe`,
        description: `Says ${MARKUP(4)} \ud800 ${"D".repeat(3_800)}`,
        config_schema: {
          type: "object",
          properties: {
            [`key ${MARKUP(5)}`]: { type: "string", title: `Title \ud800 ${LONG("T")}`, description: `\u202E${MARKUP(6)}`, enum: [LONG("V"), `\u202E${MARKUP(8)}`] },
            [LONG("k")]: { type: "integer", minimum: 0 },
          },
        },
      },
    });
    home.plugin("failing", {
      code: nodePlugin(`process(book) { throw new Error(${JSON.stringify(`failed \ud800 ${LONG("E")} ${MARKUP(7)} \u202E`)}); }`),
    });
    web = await openWebApp(home, { autoRun: false, viewport: { width: 360, height: 640 } });
    page = web.page;
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !/status of 40[09]/.test(message.text())) errors.push(message.text());
    });
    web.service.startScan();
    await web.service.idle();
    web.service.startProcess({});
    await web.service.idle();
  });

  afterAll(async () => {
    await closeWebApp({ ...web, home });
    await new Promise((resolve) => answers?.close(resolve));
  });

  it("every page that shows them draws them as text, on the screen's width, with no script error", async () => {
    const id = (web.service.session.db.prepare("SELECT id FROM books").get() as { id: number }).id;
    const wide: Record<string, number> = {};
    const unconfined: Record<string, string[]> = {};
    for (const hash of ["#/", "#/books", `#/books/${id}`, "#/review", "#/plugins", "#/plugins/hostile", "#/plugins/failing", "#/health", "#/health/hostile", "#/health/failing", "#/pipeline", "#/sources", "#/health/source/answers", "#/health/source/fails"]) {
      await page.goto(`${web.base}/${hash}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), hash).toBeUndefined();
      expect(await page.locator("main img, main script").count(), hash).toBe(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) wide[hash] = overflow;
      const controls = await unconfinedControls(page);
      if (controls.length > 0) unconfined[hash] = controls;
      const text = (await page.locator("main").textContent()) ?? "";
      if (hash === `#/books/${id}`) {
        expect(text).toContain("S".repeat(400));
        expect(text).toContain("N".repeat(400));
        expect(text).toContain(MARKUP(1));
      }
      if (hash === "#/plugins/hostile") expect(text).toContain("T".repeat(10_000));
      if (hash === "#/health/failing") expect(text).toContain("failed");
    }
    expect(wide, JSON.stringify(wide)).toEqual({});
    expect(unconfined).toEqual({});
    expect(errors).toEqual([]);
  });

  it("the Sources page's live Test shows a hostile answer as text, confined, on the screen's width", async () => {
    const service = `http://127.0.0.1:${(answers.address() as { port: number }).port}`;
    await page.goto(`${web.base}/#/plugins`);
    await page.locator("main h1").first().waitFor();
    await page.getByRole("button", { name: "Add HTTP source" }).click();
    const form = page.getByRole("form", { name: "Add HTTP source" });
    await form.locator("select").first().selectOption("");
    await form.locator('input[name="definition.id"]').fill("live-test");
    await form.locator('textarea[name="definition.response_mapping"]').fill(JSON.stringify({ title: "$.book.title", narrator: "$.book.narrator", series: "$.book.series", year: "$.book.year" }));
    await form.locator("select").nth(1).selectOption("none");
    await form.getByLabel(/Allow private addresses/).check();
    await form.locator("#source-test-title").fill("Plain Title");
    for (const at of ["live", "fail", "huge"]) {
      await form.locator('input[name="definition.url_template"]').fill(`${service}/${at}?q={{title}}`);
      await form.getByRole("button", { name: "Test" }).click();
      const result = form.locator(".test-result");
      await result.waitFor();
      await result.locator("dd").nth(1).filter({ hasText: /\d{3}|no answer/ }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), at).toBeUndefined();
      expect(await page.locator("main img, main script").count(), at).toBe(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, at).toBeLessThanOrEqual(0);
      // The answer panel itself stays inside the form, within the screen.
      const box = await result.boundingBox();
      expect(box!.x + box!.width, at).toBeLessThanOrEqual(360);
      expect(await unconfinedControls(page), at).toEqual([]);
      const text = (await result.textContent()) ?? "";
      // Cut by the source's own limits, the rest shown as it came: as text.
      if (at === "live") {
        expect(text).toContain("Z".repeat(100));
        // The narrator and the series as the source sent them, not only as taken (cleaned, cut): the direction
        // control there, marked; the long value past the field's cut, saying how long it was.
        const sent = result.locator("table.mapped .as-sent");
        expect(await sent.count()).toBeGreaterThanOrEqual(2);
        const narrator = result.locator("tr", { has: page.locator('th:text-is("narrator")') }).locator(".as-sent");
        expect(await narrator.locator(".bidi-control").count()).toBeGreaterThanOrEqual(1);
        const shown = (await narrator.textContent()) ?? "";
        expect(shown).toContain(`\u202Egnp.exe ${MARKUP(12)}`);
        expect(shown).toContain("Z".repeat(1500));
        expect(shown).toMatch(/10,\d{3} characters, the first 2,000 shown/);
      }
      if (at === "fail") expect(text).toContain("500");
      // 5 MB is not put on the page: what is shown is cut, and says so.
      expect(text.length, at).toBeLessThan(200_000);
      await form.getByRole("button", { name: "Test" }).waitFor();
    }
    expect(errors).toEqual([]);
  });
});
