/**
 * Text nodes holding a direction control beside other text (the control then reorders that text): the pages
 * confine each such control alone in an isolating `.bidi-control` span. Shared by test/browser/hostile.test.ts
 * and bench/web-hostile.ts; it imports nothing but playwright-core's types, so the bench loads no test runner.
 */
import type { Page } from "playwright-core";

export function unconfinedControls(target: Page): Promise<string[]> {
  return target.evaluate(() => {
    const controls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue ?? "";
      if (!controls.test(text)) continue;
      const parent = node.parentElement!;
      const confined = text.length === 1 && parent.classList.contains("bidi-control") && getComputedStyle(parent).unicodeBidi === "isolate";
      if (!confined) found.push(`${parent.tagName}: ${JSON.stringify(text.slice(0, 60))}`);
    }
    return found;
  });
}
