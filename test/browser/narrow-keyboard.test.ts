/**
 * A user's whole path through the pages on a 360 px screen with the keyboard alone, as someone on a small phone
 * with a keyboard, or who cannot use a pointer, goes: scan, process, open a proposal from the Review page, correct
 * its title, see the plan follow, apply it and undo it. Every control is reached by Tab (no focus() by the test),
 * and each one the keyboard lands on must be on the screen, inside the 360 px, and not under another element.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type WebApp } from "./support.js";

const WIDTH = 360;

let home: TestHome;
let web: WebApp;
let page: Page;

/** The accessible name of the focused element (its aria-label, its label's text, or its own text), and whether the user can see it. */
const focused = () =>
  page.evaluate((width) => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: "(nothing)", problem: null };
    const label = el.closest("label");
    const own = label ? [...label.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim() : "";
    const name = el.getAttribute("aria-label") ?? (own || el.textContent?.trim() || el.tagName);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    let problem: string | null = null;
    if (box.width < 1 || box.height < 1 || style.visibility === "hidden" || Number(style.opacity) === 0) problem = "not shown";
    else if (box.left < -0.5 || box.right > width + 0.5) problem = `outside the screen's width (${Math.round(box.left)}-${Math.round(box.right)} px)`;
    else if (box.bottom <= 0 || box.top >= innerHeight) problem = "scrolled out of sight";
    else {
      const x = Math.min(Math.max(box.left + box.width / 2, 0), width - 1);
      const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
      const top = document.elementFromPoint(x, y);
      if (top && top !== el && !el.contains(top) && !top.contains(el) && !(label && label.contains(top))) problem = `under ${top.tagName.toLowerCase()}.${top.className}`;
    }
    return { name, problem };
  }, WIDTH);

/** Tab (forwards) until the control named `name` has the focus, as a keyboard user looks for it; it must be seen there. */
async function tabTo(name: string | RegExp, most = 120): Promise<void> {
  const passed: string[] = [];
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    const now = await focused();
    passed.push(now.name);
    if (typeof name === "string" ? now.name === name : name.test(now.name)) {
      expect(now.problem, `${now.name}: ${now.problem}`).toBeNull();
      return;
    }
  }
  throw new Error(`${String(name)} was not reached by ${most} Tabs; the focus went through: ${passed.slice(0, 60).join(" | ")}`);
}

const idle = async () => {
  await expect.poll(() => web.service.status().job, { timeout: 60_000 }).toBeNull();
};

describe.skipIf(CHROMIUM_MISSING)("the whole path on a 360 px screen, by keyboard alone", () => {
  beforeAll(async () => {
    home = createHome({ config: { confidence_threshold: 10, naming_template: "{author}/{title}" } });
    fs.mkdirSync(path.join(home.library, "incoming", "messy one"), { recursive: true });
    writeMp3(path.join(home.library, "incoming", "messy one", "01.mp3"), { artist: "Mary Shelley", album: "Frankenstein", title: "Chapter 1", track: "1" });
    web = await openWebApp(home, { autoRun: false, viewport: { width: WIDTH, height: 640 } });
    page = web.page;
  });

  afterAll(() => closeWebApp({ ...web, home }));

  it("scans, processes, corrects a title from the Review page, applies the move and undoes it", async () => {
    await page.goto(`${web.base}/#/`);
    await page.locator("main h1").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

    await tabTo("Scan library");
    await page.keyboard.press("Enter");
    await expect.poll(() => web.service.status().last_job?.kind ?? null, { timeout: 60_000 }).toBe("scan");
    await idle();
    await tabTo("Process");
    await page.keyboard.press("Enter");
    await expect.poll(() => web.service.status().last_job?.kind ?? null, { timeout: 60_000 }).toBe("process");
    await idle();
    const id = (web.service.session.db.prepare("SELECT id FROM books").get() as { id: number }).id;

    await tabTo("Review");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/review/);
    await page.locator("main tbody tr").first().waitFor();
    expect(await page.locator("main").textContent()).toContain("Mary Shelley/Frankenstein");
    await tabTo(/messy one/);
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`#/books/${id}$`));
    await page.locator("main h1", { hasText: "Frankenstein" }).waitFor();

    await tabTo("Correct title");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused()).name).toBe("New title");
    expect((await focused()).problem).toBeNull();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("The Modern Prometheus");
    await page.keyboard.press("Enter");
    await expect.poll(() => (web.service.session.db.prepare("SELECT title FROM books WHERE id = ?").get(id) as { title: string }).title).toBe("The Modern Prometheus");

    await tabTo("Review");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/review/);
    await page.locator("main tbody tr", { hasText: "Mary Shelley/The Modern Prometheus" }).waitFor();
    await tabTo(`Select book ${id}`);
    await page.keyboard.press("Space");
    await tabTo("Apply 1 move…");
    await page.keyboard.press("Enter");
    // It asks first, the keyboard on its answer.
    await expect.poll(async () => (await focused()).name).toBe("Move 1");
    await page.keyboard.press("Enter");
    const moved = path.join(home.library, "Mary Shelley", "The Modern Prometheus", "01.mp3");
    await expect.poll(() => fs.existsSync(moved), { timeout: 60_000 }).toBe(true);
    await idle();

    const undo = page.getByRole("button", { name: /^Undo move \d+$/ });
    await undo.first().waitFor();
    await tabTo(/^Undo move \d+$/);
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused()).name).toBe("Move back");
    await page.keyboard.press("Enter");
    await expect.poll(() => fs.existsSync(path.join(home.library, "incoming", "messy one", "01.mp3")), { timeout: 60_000 }).toBe(true);
    await idle();
    expect(fs.existsSync(moved)).toBe(false);
    await page.locator("main").getByText(/Last undo: done/).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });
});
