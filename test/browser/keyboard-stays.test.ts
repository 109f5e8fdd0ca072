/**
 * Where the keyboard stays after an action on the Dashboard and the Pipeline page, pressed with the keyboard
 * alone: on the control the user acted on (Scan library, Process, a layer's switch, Run this layer, its move
 * buttons), while the request is on its way, while the job runs and once it has ended; the outcome is said by a
 * live region, not by moving the focus. And the book page shows a book of many files a part at a time.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSampleLibrary } from "../../fixtures/sample-library.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { bookProfile, listBooks } from "../../src/store/books.js";
import { writeProfile } from "../../src/store/book-profiles.js";
import { mergeSource, parseProfile, serializeProfile } from "../../src/domain/profile.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, watchNotices, type WebApp } from "./support.js";

let home: TestHome;
let web: WebApp;
let page: Page;
const consoleErrors: string[] = [];

/** The focused element as a test names it: its id, else its aria-label, else its text. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? null;
  });

/** Holds the next request to `url` until released, so what the page does while it is on its way can be seen. */
async function holdRequest(url: string): Promise<{ arrived: Promise<void>; release: () => void }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrivedNow!: () => void;
  const arrived = new Promise<void>((resolve) => (arrivedNow = resolve));
  await page.route(url, async (route) => {
    arrivedNow();
    await held;
    await route.continue();
  });
  // Bounded: a key press that sent nothing (the control redrawn between focus and press) fails saying so, at once,
  // rather than at vitest's five-minute limit.
  let timer: NodeJS.Timeout | undefined;
  const bounded = Promise.race([
    arrived,
    new Promise<never>((_, reject) => {
      timer = setTimeout(async () => reject(new Error(`the key press sent no request to ${url} within 30 s; the focus was on ${JSON.stringify(await focused().catch(() => null))}`)), 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  bounded.catch(() => null);
  return { arrived: bounded, release };
}

/** Focuses `name`'s control once the page has settled, and checks the focus is still there right before the key. */
async function focusSettled(control: import("playwright-core").Locator, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect.poll(() => control.getAttribute("aria-disabled")).not.toBe("true");
  await control.focus();
  await expect.poll(focused).toBe(name);
}

describe.skipIf(CHROMIUM_MISSING)("the keyboard stays where the user acted", () => {
  beforeAll(async () => {
    home = createHome();
    writeSampleLibrary(home.library);
    // A book of many chapters: its page shows the first ones and a button for the rest.
    const many = path.join(home.library, "Alexandre Dumas", "The Count of Monte Cristo");
    fs.mkdirSync(many, { recursive: true });
    for (let i = 1; i <= 260; i++) fs.writeFileSync(path.join(many, `${String(i).padStart(3, "0")}.mp3`), "");
    web = await openWebApp(home);
    page = web.page;
    page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });

  afterAll(() => closeWebApp({ ...(web ?? {}), home }));

  for (const [name, url, said] of [
    // Process first, on no books yet: the job is short, and it is the focus that is looked at.
    ["Process", "**/api/process", "Job done: process"],
    ["Scan library", "**/api/scan", "Job done: scan"],
  ] as const) {
    it(`Dashboard: Enter on ${name} keeps the keyboard on it while it is sent, while the job runs and after; the end is said`, async () => {
      await page.goto(`${web.base}/#/`);
      const button = page.locator("main section.actions").getByRole("button", { name, exact: true });
      await button.waitFor();
      await button.focus();
      const request = await holdRequest(url);
      try {
        await page.keyboard.press("Enter");
        await request.arrived;
        expect(await focused()).toBe(name);
        request.release();
        await page.locator("[data-job-announce]", { hasText: said }).waitFor({ timeout: 60_000 });
        await web.service.idle();
        await expect.poll(focused).toBe(name);
        expect(await button.getAttribute("aria-disabled")).toBeNull();
      } finally {
        await page.unrouteAll();
      }
    });
  }

  it("Dashboard: while a job runs, Enter on Scan library starts nothing and the keyboard stays on it", async () => {
    await page.goto(`${web.base}/#/`);
    const scan = page.locator("main section.actions").getByRole("button", { name: "Scan library", exact: true });
    await scan.waitFor();
    let finish!: () => void;
    web.service.startJob("process", "process", async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      return "done";
    });
    await page.locator("[data-running-job]").waitFor();
    const scans: string[] = [];
    page.on("request", (r) => r.url().endsWith("/api/scan") && scans.push(r.url()));
    await scan.focus();
    expect(await focused()).toBe("Scan library");
    await page.keyboard.press("Enter");
    finish();
    await web.service.idle();
    await page.locator("[data-running-job]").waitFor({ state: "detached" });
    expect(scans).toEqual([]);
    expect(await focused()).toBe("Scan library");
  });

  it("Pipeline: a layer's switch, Run this layer and its move buttons keep the keyboard while they save, each layer on its own", async () => {
    await page.goto(`${web.base}/#/pipeline`);
    const toggle = page.getByRole("checkbox", { name: "Layer sidecar enabled" });
    await toggle.waitFor();
    await focusSettled(toggle, "Layer sidecar enabled");
    let request = await holdRequest("**/api/layers/sidecar/enabled");
    let notices = await watchNotices(page);
    await page.keyboard.press("Space");
    await request.arrived;
    expect(await focused()).toBe("Layer sidecar enabled");
    // Another layer's controls are not held by this one's save.
    expect(await page.getByRole("button", { name: "Move path down" }).isDisabled()).toBe(false);
    request.release();
    await notices.shown("sidecar disabled: saved", { role: "status" });
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await expect.poll(focused).toBe("Layer sidecar enabled");
    await page.unrouteAll();
    // Back on, by keyboard again: still there once the page has drawn the change.
    await page.keyboard.press("Space");
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect.poll(focused).toBe("Layer sidecar enabled");

    const run = page.getByRole("button", { name: "Run this layer: path" });
    await focusSettled(run, "Run this layer: path");
    request = await holdRequest("**/api/layers/path/run");
    notices = await watchNotices(page);
    await page.keyboard.press("Enter");
    await request.arrived;
    expect(await focused()).toBe("Run this layer: path");
    request.release();
    await notices.shown("path started", { role: "status" });
    await web.service.idle();
    await expect.poll(focused).toBe("Run this layer: path");
    await page.unrouteAll();

    const down = page.getByRole("button", { name: "Move embedded_tags down" });
    await focusSettled(down, "Move embedded_tags down");
    request = await holdRequest("**/api/pipeline/order");
    notices = await watchNotices(page);
    await page.keyboard.press("Enter");
    await request.arrived;
    expect(await focused()).toBe("Move embedded_tags down");
    request.release();
    await notices.shown("order saved", { role: "status" });
    await expect.poll(focused).toBe("Move embedded_tags down");
    await page.unrouteAll();
  });

  it("a book of 260 files shows the first 50 and a button, reached by Tab, that shows all 260 and keeps the keyboard", async () => {
    const find = () => listBooks(web.service.session.db).find((b) => b.path.endsWith("The Count of Monte Cristo"));
    if (!find()) {
      web.service.startScan();
      await web.service.idle();
    }
    await page.goto(`${web.base}/#/books/${find()!.id}`);
    const files = page.locator("main ul.files > li");
    await expect.poll(() => files.count()).toBe(50);
    const more = page.getByRole("button", { name: "Show all 260 files" });
    expect(await more.getAttribute("aria-expanded")).toBe("false");
    // By Tab from the page's heading, as a keyboard user gets there.
    await page.locator("main h1").focus();
    for (let i = 0; i < 60 && (await focused()) !== "Show all 260 files"; i++) await page.keyboard.press("Tab");
    expect(await focused()).toBe("Show all 260 files");
    await page.keyboard.press("Enter");
    await expect.poll(() => files.count()).toBe(260);
    expect(await focused()).toBe("Show the first 50 files only");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-expanded"))).toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(() => files.count()).toBe(50);
    expect(await focused()).toBe("Show all 260 files");
  });

  it("a field a plugin claimed 300 values for shows 10 of them and a button named for the field that shows all", async () => {
    if (listBooks(web.service.session.db).length === 0) {
      web.service.startScan();
      await web.service.idle();
    }
    const [book] = listBooks(web.service.session.db);
    let profile = parseProfile(bookProfile(web.service.session.db, book!.id) ?? "{}");
    profile = mergeSource(profile, "plugin:chatty", 50, Array.from({ length: 300 }, (_, i) => ({ field: "narrator", value: `Reader ${i}` })));
    writeProfile(web.service.session.db, book!.id, serializeProfile(profile));
    await page.goto(`${web.base}/#/books/${book!.id}`);
    const row = page.locator("table.evidence tr", { has: page.locator("th", { hasText: /^narrator$/ }) });
    await expect.poll(() => row.locator("li").count()).toBe(10);
    const more = row.getByRole("button", { name: /^Show all 30\d values of narrator$/ });
    await more.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => row.locator("li").count()).toBeGreaterThanOrEqual(300);
    expect(await focused()).toBe("Show the first 10 values of narrator only");
  });

  it("said no error in the console meanwhile", () => {
    expect(consoleErrors).toEqual([]);
  });
});
