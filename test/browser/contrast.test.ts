/**
 * Text on every page is readable, in the light and the dark scheme alike: each visible text's colour against the
 * background it is drawn on reaches WCAG's 4.5:1 (3:1 for large text), measured in chromium from the computed
 * styles, with the states that colour text drawn (badges of states, an auto-disabled plugin's reason, an
 * error notice with its link-styled Dismiss). The light scheme's accent (links, Dismiss) was 4.3:1 on an error
 * notice.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSampleLibrary } from "../../fixtures/sample-library.js";
import { createHome, nodePlugin, type TestHome } from "../support/plugin-fixtures.js";
import { listBooks } from "../../src/store/books.js";
import { CHROMIUM_MISSING, closeWebApp, openWebApp, type WebApp } from "./support.js";

let home: TestHome;
let web: WebApp;

/** Each visible text whose contrast is below what WCAG asks, as "ratio: colour on background: text". */
function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rgba = (value: string): [number, number, number, number] => {
      const numbers = (value.match(/-?[\d.]+/g) ?? []).map(Number);
      // color(srgb r g b / a), as chromium gives a color-mix(), is 0-1; rgb()/rgba() is 0-255.
      if (value.startsWith("color(")) return [numbers[0]! * 255, numbers[1]! * 255, numbers[2]! * 255, numbers[3] ?? 1];
      return [numbers[0] ?? 0, numbers[1] ?? 0, numbers[2] ?? 0, numbers[3] ?? 1];
    };
    const over = (top: number[], under: number[]) => [0, 1, 2].map((i) => top[i]! * top[3]! + under[i]! * (1 - top[3]!)).concat(1);
    const background = (el: Element | null): number[] => {
      const layers: number[][] = [];
      for (let at = el; at; at = at.parentElement) {
        const color = rgba(getComputedStyle(at).backgroundColor);
        if (color[3] > 0) layers.push(color);
        if (color[3] === 1) break;
      }
      return layers.reduceRight((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const luminance = (c: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(c[0]!) + 0.7152 * f(c[1]!) + 0.0722 * f(c[2]!);
    };
    const low: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("").trim();
      if (!text || el.closest(".sr, script, style, :disabled, [aria-disabled=true], canvas")) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden") continue;
      const bg = background(el);
      const fg = over(rgba(style.color), bg);
      const [a, b] = [luminance(fg), luminance(bg)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) low.push(`${ratio.toFixed(2)}: ${style.color} on ${bg.map(Math.round).join(",")}: ${text.slice(0, 40)}`);
    }
    return [...new Set(low)];
  });
}

/**
 * Every text colour of the palette on every surface it may be drawn on, as chromium computes the real CSS variables
 * (not only the pairs today's pages happen to show): the light scheme's --warn was 4.41:1 on --hl, the running job's
 * box, where no page drew it at the time the page test looked.
 */
function paletteContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const probe = document.createElement("span");
    document.body.append(probe);
    const colour = (value: string) => {
      probe.style.color = value;
      const numbers = (getComputedStyle(probe).color.match(/[\d.]+/g) ?? []).map(Number);
      return getComputedStyle(probe).color.startsWith("color(") ? numbers.slice(0, 3).map((n) => n * 255) : numbers.slice(0, 3);
    };
    const luminance = (c: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(c[0]!) + 0.7152 * f(c[1]!) + 0.0722 * f(c[2]!);
    };
    const ratio = (a: number[], b: number[]) => {
      const [x, y] = [luminance(a), luminance(b)];
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    const pairs: [string, string][] = [];
    for (const text of ["--fg", "--muted", "--accent", "--ok", "--warn", "--err"]) for (const surface of ["--bg", "--card", "--hl"]) pairs.push([`var(${text})`, `var(${surface})`]);
    pairs.push(["var(--accent-fg)", "var(--accent)"], ["var(--fg)", "color-mix(in srgb, var(--err) 18%, var(--bg))"]);
    const low = pairs.map(([text, surface]) => [text, surface, ratio(colour(text), colour(surface))] as const).filter(([, , r]) => r < 4.5);
    probe.remove();
    return low.map(([text, surface, r]) => `${text} on ${surface}: ${r.toFixed(2)}`);
  });
}

describe.skipIf(CHROMIUM_MISSING)("text contrast on every page, light and dark", () => {
  beforeAll(async () => {
    home = createHome({ config: { auto_disable_after: 2 } });
    writeSampleLibrary(home.library);
    home.plugin("flaky", { code: nodePlugin(`process() { throw new Error("lookup service said 503"); }`), manifest: { name: "Flaky lookup" } });
    web = await openWebApp(home);
    web.service.startScan();
    await web.service.idle();
    web.service.startProcess({});
    await web.service.idle();
  });

  afterAll(() => closeWebApp({ ...(web ?? {}), home }));

  /**
   * All cases look through the web app's one page, each scheme emulated on it (`emulateMedia`, as a context's
   * `colorScheme` does) and each case starting from a blank document: a context per case and scheme was a chromium
   * renderer each (five in this file, ~1.4 CPU-s each), and no case writes what another reads (the pages keep no
   * storage or cookies). docs/performance-log.md, atests42.
   */
  async function freshPage(scheme: "light" | "dark"): Promise<Page> {
    const { page } = web;
    await page.goto("about:blank");
    await page.emulateMedia({ colorScheme: scheme });
    return page;
  }

  it("every text colour of the palette reaches 4.5:1 on every surface, in both schemes (the CSS variables themselves)", async () => {
    const low: Record<string, string[]> = {};
    for (const scheme of ["light", "dark"] as const) {
      const page = await freshPage(scheme);
      await page.goto(`${web.base}/#/`);
      await page.locator("main h1").first().waitFor();
      const found = await paletteContrast(page);
      if (found.length) low[scheme] = found;
    }
    expect(low).toEqual({});
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`${scheme}: every text reaches 4.5:1 (3:1 large) on what it is drawn on`, async () => {
      const page = await freshPage(scheme);
      try {
        const [book] = listBooks(web.service.session.db);
        const low: Record<string, string[]> = {};
        for (const hash of ["#/", "#/books", `#/books/${book!.id}`, "#/review?status=needs_attention", "#/review", "#/pipeline", "#/plugins", "#/plugins/flaky", "#/health", "#/health/flaky", "#/settings"]) {
          await page.goto(`${web.base}/${hash}`);
          await page.locator("main h1").first().waitFor();
          await page.waitForFunction(() => !document.querySelector("main [aria-busy=true]") && !/Loading…|Building the plan/.test(document.body.innerText));
          const found = await lowContrast(page);
          if (found.length) low[hash] = found;
        }
        // An error notice, with its Dismiss: a scan refused (another job running, as the server says it).
        await page.route("**/api/scan", (route) => route.fulfill({ status: 409, contentType: "application/json", body: JSON.stringify({ error: "busy: process is running; wait for it to finish or stop it" }) }));
        await page.goto(`${web.base}/#/`);
        await page.getByRole("button", { name: "Scan library" }).click();
        await page.locator(".notice.error").waitFor();
        const notice = await lowContrast(page);
        if (notice.length) low["error notice"] = notice;
        expect(low).toEqual({});
      } finally {
        // The next case's page asks the real server.
        await page.unroute("**/api/scan");
      }
    });
  }
});
