/**
 * The Review page while the data folder is busy, in chromium against a real server and data folder: a page opened,
 * reloaded or come back to (Back, Forward) while this server runs an apply shows the run and holds Apply and Undo
 * (no second request is sent); a data folder held by another process is said in plain words when Apply is refused;
 * a loose book's proposed place is its folder, as the CLI's plan shows it; the questions keep Tab inside; no unnamed
 * control or column; a run the server stopped during is said to be cut short once the server is back.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { openLibrary } from "../organize/library.js";
import { builtModuleUrl } from "../support/built.js";
import { ShelfService } from "../../src/server/service.js";
import { buildServer } from "../../src/server/server.js";
import { CHROMIUM_MISSING, closeWebApp, openBrowser, openWebApp, type Browser } from "./support.js";

let home: TestHome;
let service: ShelfService;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;

/** The POSTs of `page` that would move files. */
function movesSent(of: Page): string[] {
  const sent: string[] = [];
  of.on("request", (request) => request.method() === "POST" && /\/api\/(apply|undo)$/.test(new URL(request.url()).pathname) && sent.push(request.url()));
  return sent;
}

describe.skipIf(CHROMIUM_MISSING)("the Review page while the data folder is busy, in chromium", () => {
  beforeAll(async () => {
    home = createHome({ config: { naming_template: "{author}/{title}" } });
    const library = await openLibrary(
      home.root,
      [
        { at: "inbox/Book 0", author: "Jules Verne", title: "Voyage 0", files: ["01.mp3"] },
        { at: "inbox/Book 1", author: "Jules Verne", title: "Voyage 1", files: ["01.mp3"] },
        { at: "inbox/dune-audiobook.m4b", author: "Frank Herbert", title: "Dune" },
      ],
      { naming_template: "{author}/{title}" },
    );
    library.close();
    ({ service, app, base, browser, page } = await openWebApp(home));
  });

  afterAll(() => closeWebApp({ browser, app, service, home }));

  it("shows a loose book's proposed place as its folder (the file goes inside it), in the table and the question", async () => {
    await page.goto(`${base}/#/review`);
    const row = page.locator("table.plan tbody tr", { hasText: "dune-audiobook.m4b" });
    await expect.poll(() => row.locator("td.path").nth(1).innerText()).toBe("Frank Herbert/Dune");
    await row.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Apply 1 move…" }).click();
    const asked = page.getByRole("group", { name: "Confirm applying 1 move" });
    await expect.poll(() => asked.locator("li.path").innerText()).toBe("inbox/dune-audiobook.m4b → Frank Herbert/Dune");
    await asked.getByRole("button", { name: "Cancel" }).click();
  });

  it("opened, reloaded, or come back to by Back and Forward during a run: shows it running and holds Apply, sending nothing", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // This server's one job, as an apply started from another tab holds it until its moves are done.
    service.startJob("apply", "apply", async () => (await held, "moved 0"));
    const second = await browser.context.newPage();
    const sentHere = movesSent(page);
    const sentThere = movesSent(second);
    const sentCount = () => sentHere.length + sentThere.length;
    try {
      for (const [tab, how] of [
        [second, "a tab opened during the run"],
        [page, "reloaded"],
        [page, "back and forward"],
      ] as const) {
        if (how === "reloaded") await page.reload();
        else if (how === "back and forward") {
          await page.goto(`${base}/#/books`);
          await page.getByRole("heading", { name: "Books", level: 1 }).waitFor();
          await page.goBack();
          await page.locator("section[data-running=apply]").waitFor();
          await page.goForward();
          await page.getByRole("heading", { name: "Books", level: 1 }).waitFor();
          await page.goBack();
        } else await tab.goto(`${base}/#/review`);
        await tab.locator("section[data-running=apply]").getByRole("button", { name: "Stop" }).waitFor();
        await tab.getByRole("button", { name: "Select all" }).click();
        const apply = tab.getByRole("button", { name: "Apply 3 moves…" });
        await expect.poll(() => apply.getAttribute("aria-disabled"), { message: how }).toBe("true");
        // Said beside it, and as its description, in plain words.
        const why = tab.locator("#apply-wait");
        await expect.poll(() => why.innerText(), { message: how }).toBe("Apply waits while books are being moved: wait for it to finish, or stop it (Stop, above).");
        expect(await apply.getAttribute("aria-describedby")).toBe("apply-wait");
        // Pressed anyway (a click, Enter twice): no question, no request.
        await apply.click({ force: true });
        await apply.focus();
        await tab.keyboard.press("Enter");
        await tab.keyboard.press("Enter");
        expect(await tab.getByRole("group", { name: "Confirm applying 3 moves" }).count(), how).toBe(0);
        expect(sentCount(), how).toBe(0);
      }
    } finally {
      release();
      await service.idle();
    }
    // Once the run has ended, Apply is usable again, in both tabs.
    for (const tab of [page, second]) await expect.poll(() => tab.getByRole("button", { name: /^Apply \d+ moves?…$/ }).getAttribute("aria-disabled")).toBe(null);
    await second.close();
  });

  it("a data folder held by another program: Apply is refused saying who holds it in plain words, and nothing moves", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", `
      const { acquireDataLock } = await import(${JSON.stringify(builtModuleUrl("store/data-lock.js"))});
      await acquireDataLock(${JSON.stringify(home.dataDir)}, { command: "apply" });
      console.log("held");
      setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve) => child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve()));
      await page.goto(`${base}/#/review`);
      await page.reload();
      await page.getByRole("button", { name: "Select all" }).click();
      await page.getByRole("button", { name: "Apply 3 moves…" }).click();
      await page.getByRole("group", { name: "Confirm applying 3 moves" }).getByRole("button", { name: "Move 3" }).click();
      const alert = page.locator(".notice.error");
      await alert.waitFor();
      const said = await alert.innerText();
      expect(said).toContain(`being written by another shelfwise program (process ${child.pid}), doing: apply, since `);
      expect(said).toContain("nothing was changed here");
      expect(said).not.toContain("`");
      expect(said).not.toContain("Review page");
    } finally {
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    expect(fs.readdirSync(path.join(home.library, "inbox")).sort()).toEqual(["Book 0", "Book 1", "dune-audiobook.m4b"]);
  });

  it("by keyboard only: the question keeps Tab inside, Escape gives Apply back its focus; Enter twice on an answer sends one request", async () => {
    const sent = movesSent(page);
    await page.goto(`${base}/#/review`);
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute("aria-label") ?? el.textContent?.trim() ?? el.tagName) : "(nothing)";
    });
    const outline = () => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    await page.getByRole("button", { name: "Select all" }).focus();
    await page.keyboard.press("Enter");
    const apply = page.getByRole("button", { name: "Apply 3 moves…" });
    await apply.focus();
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Move 3");
    expect(await outline()).not.toBe("none");
    // Round its two buttons, both ways: never down the page with the question open.
    for (const [key, then] of [["Tab", "Cancel"], ["Tab", "Move 3"], ["Tab", "Cancel"], ["Shift+Tab", "Move 3"], ["Shift+Tab", "Cancel"]] as const) {
      await page.keyboard.press(key);
      await expect.poll(focused, { message: `${key} to ${then}` }).toBe(then);
    }
    await page.keyboard.press("Escape");
    await expect.poll(focused).toBe("Apply 3 moves…");
    expect(await page.getByRole("group", { name: "Confirm applying 3 moves" }).count()).toBe(0);
    expect(sent).toEqual([]);
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Move 3");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect.poll(() => fs.existsSync(path.join(home.library, "Frank Herbert", "Dune"))).toBe(true);
    await service.idle();
    expect(sent).toHaveLength(1);
    // The whole apply back, by keyboard: the same question, the same single request.
    const undo = page.getByRole("button", { name: "Undo the last apply (3 moves)…" });
    await undo.focus();
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Move 3 back");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect.poll(focused).toBe("Move 3 back");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect.poll(() => fs.readdirSync(path.join(home.library, "inbox")).length).toBe(3);
    await service.idle();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/\/api\/undo$/);
  });

  it("no control, column or region without a name in the accessibility tree of the Review (with its history), Book, Plugins and Health pages", async () => {
    const [book] = ((await (await fetch(`${base}/api/books?sort=path`)).json()) as { books: { id: number }[] }).books;
    const cdp = await page.context().newCDPSession(page);
    const named = new Set(["button", "textbox", "searchbox", "checkbox", "combobox", "spinbutton", "link", "switch", "radio", "slider", "progressbar", "group", "region", "navigation", "columnheader", "rowheader"]);
    for (const [at, ready] of [
      ["#/review", "table.history"],
      [`#/books/${book!.id}`, "table.evidence"],
      ["#/plugins", "main h1"],
      ["#/health", "main h1"],
    ] as const) {
      await page.goto(`${base}/${at}`);
      await page.locator(ready).first().waitFor();
      const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[] };
      const nameless = nodes.filter((n) => !n.ignored && named.has(n.role?.value ?? "") && !(n.name?.value ?? "").trim()).map((n) => n.role!.value);
      expect(nameless, at).toEqual([]);
    }
    await cdp.detach();
  });
});

describe.skipIf(CHROMIUM_MISSING)("the Review page when the server stops during an apply, in chromium", () => {
  let home: TestHome;
  let served: { service: ShelfService; app: FastifyInstance } | null = null;
  let port = 0;
  let browser: Browser;

  async function start(): Promise<void> {
    const service = await ShelfService.open(home.dataDir, { autoRun: false, watch: false });
    const app = await buildServer(service, { host: "127.0.0.1", token: null });
    await app.listen({ host: "127.0.0.1", port });
    port = (app.server.address() as { port: number }).port;
    served = { service, app };
  }

  async function stop(): Promise<void> {
    await served?.app.close();
    await served?.service.close();
    served = null;
  }

  beforeAll(async () => {
    home = createHome({ config: { naming_template: "{author}/{title}" } });
    const library = await openLibrary(home.root, [{ at: "inbox/Book 0", author: "Jules Verne", title: "Voyage 0", files: ["01.mp3"] }], { naming_template: "{author}/{title}" });
    library.close();
    await start();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stop();
    home?.cleanup();
  });

  it("says the run was cut short once the server is back, where to look, and sends nothing again", async () => {
    const page = browser.page;
    const sent = movesSent(page);
    // An apply running when the server goes (Ctrl-C stops it at its next chunk, as here; kill -9 mid-move is settled
    // from the journal at the next start): a run of this server, held until the server stops it.
    served!.service.startJob("apply", "apply", (_job, signal) => new Promise<string>((resolve) => signal.addEventListener("abort", () => resolve("stopped"))));
    await page.goto(`http://127.0.0.1:${port}/#/review`);
    await page.locator("section[data-running=apply]").waitFor();
    await stop();
    await page.locator("[data-offline]").waitFor();
    await start();
    const notice = page.locator(".notice.error");
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/^The server stopped while it was moving books \(the apply started at .+\): the moves it made are kept and listed in the History on the Review page, .* the books it had not started are where they were\. Look there before you apply again\./);
    await page.locator("[data-offline]").waitFor({ state: "detached" });
    expect(await page.locator("section[data-running]").count()).toBe(0);
    // Apply is usable again; nothing was sent meanwhile.
    await page.getByRole("button", { name: "Select all" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Apply 1 move…" }).getAttribute("aria-disabled")).toBe(null);
    expect(sent).toEqual([]);
  });
});
