/**
 * Review, corrections and HTTP sources in a real browser (Debian's chromium
 * through playwright-core) against a real server, data folder and library,
 * and the Audiobookshelf provider fixture on 127.0.0.1: correct a field on
 * the book page, apply a proposal from the Review page and undo it from the
 * history (the folder really moves and comes back), add an HTTP source with
 * the preset after a live test. Screenshots go to test-artifacts/browser/
 * when SHELFWISE_SCREENSHOTS is set.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeMp3 } from "../../fixtures/audio.js";
import { startProviderFixture, type ProviderFixture } from "../../fixtures/audiobookshelf/provider-server.js";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { getBook, listBooks } from "../../src/store/books.js";
import { setUserFields } from "../../src/organize/index.js";
import { recordIntents, settleMoves, startBatch } from "../../src/store/moves.js";
import { CHROMIUM_MISSING, openBrowser, screenshot, watchNotices, type Browser } from "./support.js";

const KEY = "abs-browser-key-9876543210";

let home: TestHome;
let provider: ProviderFixture;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;

async function serve(): Promise<void> {
  app = await buildServer(service, { host: "127.0.0.1", token: null });
  await app.listen({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

async function go(hash: string): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await page.locator("main h1").first().waitFor();
}

function bookIdAt(folder: string): number {
  const row = service.session.db.prepare("SELECT id FROM books WHERE path = ?").get(path.join(home.library, folder)) as { id: number } | undefined;
  return row!.id;
}

describe.skipIf(CHROMIUM_MISSING)("review, corrections and sources in chromium", () => {
  beforeAll(async () => {
    provider = await startProviderFixture(KEY);
    home = createHome({ config: { confidence_threshold: 10 } });
    for (const [i, folder] of ["messy one", "messy two", "messy three"].entries()) {
      fs.mkdirSync(path.join(home.library, folder), { recursive: true });
      writeMp3(path.join(home.library, folder, "01.mp3"), { artist: `Writer ${i + 1}`, album: `Book ${i + 1}`, title: "Chapter 1", track: "1" });
    }
    // Something already at the place "messy three" is proposed for: held back with the reason.
    fs.mkdirSync(path.join(home.library, "Writer 3", "messy three"), { recursive: true });
    fs.writeFileSync(path.join(home.library, "Writer 3", "messy three", "notes.txt"), "mine");
    service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
    service.startScan();
    await service.idle();
    service.startProcess({});
    await service.idle();
    await serve();
    browser = await openBrowser();
    page = browser.page;
    page.on("response", (response) => response.status() >= 400 && console.log(`browser: ${response.status()} ${response.request().method()} ${response.url()}`));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await service?.close();
    await provider?.close();
    home?.cleanup();
  });

  /** The accessible name of the focused element (its aria-label, its label's text, or its own text). */
  const focusedLabel = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return "(nothing)";
      const label = el.closest("label");
      const own = label ? [...label.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim() : "";
      return el.getAttribute("aria-label") ?? (own || el.textContent?.trim() || el.tagName);
    });

  it("corrects a field on the book page; the user's value wins and can be removed", async () => {
    const id = bookIdAt("messy two");
    await go(`#/books/${id}`);
    // By keyboard: the form takes the button's place with the focus in its field; Escape closes it and the
    // focus is back on the button (it was lost to the top of the document).
    await page.getByRole("button", { name: "Correct title" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(focusedLabel).toBe("New title");
    await page.keyboard.press("Escape");
    await expect.poll(focusedLabel).toBe("Correct title");
    // From any of its controls (Tab to Save, to Cancel), not only its field.
    for (const tabs of [1, 2]) {
      await page.keyboard.press("Enter");
      await expect.poll(focusedLabel).toBe("New title");
      for (let i = 0; i < tabs; i++) await page.keyboard.press("Tab");
      await expect.poll(focusedLabel).toBe(tabs === 1 ? "Save title" : "Cancel title");
      await page.keyboard.press("Escape");
      await expect.poll(focusedLabel).toBe("Correct title");
    }
    await page.keyboard.press("Enter");
    // A value refused (too long) is said beside its field, which is marked and keeps the keyboard; nothing saved.
    const titleBefore = getBook(service.session.db, id)!.title;
    await page.getByLabel("New title").fill("x".repeat(1001));
    // Every label on the page names a control (a label tied to none is read alone, "New title", away from its field).
    expect(await page.locator("label").evaluateAll((labels) => labels.filter((l) => (l as HTMLLabelElement).control === null).map((l) => l.textContent))).toEqual([]);
    await page.getByRole("button", { name: "Save title", exact: true }).click();
    const refusedTitle = page.locator("#correct-title-error");
    await refusedTitle.getByText("must be at most 1000 characters").waitFor();
    await expect(page.getByLabel("New title").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.getByLabel("New title").getAttribute("aria-describedby")).resolves.toBe("correct-title-error");
    await expect.poll(focusedLabel).toBe("New title");
    await page.locator(".notice.error", { hasText: "New title: must be at most 1000 characters" }).waitFor();
    expect(getBook(service.session.db, id)!.title).toBe(titleBefore);
    await page.getByLabel("New title").fill("The Corrected <Title>");
    await page.getByRole("button", { name: "Save title", exact: true }).click();
    await expect.poll(focusedLabel).toBe("Correct title");
    const row = page.locator("table.evidence tr", { has: page.locator("th", { hasText: /^title$/ }) });
    await row.locator("td").first().getByText("The Corrected <Title>", { exact: true }).waitFor();
    await expect(row.locator(".source", { hasText: "user" }).count()).resolves.toBe(1);
    expect(getBook(service.session.db, id)!.title).toBe("The Corrected <Title>");
    await screenshot(page, "20-book-corrected");
    await page.getByRole("button", { name: "Remove your title" }).click();
    await row.locator(".source", { hasText: "user" }).waitFor({ state: "detached" });
    expect(getBook(service.session.db, id)!.title).not.toBe("The Corrected <Title>");
  });

  it("a language shelfwise does not know is kept with the note `book --set` gives (did you mean, the known codes); a known one without", async () => {
    const id = bookIdAt("messy two");
    await go(`#/books/${id}`);
    await page.getByRole("button", { name: "Correct language" }).click();
    // Two forms open at once: each Save and Cancel names its field (two buttons read "Save", "Save": which?).
    await page.getByRole("button", { name: "Correct title" }).click();
    expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Cancel", exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Cancel title", exact: true }).click();
    await page.getByLabel("New title").waitFor({ state: "detached" });
    expect(await page.getByLabel("New language").count()).toBe(1);
    await page.getByLabel("New language").fill("englsh");
    await page.getByRole("button", { name: "Save language", exact: true }).click();
    const notice = page.locator(".notice");
    await notice.getByText('language "englsh" is not one shelfwise knows: kept as "englsh" (did you mean "english"?)', { exact: false }).waitFor();
    expect(await notice.textContent()).toMatch(/known languages are given by name \(english, deutsch\) or code: en, de, fr, /);
    // It stays (a note is not a confirmation that fades) until dismissed.
    expect(await notice.getAttribute("class")).toContain("note");
    expect(getBook(service.session.db, id)!.language).toBe("englsh");
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await page.getByRole("button", { name: "Correct language" }).click();
    await page.getByLabel("New language").fill("Deutsch");
    const notices = await watchNotices(page);
    await page.getByRole("button", { name: "Save language", exact: true }).click();
    expect((await notices.shown("language saved", { kind: "ok" })).text).not.toContain("knows");
    expect(getBook(service.session.db, id)!.language).toBe("de");
    await page.getByRole("button", { name: "Remove your language" }).click();
    await page.getByRole("button", { name: "Remove your language" }).waitFor({ state: "detached" });
  });

  it("a dry run's result is for the filters it was asked with: a change clears it, and an answer that comes back after one is not shown", async () => {
    // While the server builds the plan (seconds on a large library) the page says so, rather than a bare "Loading…".
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route("**/api/plan?*", async (route) => (await held, route.continue().catch(() => {})));
    await go("#/review");
    await page.locator("[data-plan-building][aria-busy=true]", { hasText: "Building the plan" }).waitFor();
    answer();
    await page.locator("table.plan").waitFor();
    await page.unroute("**/api/plan?*");
    const row = page.locator("table.plan tbody tr", { hasText: "messy one" });
    await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Dry run (1)" }).click();
    const result = page.getByText(/^Would move 1;/);
    await result.waitFor();
    const minConfidence = page.getByLabel("Min confidence");
    const filterTo = async (value: string) => {
      await minConfidence.fill(value);
      await minConfidence.press("Tab");
      await page.waitForURL(new RegExp(`min_confidence=${value}`));
      await row.waitFor();
    };
    await filterTo("1");
    await result.waitFor({ state: "detached" });
    // Asked, then the filters change while the server is still answering: the late answer is not shown as theirs.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const asked = new Promise<void>((resolve) => (arrived = resolve));
    await page.route("**/api/apply", async (route) => {
      arrived();
      await gate;
      await route.continue();
    });
    try {
      await page.getByRole("button", { name: "Dry run (1)" }).click();
      await asked;
      await filterTo("2");
      const notices = await watchNotices(page);
      release();
      await notices.shown("The dry run answered for the filters or selection you had before: run it again for these.");
      await expect(page.getByText(/Would move/).count()).resolves.toBe(0);
    } finally {
      release();
      await page.unroute("**/api/apply");
    }
    // Asked again for these filters: shown.
    await page.getByRole("button", { name: "Dry run (1)" }).click();
    await result.waitFor();
    // Another tab corrects the book meanwhile: its proposal is another now, while this page still shows the old one.
    // The dry run says it would not move it, and why (an apply would move it where the page never showed).
    const ctx = { db: service.session.db, config: service.session.config, dataDir: service.dataDir };
    const id = bookIdAt("messy one");
    setUserFields(ctx, id, { set: { title: "Renamed In Another Tab" } });
    const two = bookIdAt("messy two");
    try {
      await page.getByRole("button", { name: "Dry run (1)" }).click();
      await page.getByText(/^Would move 0; 1 would fail;/).waitFor();
      await page.locator(".job .error", { hasText: /its proposal changed since it was shown \(it would now go to .*Renamed In Another Tab/ }).waitFor();
      // The report comes a page at a time (20,000 books' was ~7 MB in one piece): its counts with the first page,
      // the next failures on "Show more". Pages of one here (the page asks for 200), so two failures make two pages.
      setUserFields(ctx, two, { set: { title: "Also Renamed" } });
      await page.route(/\/api\/apply(\/dry-run\/\d+\?.*)?$/, (route) => {
        const request = route.request();
        if (request.method() === "POST") return route.continue({ postData: JSON.stringify({ ...request.postDataJSON(), limit: 1 }) });
        return route.continue({ url: request.url().replace("limit=200", "limit=1") });
      });
      const secondBox = page.locator("table.plan tbody tr", { hasText: "messy two" }).getByRole("checkbox");
      await secondBox.check();
      await page.getByRole("button", { name: "Dry run (2)" }).click();
      await page.getByText(/^Would move 0; 2 would fail;/).waitFor();
      const failures = page.locator("section.job", { has: page.getByRole("heading", { name: "Dry run" }) }).locator(".error");
      await expect(failures.count()).resolves.toBe(1);
      await page.getByRole("button", { name: "Show 1 more of the dry run (1 failure left)" }).click();
      await failures.nth(1).waitFor();
      await expect(failures.allTextContents()).resolves.toEqual([expect.stringMatching(/Renamed In Another Tab|Also Renamed/), expect.stringMatching(/Renamed In Another Tab|Also Renamed/)]);
      await expect(page.locator("[data-more]").count()).resolves.toBe(0);
      // The selection the next test starts from (the page stays open between tests).
      await secondBox.uncheck();
    } finally {
      await page.unroute(/\/api\/apply(\/dry-run\/\d+\?.*)?$/);
      setUserFields(ctx, id, { unset: ["title"] });
      setUserFields(ctx, two, { unset: ["title"] });
    }
  });

  it("applies a selected proposal from the Review page (after a dry run) and undoes it from the history", async () => {
    const from = path.join(home.library, "messy one");
    const id = bookIdAt("messy one");
    await go("#/review");
    const row = page.locator("table.plan tbody tr", { hasText: "messy one" });
    await row.waitFor();
    await expect(page.locator("table.plan tbody tr").count()).resolves.toBe(2);
    await page.getByText(/messy three.*target exists/).waitFor();
    await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Dry run (1)" }).click();
    await page.getByText("Would move 1; 0 would fail; 0 held. Nothing was moved.").waitFor();
    expect(fs.existsSync(from)).toBe(true);
    await screenshot(page, "21-review");
    // By keyboard: once applied nothing is selected and Apply is disabled under the focus; the focus stays
    // among the actions (it was lost to the top of the document).
    // Sent once however often it is pressed: a second press while the first request is on its way (held here
    // until both are in) was sent too, refused (a job runs: 409) and shown as an error over the first's "apply started…".
    const sent: string[] = [];
    page.on("request", (request) => request.method() === "POST" && /\/api\/(apply|undo)$/.test(request.url()) && sent.push(new URL(request.url()).pathname));
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route("**/api/apply", async (route) => (await held, route.continue().catch(() => {})));
    const applyButton = page.getByRole("button", { name: "Apply 1 move…" });
    // Apply asks first, saying what will move and how many; Escape and Cancel move nothing and give the
    // keyboard back to Apply.
    await applyButton.focus();
    await page.keyboard.press("Enter");
    const asked = page.getByRole("group", { name: "Confirm applying 1 move" });
    await asked.getByText("Move 1 selected book to its proposed folder?").waitFor();
    const what = await asked.locator("ul.asked li").allTextContents();
    expect(what).toHaveLength(1);
    expect(what[0]).toMatch(/^messy one → Writer 1\/.+/);
    await page.keyboard.press("Escape");
    await expect.poll(focusedLabel).toBe("Apply 1 move…");
    await page.keyboard.press("Enter");
    await asked.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(focusedLabel).toBe("Apply 1 move…");
    expect(sent).toEqual([]);
    expect(fs.existsSync(from)).toBe(true);
    // A selection emptied while it asks (Select none, or another tab moved the books): the question goes.
    await page.keyboard.press("Enter");
    await asked.waitFor();
    await page.getByRole("button", { name: "Select none" }).click();
    await asked.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Apply 0 moves…" }).waitFor();
    await row.getByRole("checkbox").check();
    await applyButton.focus();
    await page.keyboard.press("Enter");
    // It asks first, the keyboard on the answer; the answer pressed twice.
    const answer1 = page.getByRole("group", { name: "Confirm applying 1 move" }).getByRole("button", { name: "Move 1", exact: true });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Move 1");
    await page.keyboard.press("Enter");
    await answer1.dispatchEvent("click");
    answer();
    const moved = page.locator("table.history tbody tr", { hasText: "messy one" });
    await moved.getByRole("button", { name: /Undo move/ }).waitFor({ timeout: 90_000 });
    await page.unroute("**/api/apply");
    await expect.poll(focusedLabel).toBe("Select all");
    expect(sent).toEqual(["/api/apply"]);
    await expect(page.locator(".notice.error").count()).resolves.toBe(0);
    expect(fs.existsSync(from)).toBe(false);
    const to = getBook(service.session.db, id)!.path;
    expect(to.startsWith(path.join(home.library, "Writer 1") + path.sep)).toBe(true);
    await expect(page.locator("table.plan tbody tr").count()).resolves.toBe(1);
    // The last apply counted from its report's first page (the report itself is paged).
    await page.locator("[data-last-apply]", { hasText: "Last apply here: 1 moved, 0 failed, 0 held back, 0 already at their place." }).waitFor();
    await screenshot(page, "22-review-applied");
    // Undo asks too, naming where the book goes back; Escape moves nothing.
    await moved.getByRole("button", { name: /Undo move/ }).click();
    const undoAsked = moved.getByRole("group", { name: /^Confirm undoing move \d+$/ });
    await undoAsked.getByText(`Move this book back to ${from}?`).waitFor();
    await expect.poll(focusedLabel).toBe("Move back");
    await page.keyboard.press("Escape");
    await expect.poll(focusedLabel).toMatch(/^Undo move \d+$/);
    expect(sent).toEqual(["/api/apply"]);
    expect(fs.existsSync(to)).toBe(true);
    // Held (aria-disabled) until the page has seen the apply's job end: the moved file can show before that.
    await expect.poll(() => moved.getByRole("button", { name: /Undo move/ }).getAttribute("aria-disabled")).not.toBe("true");
    await moved.getByRole("button", { name: /Undo move/ }).dblclick();
    // The double-click asked (its second click does not answer); the answer double-clicked is one undo.
    await moved.getByRole("group", { name: /^Confirm undoing move \d+$/ }).getByRole("button", { name: "Move back" }).dblclick();
    await page.locator("table.history tbody tr .badge", { hasText: "undone" }).waitFor({ timeout: 90_000 });
    expect(sent).toEqual(["/api/apply", "/api/undo"]);
    await expect(page.locator(".notice.error").count()).resolves.toBe(0);
    expect(fs.existsSync(path.join(from, "01.mp3"))).toBe(true);
    expect(fs.existsSync(to)).toBe(false);
    await screenshot(page, "23-review-undone");
    // Undo locked the book it moved back: the plan leaves it out, and the page says why and where to unlock it.
    const plan = (await (await fetch(`${base}/api/plan`)).json()) as { entries: { book_id: number }[]; locked: { count: number; book_ids: number[] } };
    expect(plan.entries.map((e) => e.book_id)).not.toContain(id);
    expect(plan.locked).toEqual({ count: 1, book_ids: [id] });
    const note = page.locator("[data-locked]");
    await note.getByText("1 book is locked (undo locks what it moves back): unlock a book on its page to plan it again").waitFor();
    await note.getByRole("link", { name: `book ${id}` }).click();
    await page.waitForURL(new RegExp(`#/books/${id}$`));
  });

  it("pages the history: the newest 100 moves, then older ones", async () => {
    const db = service.session.db;
    const book = getBook(db, bookIdAt("messy two"))!;
    const before = (db.prepare("SELECT count(*) AS n FROM moves").get() as { n: number }).n;
    const intent = {
      kind: "apply" as const, book_id: book.id, book_from: book.path, book_to: path.join(home.library, "Writer 2", "messy two"), kind_from: book.kind, kind_to: "folder" as const,
      root_from: book.library_root, root_to: book.library_root, from_path: book.path, to_path: path.join(home.library, "Writer 2", "messy two"), created_dir: null,
      fingerprint: book.fingerprint, undoes: null,
    };
    const ids = recordIntents(db, startBatch(db, "apply"), Array.from({ length: 120 }, () => intent));
    settleMoves(db, ids.map((id) => ({ id, state: "failed" as const, error: "the disk said no" })));
    const total = before + 120;
    // The page may be on the Review page already: a fresh load, so it asks the server again.
    await go("#/");
    await go("#/review");
    const pager = page.getByRole("navigation", { name: "Pages of history" });
    await pager.getByText(`moves 1–100 of ${total}`).waitFor();
    await expect(page.locator("table.history tbody tr").count()).resolves.toBe(100);
    await expect(page.locator("table.history tbody tr").first().getAttribute("data-move")).resolves.toBe(String(ids.at(-1)));
    await pager.getByRole("button", { name: "Older" }).click();
    await pager.getByText(`moves 101–${total} of ${total}`).waitFor();
    await expect(page.locator("table.history tbody tr").count()).resolves.toBe(total - 100);
    // The first apply and its undo are on the older page.
    await page.locator("table.history tbody tr", { hasText: "messy one" }).first().waitFor();
    await expect(pager.getByRole("button", { name: "Older" }).isDisabled()).resolves.toBe(true);
    await screenshot(page, "23b-review-history-older");
    await pager.getByRole("button", { name: "Newer" }).click();
    await pager.getByText(`moves 1–100 of ${total}`).waitFor();
  });

  it("adds an HTTP source with the Audiobookshelf preset after a live test; the key never reaches the page", async () => {
    await go("#/plugins");
    // The form opens in the Add button's place with the focus in it; Cancel gives the focus back to the button.
    await page.getByRole("button", { name: "Add HTTP source" }).click();
    await expect.poll(focusedLabel).toBe("Kind");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(focusedLabel).toBe("Add HTTP source");
    await page.keyboard.press("Enter");
    const form = page.getByRole("form", { name: "Add HTTP source" });
    await form.getByLabel("Id", { exact: true }).fill("my-abs");
    await form.getByLabel("Base URL").fill(provider.url);
    await form.getByLabel(/API key/).fill(KEY);
    await form.getByLabel(/Allow private addresses/).check();
    // The issue's "the UI warns": what allowing private addresses lets this source reach.
    await form.getByRole("note").getByText(/allow it only for a service you run/).waitFor();
    await form.getByLabel("Book title").fill("The Way of Kings");
    await form.getByLabel("Author").fill("Brandon Sanderson");
    const notices = await watchNotices(page);
    await form.getByRole("button", { name: "Test" }).click();
    const result = form.locator(".test-result");
    await result.getByText("200", { exact: true }).waitFor();
    await expect(result.locator(".path").textContent()).resolves.toContain(`${provider.url}/search?mediaType=book&query=The%20Way%20of%20Kings`);
    await result.locator("table.mapped").getByText("Brandon Sanderson", { exact: true }).waitFor();
    // Its summary is said (the notice); the result itself, a request URL, a table and values of up to 2,000
    // characters each, is not a live region a screen reader reads out whole at every test.
    await notices.shown("test call answered", { role: "status" });
    expect(await result.evaluate((el) => el.closest('[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]') === null)).toBe(true);
    expect(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).not.toContain("my-abs");
    await screenshot(page, "24-source-form-tested");
    await form.getByRole("button", { name: "Save source" }).click();
    const listed = page.locator("tr[data-source='my-abs']");
    await listed.waitFor();
    await listed.locator(".badge", { hasText: "active" }).waitFor();
    expect(await page.content()).not.toContain(KEY);
    const config = fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8");
    expect(config).toContain('"my-abs"');
    expect(config).not.toContain(KEY);
    expect(JSON.parse(fs.readFileSync(path.join(home.dataDir, "secrets.json"), "utf8"))["my-abs_key"]).toBe(KEY);
    await screenshot(page, "25-sources-list");
    // Edit shows the key as set, never its value; delete asks once more.
    await listed.getByRole("button", { name: "Edit my-abs" }).click();
    const edit = page.getByRole("form", { name: "Edit source my-abs" });
    await edit.locator(".badge", { hasText: "set" }).waitFor();
    await expect(edit.getByLabel(/API key/).inputValue()).resolves.toBe("");
    await edit.getByLabel("Name", { exact: true }).fill("My shelf");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await listed.getByText("My shelf").waitFor();
    await expect.poll(focusedLabel).toBe("Edit my-abs");
    // Named for the source: the list's Enable/Disable buttons are told apart by name.
    await listed.getByRole("button", { name: "Disable source my-abs", exact: true }).click();
    await listed.getByRole("button", { name: "Enable source my-abs", exact: true }).click();
    await listed.getByRole("button", { name: "Disable source my-abs", exact: true }).waitFor();
    // The armed delete is taken back by Escape (or by leaving it), not left armed for a later slip.
    await listed.getByRole("button", { name: "Delete my-abs" }).click();
    await page.keyboard.press("Escape");
    await expect.poll(focusedLabel).toBe("Delete my-abs");
    await page.keyboard.press("Enter");
    await listed.getByRole("button", { name: "Really delete my-abs" }).click();
    await listed.waitFor({ state: "detached" });
    // The row went with the keyboard's place: it is on Add HTTP source (no other source's Delete to go on to).
    await expect.poll(focusedLabel).toBe("Add HTTP source");
    expect(fs.readFileSync(path.join(home.dataDir, "config.json"), "utf8")).not.toContain("my-abs");
  });

  it("shows moves a crash interrupted on the dashboard, and on the Review page until checked", async () => {
    const book = getBook(service.session.db, bookIdAt("messy two"))!;
    // An apply of one move whose process died mid-move: its batch never ended.
    recordIntents(service.session.db, startBatch(service.session.db, "apply", 1), [
      {
        kind: "apply", book_id: book.id, book_from: book.path, book_to: path.join(home.library, "Writer 2", "messy two"), kind_from: book.kind, kind_to: "folder",
        root_from: book.library_root, root_to: book.library_root, from_path: book.path, to_path: path.join(home.library, "Writer 2", "messy two"), created_dir: null,
        fingerprint: book.fingerprint, undoes: null,
      },
    ]);
    await app.close();
    await service.close();
    service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
    await serve();
    await go("#/");
    // The run itself is said cut short, with what recovery did, in the page's words; linked to the Review page.
    const cutShort = page.locator('li[data-problem="run_cut_short"] a');
    await cutShort.waitFor();
    const said = `after 0 of 1 move; recovery rolled back 1 move (book #${book.id}, at its old place); nothing is lost: every book it touched is whole at its old place or its new one`;
    expect(await cutShort.textContent()).toMatch(/^the apply of .+ was cut short \(its process was killed or the computer stopped\) /);
    expect(await cutShort.textContent()).toContain(said);
    expect(await cutShort.textContent()).not.toContain("`");
    await expect(cutShort.getAttribute("href")).resolves.toBe("#/review");
    await page.getByRole("link", { name: /1 interrupted move was recovered after a crash \(1 rolled back\)/ }).click();
    await page.getByRole("heading", { name: "Interrupted moves recovered" }).waitFor();
    await page.getByRole("heading", { name: "Last apply cut short" }).waitFor();
    expect(await page.locator("section[data-cut-short]").textContent()).toContain(said);
    await screenshot(page, "26-review-recovered");
    await page.getByRole("button", { name: "I have checked them" }).click();
    await page.getByRole("heading", { name: "Interrupted moves recovered" }).waitFor({ state: "detached" });
    // Its button went with the section: the keyboard is on the History heading that follows, not on nothing.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName)).toBe("history");
    await go("#/");
    await page.getByRole("heading", { name: "Pipeline" }).waitFor();
    // The live status follows the dismissal (an event may arrive just after the page shows the last one).
    await page.getByText(/recovered after a crash/).waitFor({ state: "detached" });
  });
  it("shows a loose book's companions, the files that move with it, as text (hostile names escaped)", async () => {
    // A single audio file at the library's top with its cover and notes beside it, named with markup.
    const stem = `Dune <img src=x onerror="window.__pwned=1"> <b>bold &amp;`;
    writeMp3(path.join(home.library, `${stem}.mp3`), { artist: "Frank Herbert", album: "Dune", title: "Dune", track: "1" });
    for (const ext of ["jpg", "nfo"]) fs.writeFileSync(path.join(home.library, `${stem}.${ext}`), "beside");
    service.startScan();
    await service.idle();
    service.startProcess({});
    await service.idle();
    await go("#/review");
    const row = page.locator("table.plan tbody tr", { hasText: "Frank Herbert" });
    await row.waitFor();
    await expect(row.locator(".companions").textContent()).resolves.toBe(`with ${stem}.jpg, ${stem}.nfo`);
    await expect(page.locator("table.plan img, table.plan b").count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, "27-review-companions");
  });

  it("two tabs pressing Apply at once: one apply runs, the other tab is told one is running; nothing moves twice and both show the outcome", async () => {
    const db = service.session.db;
    const lastMove = () => (db.prepare("SELECT coalesce(max(id), 0) AS n FROM moves").get() as { n: number }).n;
    const before = lastMove();
    const other = await browser.context.newPage();
    // The job that wins is held until the other tab's answer is in: the two applies overlap whatever the machine's load.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const startJob = service.startJob.bind(service);
    service.startJob = (kind, label, work) => startJob(kind, label, async (job, signal) => (kind === "apply" && (await gate), work(job, signal)));
    // Both requests are let go together, once both tabs have sent theirs.
    let bothIn!: () => void;
    const together = new Promise<void>((resolve) => (bothIn = resolve));
    let sent = 0;
    const hold = async (route: import("playwright-core").Route) => {
      if (++sent === 2) bothIn();
      await together;
      await route.continue().catch(() => {});
    };
    try {
      const tabs = [page, other];
      for (const tab of tabs) {
        await tab.goto(`${base}/#/review`);
        await tab.getByRole("button", { name: /^Select all/ }).click();
        await tab.route("**/api/apply", hold);
      }
      const name = await page.getByRole("button", { name: /^Apply \d+ moves?…$/ }).textContent();
      const count = Number(/\d+/.exec(name!)![0]);
      expect(count).toBeGreaterThan(0);
      await expect(other.getByRole("button", { name: name! }).isEnabled()).resolves.toBe(true);
      for (const tab of tabs) await tab.getByRole("button", { name: name! }).click();
      const notices = await Promise.all(tabs.map((tab) => watchNotices(tab)));
      await Promise.all(tabs.map((tab) => tab.locator("[data-confirm]").getByRole("button", { name: `Move ${count}`, exact: true }).click()));
      // One tab says its apply started; the other is refused, in words: the one running is named.
      const refused = (tab: Page) => tab.locator(".notice.error", { hasText: "busy: apply is running; wait for it to finish or stop it" });
      await expect.poll(async () => (await Promise.all(tabs.map((tab) => refused(tab).count()))).sort()).toEqual([0, 1]);
      const winner = (await refused(page).count()) === 0 ? page : other;
      await notices[tabs.indexOf(winner)]!.shown(`apply started: checking ${count === 1 ? "1 selected book" : `${count} selected books`} before moving them…`);
      open();
      await service.idle();
      // Each book moved once: one journaled move each, every one done.
      const moves = db.prepare("SELECT id, book_id, state FROM moves WHERE id > ? AND kind = 'apply'").all(before) as { id: number; book_id: number; state: string }[];
      expect(moves).toHaveLength(count);
      expect(new Set(moves.map((m) => m.book_id)).size).toBe(count);
      expect(moves.every((m) => m.state === "done")).toBe(true);
      for (const m of moves) expect(fs.existsSync(getBook(db, m.book_id)!.path)).toBe(true);
      // Both tabs show it without a reload: the moves in the history, nothing left to move, the same last apply.
      for (const tab of tabs) {
        await tab.locator("[data-last-apply]", { hasText: `Last apply here: ${count} moved, 0 failed, 0 held back, 0 already at their place.` }).waitFor();
        await expect.poll(() => tab.locator("table.plan tbody tr").count()).toBe(0);
        for (const m of moves) await tab.locator(`table.history tbody tr[data-move="${m.id}"]`).getByRole("button", { name: /Undo move/ }).waitFor();
      }
      await screenshot(other, "28-review-two-tabs");
    } finally {
      open();
      service.startJob = startJob;
      await other.close();
      await page.unroute("**/api/apply");
    }
  });

  it("the dashboard says, as `status` does, which books are not where shelfwise recorded them, each linked to its page", async () => {
    const book = listBooks(service.session.db).find((b) => b.status !== "missing" && b.kind === "folder" && fs.existsSync(b.path))!;
    const aside = `${book.path} (moved by hand)`;
    fs.renameSync(book.path, aside);
    try {
      await page.goto(`${base}/#/`);
      // A page opened asks the disk afresh (the check is otherwise kept until a job ends).
      await page.reload();
      const gone = page.locator('[data-problem="gone"]');
      await gone.getByText("1 book is not where shelfwise recorded it: moved or deleted outside shelfwise, or on a drive not mounted; the next scan records that").waitFor();
      await gone.getByRole("link", { name: `book ${book.id}` }).click();
      await page.waitForURL(new RegExp(`#/books/${book.id}$`));
    } finally {
      fs.renameSync(aside, book.path);
    }
    // The other way: a book the last scan recorded missing is there again (put back by hand, a drive mounted again).
    const missing = service.session.db.prepare("UPDATE books SET status = ? WHERE id = ?");
    missing.run("missing", book.id);
    try {
      await page.goto(`${base}/#/`);
      await page.reload();
      const back = page.locator('[data-problem="back"]');
      await back.getByText("1 missing book is there again; the next scan records that").waitFor();
      await back.getByRole("link", { name: `book ${book.id}` }).waitFor();
      expect(await page.locator('[data-problem="gone"]').count()).toBe(0);
    } finally {
      missing.run(book.status, book.id);
    }
    // More than the dashboard lists (ten): its "…" opens the Books page filtered to all of them.
    const shelf = path.join(home.root, "Back again");
    const insert = service.session.db.prepare(
      `INSERT INTO books (path, kind, library_root, status, title, confidence, fingerprint, files, created_at, updated_at, scanned_at)
       VALUES (?, 'folder', ?, 'missing', ?, 0, ?, '[]', datetime('now'), datetime('now'), datetime('now'))`,
    );
    const there = Array.from({ length: 11 }, (_, i) => {
      fs.mkdirSync(path.join(shelf, `Book ${i}`), { recursive: true });
      return Number(insert.run(path.join(shelf, `Book ${i}`), book.library_root, `Back ${i}`, `back-${i}`).lastInsertRowid);
    });
    try {
      await page.goto(`${base}/#/`);
      await page.reload();
      const back = page.locator('[data-problem="back"]');
      await back.getByText("11 missing books are there again; the next scan records that").waitFor();
      await back.getByRole("link", { name: "all of them on the Books page" }).click();
      await page.waitForURL(/#\/books\?problem=back$/);
      await page.getByText("11 books, showing 1–11").waitFor();
      expect((await page.locator("main table tbody tr").count())).toBe(11);
      expect(await page.getByLabel("On disk").inputValue()).toBe("back");
    } finally {
      service.session.db.prepare(`DELETE FROM books WHERE id IN (${there.join(",")})`).run();
      fs.rmSync(shelf, { recursive: true });
    }
  });

  it("holds back the books of a library folder taken out of the settings, saying why and what to do here", async () => {
    // Recorded by a scan while the folder was a library folder, then removed from the Settings page: its books stay put.
    const shelf = path.join(home.root, "Old shelf");
    const place = path.join(shelf, "loose <b>book</b> \u202Eevil");
    fs.mkdirSync(place, { recursive: true });
    const id = Number(
      service.session.db
        .prepare(
          `INSERT INTO books (path, kind, library_root, status, author, title, confidence, fingerprint, files, created_at, updated_at, scanned_at)
           VALUES (?, 'folder', ?, 'identified', 'Ann Author', 'Kept Title', 90, 'fp-old-shelf', '[]', datetime('now'), datetime('now'), datetime('now'))`,
        )
        .run(place, shelf).lastInsertRowid,
    );
    await go("#/review");
    const held = page.locator('[data-held="library_removed"]');
    // In the page's words: the Settings page's control, not a command to type.
    await held.getByText(`its library folder ${shelf} is no longer in library_paths; Add (${shelf}) under Library folders on the Settings page (then Scan library on the dashboard) to organize it again`).waitFor();
    await held.locator(".badge", { hasText: "library removed" }).waitFor();
    // The hostile name is text, linked to the book's page.
    const link = held.locator("a.path");
    expect(await link.textContent()).toContain("loose <b>book</b> \u202Eevil");
    expect(await link.getAttribute("href")).toBe(`#/books/${id}`);
    await held.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Library folders" }).waitFor();
    await screenshot(page, "review-library-removed");
  });
});
