/**
 * A real browser for page tests: playwright-core driving Debian's chromium
 * with a fresh profile. Tests skip (with the reason) only when no chromium is
 * installed; `.ci/run` installs it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { REPO_ROOT } from "../support/plugin-fixtures.js";

export const CHROMIUM = process.env.SHELFWISE_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_MISSING = fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium); browser tests skipped`;

export const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts", "browser");

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(options: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "shelfwise-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
