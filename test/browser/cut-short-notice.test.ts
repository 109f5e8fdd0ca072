/**
 * The dashboard's notice of a job a killed server cut short, in a real browser: Dismiss works from the keyboard and
 * leaves the focus on the page, the notice stays gone after a reload and in a second tab; and a `scan` or `process`
 * the CLI runs to its end while the server runs ends the notice of that kind on the open page, without a restart.
 */
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { writeJobMarker } from "../../src/store/job-marker.js";
import type { ShelfService } from "../../src/server/service.js";
import { runCliInProcess } from "../support/cli-in-process.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type Browser } from "./support.js";

let opened: { home: TestHome; service: ShelfService; app: FastifyInstance; browser: Browser; page: Page; base: string } | undefined;
afterEach(async () => {
  if (opened) await closeWebApp(opened);
  opened = undefined;
});

/** A server opened over the marker a server killed mid-job leaves (its pid a process long gone), its dashboard open. */
async function afterKill(kind: "scan" | "process") {
  const home = createHome({ books: 1 });
  const db = openDatabase(path.join(home.dataDir, "shelfwise.db"));
  writeJobMarker(db, { kind, label: kind, started_at: new Date(Date.now() - 60_000).toISOString(), pid: 2 ** 22 + 7 });
  db.close();
  const web = await openWebApp(home);
  opened = { home, ...web };
  const errors: string[] = [];
  web.page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  web.page.on("pageerror", (error) => errors.push(error.message));
  await web.page.goto(`${web.base}/#/`);
  await web.page.locator('li[data-problem="job_cut_short"]').waitFor();
  return { ...opened, errors };
}

const notice = (page: Page) => page.locator('li[data-problem="job_cut_short"]');

describe.skipIf(CHROMIUM_MISSING)("the dashboard's notice of a job cut short", () => {
  it("Dismiss from the keyboard: the notice goes, the focus stays on the page, and it is gone in a second tab and after a reload", async () => {
    const { page, base, browser, errors } = await afterKill("process");
    const second = await browser.context.newPage();
    await second.goto(`${base}/#/`);
    await notice(second).waitFor();
    const dismiss = notice(page).getByRole("button", { name: /Dismiss/ });
    // Named for what it dismisses: a bare "Dismiss" beside other problems' links says nothing to a screen reader.
    await expect(dismiss.getAttribute("aria-label")).resolves.toBe("Dismiss the notice of the job cut short");
    await dismiss.focus();
    await page.keyboard.press("Enter");
    await notice(page).waitFor({ state: "detached" });
    // Where the keyboard was is still on the page: the next Tab goes on from there, not from the top.
    await expect.poll(() => page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null && document.activeElement.isConnected)).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toMatch(/Needs you|Dashboard/);
    await notice(second).waitFor({ state: "detached" });
    await page.reload();
    await page.locator("main h1").waitFor();
    await page.locator('section[aria-label="Books by status"]').waitFor();
    await expect(notice(page).count()).resolves.toBe(0);
    await second.close();
    expect(errors).toEqual([]);
  });

  it("a CLI scan or process run to its end while the server runs ends the notice of its kind on the open page", async () => {
    const { page, home, errors } = await afterKill("process");
    // A scan is no run of the pipeline: what was cut short is still to do.
    expect((await runCliInProcess(["scan"], { dataDir: home.dataDir })).code).toBe(0);
    await page.locator("section.cards strong").first().filter({ hasText: /^1$/ }).waitFor();
    await expect(notice(page).count()).resolves.toBe(1);
    const processed = await runCliInProcess(["process"], { dataDir: home.dataDir });
    expect(processed.code, processed.stderr).toBe(0);
    await notice(page).waitFor({ state: "detached" });
    await page.reload();
    await page.locator('section[aria-label="Books by status"]').waitFor();
    await expect(notice(page).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
