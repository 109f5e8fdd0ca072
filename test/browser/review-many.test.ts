/**
 * The Review page with more proposals than a page shows (200): "Apply all N moves (every page)…" asks first, by
 * keyboard too (Cancel or Escape gives the focus back to the button that asked), then applies every proposal of
 * the filters; "Select all" took only the page's 200.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import type { FastifyInstance } from "fastify";
import { CHROMIUM_MISSING, closeWebApp, openWebAppWithMoves, type Browser } from "./support.js";

const BOOKS = 230;
let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
/** What the console said of errors (a script error, a failed request) while the tests ran: nothing. */
const consoleErrors: string[] = [];

describe.skipIf(CHROMIUM_MISSING)("the Review page with more proposals than a page, in chromium", () => {
  beforeAll(async () => {
    ({ home, service, app, base, browser, page } = await openWebAppWithMoves(BOOKS));
    page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("applies every page's proposals after a question answered by keyboard; Cancel asks nothing", async () => {
    await page.goto(`${base}/#/review`);
    const all = page.getByRole("button", { name: `Apply all ${BOOKS} moves (every page)…` });
    await all.waitFor();
    await all.focus();
    await page.keyboard.press("Enter");
    const question = page.getByRole("group", { name: "Confirm applying every page" });
    await question.getByText(`Move all ${BOOKS} books of these filters, every page?`).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(`Move all ${BOOKS}`);
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await question.getByRole("button", { name: "Cancel" }).click();
    await all.waitFor();
    // The question gone, the keyboard is back on the button that asked (not on the page's body, at its top).
    await expect.poll(focused).toBe(`Apply all ${BOOKS} moves (every page)…`);
    // Escape answers "no" as Cancel does, the focus back on the button too.
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe(`Move all ${BOOKS}`);
    await page.keyboard.press("Escape");
    await expect.poll(focused).toBe(`Apply all ${BOOKS} moves (every page)…`);
    expect(await question.count()).toBe(0);
    expect(fs.readdirSync(path.join(home.library, "inbox")).length).toBe(BOOKS);
    await all.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(`Move all ${BOOKS}`);
    await page.keyboard.press("Enter");
    await page.getByText("No proposals to move with these filters.").waitFor({ timeout: 60_000 });
    // Emptied, the folder the books came from is removed too.
    expect(fs.existsSync(path.join(home.library, "inbox")) ? fs.readdirSync(path.join(home.library, "inbox")).length : 0).toBe(0);
    expect(fs.readdirSync(path.join(home.library, "Jules Verne")).length).toBe(BOOKS);
  });

  it("undoes the whole last apply only after a question: Cancel and Escape move nothing back, the focus back on the button", async () => {
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    const undo = page.getByRole("button", { name: `Undo the last apply (${BOOKS} moves)…` });
    await undo.waitFor({ timeout: 30_000 });
    await undo.focus();
    await page.keyboard.press("Enter");
    const question = page.getByRole("group", { name: "Confirm undoing the last apply" });
    await question.getByText(`Move ${BOOKS} books of the last apply back to where they were?`).waitFor();
    await expect.poll(focused).toBe(`Move ${BOOKS} back`);
    await question.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(focused).toBe(`Undo the last apply (${BOOKS} moves)…`);
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe(`Move ${BOOKS} back`);
    await page.keyboard.press("Escape");
    await expect.poll(focused).toBe(`Undo the last apply (${BOOKS} moves)…`);
    expect(fs.readdirSync(path.join(home.library, "Jules Verne")).length).toBe(BOOKS);
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe(`Move ${BOOKS} back`);
    await page.keyboard.press("Enter");
    // What happened is said where it was asked: the last undo's outcome.
    await page.locator("main").getByText(/Last undo: done/).waitFor({ timeout: 90_000 });
    expect(fs.readdirSync(path.join(home.library, "inbox")).length).toBe(BOOKS);
  });

  it("said no error in the console meanwhile", () => {
    expect(consoleErrors).toEqual([]);
  });
});
