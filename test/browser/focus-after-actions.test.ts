/**
 * Where the keyboard is after an action, and what a page says before one, as a keyboard and screen-reader user
 * meets them: a per-move Undo confirmed goes on to the next row's Undo (the History heading once none is left),
 * "Undo the last apply" asks as every "ask first" question does (it stays, its answer disabled, while the request
 * is on its way; a refusal gives the keyboard back to the button), the empty Plugins page names the real plugin
 * folder and a folder dropped into it shows up on the open page, and Scan without a library folder is disabled
 * with the reason and the way to add one beside it.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writePlugin, type TestHome } from "../support/plugin-fixtures.js";
import type { ShelfService } from "../../src/server/service.js";
import type { FastifyInstance } from "fastify";
import { CHROMIUM_MISSING, closeWebApp, openWebAppWithMoves, watchNotices, type Browser } from "./support.js";

const BOOKS = 3;
let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

/** The focused element's accessible name as a test reads it: its aria-label, else its text. */
const focused = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent?.trim() ?? null);

async function historyUndoable(): Promise<number> {
  const history = (await (await fetch(`${base}/api/history?limit=50`)).json()) as { entries: { kind: string; state: string; undone_by: number | null }[] };
  return history.entries.filter((m) => m.kind === "apply" && m.state === "done" && !m.undone_by).length;
}

describe.skipIf(CHROMIUM_MISSING)("focus after actions and what a page says first, in chromium", () => {
  beforeAll(async () => {
    ({ home, service, app, base, browser, page } = await openWebAppWithMoves(BOOKS));
    page.on("console", (message) => message.type() === "error" && !message.text().includes("409") && consoleErrors.push(message.text()));
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("Undo the last apply asks as AskFirst does: the question stays while the request is on its way; refused, the keyboard is back on the button", async () => {
    const started = await fetch(`${base}/api/apply`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "identified" }) });
    expect(started.status, await started.text()).toBeLessThan(300);
    await expect.poll(historyUndoable, { timeout: 60_000 }).toBe(BOOKS);
    await page.goto(`${base}/#/review`);
    const ask = page.getByRole("button", { name: `Undo the last apply (${BOOKS} moves)…` });
    await ask.waitFor();
    // Held (aria-disabled) while the apply's job runs: its moves can all be listed before it ends.
    await expect.poll(() => ask.getAttribute("aria-disabled")).not.toBe("true");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const sent = new Promise<void>((resolve) => (arrived = resolve));
    await page.route("**/api/undo", async (route) => {
      arrived();
      await held;
      await route.fulfill({ status: 409, contentType: "application/json", body: JSON.stringify({ error: "another job is running: wait for it to end" }) });
    });
    try {
      await ask.focus();
      await page.keyboard.press("Enter");
      const question = page.getByRole("group", { name: "Confirm undoing the last apply" });
      await expect.poll(focused).toBe(`Move ${BOOKS} back`);
      await page.keyboard.press("Enter");
      await sent;
      // On its way: the question is still there, its answer disabled, and the keyboard not dropped to the page's top.
      expect(await question.getByRole("button", { name: `Move ${BOOKS} back` }).isDisabled()).toBe(true);
      expect(await page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);
      release();
      await page.locator(".notice.error", { hasText: "another job is running" }).waitFor();
      await question.waitFor({ state: "detached" });
      await expect.poll(focused).toBe(`Undo the last apply (${BOOKS} moves)…`);
    } finally {
      await page.unrouteAll();
    }
    expect(await historyUndoable()).toBe(BOOKS);
  });

  it("a confirmed Undo puts the keyboard on the next row's Undo, then the one above, then the History heading, each said by a status message", async () => {
    await page.goto(`${base}/#/review`);
    const undos = page.locator("table.history [data-undo-move]");
    await expect.poll(() => undos.count()).toBe(BOOKS);
    const ids = await undos.evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.undoMove!));
    // The middle row: the next one down is next.
    await undos.nth(1).focus();
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Move back");
    const notices = await watchNotices(page);
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe(`Undo move ${ids[2]}`);
    await notices.shown(`move ${ids[1]}: moving the book back…`, { role: "status" });
    await expect.poll(historyUndoable, { timeout: 60_000 }).toBe(BOOKS - 1);
    // The history redrawn (the undo's own row added at its top): the keyboard stays on that same Undo.
    await page.locator(`tr[data-move="${ids[1]}"] .badge`, { hasText: "undone" }).waitFor({ timeout: 60_000 });
    await expect.poll(focused).toBe(`Undo move ${ids[2]}`);
    // The last row: none below, so the one above.
    // Undo is held (aria-disabled) while the last undo's job runs on the page: the badge can show before the job ends.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-disabled") ?? null)).not.toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Move back");
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe(`Undo move ${ids[0]}`);
    await expect.poll(historyUndoable, { timeout: 60_000 }).toBe(BOOKS - 2);
    await page.locator(`tr[data-move="${ids[2]}"] .badge`, { hasText: "undone" }).waitFor({ timeout: 60_000 });
    // The only one left: the list's heading, not the page's.
    // Undo is held (aria-disabled) while the last undo's job runs on the page: the badge can show before the job ends.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-disabled") ?? null)).not.toBe("true");
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Move back");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("history");
    await expect.poll(historyUndoable, { timeout: 60_000 }).toBe(0);
  });

  it("the empty Plugins page names the real plugin folder; a folder dropped into it appears on the open page", async () => {
    await page.goto(`${base}/#/plugins`);
    const empty = page.locator("[data-no-plugins]");
    await empty.waitFor();
    expect(await empty.locator("[data-plugin-dir]").textContent()).toBe(service.session.pluginDir);
    expect(await empty.textContent()).toContain("without restarting shelfwise or reloading this page");
    expect(await empty.textContent()).toContain("shelfwise plugins new my-plugin");
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    writePlugin(service.session.pluginDir, "dropped-in", { manifest: { entry_point: "missing.mjs" } });
    // What the watcher does when the folder settles (the tests' service does not watch).
    await service.live.refresh();
    await page.locator("main table tbody tr", { hasText: "dropped-in" }).waitFor();
    expect(await empty.count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    fs.rmSync(path.join(service.session.pluginDir, "dropped-in"), { recursive: true });
    await service.live.refresh();
  });

  it("a folder removed on Settings leaves the keyboard on the Add folder field; Scan is then disabled, the reason and the ways to add one beside it", async () => {
    await page.goto(`${base}/#/`);
    const scan = page.getByRole("button", { name: "Scan library" });
    await scan.waitFor();
    expect(await scan.isDisabled()).toBe(false);
    // Removed on the Settings page by keyboard: the keyboard goes on to the Add folder field (no folder is left).
    await page.goto(`${base}/#/settings`);
    const remove = page.getByRole("button", { name: `Remove ${home.library}` });
    await remove.waitFor();
    await remove.focus();
    const removing = await watchNotices(page);
    await page.keyboard.press("Enter");
    await removing.shown(`folder ${home.library} removed (its books stay)`, { role: "status" });
    await remove.waitFor({ state: "detached" });
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("path");
    await page.goto(`${base}/#/`);
    await scan.waitFor();
    await expect.poll(() => scan.isDisabled()).toBe(true);
    const reason = page.locator("#scan-needs-folder");
    expect(await scan.getAttribute("aria-describedby")).toBe("scan-needs-folder");
    expect(await reason.textContent()).toContain("shelfwise library add /path/to/audiobooks");
    await reason.getByRole("link", { name: "Settings page" }).click();
    await page.waitForURL(/#\/settings$/);
  });

  it("said no error in the console meanwhile", () => {
    expect(consoleErrors).toEqual([]);
  });
});
