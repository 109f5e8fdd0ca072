/**
 * A real browser for page tests: playwright-core driving Debian's chromium,
 * a fresh context (as a fresh profile) for each file. Tests skip (with the reason) only when no chromium is
 * installed; `.ci/run` installs it.
 */
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser as PlaywrightBrowser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import type { ShelfService } from "../../src/server/service.js";
import { createHome, REPO_ROOT, type TestHome } from "../support/plugin-fixtures.js";
import { closeApi, openApi } from "../server/inject.js";
import { openLibrary } from "../organize/library.js";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium-start.js";

export { CHROMIUM, CHROMIUM_MISSING } from "./chromium-start.js";

export const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts", "browser");

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * One chromium per worker process, started by the first file that asks: the browser files share worker
 * processes (vitest.config.ts's SHARED), and a chromium start with a fresh profile cost more CPU than the
 * rest of a short browser file. Each file gets a context of its own (its own cookies, storage and cache,
 * as a fresh profile had), which it closes. playwright ends the browser when the worker process exits.
 */
let shared: Promise<PlaywrightBrowser> | undefined;

function sharedBrowser(): Promise<PlaywrightBrowser> {
  if (!shared) {
    const launched = chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    shared = launched;
    // A browser that crashed or failed to start is started again for the next file.
    launched.then(
      (browser) => browser.once("disconnected", () => shared === launched && (shared = undefined)),
      () => shared === launched && (shared = undefined),
    );
  }
  return shared;
}

export async function openBrowser(options: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const context = await (await sharedBrowser()).newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  await context.addInitScript(recordNotices);
  const page = await context.newPage();
  return {
    context,
    page,
    async close() {
      await context.close();
    },
  };
}

/** A notice the page showed at the top: its words (without its Dismiss), its kind (`ok`, `note`, `error`) and role. */
export interface ShownNotice {
  text: string;
  kind: string;
  role: string | null;
}

/**
 * Run in every document of a test's pages before the app's own script: records each notice the page shows, as it
 * is drawn. An "ok" notice fades 6 s after it is shown (web/src/state.ts): a test that looked for it after the
 * action's promise resolved missed it on a loaded machine (CI at a load of 36: node and chromium each waited
 * seconds for a core), while the page itself did show it. The record is made in the page, in the microtask after
 * the notice is drawn, so no fade timer can run before it.
 */
function recordNotices(): void {
  const shown: { text: string; kind: string; role: string | null }[] = [];
  const last = new WeakMap<Element, string>();
  (window as unknown as { __shownNotices: typeof shown }).__shownNotices = shown;
  const look = () => {
    for (const element of document.querySelectorAll(".notice")) {
      const text = (element.querySelector("span") ?? element).textContent ?? "";
      const kind = [...element.classList].find((name) => name !== "notice") ?? "";
      const role = element.getAttribute("role");
      // data-notice numbers each notice given: the same words given again are a new one.
      const key = `${element.getAttribute("data-notice")}|${kind}|${role}|${text}`;
      if (last.get(element) === key) continue;
      last.set(element, key);
      shown.push({ text, kind, role });
    }
  };
  // The document itself: its elements are not made yet when this runs.
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

/**
 * Marks this instant on the page: the returned `shown(text)` resolves once the page has shown, since the mark, a
 * notice whose words include `text` (or match it), of the given kind and role if said; it fails (after
 * expect.poll's limit) listing the notices it did show. A page loaded afresh since the mark counts from its start.
 */
export async function watchNotices(page: Page): Promise<{ shown: (text: string | RegExp, options?: { kind?: string; role?: string }) => Promise<ShownNotice> }> {
  const read = () => page.evaluate(() => ({ shown: (window as unknown as { __shownNotices?: ShownNotice[] }).__shownNotices ?? [], document: (window as unknown as { __noticeDocument?: number }).__noticeDocument ??= Math.random() }));
  const mark = await read();
  return {
    async shown(text, options = {}) {
      const matches = (notice: ShownNotice) =>
        (typeof text === "string" ? notice.text.includes(text) : text.test(notice.text)) && (options.kind === undefined || notice.kind === options.kind) && (options.role === undefined || notice.role === options.role);
      let found: ShownNotice | undefined;
      await expect
        .poll(async () => {
          const now = await read();
          const since = now.document === mark.document ? now.shown.slice(mark.shown.length) : now.shown;
          found = since.find(matches);
          return found ? "shown" : since;
        }, { message: `a notice ${String(text)} ${JSON.stringify(options)} shown` })
        .toBe("shown");
      return found!;
    },
  };
}

/**
 * Screenshots are for a person looking at the pages, not a check: taken only when SHELFWISE_SCREENSHOTS is
 * set (`SHELFWISE_SCREENSHOTS=1 npx vitest run test/browser`). The ~40 full-page PNGs of the browser files
 * cost ~0.1 CPU-s each in chromium and in this process, in every run of the suite.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.SHELFWISE_SCREENSHOTS) return;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export interface WebApp {
  service: ShelfService;
  app: FastifyInstance;
  /** The server's address, `http://127.0.0.1:PORT`. */
  base: string;
  browser: Browser;
  page: Page;
}

/**
 * The web app as `serve` runs it over a test home's data folder (jobs started by the test unless `autoRun`), on a
 * free loopback port without a token, looking for what other processes wrote every 2 s as `serve` does (followDisk), and a browser page of its own. What it opened is closed if a later step fails.
 */
export async function openWebApp(home: TestHome, options: { autoRun?: boolean; viewport?: { width: number; height: number } } = {}): Promise<WebApp> {
  const { service, app } = await openApi(home, {}, options);
  try {
    // As `serve` does: what a CLI command writes to the data folder reaches the open pages.
    service.followDisk();
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const browser = await openBrowser({ viewport: options.viewport });
    return { service, app, base, browser, page: browser.page };
  } catch (error) {
    await closeApi({ app, service });
    throw error;
  }
}

/** Closes what openWebApp opened (each part only if it was made) and removes the home. */
/** A web app on `books` books in an inbox folder, each proposed a move to `{author}/{title}`: the Review page's material. */
export async function openWebAppWithMoves(books: number): Promise<WebApp & { home: TestHome }> {
  const home = createHome({ config: { naming_template: "{author}/{title}" } });
  const library = await openLibrary(home.root, Array.from({ length: books }, (_, i) => ({ at: `inbox/Book ${i}`, author: "Jules Verne", title: `Voyage ${i}`, files: ["01.mp3"] })), { naming_template: "{author}/{title}" });
  library.close();
  return { home, ...(await openWebApp(home)) };
}

export async function closeWebApp({ browser, app, service, home }: { browser?: Browser; app?: FastifyInstance; service?: ShelfService; home?: TestHome }): Promise<void> {
  await browser?.close();
  await closeApi({ app, service, home });
}
