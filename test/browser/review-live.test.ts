/**
 * What a screen reader is told on the Review page, in chromium: an apply running says it started, each quarter of
 * its count at most and its end (with what it says of it), never each number the visible progress shows; a dry
 * run's summary is said, from a region that was on the page before it (a region drawn anew with its words is not
 * reliably read), and its list of failures is not live, nor are the last apply's report lists.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUserFields } from "../../src/organize/index.js";
import { CHROMIUM_MISSING, closeWebApp, openWebAppWithMoves, type WebApp } from "./support.js";
import type { TestHome } from "../support/plugin-fixtures.js";

let web: WebApp & { home: TestHome };
let page: Page;

const LIVE = '[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]';

/** Records every text the page's live regions held, each time the page changed: what a screen reader was told. */
async function recordLive(): Promise<void> {
  await page.evaluate((selector) => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    const live = () => [...document.querySelectorAll(selector)].map((el) => (el.textContent ?? "").trim()).filter(Boolean).join(" | ");
    new MutationObserver(() => {
      const now = live();
      if (said.at(-1) !== now) said.push(now);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, LIVE);
}

const said = () => page.evaluate(() => (window as unknown as { said: string[] }).said);

describe.skipIf(CHROMIUM_MISSING)("the Review page's live regions", () => {
  beforeAll(async () => {
    web = await openWebAppWithMoves(3);
    page = web.page;
  });

  afterAll(async () => {
    await closeWebApp(web ?? {});
  });

  it("an apply running is said at its start, at each quarter at most and at its end, not at every tick", async () => {
    await page.goto(`${web.base}/#/review`);
    await page.locator("table.plan").waitFor();
    await recordLive();
    const TOTAL = 8;
    const ticks: Promise<void>[] = [];
    const steps: (() => void)[] = [];
    // One more than the ticks: the job ends only once its last number has been seen drawn.
    for (let i = 0; i <= TOTAL; i++) ticks.push(new Promise<void>((resolve) => steps.push(resolve)));
    web.service.startJob("apply", "apply", async (job) => {
      for (let done = 1; done <= TOTAL; done++) {
        await ticks[done - 1];
        web.service.progress(job, done, TOTAL);
      }
      await ticks[TOTAL];
      return `moved ${TOTAL}`;
    });
    const progress = page.locator("section[data-running=apply]");
    for (let done = 1; done <= TOTAL; done++) {
      steps[done - 1]!();
      await progress.getByText(`${done} of ${TOTAL} books`).waitFor();
    }
    steps[TOTAL]!();
    await web.service.idle();
    await page.locator("[data-job-announce]", { hasText: `Job done: apply (moved ${TOTAL})` }).waitFor();
    const told = await said();
    // Each number was drawn (above) but none was said.
    expect(told.filter((s) => new RegExp(`\\b\\d+ of ${TOTAL}\\b`).test(s))).toEqual([]);
    const percentages = [...new Set(told.flatMap((s) => s.match(/\d+% done/g) ?? []))];
    expect(percentages).toEqual(["25% done", "50% done", "75% done"]);
    expect(told.some((s) => s.includes("Job started: apply"))).toBe(true);
    expect(told.at(-1)).toContain(`Job done: apply (moved ${TOTAL})`);
    // Said once: the header's line, back to "idle", is not a status region read after it.
    expect(told.filter((s) => /\bidle\b/.test(s))).toEqual([]);
    // Start, three quarters, end: a screen reader heard five things, not eight numbers.
    expect(told.length).toBeLessThanOrEqual(6);
  });

  it("a dry run's summary is said from a region already on the page; its failures and the report lists are not live", async () => {
    await page.goto(`${web.base}/#/review`);
    await page.locator("table.plan").waitFor();
    // The summary's region is there before any dry run, empty.
    await expect(page.locator("[data-dry-summary][role=status]").textContent()).resolves.toBe("");
    await recordLive();
    const rows = page.locator("table.plan tbody tr");
    await rows.nth(0).getByRole("checkbox").check();
    await rows.nth(1).getByRole("checkbox").check();
    // One of the two changes under the page: the dry run lists it as a failure.
    const id = Number((await rows.nth(0).locator("a").getAttribute("href"))!.split("/").pop());
    setUserFields({ db: web.service.session.db, config: web.service.session.config }, id, { set: { title: "Renamed Meanwhile" } });
    await page.getByRole("button", { name: "Dry run (2)" }).click();
    await page.locator("[data-dry-summary]", { hasText: /^Would move 1; 1 would fail; 0 held\. Nothing was moved\.$/ }).waitFor();
    const failure = page.locator("[data-dry-run] li", { hasText: "Renamed Meanwhile" });
    await failure.waitFor();
    expect(await failure.evaluate((li, selector) => li.closest(selector) === null, LIVE)).toBe(true);
    const told = await said();
    expect(told.some((s) => s.includes("Renamed Meanwhile"))).toBe(false);
    // No region of the page holds a list, a table or a progress bar: each would be read out whole when redrawn.
    expect(await page.evaluate((selector) => [...document.querySelectorAll(`main :is(${selector})`)].filter((el) => el.querySelector("li, table, progress")).length, LIVE)).toBe(0);
  });
});
