/**
 * A part's record joined into another book (a library folder that was one book's folder, taken out and its parent
 * scanned, as the scan's parts_at_top warning advises), in a real browser: the dashboard and the Review page say it
 * is joined into that book, named by id and title, its record linked; not "not found by the last scan".
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { ShelfService } from "../../src/server/service.js";
import { runCliInProcessOk } from "../support/cli-in-process.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type Browser } from "./support.js";

let opened: { home: TestHome; service: ShelfService; app: FastifyInstance; browser: Browser; page: Page; base: string } | undefined;
afterEach(async () => {
  if (opened) await closeWebApp(opened);
  opened = undefined;
});

describe.skipIf(CHROMIUM_MISSING)("a part joined into another book", () => {
  it("the dashboard and the Review page say it joined into the book by id and title, the part's record linked, and never as a book not found", async () => {
    const home = createHome();
    const top = path.join(home.root, "Audiobooks");
    const dune = path.join(top, "Dune");
    fs.mkdirSync(dune, { recursive: true });
    for (const n of ["01", "02"]) fs.writeFileSync(path.join(dune, `Part ${n}.mp3`), `part ${n}`);
    const cli = (args: string[]) => runCliInProcessOk(args, { dataDir: home.dataDir });
    await cli(["scan", dune]);
    const parts = JSON.parse((await cli(["books", "--json"])).stdout) as { id: number; path: string }[];
    const corrected = parts.find((b) => b.path.endsWith("Part 02.mp3"))!.id;
    await cli(["book", String(corrected), "--set", "author=Frank Herbert"]);
    await cli(["library", "remove", dune]);
    await cli(["scan", top]);
    const book = (JSON.parse((await cli(["books", "--json"])).stdout) as { id: number; path: string }[]).find((b) => b.path === dune)!.id;
    await cli(["book", String(book), "--set", "title=Dune"]);
    const web = await openWebApp(home);
    opened = { home, ...web };
    const { page, base } = web;
    await page.goto(`${base}/#/`);
    const joined = page.locator('li[data-problem="joined"]');
    await joined.waitFor();
    await expect(joined.textContent()).resolves.toContain(`joined into book ${book} ("Dune")`);
    await expect(joined.locator(`a[href="#/books/${corrected}"]`).count()).resolves.toBe(1);
    await expect(page.locator('li[data-problem="missing"]').count()).resolves.toBe(0);
    // The cards count it apart from the books not found, as `status` does ("0 missing, 1 joined into another book").
    const cards = page.locator('section[aria-label="Books by status"]');
    await expect(cards.locator('a[href="#/books?status=missing"]').first().textContent()).resolves.toBe("0missing");
    await expect(cards.locator("[data-joined-card]").textContent()).resolves.toBe("1joined into another book");
    await page.goto(`${base}/#/review`);
    const note = page.locator("[data-joined]");
    await note.waitFor();
    await expect(note.textContent()).resolves.toContain(`joined into book ${book} ("Dune")`);
    await note.locator(`a[href="#/books/${corrected}"]`).click();
    await page.getByText(`its files are part of book ${book} ("Dune") at ${dune} now`).waitFor();
  });
});
