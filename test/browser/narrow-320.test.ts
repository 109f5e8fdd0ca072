/**
 * Every page on a 320 px screen (the narrowest WCAG reflow asks for: 1280 px at 400% zoom) scrolls only up and
 * down: a wide table scrolls inside its own box (`.scroll`), and nothing else makes the page scroll sideways. The
 * books list's "On disk" filter, as wide as its longest choice, made it 322 px.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, type TestHome } from "../support/plugin-fixtures.js";
import { listBooks } from "../../src/store/books.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type WebApp } from "./support.js";

const WIDTH = 320;
let home: TestHome;
let web: WebApp;

describe.skipIf(CHROMIUM_MISSING)(`the pages on a ${WIDTH} px screen`, () => {
  beforeAll(async () => {
    home = createHome({ books: 2 });
    web = await openWebApp(home, { viewport: { width: WIDTH, height: 640 } });
    web.service.startScan();
    await web.service.idle();
  });

  afterAll(() => closeWebApp({ ...(web ?? {}), home }));

  it("no page scrolls sideways; what is wider than the screen scrolls in its own box", async () => {
    const { page } = web;
    const [book] = listBooks(web.service.session.db);
    const wide: Record<string, string[]> = {};
    for (const hash of ["#/", "#/books", `#/books/${book!.id}`, "#/review", "#/pipeline", "#/plugins", "#/health", "#/settings"]) {
      await page.goto(`${web.base}/${hash}`);
      await page.locator("main h1").first().waitFor();
      await page.waitForFunction(() => !document.querySelector("main [aria-busy=true]") && !/Loading…|Building the plan/.test(document.body.innerText));
      const found = await page.evaluate(() =>
        document.documentElement.scrollWidth <= window.innerWidth
          ? []
          : [...document.querySelectorAll("main *")]
              .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest(".scroll"))
              .map((el) => `${el.tagName.toLowerCase()}${el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : ""}`),
      );
      if (found.length) wide[hash] = found;
    }
    expect(wide).toEqual({});
  });
});
